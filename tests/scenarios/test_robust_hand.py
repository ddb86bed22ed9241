"""The robust plan on cases solved by hand, by the decomposition and by the extensive form."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gridsurplus.model.decompose import solve_decomposed
from gridsurplus.scenarios.extensive import solve_extensive
from gridsurplus.scenarios.metrics import robust_figures
from gridsurplus.scenarios.risk import Risk, cvar
from gridsurplus.scenarios.robust import solve_robust
from gridsurplus.scenarios.robust_pool import ScenarioPool

from .robust_cases import mining_case

SCENARIOS = pd.DataFrame({"btc_value_usd_per_mwh": [45.0, 5.0]}, index=["high", "low"])


def test_btc_high_and_low_by_hand():
    """Two equally likely scenarios, BTC high and BTC low; the point forecast in between.

    One region, two hours; coal 100 MW at 20 USD/MWh serves 50 MW of demand, so 50 MW are
    spare at 20 USD/MWh. One mining site, up to 50 MW, costs 30 USD per MW over the window.

    - Point forecast, a MWh of mining worth 40 USD: a MW earns 2 h x (40 - 20) = 40, less 30:
      +10 per MW, so the point plan builds all 50 MW.
    - BTC high (45 USD/MWh): 2 x (45 - 20) - 30 = +20 per MW; BTC low (5 USD/MWh, below the
      coal cost, so the site stands idle): -30 per MW. Expected: (20 - 30) / 2 = -5 per MW < 0,
      so the robust plan builds nothing.
    - Welfare of the point plan's 50 MW: +1,000 (high), -1,500 (low), -250 expected; of the
      robust plan: 0 in both. VSS = 0 - (-250) = 250 USD.
    - Perfect information builds 50 MW when high (+1,000) and nothing when low: 500 expected,
      so EVPI = 500 - 0 = 500 USD. Regret of the robust plan: 1,000 (high), 0 (low); of the
      point plan: 0 (high), 1,500 (low).
    - The site pays (one more MW adds welfare after its annuity) in the high scenario only:
      a share of 0.5.
    """
    point_inp = mining_case(40.0)
    problems = [mining_case(v) for v in SCENARIOS["btc_value_usd_per_mwh"]]
    point_solution, _ = solve_decomposed(point_inp)
    assert point_solution.build is not None
    assert point_solution.build.iloc[0] == pytest.approx(50.0)

    robust = solve_robust(problems)
    assert robust.build.iloc[0] == pytest.approx(0.0, abs=1e-9)
    extensive = solve_extensive(problems)
    assert extensive.build.iloc[0] == pytest.approx(0.0, abs=1e-9)
    assert extensive.objective_usd == pytest.approx(robust.objective_usd, rel=1e-9)

    reference = solve_robust(problems, fixed_build=np.zeros(1)).scenario_cost_usd
    point = solve_robust(problems, reference=reference, fixed_build=point_solution.build)
    best = solve_robust(problems, reference=reference, independent=True)
    assert best.scenario_build.iloc[:, 0].tolist() == pytest.approx([50.0, 0.0])
    figures = robust_figures(problems[0], SCENARIOS, reference, robust, point, best, Risk())
    assert figures.expected_welfare_usd == pytest.approx(0.0, abs=1e-6)
    assert figures.expected_welfare_point_usd == pytest.approx(-250.0)
    assert figures.vss_usd == pytest.approx(250.0)
    assert figures.evpi_usd == pytest.approx(500.0)
    regret = figures.regret.set_index("index")
    assert regret["regret_robust_usd"].tolist() == pytest.approx([1000.0, 0.0], abs=1e-6)
    assert regret["regret_point_usd"].tolist() == pytest.approx([0.0, 1500.0], abs=1e-6)
    assert figures.sites["pays_share"].tolist() == pytest.approx([0.5])
    assert figures.sites["point_mw"].tolist() == pytest.approx([50.0])


def test_cvar_of_the_hand_case():
    """With the CVaR alone (alpha 0.5, weight 1) the worst half is the low scenario: -30 per MW
    built, so nothing is built even when the high scenario pays far more (2 x (95 - 20) - 30 =
    +120 per MW): the expected value would build 50 MW (+45 per MW on average).
    """
    problems = [mining_case(95.0), mining_case(5.0)]
    assert solve_robust(problems).build.iloc[0] == pytest.approx(50.0)
    averse = Risk(alpha=0.5, weight=1.0)
    for result in (solve_robust(problems, risk=averse), solve_extensive(problems, risk=averse)):
        assert result.build.iloc[0] == pytest.approx(0.0, abs=1e-9)
    assert cvar(np.array([-6000.0, 1500.0]), np.array([0.5, 0.5]), 0.5) == pytest.approx(1500.0)


def test_one_scenario_is_the_ordinary_plan():
    """Three sites, values straddling their annuities, over two months: one scenario gives the
    ordinary decomposition's builds and objective."""
    inp = mining_case([45.0, 30.0, 5.0], max_mw=[30.0, 30.0, 30.0], hours=4, months=2)
    ordinary, info = solve_decomposed(inp)
    robust = solve_robust([inp])
    assert robust.objective_usd == pytest.approx(info.upper_bound, rel=1e-9)
    assert robust.build.to_numpy() == pytest.approx(ordinary.build.to_numpy(), abs=1e-6)
    # built: the first two up to the spare 50 MW, the first one full (it earns more)
    assert robust.build.to_numpy() == pytest.approx([30.0, 20.0, 0.0], abs=1e-6)


