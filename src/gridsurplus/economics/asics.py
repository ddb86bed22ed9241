"""The ASIC catalogue and what each machine earns per MWh at a hashprice.

The catalogue is ``data/compute/asic_models.csv`` (nameplate specs at 25 C with their sources
and confidence, copied from the shared research). A user extends it with their own rows or CSV
(:func:`load_asic_catalogue`), which must carry ``model`` and either ``efficiency_J_per_TH`` or
``hashrate_THs`` and ``power_W``.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gridsurplus.dataset.reference import read_asic_models, read_user_table
from gridsurplus.economics.bitcoin import (
    breakeven_usd_per_kwh,
    check_efficiency_j_per_th,
    margin_usd_per_mwh,
    revenue_usd_per_mwh,
)
from gridsurplus.economics.errors import EconomicsInputError, UnknownAsicError

if TYPE_CHECKING:
    import pandas as pd

EFFICIENCY = "efficiency_J_per_TH"
_SPEC_TOLERANCE = 0.10
"""Largest gap allowed between the stated J/TH and power/hashrate [fraction]."""


def _key(name: str) -> str:
    """Normalise a model name for matching: lower case, parenthetical and punctuation dropped."""
    text = re.sub(r"\(.*?\)", "", str(name)).lower()
    return re.sub(r"[^a-z0-9+]", "", text)


def load_asic_catalogue(
    extra: pd.DataFrame | str | Path | list[dict[str, Any]] | None = None,
) -> pd.DataFrame:
    """Load the ASIC catalogue, optionally extended or overridden by the user's machines.

    Parameters
    ----------
    extra : pandas.DataFrame, str, pathlib.Path or list of dict, optional
        More machines: a frame, a CSV path or a list of rows with ``model`` and either
        ``efficiency_J_per_TH`` [J/TH] or ``hashrate_THs`` [TH/s] and ``power_W`` [W];
        ``cooling`` (air, hydro, immersion; default air) and ``sources`` are kept. A row whose
        model is already in the catalogue replaces it.

    Returns
    -------
    pandas.DataFrame
        One row per model, indexed by ``model``, with ``efficiency_J_per_TH`` filled in and a
        ``cooling_type`` column (air, hydro or immersion).

    Raises
    ------
    EconomicsInputError
        If a row has no usable efficiency, an efficiency outside 5-200 J/TH (the wrong unit),
        or a stated J/TH that disagrees with power/hashrate by more than 10 %.
    """
    import pandas as pd

    frames = [read_asic_models()]
    if extra is not None:
        if isinstance(extra, str | Path):
            try:
                frames.append(read_user_table(extra))
            except FileNotFoundError:
                raise EconomicsInputError(f"ASIC file {Path(extra)} does not exist") from None
        elif isinstance(extra, list):
            frames.append(pd.DataFrame(extra))
        else:
            frames.append(extra.reset_index() if "model" not in extra.columns else extra)
    cat = pd.concat(frames, ignore_index=True)
    if "model" not in cat.columns or cat["model"].isna().any():
        raise EconomicsInputError("every ASIC row needs a 'model' name")
    keys = cat["model"].map(_key)
    cat = cat.loc[~keys.duplicated(keep="last")].copy()
    for col in (EFFICIENCY, "hashrate_THs", "power_W"):
        if col not in cat.columns:
            cat[col] = float("nan")
        cat[col] = pd.to_numeric(cat[col], errors="coerce")
    implied = cat["power_W"] / cat["hashrate_THs"]
    cat[EFFICIENCY] = cat[EFFICIENCY].fillna(implied)
    for model, eff, imp in zip(cat["model"], cat[EFFICIENCY], implied, strict=True):
        if eff != eff:
            raise EconomicsInputError(
                f"ASIC '{model}' has no efficiency: give efficiency_J_per_TH, or hashrate_THs "
                "and power_W"
            )
        check_efficiency_j_per_th(eff, f"efficiency of ASIC '{model}'")
        if imp == imp and abs(imp / eff - 1) > _SPEC_TOLERANCE:
            raise EconomicsInputError(
                f"ASIC '{model}': {eff:g} J/TH disagrees with power/hashrate = {imp:.1f} J/TH; "
                "check the units (W and TH/s)"
            )
    cooling = cat["cooling"] if "cooling" in cat.columns else pd.Series("air", index=cat.index)
    cat["cooling_type"] = cooling.fillna("air").astype(str).map(_cooling_type)
    return cat.set_index("model")


def _cooling_type(text: str) -> str:
    low = text.lower()
    for kind in ("immersion", "hydro", "air"):
        if kind in low:
            return kind
    if "water" in low or "liquid" in low:
        return "hydro"
    raise EconomicsInputError(f"unknown ASIC cooling {text!r}: use air, hydro or immersion")


def find_asic(name: str, catalogue: pd.DataFrame | None = None) -> pd.Series:
    """Find a machine by name, forgiving case, spaces and the maker's prefix.

    Parameters
    ----------
    name : str
        Model name, e.g. ``"Antminer S21 XP"``, ``"s21xp"`` or ``"S21 XP"``.
    catalogue : pandas.DataFrame, optional
        From :func:`load_asic_catalogue`; the packaged one by default.

    Returns
    -------
    pandas.Series
        The machine's row (``name`` is the catalogue's model name).

    Raises
    ------
    UnknownAsicError
        If no model matches; the message lists the closest names.

    Examples
    --------
    >>> find_asic("s21 xp")[EFFICIENCY]
    np.float64(13.5)
    >>> find_asic("S99")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gridsurplus.economics.errors.UnknownAsicError: unknown ASIC model 'S99'; closest: ...
    """
    cat = load_asic_catalogue() if catalogue is None else catalogue
    wanted = _key(name)
    keys = {_key(m): m for m in cat.index}
    for m in cat.index:  # also without the maker's prefix ("S21 XP" for "Antminer S21 XP")
        short = _key(str(m).split(" ", 1)[-1])
        keys.setdefault(short, m)
    if wanted in keys:
        return cat.loc[keys[wanted]]
    close = difflib.get_close_matches(str(name), list(cat.index), n=3, cutoff=0.0)
    raise UnknownAsicError(
        f"unknown ASIC model {name!r}; closest: {', '.join(close)} "
        "(see `gridsurplus hashprice --asic all` for the catalogue)"
    )


def asic_economics(
    j_per_th: float,
    hashprice_usd_per_ph_day: float,
    *,
    power_price_usd_per_kwh: float | None = None,
    pool_fee: float = 0.0,
) -> dict[str, float | None]:
    """Revenue per MWh, break-even power price and margin of a machine at a hashprice.

    Parameters
    ----------
    j_per_th : float
        Efficiency [J/TH].
    hashprice_usd_per_ph_day : float
        Hashprice [USD/(PH/s)/day].
    power_price_usd_per_kwh : float, optional
        Power price [USD/kWh]; the margin is ``None`` without it.
    pool_fee : float
        Pool fee [fraction].

    Returns
    -------
    dict
        ``efficiency_j_per_th``, ``revenue_usd_per_mwh``, ``breakeven_usd_per_kwh``,
        ``margin_usd_per_mwh`` (or None) and ``pool_fee``.
    """
    margin = (
        None
        if power_price_usd_per_kwh is None
        else margin_usd_per_mwh(
            hashprice_usd_per_ph_day, j_per_th, power_price_usd_per_kwh, pool_fee
        )
    )
    return {
        "efficiency_j_per_th": float(j_per_th),
        "pool_fee": float(pool_fee),
        "revenue_usd_per_mwh": revenue_usd_per_mwh(hashprice_usd_per_ph_day, j_per_th, pool_fee),
        "breakeven_usd_per_kwh": breakeven_usd_per_kwh(
            hashprice_usd_per_ph_day, j_per_th, pool_fee
        ),
        "margin_usd_per_mwh": margin,
    }


def breakeven_table(
    hashprice_usd_per_ph_day: float,
    *,
    power_price_usd_per_kwh: float | None = None,
    pool_fee: float = 0.0,
    catalogue: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every catalogue machine's revenue per MWh, break-even and margin at one hashprice.

    Parameters
    ----------
    hashprice_usd_per_ph_day : float
        Hashprice [USD/(PH/s)/day].
    power_price_usd_per_kwh : float, optional
        Power price for the margin [USD/kWh].
    pool_fee : float
        Pool fee [fraction].
    catalogue : pandas.DataFrame, optional
        From :func:`load_asic_catalogue`.

    Returns
    -------
    pandas.DataFrame
        Indexed by model, most efficient first, with ``cooling_type``, ``spec_confidence`` and
        the columns of :func:`asic_economics`.
    """
    import pandas as pd

    cat = load_asic_catalogue() if catalogue is None else catalogue
    rows = {
        model: asic_economics(
            row[EFFICIENCY],
            hashprice_usd_per_ph_day,
            power_price_usd_per_kwh=power_price_usd_per_kwh,
            pool_fee=pool_fee,
        )
        for model, row in cat.iterrows()
    }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "model"
    out.insert(0, "cooling_type", cat["cooling_type"])
    if "spec_confidence" in cat.columns:
        out.insert(1, "spec_confidence", cat["spec_confidence"])
    return out.sort_values("efficiency_j_per_th", kind="stable")
