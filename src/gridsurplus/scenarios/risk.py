"""The robust plan's objective: expected loss, optionally blended with its CVaR.

A scenario's *loss* is minus the national welfare the programme adds in it:
``L_s = c_s . x_s - r_s`` (the LP's objective of scenario ``s``, costs minus compute value
with the builds' annuities, less a reference ``r_s`` such as the same scenario with nothing
built). The robust plan minimises

``F = (1 - w) sum_s p_s L_s + w CVaR_alpha(L)``

with the CVaR in Rockafellar and Uryasev's linear form

``CVaR_alpha(L) = min_eta  eta + 1 / (1 - alpha) sum_s p_s max(0, L_s - eta)``

(one free variable ``eta`` [USD] and one ``u_s >= L_s - eta, u_s >= 0`` per scenario). ``w = 0``
is the expected value; ``w = 1, alpha -> 1`` the worst scenario.

>>> Risk.parse("cvar:0.9:0.5")
Risk(alpha=0.9, weight=0.5)
>>> risk_value(np.array([1.0, 3.0]), np.array([0.5, 0.5]), Risk(alpha=0.5, weight=1.0))
3.0
>>> Risk.parse("cvar:1:0.5")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
gridsurplus.scenarios.spec.ScenarioError: --risk cvar:ALPHA:WEIGHT needs 0 <= ALPHA < 1 ...
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gridsurplus.scenarios.spec import ScenarioError


@dataclass(frozen=True)
class Risk:
    """How the robust plan weighs the scenarios.

    Attributes
    ----------
    alpha : float
        CVaR level [fraction, 0 <= alpha < 1]: the mean of the worst ``1 - alpha`` of losses.
    weight : float
        Weight of the CVaR in the objective [fraction, 0-1]; 0 is the expected value.
    """

    alpha: float = 0.0
    weight: float = 0.0

    @classmethod
    def parse(cls, text: str) -> Risk:
        """``expected`` or ``cvar:ALPHA:WEIGHT``."""
        if text.strip() == "expected":
            return cls()
        parts = text.strip().split(":")
        fail = ScenarioError(
            f"--risk cvar:ALPHA:WEIGHT needs 0 <= ALPHA < 1 and 0 <= WEIGHT <= 1, got '{text}'"
        )
        if len(parts) != 3 or parts[0] != "cvar":
            raise ScenarioError(f"--risk must be 'expected' or 'cvar:ALPHA:WEIGHT', got '{text}'")
        try:
            alpha, weight = float(parts[1]), float(parts[2])
        except ValueError as exc:
            raise fail from exc
        if not (0.0 <= alpha < 1.0 and 0.0 <= weight <= 1.0):
            raise fail
        return cls(alpha=alpha, weight=weight)

    @property
    def label(self) -> str:
        """``expected`` or ``cvar:ALPHA:WEIGHT``."""
        return "expected" if self.weight == 0.0 else f"cvar:{self.alpha:g}:{self.weight:g}"


def cvar(loss: np.ndarray, prob: np.ndarray, alpha: float) -> float:
    """CVaR of discrete losses at level ``alpha`` [USD] (the minimum over ``eta`` is at a loss)."""
    loss = np.asarray(loss, float)
    prob = np.asarray(prob, float)
    excess = np.maximum(0.0, loss[None, :] - loss[:, None]) @ prob  # for eta = each loss
    return float(np.min(loss + excess / (1.0 - alpha)))


def risk_value(loss: np.ndarray, prob: np.ndarray, risk: Risk) -> float:
    """``F = (1 - w) E[L] + w CVaR_alpha(L)`` [USD]."""
    expected = float(np.dot(prob, loss))
    if risk.weight == 0.0:
        return expected
    return (1.0 - risk.weight) * expected + risk.weight * cvar(loss, prob, risk.alpha)


def probabilities(n: int, prob: np.ndarray | None = None) -> np.ndarray:
    """Scenario probabilities: equal by default; checked to be >= 0 and sum to 1."""
    p = np.full(n, 1.0 / n) if prob is None else np.asarray(prob, float)
    if len(p) != n or (p < 0).any() or abs(p.sum() - 1.0) > 1e-9:
        raise ScenarioError(f"scenario probabilities must be {n} values >= 0 summing to 1")
    return p