def test_vss_is_never_negative_on_random_cases():
    """Random small cases (seeded): VSS >= 0 and EVPI >= 0, both forms agree."""
    rng = np.random.default_rng(11)
    for _ in range(4):
        n_sites, n_scen = int(rng.integers(1, 4)), int(rng.integers(2, 5))
        annuity = rng.uniform(5.0, 60.0, n_sites)
        cap = rng.uniform(10.0, 40.0, n_sites)
        values = rng.uniform(0.0, 80.0, (n_scen, n_sites))
        prob = rng.dirichlet(np.ones(n_scen))
        problems = [
            mining_case(list(v), annuity_window_usd_per_mw=annuity, max_mw=cap, hours=4, months=2)
            for v in values
        ]
        point_inp = mining_case(
            list(prob @ values * rng.uniform(0.7, 1.3, n_sites)),
            annuity_window_usd_per_mw=annuity,
            max_mw=cap,
            hours=4,
            months=2,
        )
        point_build = solve_robust([point_inp]).build
        with ScenarioPool(problems) as pool:  # built once, kept warm across the solves
            zero = np.zeros(n_sites)
            reference = solve_robust(problems, prob, fixed_build=zero, pool=pool).scenario_cost_usd
            robust = solve_robust(problems, prob, reference=reference, pool=pool)
            point = solve_robust(
                problems, prob, reference=reference, fixed_build=point_build, pool=pool
            )
            best = solve_robust(problems, prob, reference=reference, independent=True, pool=pool)
        extensive = solve_extensive(problems, prob, reference=reference)
        assert robust.objective_usd == pytest.approx(extensive.objective_usd, rel=1e-6, abs=1e-6)
        table = pd.DataFrame({"k": range(n_scen)})
        figures = robust_figures(problems[0], table, reference, robust, point, best, Risk(), prob)
        scale = 1e-6 * max(1.0, abs(robust.objective_usd))
        assert figures.vss_usd >= -scale
        assert figures.evpi_usd >= -scale


def test_two_worker_processes_give_the_same_plan():
    """The (scenario, month) models dealt over two processes: same builds, same objective."""
    problems = [
        mining_case(v, max_mw=[30.0, 30.0, 30.0], hours=4, months=2)
        for v in ([45.0, 30.0, 5.0], [10.0, 60.0, 25.0], [35.0, 35.0, 35.0])
    ]
    here = solve_robust(problems, risk=Risk(alpha=0.5, weight=0.5))
    with ScenarioPool(problems, workers=2) as pool:
        assert len(pool.shares) == 2
        spread = solve_robust(problems, risk=Risk(alpha=0.5, weight=0.5), pool=pool)
    assert spread.objective_usd == pytest.approx(here.objective_usd, rel=1e-9)
    assert spread.build.to_numpy() == pytest.approx(here.build.to_numpy(), abs=1e-6)
    assert spread.scenario_cost_usd == pytest.approx(here.scenario_cost_usd, rel=1e-9)


def test_build_limits_come_from_the_point_forecast():
    """Scenario limits differ (a hosting cut to 20 MW in the low case): with the point
    forecast's problem as the first stage, the shared builds obey its 50 MW limit, the point
    plan's 50 MW are evaluated as built in every scenario, and regret stays >= 0.

    High (45 USD/MWh, +20 per MW) twice as likely as low (5 USD/MWh, -30 per MW): expected
    (2 x 20 - 30) / 3 = +10/3 per MW, so the robust plan builds 50 MW, not the 20 MW the
    intersection of the scenarios' limits would allow.
    """
    prob = np.array([2 / 3, 1 / 3])
    point = mining_case(40.0)
    problems = [mining_case(45.0), mining_case(5.0, max_mw=20.0)]
    assert solve_robust(problems, prob).build.iloc[0] == pytest.approx(20.0)
    robust = solve_robust(problems, prob, first_stage=point)
    assert robust.build.iloc[0] == pytest.approx(50.0)
    assert solve_extensive(problems, prob, first_stage=point).build.iloc[0] == pytest.approx(50.0)
    as_built = solve_robust(problems, prob, fixed_build=np.array([50.0]))
    assert as_built.scenario_cost_usd == pytest.approx(robust.scenario_cost_usd)
    best = solve_robust(problems, prob, independent=True, first_stage=point)
    assert best.scenario_build.iloc[:, 0].tolist() == pytest.approx([50.0, 0.0])
    assert (robust.scenario_cost_usd >= best.scenario_cost_usd - 1e-9).all()
