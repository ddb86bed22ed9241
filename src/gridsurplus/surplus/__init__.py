"""Where the surplus is: spare capacity, its marginal cost, supply curves, firm surplus, headroom.

:func:`assess_surplus` runs the base dispatch of the reference year
(:mod:`~gridsurplus.surplus.dispatch`) and derives

- per region and hour, the spare capacity a new load could use after demand and reserve, over
  the links' unused capacity (:mod:`~gridsurplus.surplus.spare`), and the marginal cost of one
  more MW there (the dual of the nodal balance);
- the surplus supply curve: MWh per year available at or below each marginal cost, nationally
  and per region, by season (:mod:`~gridsurplus.surplus.curves`);
- firm surplus: the MW available in at least 90%, 99% and 99.9% of hours below a price;
- curtailment-enabled headroom (Norris et al. 2025) of the national load, against its own
  seasonal peaks and against the capacity available to serve it.
"""

from __future__ import annotations

from gridsurplus.surplus.assess import SurplusAssessment, assess_surplus, default_price_per_kwh

__all__ = ["SurplusAssessment", "assess_surplus", "default_price_per_kwh"]
