"""Build the embedded Pakistan dataset from the team's gathered public data.

Reads ``../shared/data/pakistan/`` (see its SOURCES.md) and writes the dataset tables into
``src/gridsurplus/data/pakistan/``. Every figure keeps its source, or says how it was
estimated, in the row it sits in. Re-run after changing the shared data or the choices below:

    python scripts/build_pakistan_dataset.py [--shared PATH]

The compute tables (``compute_techs.csv``, ``markets.csv``) are written by hand, not here.
"""

from __future__ import annotations

import argparse
import csv
import math
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "gridsurplus" / "data" / "pakistan"
FX = 281.0  # PKR per USD, model default (SOURCES.md §3.4)

MONTHS = ["Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun"]
FY_MONTHS = [f"2024-{m:02d}" for m in range(7, 13)] + [f"2025-{m:02d}" for m in range(1, 7)]
MONTH_NUM = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)}


def read(shared: Path, name: str) -> list[dict[str, str]]:
    with open(shared / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write(name: str, rows: list[dict], columns: list[str]) -> None:
    with open(OUT / name, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: _fmt(r.get(c, "")) for c in columns})
    print(f"wrote {name}: {len(rows)} rows")


def _fmt(v):
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        return f"{v:.6g}" if abs(v) < 1e6 else f"{v:.0f}"
    if isinstance(v, bool):
        return "true" if v else "false"
    return v


# --------------------------------------------------------------------------- regions

REGIONS = {
    # region: (name, HQ lat, lon, climate station, max mining MW, max AI MW)
    "PESCO": ("Peshawar (with Hazara and Tribal areas: PESCO, HAZECO, TESCO)", 34.01, 71.58, "Peshawar", 500, 200),
    "IESCO": ("Islamabad", 33.68, 73.05, "Islamabad", 500, 500),
    "GEPCO": ("Gujranwala", 32.16, 74.19, "Lahore", 500, 200),
    "LESCO": ("Lahore", 31.55, 74.34, "Lahore", 1000, 500),
    "FESCO": ("Faisalabad", 31.42, 73.08, "Lahore", 1000, 200),
    "MEPCO": ("Multan", 30.20, 71.47, "Multan", 1000, 200),
    "SEPCO": ("Sukkur", 27.70, 68.86, "Sukkur", 500, 100),
    "QESCO": ("Quetta (Balochistan)", 30.18, 66.98, "Quetta", 200, 100),
    "HESCO": ("Hyderabad (with the NTDC 500 kV south: Thar, Jamshoro, Matiari, Port Qasim)", 25.40, 68.37, "Hyderabad", 1000, 200),
    "KE": ("K-Electric (Karachi)", 24.86, 67.01, "Karachi", 500, 500),
}
HOSTING_NOTE = (
    "estimated: hosting limit per compute kind, order of magnitude of spare 500/220 kV "
    "transformation in the area (a 500/220 kV station has a few 450-750 MVA transformers; "
    "NEPRA lists overloaded stations at Rawat, Sheikhupura, Gatti, Multan, Yousafwala, "
    "Jamshoro, Muzaffargarh); AI capped lower outside Karachi, Lahore and Islamabad for "
    "fibre and skills; not a published figure"
)


