"""The result of a run as tidy tables (pandas DataFrames).

* :attr:`RunResult.metrics`: one row per (turn, metric, actor, other):
  per actor ``tension`` and ``rung``; per pair (actor = observer, other =
  sender) ``belief``, ``credibility`` and ``perception_gap`` (``P - meant``,
  only where a move was seen); and system-wide ``escalation_index``,
  ``polarisation``, ``norms``, ``perception_gap_mean`` (mean absolute gap),
  ``chain_links`` (counter-actions), ``longest_chain`` and ``miscalculations``.
  Turn 0 is the starting state.
* :attr:`RunResult.events`: one row per (move, observer): who moved, what,
  intended and framed hostility, whether the observer saw it, what it
  perceived, and the gap: the reading minus what the sender meant toward that
  observer, ``P - meant`` with ``meant = (1 - max(0, A)) * intended`` (equal to
  perceived - intended except between partners).
* :attr:`RunResult.links`: counter-actions (the move read as more hostile than
  meant, the move that counter-acted it, and whether it was a miscalculation);
  ``intended`` there is what the cause's sender meant toward the responder.
Definitions: docs/model.md 7.12 and :mod:`sim.model.derive`.
* :attr:`RunResult.injects`: injects fired, by turn.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from sim.model.compiled import Compiled
from sim.model.derive import Derived, derive
from sim.model.engine import TurnRecord, initial_beliefs, initial_credibility
from sim.model.lean import readings_note
from sim.model.posture import column
from sim.model.summarised import (
    derive_summarised,
    is_summarised,
    per_actor_means,
    summarised_events,
)
from sim.scenario.schema import Scenario

EVENT_COLUMNS = [
    "turn",
    "event",
    "sender",
    "move",
    "rung",
    "source",
    "intended",
    "framed",
    "observer",
    "observed",
    "perceived",
    "gap",
]
LINK_COLUMNS = [
    "turn",
    "responder",
    "response_move",
    "cause_turn",
    "cause_sender",
    "cause_move",
    "perceived",
    "intended",
    "gap",
    "miscalculation",
    "chain_depth",
]


class RunResult:
    """A finished (or partly played) run.

    Attributes:
        scenario: The scenario that ran.
        compiled: The scenario as arrays (actor and move order).
        seed: Its root seed.
        records: One :class:`~sim.model.engine.TurnRecord` per turn.
    """

    def __init__(
        self, scenario: Scenario, compiled: Compiled, seed: int, records: list[TurnRecord]
    ) -> None:
        self.scenario = scenario
        self.compiled = compiled
        self.seed = seed
        self.records = records

    @property
    def actor_ids(self) -> list[str]:
        """Actor ids in array order."""
        return self.compiled.ids

    @property
    def turns(self) -> int:
        """Number of turns played."""
        return len(self.records)

    @property
    def summarised(self) -> bool:
        """Whether the run kept summaries of its readings, not every one (:mod:`sim.model.lean`)."""
        return is_summarised(self.records)

    @property
    def readings(self) -> dict[str, object]:
        """What the run folder's manifest says about its readings (full, or the summary rule)."""
        n = self.compiled.n
        note = readings_note(n)
        if self.summarised != (note["mode"] != "full"):  # the setting changed since the run
            note = readings_note(n, limit=n - 1 if self.summarised else n)
        return note

    @cached_property
    def _initial(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        c = self.compiled
        return (
            c.initial_tension,
            initial_beliefs(c.alignment),
            initial_credibility(c.alignment, column(c.posture, "transparency")),
        )

    @cached_property
    def arrays(self) -> Derived:
        """All records stacked into arrays, with derived metrics.

        For a run that summarised its readings, see
        :func:`sim.model.summarised.derive_summarised` for what the reading
        arrays hold.
        """
        if self.summarised:
            return derive_summarised(self.compiled, self.records, self._initial)
        return derive(self.compiled, self.records, self._initial)

    def gap_matrix(self) -> np.ndarray:
        """``(N, N)`` mean perception gap, observer x sender, over the run (NaN if never seen)."""
        if self.summarised:
            last = self.records[-1].summary
            assert last is not None
            return last.totals.mean()
        a = self.arrays
        seen = a.seen
        total = np.where(seen, a.gap, 0.0).sum(axis=0)
        count = seen.sum(axis=0)
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)

    # ------------------------------------------------------------ tables

    @cached_property
    def metrics(self) -> pd.DataFrame:
        """Tidy per-turn metrics (see the module docstring)."""
        a = self.arrays
        ids = np.array(self.compiled.ids, dtype=object)
        n = len(ids)
        frames: list[pd.DataFrame] = []

        def per_actor(name: str, values: np.ndarray, first_turn: int) -> pd.DataFrame:
            turns = np.arange(first_turn, first_turn + values.shape[0])
            return pd.DataFrame(
                {
                    "turn": np.repeat(turns, n),
                    "metric": name,
                    "actor": np.tile(ids, len(turns)),
                    "other": "",
                    "value": values.reshape(-1).astype(float),
                }
            )

        off_i, off_j = np.nonzero(~np.eye(n, dtype=bool))

        def per_pair(name: str, values: np.ndarray, first_turn: int) -> pd.DataFrame:
            flat = values[:, off_i, off_j]
            keep = ~np.isnan(flat)
            turns = np.arange(first_turn, first_turn + values.shape[0])
            tt = np.broadcast_to(turns[:, None], flat.shape)
            return pd.DataFrame(
                {
                    "turn": tt[keep],
                    "metric": name,
                    "actor": np.broadcast_to(ids[off_i], flat.shape)[keep],
                    "other": np.broadcast_to(ids[off_j], flat.shape)[keep],
                    "value": flat[keep],
                }
            )

        frames.append(per_actor("tension", a.tension, 0))
        frames.append(per_actor("rung", a.rung.astype(float), 1))
        if self.summarised:  # per-actor means in place of the pairs (sim.model.lean)
            for name, (values, first) in per_actor_means(self.records, self._initial).items():
                frame = per_actor(name, values, first)
                frames.append(frame[~np.isnan(frame["value"].to_numpy())])
        else:
            frames.append(per_pair("belief", a.belief, 0))
            frames.append(per_pair("credibility", a.credibility, 0))
            frames.append(per_pair("perception_gap", a.gap, 1))
        play = np.arange(1, self.turns + 1)
        system = {
            "escalation_index": a.escalation_index,
            "polarisation": a.polarisation,
            "norms": a.norms,
            "perception_gap_mean": a.mean_abs_gap,
            "chain_links": a.answered.sum(axis=1).astype(float),
            "longest_chain": a.chain_depth.max(axis=1, initial=0).astype(float),
            "miscalculations": a.miscalculation.sum(axis=1).astype(float),
        }
        for name, values in system.items():
            frames.append(
                pd.DataFrame(
                    {"turn": play, "metric": name, "actor": "", "other": "", "value": values}
                )
            )
        df = pd.concat(frames, ignore_index=True)
        df["turn"] = df["turn"].astype(np.int64)
        return df.sort_values(["turn", "metric", "actor", "other"], kind="stable").reset_index(
            drop=True
        )

    def sources(self) -> np.ndarray:
        """``(T, N)`` who chose each move: the policy name, 'human', or 'inject:<id>'."""
        c = self.compiled
        a = self.arrays
        out = np.empty(a.move.shape, dtype=object)
        out[:] = np.array(c.policy_names, dtype=object)[None, :]
        for t, r in enumerate(self.records):
            for i in r.human:
                out[t, i] = "human"
            for key in r.injects:
                for e in self.scenario.injects[key].effects:
                    if e.move is not None and not r.human.__contains__(c.index[e.move.actor]):
                        out[t, c.index[e.move.actor]] = f"inject:{key}"
        return out

    @cached_property
    def events(self) -> pd.DataFrame:
        """One row per (move, observer); see the module docstring.

        A run that summarised its readings keeps a few readings per move
        (:func:`sim.model.summarised.summarised_events`).
        """
        c = self.compiled
        a = self.arrays
        if self.summarised:
            return summarised_events(c, self.records, a.hostility, self.sources(), EVENT_COLUMNS)
        n, t = c.n, self.turns
        ids = np.array(c.ids, dtype=object)
        move_ids = np.array(c.move_ids, dtype=object)
        obs_i, snd_j = np.nonzero(~np.eye(n, dtype=bool))
        # order: turn, sender, observer
        order = np.lexsort((obs_i, snd_j))
        obs_i, snd_j = obs_i[order], snd_j[order]
        k = len(obs_i)
        turns = np.repeat(np.arange(1, t + 1), k)
        tt = turns - 1
        ss = np.tile(snd_j, t)
        oo = np.tile(obs_i, t)
        moves = a.move[tt, ss]
        seen = a.seen[tt, oo, ss]
        events = pd.DataFrame(
            {
                "turn": turns,
                "event": [f"{x}:{y}" for x, y in zip(turns, ids[ss], strict=True)],
                "sender": ids[ss],
                "move": move_ids[moves],
                "rung": c.rungs[moves],
                "source": self.sources()[tt, ss] if t else np.array([], dtype=object),
                "intended": a.hostility[tt, ss],
                "framed": c.framed[moves],
                "observer": ids[oo],
                "observed": seen,
                "perceived": a.perceived[tt, oo, ss],
                "gap": a.gap[tt, oo, ss],
            },
            columns=EVENT_COLUMNS,
        )
        return events

    @cached_property
    def links(self) -> pd.DataFrame:
        """Counter-actions, one row each (see :mod:`sim.model.derive`).

        ``perceived`` is the responder's reading of the cause, ``intended`` what
        the cause's sender meant toward the responder (``meant``), ``gap`` their
        difference.
        """
        c = self.compiled
        a = self.arrays
        tt, ii = np.nonzero(a.answered)
        ids = np.array(c.ids, dtype=object)
        move_ids = np.array(c.move_ids, dtype=object)
        cause = a.cause[tt, ii]
        perceived = a.cause_reading[tt, ii]
        intended = a.cause_intended[tt, ii]
        return pd.DataFrame(
            {
                "turn": tt + 1,
                "responder": ids[ii],
                "response_move": move_ids[a.move[tt, ii]],
                "cause_turn": tt,
                "cause_sender": ids[cause],
                "cause_move": move_ids[a.move[tt - 1, cause]] if len(tt) else [],
                "perceived": perceived,
                "intended": intended,
                "gap": perceived - intended,
                "miscalculation": a.miscalculation[tt, ii],
                "chain_depth": a.chain_depth[tt, ii],
            },
            columns=LINK_COLUMNS,
        )

    @cached_property
    def injects(self) -> pd.DataFrame:
        """Injects fired: turn, id, label."""
        rows = [
            {"turn": r.turn, "inject": key, "label": self.scenario.injects[key].label}
            for r in self.records
            for key in r.injects
        ]
        return pd.DataFrame(rows, columns=["turn", "inject", "label"])

    def wide(self, metric: str) -> pd.DataFrame:
        """A per-actor metric as a turn x actor table (e.g. ``wide('tension')``)."""
        m = self.metrics
        df = m[(m["metric"] == metric) & (m["other"] == "")]
        table = df.pivot(index="turn", columns="actor", values="value")
        return table[[a for a in self.actor_ids if a in table.columns]]

    def summary(self) -> dict[str, float | int | str]:
        """Headline numbers of the run."""
        a = self.arrays
        tension = a.tension
        peak_turn, peak_actor = np.unravel_index(int(tension.argmax()), tension.shape)
        played = self.turns > 0
        return {
            "turns": self.turns,
            "seed": self.seed,
            "peak_tension": float(tension.max()),
            "peak_tension_actor": self.actor_ids[int(peak_actor)],
            "peak_tension_turn": int(peak_turn),
            "final_mean_tension": float(tension[-1].mean()),
            "final_escalation_index": float(a.escalation_index[-1]) if played else 0.0,
            "mean_abs_gap": float(a.mean_abs_gap.mean()) if played else 0.0,
            "chain_links": int(a.answered.sum()),
            "miscalculations": int(a.miscalculation.sum()),
            "miscalculation_rate": float(a.miscalculation.sum() / a.move.size) if played else 0.0,
            "longest_chain": int(a.chain_depth.max(initial=0)),
        }
