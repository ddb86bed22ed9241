"""The nation's account in foreign exchange: from gross revenue earned abroad to net.

Gross foreign exchange is what compute sells abroad in a year: the BTC mined, at its price, and
the AI services sold (a domestic sale counts too when it replaces a service bought abroad
today; ``abroad_share`` says how much of each technology's revenue is earned or saved in
foreign currency). Net foreign exchange takes off what flows back out because of that revenue::

    net = sum_k a_k R_k                                  (gross: revenue from abroad)
        - sum_f i_f dC_f                                 (imported fuel)
        - sum_k MW_k (h_it A(c_it, r_k, n_it) + h_fac A(c_fac, r_k, n_fac))  (hardware)
        - sum_k o_k max(P_k, 0)                          (profit repatriated)

* imported fuel: ``i_f`` the import share of fuel ``f`` (RLNG and imported coal are wholly
  imported in Pakistan) times ``dC_f``, the extra cost of that fuel burned to serve
  compute [USD/yr] (a fuel burned less counts negative);
* imported hardware: the import shares ``h`` of the machines' (ASIC, GPU servers) and the
  facility's capex per MW, paid as annuities ``A(capex, rate, life)`` at the technology's own
  cost of capital ``r_k``, so the yearly outflow carries the return on that imported capital;
* profit repatriated: the foreign-owned share ``o_k`` of the operators' profit after the
  capex annuity ``P_k``; a loss is not counted as an inflow (owners do not fund losses for
  long).

The return on capital spent at home (the local share of capex) is not counted as an outflow
even where the owner is foreign; that would make net smaller still.

Pure functions of plain numbers: no file, no model. :func:`foreign_exchange_bridge` returns
every term, so the bridge from gross to net can be shown and checked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from gridsurplus.economics.errors import EconomicsInputError, require_fraction
from gridsurplus.economics.finance import annuity


@dataclass(frozen=True)
class TechAccount:
    """One compute technology's year, as the foreign-exchange bridge needs it.

    Parameters
    ----------
    tech : str
        Technology identifier.
    mw : float
        Built MW (grid connection) [MW].
    revenue_usd : float
        Revenue in the year: BTC mined times its price, or GPU rental [USD/yr].
    profit_usd : float
        Operators' profit after power, fixed O&M and the capex annuity [USD/yr].
    capex_it_usd_per_mw, capex_facility_usd_per_mw : float
        Capex of the machines and of the facility per MW of grid connection [USD/MW].
    life_it_years, life_facility_years : float
        Economic lives [years].
    cost_of_capital : float
        The technology's real cost of capital [fraction/yr].
    import_share_it, import_share_facility : float
        Share of each capex imported [fraction].
    foreign_ownership_share : float
        Share of the operators' profit owned abroad [fraction].
    abroad_share : float
        Share of the revenue earned (or saved) in foreign currency [fraction].
    year_share : float
        Share of a year the account covers (a plan over a window of the year: its hours over
        8760) [fraction]; the capex annuity is prorated by it, as revenue and profit already
        are.
    """

    tech: str
    mw: float
    revenue_usd: float
    profit_usd: float
    capex_it_usd_per_mw: float
    capex_facility_usd_per_mw: float
    life_it_years: float
    life_facility_years: float
    cost_of_capital: float
    import_share_it: float
    import_share_facility: float
    foreign_ownership_share: float
    abroad_share: float = 1.0
    year_share: float = 1.0

    def __post_init__(self) -> None:
        """Check shares are fractions and amounts finite."""
        for name in (
            "import_share_it",
            "import_share_facility",
            "foreign_ownership_share",
            "abroad_share",
            "year_share",
        ):
            require_fraction(float(getattr(self, name)), f"{name} of '{self.tech}'")
        for name in ("mw", "revenue_usd", "profit_usd"):
            if not math.isfinite(float(getattr(self, name))):
                raise EconomicsInputError(f"{name} of '{self.tech}' must be finite")
        if self.mw < 0 or self.revenue_usd < 0:
            raise EconomicsInputError(f"mw and revenue_usd of '{self.tech}' must be >= 0")

    def imported_hardware_usd(self) -> float:
        """Annuity of the imported capex over the account's share of a year [USD]."""
        if self.mw == 0:
            return 0.0
        it = annuity(self.capex_it_usd_per_mw, self.cost_of_capital, self.life_it_years)
        fac = annuity(
            self.capex_facility_usd_per_mw, self.cost_of_capital, self.life_facility_years
        )
        yearly = self.mw * (self.import_share_it * it + self.import_share_facility * fac)
        return yearly * self.year_share

    def profit_repatriated_usd(self) -> float:
        """Foreign owners' share of a positive profit [USD/yr]."""
        return self.foreign_ownership_share * max(self.profit_usd, 0.0)


