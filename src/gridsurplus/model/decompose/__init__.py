"""Solve the siting LP exactly, month by month (Benders decomposition).

The siting and dispatch LP of a full year is large (about a million columns) but its
decisions that span the year are few: the MW built at each site, each AI site's yearly
uptime energy, and yearly fuel limits such as a take-or-pay floor. Given those, the months
are independent dispatch problems. So:

- the **master** holds the builds ``b[s]``, the share of each yearly requirement given to each
  month (AI energy ``e[m, a]``, fuel energy ``f[m, k]``) and one cost ``theta[m]`` per month:

  ``min sum_s annuity[s] b[s] + sum_m theta[m]``
  subject to the programme, AI market and hosting caps, ``sum_m e[m, a] >= uptime[a] A[a] b[a]``,
  ``e[m, a] <= A[m, a] b[a]``, ``sum_m f[m, k] >= (or <=) F[k]`` and the cuts below;

- each **month** is the dispatch LP with those values fixed (builds as fixed columns, the
  shares as right-hand sides, missing a share priced at the value of lost load so every
  month is always feasible). Its optimum ``phi[m]`` and duals give a cut
  ``theta[m] >= phi[m] + g_b . (b - b_k) + g_e . (e[m] - e_k) + g_f . (f[m] - f_k)``.

Months are kept as HiGHS models and re-solved warm (only bounds change between iterations),
on as many worker processes as asked. The loop stops when the master's lower bound and the
best month-by-month upper bound agree to ``tol``: the answer is the monolithic LP's optimum.

The package: :mod:`~gridsurplus.model.decompose.month` (one month's LP, kept warm),
:mod:`~gridsurplus.model.decompose.pool` (months on worker processes),
:mod:`~gridsurplus.model.decompose.master` (the master LP) and
:mod:`~gridsurplus.model.decompose.loop` (the loop).
"""

from __future__ import annotations

from gridsurplus.model.decompose.loop import DecompositionInfo, solve_decomposed
from gridsurplus.model.decompose.master import Master
from gridsurplus.model.decompose.month import MonthModel, MonthUpdate, coupled_limits, month_inputs
from gridsurplus.model.decompose.pool import MonthPool

__all__ = [
    "DecompositionInfo",
    "Master",
    "MonthModel",
    "MonthPool",
    "MonthUpdate",
    "coupled_limits",
    "month_inputs",
    "solve_decomposed",
]
