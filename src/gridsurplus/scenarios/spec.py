"""The scenario file: uncertain inputs, each with a distribution, a unit and a source.

A scenario file is YAML, for example::

    name: Pakistan 2027
    seed: 20261201            # default seed (``--seed`` overrides)
    samples: 200              # default number of random draws (``--samples`` overrides)
    parameters:  # one entry per input
      btc_price_usd:
        distribution: lognormal
        median: 91132
        sigma: 0.45
        unit: USD/BTC
        status: sourced       # sourced, derived or estimated
        source: "Hashrate Index roundup 12 Jan 2026: ~91,132; ..."
      network_hashrate_growth:
        distribution: triangular
        low: -0.10
        mode: 0.20
        high: 0.60
        unit: fraction/yr
        status: derived
        source: "..."
      tariff_pkr_per_kwh:
        distribution: grid
        values: [20, 23, 26]
        unit: PKR/kWh
        status: sourced
        source: "..."
    correlations:
      - [btc_price_usd, network_hashrate_growth, 0.6]

Distributions and their fields:

- ``uniform``: ``low``, ``high``;
- ``triangular``: ``low``, ``mode``, ``high``;
- ``normal``: ``mean``, ``sd`` (optional ``low``/``high`` clip the draws);
- ``lognormal``: ``median``, ``sigma`` (of the logarithm; optional ``low``/``high`` clip);
- ``choice``: ``values`` and optional ``weights`` (a discrete choice, drawn at random);
- ``grid``: ``values`` (every value is run: the scenarios are the Cartesian product of all
  grid parameters, each crossed with the random draws when there are random parameters);
- ``fixed``: ``value``.

Every parameter names its ``unit`` and its ``source`` (or the reasoning if ``status`` is
``estimated``). ``applier`` names the function that applies it (default: the parameter's own
name, see :mod:`gridsurplus.scenarios.appliers`) and ``options`` passes it keyword arguments.
``enabled: false`` declares a parameter without running it (an input the planner lacks yet).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gridsurplus.errors import InputError

DISTRIBUTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "uniform": (("low", "high"), ()),
    "triangular": (("low", "mode", "high"), ()),
    "normal": (("mean", "sd"), ("low", "high")),
    "lognormal": (("median", "sigma"), ("low", "high")),
    "choice": (("values",), ("weights",)),
    "grid": (("values",), ()),
    "fixed": (("value",), ()),
}
"""Each distribution's required and optional fields."""

STATUSES = ("sourced", "derived", "estimated")
_META = {"distribution", "unit", "status", "source", "applier", "options", "enabled", "notes"}


class ScenarioError(InputError):
    """A scenario file or a scenario cannot be used; the message says where and what to fix."""


@dataclass(frozen=True)
class Parameter:
    """One uncertain input.

    Attributes
    ----------
    name : str
        Parameter name (a column of the sweep's summary).
    distribution : str
        One of :data:`DISTRIBUTIONS`.
    fields : dict
        The distribution's numbers (``low``, ``mode``, ``values``, ...).
    unit : str
        Unit of the sampled value.
    status : str
        ``sourced``, ``derived`` or ``estimated``.
    source : str
        Where the range comes from, or the reasoning.
    applier : str
        Name of the function in :mod:`gridsurplus.scenarios.appliers` that applies it.
    options : dict
        Keyword arguments of the applier.
    enabled : bool
        Whether the parameter is sampled and applied.
    """

    name: str
    distribution: str
    fields: dict[str, Any]
    unit: str
    status: str
    source: str
    applier: str
    options: dict[str, Any] = field(default_factory=dict)
    enabled: bool = True

    @property
    def is_grid(self) -> bool:
        """Whether every value is run (a grid) rather than drawn."""
        return self.distribution == "grid"

    @property
    def is_random(self) -> bool:
        """Whether the value is drawn at random."""
        return self.distribution not in ("grid", "fixed")