@dataclass(frozen=True)
class ForexBridge:
    """Gross to net foreign exchange in one year [USD/yr]; every term positive as it reads.

    Attributes
    ----------
    btc_usd, ai_usd : float
        Revenue from abroad of mining and of AI [USD/yr].
    gross_usd : float
        ``btc_usd + ai_usd`` [USD/yr].
    imported_fuel_usd : float
        Imported fuel burned to serve compute [USD/yr].
    imported_hardware_usd : float
        Annuity of the imported ASICs, GPUs and facility equipment [USD/yr].
    profit_repatriated_usd : float
        Operators' profit owned abroad [USD/yr].
    net_usd : float
        ``gross - fuel - hardware - profit`` [USD/yr].
    """

    btc_usd: float
    ai_usd: float
    imported_fuel_usd: float
    imported_hardware_usd: float
    profit_repatriated_usd: float

    @property
    def gross_usd(self) -> float:
        """Revenue from abroad [USD/yr]."""
        return self.btc_usd + self.ai_usd

    @property
    def net_usd(self) -> float:
        """Gross less fuel, hardware and profit sent abroad [USD/yr]."""
        return (
            self.gross_usd
            - self.imported_fuel_usd
            - self.imported_hardware_usd
            - self.profit_repatriated_usd
        )

    def steps(self) -> list[tuple[str, float]]:
        """The bridge as signed steps from gross to net, for a waterfall [USD/yr]."""
        return [
            ("foreign_exchange_gross_usd", self.gross_usd),
            ("imported_fuel_usd", -self.imported_fuel_usd),
            ("imported_hardware_usd", -self.imported_hardware_usd),
            ("profit_repatriated_usd", -self.profit_repatriated_usd),
            ("foreign_exchange_net_usd", self.net_usd),
        ]

    def to_dict(self) -> dict[str, float]:
        """Every term by name [USD/yr]."""
        return {
            "btc_revenue_usd": self.btc_usd,
            "ai_revenue_usd": self.ai_usd,
            "foreign_exchange_gross_usd": self.gross_usd,
            "imported_fuel_usd": self.imported_fuel_usd,
            "imported_hardware_usd": self.imported_hardware_usd,
            "profit_repatriated_usd": self.profit_repatriated_usd,
            "foreign_exchange_net_usd": self.net_usd,
        }


def imported_fuel_usd(
    extra_fuel_cost_usd: Mapping[str, float], import_share: Mapping[str, float]
) -> float:
    """Foreign exchange spent on the extra fuel burned to serve compute [USD/yr].

    Parameters
    ----------
    extra_fuel_cost_usd : mapping of str to float
        Extra cost of each fuel burned with compute over the base dispatch [USD/yr]
        (negative where compute makes a fuel burn less).
    import_share : mapping of str to float
        Share of each fuel's cost paid abroad [fraction]; a fuel missing is domestic (0).

    Returns
    -------
    float
        ``sum_f import_share[f] * extra_fuel_cost_usd[f]`` [USD/yr].

    Examples
    --------
    >>> imported_fuel_usd({"rlng": 100.0, "coal_local": 50.0}, {"rlng": 1.0})
    100.0
    >>> imported_fuel_usd({"rlng": 1.0}, {"rlng": 1.5})
    Traceback (most recent call last):
    ...
    gridsurplus.economics.errors.EconomicsInputError: import share of fuel 'rlng' must be a ...
    """
    total = 0.0
    for fuel, cost in extra_fuel_cost_usd.items():
        share = float(import_share.get(fuel, 0.0))
        require_fraction(share, f"import share of fuel '{fuel}'")
        if not math.isfinite(float(cost)):
            raise EconomicsInputError(f"extra fuel cost of '{fuel}' must be finite")
        total += share * float(cost)
    return total


def foreign_exchange_bridge(
    techs: list[TechAccount],
    *,
    mining_techs: set[str] | frozenset[str],
    extra_fuel_cost_usd: Mapping[str, float],
    fuel_import_share: Mapping[str, float],
) -> ForexBridge:
    """The year's foreign exchange, gross and net, with every term of the bridge.

    Parameters
    ----------
    techs : list of TechAccount
        Every compute technology built (MW, revenue, profit, capex, shares).
    mining_techs : set of str
        Which of them mine Bitcoin (their revenue is the BTC term; the rest is AI).
    extra_fuel_cost_usd : mapping of str to float
        Extra cost of each fuel burned to serve compute [USD/yr].
    fuel_import_share : mapping of str to float
        Share of each fuel's cost paid abroad [fraction].

    Returns
    -------
    ForexBridge
        Gross, the three outflows and net [USD/yr].
    """
    btc = sum(t.abroad_share * t.revenue_usd for t in techs if t.tech in mining_techs)
    ai = sum(t.abroad_share * t.revenue_usd for t in techs if t.tech not in mining_techs)
    return ForexBridge(
        btc_usd=btc,
        ai_usd=ai,
        imported_fuel_usd=imported_fuel_usd(extra_fuel_cost_usd, fuel_import_share),
        imported_hardware_usd=sum(t.imported_hardware_usd() for t in techs),
        profit_repatriated_usd=sum(t.profit_repatriated_usd() for t in techs),
    )
