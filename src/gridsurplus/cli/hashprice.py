"""``gridsurplus hashprice``: hashprice, and what an ASIC earns per MWh, from market inputs.

Imports only the light economics modules, so it answers at once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from gridsurplus.cli.app import app
from gridsurplus.cli.common import print_json, user_errors


def _share(text: str | None) -> float | None:
    """Read a share given as a fraction (0.0055) or a percentage (0.55%)."""
    from gridsurplus.economics.errors import EconomicsInputError

    if text is None:
        return None
    raw = text.strip()
    try:
        return float(raw[:-1]) / 100.0 if raw.endswith("%") else float(raw)
    except ValueError:
        raise EconomicsInputError(
            f"cannot read {text!r} as a share: give 0.0055 or 0.55%"
        ) from None


def _difficulty(text: str) -> float:
    from gridsurplus.economics.bitcoin import parse_difficulty
    from gridsurplus.economics.errors import EconomicsInputError

    value = parse_difficulty(text)
    if value < 1e9:
        raise EconomicsInputError(
            f"difficulty {text} is implausibly small for today's network: did you mean {text}T "
            "(trillions)?"
        )
    return value


ASIC_FILE_OPTION = typer.Option(
    None,
    "--asic-file",
    help="CSV of extra machines added to the catalogue: columns model and "
    "efficiency_J_per_TH (J/TH), or model, hashrate_THs (TH/s) and power_W (W).",
)


@app.command(
    "hashprice",
    help="Hashprice in USD and BTC per PH/s per day from BTC price, difficulty, block subsidy and "
    "fees; with a machine, its revenue per MWh, break-even power price and margin.\n\n"
    "hashprice = 1e15 x 86400 x (subsidy + fees) / (difficulty x 2^32) BTC per PH/s per day, "
    "times the BTC price. Revenue per MWh = hashprice / (0.024 x J/TH) x (1 - pool fee); "
    "break-even power price in USD/kWh = that / 1000; margin in USD/MWh = revenue - 1000 x "
    "power price.",
)
def hashprice_command(
    btc_price: float = typer.Option(
        ..., "--btc-price", help="Bitcoin price, in USD per BTC (e.g. 91132)."
    ),
    difficulty: str = typer.Option(
        ...,
        "--difficulty",
        help="Network difficulty (a pure number), plain (1.4826e14) or with a T suffix for "
        "trillions (148.26T).",
    ),
    fees_btc: float | None = typer.Option(
        None, "--fees-btc", help="Mean transaction fees per block, in BTC per block (e.g. 0.0169)."
    ),
    fee_share: str | None = typer.Option(
        None,
        "--fee-share",
        help="Fees as a share of the whole block reward, as a fraction or a percentage with % "
        "(0.0055 or 0.55%). Give this or --fees-btc, not both; neither means no fees.",
    ),
    block_height: int | None = typer.Option(
        None,
        "--block-height",
        help="Block height that sets the subsidy, in blocks (3.125 BTC from 840,000, 1.5625 BTC "
        "from 1,050,000). Default: today's height, estimated at 144 blocks a day from block "
        "840,000 (2024-04-20).",
    ),
    asic: str | None = typer.Option(
        None,
        "--asic",
        help="ASIC model from the catalogue (e.g. 'Antminer S21 XP' or 's21xp'), or 'all' for "
        "every model: adds its revenue in USD/MWh, break-even power price in USD/kWh and margin "
        "in USD/MWh.",
    ),
    efficiency: float | None = typer.Option(
        None,
        "--efficiency",
        help="Efficiency of a machine not in the catalogue, in J/TH (= W per TH/s), e.g. 13.5; "
        "instead of --asic.",
    ),
    power_price: float | None = typer.Option(
        None,
        "--power-price",
        help="Power price paid by the miner, in USD per kWh (e.g. 0.08); gives the margin.",
    ),
    pool_fee: float = typer.Option(
        0.0,
        "--pool-fee",
        help="Pool fee deducted from revenue, as a fraction (0.02 for 2 %). Default 0: gross, "
        "as Hashrate Index quotes break-evens.",
    ),
    asic_file: Path | None = ASIC_FILE_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of text."),
) -> None:
    """Print the hashprice and, with ``--asic``, what each machine earns per MWh (see help)."""
    from gridsurplus.economics import bitcoin
    from gridsurplus.economics.errors import EconomicsInputError

    with user_errors():
        estimated = block_height is None
        height = int(bitcoin.height_at(datetime.now(UTC))) if block_height is None else block_height
        hp = bitcoin.hashprice(
            btc_price,
            _difficulty(difficulty),
            fees_btc_per_block=fees_btc,
            fee_share=_share(fee_share),
            block_height=height,
        )
        out: dict[str, Any] = hp.to_dict()
        out["block_height_estimated"] = estimated
        if asic is not None and efficiency is not None:
            raise EconomicsInputError("give --asic or --efficiency, not both")
        if power_price is not None and asic is None and efficiency is None:
            raise EconomicsInputError(
                "--power-price needs a machine: add --asic MODEL or --efficiency J_PER_TH"
            )
        machines = _machines(asic, efficiency, asic_file)
        rows = []
        for model, j_per_th in machines:
            from gridsurplus.economics.asics import asic_economics

            row: dict[str, Any] = {"asic": model}
            row.update(
                asic_economics(
                    j_per_th,
                    hp.usd_per_ph_day,
                    power_price_usd_per_kwh=power_price,
                    pool_fee=pool_fee,
                )
            )
            row["power_price_usd_per_kwh"] = power_price
            rows.append(row)
        if asic is not None and asic.strip().lower() == "all":
            out["asics"] = rows
        elif rows:
            out.update(rows[0])
    if as_json:
        print_json(out)
        return
    typer.echo(_text(out, rows))


def _machines(
    asic: str | None, efficiency: float | None, asic_file: Path | None
) -> list[tuple[str, float]]:
    from gridsurplus.economics.bitcoin import check_efficiency_j_per_th

    if efficiency is not None:
        return [("custom", check_efficiency_j_per_th(efficiency))]
    if asic is None:
        return []
    from gridsurplus.economics.asics import EFFICIENCY, find_asic, load_asic_catalogue

    catalogue = load_asic_catalogue(asic_file)
    if asic.strip().lower() == "all":
        ordered = catalogue.sort_values(EFFICIENCY, kind="stable")
        return [(str(m), float(e)) for m, e in ordered[EFFICIENCY].items()]
    row = find_asic(asic, catalogue)
    return [(str(row.name), float(row[EFFICIENCY]))]


def _text(out: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    est = " (estimated from today's date)" if out["block_height_estimated"] else ""
    lines = [
        f"hashprice  {out['usd_per_ph_day']:.2f} USD/PH/s/day  "
        f"({out['btc_per_ph_day']:.8f} BTC/PH/s/day; {out['usd_per_th_day']:.4f} USD/TH/s/day)",
        f"  BTC price {out['btc_price_usd']:,.0f} USD; difficulty {out['difficulty'] / 1e12:.2f}T "
        f"(network {out['network_hashrate_eh_s']:,.0f} EH/s)",
        f"  block {out['block_height']:,}{est}: subsidy {out['subsidy_btc']:g} BTC + fees "
        f"{out['fees_btc_per_block']:.4f} BTC ({out['fee_share'] * 100:.2f} % of the reward)",
    ]
    if rows:
        lines.append("")
        lines.append(
            f"{'ASIC':<26} {'J/TH':>6} {'USD/MWh':>8} {'break-even USD/kWh':>19} "
            f"{'margin USD/MWh':>15}"
        )
        for r in rows:
            margin = "" if r["margin_usd_per_mwh"] is None else f"{r['margin_usd_per_mwh']:+.1f}"
            lines.append(
                f"{r['asic']:<26} {r['efficiency_j_per_th']:>6.1f} "
                f"{r['revenue_usd_per_mwh']:>8.1f} {r['breakeven_usd_per_kwh']:>19.4f} {margin:>15}"
            )
        pp = rows[0]["power_price_usd_per_kwh"]
        fee = rows[0]["pool_fee"]
        note = f"pool fee {fee * 100:g} %"
        if pp is not None:
            note += f"; margin at {pp:g} USD/kWh"
        lines.append(f"({note})")
    return "\n".join(lines)
