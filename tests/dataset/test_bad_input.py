"""Every class of bad dataset input: exit code 2, one message per problem, no traceback.

Each test copies the toy dataset (or the embedded one), breaks one thing and runs
``gridsurplus dataset validate`` as a user would.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from bad_input import edit_table, edit_yaml, header_only, validate
from typer.testing import CliRunner

from gridsurplus.cli import app
from gridsurplus.dataset import load_dataset
from gridsurplus.dataset.checks import CHECKS, CheckContext, check_semantics
from gridsurplus.dataset.schema import META, TABLES
from gridsurplus.errors import DatasetError

# --- dataset.yaml: every scalar typed and range-checked ---------------------------------------


def test_misspelt_time_zone_names_the_zone_to_use(toy_dataset: Path) -> None:
    edit_yaml(toy_dataset, "timezone: Asia/Karachi", "timezone: Asia/Karachy")
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    assert problems == [
        "dataset.yaml, column 'timezone': unknown time zone 'Asia/Karachy' "
        "(did you mean 'Asia/Karachi'?)"
    ]


def test_time_zone_with_daylight_saving_is_refused_with_the_standard_zone(
    toy_dataset: Path,
) -> None:
    # the hourly profiles place 8,760 clock hours; a zone that shifts its clocks has a missing
    # and a repeated hour (solar profiles crashed on it)
    edit_yaml(toy_dataset, "timezone: Asia/Karachi", "timezone: Europe/Berlin")
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    assert problems == [
        "dataset.yaml, column 'timezone': time zone 'Europe/Berlin' changes its clocks within "
        "the reference year (on 2024-10-27); the dataset's hours are a clock without daylight "
        "saving: give the standard-time zone 'Etc/GMT-1' (UTC+01:00) and give hourly data in "
        "that clock"
    ]
    edit_yaml(toy_dataset, "timezone: Europe/Berlin", "timezone: Etc/GMT-1")
    assert validate(toy_dataset)[0] == 0


@pytest.mark.parametrize(
    ("old", "new", "field", "unit"),
    [
        ("reserve: {mw: 50}", "reserve: {mw: fifty}", "reserve.mw", "[MW]"),
        (
            "capacity_payments: {amount: 1000000000, currency: PKR}",
            "capacity_payments: {amount: Rs 1 billion, currency: PKR}",
            "capacity_payments.amount",
            "[currency/yr]",
        ),
    ],
)
def test_reserve_or_capacity_payment_given_as_text(
    toy_dataset: Path, old: str, new: str, field: str, unit: str
) -> None:
    edit_yaml(toy_dataset, old, new)
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    (problem,) = problems
    assert problem.startswith(f"dataset.yaml, column '{field}': expected a number between 0 and")
    assert unit in problem and ("'fifty'" in problem or "'Rs 1 billion'" in problem)


def test_reserve_given_as_a_number_instead_of_a_mapping(toy_dataset: Path) -> None:
    edit_yaml(toy_dataset, "reserve: {mw: 50}", "reserve: 50 MW")
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    assert problems == [
        "dataset.yaml, column 'reserve': reserve must be a mapping of fields, "
        "`reserve: {mw: ..., share_of_load: ...}`, got '50 MW'"
    ]


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (
            "2024-02-30",
            "'2024-02-30' is not a date of the calendar (day is out of range for month)",
        ),
        ("2024-13-01", "'2024-13-01' is not a date of the calendar (month must be in 1..12)"),
        ("01/07/2024", "expected a date YYYY-MM-DD (ISO 8601), got '01/07/2024'"),
        ("1066-07-01", "expected a year from 1990 to 2100, got '1066-07-01'"),
    ],
)
def test_impossible_reference_date(toy_dataset: Path, start: str, expected: str) -> None:
    edit_yaml(toy_dataset, "start: 2024-07-01", f"start: {start}")
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    assert problems == [f"dataset.yaml, column 'reference_year.start': {expected}"]


@pytest.mark.parametrize(("rate", "shown"), [("0", "'0'"), (".inf", "'inf'"), (".nan", "'nan'")])
def test_exchange_rate_zero_infinite_or_nan(toy_dataset: Path, rate: str, shown: str) -> None:
    edit_yaml(toy_dataset, "exchange_rate: 280", f"exchange_rate: {rate}")
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    assert problems == [
        "dataset.yaml, column 'exchange_rate': expected a number > 0 and <= 1e+07 "
        f"[currency/USD], got {shown}"
    ]


def test_misspelt_yaml_field_names_the_known_one(toy_dataset: Path) -> None:
    edit_yaml(toy_dataset, "voll_usd_per_mwh: 5000", "voll_usd_per_mhw: 5000")
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    (problem,) = problems
    assert problem.startswith(
        "dataset.yaml, column 'voll_usd_per_mhw': unknown field 'voll_usd_per_mhw' "
        "(did you mean 'voll_usd_per_mwh'?)"
    )


def test_capacity_payments_in_a_third_currency(toy_dataset: Path) -> None:
    edit_yaml(toy_dataset, "currency: PKR}", "currency: EUR}")
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    assert problems == [
        "dataset.yaml, column 'capacity_payments.currency': capacity payments in EUR cannot be "
        "converted: the dataset only knows the PKR/USD rate; give the amount in PKR or USD"
    ]


# --- tables: absurd magnitudes, impossible signs ----------------------------------------------


def test_absurd_and_negative_magnitudes_reported_together(toy_dataset: Path) -> None:
    edit_table(toy_dataset, "plants", lambda df: df.__setitem__("capacity_mw", ["400", "1e300", "700", "200", "150"]))  # fmt: skip
    edit_table(toy_dataset, "links", lambda df: df.__setitem__("capacity_mw", ["300", "-100"]))
    edit_table(toy_dataset, "demand_monthly", lambda df: df.__setitem__("energy_gwh", ["inf"] + ["600"] * 5 + ["450"] * 6))  # fmt: skip
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    assert problems == [
        "plants.csv, row 2 (line 3), 'N-GAS', column 'capacity_mw': "
        "expected a number between 0 and 50000 [MW], got '1e300'",
        "links.csv, row 2 (line 3), 'S-P', column 'capacity_mw': "
        "expected a number between 0 and 100000 [MW], got '-100'",
        "demand_monthly.csv, row 1 (line 2), '2024-07', column 'energy_gwh': "
        "expected a number between 0 and 2e+06 [GWh], got 'inf'",
    ]


# --- empty tables -----------------------------------------------------------------------------


def _one_region(folder: Path) -> None:
    edit_table(folder, "regions", lambda df: df.iloc[:1].assign(demand_share="1"))
    edit_table(folder, "plants", lambda df: df.assign(region="NORTH"))
    header_only(folder, "links")


def test_empty_links_table_is_valid_for_a_one_region_grid(toy_dataset: Path) -> None:
    _one_region(toy_dataset)
    code, problems, output = validate(toy_dataset)
    assert (code, problems) == (0, [])
    assert output.startswith("ok: Toy")
    ds = load_dataset(toy_dataset)
    assert ds.links.empty and list(ds.regions.index) == ["NORTH"]
    shown = CliRunner().invoke(app, ["dataset", "show", str(toy_dataset), "--json"])
    assert shown.exit_code == 0, shown.output
    assert '"links": []' in shown.output


@pytest.mark.parametrize("table", ["regions", "fuels", "plants"])
def test_empty_required_table_is_one_clear_error(toy_dataset: Path, table: str) -> None:
    header_only(toy_dataset, table)
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    assert problems == [
        f"{table}.csv: the table has no rows: add at least 1 below the header (one row is: "
        + TABLES[table].description[0].lower()
        + TABLES[table].description[1:]
        + ")"
    ]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ("links", None),  # islands are legitimate
        ("energy_budgets", None),  # hydro then runs at its availability
        (
            "monthly_factors",
            "monthly_factors.csv, column 'profile': no monthly factors for profile 'wind', which "
            "plant 'S-WIND' (and maybe others) follows: add 12 rows 'profile=wind, "
            "month=1..12, value=...'",
        ),
        (
            "climate",
            "climate.csv: the table has no rows, but regions.csv column 'climate_station' refers "
            "to Hyderabad, Islamabad, Karachi: add their rows to climate.csv",
        ),
        (
            "load_shape",
            "load_shape.csv, column 'months': months [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] are "
            "in no season: every month needs a shape",
        ),
        (
            "demand_monthly",
            "demand_monthly.csv, column 'month': the demand series does not cover the reference "
            "year: months ['2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', "
            "'2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'] are missing (the "
            "year runs 2024-07 to 2025-06)",
        ),
    ],
)
def test_header_only_tables_give_no_traceback(
    toy_dataset: Path, table: str, expected: str | None
) -> None:
    header_only(toy_dataset, table)
    code, problems, _ = validate(toy_dataset)
    if expected is None:
        assert (code, problems) == (0, [])
    else:
        assert (code, problems) == (2, [expected])


def test_a_file_with_nothing_in_it(toy_dataset: Path) -> None:
    (toy_dataset / "links.csv").write_text("")
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    assert problems == [
        "links.csv: the file is empty: write at least its header (link, from_region, to_region, "
        "capacity_mw, capacity_reverse_mw, loss_fraction, kind, status, source, notes)"
    ]


# --- unknown columns --------------------------------------------------------------------------


def test_misspelt_optional_column_names_the_closest_known(toy_dataset: Path) -> None:
    edit_table(toy_dataset, "links", lambda df: df.assign(capacity_reverse="50"))
    edit_table(toy_dataset, "plants", lambda df: df.rename(columns={"profile": "Profil"}))
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    assert problems == [
        "plants.csv, column 'Profil': unknown column 'Profil': did you mean 'profile'? "
        "Rename the column; free text belongs in 'notes'",
        "links.csv, column 'capacity_reverse': unknown column 'capacity_reverse': did you mean "
        "'capacity_reverse_mw'? Rename the column; free text belongs in 'notes'",
    ]


# --- all problems at once, before any solve ---------------------------------------------------


def test_every_problem_of_every_file_in_one_run(toy_dataset: Path) -> None:
    edit_yaml(toy_dataset, "timezone: Asia/Karachi", "timezone: Asia/Karachy")
    edit_yaml(toy_dataset, "exchange_rate: 280", "exchange_rate: 0")
    edit_table(toy_dataset, "plants", lambda df: df.__setitem__("capacity_mw", ["400", "1e300", "700", "200", "-1"]))  # fmt: skip
    edit_table(toy_dataset, "links", lambda df: df.assign(los_fraction="0.1"))
    header_only(toy_dataset, "regions")
    with pytest.raises(DatasetError) as info:
        load_dataset(toy_dataset)
    found = [(p.file, p.row, p.column) for p in info.value.problems]
    assert found == [
        ("dataset.yaml", None, "timezone"),
        ("dataset.yaml", None, "exchange_rate"),
        ("regions.csv", None, None),
        ("plants.csv", 2, "capacity_mw"),
        ("plants.csv", 5, "capacity_mw"),
        ("links.csv", None, "los_fraction"),
    ]
    code, problems, output = validate(toy_dataset)
    assert code == 2 and len(problems) == 6
    assert output.startswith("error: 6 problems in the dataset at ")


def test_bad_dataset_is_refused_before_any_solve(toy_with_compute: Path, tmp_path: Path) -> None:
    edit_yaml(toy_with_compute, "timezone: Asia/Karachi", "timezone: Mars/Olympus")
    out = tmp_path / "plan"
    result = CliRunner().invoke(
        app, ["plan", "--dataset", str(toy_with_compute), "--out", str(out), "-q", "--no-report"]
    )
    assert result.exit_code == 2
    assert "unknown time zone 'Mars/Olympus'" in result.output
    assert "Traceback" not in result.output and "solv" not in result.output.lower()
    assert not out.exists()


# --- the cross-row checks are small named functions -------------------------------------------


def test_cross_row_checks_are_named_functions_that_pass_on_the_toy(toy_dataset: Path) -> None:
    ds = load_dataset(toy_dataset)
    ctx = CheckContext(ds.tables, ds.files, ds.snapshots[0], ds.meta)
    assert len(CHECKS) >= 10
    for check in CHECKS:
        assert check.__doc__ and check.__name__ != "<lambda>"
        assert check(ctx) == [], check.__name__
    broken = dict(ds.tables)
    broken["links"] = ds.tables["links"].assign(to_region="SOUTH")
    problems = check_semantics(broken, ds.files, ds.snapshots[0])
    assert [(p.row, p.key) for p in problems] == [(1, "S-N"), (2, "S-P")]
    assert all("both ends are 'SOUTH'" in p.message for p in problems)


def test_hourly_demand_infinite_or_absurd(toy_dataset: Path) -> None:
    (toy_dataset / "demand_monthly.csv").unlink()
    (toy_dataset / "load_shape.csv").unlink()
    hours = pd.date_range("2024-07-01", "2025-06-30 23:00", freq="h")
    df = pd.DataFrame(
        {"timestamp": hours.strftime("%Y-%m-%dT%H:%M"), "NORTH": 600.0, "SOUTH": 300.0, "PORT": 1.0}
    )
    df["PORT"] = df["PORT"].astype(object)
    df.loc[5, "PORT"] = "inf"
    df.loc[6, "PORT"] = "1e300"
    df.to_csv(toy_dataset / "demand_hourly.csv", index=False)
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    assert problems == [
        f"demand_hourly.csv, row {r} (line {r + 1}), column 'PORT': expected a number between 0 "
        f"and 2e+06 [MW], got '{v}'"
        for r, v in ((6, "inf"), (7, "1e300"))
    ]


# --- the schema declares every field; the shipped datasets are clean --------------------------


def test_every_number_has_a_finite_plausible_range() -> None:
    for table in [*TABLES.values(), META]:
        for col in table.columns:
            if col.dtype in ("float", "int") and col.name != "value":
                assert col.min is not None and col.max is not None, (table.name, col.name)
                assert math.isfinite(col.max), (table.name, col.name)


def test_embedded_and_toy_datasets_validate_clean(toy_dataset: Path) -> None:
    for folder in (None, toy_dataset):
        args = ["dataset", "validate"] + ([str(folder)] if folder else [])
        if folder is None:
            from gridsurplus.dataset import default_dataset_path

            args.append(str(default_dataset_path()))
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("ok: ")


def test_show_on_a_bad_dataset_is_bad_input_too(toy_dataset: Path) -> None:
    edit_yaml(toy_dataset, "exchange_rate: 280", "exchange_rate: -280")
    result = CliRunner().invoke(app, ["dataset", "show", str(toy_dataset)])
    assert result.exit_code == 2
    assert "column 'exchange_rate': expected a number > 0" in result.output
    assert "Traceback" not in result.output


def test_cost_per_mwh_in_a_per_kwh_column(toy_dataset: Path) -> None:
    # 22,400 PKR/kWh at 280 PKR/USD is 80,000 USD/MWh: above the toy's value of lost load, the
    # plant would never run and demand would be shed instead
    edit_table(toy_dataset, "plants", lambda df: df.__setitem__("marginal_cost_per_kwh", ["", "", "", "", "22400"]))  # fmt: skip
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    assert problems == [
        "plants.csv, row 5 (line 6), 'P-GAS', column 'marginal_cost_per_kwh': a marginal cost "
        "of 22400 PKR/kWh is 80,000 USD/MWh, above the value of lost load (5,000 USD/MWh), so "
        "demand would be shed rather than served: give the cost per kWh (a price per MWh is "
        "1000 times too large)"
    ]


def test_season_without_load(toy_dataset: Path) -> None:
    def zero_cool(df: pd.DataFrame) -> None:
        df.loc[df["season"] == "cool", "factor"] = "0"

    edit_table(toy_dataset, "load_shape", zero_cool)
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    assert problems == [
        "load_shape.csv, 'cool', column 'factor': season 'cool' has no load in any hour (its "
        "factors add up to 0): give each hour its load over the day's mean (they average 1)"
    ]


def test_parquet_tables_are_checked_the_same_way(toy_dataset: Path) -> None:
    plants = pd.read_csv(toy_dataset / "plants.csv", keep_default_na=False)
    plants["capacity_mw"] = [400.0, 600.0, 700.0, 200.0, 1e300]
    plants.rename(columns={"profile": "profil"}).to_parquet(toy_dataset / "plants.parquet")
    (toy_dataset / "plants.csv").unlink()
    links = pd.read_csv(toy_dataset / "links.csv").iloc[:0]
    links.to_parquet(toy_dataset / "links.parquet")
    (toy_dataset / "links.csv").unlink()
    code, problems, _ = validate(toy_dataset)
    assert code == 2
    assert problems == [
        "plants.parquet, column 'profil': unknown column 'profil': did you mean 'profile'? "
        "Rename the column; free text belongs in 'notes'",
        "plants.parquet, row 5 (line 6), 'P-GAS', column 'capacity_mw': expected a number "
        "between 0 and 50000 [MW], got '1e+300'",
    ]


def test_foreign_exchange_shares_are_fractions(pakistan_copy: Path) -> None:
    def percent(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[frame["fuel"] == "rlng", "import_share"] = "100"
        return frame

    def ownership(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[frame["tech"] == "btc_air", "foreign_ownership_share"] = "-0.2"
        return frame

    edit_table(pakistan_copy, "fuels", percent)
    edit_table(pakistan_copy, "compute_techs", ownership)
    code, problems, _ = validate(pakistan_copy)
    assert code == 2
    assert len(problems) == 2
    assert problems[0].startswith("fuels.csv, row ")
    assert "column 'import_share'" in problems[0] and "between 0 and 1" in problems[0]
    assert problems[1].startswith("compute_techs.csv, row 1 (line 2), 'btc_air'")
    assert "column 'foreign_ownership_share'" in problems[1]
