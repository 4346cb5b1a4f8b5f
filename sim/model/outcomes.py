"""Headline outcomes of a run: one table of what a run came to, and how each is computed.

Every place that sums a run up in a few numbers reads :data:`OUTCOMES`: the
ensemble's ``summary.csv`` columns (:data:`sim.running.replicates.OUTCOMES`),
the table of ``sim compare``, the report's headline and the dashboard. Each
:class:`Outcome` has a name (the column name), a label a student reads, a unit
and range, the direction that counts as better (lower tension is better; a
stronger arms-control regime is better) and the function that computes it.

The functions read a run's per-turn series (:class:`PerTurn`), which come
from a finished run (:meth:`PerTurn.of` on ``RunResult.arrays``, also for a
batch of replicates, where every series has a replicate axis after the turn
axis) or from a run folder's ``metrics.csv`` (:meth:`PerTurn.from_metrics`).
They reduce exactly as the batch tally of :mod:`sim.running.replicates` does,
so a single run's outcomes equal its row of an ensemble's ``summary.csv`` bit
for bit::

    import sim
    from sim.model.outcomes import OUTCOMES, PerTurn

    result = sim.run("scenarios/dec2025_joint_drill.yaml", seed=7)
    series = PerTurn.of(result.arrays)
    {o.name: o.of(series) for o in OUTCOMES}   # {'peak_tension': 0.61..., ...}

Adding an outcome is one entry in :data:`OUTCOMES` (and, for it to be
computed for every replicate of an ensemble, the same reduction in
:class:`sim.running.replicates.Tally`; a test checks the two agree).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import pandas as pd

    from sim.model.derive import Derived

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741


@dataclass(frozen=True, slots=True)
class PerTurn:
    """The per-turn series the outcomes read (T turns played, N actors).

    Every array has the turn axis first; a batch of replicates adds a
    replicate axis after it (``(T, R, N)`` rather than ``(T, N)``).

    Attributes:
        tension: ``(T + 1, ..., N)`` tension of each actor, 0-1; row 0 is the start.
        rung: ``(T, ..., N)`` rung of each actor's move.
        escalation_index: ``(T, ...)`` escalation index after each turn, 0-1.
        mean_abs_gap: ``(T, ...)`` mean absolute perception gap ``|P - meant|`` of
            each turn, 0-1.
        norms: ``(T, ...)`` strength of the arms-control regime after each turn, 0-1.
        links: ``(T, ...)`` counter-actions made in each turn (docs/model.md 7.12).
        miscalculations: ``(T, ...)`` of those, the miscalculations.
        longest_chain: ``(T, ...)`` the longest chain ending in each turn (counter-actions).
    """

    tension: F
    rung: I
    escalation_index: F
    mean_abs_gap: F
    norms: F
    links: I
    miscalculations: I
    longest_chain: I

    @classmethod
    def of(cls, arrays: Derived) -> PerTurn:
        """The series of a run (or a batch), from ``RunResult.arrays``."""
        return cls(
            tension=arrays.tension,
            rung=arrays.rung,
            escalation_index=arrays.escalation_index,
            mean_abs_gap=arrays.mean_abs_gap,
            norms=arrays.norms,
            links=arrays.answered.sum(axis=-1),
            miscalculations=arrays.miscalculation.sum(axis=-1),
            longest_chain=arrays.chain_depth.max(axis=-1, initial=0),
        )

    @classmethod
    def from_metrics(cls, metrics: pd.DataFrame, actor_ids: Sequence[str]) -> PerTurn:
        """The series of a run folder, from its ``metrics.csv`` read as a table.

        Values are those the file holds (six decimals); actors come in
        ``actor_ids`` order.

        Raises:
            ValueError: a metric or an actor the outcomes need is missing.
        """
        ids = list(actor_ids)
        solo = metrics[metrics["other"].isna() | (metrics["other"].astype(str) == "")]

        def per_actor(name: str) -> F:
            rows = solo[solo["metric"] == name]
            table = rows.pivot(index="turn", columns="actor", values="value").sort_index()
            missing = [a for a in ids if a not in table.columns]
            if missing or table.empty:
                raise ValueError(f"metrics.csv has no {name} for {missing or 'any actor'}")
            return np.asarray(table[ids].to_numpy(), dtype=np.float64)

        def system(name: str) -> F:
            rows = solo[solo["metric"] == name].sort_values("turn")
            return np.asarray(rows["value"].to_numpy(), dtype=np.float64)

        def whole(values: F) -> I:
            return np.asarray(values, dtype=np.int64)

        return cls(
            tension=per_actor("tension"),
            rung=whole(per_actor("rung")),
            escalation_index=system("escalation_index"),
            mean_abs_gap=system("perception_gap_mean"),
            norms=system("norms"),
            links=whole(system("chain_links")),
            miscalculations=whole(system("miscalculations")),
            longest_chain=whole(system("longest_chain")),
        )

    @property
    def turns(self) -> int:
        """Turns played (T)."""
        return int(self.rung.shape[0])

    @property
    def moves(self) -> int:
        """Moves played: actor-turns, N x T (per replicate of a batch)."""
        return int(self.rung.shape[0]) * int(self.rung.shape[-1])


Better = Literal["lower", "higher"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One headline outcome of a run.

    Attributes:
        name: Its name: the column of ``summary.csv`` and the key everywhere else.
        label: What it is, in a few words a student reads (``sim compare``'s rows).
        unit: Its unit or scale, e.g. ``"0–1"``, ``"rung"``, ``"counter-actions"``.
        low: The smallest value it can take.
        high: The largest (None: it depends on the scenario, e.g. the ladder's
            top rung or the number of turns).
        better: ``"lower"`` or ``"higher"``: which way is the calmer outcome.
        whole: A count or a rung (int64), not a fraction (float64).
        compute: ``compute(series)``: the value of a run (a 0-d array) or of
            each replicate of a batch (``(R,)``).
        headline: Position in the headline tables (``sim compare``, the
            report); None: only in ``summary.csv``.
        definition: What it means, in one sentence; README.md ("What the
            numbers mean") and docs/model.md 7.12 give this sentence word for
            word (``tests/model/test_metric_definitions.py``).
    """

    name: str
    label: str
    unit: str
    low: float
    high: float | None
    better: Better
    whole: bool
    compute: Callable[[PerTurn], NDArray[np.generic]]
    headline: int | None = None
    definition: str = ""

    def of(self, series: PerTurn) -> NDArray[np.generic]:
        """The outcome of ``series`` (int64 or float64; a 0-d array for one run).

        Raises:
            ValueError: no turn was played (outcomes describe turns played).
        """
        if series.turns == 0:
            raise ValueError(f"{self.name}: no turn was played, so there is no outcome yet")
        value = np.asarray(self.compute(series))
        return value.astype(np.int64 if self.whole else np.float64)

    def improved(self, before: float, after: float) -> bool:
        """Whether ``after`` is better than ``before`` (strictly), in this outcome's direction."""
        return after < before if self.better == "lower" else after > before


