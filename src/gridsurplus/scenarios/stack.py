"""Scenario LPs stacked into one, their first-stage columns (the builds) shared.

Each scenario ``s`` gives an LP ``min c_s . x_s`` s.t. ``lo_s <= A_s x_s <= up_s`` whose first
``n`` columns are the builds. The stacked LP has the ``n`` build columns once (bounds: the
intersection of the scenarios'), then every scenario's own columns, every scenario's rows, and
the objective of :mod:`gridsurplus.scenarios.risk`:

``min (1 - w) sum_s p_s c_s . x_s + w (eta + 1 / (1 - alpha) sum_s p_s u_s)``
``u_s + eta - c_s . x_s >= -r_s,  u_s >= 0,  eta free``

The extensive form (:mod:`~gridsurplus.scenarios.extensive`) stacks whole-year models; the
robust master (:mod:`~gridsurplus.scenarios.robust_master`) stacks each scenario's month
master.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from gridsurplus.scenarios.risk import Risk

if TYPE_CHECKING:
    import highspy

INF = float("inf")


@dataclass
class Block:
    """One scenario's LP, its ``n_shared`` build columns first."""

    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    matrix: sp.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray

    @classmethod
    def from_highs(cls, h: highspy.Highs, first: np.ndarray | None = None) -> Block:
        """The LP held by ``h``; ``first`` columns (positions) moved to the front."""
        import highspy

        lp = h.getLp()
        a = lp.a_matrix_
        n_cols, n_rows = lp.num_col_, lp.num_row_
        kind = sp.csr_matrix if a.format_ == highspy.MatrixFormat.kRowwise else sp.csc_matrix
        matrix = kind(
            (np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_)),
            shape=(n_rows, n_cols),
        )
        order = np.arange(n_cols)
        if first is not None and len(first):
            rest = np.setdiff1d(order, first, assume_unique=False)
            order = np.concatenate([np.asarray(first, int), rest])
        return cls(
            cost=np.asarray(lp.col_cost_, float)[order],
            col_lower=np.asarray(lp.col_lower_, float)[order],
            col_upper=np.asarray(lp.col_upper_, float)[order],
            matrix=matrix[:, order].tocsr(),
            row_lower=np.asarray(lp.row_lower_, float),
            row_upper=np.asarray(lp.row_upper_, float),
        )


@dataclass
class Stacked:
    """Where each scenario's columns went in the stacked LP."""

    highs: highspy.Highs
    n_shared: int
    offsets: list[int]  # first own column of each scenario
    eta_col: int  # -1 without CVaR
    u_cols: np.ndarray
    constant: float  # added to the LP's objective to give F [USD]

    def col(self, s: int, j: int) -> int:
        """Column of scenario ``s``'s own column ``j`` (``j >= n_shared``) or of a build."""
        return j if j < self.n_shared else self.offsets[s] + j - self.n_shared


def first_stage_rows(
    blocks: list[Block], n_builds: int, first: Block | None, fixed: bool = False
) -> list[Block]:
    """The blocks with their build-stage limits (rows on builds only) taken from ``first``.

    A scenario's own hosting and programme caps and site maxima do not bind the shared
    builds: those of ``first`` (the point forecast's problem) do, in every scenario, so the
    robust plan chooses among the same builds as the point-forecast plan (and VSS >= 0). With
    builds ``fixed`` the build-stage rows are dropped (the plan is already built). With
    neither, the blocks are returned as they are (every scenario's limits hold: their
    intersection).
    """
    if first is None and not fixed:
        return blocks
    out = []
    for b in blocks:
        outside = np.diff(b.matrix[:, n_builds:].tocsr().indptr)
        inside = np.diff(b.matrix[:, :n_builds].tocsr().indptr)
        keep = ~((outside == 0) & (inside > 0))
        matrix, lo, up = b.matrix[keep], b.row_lower[keep], b.row_upper[keep]
        col_lower, col_upper = b.col_lower.copy(), b.col_upper.copy()
        if first is not None and not fixed:
            f_out = np.diff(first.matrix[:, n_builds:].tocsr().indptr)
            f_in = np.diff(first.matrix[:, :n_builds].tocsr().indptr)
            rows = (f_out == 0) & (f_in > 0)
            caps = first.matrix[rows][:, :n_builds]
            pad = sp.csr_matrix((caps.shape[0], b.matrix.shape[1] - n_builds))
            matrix = sp.vstack([matrix, sp.hstack([caps, pad])]).tocsr()
            lo = np.r_[lo, first.row_lower[rows]]
            up = np.r_[up, first.row_upper[rows]]
            col_lower[:n_builds] = first.col_lower[:n_builds]
            col_upper[:n_builds] = first.col_upper[:n_builds]
        out.append(Block(b.cost, col_lower, col_upper, matrix, lo, up))
    return out


