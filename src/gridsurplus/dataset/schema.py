"""The dataset format: one table per component, each column declared once.

A dataset is a folder with ``dataset.yaml`` and one CSV (or Parquet) file per table below.
Validation (:mod:`gridsurplus.dataset.validate`), defaults and the schema documentation
(:func:`schema_markdown`, ``gridsurplus dataset schema``) all come from these declarations,
the way PyPSA's ``component_attrs`` tables drive its components.

Money in the tables is in the dataset's own currency (``dataset.yaml: currency``) unless the
column name says ``usd``; it is converted to USD with ``exchange_rate`` when loaded. Energy and
power are MWh/GWh and MW; the column name carries the unit wherever it could be misread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

DType = Literal["str", "float", "int", "bool"]


class _Required:
    def __repr__(self) -> str:
        return "required"


REQUIRED: Any = _Required()
"""Marker for a column that has no default and must be present."""


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name : str
        Column name as it appears in the file header.
    dtype : {"str", "float", "int", "bool"}
        Type of the values.
    unit : str
        Unit of the values ("" when dimensionless or text).
    description : str
        What the column means.
    default : Any
        Value used when the column or a cell is missing; :data:`REQUIRED` if none.
    min, max : float, optional
        Inclusive bounds for numbers.
    choices : tuple of str, optional
        Allowed values for text.
    references : str, optional
        ``"table.column"`` that every value must appear in (a foreign key).
    """

    name: str
    dtype: DType
    unit: str = ""
    description: str = ""
    default: Any = REQUIRED
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None
    references: str | None = None

    @property
    def required(self) -> bool:
        """Whether the column must be present in the file."""
        return self.default is REQUIRED

    def expectation(self) -> str:
        """Describe in words what a valid value looks like."""
        if self.dtype == "bool":
            return "true or false (also 1/0, yes/no)"
        if self.dtype in ("float", "int"):
            kind = "an integer" if self.dtype == "int" else "a number"
            if self.min is not None and self.max is not None:
                return f"{kind} between {self.min:g} and {self.max:g}"
            if self.min is not None:
                return f"{kind} >= {self.min:g}"
            if self.max is not None:
                return f"{kind} <= {self.max:g}"
            return kind
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        return "a non-empty text"


@dataclass(frozen=True)
class Table:
    """One component table of a dataset.

    Parameters
    ----------
    name : str
        File stem (``regions`` is read from ``regions.csv`` or ``regions.parquet``).
    description : str
        What one row is.
    columns : tuple of Column
        The declared columns; undeclared columns (sources, notes) are kept as they are.
    key : tuple of str
        Columns whose values together identify a row; duplicates are an error.
    required : bool
        Whether the dataset must have this table.
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    required: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        """Return the column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"table '{self.name}' has no column '{name}'")

    @property
    def column_names(self) -> list[str]:
        """Names of the declared columns, in order."""
        return [c.name for c in self.columns]


def _src(default: str = "") -> Column:
    return Column(
        "source",
        "str",
        description="Where the row's figures come from, or 'estimated: how'.",
        default=default,
    )


NOTES = Column("notes", "str", description="Free text.", default="")

PROFILES = ("flat", "hydro_ror", "hydro_reservoir", "wind", "solar", "monthly")
STATUSES = (
    "operating",
    "partly_retired",
    "standby",
    "uncertain",
    "ppa_terminated",
    "retired",
    "under_construction",
    "planned",
    "off_grid",
)

