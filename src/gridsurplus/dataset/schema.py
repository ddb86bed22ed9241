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

DType = Literal["str", "float", "int", "bool", "date", "timezone", "currency"]


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
    dtype : {"str", "float", "int", "bool", "date", "timezone", "currency"}
        Type of the values (``date``: ISO 8601 ``YYYY-MM-DD``; ``timezone``: an IANA zone
        name; ``currency``: a three-letter ISO 4217 code).
    unit : str
        Unit of the values ("" when dimensionless or text).
    description : str
        What the column means.
    default : Any
        Value used when the column or a cell is missing; :data:`REQUIRED` if none.
    min, max : float, optional
        Bounds of the plausible range for numbers (inclusive; ``min`` exclusive when
        ``above_min`` is set).
    choices : tuple of str, optional
        Allowed values for text.
    references : str, optional
        ``"table.column"`` that every value must appear in (a foreign key).
    above_min : bool
        Whether ``min`` itself is impossible (an exchange rate of 0).
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
    above_min: bool = False

    @property
    def required(self) -> bool:
        """Whether the column must be present in the file."""
        return self.default is REQUIRED

    def expectation(self) -> str:
        """Describe in words what a valid value looks like."""
        if self.dtype == "bool":
            return "true or false (also 1/0, yes/no)"
        if self.dtype == "date":
            years = f" in {self.min:g}-{self.max:g}" if self.min and self.max else ""
            return f"a date YYYY-MM-DD{years}"
        if self.dtype == "timezone":
            return "an IANA time zone such as 'Asia/Karachi' or 'UTC'"
        if self.dtype == "currency":
            return "a three-letter currency code such as 'PKR' or 'USD'"
        if self.dtype in ("float", "int"):
            kind = "an integer" if self.dtype == "int" else "a number"
            low = ">" if self.above_min else ">="
            if self.min is not None and self.max is not None and not self.above_min:
                return f"{kind} between {self.min:g} and {self.max:g}"
            if self.min is not None and self.max is not None:
                return f"{kind} {low} {self.min:g} and <= {self.max:g}"
            if self.min is not None:
                return f"{kind} {low} {self.min:g}"
            if self.max is not None:
                return f"{kind} <= {self.max:g}"
            return f"a finite {kind[2:] if kind.startswith('a ') else kind[3:]}"
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        return "a non-empty text" if self.required else "text"


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
        The declared columns; any other column is an error (a misspelt optional column
        would otherwise be ignored silently).
    key : tuple of str
        Columns whose values together identify a row; duplicates are an error.
    required : bool
        Whether the dataset must have this table.
    min_rows : int
        Fewest data rows the table may have (0: a header alone is valid, as an empty
        ``links`` table is for a one-region grid).
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    required: bool = True
    min_rows: int = 0
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

# Plausible upper bounds: far above any real grid, far below a slip of the keyboard (1e300).
MAX_PLANT_MW = 50_000.0
"""Largest plant or aggregate [MW] (Three Gorges, the largest plant, is 22,500 MW)."""
MAX_LINK_MW = 100_000.0
"""Largest transfer limit of one corridor [MW]."""
MAX_REGION_MW = 100_000.0
"""Largest compute load one region may host [MW]."""
MAX_MONTH_GWH = 2_000_000.0
"""Largest energy of one month [GWh] (China's whole grid serves about 800,000 GWh a month)."""
MAX_COST_PER_KWH = 100_000.0
"""Largest marginal cost [currency/kWh] (100,000 covers every currency's units)."""
MAX_CAPEX_USD_PER_MW = 1e9
"""Largest cost per MW of a compute site [USD/MW] (AI sites cost about 3e7 USD/MW)."""
MAX_DEMAND_MW = 2_000_000.0
"""Largest hourly demand of one region [MW] (in ``demand_hourly``)."""

PROFILES = ("flat", "hydro_ror", "hydro_reservoir", "wind", "solar", "monthly")
DEFAULT_VOLL_USD_PER_MWH = 10_000.0
"""Value of lost load when ``dataset.yaml`` gives none [USD/MWh]."""
GENERATING_STATUSES = ("operating", "partly_retired", "standby", "uncertain")
"""Plant statuses that generate in the reference year (with ``in_merit_pool``)."""
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
    min_rows=1,
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
            max=MAX_REGION_MW,
        ),
        Column(
            "max_ai_mw",
            "float",
            "MW",
            "Most AI data-centre load (facility power) the region can host.",
            default=0.0,
            min=0,
            max=MAX_REGION_MW,
        ),
        _src(),
        NOTES,
    ),
)