def build_regions(shared: Path) -> None:
    discos = {r["disco"]: r for r in read(shared, "pk_demand_by_disco.csv")}
    purchased = {d: float(r["fy2018_19_purchased_gwh"]) for d, r in discos.items()
                 if r["fy2018_19_purchased_gwh"]}
    ke_gwh = 17500.0  # estimated in pk_demand_by_disco.csv (KE ~17,500 GWh/yr sent-out)
    by_region = {
        "PESCO": purchased["PESCO"] + purchased["TESCO"],  # HAZECO is inside PESCO's FY19 figure
        "KE": ke_gwh,
        **{r: purchased[r] for r in REGIONS if r not in ("PESCO", "KE")},
    }
    total = sum(by_region.values())
    rows = []
    for region, (name, lat, lon, station, mining, ai) in REGIONS.items():
        share = by_region[region] / total
        if region == "KE":
            src = ("estimated: KE ~17,500 GWh/yr sent-out (pk_demand_by_disco.csv, verify against KE "
                   "annual report) over the XWDISCO FY2018-19 purchases plus KE")
        else:
            parts = "PESCO + TESCO FY2018-19 purchases (HAZECO inside PESCO)" if region == "PESCO" else \
                f"{region} FY2018-19 purchases {by_region[region]:,.0f} GWh"
            src = (f"derived: {parts} / total {total:,.0f} GWh (NEPRA PER 2018-19 via Profit, "
                   "pk_demand_by_disco.csv); 2019 shares, +-2 pp since rooftop solar")
        rows.append(dict(
            region=region, name=name, lat=lat, lon=lon, climate_station=station,
            demand_share=round(share, 6), max_mining_mw=float(mining), max_ai_mw=float(ai),
            source=src,
            notes=f"coordinates: HQ city; climate: {station} station; hosting: {HOSTING_NOTE}",
        ))
    # make the shares sum to exactly 1 after rounding
    drift = 1.0 - sum(r["demand_share"] for r in rows)
    rows[3]["demand_share"] = round(rows[3]["demand_share"] + drift, 6)
    write("regions.csv", rows, ["region", "name", "lat", "lon", "climate_station", "demand_share",
                                "max_mining_mw", "max_ai_mw", "source", "notes"])


# --------------------------------------------------------------------------- fuels

FUELS = [
    # fuel, label, mix_group, cost Rs/kWh, availability, must_run, profile, reserve, colour, source
    ("hydro", "Hydro", "hydel", 0.0, 1.0, True, "hydro_ror", True, "#1f77b4",
     "estimated: cost 0 (water-use charges are fixed; value of stored water not modelled), "
     "pk_fuel_costs.csv; energy from monthly water budgets (energy_budgets.csv)"),
    ("nuclear", "Nuclear", "nuclear", 2.0, 0.726, True, "monthly", False, "#9467bd",
     "cost estimated: Rs1.5-2.5/kWh nuclear fuel, recalled order of magnitude (pk_fuel_costs.csv); "
     "availability by month in monthly_factors (refuelling outages), averaging FY25 nuclear "
     "22,456 GWh / (3,530 MW x 8,760 h) = 0.726 (Topline share 17.66% x 127,159 GWh)"),
    ("coal_local", "Local coal (Thar and Lakhra lignite)", "coal_local", 6.53, 0.85, False, "flat", True,
     "#8c564b", "cost: top of Sept-2025 EMO Thar range 5.52-6.53, for Lakhra which has no EMO entry "
     "(Thar plants carry their own); availability estimated: 10-15% forced/planned outages of "
     "thermal plant (SOURCES.md §5.3)"),
    ("coal_imported", "Imported coal", "coal_imported", 16.7, 0.85, False, "flat", True, "#7f7f7f",
     "cost: FY2024-25 imported-coal fleet average Rs16.7/kWh (Topline via newztodays) for plants "
     "without an EMO entry; availability estimated (10-15% outages)"),
    ("rlng", "RLNG", "rlng", 22.03, 0.85, False, "flat", True, "#ff7f0e",
     "cost: RLNG fleet average Rs22.03/kWh Jul 2025 (AKD via Profit) for plants without an EMO "
     "entry (efficient CCGTs carry their EMO 19.66-20.48); availability estimated"),
    ("gas_local", "Local gas", "gas_local", 12.39, 0.85, False, "flat", True, "#2ca02c",
     "cost: local-gas fleet average Rs12.39/kWh Jun 2025 (AHL via Profit) for plants without an "
     "EMO entry; availability estimated"),
    ("rfo", "Furnace oil (RFO)", "rfo", 28.89, 0.85, False, "flat", True, "#d62728",
     "cost: RFO fleet average Rs28.89/kWh Jun 2025 (AHL via Profit); Sept-2025 EMO gives 30-40"),
    ("rfo_gas", "RFO/gas steam (K-Electric)", "rfo", 28.89, 0.85, False, "flat", True, "#ff9896",
     "estimated: KE BQPS-I steam units priced at the RFO fleet average Rs28.89/kWh (Jun 2025)"),
    ("gas_rlng_rfo", "Multi-fuel (gas/RLNG/RFO)", "rfo", 28.89, 0.85, False, "flat", True, "#e377c2",
     "estimated: priced at the RFO fleet average (not in the merit pool in the reference year)"),
    ("gas_rfo_legacy", "Legacy GENCO steam/OCGT", "other", 28.89, 0.85, False, "flat", True, "#c7c7c7",
     "estimated: priced at the RFO fleet average (retired or standby, not dispatched)"),
    ("wind", "Wind", "wind", 0.0, 1.0, True, "wind", False, "#17becf",
     "cost 0 (zero fuel; take-and-pay PPAs), pk_fuel_costs.csv; hourly profile from monthly_factors"),
    ("solar", "Solar (utility)", "other", 0.0, 1.0, True, "solar", False, "#bcbd22",
     "cost 0 (zero fuel); hourly profile from the sun's position (pvlib) and monthly clear-sky index"),
    ("solar_distributed", "Rooftop solar (net-metered)", "other", 0.0, 1.0, True, "solar", False, "#dbdb8d",
     "behind the meter: already netted out of the demand shapes; not dispatched"),
    ("bagasse", "Bagasse", "other", 12.48, 0.85, False, "monthly", True, "#e7ba52",
     "cost: bagasse energy tariff Rs12.48/kWh (coal-linked; newzshewz, Senate committee docs); "
     "crushing season Nov-Mar (monthly_factors)"),
]