def stack(
    blocks: list[Block],
    n_shared: int,
    prob: np.ndarray,
    risk: Risk,
    reference: np.ndarray,
    fixed: np.ndarray | None = None,
) -> Stacked:
    """Stack scenario LPs into one HiGHS model (see the module's equations).

    Parameters
    ----------
    blocks : list of Block
        One LP per scenario, builds first.
    n_shared : int
        Number of build columns.
    prob : numpy.ndarray
        Scenario probabilities.
    risk : Risk
        Expected value or CVaR blend.
    reference : numpy.ndarray
        ``r_s`` per scenario [USD].
    fixed : numpy.ndarray, optional
        Builds fixed at these MW (the evaluation of a given plan).
    """
    import highspy

    w = risk.weight
    cvar = w > 0.0
    shared_lo = np.max([b.col_lower[:n_shared] for b in blocks], axis=0)
    shared_up = np.min([b.col_upper[:n_shared] for b in blocks], axis=0)
    if fixed is not None:
        shared_lo = shared_up = np.asarray(fixed, float)
    cost = [(1.0 - w) * sum(p * b.cost[:n_shared] for p, b in zip(prob, blocks, strict=True))]
    lower, upper = [shared_lo], [shared_up]
    offsets, pos = [], n_shared
    for p, b in zip(prob, blocks, strict=True):
        offsets.append(pos)
        pos += len(b.cost) - n_shared
        cost.append((1.0 - w) * p * b.cost[n_shared:])
        lower.append(b.col_lower[n_shared:])
        upper.append(b.col_upper[n_shared:])
    n_own = pos
    rows = []
    for s, b in enumerate(blocks):
        own = b.matrix[:, n_shared:]
        left = sp.csr_matrix((b.matrix.shape[0], offsets[s] - n_shared))
        right = sp.csr_matrix((b.matrix.shape[0], n_own - offsets[s] - own.shape[1]))
        rows.append(sp.hstack([b.matrix[:, :n_shared], left, own, right]))
    row_lo = [b.row_lower for b in blocks]
    row_up = [b.row_upper for b in blocks]
    eta_col, u_cols = -1, np.array([], dtype=int)
    n = n_own
    if cvar:
        S = len(blocks)
        eta_col, u_cols = n, n + 1 + np.arange(S)
        n += 1 + S
        cost.append(np.r_[w, w * np.asarray(prob) / (1.0 - risk.alpha)])
        lower.append(np.r_[-INF, np.zeros(S)])
        upper.append(np.full(1 + S, INF))
        rows = [sp.hstack([r, sp.csr_matrix((r.shape[0], 1 + S))]) for r in rows]
        # u_s + eta - c_s . x_s >= -r_s
        loss = sp.lil_matrix((S, n))
        for s, b in enumerate(blocks):
            own = np.arange(offsets[s], offsets[s] + len(b.cost) - n_shared)
            loss[s, :n_shared] = -b.cost[:n_shared]
            loss[s, own] = -b.cost[n_shared:]
            loss[s, eta_col] = 1.0
            loss[s, u_cols[s]] = 1.0
        rows.append(loss.tocsr())
        row_lo.append(-np.asarray(reference, float))
        row_up.append(np.full(S, INF))
    matrix = sp.vstack(rows).tocsc()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, matrix.shape[0]
    lp.col_cost_ = np.concatenate(cost)
    lp.col_lower_ = np.concatenate(lower)
    lp.col_upper_ = np.concatenate(upper)
    lp.row_lower_ = np.concatenate(row_lo)
    lp.row_upper_ = np.concatenate(row_up)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    from gridsurplus.model.solve import solver_output_to_stderr

    with solver_output_to_stderr():
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.passModel(lp)
    constant = -(1.0 - w) * float(np.dot(prob, reference))
    return Stacked(h, n_shared, offsets, eta_col, u_cols, constant)