REGIONS = Table(
    "regions",
    "A node of the transport model: a distribution company's service area or a zone.",
    key=("region",),
    columns=(
        Column("region", "str", description="Region identifier (short, no spaces)."),
        Column("name", "str", description="Readable name.", default=""),
        Column(
            "lat", "float", "degrees north", "Latitude of the region's centre.", min=-90, max=90
        ),
        Column(
            "lon", "float", "degrees east", "Longitude of the region's centre.", min=-180, max=180
        ),
        Column(
            "climate_station",
            "str",
            description="Climate station whose temperatures stand for the region.",
            references="climate.station",
        ),
        Column(
            "demand_share",
            "float",
            "fraction",
            "Share of national demand energy served in the region (shares sum to 1).",
            default=float("nan"),
            min=0,
            max=1,
        ),
        Column(
            "max_mining_mw",
            "float",
            "MW",
            "Most Bitcoin-mining load the region can host (grid connection, land, permits).",
            default=0.0,
            min=0,
        ),
        Column(
            "max_ai_mw",
            "float",
            "MW",
            "Most AI data-centre load (facility power) the region can host.",
            default=0.0,
            min=0,
        ),
        _src(),
        NOTES,
    ),
)

FUELS = Table(
    "fuels",
    "Defaults and reporting group for each fuel; plants inherit what they leave blank.",
    key=("fuel",),
    columns=(
        Column("fuel", "str", description="Fuel identifier used by plants."),
        Column("label", "str", description="Readable name.", default=""),
        Column(
            "mix_group",
            "str",
            description="Group used to compare the generation mix with statistics "
            "(for example hydel, nuclear, rlng, coal_local).",
        ),
        Column(
            "marginal_cost_per_kwh",
            "float",
            "currency/kWh",
            "Default short-run marginal (fuel + variable) cost in the dataset currency.",
            min=0,
        ),
        Column(
            "availability",
            "float",
            "fraction",
            "Default share of capacity available on average (outages, derating).",
            min=0,
            max=1,
        ),
        Column(
            "must_run",
            "bool",
            description="Energy taken before any dispatchable plant (nuclear, run-of-river, "
            "wind, solar); curtailed only where the network cannot take it.",
            default=False,
        ),
        Column(
            "profile",
            "str",
            description="Which hourly availability profile drives the fuel's plants.",
            default="flat",
            choices=PROFILES,
        ),
        Column(
            "counts_for_reserve",
            "bool",
            description="Whether unused available capacity counts toward the operating reserve.",
            default=True,
        ),
        Column("color", "str", description="Colour for charts (CSS).", default="#888888"),
        _src(),
        NOTES,
    ),
)

PLANTS = Table(
    "plants",
    "A power plant (or an aggregate of small ones) with its status and costs.",
    key=("plant",),
    columns=(
        Column("plant", "str", description="Plant identifier."),
        Column("name", "str", description="Readable name.", default=""),
        Column(
            "region",
            "str",
            description="Region where it injects power.",
            references="regions.region",
        ),
        Column("fuel", "str", description="Fuel (see fuels).", references="fuels.fuel"),
        Column("capacity_mw", "float", "MW", "Installed (net) capacity.", min=0),
        Column(
            "status",
            "str",
            description="Operating status; only 'operating', 'partly_retired', 'standby' and "
            "'uncertain' plants in the merit pool generate.",
            default="operating",
            choices=STATUSES,
        ),
        Column(
            "in_merit_pool",
            "bool",
            description="Whether the plant is dispatched by the system operator in the "
            "reference year.",
            default=True,
        ),
        Column(
            "marginal_cost_per_kwh",
            "float",
            "currency/kWh",
            "Short-run marginal cost; blank takes the fuel's.",
            default=float("nan"),
            min=0,
        ),
        Column(
            "availability",
            "float",
            "fraction",
            "Average available share of capacity; blank takes the fuel's.",
            default=float("nan"),
            min=0,
            max=1,
        ),
        Column(
            "profile",
            "str",
            description="Availability profile; blank takes the fuel's.",
            default="",
            choices=PROFILES + ("",),
        ),
        Column(
            "lat",
            "float",
            "degrees north",
            "Plant latitude (solar profile).",
            default=float("nan"),
            min=-90,
            max=90,
        ),
        Column(
            "lon",
            "float",
            "degrees east",
            "Plant longitude.",
            default=float("nan"),
            min=-180,
            max=180,
        ),
        Column(
            "cost_source",
            "str",
            description="Where the marginal cost comes from.",
            default="",
        ),
        _src(),
        Column("confidence", "str", description="high / medium / low.", default=""),
        NOTES,
    ),
)

