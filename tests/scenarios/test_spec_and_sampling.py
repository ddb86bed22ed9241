"""The scenario file and its draws: checks, seeds, grids, correlations, quantiles."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import yaml
from scipy import stats

from gridsurplus.dataset import default_dataset_path
from gridsurplus.scenarios.sample import draw
from gridsurplus.scenarios.spec import ScenarioError, parse_spec, read_spec

from .helpers import param


def spec_of(parameters: dict, correlations=None, **top):
    return parse_spec(
        {"parameters": parameters, "correlations": correlations or [], **top}, "t.yaml"
    )


RANDOM = {
    "a": param("uniform", low=1.0, high=3.0),
    "b": param("triangular", low=0.0, mode=1.0, high=4.0),
    "c": param("normal", mean=10.0, sd=2.0),
    "d": param("lognormal", median=50.0, sigma=1.0),
    "e": param("choice", values=[1, 2, 3], weights=[0.5, 0.3, 0.2]),
}


def test_same_seed_draws_the_same_samples_and_another_seed_does_not() -> None:
    spec = spec_of(RANDOM)
    one, two = draw(spec, 50, seed=11), draw(spec, 50, seed=11)
    assert one.equals(two)
    assert not one.equals(draw(spec, 50, seed=12))
    assert list(one.index[:2]) == ["s00000", "s00001"]


def test_a_parameters_draws_do_not_depend_on_the_others() -> None:
    alone = draw(spec_of({"a": RANDOM["a"]}), 20, seed=3)
    together = draw(spec_of(RANDOM), 20, seed=3)
    np.testing.assert_array_equal(alone["a"], together["a"])


def test_grid_file_gives_the_cartesian_product() -> None:
    spec = spec_of(
        {
            "x": param("grid", values=[1, 2, 3]),
            "y": param("grid", values=[10, 20]),
            "z": param("fixed", value=7),
        }
    )
    frame = draw(spec, 99, seed=1)  # nothing random: the number of samples does not matter
    assert len(frame) == 6
    assert sorted(zip(frame["x"], frame["y"], strict=True)) == sorted(
        itertools.product([1.0, 2.0, 3.0], [10.0, 20.0])
    )
    assert set(frame["z"]) == {7.0}


def test_grid_crossed_with_random_draws() -> None:
    spec = spec_of({"x": param("grid", values=[1, 2]), "a": RANDOM["a"]})
    frame = draw(spec, 5, seed=1)
    assert len(frame) == 10
    # the same five draws of 'a' at each grid point
    np.testing.assert_array_equal(frame.loc[frame["x"] == 1, "a"], frame.loc[frame["x"] == 2, "a"])


def test_correlation_is_honoured_in_the_ranks() -> None:
    rho = 0.6
    spec = spec_of(
        {
            "p": param("lognormal", median=91132, sigma=0.45),
            "g": param("triangular", low=-0.1, mode=0.2, high=0.6),
        },
        correlations=[["p", "g", rho]],
    )
    frame = draw(spec, 20_000, seed=5)
    spearman = stats.spearmanr(frame["p"], frame["g"]).statistic
    # a Gaussian copula with normal-score correlation rho has Spearman 6/pi asin(rho/2)
    assert spearman == pytest.approx(6 / math.pi * math.asin(rho / 2), abs=0.015)
    # and each keeps its own distribution
    assert frame["g"].min() >= -0.1 and frame["g"].max() <= 0.6
    assert np.median(frame["p"]) == pytest.approx(91132, rel=0.02)
    uncorrelated = draw(spec_of({"p": RANDOM["a"], "g": RANDOM["b"]}), 20_000, seed=5)
    assert abs(stats.spearmanr(uncorrelated["p"], uncorrelated["g"]).statistic) < 0.03


def test_each_distribution_has_its_shape() -> None:
    frame = draw(spec_of(RANDOM), 20_000, seed=2)
    assert frame["a"].between(1, 3).all() and frame["a"].mean() == pytest.approx(2, abs=0.02)
    assert frame["b"].mean() == pytest.approx((0 + 1 + 4) / 3, abs=0.03)
    assert frame["c"].std() == pytest.approx(2, rel=0.03)
    assert np.log(frame["d"]).std() == pytest.approx(1.0, rel=0.03)
    shares = frame["e"].value_counts(normalize=True)
    assert shares[1.0] == pytest.approx(0.5, abs=0.015) and shares[3.0] == pytest.approx(
        0.2, abs=0.015
    )


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"distribution": "beta"}, "distribution 'beta' unknown"),
        (param("uniform", low=1), "needs high"),
        (param("triangular", low=0, mode=5, high=4), "low <= mode <= high"),
        ({**param("uniform", low=0, high=1), "source": ""}, "give its 'source'"),
        ({**param("uniform", low=0, high=1), "status": "guessed"}, "status must be one of"),
        (param("uniform", low=0, high=1, median=3), "unknown field(s) median"),
        (param("choice", values=[1, 2], weights=[1]), "as long as 'values'"),
        (param("lognormal", median=-1, sigma=1), "above zero"),
    ],
)
def test_bad_parameters_are_refused_with_a_clear_message(entry, message) -> None:
    with pytest.raises(ScenarioError, match="t.yaml: parameter 'x'") as err:
        spec_of({"x": entry})
    assert message in str(err.value)


def test_bad_correlations_are_refused() -> None:
    with pytest.raises(ScenarioError, match="unknown parameter 'zz'"):
        spec_of(RANDOM, correlations=[["a", "zz", 0.5]])
    with pytest.raises(ScenarioError, match="only random parameters"):
        spec_of({"a": RANDOM["a"], "x": param("grid", values=[1])}, correlations=[["a", "x", 0.5]])
    spec = spec_of(RANDOM, correlations=[["a", "b", 0.9], ["b", "c", 0.9], ["a", "c", -0.9]])
    with pytest.raises(ScenarioError, match="not positive definite"):
        draw(spec, 10)


def test_the_pakistan_scenario_file_is_complete_and_sourced() -> None:
    path = default_dataset_path() / "scenarios.yaml"
    spec = read_spec(path)
    names = {p.name for p in spec.active}
    for needed in (
        "btc_price_usd",
        "network_hashrate_growth",
        "gpu_hour_usd",
        "gpu_hour_usd_growth",
        "discount_rate_mining",
        "discount_rate_ai",
        "ai_market_mw",
        "foreign_ownership_share",
        "hosting_limit_scale",
        "demand_growth",
        "rooftop_solar_mw",
        "hydro_energy_multiplier",
        "rlng_price_usd_per_mmbtu",
        "coal_price_usd_per_t",
        "exchange_rate",
        "tariff_pkr_per_kwh",
    ):
        assert needed in names
    declared = {p.name for p in spec.parameters}
    assert {"ai_market_mw", "discount_rate_mining", "foreign_ownership_share"} <= declared
    assert ("btc_price_usd", "network_hashrate_growth") in {(a, b) for a, b, _ in spec.correlations}
    for p in spec.parameters:
        assert p.status in ("sourced", "derived", "estimated") and len(p.source) > 20
    raw = yaml.safe_load(path.read_text())
    assert raw["parameters"]["ai_market_mw"].get("enabled", True) is True