# Share of each fuel's cost paid abroad (the net foreign-exchange account); a fuel not listed
# is domestic (0).
FUEL_IMPORT_SHARE = {
    "rlng": (1.0, "RLNG is regasified imported LNG; Qatar and the UAE supply 99% of Pakistan's LNG "
                  "(Kpler via Business Today, shared/data/scenarios/SOURCES.md §8); the terminal, "
                  "pipeline and margin share of the delivered price (~2.5 of ~11 USD/MMBtu) is "
                  "counted as imported too, an overstatement of at most a quarter"),
    "coal_imported": (1.0, "imported coal (Indonesian and South African grades, SOURCES.md §8); "
                           "Lucky Electric burns some Thar coal in a blend (pk_power_plants.csv), "
                           "not deducted"),
    "rfo": (1.0, "estimated: furnace oil is imported or refined from mostly imported crude; the "
                 "local share is not deducted"),
    "rfo_gas": (1.0, "estimated: as rfo"),
    "gas_rlng_rfo": (1.0, "estimated: as rfo (RLNG or RFO when it runs)"),
    "gas_rfo_legacy": (1.0, "estimated: as rfo"),
}


def build_fuels() -> None:
    rows = []
    for f, label, g, c, a, mr, p, res, col, src in FUELS:
        share, why = FUEL_IMPORT_SHARE.get(
            f, (0.0, "domestic (hydro, nuclear fuel aside, local coal and gas, wind, sun, bagasse)"))
        if f == "nuclear":
            why = ("estimated: nuclear fuel is imported from China but costs Rs 2/kWh and does not "
                   "move with compute (must-run); counted 0")
        rows.append(dict(fuel=f, label=label, mix_group=g, marginal_cost_per_kwh=c, availability=a,
                         must_run=mr, profile=p, counts_for_reserve=res, color=col,
                         import_share=share, source=f"{src}; import share {share:g}: {why}"))
    write("fuels.csv", rows, ["fuel", "label", "mix_group", "marginal_cost_per_kwh", "availability",
                              "must_run", "profile", "counts_for_reserve", "import_share", "color",
                              "source"])


# --------------------------------------------------------------------------- plants

