"""Write the dispatch and siting problem as a PyPSA network that reaches the same optimum.

The field's reference engine is PyPSA. :func:`to_pypsa` encodes the linear program that
:func:`gridsurplus.model.build.build_model` writes as a :class:`pypsa.Network` made of PyPSA's
own components only (no ``extra_functionality``), so that ``pypsa.Network(path).optimize()``
reaches the objective of :func:`gridsurplus.model.solve.solve_inputs` on the same inputs.
:func:`pypsa_objective` reads a solved network's objective on our convention,
:func:`solve_pypsa` solves one quietly, :func:`write_netcdf` and :func:`read_netcdf` write
and read one.

Mapping (``t`` hour, ``r`` region, ``g`` generator class, ``s`` compute site; PyPSA 1.4, all
snapshot weightings 1):

- **Region** ``r``: a Bus ``r`` (carrier AC); its demand a Load ``demand r`` with ``p_set``.
- **Unserved demand**: a Generator ``unserved r`` at ``marginal_cost`` = VOLL, with
  ``p_nom * p_max_pu[t] = demand[t, r]`` so that it never exceeds the demand, as ours.
- **Generator class** ``g``: a Generator ``g`` (carrier = fuel), ``p_nom`` = capacity,
  ``p_max_pu``/``p_min_pu`` = ``p_max``/``p_min`` over ``p_nom``, ``marginal_cost`` = cost.
  A class with a **monthly energy budget** is split into one Generator ``g YYYY-MM`` per
  month modelled, active only in that month's hours, with ``e_sum_max`` = the budget.
- **Transmission**: a lossless link is one Link with ``p_min_pu = -capacity_reverse /
  capacity``; a lossy link is two directed Links ``l forward``/``l backward`` with
  efficiency ``1 - loss``.
- **Bookkeeping groups.** Classes of a fuel with an energy limit, or that count toward the
  operating reserve, are not attached to their region directly: each group of classes with
  the same region, limited fuel and reserve role sits on a Bus ``r plants ...`` and reaches
  ``r`` through a multi-port Link ``r plants ... connection`` (``bus1`` = ``r``, efficiency
  1) whose other ports keep the books: ``bus2`` = ``reserve`` with ``efficiency2 = -1``,
  ``bus3``/``bus4`` = the fuel's energy meters (months / window) with efficiency 1.
- **Fuel limit** (a cap ``<=`` or a floor ``>=`` on a fuel's energy in a month or in all the
  hours modelled, ``period = year``): per fuel and tier a meter Bus receives the fuel's
  generation every hour; on it one absorbing Generator (``sign = -1``) per period, active in
  that period's hours only, carries ``e_sum_max`` = cap and ``e_sum_min`` = floor. In every
  hour exactly one absorber of a meter is active, so its energy is the fuel's energy in its
  period. A limit priced instead of hard (``penalty_usd_per_mwh``) gets a second absorber
  ``fuel excess period`` (cap) or a supplier ``fuel shortfall period`` (floor) at the penalty.
- **Operating reserve** ``sum_{g counts} (p_max[t, g] - gen[t, g]) + credit[t] >=
  reserve[t]``: a Bus ``reserve`` with a Generator ``reserve headroom`` of at most
  ``sum_{g counts} p_max[t, g] - reserve[t]``; every counting group's Link draws its output
  from it (``efficiency2 = -1``), so counting generation never exceeds headroom + credit.
- **Mining reserve credit** (``reserve_share > 0``): a region's mining sites draw from a Bus
  ``r mining`` fed by a Link ``r mining connection`` whose ``bus2`` = ``reserve credit``
  (efficiency 1) counts their load; a Link ``reserve credit`` of at most
  ``share * reserve[t]`` carries it to ``reserve``; a Generator ``reserve credit unused``
  (``sign = -1``) takes the rest. So ``credit <= share * reserve`` and ``credit <= sum
  consume``, as ours.
- **Compute site** ``s``: an extendable consumer with a willingness to pay, as PyPSA models
  one: a Generator ``s`` with ``sign = -1`` (its ``p`` is the MW it draws), carrier = kind,
  ``p_max_pu[t]`` = availability, ``marginal_cost[t] = -value[t, s]``, ``capital_cost`` =
  annuity * share of the year modelled (PyPSA takes ``capital_cost`` as the cost of the
  modelled horizon), ``p_nom_extendable`` with ``p_nom_max`` = ``max_mw``. Hosting caps per
  region and kind: GlobalConstraints ``tech_capacity_expansion_limit`` (carrier = kind,
  ``bus`` = the sites' bus); the national programme: the same without ``bus``.
- **AI uptime** ``sum_t consume + shortfall >= E``: a site with a requirement is a Link ``s``
  (the same attributes, ``bus0`` = its region) that delivers what it draws to a meter Bus
  ``s uptime``, where an absorber ``s uptime`` has ``e_sum_min = E`` and a Generator
  ``s shortfall`` at VOLL makes up what the grid does not serve. With
  ``E = uptime * sum_t availability * build`` PyPSA cannot tie the energy to an extendable
  capacity without extra_functionality, so such a site is exported with its MW fixed
  (``fixed_ai_mw``, e.g. the plan's optimal builds); fixing a variable at its optimal value
  leaves the optimum unchanged, so the objectives still agree. The programme cap left for
  the kind sited freely is reduced by the fixed MW of the other kinds. A requirement given as
  energy (``uptime_energy_mwh``) needs no fixing.
- **Fixed capacity** is an extendable ``p_nom`` pinned by ``p_nom_min = p_nom_max`` (bounds,
  with ``p_nom = 0``), so its capital cost is in PyPSA's objective exactly as in ours (PyPSA
  leaves the capital cost of non-extendable components out; :func:`pypsa_objective` adds it
  back for networks that have some).

PyPSA's ``n.objective + n.objective_constant`` is then our objective: fuel cost + VOLL *
unserved + annuities - value of compute + VOLL * shortfall (+ penalties of priced limits).

The package: :mod:`~gridsurplus.model.pypsa.layout` (checks, and what the network needs
besides one component per input row), :mod:`~gridsurplus.model.pypsa.components` (the grid)
and :mod:`~gridsurplus.model.pypsa.compute` (the compute sites), the recipe that
:mod:`~gridsurplus.model.pypsa.network` runs in :func:`to_pypsa`, and
:mod:`~gridsurplus.model.pypsa.netcdf` (solve, write, read).
"""

from __future__ import annotations

from gridsurplus.model.pypsa.layout import PypsaExportError, PypsaExportUnsupported
from gridsurplus.model.pypsa.netcdf import pypsa_objective, read_netcdf, solve_pypsa, write_netcdf
from gridsurplus.model.pypsa.network import to_pypsa

__all__ = [
    "PypsaExportError",
    "PypsaExportUnsupported",
    "pypsa_objective",
    "read_netcdf",
    "solve_pypsa",
    "to_pypsa",
    "write_netcdf",
]