@dataclass(frozen=True)
class ScenarioSpec:
    """A parsed scenario file.

    Attributes
    ----------
    name : str
        Name of the scenario set.
    parameters : list of Parameter
        In file order (disabled ones included).
    correlations : list of tuple
        ``(a, b, rho)``: rank-level correlation of two random parameters through a Gaussian
        copula (``rho`` is the correlation of their normal scores).
    seed : int
        Default seed.
    samples : int
        Default number of random draws.
    path : str
        File read ("" when built in memory).
    """

    name: str
    parameters: list[Parameter]
    correlations: list[tuple[str, str, float]] = field(default_factory=list)
    seed: int = 0
    samples: int = 100
    path: str = ""

    @property
    def active(self) -> list[Parameter]:
        """The parameters that are sampled and applied."""
        return [p for p in self.parameters if p.enabled]

    def digest(self) -> str:
        """A short hash of everything that decides the samples (to refuse mixing sweeps)."""
        payload = {
            "parameters": [
                [p.name, p.distribution, p.fields, p.applier, p.options, p.enabled]
                for p in self.parameters
            ],
            "correlations": self.correlations,
        }
        text = json.dumps(payload, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def _where(path: str, name: str | None = None) -> str:
    where = path or "scenario file"
    return f"{where}: parameter '{name}'" if name else where


def _number(value: Any, where: str, key: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ScenarioError(f"{where}: '{key}' must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise ScenarioError(f"{where}: '{key}' must be finite, got {value!r}")
    return x


def parse_parameter(name: str, raw: Any, path: str = "") -> Parameter:
    """Check one parameter's entry and return it.

    Examples
    --------
    >>> parse_parameter("x", {"distribution": "uniform", "low": 1, "high": 2, "unit": "MW",
    ...                       "status": "estimated", "source": "a guess"}).fields
    {'low': 1.0, 'high': 2.0}
    >>> parse_parameter("x", {"distribution": "uniform", "low": 3, "high": 2, "unit": "MW",
    ...                       "status": "estimated", "source": "a guess"})
    Traceback (most recent call last):
    ...
    gridsurplus.scenarios.spec.ScenarioError: scenario file: parameter 'x': needs low < high, ...
    """
    where = _where(path, name)
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: expected a mapping with 'distribution', got {raw!r}")
    dist = str(raw.get("distribution", "")).strip().lower()
    if dist not in DISTRIBUTIONS:
        raise ScenarioError(
            f"{where}: distribution {raw.get('distribution')!r} unknown; choose from "
            f"{', '.join(DISTRIBUTIONS)}"
        )
    required, optional = DISTRIBUTIONS[dist]
    missing = [k for k in required if k not in raw]
    if missing:
        raise ScenarioError(f"{where}: a {dist} distribution needs {', '.join(missing)}")
    unknown = sorted(set(raw) - set(required) - set(optional) - _META)
    if unknown:
        raise ScenarioError(
            f"{where}: unknown field(s) {', '.join(unknown)} for a {dist} distribution "
            f"(fields: {', '.join(required + optional)})"
        )
    for key in ("unit", "source"):
        if not str(raw.get(key, "") or "").strip():
            raise ScenarioError(
                f"{where}: give its '{key}'"
                + (" (where the range comes from, or the reasoning)" if key == "source" else "")
            )
    status = str(raw.get("status", "")).strip().lower()
    if status not in STATUSES:
        raise ScenarioError(
            f"{where}: status must be one of {', '.join(STATUSES)}, got {raw.get('status')!r}"
        )
    fields: dict[str, Any] = {}
    if dist in ("choice", "grid"):
        values = raw["values"]
        if not isinstance(values, list) or not values:
            raise ScenarioError(f"{where}: 'values' must be a non-empty list")
        fields["values"] = [_number(v, where, "values") for v in values]
        if "weights" in raw:
            w = raw["weights"]
            if not isinstance(w, list) or len(w) != len(values):
                raise ScenarioError(f"{where}: 'weights' must be a list as long as 'values'")
            weights = [_number(x, where, "weights") for x in w]
            if min(weights) < 0 or sum(weights) <= 0:
                raise ScenarioError(f"{where}: weights must be >= 0 and not all zero")
            fields["weights"] = [x / sum(weights) for x in weights]
    else:
        for key in required + optional:
            if key in raw:
                fields[key] = _number(raw[key], where, key)
    _check_fields(dist, fields, where)
    options = raw.get("options") or {}
    if not isinstance(options, dict):
        raise ScenarioError(f"{where}: 'options' must be a mapping of applier arguments")
    return Parameter(
        name=name,
        distribution=dist,
        fields=fields,
        unit=str(raw["unit"]),
        status=status,
        source=str(raw["source"]).strip(),
        applier=str(raw.get("applier", name)),
        options=dict(options),
        enabled=bool(raw.get("enabled", True)),
    )


def _check_fields(dist: str, f: dict[str, Any], where: str) -> None:
    if dist == "uniform" and not f["low"] < f["high"]:
        raise ScenarioError(f"{where}: needs low < high, got {f['low']:g} and {f['high']:g}")
    if dist == "triangular" and not (f["low"] <= f["mode"] <= f["high"] and f["low"] < f["high"]):
        raise ScenarioError(
            f"{where}: needs low <= mode <= high and low < high, got "
            f"{f['low']:g}, {f['mode']:g}, {f['high']:g}"
        )
    if dist == "normal" and not f["sd"] > 0:
        raise ScenarioError(f"{where}: sd must be above zero, got {f['sd']:g}")
    if dist == "lognormal" and not (f["median"] > 0 and f["sigma"] > 0):
        raise ScenarioError(f"{where}: median and sigma must be above zero")
    if "low" in f and "high" in f and dist in ("normal", "lognormal") and not f["low"] < f["high"]:
        raise ScenarioError(f"{where}: needs low < high for the clip")


def parse_spec(raw: Any, path: str = "") -> ScenarioSpec:
    """Check a scenario file's contents (already read from YAML) and return the spec."""
    where = _where(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("parameters"), dict):
        raise ScenarioError(f"{where}: expected a mapping with a 'parameters' mapping")
    if not raw["parameters"]:
        raise ScenarioError(f"{where}: 'parameters' is empty")
    params = [parse_parameter(str(k), v, path) for k, v in raw["parameters"].items()]
    by_name = {p.name: p for p in params}
    correlations: list[tuple[str, str, float]] = []
    for i, row in enumerate(raw.get("correlations") or [], start=1):
        if not (isinstance(row, list) and len(row) == 3):
            raise ScenarioError(f"{where}: correlation {i} must be [parameter, parameter, rho]")
        a, b, rho = str(row[0]), str(row[1]), _number(row[2], f"{where}: correlation {i}", "rho")
        for n in (a, b):
            if n not in by_name:
                raise ScenarioError(f"{where}: correlation {i} names unknown parameter '{n}'")
            if not by_name[n].is_random:
                raise ScenarioError(
                    f"{where}: correlation {i}: '{n}' is not drawn at random "
                    f"({by_name[n].distribution}); only random parameters can be correlated"
                )
        if a == b or not -1 < rho < 1:
            raise ScenarioError(
                f"{where}: correlation {i} needs two different parameters and -1 < rho < 1"
            )
        correlations.append((a, b, rho))
    seed = int(raw.get("seed", 0))
    samples = int(raw.get("samples", 100))
    if samples < 1:
        raise ScenarioError(f"{where}: samples must be at least 1")
    return ScenarioSpec(
        name=str(raw.get("name", Path(path).stem if path else "scenarios")),
        parameters=params,
        correlations=correlations,
        seed=seed,
        samples=samples,
        path=path,
    )


def read_spec(path: str | Path) -> ScenarioSpec:
    """Read and check a scenario file (YAML)."""
    import yaml

    path = Path(path)
    if not path.exists():
        raise ScenarioError(f"scenario file {path} not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ScenarioError(f"{path}: not valid YAML: {exc}") from None
    return parse_spec(raw, str(path))


def dataset_spec_path(ds: Any) -> Path:
    """The dataset's own scenario file (``scenarios.yaml`` in its folder)."""
    folder = getattr(ds, "path", None)
    if folder is None:
        from gridsurplus.dataset.io import default_dataset_path

        folder = default_dataset_path()
    path = Path(folder) / "scenarios.yaml"
    if not path.exists():
        raise ScenarioError(
            f"the dataset at {folder} has no scenarios.yaml: give a scenario file "
            "(gridsurplus sweep SCENARIOS.yaml)"
        )
    return path