NTDC_SOUTH = "HESCO"
FUEL_ALIAS = {  # shared-list fuel -> dataset fuel, so that fuel limits cover a whole fleet
    "gas": "gas_local",  # K-Electric's gas units burn SSGC pipeline gas
    "gas_rlng": "rlng",  # K-Electric BQPS-II CCGT runs on RLNG/gas
    "coal_thar_lignite": "coal_local",  # Thar and Lakhra: the published 'local coal'
}
STATUS = {
    "operating": "operating", "partly retired": "partly_retired", "PPA_terminated_2024": "ppa_terminated",
    "delicensed": "retired", "decommissioned": "retired", "retired/delicensed": "retired",
    "retired (0 MW in FY24 sheet)": "retired", "largely retired": "retired", "retired": "retired",
    "largely retired/standby": "standby", "partly retired/standby": "standby",
    "operating/standby": "standby", "under_construction": "under_construction",
    "planned/delayed": "planned",
}
# Plant-level availability where the data says more than the fuel default.
AVAILABILITY = {
    "KE-BQPS1": (0.5, "estimated: 'older units progressively retired; available capacity materially "
                      "below 1,260 MW' (pk_power_plants.csv); half taken as available"),
}
# Plants without their own EMO entry whose cost is better proxied than by the fuel average.
COST_PROXY = {
    "KE-SITE": (13.845, "estimated: OCGT priced like Guddu open cycle (EMO Sept 2025, Rs13.845/kWh)"),
    "KE-KGTPS": (13.845, "estimated: OCGT priced like Guddu open cycle (EMO Sept 2025, Rs13.845/kWh)"),
}


def region_of(p: dict[str, str]) -> tuple[str, str]:
    area = p["disco_area"]
    if area in ("HAZECO", "TESCO", "PESCO", "PESCO/HAZECO"):
        return "PESCO", ""
    if area.startswith("KE area"):
        return NTDC_SOUTH, ("injects into the NTDC 500 kV system (Port Qasim/KKI-Matiari/Hub-Matiari), "
                            "so it sits in the HESCO node of the transport model although it is "
                            "physically in the Karachi/Hub area")
    if area == "KE":
        return "KE", ""
    if area.startswith("QESCO"):
        return "QESCO", ""
    if area == "GB (off-grid)":
        return "PESCO", "Gilgit-Baltistan grid, not connected to NTDC (placed in PESCO for the record only)"
    if area == "MEPCO/FESCO/SEPCO":
        return "MEPCO", "aggregate of mills in MEPCO/FESCO/SEPCO; placed in MEPCO (estimated)"
    if area in ("various", "") and p["fuel"] == "solar":
        return "MEPCO", "aggregate of utility PV (mostly Punjab); placed in MEPCO (estimated)"
    if area in REGIONS:
        return area, ""
    raise ValueError(f"no region for {p['plant_id']} ({area!r})")


def build_plants(shared: Path, demand_shares: dict[str, float]) -> None:
    src_rows = read(shared, "pk_power_plants.csv")
    rows = []
    for p in src_rows:
        pid = p["plant_id"]
        if pid == "GEN-RPP":
            continue  # 0 MW aggregate of retired rentals, kept in the shared list for reconciliation
        status = STATUS.get(p["status"], "uncertain" if p["status"].startswith("uncertain") else None)
        if status is None:
            raise ValueError(f"unknown status {p['status']!r} for {pid}")
        fuel = p["fuel"]
        fuel = FUEL_ALIAS.get(fuel, fuel)
        tech = p["technology"]
        profile = ""
        if fuel == "hydro":
            profile = "hydro_reservoir" if tech.startswith("reservoir hydro") else "hydro_ror"
        emo = p["emo_cost_pkr_per_kwh_sep2025"]
        cost, cost_source = "", ""
        if emo:
            cost, cost_source = float(emo), "ISMO/CPPA-G Economic Merit Order, Sept 2025 (EMO2025)"
        elif pid in COST_PROXY:
            cost, cost_source = COST_PROXY[pid]
        else:
            cost_source = "fuel default (fuels.csv)"
        avail, avail_note = AVAILABILITY.get(pid, ("", ""))
        in_pool = p["in_merit_pool"] == "1"
        if pid == "SOL-NETMETER":
            # behind-the-meter: split by demand share so each region shows its rooftop capacity
            for region, share in demand_shares.items():
                rows.append(dict(
                    plant=f"{pid}-{region}", name=f"{p['name']} - {region} share", region=region,
                    fuel=fuel, capacity_mw=round(float(p["capacity_mw"]) * share, 1), status="operating",
                    in_merit_pool=False, marginal_cost_per_kwh="", availability="", profile="",
                    lat="", lon="", cost_source="", confidence=p["confidence"],
                    source=f"{p['source']}; split by demand share (estimated)",
                    notes="behind the meter: its output is already netted out of demand"))
            continue
        region, region_note = region_of(p)
        notes = "; ".join(x for x in (region_note, avail_note, p["notes"]) if x)
        rows.append(dict(
            plant=pid, name=p["name"], region=region, fuel=fuel, capacity_mw=float(p["capacity_mw"]),
            status=status, in_merit_pool=in_pool, marginal_cost_per_kwh=cost, availability=avail,
            profile=profile, lat=float(p["lat"]) if p["lat"] else "", lon=float(p["lon"]) if p["lon"] else "",
            cost_source=cost_source, confidence=p["confidence"],
            source=f"{p['source']} (shared plant list; owner {p['owner']}; COD {p['commissioning_year']})",
            notes=notes))
    write("plants.csv", rows, ["plant", "name", "region", "fuel", "capacity_mw", "status",
                               "in_merit_pool", "marginal_cost_per_kwh", "availability", "profile",
                               "lat", "lon", "cost_source", "confidence", "source", "notes"])