LINKS = Table(
    "links",
    "A transmission corridor between two regions in a transport (net transfer) model.",
    key=("link",),
    columns=(
        Column("link", "str", description="Link identifier."),
        Column("from_region", "str", description="One end.", references="regions.region"),
        Column("to_region", "str", description="The other end.", references="regions.region"),
        Column(
            "capacity_mw", "float", "MW", "Transfer limit from 'from_region' to 'to_region'.", min=0
        ),
        Column(
            "capacity_reverse_mw",
            "float",
            "MW",
            "Transfer limit in the other direction; blank means the same.",
            default=float("nan"),
            min=0,
        ),
        Column(
            "loss_fraction",
            "float",
            "fraction",
            "Share of the sent power lost on the way.",
            default=0.0,
            min=0,
            max=0.5,
        ),
        Column("kind", "str", description="HVDC, AC, ...", default=""),
        Column("status", "str", description="sourced / derived / estimated.", default=""),
        _src(),
        NOTES,
    ),
)

CLIMATE = Table(
    "climate",
    "Monthly temperature normals of a climate station.",
    key=("station", "month"),
    columns=(
        Column("station", "str", description="Station name."),
        Column("lat", "float", "degrees north", "Station latitude.", min=-90, max=90),
        Column("lon", "float", "degrees east", "Station longitude.", min=-180, max=180),
        Column("month", "int", "1-12", "Calendar month.", min=1, max=12),
        Column(
            "mean_daily_max_c", "float", "degC", "Mean daily maximum temperature.", min=-60, max=60
        ),
        Column(
            "mean_daily_min_c", "float", "degC", "Mean daily minimum temperature.", min=-70, max=50
        ),
        Column("status", "str", description="sourced / derived / estimated.", default=""),
        _src(),
    ),
)

DEMAND_MONTHLY = Table(
    "demand_monthly",
    "National energy to serve per month of the reference year (measured at generation).",
    key=("month",),
    required=False,
    columns=(
        Column("month", "str", "YYYY-MM", "Month of the reference year."),
        Column(
            "energy_gwh", "float", "GWh", "Energy generated to serve demand in the month.", min=0
        ),
        Column("status", "str", description="sourced / derived / estimated.", default=""),
        _src(),
        NOTES,
    ),
)

LOAD_SHAPE = Table(
    "load_shape",
    "Normalised 24-hour demand shape of a season (mean 1), applied to every day of its months.",
    key=("season", "hour"),
    required=False,
    columns=(
        Column("season", "str", description="Season name."),
        Column(
            "months",
            "str",
            "1-12 list",
            "Calendar months the season covers, e.g. '6 7 8' (same on every row of a season).",
        ),
        Column("hour", "int", "h (local)", "Hour of the day, local time.", min=0, max=23),
        Column(
            "factor", "float", "fraction of mean", "Load in this hour over the day's mean.", min=0
        ),
        Column("status", "str", description="sourced / derived / estimated.", default=""),
        _src(),
    ),
)

MONTHLY_FACTORS = Table(
    "monthly_factors",
    "Monthly factors that shape availability profiles (wind capacity factor, solar clear-sky "
    "index, the monthly availability of fuels with a 'monthly' profile).",
    key=("profile", "month"),
    columns=(
        Column(
            "profile",
            "str",
            description="'wind', 'solar', or the id of a fuel whose profile is 'monthly'.",
        ),
        Column("month", "int", "1-12", "Calendar month.", min=1, max=12),
        Column(
            "value",
            "float",
            "fraction",
            "wind: capacity factor; solar: clear-sky index; a fuel: its available share that "
            "month.",
            min=0,
            max=1,
        ),
        Column("status", "str", description="sourced / derived / estimated.", default=""),
        _src(),
    ),
)

