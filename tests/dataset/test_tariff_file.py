"""Tariff files: read exactly, or refused with every problem named by row, column and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridsurplus.dataset import load_dataset
from gridsurplus.dataset.io import Dataset
from gridsurplus.dataset.tariff_file import TariffFileError, parse_span, read_tariff_file
from gridsurplus.economics.tariffs import ALL_MONTHS, Tariff, TariffBand
from gridsurplus.errors import DatasetError

HEADER = "region,months,hours,rate,unit\n"


@pytest.fixture
def toy(toy_dataset: Path) -> Dataset:
    return load_dataset(toy_dataset)


def _write(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "tou.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def _problems(path: Path, ds: Dataset) -> list[str]:
    with pytest.raises(TariffFileError) as info:
        read_tariff_file(path, ds)
    assert isinstance(info.value, DatasetError)  # the CLI's bad-input path catches it
    return [str(p) for p in info.value.problems]


def test_a_good_file_is_read_exactly(toy: Dataset, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "*,all,all,20,PKR/kWh\n*,all,18-22,30,PKR/kWh\nNORTH SOUTH,12 1 2,22-2,25,PKR/kWh\n",
    )
    tariff = read_tariff_file(path, toy)
    assert tariff == Tariff(
        20.0,
        "PKR/kWh",
        (
            TariffBand(30.0, ALL_MONTHS, frozenset({18, 19, 20, 21}), None),
            TariffBand(
                25.0,
                frozenset({12, 1, 2}),
                frozenset({22, 23, 0, 1}),
                frozenset({"NORTH", "SOUTH"}),
            ),
        ),
        "tou",
        str(path),
    )
    # 19:00 in July: 30 PKR/kWh = 30,000 / 280 USD/MWh; 23:00 in January in NORTH: 25
    usd = tariff.usd_per_mwh(["2024-07-01 19:00", "2025-01-05 23:00"], "NORTH", exchange_rate=280)
    assert usd.tolist() == pytest.approx([30_000 / 280, 25_000 / 280])


def test_a_usd_tariff_is_accepted(toy: Dataset, tmp_path: Path) -> None:
    tariff = read_tariff_file(_write(tmp_path, "*,all,all,80,USD/MWh\n"), toy)
    assert (tariff.base_rate, tariff.unit, tariff.bands) == (80.0, "USD/MWh", ())


def test_another_currency_is_an_error_not_a_conversion(toy: Dataset, tmp_path: Path) -> None:
    path = _write(tmp_path, "*,all,all,20,EUR/kWh\n")
    assert _problems(path, toy) == [
        "tou.csv, row 1 (line 2), column 'unit': the rate is in EUR, which this dataset cannot "
        "convert (it knows PKR per USD only): give the rate in PKR or USD"
    ]


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (
            "18-25",
            "25 is outside 0-24 (a range ends at 24 at the latest; write 22-2 across midnight), "
            "in '18-25'",
        ),
        ("24", "24 is outside 0-23, in '24'"),
        ("evening", "cannot read 'evening' as a number or a range a-b, in 'evening'"),
    ],
)
def test_hours_outside_the_day_are_an_error(
    toy: Dataset, tmp_path: Path, hours: str, message: str
) -> None:
    path = _write(tmp_path, f"*,all,all,20,PKR/kWh\n*,all,{hours},30,PKR/kWh\n")
    assert _problems(path, toy) == [
        f"tou.csv, row 2 (line 3), column 'hours': {message}: give hours 0-23, ranges a-b, or 'all'"
    ]


def test_unknown_region_names_the_closest(toy: Dataset, tmp_path: Path) -> None:
    path = _write(tmp_path, "*,all,all,20,PKR/kWh\nNORHT,all,18-22,30,PKR/kWh\n")
    assert _problems(path, toy) == [
        "tou.csv, row 2 (line 3), column 'region': unknown region 'NORHT' (did you mean "
        "'NORTH'?): use the dataset's regions (NORTH, SOUTH, PORT) or '*' for all"
    ]


def test_every_problem_of_the_file_at_once(toy: Dataset, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "*,all,all,20,PKR/kWh\n"
        "ATLANTIS,all,18-22,30,PKR/kWh\n"
        "*,13,all,30,PKR/kWh\n"
        "*,all,17-21,30,PKR/MWh\n"
        "*,all,3,lots,PKR/kWh\n"
        "*,all,all,25,PKR/kWh\n",
    )
    problems = _problems(path, toy)
    assert [p.split(":")[0] for p in problems] == [
        "tou.csv, row 2 (line 3), column 'region'",
        "tou.csv, row 3 (line 4), column 'months'",
        "tou.csv, row 4 (line 5), column 'unit'",
        "tou.csv, row 5 (line 6), column 'rate'",
        "tou.csv, row 6 (line 7)",
    ]
    assert "second base row" in problems[-1]
    assert "unit PKR/MWh differs from PKR/kWh (row 1)" in problems[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*,all,18-22,30,PKR/kWh\n", "tou.csv: no base rate: add a row '*,all,all,RATE,PKR/kWh'"),
        ("", "tou.csv: the table has no rows"),
        ("*,all,all,30000,PKR/kWh\n", "tou.csv, row 1 (line 2), column 'rate': a rate of 30000"),
    ],
)
def test_no_base_no_rows_or_an_absurd_rate(
    toy: Dataset, tmp_path: Path, text: str, expected: str
) -> None:
    (problem,) = _problems(_write(tmp_path, text), toy)
    assert problem.startswith(expected)


def test_misspelt_column_and_missing_file(toy: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "tou.csv"
    path.write_text("region,month,hours,rate,unit\n*,all,all,20,PKR/kWh\n")
    assert _problems(path, toy) == [
        "tou.csv, column 'month': unknown column 'month': did you mean 'months'? Rename the "
        "column; free text belongs in 'notes'"
    ]
    (missing,) = _problems(tmp_path / "none.csv", toy)
    assert missing.endswith("none.csv: no such file: give a CSV with columns region, months, "
                            "hours, rate, unit")  # fmt: skip


def test_parse_span_wraps_only_where_it_should() -> None:
    assert parse_span("all", 0, 23, end_exclusive=True) == frozenset(range(24))
    assert parse_span("0-24", 0, 23, end_exclusive=True) == frozenset(range(24))
    assert parse_span("11-2", 1, 12, end_exclusive=False) == frozenset({11, 12, 1, 2})
    with pytest.raises(ValueError, match="covers nothing"):
        parse_span("5-5", 0, 23, end_exclusive=True)