# --------------------------------------------------------------------------- links

LINKS = [
    # link, from, to, MW forward, MW reverse, kind, status, source, notes
    ("HVDC-MATIARI-LAHORE", "HESCO", "LESCO", 2200, 2200, "HVDC +-660 kV", "sourced",
     "Dawn 2024-12-01 (1875894): ~2,200 MW carried Dec 2024; 4,000 MW rated (Nation 2023-07-03)",
     "operated level, not the rating; +400 MW expected after the 500 kV Lahore North station"),
    ("AC-HESCO-SEPCO", "HESCO", "SEPCO", 3500, 3500, "AC 500 kV", "estimated",
     "estimated: AC south-north corridor 3,000-4,500 MW N-1 secure (pk_transmission.csv); mid value",
     "Jamshoro/Matiari-Dadu-Shikarpur-Guddu 500 kV; no published limit found"),
    ("AC-SEPCO-MEPCO", "SEPCO", "MEPCO", 3000, 3000, "AC 500 kV", "derived",
     "derived: NTDC DMD (Dawn 1685060, 2022): 5,200 MW of southern generation (K-2, K-3, Port Qasim, "
     "Lucky, Thar) supplies Punjab load; minus the HVDC's 2,200 MW leaves 3,000 MW on the AC "
     "corridor (low end of the 3,000-4,500 MW estimate in pk_transmission.csv)",
     "with the HVDC the south-north interface is 5,200 MW; it binds when cheap southern baseload "
     "must flow north"),
    ("AC-SEPCO-QESCO", "SEPCO", "QESCO", 1000, 1000, "AC 220 kV", "estimated",
     "estimated: Guddu/Uch-Sibi-Quetta 220 kV links; QESCO is described as a weak network at the end "
     "of the grid (SOURCES.md §6); no published limit", ""),
    ("KE-INTERCONNECTION", "HESCO", "KE", 2000, 1000, "AC 500/220 kV", "sourced",
     "Brecorder 40236872 (2023): NTDC to K-Electric 1,000 MW firm, ~2,000 MW as available (press)",
     "forward = NTDC to KE at the 'as available' level; reverse (KE to NTDC) estimated at the firm level"),
    ("AC-MEPCO-LESCO", "MEPCO", "LESCO", 3000, 3000, "AC 500 kV", "estimated",
     "estimated: Multan-Yousafwala(Sahiwal)-Lahore 500 kV; no published limit",
     "NEPRA: Sahiwal cannot evacuate its full 1,300 MW (grid constraint)"),
    ("AC-MEPCO-FESCO", "MEPCO", "FESCO", 2500, 2500, "AC 500 kV", "estimated",
     "estimated: Multan-Gatti(Faisalabad) 500 kV; no published limit", ""),
    ("AC-FESCO-LESCO", "FESCO", "LESCO", 3000, 3000, "AC 500/220 kV", "estimated",
     "estimated: Gatti-Lahore/Sheikhupura; no published limit", "Sheikhupura and Gatti listed as overloaded"),
    ("AC-LESCO-GEPCO", "LESCO", "GEPCO", 3000, 3000, "AC 500/220 kV", "estimated",
     "estimated: Lahore-Gujranwala; no published limit", ""),
    ("AC-GEPCO-IESCO", "GEPCO", "IESCO", 3500, 3500, "AC 500 kV", "estimated",
     "estimated: Gujranwala-Rawat/Islamabad and Mangla evacuation; no published limit",
     "Rawat listed as overloaded"),
    ("AC-FESCO-IESCO", "FESCO", "IESCO", 2500, 2500, "AC 500 kV", "estimated",
     "estimated: Tarbela/Ghazi-Gatti and Chashma corridor; no published limit", ""),
    ("AC-IESCO-PESCO", "IESCO", "PESCO", 5000, 5000, "AC 500 kV", "estimated",
     "estimated: Tarbela/Ghazi Barotha and Suki Kinari/Neelum-Jhelum evacuation to the Islamabad node; "
     "no published limit", "large enough that northern hydro is never stranded in the reference year"),
]