ENERGY_BUDGETS = Table(
    "energy_budgets",
    "Energy of a fuel across all its plants over a month or the year: hydro water releases, a "
    "fuel-supply cap, or a take-or-pay floor.",
    key=("fuel", "month", "kind"),
    required=False,
    columns=(
        Column("fuel", "str", description="Fuel the budget applies to.", references="fuels.fuel"),
        Column(
            "month",
            "str",
            "YYYY-MM or 'year'",
            "Month of the reference year, or 'year' for the whole reference year.",
        ),
        Column("energy_gwh", "float", "GWh", "Energy of the fuel's plants in the period.", min=0),
        Column(
            "kind",
            "str",
            description="'water': hydro releases (all 12 months), spread over the plants by "
            "capacity (run-of-river follows them hour by hour, reservoirs may shift them within "
            "the month); 'cap': at most this energy (fuel supply); 'floor': at least this "
            "energy (a take-or-pay contract).",
            choices=("water", "cap", "floor"),
        ),
        Column("status", "str", description="sourced / derived / estimated.", default=""),
        _src(),
        NOTES,
    ),
)

REFERENCE_MIX = Table(
    "reference_mix",
    "Published generation mix of the reference year, to check the base dispatch against.",
    key=("mix_group",),
    required=False,
    columns=(
        Column("mix_group", "str", description="Group, as in fuels.mix_group."),
        Column("share_pct", "float", "%", "Share of the year's generation.", min=0, max=100),
        Column("status", "str", description="sourced / derived / estimated.", default=""),
        _src(),
    ),
)

COMPUTE_TECHS = Table(
    "compute_techs",
    "A compute technology that can be sited: a Bitcoin-mining fleet or an AI data centre.",
    key=("tech",),
    required=False,
    columns=(
        Column("tech", "str", description="Technology identifier."),
        Column("kind", "str", description="mining or ai.", choices=("mining", "ai")),
        Column("label", "str", description="Readable name.", default=""),
        Column(
            "model",
            "str",
            description="ASIC model (mining, from the ASIC catalogue) or GPU system (ai).",
        ),
        Column(
            "cooling",
            "str",
            description="Cooling design: air, hydro, immersion (mining); air, liquid (ai).",
            choices=("air", "hydro", "immersion", "liquid"),
        ),
        Column(
            "efficiency_j_per_th",
            "float",
            "J/TH",
            "Mining: ASIC efficiency (W per TH/s); blank takes the ASIC catalogue's figure for "
            "'model'. Plausible range 5-200.",
            default=float("nan"),
            min=0,
        ),
        Column(
            "kw_per_gpu",
            "float",
            "kW",
            "AI: IT power per GPU including its server and network share (DGX H100: 1.275); "
            "blank takes the figure of the GPU system named in 'model'.",
            default=float("nan"),
            min=0,
        ),
        Column(
            "utilisation",
            "float",
            "fraction",
            "AI: share of hours the GPUs are rented (the power is drawn in every hour).",
            default=1.0,
            min=0,
            max=1,
        ),
        Column(
            "capex_facility_usd_per_mw",
            "float",
            "USD/MW",
            "Site and facility cost per MW of grid connection.",
            min=0,
        ),
        Column(
            "capex_it_usd_per_mw",
            "float",
            "USD/MW",
            "Machines (ASICs or GPU servers) per MW of grid connection.",
            min=0,
        ),
        Column("life_facility_years", "float", "years", "Economic life of the facility.", min=1),
        Column("life_it_years", "float", "years", "Economic life of the machines.", min=1),
        Column(
            "fixed_om_usd_per_mw_year",
            "float",
            "USD/MW/yr",
            "Fixed operation and maintenance (staff, hosting, insurance).",
            default=0.0,
            min=0,
        ),
        Column(
            "uptime",
            "float",
            "fraction",
            "Share of its available hours an AI site must run at full power (tier); "
            "0 for interruptible mining.",
            default=0.0,
            min=0,
            max=1,
        ),
        _src(),
        NOTES,
    ),
)

