"""The turn engine: one turn of choices, readings, belief and tension updates.

:class:`Engine` holds the state of a run as plain numpy arrays and advances
it with the pure functions of :mod:`sim.model.perception`,
:mod:`sim.model.beliefs` and :mod:`sim.model.policies`. The Mesa model in
:mod:`sim.model.mesa_model` is a thin host around it. Metrics that only
*describe* a run (gaps, escalation index, counter-actions) are
derived afterwards, vectorised over all turns, by :mod:`sim.model.derive`;
the per-turn loop does only what the dynamics need.

One engine can also advance many replicates of a scenario in lock-step
(``Engine(compiled, [seed, seed, ...])``): every array then carries a
leading replicate axis ``R``, each replicate draws from its own random
streams, and its numbers are bit-for-bit those of a single run with its seed
(``tests/running/test_batch.py`` checks this). Ensembles use it to spread numpy's
per-call cost over many runs. A batch may also give dynamics coefficients one
value per replicate (``coefficients=``, see :mod:`sim.model.coefficients`);
replicate ``k`` then equals the single run whose scenario sets those fields to
its values (``tests/model/test_coefficients.py``).

Order within a turn (synchronous; every actor sees the same state):

1. injects due this turn fire (scheduled by turn, or conditions on the state
   at the end of the previous turn);
2. every actor chooses a move (injected and human moves replace the choice);
3. every observer reads every move it sees;
4. beliefs and framing credibility update; tension takes a Richardson step;
   the regime strength moves with the moves' norm effects and its drift.

Randomness comes from three independent streams spawned from the root seed
(choices, observation, reading noise), drawn in fixed shapes every turn, so
two variants of a scenario with the same actors and moves share their random
numbers (common random numbers), and results never depend on how draws are
batched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.model import beliefs as bel
from sim.model import perception as per
from sim.model.coefficients import Coefficients, per_replicate
from sim.model.compiled import Compiled
from sim.model.draws import Draws
from sim.model.injects import InjectsMixin
from sim.model.lean import GapTotals, summarise, summarised, tracked_pairs
from sim.model.limits import Uses
from sim.model.policies import Policy, Situation
from sim.model.policies.base import least_hostile
from sim.model.posture import column
from sim.model.state import (
    State,
    TurnRecord,
    initial_beliefs,
    initial_credibility,
    start_rung,
)

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741
B = NDArray[np.bool_]

_DENSE_MAX = 48  # up to this many actors, one run gathers dense per-move tables
_clip = np.clip if not hasattr(np, "_core") else np._core.umath.clip


class Engine(InjectsMixin):
    """Runs one scenario turn by turn, from one root seed or a batch of them.

    Args:
        compiled: The scenario as arrays.
        seed: Root seed (any non-negative integer), or a sequence of root seeds
            to advance that many replicates together (arrays gain a leading
            replicate axis; each replicate equals the single run of its seed).
        keep_records: Keep every turn's :class:`TurnRecord` in :attr:`records`
            (False: only the current state and the last record are kept, so
            memory stays flat however long the run; for very large scenarios
            and for callers that summarise as they go).
        coefficients: Dynamics fields that differ per replicate of a batch: field
            name -> one value per seed (see :mod:`sim.model.coefficients`); the
            other fields keep the scenario's values. Only for a batch.

    Raises:
        ValueError: no seeds; ``coefficients`` for a single run, or with an
            unknown or fixed field name, a wrong length or a value out of bounds.

    Attributes:
        state: Current state; ``state.turn`` is the number of turns played.
        records: One :class:`TurnRecord` per turn played.
        seeds: The root seeds, one per replicate.
    """

    def __init__(
        self,
        compiled: Compiled,
        seed: int | Sequence[int],
        *,
        keep_records: bool = True,
        coefficients: Mapping[str, ArrayLike] | None = None,
    ) -> None:
        self.c = compiled
        self.keep_records = keep_records
        if isinstance(seed, int | np.integer):
            self.batched, self.seeds = False, [int(seed)]
        else:
            self.batched, self.seeds = True, [int(s) for s in seed]
        if not self.seeds:
            raise ValueError("a batch needs at least one seed")
        self.seed = self.seeds[0]
        n = compiled.n
        lead: tuple[int, ...] = (len(self.seeds),) if self.batched else ()
        self.lead = lead
        d = compiled.scenario.dynamics
        self.d = d
        if coefficients and not self.batched:
            raise ValueError(
                "per-replicate coefficients need a batch (a list of seeds); "
                "for one run, set them in the scenario's dynamics"
            )
        varying = per_replicate(d, coefficients, len(self.seeds))
        # Each coefficient as a float, or per replicate shaped (R, 1) against (R, N)
        # arrays (d1) and (R, 1, 1) against (R, N, N) ones (d2).
        self.d1, self.d2 = Coefficients(d, varying, 1), Coefficients(d, varying, 2)
        d1, d2 = self.d1, self.d2
        self.policies: list[tuple[Policy, I]] = [
            (policy.for_replicates(d1), who) for policy, who in compiled.policies
        ]
        self.perfect = d.perception == "perfect"
        self.draws = Draws(self.seeds, n, len(compiled.move_ids), batched=self.batched)
        self.not_self = ~np.eye(n, dtype=bool)

        def each(a: F) -> F:
            return np.broadcast_to(a, lead + a.shape).copy() if lead else a.copy()

        posture = each(compiled.posture)
        transparency = column(compiled.posture, "transparency")
        self.state = State(
            turn=0,
            tension=each(compiled.initial_tension),
            rung=np.full((*lead, n), start_rung(compiled.top_rung), dtype=np.int64),
            belief=each(initial_beliefs(compiled.alignment)),
            credibility=each(initial_credibility(compiled.alignment, transparency)),
            norms=float(compiled.scenario.norms.strength)
            if not self.batched
            else np.full(lead, float(compiled.scenario.norms.strength)),
            posture=posture,
            alignment=each(compiled.alignment),
            channels=each(compiled.channels),
            last_move=np.full((*lead, n), -1, dtype=np.int64),
            last_hostility=np.zeros((*lead, n)),
            last_perceived=np.full((*lead, n, n), np.nan),
            last_gap=np.zeros((*lead, n, n)),
            misread=np.zeros((*lead, n, n)),
            fired=np.zeros((*lead, len(compiled.injects)), dtype=bool),
            inject_uses=Uses.none((*lead, len(compiled.injects))),
            move_uses=Uses.none((*lead, n, len(compiled.limited))),
        )
        self._drift = float(compiled.scenario.norms.drift)
        self._everyone = np.arange(n, dtype=np.int64)
        self._no_one = np.zeros((*lead, n), dtype=bool)
        self._no_targets = np.zeros((n, n), dtype=bool)
        self._single_policy = self.policies[0][0] if len(self.policies) == 1 else None
        # What the policies need, asked of their classes (never of their names).
        self._continuous = any(p.classifier.continuous for p, _ in compiled.policies)
        self._any_targets = bool(compiled.targets.any())
        self._needs_history = any(p.classifier.memory_depth > 0 for p, _ in compiled.policies)
        self._last: tuple[B, F, F] | None = None  # last turn's (seen, perceived, meant)
        # A large single run keeps a summary of each turn's readings (see sim.model.lean).
        self.summarised = not self.batched and summarised(n)
        if self.summarised:
            self._tracked = tracked_pairs(compiled)
            self._totals = GapTotals.zeros(n)
        self._spent: set[str] = set()  # one-off injects that have fired in every replicate
        self._situation = Situation(
            turn=0,
            tension=self.state.tension,
            rung=self.state.rung,
            belief=self.state.belief,
            alignment=self.state.alignment,
            last_perceived=self.state.last_perceived,
            misread=self.state.misread,
            posture=self.state.posture,
            allowed=compiled.allowed,
            repertoire=compiled.allowed,
            intended=compiled.intended,
            rungs=compiled.rungs,
            cost=compiled.cost,
            reassurance=compiled.reassurance,
            second_strike=compiled.second_strike,
            top_rung=compiled.top_rung,
            temperature=d1.temperature,
            time_pressure=d1.time_pressure,
            cost_weight=d2.cost_weight,
            hostile_threshold=d1.hostile_threshold,
            miscalculation_threshold=d1.miscalculation_threshold,
            uniforms=np.zeros((*lead, n)),
            gumbel=np.zeros((*lead, n, len(compiled.move_ids))),
        )
        # What each move carries, one row per quantity: a turn gathers the columns
        # of the moves played with one `take` and reads them as (1, sender) rows.
        # One run of a small scenario instead gathers whole (observer, sender)
        # matrices from (observer, move) tables: numpy is fastest on contiguous
        # same-shape operands when arrays are this small (the numbers are equal).
        self._dense = not self.batched and n <= _DENSE_MAX
        # With a per-replicate prior or cheap-talk weight the table has one block of
        # M columns per replicate, and a turn's moves are offset into their block.
        m = len(compiled.move_ids)
        keep = 1.0 - d1.prior_weight
        cheap = d1.cheap_talk_weight
        self._move_offset: I | None = None
        rows = [
            keep * (compiled.framed - compiled.face),  # framing pull
            keep * compiled.face,  # face-value pull
            compiled.second_strike * compiled.face,  # alarm at second-strike moves
            cheap + (1.0 - cheap) * compiled.cost,  # Kydd
            compiled.framed,  # what the framing claims
            compiled.visibility,
            compiled.norm_effect,
        ]
        if isinstance(keep, np.ndarray) or isinstance(cheap, np.ndarray):
            runs = len(self.seeds)
            rows = [np.broadcast_to(row, (runs, m)).reshape(runs * m) for row in rows]
            self._move_offset = np.arange(runs, dtype=np.int64)[:, None] * m
        self._move_table = np.stack(rows)
        self._norm_effect = self._move_table[6]
        self._refresh_structure()
        self.records: list[TurnRecord] = []

    # ------------------------------------------------------------ structure

    def _refresh_structure(self) -> None:
        """Recompute what depends on posture, alignment and channels."""
        s, c, d1, d2 = self.state, self.c, self.d1, self.d2
        clarity = per.channel_clarity(s.channels, c.channel_weights)
        clarity[..., self._everyone, self._everyone] = 0.0
        self._opacity = 1.0 - clarity
        threat_sensitivity = column(s.posture, "threat_sensitivity")
        deterrent_anxiety = column(s.posture, "deterrent_anxiety")
        self._lens = per.lens_bias(d2.lens_strength, threat_sensitivity, s.alignment)
        # Toward a partner a sender means only part of its move (docs/model.md 7.5).
        self._partners = bool((s.alignment > 0.0).any())
        self._keep = per.partner_discount(s.alignment) if self._partners else None
        k, a, g = bel.default_coefficients(
            threat_sensitivity,
            column(s.posture, "restraint"),
            deterrent_anxiety,
            s.alignment,
            d2.reactivity,
            d1.fatigue,
            d1.grievance,
        )
        self.reaction = np.where(np.isnan(c.reaction_override), k, c.reaction_override)
        self.fatigue = np.where(np.isnan(c.fatigue_override), a, c.fatigue_override)
        self.grievance = np.where(np.isnan(c.grievance_override), g, c.grievance_override)
        self._richardson = bel.richardson_coefficients(
            self.reaction, self.fatigue, self.grievance, d1.dt
        )
        # Deterrent anxiety scales each observer's alarm at second-strike moves.
        self._anxiety = (d1.anxiety_weight * deterrent_anxiety)[..., :, None]
        self._learning = column(s.posture, "learning_rate")[..., :, None] * np.ones(c.n)
        if self._dense:
            rows = np.ones((c.n, 1))
            t = self._move_table
            # Face value and second-strike alarm are both per move: one table holds their sum.
            face_and_alarm = rows * t[1] + self._anxiety * t[2]
            self._dense_tables = np.stack(
                [
                    rows * c.intended,
                    rows * t[0],  # framing pull
                    face_and_alarm,
                    rows * t[3],  # weight of a reassuring reading
                    rows * t[4],  # what the framing claims
                    rows * t[5],  # visibility
                ]
            )

    # ------------------------------------------------------------ the turn

    def step(
        self,
        human_moves: dict[int, int] | None = None,
        extra_injects: list[str] | None = None,
        overrides: Mapping[int, Mapping[str, float]] | None = None,
    ) -> TurnRecord:
        """Play one turn and return its record.

        Args:
            human_moves: Moves chosen outside the model (actor index -> move
                index), for play mode; they replace the policies' choices (in
                every replicate of a batch).
            extra_injects: Keys of scenario injects to fire this turn in
                addition to those due (an instructor's choice in live play).
            overrides: For moves chosen outside the model, this turn only:
                sender index -> ``{"intended": x, "framed": y}`` (either key
                may be left out; values in [0, 1]). ``intended`` replaces what
                the sender means (its hostility); ``framed`` replaces what its
                framing claims, and with it the framing pull on every reading
                of the move (docs/model.md 7.10.1). The move's other mechanics
                (rung, cost, visibility, norm effect) stay the move's.

        Raises:
            ValueError: an override names an unknown key or a value outside [0, 1].
        """
        c, d1, d2, s = self.c, self.d1, self.d2, self.state
        if overrides:
            _check_overrides(overrides, c.n)
        turn = s.turn + 1
        choice_u, gumbel, observe_u, noise_z = self.draws.next()

        forced: I | None = None
        fired: list[str] = []
        fired_now: B | None = None
        if c.injects or extra_injects:
            forced, fired, fired_now = self._fire_injects(turn, set(extra_injects or ()))

        # 2. choices
        sit = self._situation
        sit.turn = turn
        sit.allowed = self.allowed_now(turn)
        sit.tension, sit.rung, sit.belief = s.tension, s.rung, s.belief
        sit.alignment, sit.posture = s.alignment, s.posture
        sit.last_perceived, sit.misread = s.last_perceived, s.misread
        sit.uniforms, sit.gumbel = choice_u, gumbel
        if self._single_policy is not None:
            move, hostility = self._single_policy.choose(self._everyone, sit)
        else:
            move = np.empty((*self.lead, c.n), dtype=np.int64)
            hostility = np.empty((*self.lead, c.n))
            for policy, who in self.policies:
                move[..., who], hostility[..., who] = policy.choose(who, sit)
        is_forced = self._no_one
        if forced is not None or human_moves:
            chosen = np.full((*self.lead, c.n), -1, dtype=np.int64) if forced is None else forced
            for i, m in (human_moves or {}).items():
                chosen[..., i] = m
            is_forced = chosen >= 0
            move = np.where(is_forced, chosen, move)
            hostility = np.where(is_forced, c.intended[move], hostility)
        if len(c.joint):
            human = np.zeros(c.n, dtype=bool)
            human[list(human_moves or ())] = True
            move, hostility, is_forced = self._hold_joint(move, hostility, is_forced, human, sit)
        if overrides:
            hostility = _override_column(hostility, overrides, "intended")

        # 3. readings
        intended: F = hostility[..., None, :]  # (..., 1, N): what each sender means
        if self._dense:
            tables = self._dense_tables.take(move, axis=2)
            intended_m, framing_pull, face_pull, reassurance_w, framed_m, visibility = tables
            norm_effect = self._norm_effect.take(move)
            if forced is None and not human_moves and not self._continuous and not overrides:
                intended = intended_m
        else:
            at = move if self._move_offset is None else move + self._move_offset
            carried = self._move_table.take(at, axis=1)  # (7, *lead, N)
            framing_pull, face_pull, ss_face, reassurance_w, framed_m = carried[:5, ..., None, :]
            visibility, norm_effect = carried[5][..., None, :], carried[6]
            face_pull = face_pull + self._anxiety * ss_face  # as the dense table sums them
        if overrides:
            framing_pull, framed_m = self._override_framing(overrides, move, framing_pull, framed_m)
        # The regime scales framing credibility (per pair) and reading noise (per observer).
        backing: float | F
        norms: float | F
        if isinstance(s.norms, np.ndarray):  # a batch: one regime per replicate
            backing, norms = (0.5 + 0.5 * s.norms)[:, None, None], s.norms[:, None]
        else:
            backing, norms = 0.5 + 0.5 * s.norms, s.norms
        if self._keep is not None:  # what each sender means toward each observer
            intended = self._keep * intended
            framing_pull = self._keep * framing_pull
            face_pull = self._keep * face_pull
        if self.perfect:
            seen = np.broadcast_to(self.not_self, (*self.lead, c.n, c.n))
            perceived = np.broadcast_to(intended, seen.shape).copy()
        else:
            targeted = c.targets[move].swapaxes(-1, -2) if self._any_targets else self._no_targets
            seen = per.observed(observe_u, visibility, targeted, self.not_self)
            perceived = per.perceived_hostility(
                intended=intended,
                framing_pull=framing_pull,
                face_pull=face_pull,
                belief=s.belief,
                credibility=s.credibility * backing,
                lens_bias=self._lens,
                opacity=self._opacity,
                prior_weight=d2.prior_weight,
                noise_sd=per.noise_scale(
                    d1.noise, d1.time_pressure, s.tension, d1.norm_damping, norms
                ),
                noise=noise_z,
            )

        # 4. updates
        seen_f = seen.astype(np.float64)  # float x float is numpy's fast path
        belief = bel.update_beliefs(s.belief, perceived, seen_f * self._learning, reassurance_w)
        credibility = bel.update_credibility(
            s.credibility, perceived, framed_m, seen_f * d2.credibility_rate
        )
        tension = bel.richardson_step(s.tension, belief, self._richardson)
        moved = s.norms + self._drift + np.add.reduce(norm_effect, axis=-1)
        new_norms = _clip(moved, 0.0, 1.0) if self.batched else min(1.0, max(0.0, float(moved)))

        record = TurnRecord(
            turn=turn,
            move=move,
            hostility=hostility,
            forced=is_forced,
            seen=seen,
            perceived=perceived,
            tension=tension,
            belief=belief,
            credibility=credibility,
            alignment=s.alignment,
            norms=new_norms,
            injects=fired,
            human=tuple(sorted(human_moves)) if human_moves else (),
            fired=fired_now,
        )
        if self.summarised:
            record.summary = summarise(
                seen=seen,
                perceived=perceived,
                hostility=hostility,
                belief_before=s.belief,
                belief=belief,
                credibility=credibility,
                alignment=s.alignment,
                tracked=self._tracked,
                totals=self._totals,
            )
        s.turn = turn
        s.tension, s.belief, s.credibility, s.norms = tension, belief, credibility, record.norms
        s.rung = c.rungs[move]
        s.last_move, s.last_hostility = move, hostility
        if len(c.limited):
            s.move_uses.record(move[..., :, None] == c.limited, turn)
        meant = intended if self._keep is not None else hostility[..., None, :]
        self._last = (seen, perceived, meant)
        if self._needs_history:
            gap = perceived - meant
            gap *= seen_f
            s.misread = np.maximum(gap, s.last_gap)
            s.last_gap = gap
            s.last_perceived = np.where(seen, perceived, np.nan)
        if self.keep_records:
            if self.summarised and self.records:
                _drop_matrices(self.records[-1])
            self.records.append(record)
        else:
            self.records[:] = [record]
        return record

    def _override_framing(
        self, overrides: Mapping[int, Mapping[str, float]], move: I, pull: F, framed: F
    ) -> tuple[F, F]:
        """The framing pull and framing claim with the overridden senders' columns replaced.

        A sender's column becomes what its move's would be had the move's
        ``framed_hostility`` been the override: pull ``(1 - prior_weight) *
        (framed - face)``, claim ``framed``.
        """
        pull, framed = pull.copy(), framed.copy()
        keep = 1.0 - self.d1.prior_weight
        if isinstance(keep, np.ndarray):  # per replicate, shaped (R, 1)
            keep = keep[..., 0]
        for i, values in overrides.items():
            if "framed" not in values:
                continue
            claim = float(values["framed"])
            face = self.c.face[move[..., i]]  # (*lead,)
            column_pull = np.asarray(keep * (claim - face))
            pull[..., i] = column_pull[..., None]
            framed[..., i] = claim
        return pull, framed

    # ------------------------------------------------------------ what may be chosen

    def allowed_now(self, turn: int) -> B:
        """Which moves each actor's policy may choose at ``turn``.

        The repertoire (``Compiled.allowed``: scripted-only moves left out), less the
        moves whose limit is reached or whose cooldown runs (docs/model.md 7.11):
        ``(N, M)``, or ``(R, N, M)`` in a batch once a limit is in play.
        """
        c = self.c
        if not len(c.limited):
            return c.allowed
        open_ = c.move_limits.open(self.state.move_uses, turn)  # (..., N, L)
        if open_.all():
            return c.allowed
        allowed = np.broadcast_to(c.allowed, (*self.lead, *c.allowed.shape)).copy()
        allowed[..., c.limited] &= open_
        return allowed

    def _hold_joint(
        self, move: I, hostility: F, fixed: B, human: B, sit: Situation
    ) -> tuple[I, F, B]:
        """Joint moves are held by all their partners or by none (docs/model.md 7.10.1).

        In move order, a joint move one partner plays is held when every partner is
        free to join: it plays the move already, or its move was chosen by its policy
        and it is not already holding an earlier joint move. The partners that join
        play it. A partner that called it in vain (its policy chose it, or an inject
        made it play it while a person chose another move for a partner) chooses again
        by its policy, without joint moves. A person's move is never replaced: a
        person's call that cannot be held is an error (play mode checks this first).
        Returns the moves, their hostility and which were fixed by an inject or a person.
        """
        c = self.c
        move, hostility = move.copy(), hostility.copy()
        holding = np.zeros(move.shape, dtype=bool)
        again = np.zeros(move.shape, dtype=bool)
        for m in c.joint:
            members = np.flatnonzero(c.partners[m])
            plays = move[..., members] == m
            calls = plays & ~holding[..., members]
            free = plays | (~fixed[..., members] & ~holding[..., members])
            held = calls.any(axis=-1) & free.all(axis=-1)
            failed = calls.any(axis=-1) & ~held
            if (failed[..., None] & calls & human[members]).any():
                names = " and ".join(c.ids[i] for i in members)
                raise ValueError(
                    f"'{c.move_ids[m]}' is a joint move of {names}: all of them hold it "
                    "together, and a partner's move is already fixed to another one"
                )
            for k, i in enumerate(members):
                move[..., i] = np.where(held, m, move[..., i])
                hostility[..., i] = np.where(held, c.intended[m], hostility[..., i])
                holding[..., i] |= held
                again[..., i] |= failed & calls[..., k]
        if again.any():
            allowed = np.broadcast_to(sit.allowed, (*self.lead, *c.allowed.shape)).copy()
            allowed[..., c.joint] = False
            sit.allowed = allowed
            for policy, who in self.policies:
                redo = again[..., who]
                if redo.any():
                    m2, h2 = policy.choose(who, sit)
                    # A policy that ignores the mask (a script) makes its calmest move instead.
                    stuck = np.isin(m2, c.joint)
                    if stuck.any():
                        calm = least_hostile(allowed[..., who, :], c.intended, c.cost)
                        m2 = np.where(stuck, calm, m2)
                        h2 = np.where(stuck, c.intended[m2], h2)
                    move[..., who] = np.where(redo, m2, move[..., who])
                    hostility[..., who] = np.where(redo, h2, hostility[..., who])
        return move, hostility, fixed & ~again

    def run(self, turns: int) -> list[TurnRecord]:
        """Play ``turns`` more turns; return all records so far."""
        for _ in range(turns):
            self.step()
        return self.records


_OVERRIDE_KEYS = frozenset({"intended", "framed"})


def _check_overrides(overrides: Mapping[int, Mapping[str, float]], n: int) -> None:
    """Refuse an override of an unknown sender or key, or a value outside [0, 1]."""
    for i, values in overrides.items():
        if not 0 <= int(i) < n:
            raise ValueError(f"override for actor index {i}: there are {n} actors")
        unknown = set(values) - _OVERRIDE_KEYS
        if unknown:
            raise ValueError(
                f"unknown override key(s) {sorted(unknown)}: use 'intended' or 'framed'"
            )
        for key, value in values.items():
            if not 0.0 <= float(value) <= 1.0:
                raise ValueError(f"override '{key}' must be in [0, 1], got {value}")


def _override_column(hostility: F, overrides: Mapping[int, Mapping[str, float]], key: str) -> F:
    """``hostility`` (``(*lead, N)``) with each overridden sender's ``key`` value in its column."""
    out = hostility.copy()
    for i, values in overrides.items():
        if key in values:
            out[..., i] = float(values[key])
    return out


def _drop_matrices(record: TurnRecord) -> None:
    """Let go of a summarised turn's N x N matrices (its :attr:`TurnRecord.summary` stays)."""
    record.seen = record.perceived = None  # type: ignore[assignment]
    record.belief = record.credibility = None  # type: ignore[assignment]


__all__ = [
    "Draws",
    "Engine",
    "State",
    "TurnRecord",
    "initial_beliefs",
    "initial_credibility",
    "start_rung",
]
