"""The tables of a run that summarised its readings (see :mod:`sim.model.lean`).

:class:`~sim.model.results.RunResult` uses these in place of the full
derivation when its records carry :attr:`~sim.model.state.TurnRecord.summary`.
Everything that does not depend on single readings is computed by the same
functions as for a full run (:mod:`sim.model.derive`, :mod:`sim.model.indices`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.model import perception as per
from sim.model.compiled import Compiled
from sim.model.derive import Derived, chain_links
from sim.model.indices import escalation_index
from sim.model.lean import PairHistory, ReadingSummary
from sim.model.state import TurnRecord

F = NDArray[np.float64]


def is_summarised(records: list[TurnRecord]) -> bool:
    """Whether these records carry summaries instead of every reading."""
    return bool(records) and records[0].summary is not None


def _summaries(records: list[TurnRecord]) -> list[ReadingSummary]:
    out = [r.summary for r in records]
    assert all(s is not None for s in out)
    return out  # type: ignore[return-value]


def derive_summarised(
    compiled: Compiled, records: list[TurnRecord], initial: tuple[F, F, F]
) -> Derived:
    """A :class:`~sim.model.derive.Derived` built from summarised records.

    Per-move readings are not kept: ``seen`` is ``(T, N, 1)`` (the observer saw
    at least one move), ``gap`` ``(T, N, 1)`` its mean absolute gap and
    ``perceived`` NaN; ``belief`` and ``credibility`` are
    :class:`~sim.model.lean.PairHistory` objects.
    """
    from sim.model.lean import tracked_pairs

    c = compiled
    d = c.scenario.dynamics
    t0, b0, c0 = initial
    summaries = _summaries(records)
    turns = len(records)
    move = np.array([r.move for r in records], dtype=np.int64)
    hostility = np.array([r.hostility for r in records])
    forced = np.array([r.forced for r in records], dtype=bool)
    tension = np.concatenate([t0[None], np.array([r.tension for r in records])])
    norms = np.array([r.norms for r in records])
    rung = c.rungs[move]
    worst = (
        np.array([s.worst[0] for s in summaries], dtype=np.int64),
        np.array([s.worst[1] for s in summaries]),
        np.array([s.worst[2] for s in summaries]),
    )
    cause, cause_reading, cause_intended, answered, miscalculation, depth = chain_links(
        hostility, worst, d
    )
    ti, tj = tracked_pairs(c)
    pairs = [(int(i), int(j)) for i, j in zip(ti, tj, strict=True)]
    tb = np.array([s.tracked_belief for s in summaries]).reshape(turns, len(pairs))
    tc = np.array([s.tracked_credibility for s in summaries]).reshape(turns, len(pairs))
    last = records[-1]
    belief = PairHistory(
        b0,
        last.belief,
        turns,
        {p: np.concatenate([[b0[p]], tb[:, k]]) for k, p in enumerate(pairs)},
        prior=(worst[0], np.array([s.prior for s in summaries])),
    )
    credibility = PairHistory(
        c0,
        last.credibility,
        turns,
        {p: np.concatenate([[c0[p]], tc[:, k]]) for k, p in enumerate(pairs)},
    )
    seen = np.array([s.any_seen for s in summaries], dtype=bool)[..., None]
    gap = np.array([s.observer_abs_gap for s in summaries])[..., None]
    return Derived(
        move=move,
        rung=rung,
        hostility=hostility,
        forced=forced,
        seen=seen,
        perceived=np.full(seen.shape, np.nan),
        gap=gap,
        tension=tension,
        belief=belief,  # type: ignore[arg-type]
        credibility=credibility,  # type: ignore[arg-type]
        norms=norms,
        mean_abs_gap=np.array([s.mean_abs_gap for s in summaries]),
        escalation_index=escalation_index(tension[1:], rung, c.top_rung),
        polarisation=np.array([s.polarisation for s in summaries]),
        answered=answered,
        cause=cause,
        cause_reading=cause_reading,
        cause_intended=cause_intended,
        miscalculation=miscalculation,
        chain_depth=depth,
    )


def per_actor_means(records: list[TurnRecord], initial: tuple[F, F, F]) -> dict[str, tuple[F, int]]:
    """Per-actor stand-ins for the pair metrics: ``{metric: (values, first turn)}``.

    ``belief`` and ``credibility`` are ``(T + 1, N)`` (row 0: the start), the
    actor's mean over the others; ``perception_gap`` is ``(T, N)``, its mean
    signed gap (NaN where it saw nothing, which the table drops).
    """
    _, b0, c0 = initial
    summaries = _summaries(records)
    n = b0.shape[-1]
    off = ~np.eye(n, dtype=bool)
    others = max(n - 1, 1)
    start_b = np.where(off, b0, 0.0).sum(axis=1) / others
    start_c = np.where(off, c0, 0.0).sum(axis=1) / others
    return {
        "belief": (np.array([start_b, *(s.mean_belief for s in summaries)]), 0),
        "credibility": (np.array([start_c, *(s.mean_credibility for s in summaries)]), 0),
        "perception_gap": (np.array([s.observer_gap for s in summaries]), 1),
    }


def summarised_events(
    compiled: Compiled,
    records: list[TurnRecord],
    hostility: F,
    sources: np.ndarray,
    columns: list[str],
) -> pd.DataFrame:
    """``events.csv`` of a summarised run: per move its most misread readings.

    Same ``columns`` as a full run's events; rows in (turn, sender, observer)
    order. A move nobody saw has one row with an empty observer and
    ``observed`` False. ``gap`` is the reading minus what the sender meant
    toward the observer (``P - meant``), as in a full run.
    """
    c = compiled
    ids = np.array([*c.ids, ""], dtype=object)  # index -1: no observer
    move_ids = np.array(c.move_ids, dtype=object)
    summaries = _summaries(records)
    # Per turn and sender: K kept readings, then one slot used only when none is kept.
    kept = np.array([s.kept.T for s in summaries], dtype=bool)  # (T, N, K)
    none = ~kept.any(axis=-1, keepdims=True)
    valid = np.concatenate([kept, none], axis=-1)
    observer = np.array([s.observer.T for s in summaries], dtype=np.int64)
    observer = np.concatenate([observer, np.full(none.shape, -1)], axis=-1)[valid]
    perceived = np.array([s.perceived.T for s in summaries])
    perceived = np.concatenate([perceived, np.full(none.shape, np.nan)], axis=-1)[valid]
    observed = np.concatenate([kept, np.zeros(none.shape, dtype=bool)], axis=-1)[valid]
    tt, ss, _ = np.nonzero(valid)
    moves = np.array([r.move for r in records], dtype=np.int64)[tt, ss]
    intended = hostility[tt, ss]
    # The gap is taken against what the sender meant toward the observer (7.12).
    alignment = np.array([r.alignment for r in records])
    toward = per.partner_discount(alignment[tt, np.maximum(observer, 0), ss]) * intended
    turns = tt + 1
    return pd.DataFrame(
        {
            "turn": turns,
            "event": [f"{x}:{y}" for x, y in zip(turns, ids[ss], strict=True)],
            "sender": ids[ss],
            "move": move_ids[moves],
            "rung": c.rungs[moves],
            "source": sources[tt, ss],
            "intended": intended,
            "framed": c.framed[moves],
            "observer": ids[observer],
            "observed": observed,
            "perceived": perceived,
            "gap": perceived - toward,
        },
        columns=columns,
    )


__all__ = ["derive_summarised", "is_summarised", "per_actor_means", "summarised_events"]