MARKETS = Table(
    "markets",
    "Market inputs for compute values, one row per quantity and year of the plan horizon.",
    key=("quantity", "year"),
    required=False,
    columns=(
        Column(
            "quantity",
            "str",
            description="plan_start_year [year], btc_price_usd [USD/BTC], btc_price_growth, "
            "difficulty [T or plain], network_hashrate_growth, fee_share [fraction of block "
            "reward] or fees_btc_per_block [BTC], pool_fee, gpu_hour_usd [USD/GPU-h; "
            "gpu_hour_usd:<tech> for one tech], gpu_hour_usd_growth, discount_rate, tariff_flat "
            "[CUR/kWh]; growth and rates in fraction/yr (see gridsurplus.economics.markets).",
        ),
        Column("year", "int", "calendar year", "Year the value applies to.", min=2000, max=2100),
        Column("value", "float", "see unit", "The value."),
        Column("unit", "str", description="Unit of the value.", default=""),
        Column(
            "status", "str", description="sourced / derived / estimated / scenario.", default=""
        ),
        _src(),
        NOTES,
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        REGIONS,
        FUELS,
        PLANTS,
        LINKS,
        CLIMATE,
        DEMAND_MONTHLY,
        LOAD_SHAPE,
        MONTHLY_FACTORS,
        ENERGY_BUDGETS,
        REFERENCE_MIX,
        COMPUTE_TECHS,
        MARKETS,
    )
}
"""Every table a dataset may hold, by file stem."""

DEMAND_HOURLY_NAME = "demand_hourly"
"""Optional hourly demand table: a ``timestamp`` column and one MW column per region."""

META_FIELDS: dict[str, tuple[str, str]] = {
    "name": ("required", "Dataset name."),
    "reference_year": ("required", "Label and first day of the modelled year: {label, start}."),
    "timezone": ("optional", "IANA zone of the timestamps (default UTC)."),
    "currency": ("required", "Currency of money columns, e.g. PKR."),
    "exchange_rate": ("required", "Units of the currency per USD."),
    "voll_usd_per_mwh": ("optional", "Value of lost load (default 10,000 USD/MWh)."),
    "reserve": ("optional", "Operating reserve: {mw, share_of_load} (default 0)."),
    "capacity_payments": (
        "optional",
        "Yearly fixed capacity payments: {amount, currency, source}.",
    ),
    "sources": ("optional", "List of {key, title, url} the tables cite."),
}
"""Fields of ``dataset.yaml``: whether required, and what they mean."""


def schema_markdown() -> str:
    """Render the whole schema as Markdown (the dataset format reference).

    Returns
    -------
    str
        One section per table with a column table (name, type, unit, default, description).
    """
    out = [
        "# Dataset format",
        "",
        "A dataset is a folder: `dataset.yaml` plus one table per "
        "component (`NAME.csv` or `NAME.parquet`).",
        "",
        "## dataset.yaml",
        "",
        "| field | | meaning |",
        "|---|---|---|",
    ]
    out += [f"| `{k}` | {req} | {desc} |" for k, (req, desc) in META_FIELDS.items()]
    for table in TABLES.values():
        req = "required" if table.required else "optional"
        out += ["", f"## {table.name} ({req})", "", table.description, ""]
        if table.key:
            out += [f"Key: {', '.join(table.key)}.", ""]
        out += ["| column | type | unit | default | description |", "|---|---|---|---|---|"]
        for c in table.columns:
            default = "required" if c.required else repr(c.default)
            desc = c.description
            if c.references:
                desc += f" Must match `{c.references}`."
            out.append(f"| `{c.name}` | {c.dtype} | {c.unit} | {default} | {desc} |")
    out += [
        "",
        f"## {DEMAND_HOURLY_NAME} (optional)",
        "",
        "Hourly demand instead of `demand_monthly` + `load_shape`: a `timestamp` column "
        "(every hour of the reference year, local time) and one column per region in MW.",
    ]
    return "\n".join(out) + "\n"
