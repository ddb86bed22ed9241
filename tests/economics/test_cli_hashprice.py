from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from gridsurplus.cli import app

runner = CliRunner()
BASE = ["hashprice", "--btc-price", "100000", "--difficulty", "100T", "--block-height", "900000"]
# 1e15 * 86400 * 3.125 / (1e14 * 2**32) = 6.28643e-4 BTC/PH/day -> 62.8643 USD/PH/day
HASHPRICE = 1e15 * 86400 * 3.125 / (100e12 * 2**32) * 100_000


def run(*args: str):
    return runner.invoke(app, [*BASE, *args])


def test_json_hashprice_by_hand():
    result = run("--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["usd_per_ph_day"] == pytest.approx(HASHPRICE)
    assert out["btc_per_ph_day"] == pytest.approx(HASHPRICE / 100_000)
    assert out["subsidy_btc"] == 3.125
    assert out["block_height_estimated"] is False


def test_plain_and_t_suffix_difficulty_agree():
    plain = runner.invoke(
        app, ["hashprice", "--btc-price", "1", "--difficulty", "1.1057e14", "--json"]
    )
    suffix = runner.invoke(
        app, ["hashprice", "--btc-price", "1", "--difficulty", "110.57T", "--json"]
    )
    assert json.loads(plain.output)["usd_per_ph_day"] == json.loads(suffix.output)["usd_per_ph_day"]


def test_fees_as_btc_or_share():
    by_btc = json.loads(run("--fees-btc", "0.125", "--json").output)
    # 0.125 / (3.125 + 0.125) = 3.846 % of the reward
    by_share = json.loads(run("--fee-share", "3.846153846%", "--json").output)
    assert by_btc["usd_per_ph_day"] == pytest.approx(HASHPRICE * 3.25 / 3.125)
    assert by_share["usd_per_ph_day"] == pytest.approx(by_btc["usd_per_ph_day"])


def test_asic_revenue_breakeven_and_margin():
    out = json.loads(run("--asic", "Antminer S21 XP", "--power-price", "0.08", "--json").output)
    revenue = HASHPRICE / (0.024 * 13.5)  # 194.03 USD/MWh
    assert out["revenue_usd_per_mwh"] == pytest.approx(revenue)
    assert out["breakeven_usd_per_kwh"] == pytest.approx(revenue / 1000)
    assert out["margin_usd_per_mwh"] == pytest.approx(revenue - 80)
    with_fee = json.loads(run("--asic", "s21xp", "--pool-fee", "0.02", "--json").output)
    assert with_fee["revenue_usd_per_mwh"] == pytest.approx(revenue * 0.98)
    assert with_fee["margin_usd_per_mwh"] is None


def test_every_asic_and_a_custom_one():
    out = json.loads(run("--asic", "all", "--json").output)
    assert len(out["asics"]) == 20
    assert all(
        a["breakeven_usd_per_kwh"] * 1000 == pytest.approx(a["revenue_usd_per_mwh"])
        for a in out["asics"]
    )
    custom = json.loads(run("--efficiency", "20", "--json").output)
    assert custom["revenue_usd_per_mwh"] == pytest.approx(HASHPRICE / 0.48)
    text = run("--asic", "all", "--power-price", "0.08")
    assert "Antminer S21 XP" in text.output
    assert "break-even USD/kWh" in text.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["hashprice", "--btc-price", "-5", "--difficulty", "100T"],
            "BTC price must be above zero",
        ),
        (["hashprice", "--btc-price", "5", "--difficulty", "0"], "difficulty must be above zero"),
        (["hashprice", "--btc-price", "5", "--difficulty", "148.26"], "did you mean 148.26T"),
        (["hashprice", "--btc-price", "5", "--difficulty", "lots"], "cannot read difficulty"),
        ([*BASE, "--asic", "S99"], "unknown ASIC model"),
        ([*BASE, "--efficiency", "0.0135"], "J/GH or W/GH"),
        ([*BASE, "--fee-share", "0.1", "--fees-btc", "0.1"], "not both"),
        ([*BASE, "--asic", "S21", "--power-price", "80"], "USD per kWh"),
        ([*BASE, "--power-price", "0.08"], "needs a machine"),
        ([*BASE, "--fee-share", "abc"], "cannot read 'abc' as a share"),
    ],
)
def test_impossible_input_is_one_clear_line(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_help_says_what_every_option_means_and_its_unit():
    result = runner.invoke(app, ["hashprice", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for needle in (
        "USD per BTC",
        "T suffix",
        "BTC per block",
        "share of the whole block reward",
        "in blocks",
        "J/TH",
        "USD per kWh",
        "as a fraction",
        "hashrate_THs (TH/s)",
        "JSON",
        "per PH/s per day",
    ):
        assert needle in text, needle


def test_hashprice_imports_nothing_heavy():
    code = (
        "import sys; from gridsurplus.cli import app; before = set(sys.modules); "
        "from typer.testing import CliRunner; "
        "r = CliRunner().invoke(app, ['hashprice', '--btc-price', '9e4', '--difficulty', '148T', "
        "'--asic', 'all', '--power-price', '0.08']); assert r.exit_code == 0, r.output; "
        "new = {m.split('.')[0] for m in set(sys.modules) - before}; "
        "print(sorted(new & {'linopy', 'plotly', 'xarray', 'scipy', 'highspy', 'pvlib'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
