"""Bad input on the command line and in the Python API: answered before any solve.

Each class of bad input is made inside its test. On the command line: exit status 2, one
message per problem naming where and what, nothing written, no traceback (unless --debug).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from gridsurplus.cli import app
from gridsurplus.cli.common import check_output_folder, write_atomically, write_file_atomically
from gridsurplus.dataset import load_dataset
from gridsurplus.dataset.tariff_file import TariffFileError
from gridsurplus.economics.tariffs import Tariff
from gridsurplus.planning import PlanError
from gridsurplus.planning.arguments import plan_arguments

runner = CliRunner()
SRC = Path(__file__).resolve().parents[1] / "src"


def refused(result, *messages: str) -> None:
    """Exit status 2, each message said, and no traceback."""
    assert result.exit_code == 2, result.output
    for message in messages:
        assert message in result.output, result.output
    assert "Traceback" not in result.output


def hidden(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


# --- the output place, checked before anything is loaded or solved ---------------------------


@pytest.mark.parametrize("command", ["plan", "surplus"])
def test_an_output_folder_that_is_a_file_is_refused_first(command, tmp_path) -> None:
    out = tmp_path / "plan"
    out.write_text("not a folder")
    result = runner.invoke(
        app, [command, "--dataset", str(tmp_path / "nowhere"), "--out", str(out)]
    )
    refused(result, f"--out {out} is a file")
    assert out.read_text() == "not a folder"
    assert hidden(tmp_path) == []


def test_an_output_folder_under_a_file_is_refused(tmp_path) -> None:
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "plan"
    result = runner.invoke(app, ["plan", "--out", str(out)])
    refused(result, "is a file, so the folder cannot be made there")


def test_an_output_folder_holding_other_files_is_refused(tmp_path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    result = runner.invoke(app, ["surplus", "--out", str(out)])
    refused(result, "holds other files (thesis.tex)")
    assert (out / "thesis.tex").read_text() == "precious"


def test_the_export_file_place_is_checked_first(tmp_path) -> None:
    result = runner.invoke(app, ["export-pypsa", "--out", str(tmp_path)])
    refused(result, "is a folder; give a file name")


def test_a_rewrite_replaces_the_whole_folder(tmp_path) -> None:
    out = tmp_path / "plan"
    out.mkdir()
    (out / "plan.json").write_text("{}")
    (out / "report.html").write_text("old report")

    def write(folder: Path) -> None:
        (folder / "plan.json").write_text('{"new": true}')

    check_output_folder(out)  # an earlier output may be replaced
    write_atomically(out, write)
    assert sorted(p.name for p in out.iterdir()) == ["plan.json"]
    assert json.loads((out / "plan.json").read_text()) == {"new": True}
    assert hidden(tmp_path) == []


def test_a_failed_write_keeps_the_old_folder_and_leaves_no_temporary(tmp_path) -> None:
    out = tmp_path / "plan"
    out.mkdir()
    (out / "plan.json").write_text("old")

    def write(folder: Path) -> None:
        (folder / "plan.json").write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(out, write)
    assert (out / "plan.json").read_text() == "old"
    assert hidden(tmp_path) == []


def test_a_failed_file_write_leaves_the_old_file_and_no_temporary(tmp_path) -> None:
    out = tmp_path / "x.nc"
    out.write_text("old")

    def write(path: Path) -> None:
        path.write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_file_atomically(out, write)
    assert out.read_text() == "old"
    assert hidden(tmp_path) == []
    write_file_atomically(out, lambda path: path.write_text("new"))
    assert out.read_text() == "new" and hidden(tmp_path) == []


# --- dates: ISO 8601 only, windows checked against the dataset ---------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "01/03/2025"], "--start '01/03/2025' is not an ISO 8601 date"),
        (["--end", "3 Jan 2025"], "--end '3 Jan 2025' is not an ISO 8601 date"),
        (["--start", "2025-02-30"], "--start '2025-02-30' is not a real date"),
        (["--start", "2025-03-02", "--end", "2025-03-01"], "is before --start"),
        (["--start", "2030-01-01"], "holds no hour of FY2024-25"),
    ],
)
def test_dates_are_iso_and_inside_the_year(toy_dataset, tmp_path, args, message) -> None:
    out = tmp_path / "x.nc"
    result = runner.invoke(
        app, ["export-pypsa", "--dataset", str(toy_dataset), "--out", str(out), "-q", *args]
    )
    refused(result, message)
    assert not out.exists()
    assert "solving" not in result.output


# --- tariff files: every problem named by its row, before any solve -----------------------


def test_a_bad_tariff_file_names_every_row(toy_with_compute, tmp_path) -> None:
    tariff = tmp_path / "tou.csv"
    tariff.write_text(
        "region,months,hours,rate,unit\n"
        "*,all,all,23,PKR/kWh\n"
        "*,all,17-25,30,PKR/kWh\n"
        "ATLANTIS,all,all,30,PKR/kWh\n"
        "*,1,all,0.1,EUR/kWh\n"
    )
    out = tmp_path / "plan"
    result = runner.invoke(
        app,
        ["plan", "--dataset", str(toy_with_compute), "--tariff-file", str(tariff),
         "--out", str(out)],
    )  # fmt: skip
    refused(result, "tou.csv, row 2", "tou.csv, row 3", "tou.csv, row 4", "ATLANTIS", "EUR")
    assert "solving" not in result.output
    assert not out.exists() and hidden(tmp_path) == []


def test_debug_shows_the_traceback(toy_with_compute, tmp_path) -> None:
    tariff = tmp_path / "tou.csv"
    tariff.write_text("region,months,hours,rate,unit\n*,all,all,23,EUR/kWh\n")
    args = ["plan", "--dataset", str(toy_with_compute), "--tariff-file", str(tariff), "-q"]
    args += ["--out", str(tmp_path / "p")]
    quiet = runner.invoke(app, args)
    refused(quiet, "EUR")
    loud = runner.invoke(app, ["--debug", *args])
    assert isinstance(loud.exception, TariffFileError)


def test_options_with_no_choice_are_bad_input(toy_with_compute, tmp_path) -> None:
    base = ["plan", "--dataset", str(toy_with_compute), "--out", str(tmp_path / "p"), "-q"]
    refused(runner.invoke(app, [*base, "--techs", "btc_aír"]), "did you mean 'btc_air'?")
    refused(runner.invoke(app, [*base, "--sensitivity", "bogus"]), "--sensitivity must be")
    assert not (tmp_path / "p").exists()


# --- the Python API: its own errors, and the obvious forms accepted -----------------------


def test_the_api_refuses_bad_arguments_with_its_own_error(toy_with_compute) -> None:
    import gridsurplus as gs

    ds = load_dataset(toy_with_compute)
    with pytest.raises(PlanError, match="sensitivity must be one of fixed, free, off, got 'bogus'"):
        gs.plan(ds, sensitivity="bogus")
    with pytest.raises(PlanError, match="unknown compute technology 'btc_aer'.*'btc_air'"):
        gs.plan(ds, techs="btc_aer")
    with pytest.raises(PlanError, match="unknown plan option 'sensitivty'.*'sensitivity'"):
        gs.plan(ds, sensitivty="off")
    with pytest.raises(PlanError, match="ds must be a Dataset or a dataset folder"):
        gs.plan(42)
    with pytest.raises(PlanError, match="tariff must be a Tariff"):
        gs.plan(ds, tariff=[23])
    with pytest.raises(PlanError, match="programme_mw must be a number >= 0"):
        gs.plan(ds, programme_mw="lots")
    with pytest.raises(PlanError, match="markets must be a dict"):
        gs.plan(ds, markets="btc_price_usd=1")


def test_the_api_accepts_a_path_a_number_and_a_string(toy_with_compute) -> None:
    ds, opts = plan_arguments(
        str(toy_with_compute), None, {"tariff": 23, "techs": "btc_air, btc_hydro"}
    )
    assert ds.name == "Toy"
    assert opts.techs == ["btc_air", "btc_hydro"]
    assert isinstance(opts.tariff, Tariff)
    assert opts.tariff.unit == "PKR/kWh" and opts.tariff.base_rate == 23
    _, one = plan_arguments(ds, None, {"techs": "btc_air"})
    assert one.techs == ["btc_air"]


# --- stdout carries the JSON alone; a re-run never mixes two runs' files ------------------


def test_plan_json_is_alone_on_stdout_and_replaces_the_old_run(toy_with_compute, tmp_path) -> None:
    links = pd.read_csv(toy_with_compute / "links.csv")
    links["capacity_mw"] = 0.0  # islanded: Port sheds demand, so the command warns
    links.to_csv(toy_with_compute / "links.csv", index=False)
    plants = pd.read_csv(toy_with_compute / "plants.csv")
    plants.loc[plants["plant"] == "P-GAS", "capacity_mw"] = 100.0
    plants.to_csv(toy_with_compute / "plants.csv", index=False)
    out = tmp_path / "plan"
    out.mkdir()
    (out / "plan.json").write_text("{}")
    (out / "report.html").write_text("an older run's report")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-m", "gridsurplus.cli", "plan", "--dataset", str(toy_with_compute),
         "--out", str(out), "--sensitivity", "off", "--no-report", "--json", "--workers", "2"],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    headline = json.loads(done.stdout)  # nothing else on stdout: no solver banner
    assert headline["base_unserved_gwh"] > 0
    assert "warning: the grid cannot serve all its demand" in done.stderr
    assert "PORT:" in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["plan.json", "tables"]
    assert hidden(tmp_path) == []


def test_the_api_checks_the_window(toy_with_compute) -> None:
    ds = load_dataset(toy_with_compute)
    with pytest.raises(PlanError, match="'01/03/2025' is not an ISO 8601 date"):
        plan_arguments(ds, None, {"window": slice("01/03/2025", "2025-03-31")})
    with pytest.raises(PlanError, match="holds no hour of FY2024-25"):
        plan_arguments(ds, None, {"window": slice("2030-01-01", "2030-01-31")})
    _, opts = plan_arguments(ds, None, {"window": slice("2024-07-01", "2024-07-07")})
    assert opts.window == slice("2024-07-01", "2024-07-07")