FUELS = Table(
    "fuels",
    "Defaults and reporting group for each fuel; plants inherit what they leave blank.",
    key=("fuel",),
    min_rows=1,
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
            max=MAX_COST_PER_KWH,
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
        Column(
            "import_share",
            "float",
            "fraction",
            "Share of the fuel's cost paid abroad (RLNG and imported coal: 1); the extra fuel "
            "burned to serve compute costs foreign exchange in this share (net foreign "
            "exchange, gridsurplus.economics.forex).",
            default=0.0,
            min=0,
            max=1,
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
    min_rows=1,
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
        Column(
            "capacity_mw",
            "float",
            "MW",
            "Installed (net) capacity (the largest plant on Earth, Three Gorges, is 22,500 MW).",
            min=0,
            max=MAX_PLANT_MW,
        ),
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
            max=MAX_COST_PER_KWH,
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
            "capacity_mw",
            "float",
            "MW",
            "Transfer limit from 'from_region' to 'to_region'.",
            min=0,
            max=MAX_LINK_MW,
        ),
        Column(
            "capacity_reverse_mw",
            "float",
            "MW",
            "Transfer limit in the other direction; blank means the same.",
            default=float("nan"),
            min=0,
            max=MAX_LINK_MW,
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
            "energy_gwh",
            "float",
            "GWh",
            "Energy generated to serve demand in the month.",
            min=0,
            max=MAX_MONTH_GWH,
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
            "factor",
            "float",
            "fraction of mean",
            "Load in this hour over the day's mean (at most 24: the whole day in one hour).",
            min=0,
            max=24,
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
        Column(
            "energy_gwh",
            "float",
            "GWh",
            "Energy of the fuel's plants in the period.",
            min=0,
            max=12 * MAX_MONTH_GWH,
        ),
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
            "'model'. Plausible range 5-200 (a figure in W/GH or the wrong unit is caught with "
            "a hint by gridsurplus.economics).",
            default=float("nan"),
            min=0,
            max=10_000,
            above_min=True,
        ),
        Column(
            "kw_per_gpu",
            "float",
            "kW",
            "AI: IT power per GPU including its server and network share (DGX H100: 1.275); "
            "blank takes the figure of the GPU system named in 'model' (a figure in W is caught "
            "with a hint by gridsurplus.economics).",
            default=float("nan"),
            min=0,
            max=10_000,
            above_min=True,
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
            max=MAX_CAPEX_USD_PER_MW,
        ),
        Column(
            "capex_it_usd_per_mw",
            "float",
            "USD/MW",
            "Machines (ASICs or GPU servers) per MW of grid connection.",
            min=0,
            max=MAX_CAPEX_USD_PER_MW,
        ),
        Column(
            "life_facility_years",
            "float",
            "years",
            "Economic life of the facility.",
            min=1,
            max=100,
        ),
        Column("life_it_years", "float", "years", "Economic life of the machines.", min=1, max=100),
        Column(
            "fixed_om_usd_per_mw_year",
            "float",
            "USD/MW/yr",
            "Fixed operation and maintenance (staff, hosting, insurance).",
            default=0.0,
            min=0,
            max=MAX_CAPEX_USD_PER_MW,
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
        Column(
            "import_share_it",
            "float",
            "fraction",
            "Share of the machines' capex (ASICs, GPU servers) imported; paid abroad as an "
            "annuity in the net foreign-exchange account.",
            default=0.0,
            min=0,
            max=1,
        ),
        Column(
            "import_share_facility",
            "float",
            "fraction",
            "Share of the facility's capex imported (switchgear, cooling, UPS); paid abroad as "
            "an annuity.",
            default=0.0,
            min=0,
            max=1,
        ),
        Column(
            "foreign_ownership_share",
            "float",
            "fraction",
            "Share of the operators' profit owned abroad (repatriated in the net "
            "foreign-exchange account).",
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
            "gpu_hour_usd:<tech> for one tech], gpu_hour_usd_growth, discount_rate [real cost of "
            "capital; discount_rate:<kind> or discount_rate:<tech> for one kind of investor or "
            "tech], tariff_flat [CUR/kWh], ai_market_mw_it [MW of IT load the AI market would "
            "rent from the country, a national cap on AI builds]; growth and rates in "
            "fraction/yr (see gridsurplus.economics.markets).",
        ),
        Column("year", "int", "calendar year", "Year the value applies to.", min=2000, max=2100),
        Column(
            "value",
            "float",
            "see unit",
            "The value (finite; each quantity's own range is checked where it is used, "
            "gridsurplus.economics.markets).",
        ),
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


def _text(name: str, description: str, default: Any = "") -> Column:
    return Column(name, "str", description=description, default=default)


META = Table(
    "dataset.yaml",
    "The dataset's scalars. A dotted name is a field inside a group (`reserve.mw` is "
    "`reserve: {mw: ...}`); `sources.*` are the fields of each item of the list `sources`. "
    "Free text fields named `source`, `note`, `*_source` or `*_note` may be added anywhere.",
    columns=(
        Column("name", "str", description="Dataset name."),
        _text("description", "What the dataset covers."),
        Column(
            "reference_year.start",
            "date",
            "",
            "First day of the modelled year.",
            min=1990,
            max=2100,
        ),
        _text("reference_year.label", "Label of the year, e.g. FY2024-25 (default: the start)."),
        _text("reference_year.source", "Why this year."),
        Column(
            "timezone",
            "timezone",
            description="IANA zone of the timestamps (local clock of the grid).",
            default="UTC",
        ),
        Column("currency", "currency", description="Currency of money columns, e.g. PKR."),
        Column(
            "exchange_rate",
            "float",
            "currency/USD",
            "Units of the dataset currency per USD (281 for PKR in 2025).",
            min=0,
            max=1e7,
            above_min=True,
        ),
        Column(
            "voll_usd_per_mwh",
            "float",
            "USD/MWh",
            "Value of lost load: the price of shedding demand, far above any compute value.",
            default=DEFAULT_VOLL_USD_PER_MWH,
            min=0,
            max=1e6,
            above_min=True,
        ),
        Column(
            "reserve.mw",
            "float",
            "MW",
            "Operating reserve held on plants in every hour (e.g. the largest unit, N-1).",
            default=0.0,
            min=0,
            max=MAX_LINK_MW,
        ),
        Column(
            "reserve.share_of_load",
            "float",
            "fraction",
            "Extra reserve as a share of the hour's demand.",
            default=0.0,
            min=0,
            max=0.5,
        ),
        Column(
            "capacity_payments.amount",
            "float",
            "currency/yr",
            "Fixed capacity payments of the reference year (what compute helps recover).",
            default=float("nan"),
            min=0,
            max=1e17,
        ),
        Column(
            "capacity_payments.currency",
            "currency",
            description="Currency of the amount: the dataset's currency or USD "
            "(default: the dataset's).",
            default="",
        ),
        _text("capacity_payments.year", "Year the amount is for."),
        Column(
            "programme_mw",
            "float",
            "MW",
            "National cap on all compute built (default 2,000).",
            default=2000.0,
            min=0,
            max=MAX_REGION_MW,
        ),
        Column(
            "hydro.reservoir_min_share",
            "float",
            "fraction",
            "Share of a reservoir's average monthly flow that passes the turbines every hour.",
            default=0.0,
            min=0,
            max=1,
        ),
        Column(
            "profiles.wind_diurnal_amplitude",
            "float",
            "fraction",
            "Amplitude of the daily wind cycle around the month's mean.",
            default=0.0,
            min=0,
            max=1,
        ),
        Column(
            "profiles.wind_peak_hour",
            "float",
            "h (local)",
            "Hour of the day when wind peaks.",
            default=15.0,
            min=0,
            max=23,
        ),
        Column(
            "profiles.solar_tilt_deg",
            "float",
            "degrees",
            "Tilt of the fixed south-facing PV plane.",
            default=25.0,
            min=0,
            max=90,
        ),
        Column(
            "profiles.solar_performance_ratio",
            "float",
            "fraction",
            "PV output over the clear-sky irradiance on the plane (soiling, heat, inverters).",
            default=0.8,
            min=0,
            max=1,
            above_min=True,
        ),
        Column("sources.key", "str", description="Key the tables' source columns cite."),
        _text("sources.title", "Title of the source."),
        _text("sources.url", "Where to find it."),
    ),
)
"""Every field of ``dataset.yaml``: type, unit, plausible range, default and meaning."""

META_GROUPS = ("reference_year", "reserve", "capacity_payments", "hydro", "profiles")
"""Fields of ``dataset.yaml`` that are mappings of the dotted fields of :data:`META`."""

META_LISTS = ("sources",)
"""Fields of ``dataset.yaml`` that are lists of mappings."""

FREE_TEXT_SUFFIXES = ("_source", "_note", "_notes")
"""Suffixes of free-text fields ``dataset.yaml`` may carry anywhere (``voll_source``)."""


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
        META.description,
        "",
    ]
    out += _column_rows(META, "field")
    for table in TABLES.values():
        req = "required" if table.required else "optional"
        out += ["", f"## {table.name} ({req})", "", table.description, ""]
        if table.key:
            out += [f"Key: {', '.join(table.key)}.", ""]
        if table.min_rows:
            out += [f"At least {table.min_rows} row.", ""]
        out += _column_rows(table, "column")
    out += [
        "",
        f"## {DEMAND_HOURLY_NAME} (optional)",
        "",
        "Hourly demand instead of `demand_monthly` + `load_shape`: a `timestamp` column "
        "(every hour of the reference year, local time) and one column per region in MW.",
    ]
    return "\n".join(out) + "\n"


def _column_rows(table: Table, what: str) -> list[str]:
    rows = [
        f"| {what} | type | unit | default | valid values | description |",
        "|---|---|---|---|---|---|",
    ]
    for c in table.columns:
        default = "required" if c.required else repr(c.default)
        desc = c.description
        if c.references:
            desc += f" Must match `{c.references}`."
        rows.append(
            f"| `{c.name}` | {c.dtype} | {c.unit} | {default} | {c.expectation()} | {desc} |"
        )
    return rows