def _over_turns_last(x: F) -> F:
    """``x`` ``(T, ...)`` with the turn axis moved last, contiguous (as the batch tally sums it)."""
    return np.ascontiguousarray(np.moveaxis(x, 0, -1))


OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        "peak_tension", "highest tension of any actor", "0–1", 0.0, 1.0, "lower", False,
        lambda s: s.tension[1:].max(axis=0).max(axis=-1), headline=3,
        definition=(
            "The highest tension any one actor reached after any turn of the run, from 0 (calm) "
            "to 1."
        ),
    ),
    Outcome(
        "peak_mean_tension", "peak of mean tension", "0–1", 0.0, 1.0, "lower", False,
        lambda s: s.tension[1:].mean(axis=-1).max(axis=0), headline=1,
        definition=(
            "The highest value, over the turns played, of tension averaged over all actors."
        ),
    ),
    Outcome(
        "final_mean_tension", "mean tension at the end", "0–1", 0.0, 1.0, "lower", False,
        lambda s: s.tension[-1].mean(axis=-1), headline=2,
        definition=(
            "Tension averaged over all actors after the last turn."
        ),
    ),
    Outcome(
        "final_escalation_index", "escalation index at the end", "0–1", 0.0, 1.0, "lower",
        False, lambda s: s.escalation_index[-1], headline=4,
        definition=(
            "After the last turn, the mean over actors of half the actor's tension plus half the "
            "rung of its last move as a share of the top rung."
        ),
    ),
    Outcome(
        "max_rung", "highest rung played", "rung", 0.0, None, "lower", True,
        lambda s: s.rung.max(axis=0).max(axis=-1),
        definition=(
            "The highest rung of the escalation ladder that any actor played in the run."
        ),
    ),
    Outcome(
        "mean_abs_gap", "mean perception gap (absolute)", "0–1", 0.0, 1.0, "lower", False,
        lambda s: _over_turns_last(s.mean_abs_gap).mean(axis=-1), headline=5,
        definition=(
            "The mean over turns of each turn's average absolute perception gap, where a gap is "
            "an observer's reading of a move it saw minus the hostility the sender meant toward "
            "that observer (less toward a partner)."
        ),
    ),
    Outcome(
        "chain_links", "counter-actions", "counter-actions", 0.0, None, "lower", True,
        lambda s: s.links.sum(axis=0), headline=6,
        definition=(
            "The number of counter-actions: moves that are hostile and more hostile than the "
            "mover's previous move, made the turn after the mover's most hostile reading was "
            "hostile and more hostile than its sender meant it toward the mover."
        ),
    ),
    Outcome(
        "miscalculations", "miscalculations", "counter-actions", 0.0, None, "lower", True,
        lambda s: s.miscalculations.sum(axis=0), headline=7,
        definition=(
            "The number of counter-actions whose triggering reading exceeded what its sender "
            "meant toward the reader by at least the miscalculation threshold."
        ),
    ),
    Outcome(
        "miscalculation_rate", "miscalculations per move", "share", 0.0, 1.0, "lower", False,
        lambda s: s.miscalculations.sum(axis=0) / s.moves, headline=8,
        definition=(
            "Miscalculations divided by the moves played (actors times turns), so that it stays "
            "comparable when the counts saturate."
        ),
    ),
    Outcome(
        "longest_chain", "longest chain (counter-actions)", "counter-actions", 0.0, None,
        "lower", True, lambda s: s.longest_chain.max(axis=0), headline=9,
        definition=(
            "The most counter-actions in one chain, in which each counter-action counters the "
            "actor who made the one before it."
        ),
    ),
    Outcome(
        "final_norms", "regime strength at the end", "0–1", 0.0, 1.0, "higher", False,
        lambda s: s.norms[-1], headline=10,
        definition=(
            "The strength of the arms-control and transparency regime after the last turn, where "
            "higher is stronger."
        ),
    ),
)  # fmt: skip
"""Every headline outcome, in the column order of an ensemble's ``summary.csv``."""

