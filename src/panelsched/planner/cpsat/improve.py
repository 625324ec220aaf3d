"""Local search on stage 1's plan: moves, swaps and chains that keep every rule and improve.

CP-SAT, given a fraction of a second a panel, often stops at a plan where one referral could
move to a sitting with room, or where a 15-minute case and a 20-minute case at two sittings
could change places, and each would wait less in all. Such moves are cheap to find for every
referral at once with arrays, so after each search the plan is improved by them until none is
left (or the move budget is spent):

- *move*: a referral goes to another sitting open to it (an unplaced one is booked);
- *swap*: two referrals at different sittings, each open at the other's, change places;
- *chain*: a move or swap that frees minutes at a sitting, then a third referral moving into
  them (three 20-minute cases fill an hour where one or two leave 5 or 10 minutes idle, so
  grouping complex cases takes two or three moving at once).

A move is taken only if it keeps every rule's row (a sitting's minutes, a person's time) and
improves the objective's levels lexicographically (:data:`~.assignment.LEVELS`): the first
level it changes gets better. The levels held before waiting therefore never get worse, and
the result depends only on the stage and the plan given (the order is fixed), not on the
machine. Moves are found best first; a pass takes each improving move that is still valid
after the ones taken before it.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sparse
from numpy.typing import NDArray

from panelsched.planner.cpsat.assignment import LEVELS, Row, Stage, as_matrix

# Swaps looked at in one pass, at most (the best by the first level they change): a bound on
# the arrays' size when a panel has many referrals at each sitting.
MAX_SWAPS_PER_PASS = 400_000
MAX_PASSES = 60


def improve(
    stage: Stage, plan: NDArray[np.bool_], max_passes: int = MAX_PASSES
) -> NDArray[np.bool_]:
    """``plan`` (a mask over the stage's arcs, keeping every rule) improved by local moves.

    Parameters
    ----------
    stage
        One panel's stage-1 problem.
    plan
        The arcs chosen: at most one per referral, every row kept.
    max_passes
        Passes over every referral, at most; the search stops sooner when a pass finds no
        improving move.

    Returns
    -------
    numpy.ndarray
        A plan at least as good on every level in order, keeping every rule.
    """
    arcs = stage.arcs
    n = len(arcs)
    if n == 0:
        return plan.copy()
    costs = np.vstack([c for level in LEVELS if (c := level(arcs)).any()]).astype(np.int64)
    # A referral's one-sitting row holds by construction: each move keeps one arc for it.
    limits = [row for row in stage.rows if not row.at_most_one]
    matrix, upper = as_matrix(limits, n)
    search = _Search(stage, costs, limits, matrix, upper, plan)
    for _ in range(max_passes):
        if not (search.moves() + search.swaps() + search.chains()):
            break
    return search.plan()


class _Search:
    """The plan as one arc (or -1) per referral, the rows' use, and the two kinds of move."""

    def __init__(
        self,
        stage: Stage,
        costs: NDArray[np.int64],
        rows: list[Row],
        matrix: sparse.csr_matrix,
        upper: NDArray[np.int64],
        plan: NDArray[np.bool_],
    ) -> None:
        arcs = stage.arcs
        self.n = len(arcs)
        self.costs = costs
        self.upper = upper
        matrix = matrix.tocsc()
        self.indptr = matrix.indptr
        self.indices = matrix.indices
        self.data = matrix.data
        self.used = np.asarray(matrix @ plan.astype(np.int64), dtype=np.int64)
        _, self.who = np.unique(arcs.referral, return_inverse=True)
        _, self.where = np.unique(arcs.sitting, return_inverse=True)
        self.sittings = int(self.where.max()) + 1
        self.choice = np.full(int(self.who.max()) + 1, -1, dtype=np.int64)
        self.choice[self.who[plan]] = np.flatnonzero(plan)
        # Each arc's (referral, sitting) as one sortable key, to find a referral's arc at a
        # given sitting.
        self.keys = self.who * self.sittings + self.where
        self.order = np.argsort(self.keys, kind="stable")
        self.sorted_keys = self.keys[self.order]
        self.minutes = arcs.minutes.astype(np.int64)
        self.sizes = np.unique(self.minutes)
        # Each sitting's minutes row: the row over every arc at that sitting, by minutes.
        self.minutes_row = np.full(self.sittings, -1, dtype=np.int64)
        arcs_at = np.bincount(self.where, minlength=self.sittings)
        for i, row in enumerate(rows):
            at = np.unique(self.where[row.arcs])
            if (
                len(at) == 1
                and len(row.arcs) == arcs_at[at[0]]
                and (row.coefs == self.minutes[row.arcs]).all()
            ):
                self.minutes_row[at[0]] = i

    def plan(self) -> NDArray[np.bool_]:
        chosen = np.zeros(self.n, dtype=bool)
        chosen[self.choice[self.choice >= 0]] = True
        return chosen

    def _arc_of(self, referral: NDArray[np.int64], sitting: NDArray[np.int64]) -> NDArray[np.int64]:
        """Each referral's arc at the sitting, or -1 where it has none."""
        wanted = referral * self.sittings + sitting
        at = np.searchsorted(self.sorted_keys, wanted)
        at = np.minimum(at, len(self.sorted_keys) - 1)
        found = self.sorted_keys[at] == wanted
        return np.where(found, self.order[at], -1)

    def _gain(
        self, into: list[NDArray[np.int64]], out: list[NDArray[np.int64]]
    ) -> NDArray[np.int64]:
        """Per level, what the moves change (arcs ``into`` chosen, ``out`` given up; -1 none)."""
        change = np.zeros((len(self.costs), len(into[0])), dtype=np.int64)
        for arc in into:
            change += np.where(arc >= 0, self.costs[:, np.maximum(arc, 0)], 0)
        for arc in out:
            change -= np.where(arc >= 0, self.costs[:, np.maximum(arc, 0)], 0)
        return change

    @staticmethod
    def _better(change: NDArray[np.int64]) -> NDArray[np.int64]:
        """The moves whose first changed level improves, best first (by level, in order)."""
        decided = np.zeros(change.shape[1], dtype=bool)
        better = np.zeros(change.shape[1], dtype=bool)
        for level in change:
            better |= ~decided & (level < 0)
            decided |= level != 0
        picked = np.flatnonzero(better)
        # np.lexsort sorts by the last key first: the first level decides.
        return picked[np.lexsort(tuple(change[::-1, picked]))]

    def _fits(self, into: tuple[int, ...], out: tuple[int, ...]) -> bool:
        """Whether taking ``into`` and giving up ``out`` keeps every row."""
        delta: dict[int, int] = {}
        for arc, sign in [(a, 1) for a in into] + [(a, -1) for a in out]:
            if arc < 0:
                continue
            for k in range(self.indptr[arc], self.indptr[arc + 1]):
                row = int(self.indices[k])
                delta[row] = delta.get(row, 0) + sign * int(self.data[k])
        return all(self.used[row] + d <= self.upper[row] for row, d in delta.items() if d > 0)

    def _take(self, into: tuple[int, ...], out: tuple[int, ...]) -> None:
        for arc, sign in [(a, 1) for a in into] + [(a, -1) for a in out]:
            if arc < 0:
                continue
            span = slice(self.indptr[arc], self.indptr[arc + 1])
            self.used[self.indices[span]] += sign * self.data[span]
        for arc in out:
            if arc >= 0:
                self.choice[self.who[arc]] = -1
        for arc in into:
            self.choice[self.who[arc]] = arc

    def _elsewhere(self, placed: bool = False) -> NDArray[np.int64]:
        """Arcs not in the plan (of placed referrals only, with ``placed``)."""
        other = self.choice[self.who] != np.arange(self.n)
        if placed:
            other &= self.choice[self.who] >= 0
        return np.flatnonzero(other)

    def _single(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
        """Every single move: the arc taken, the arc given up (-1 when unplaced), the change."""
        candidate = self._elsewhere()
        now = self.choice[self.who[candidate]]
        return candidate, now, self._gain([candidate], [now])

    def moves(self) -> int:
        """One pass of single moves; how many were taken."""
        candidate, now, change = self._single()
        return self._apply(np.vstack([candidate]), np.vstack([now]), change)

    def _pairs(self) -> tuple[NDArray[np.int64], ...] | None:
        """Every swap: (arc into, arc out) for the first referral, then for the second."""
        placed = np.flatnonzero(self.choice >= 0)
        if len(placed) < 2:
            return None
        # Who sits where now, grouped by sitting.
        at = self.choice[placed]
        by_sitting = np.argsort(self.where[at], kind="stable")
        occupant_arc = at[by_sitting]
        starts = np.searchsorted(self.where[occupant_arc], np.arange(self.sittings + 1))
        # Every arc into another sitting for a placed referral, paired with each occupant.
        first = self._elsewhere(placed=True)
        count = starts[self.where[first] + 1] - starts[self.where[first]]
        if count.sum() > MAX_SWAPS_PER_PASS:
            # The cheapest first arcs first: they make the best swaps.
            own = self.choice[self.who[first]]
            gain = self._gain([first], [own])
            keep = np.sort(self._cheapest(gain, count))
            first, count = first[keep], count[keep]
        into_one = np.repeat(first, count)
        offsets = np.arange(len(into_one)) - np.repeat(np.cumsum(count) - count, count)
        out_two = occupant_arc[np.repeat(starts[self.where[first]], count) + offsets]
        out_one = self.choice[self.who[into_one]]
        into_two = self._arc_of(self.who[out_two], self.where[out_one])
        valid = into_two >= 0
        if not valid.any():
            return None
        return tuple(a[valid] for a in (into_one, out_one, into_two, out_two))

    def swaps(self) -> int:
        """One pass of swaps between two referrals at different sittings; how many taken."""
        pairs = self._pairs()
        if pairs is None:
            return 0
        into_one, out_one, into_two, out_two = pairs
        change = self._gain([into_one, into_two], [out_one, out_two])
        return self._apply(np.vstack([into_one, into_two]), np.vstack([out_one, out_two]), change)

    def _apply(
        self,
        into: NDArray[np.int64],
        out: NDArray[np.int64],
        change: NDArray[np.int64],
        touched: set[int] | None = None,
    ) -> int:
        """Take the improving compound moves (columns of ``into``/``out``), best first, each
        if it still keeps every row and touches no referral moved in this pass (``touched``):
        a move's change was worked out for its referrals' arcs as they were."""
        taken = 0
        touched = set() if touched is None else touched
        for k in self._better(change).tolist():
            arcs_in = tuple(int(a) for a in into[:, k])
            arcs_out = tuple(int(a) for a in out[:, k])
            who = {int(self.who[a]) for a in arcs_in}
            if who & touched or not self._fits(arcs_in, arcs_out):
                continue
            self._take(arcs_in, arcs_out)
            touched |= who
            taken += 1
        return taken

    def _free(self, sitting: NDArray[np.int64]) -> NDArray[np.int64]:
        """Minutes left at each sitting (a large number where it has no minutes row)."""
        row = self.minutes_row[sitting]
        safe = np.maximum(row, 0)
        return np.where(row >= 0, self.upper[safe] - self.used[safe], 10**9)

    def _best_arrivals(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
        """Per sitting and slot length, the best single move of a referral of that length
        into the sitting from elsewhere: its arc, the arc it leaves (-1), its change."""
        candidate, now, change = self._single()
        size = np.searchsorted(self.sizes, self.minutes[candidate])
        group = self.where[candidate] * len(self.sizes) + size
        order = np.lexsort((*tuple(change[::-1]), group))
        first = np.ones(len(order), dtype=bool)
        first[1:] = group[order][1:] != group[order][:-1]
        best = order[first]
        arrive = np.full(self.sittings * len(self.sizes), -1, dtype=np.int64)
        leave = np.full(self.sittings * len(self.sizes), -1, dtype=np.int64)
        gain = np.zeros((len(self.costs), self.sittings * len(self.sizes)), dtype=np.int64)
        arrive[group[best]] = candidate[best]
        leave[group[best]] = now[best]
        gain[:, group[best]] = change[:, best]
        return arrive, leave, gain

    def chains(self) -> int:
        """One pass of a move or swap that frees minutes, with another referral moving into
        them: a 20-minute case leaving a sitting makes room for a 15-minute one, say, which
        no single move or swap improves on its own. How many were taken."""
        placed = np.flatnonzero(self.choice >= 0)
        if len(placed) < 2 or not (self.minutes_row >= 0).any():
            return 0
        arrive, leave, gain = self._best_arrivals()
        # First steps: every move of a placed referral to another sitting, and every swap.
        step = self._elsewhere(placed=True)
        away = self.choice[self.who[step]]
        firsts = [(np.vstack([step]), np.vstack([away]), self.minutes[away])]
        pairs = self._pairs()
        if pairs is not None:
            into_one, out_one, into_two, out_two = pairs
            firsts.append(
                (
                    np.vstack([into_one, into_two]),
                    np.vstack([out_one, out_two]),
                    self.minutes[out_one] - self.minutes[into_two],
                )
            )
        found_into: list[NDArray[np.int64]] = []
        found_out: list[NDArray[np.int64]] = []
        found_change: list[NDArray[np.int64]] = []
        for into, out, freed in firsts:
            # The room made at the sitting the first referral leaves.
            left = self.where[out[0]]
            free = self._free(left) + freed
            base = self._gain(list(into), list(out))
            for size_index, size in enumerate(self.sizes.tolist()):
                slot = left * len(self.sizes) + size_index
                third = arrive[slot]
                mover = self.who[np.maximum(third, 0)]
                valid = (third >= 0) & (size <= free)
                for arc in into:
                    valid &= mover != self.who[arc]
                found_into.append(np.vstack([*into[:, valid], third[valid]]))
                found_out.append(np.vstack([*out[:, valid], leave[slot][valid]]))
                found_change.append(base[:, valid] + gain[:, slot[valid]])
        taken = 0
        touched: set[int] = set()
        for into, out, change in zip(found_into, found_out, found_change, strict=True):
            if into.shape[1]:
                taken += self._apply(into, out, change, touched)
        return taken

    @staticmethod
    def _cheapest(gain: NDArray[np.int64], count: NDArray[np.int64]) -> NDArray[np.int64]:
        order = np.lexsort(tuple(gain[::-1]))
        total = np.cumsum(count[order])
        return order[: max(1, int(np.searchsorted(total, MAX_SWAPS_PER_PASS)))]


__all__ = ["improve"]
