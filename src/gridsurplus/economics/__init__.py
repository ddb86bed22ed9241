"""The economics layer: what one MWh is worth to a Bitcoin miner and to an AI data centre.

Modules, each one idea (nothing heavy is imported until used):

- :mod:`~gridsurplus.economics.bitcoin`: block subsidy and halvings, hashprice, revenue and
  break-even per MWh, the fleet's own effect on difficulty.
- :mod:`~gridsurplus.economics.asics`: the ASIC catalogue (user-extendable) and per-machine
  economics.
- :mod:`~gridsurplus.economics.heat`: hashrate derating and cooling overhead against ambient
  temperature, per cooling design.
- :mod:`~gridsurplus.economics.datacenter`: GPU rental value per MWh, PUE against temperature,
  Uptime tiers, capex per MW.
- :mod:`~gridsurplus.economics.finance`: annuities, NPV, IRR, payback, levelising, currency.
- :mod:`~gridsurplus.economics.tariffs`: flat and time-of-use tariffs per region, PKR/kWh or
  USD/MWh.
- :mod:`~gridsurplus.economics.markets`: the dataset's ``markets`` table as yearly paths
  (BTC price, difficulty, fees, GPU-hour price) and the hashprice path with the halvings.
- :mod:`~gridsurplus.economics.values`: :func:`compute_values`, the value per MWh and the
  availability of every compute technology in every region and hour, for the siting model.
- :mod:`~gridsurplus.economics.business`: the yearly business case of one technology in one
  region under a tariff.
"""

from __future__ import annotations

from typing import Any

_LAZY = {
    "compute_values": "gridsurplus.economics.values",
    "values_frame": "gridsurplus.economics.values",
    "hashprice": "gridsurplus.economics.bitcoin",
    "business_case": "gridsurplus.economics.business",
    "Tariff": "gridsurplus.economics.tariffs",
    "EconomicsInputError": "gridsurplus.economics.errors",
    "UnknownAsicError": "gridsurplus.economics.errors",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'gridsurplus.economics' has no attribute '{name}'")


__all__ = list(_LAZY)