def build_links() -> None:
    rows = [dict(link=lid, from_region=a, to_region=b, capacity_mw=float(f), capacity_reverse_mw=float(r),
                 loss_fraction=0.0, kind=k, status=s, source=src,
                 notes="; ".join(x for x in (n, "losses 0: NTDC losses (~2.6%) sit inside the demand, "
                                               "which is measured at generation") if x))
            for lid, a, b, f, r, k, s, src, n in LINKS]
    write("links.csv", rows, ["link", "from_region", "to_region", "capacity_mw", "capacity_reverse_mw",
                              "loss_fraction", "kind", "status", "source", "notes"])


# --------------------------------------------------------------------------- demand

def build_demand(shared: Path) -> None:
    gen = {r["month"]: r for r in read(shared, "pk_monthly_generation.csv")}
    rows = []
    for m in FY_MONTHS:
        r = gen[m]
        rows.append(dict(month=m, energy_gwh=float(r["generation_gwh"]), status=r["status"],
                         source=r["source"], notes=r["notes"]))
    write("demand_monthly.csv", rows, ["month", "energy_gwh", "status", "source", "notes"])
    season_months = {"summer_JunAug": "6 7 8", "shoulder": "3 4 5 9 10 11", "winter_DecFeb": "12 1 2"}
    shape = []
    for r in read(shared, "pk_load_shape.csv"):
        shape.append(dict(season=r["season"], months=season_months[r["season"]], hour=int(r["hour_local_PKT"]),
                          factor=float(r["factor_of_mean"]), status=r["status"], source=r["basis"]))
    write("load_shape.csv", shape, ["season", "months", "hour", "factor", "status", "source"])


def build_climate(shared: Path) -> None:
    rows = []
    for r in read(shared, "pk_city_climate.csv"):
        rows.append(dict(station=r["city"], lat=float(r["lat"]), lon=float(r["lon"]),
                         month=MONTH_NUM[r["month"]], mean_daily_max_c=float(r["mean_daily_max_c"]),
                         mean_daily_min_c=float(r["mean_daily_min_c"]), status=r["normals_status"],
                         source=r["normals_basis"]))
    write("climate.csv", rows, ["station", "lat", "lon", "month", "mean_daily_max_c", "mean_daily_min_c",
                                "status", "source"])


# --------------------------------------------------------------------------- profiles

# Jhimpir/Gharo wind: monthly capacity-factor shape (estimated), scaled below to FY25 energy.
WIND_SHAPE = {7: 0.45, 8: 0.40, 9: 0.28, 10: 0.12, 11: 0.10, 12: 0.10, 1: 0.11, 2: 0.13,
              3: 0.17, 4: 0.22, 5: 0.33, 6: 0.42}
