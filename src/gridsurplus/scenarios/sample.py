"""Draw the scenarios of a spec: seeded, correlated through a Gaussian copula, grids crossed.

Each random parameter gets its own stream of standard normal scores, seeded by the sweep's
seed and the parameter's name, so the same seed draws the same values for a parameter whatever
else the file declares. Correlated parameters mix their scores with the Cholesky factor of the
correlation matrix of the scores (a Gaussian copula: each parameter keeps its own
distribution, and their ranks move together). Each score becomes a value through its
distribution's quantile function.

Grid parameters are run at every value: the scenarios are the Cartesian product of the grid
values, each crossed with the ``samples`` random draws (only the grid when nothing is random).
"""

from __future__ import annotations

import itertools
import zlib

import numpy as np
import pandas as pd

from gridsurplus.scenarios.spec import Parameter, ScenarioError, ScenarioSpec


def normal_scores(name: str, seed: int, n: int) -> np.ndarray:
    """``n`` independent standard normal scores of one parameter, seeded by ``seed`` and name."""
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, zlib.crc32(name.encode())])
    return rng.standard_normal(n)


def quantile(param: Parameter, u: np.ndarray) -> np.ndarray:
    """Values of a parameter at probabilities ``u`` (its quantile function).

    Examples
    --------
    >>> from gridsurplus.scenarios.spec import parse_parameter
    >>> p = parse_parameter("x", {"distribution": "triangular", "low": 0, "mode": 1, "high": 2,
    ...                           "unit": "-", "status": "estimated", "source": "test"})
    >>> quantile(p, np.array([0.0, 0.5, 1.0])).tolist()
    [0.0, 1.0, 2.0]
    """
    from scipy import stats

    f = param.fields
    d = param.distribution
    if d == "uniform":
        x = f["low"] + u * (f["high"] - f["low"])
    elif d == "triangular":
        scale = f["high"] - f["low"]
        x = stats.triang.ppf(u, (f["mode"] - f["low"]) / scale, loc=f["low"], scale=scale)
    elif d == "normal":
        x = stats.norm.ppf(u, loc=f["mean"], scale=f["sd"])
    elif d == "lognormal":
        x = f["median"] * np.exp(f["sigma"] * stats.norm.ppf(u))
    elif d == "choice":
        values = np.asarray(f["values"], float)
        weights = np.asarray(f.get("weights") or [1.0 / len(values)] * len(values))
        edges = np.cumsum(weights)
        x = values[np.minimum(np.searchsorted(edges, u, side="right"), len(values) - 1)]
    elif d == "fixed":
        x = np.full(len(u), f["value"])
    else:
        raise ScenarioError(f"parameter '{param.name}': {d} values are not drawn")
    if "low" in f and d in ("normal", "lognormal"):
        x = np.maximum(x, f["low"])
    if "high" in f and d in ("normal", "lognormal"):
        x = np.minimum(x, f["high"])
    return np.asarray(x, float)


def correlation_matrix(spec: ScenarioSpec, names: list[str]) -> np.ndarray:
    """Correlation matrix of the normal scores of ``names`` (identity where none is given)."""
    index = {n: i for i, n in enumerate(names)}
    corr = np.eye(len(names))
    for a, b, rho in spec.correlations:
        if a in index and b in index:
            corr[index[a], index[b]] = corr[index[b], index[a]] = rho
    return corr


def draw(spec: ScenarioSpec, n: int | None = None, seed: int | None = None) -> pd.DataFrame:
    """The scenarios of a spec, one row each.

    Parameters
    ----------
    spec : ScenarioSpec
        The scenario file.
    n : int, optional
        Random draws (default: the file's ``samples``); ignored when nothing is random.
    seed : int, optional
        Seed (default: the file's ``seed``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``scenario_id`` (``s00000``, ...); one column per enabled parameter, in the
        parameter's unit.

    Raises
    ------
    ScenarioError
        If the correlations cannot hold together (the matrix is not positive definite).
    """
    n = spec.samples if n is None else int(n)
    seed = spec.seed if seed is None else int(seed)
    if n < 1:
        raise ScenarioError(f"the number of samples must be at least 1, got {n}")
    active = spec.active
    random = [p for p in active if p.is_random]
    grid = [p for p in active if p.is_grid]
    fixed = [p for p in active if p.distribution == "fixed"]
    n_draws = n if random else 1
    draws: dict[str, np.ndarray] = {}
    if random:
        from scipy import stats

        names = [p.name for p in random]
        z = np.stack([normal_scores(name, seed, n_draws) for name in names])
        corr = correlation_matrix(spec, names)
        try:
            chol = np.linalg.cholesky(corr)
        except np.linalg.LinAlgError:
            raise ScenarioError(
                f"{spec.path or 'scenario file'}: the correlations are not consistent (their "
                "matrix is not positive definite): loosen them"
            ) from None
        u = stats.norm.cdf(chol @ z)
        for i, p in enumerate(random):
            draws[p.name] = quantile(p, u[i])
    for p in fixed:
        draws[p.name] = np.full(n_draws, p.fields["value"])
    grid_points = list(itertools.product(*[p.fields["values"] for p in grid])) or [()]
    rows = []
    for point in grid_points:
        for k in range(n_draws):
            row = {p.name: float(v) for p, v in zip(grid, point, strict=True)}
            row.update({name: float(values[k]) for name, values in draws.items()})
            rows.append(row)
    frame = pd.DataFrame(rows)[[p.name for p in active]]
    frame.index = pd.Index([f"s{i:05d}" for i in range(len(frame))], name="scenario_id")
    return frame