OUTCOME: dict[str, Outcome] = {o.name: o for o in OUTCOMES}
"""The outcomes by name."""


def outcome_names() -> tuple[str, ...]:
    """The outcomes' names in ``summary.csv`` column order (``replicates.OUTCOMES``)."""
    return tuple(o.name for o in OUTCOMES)


def headline_labels() -> dict[str, str]:
    """``{name: label}`` of the headline outcomes in table order (``compare.OUTCOMES``)."""
    shown = sorted((o for o in OUTCOMES if o.headline is not None), key=lambda o: o.headline or 0)
    return {o.name: o.label for o in shown}


def outcome_values(series: PerTurn) -> dict[str, NDArray[np.generic]]:
    """Every outcome of ``series``, by name, in table order."""
    return {o.name: o.of(series) for o in OUTCOMES}


def summary_columns(series: PerTurn, actor_ids: Sequence[str]) -> dict[str, NDArray[np.generic]]:
    """The outcome columns of a ``summary.csv`` row: the outcomes, then each actor's tension.

    After the outcomes come ``final_tension_<actor>`` and ``peak_tension_<actor>``
    (highest over turns 1..T) for each actor, as in
    :meth:`sim.running.replicates.Tally.columns` (which adds the ``seed`` first).
    """
    columns = outcome_values(series)
    final = series.tension[-1]
    peak = series.tension[1:].max(axis=0)
    for i, actor in enumerate(actor_ids):
        columns[f"final_tension_{actor}"] = np.asarray(final[..., i], dtype=np.float64)
        columns[f"peak_tension_{actor}"] = np.asarray(peak[..., i], dtype=np.float64)
    return columns


def check_table() -> None:
    """Fail loudly on a table that cannot be right: a name twice, a bad direction, no definition.

    Raises:
        RuntimeError: naming the entry.
    """
    seen: set[str] = set()
    for o in OUTCOMES:
        if o.name in seen:
            raise RuntimeError(f"outcome {o.name!r} is in OUTCOMES twice")
        seen.add(o.name)
        if o.better not in ("lower", "higher") or not callable(o.compute):
            raise RuntimeError(f"outcome {o.name!r} needs better='lower'|'higher' and compute=")
        if not o.definition.strip():
            raise RuntimeError(f"outcome {o.name!r} needs a one-sentence definition=")
    ranks = [o.headline for o in OUTCOMES if o.headline is not None]
    if len(ranks) != len(set(ranks)):
        raise RuntimeError(f"two headline outcomes share a position: {sorted(ranks)}")


check_table()