WIND_MW = 1845.0
WIND_GWH_FY25 = 3840.0  # derived: 3.02% x 127,159 GWh (pk_system_totals.csv)
# Clear-sky index for utility PV: share of clear-sky output reached on average (estimated).
SOLAR_INDEX = {1: 0.78, 2: 0.80, 3: 0.82, 4: 0.83, 5: 0.83, 6: 0.78, 7: 0.66, 8: 0.66, 9: 0.76,
               10: 0.80, 11: 0.78, 12: 0.74}


def build_monthly_factors() -> None:
    hours = {m: _hours_in_month(m) for m in range(1, 13)}
    shape_gwh = sum(WIND_SHAPE[m] * WIND_MW * hours[m] for m in range(1, 13)) / 1000
    k = WIND_GWH_FY25 / shape_gwh
    rows = []
    for m in range(1, 13):
        rows.append(dict(profile="wind", month=m, value=round(WIND_SHAPE[m] * k, 4), status="estimated",
                         source=(f"estimated: Jhimpir-Gharo monthly shape (monsoon May-Aug strong, "
                                 f"Oct-Feb weak; May-2024 anchor 445 GWh = CF 0.32, Profit 2024-06-20) "
                                 f"scaled by {k:.3f} to FY25 wind 3,840 GWh on 1,845 MW (derived: "
                                 f"3.02% x 127,159 GWh)")))
    for m in range(1, 13):
        rows.append(dict(profile="solar", month=m, value=SOLAR_INDEX[m], status="estimated",
                         source="estimated: clear-sky index for utility PV in Punjab (haze in winter, "
                                "monsoon cloud Jul-Aug); verify against measured PV output"))
    for m in range(1, 13):
        on = m in (11, 12, 1, 2, 3)
        rows.append(dict(profile="bagasse", month=m, value=0.85 if on else 0.0, status="sourced",
                         source="bagasse plants run in the cane-crushing season Nov-Mar "
                                "(pk_fuel_costs.csv, SOURCES.md §3.2); 0.85 available in season "
                                "(estimated, as other thermal plant)"))
    rows += nuclear_monthly(hours)
    write("monthly_factors.csv", rows, ["profile", "month", "value", "status", "source"])


NUCLEAR_MW = 3530.0
NUCLEAR_GWH_FY25 = 22456.0  # derived: 17.66% x 127,159 GWh
NUCLEAR_KNOWN = {  # month: (GWh, status, source)
    12: (2065.0, "sourced", "Dec 2024 nuclear 2,065 GWh, 26.5% (AHL via Brecorder, pk_monthly_generation.csv)"),
    2: (0.266 * 6945.0, "derived", "Feb 2025 nuclear 26.6% x 6,945 GWh (Daily Times 1276355)"),
    6: (1383.0, "sourced", "Jun 2025 nuclear 1,383 GWh (AHL via Profit 2025-07-19)"),
}


def nuclear_monthly(hours: dict[int, int]) -> list[dict]:
    known_gwh = sum(v[0] for v in NUCLEAR_KNOWN.values())
    other_hours = sum(h for m, h in hours.items() if m not in NUCLEAR_KNOWN)
    rest = (NUCLEAR_GWH_FY25 - known_gwh) * 1000 / (NUCLEAR_MW * other_hours)
    rows = []
    for m in range(1, 13):
        if m in NUCLEAR_KNOWN:
            gwh, status, src = NUCLEAR_KNOWN[m]
            value = gwh * 1000 / (NUCLEAR_MW * hours[m])
            src = f"{status}: {src} / (3,530 MW x {hours[m]} h)"
        else:
            value, status = rest, "derived"
            src = (f"derived: FY25 nuclear 22,456 GWh (17.66% x 127,159) less the three known months "
                   f"({known_gwh:,.0f} GWh), spread evenly over the other nine months")
        rows.append(dict(profile="nuclear", month=m, value=round(value, 4), status=status, source=src))
    return rows


def _hours_in_month(m: int) -> int:
    days = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
    return days[m] * 24  # FY2024-25: Feb 2025 has 28 days


GEN_FY25 = 127159.0
FUEL_LIMITS = [
    # fuel, kind, FY25 share %, why
    ("gas_local", "cap", 8.82,
     "local gas for power is rationed (falling domestic output, households first; SOURCES.md §5.3 "
     "'LNG and local-gas fuel limits'), so the fleet cannot run on merit alone"),
    ("coal_local", "cap", 12.23,
     "Thar ran 'at the equivalent of about 2.5 of 4 plants because coal supply and evacuation were "
     "short' (NEPRA SOIR 2024 via Dawn, SOURCES.md §1.2)"),
]
RLNG_FLOOR_NOTE = (
    "the 2015-policy RLNG plants run on take-or-pay LNG and are 'frequently part-loaded' "
    "(pk_power_plants.csv); the power sector's contracted LNG volume is not in the stored sources, "
    "so the FY25 RLNG generation stands for it. Monthly, not yearly: LNG is stored only in the "
    "regasification ships' tanks (days of supply), so cargoes are burned about as they arrive. "
    "Delete these rows for a least-cost dispatch without the contract"
)


def fuel_limits() -> list[dict]:
    rows = []
    hours = {m: _hours_in_month(int(m[5:])) for m in FY_MONTHS}
    for fuel, kind, share, why in FUEL_LIMITS:
        total = share / 100 * GEN_FY25
        for m in FY_MONTHS:
            rows.append(dict(
                fuel=fuel, month=m, energy_gwh=round(total * hours[m] / 8760, 1), kind=kind,
                status="derived",
                source=(f"derived (calibration): FY25 {fuel} generation {share}% x 127,159 GWh = "
                        f"{total:,.0f} GWh (Topline) taken as the fuel available to power, spread "
                        "over months by hours (monthly allocation not in the stored sources)"),
                notes=why))
    total = 0.1748 * GEN_FY25
    for m in FY_MONTHS:
        rows.append(dict(
            fuel="rlng", month=m, energy_gwh=round(total * hours[m] / 8760, 1), kind="floor",
            status="derived",
            source="derived (calibration): FY25 RLNG generation 17.48% x 127,159 GWh = 22,227 GWh "
                   "(Topline) taken as the take-or-pay RLNG the power sector burned, spread over "
                   "months by hours",
            notes=RLNG_FLOOR_NOTE))
    return rows


def build_budgets(shared: Path) -> None:
    rows = []
    for r in read(shared, "pk_hydro_monthly.csv"):
        if r["month"] not in MONTHS:
            continue
        month = FY_MONTHS[MONTHS.index(r["month"])]
        rows.append(dict(fuel="hydro", month=month, energy_gwh=float(r["national_hydel_gwh_fy25"]),
                         kind="water", status=r["national_hydel_status"].split(" ")[0],
                         source=f"national hydel FY2024-25: {r['national_hydel_status']} "
                                "(pk_hydro_monthly.csv; FY total 39,977 vs published 39,979 GWh)",
                         notes="spread over hydro plants in the merit pool by capacity"))
    rows += fuel_limits()
    write("energy_budgets.csv", rows, ["fuel", "month", "energy_gwh", "kind", "status", "source", "notes"])


def build_reference_mix(shared: Path) -> None:
    rows = []
    for r in read(shared, "pk_system_totals.csv"):
        if r["metric"].startswith("generation_share_") and r["period"] == "FY2024-25":
            group = r["metric"].removeprefix("generation_share_")
            group = {"solar_bagasse_other": "other"}.get(group, group)
            rows.append(dict(mix_group=group, share_pct=float(r["value"]), status=r["status"],
                             source=f"{r['source']} ({r['notes'] or r['period']})"))
    write("reference_mix.csv", rows, ["mix_group", "share_pct", "status", "source"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" / "pakistan")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    build_regions(args.shared)
    shares = {r["region"]: float(r["demand_share"]) for r in csv.DictReader(open(OUT / "regions.csv"))}
    build_fuels()
    build_plants(args.shared, shares)
    build_links()
    build_demand(args.shared)
    build_climate(args.shared)
    build_monthly_factors()
    build_budgets(args.shared)
    build_reference_mix(args.shared)


if __name__ == "__main__":
    main()
