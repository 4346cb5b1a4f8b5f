"""The turn engine: one turn of choices, readings, belief and tension updates.

:class:`Engine` holds the state of a run as plain numpy arrays and advances
it with the pure functions of :mod:`sim.model.perception`,
:mod:`sim.model.beliefs` and :mod:`sim.model.policies`. The Mesa model in
:mod:`sim.model.mesa_model` is a thin host around it. Metrics that only
*describe* a run (gaps, escalation index, action-counteraction links) are
derived afterwards, vectorised over all turns, by :mod:`sim.model.derive`;
the per-turn loop does only what the dynamics need.

One engine can also advance many replicates of a scenario in lock-step
(``Engine(compiled, [seed, seed, ...])``): every array then carries a
leading replicate axis ``R``, each replicate draws from its own random
streams, and its numbers are bit-for-bit those of a single run with its seed
(``tests/test_batch.py`` checks this). Ensembles use it to spread numpy's
per-call cost over many runs.

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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sim.model import beliefs as bel
from sim.model import perception as per
from sim.model.compiled import CHANNEL_INDEX, POSTURE_INDEX, Compiled, CompiledInject
from sim.model.conditions import evaluate
from sim.model.indices import escalation_index, polarisation
from sim.model.policies import Situation
from sim.scenario.schema import Condition

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741
B = NDArray[np.bool_]

_BLOCK = 32
_DENSE_MAX = 48  # up to this many actors, one run gathers dense per-move tables
_clip = np.clip if not hasattr(np, "_core") else np._core.umath.clip


class Draws:
    """Random numbers for one run or a batch: three streams per root seed, drawn in blocks.

    Per turn and replicate: uniforms ``(N, M + 1)`` for choices (the first M
    columns become Gumbel draws for logit choice, the last is a plain
    uniform), uniforms ``(N, N)`` for observation and standard normals
    ``(N, N)`` for reading noise. Blocks are C-ordered slices of each stream,
    so the numbers a turn gets depend neither on the block size nor on which
    other replicates share the batch.

    Each stream fills its replicate's slice of buffers allocated once, so
    drawing a block allocates nothing: a batch's turn gets views with the
    replicate axis first.

    Args:
        seeds: Root seeds, one per replicate.
        n: Actors.
        m: Moves.
        batched: Give every array a leading replicate axis (else one seed).
    """

    def __init__(self, seeds: Sequence[int], n: int, m: int, *, batched: bool) -> None:
        self._streams = [
            tuple(
                np.random.Generator(np.random.PCG64(s))
                for s in np.random.SeedSequence(seed).spawn(3)
            )
            for seed in seeds
        ]
        self._m, self._batched = m, batched
        # Turns drawn per block: up to 32, fewer for large batches so a block stays near 8 MB.
        per_turn = len(seeds) * (n * n + n * (m + 1))
        self._block = max(1, min(_BLOCK, 1_000_000 // max(1, per_turn)))
        self._k = self._block
        runs, block = len(seeds), self._block
        self._raw: F = np.empty((runs, block, n, m + 1))
        self._g: F = np.empty((runs, block, n, m))
        self._o: F = np.empty((runs, block, n, n))
        self._z: F = np.empty((runs, block, n, n))

    def _refill(self) -> None:
        for r, (c, o, z) in enumerate(self._streams):
            c.random(out=self._raw[r])
            o.random(out=self._o[r])
            z.standard_normal(out=self._z[r])
        g = self._g
        with np.errstate(divide="ignore"):  # Gumbel draws: -log(-log(u))
            np.log(self._raw[..., : self._m], out=g)
            np.negative(g, out=g)
            np.log(g, out=g)
        np.negative(g, out=g)
        self._k = 0

    def next(self) -> tuple[F, F, F, F]:
        """This turn's (choice uniforms, Gumbel draws, observation uniforms, normals)."""
        if self._k >= self._block:
            self._refill()
        k = self._k
        self._k += 1
        if self._batched:
            return self._raw[:, k, :, self._m], self._g[:, k], self._o[:, k], self._z[:, k]
        return self._raw[0, k, :, self._m], self._g[0, k], self._o[0, k], self._z[0, k]


class _StateReadings:
    """The engine's state as :class:`~sim.model.conditions.Readings` (leading axes: none or R)."""

    def __init__(self, engine: Engine, turn: int) -> None:
        state = engine.state
        self._engine = engine
        self.tension, self.rung = state.tension, state.rung
        self.belief, self.credibility = state.belief, state.credibility
        self.turn = np.full(engine.lead, float(turn))

    def perception_gap(self, observer: int | None) -> F:
        if self._engine._last is None:
            return np.zeros(self._engine.lead)
        seen, perceived, hostility = self._engine._last
        gaps = np.abs(perceived - hostility[..., None, :])
        axes: tuple[int, ...] = (-2, -1)
        if observer is not None:
            seen, gaps, axes = seen[..., observer, :], gaps[..., observer, :], (-1,)
        count = seen.sum(axis=axes)
        total = np.where(seen, gaps, 0.0).sum(axis=axes)
        return np.asarray(np.where(count > 0, total / np.maximum(count, 1), 0.0))

    def escalation_index(self) -> F:
        s = self._engine.state
        return escalation_index(s.tension, s.rung, self._engine.c.top_rung)

    def polarisation(self) -> F:
        s = self._engine.state
        return polarisation(s.belief, s.alignment)

    def norms(self) -> F:
        return np.asarray(self._engine.state.norms, dtype=np.float64)


@dataclass(slots=True)
class TurnRecord:
    """What one turn did (arrays are never mutated after the turn).

    Shapes are for a single run; in a batch every array gains a leading
    replicate axis ``R`` and ``norms`` is an ``(R,)`` array.

    Attributes:
        turn: 1-based turn number.
        move: ``(N,)`` index of each actor's move.
        hostility: ``(N,)`` hostility each move carried as meant (0-1).
        forced: ``(N,)`` True where an inject or a person chose the move.
        seen: ``(N, N)`` observer i saw sender j's move.
        perceived: ``(N, N)`` reading of j's move by i (only meaningful where seen).
        tension: ``(N,)`` tension after the turn.
        belief: ``(N, N)`` beliefs after the turn.
        credibility: ``(N, N)`` framing credibility after the turn.
        alignment: ``(N, N)`` alignment during the turn.
        norms: Regime strength after the turn.
        injects: Ids of injects that fired at the start of the turn (in any replicate).
        human: Actor indices whose move a person chose.
        fired: ``(J,)`` which of the scenario's injects fired this turn.
    """

    turn: int
    move: I
    hostility: F
    forced: B
    seen: B
    perceived: F
    tension: F
    belief: F
    credibility: F
    alignment: F
    norms: float | F
    injects: list[str]
    human: tuple[int, ...] = ()
    fired: B | None = None


@dataclass(slots=True)
class State:
    """The mutable state of a run (or a batch) between turns.

    ``norms`` is a float for a single run and an ``(R,)`` array in a batch;
    ``fired`` marks the injects that have fired, ``(J,)`` or ``(R, J)``.
    """

    turn: int
    tension: F
    rung: I
    belief: F
    credibility: F
    norms: float | F
    posture: F
    alignment: F
    channels: F
    last_move: I
    last_hostility: F
    last_perceived: F
    last_gap: F
    misread: F
    fired: B


def initial_beliefs(alignment: F) -> F:
    """Starting belief about each other actor's hostility: ``0.3 - 0.2 * alignment``."""
    b = 0.3 - 0.2 * alignment
    np.fill_diagonal(b, 0.0)
    return b


def initial_credibility(alignment: F, transparency: F) -> F:
    """Starting credibility of each sender's framing, in [0, 1].

    ``0.5 + 0.25 * alignment_ij + 0.3 * (transparency_j - 0.5)``.
    """
    c = np.clip(0.5 + 0.25 * alignment + 0.3 * (transparency[None, :] - 0.5), 0.0, 1.0)
    np.fill_diagonal(c, 1.0)
    return c


def start_rung(top_rung: int) -> int:
    """Rung every actor is taken to stand on before turn 1 (1, 'routine', when it exists)."""
    return min(1, top_rung)


class Engine:
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

    Attributes:
        state: Current state; ``state.turn`` is the number of turns played.
        records: One :class:`TurnRecord` per turn played.
        seeds: The root seeds, one per replicate.
    """

    def __init__(
        self, compiled: Compiled, seed: int | Sequence[int], *, keep_records: bool = True
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
        self.perfect = d.perception == "perfect"
        self.draws = Draws(self.seeds, n, len(compiled.move_ids), batched=self.batched)
        self.not_self = ~np.eye(n, dtype=bool)

        def each(a: F) -> F:
            return np.broadcast_to(a, lead + a.shape).copy() if lead else a.copy()

        posture = each(compiled.posture)
        self.state = State(
            turn=0,
            tension=each(compiled.initial_tension),
            rung=np.full((*lead, n), start_rung(compiled.top_rung), dtype=np.int64),
            belief=each(initial_beliefs(compiled.alignment)),
            credibility=each(initial_credibility(compiled.alignment, compiled.posture[:, 3])),
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
        )
        self._drift = float(compiled.scenario.norms.drift)
        self._everyone = np.arange(n, dtype=np.int64)
        self._no_one = np.zeros((*lead, n), dtype=bool)
        self._no_targets = np.zeros((n, n), dtype=bool)
        self._single_policy = compiled.policies[0][0] if len(compiled.policies) == 1 else None
        self._continuous = any(p.name == "richardson" for p, _ in compiled.policies)
        self._any_targets = bool(compiled.targets.any())
        self._needs_history = any(
            p.name in ("tit_for_tat", "generous_tit_for_tat", "contrite_tit_for_tat")
            for p, _ in compiled.policies
        )
        self._last: tuple[B, F, F] | None = None  # last turn's (seen, perceived, hostility)
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
            intended=compiled.intended,
            rungs=compiled.rungs,
            cost=compiled.cost,
            reassurance=compiled.reassurance,
            second_strike=compiled.second_strike,
            top_rung=compiled.top_rung,
            temperature=d.temperature,
            time_pressure=d.time_pressure,
            cost_weight=d.cost_weight,
            hostile_threshold=d.hostile_threshold,
            miscalculation_threshold=d.miscalculation_threshold,
            uniforms=np.zeros((*lead, n)),
            gumbel=np.zeros((*lead, n, len(compiled.move_ids))),
        )
        # What each move carries, one row per quantity: a turn gathers the columns
        # of the moves played with one `take` and reads them as (1, sender) rows.
        # One run of a small scenario instead gathers whole (observer, sender)
        # matrices from (observer, move) tables: numpy is fastest on contiguous
        # same-shape operands when arrays are this small (the numbers are equal).
        self._dense = not self.batched and n <= _DENSE_MAX
        keep = 1.0 - d.prior_weight
        self._move_table = np.stack(
            [
                keep * (compiled.framed - compiled.face),  # framing pull
                keep * compiled.face,  # face-value pull
                compiled.second_strike * compiled.face,  # alarm at second-strike moves
                d.cheap_talk_weight + (1.0 - d.cheap_talk_weight) * compiled.cost,  # Kydd
                compiled.framed,  # what the framing claims
                compiled.visibility,
                compiled.norm_effect,
            ]
        )
        self._norm_effect = self._move_table[6]
        self._refresh_structure()
        self.records: list[TurnRecord] = []

    @property
    def fired(self) -> set[str]:
        """Ids of the injects that have fired (in any replicate of a batch)."""
        done = self.state.fired.any(axis=0) if self.batched else self.state.fired
        return {inj.key for inj, f in zip(self.c.injects, done, strict=True) if f}

    # ------------------------------------------------------------ structure

    def _refresh_structure(self) -> None:
        """Recompute what depends on posture, alignment and channels."""
        s, c, d = self.state, self.c, self.d
        clarity = per.channel_clarity(s.channels, c.channel_weights)
        clarity[..., self._everyone, self._everyone] = 0.0
        self._opacity = 1.0 - clarity
        self._lens = per.lens_bias(d.lens_strength, s.posture[..., 0], s.alignment)
        k, a, g = bel.default_coefficients(
            s.posture[..., 0],
            s.posture[..., 2],
            s.posture[..., 4],
            s.alignment,
            d.reactivity,
            d.fatigue,
            d.grievance,
        )
        self.reaction = np.where(np.isnan(c.reaction_override), k, c.reaction_override)
        self.fatigue = np.where(np.isnan(c.fatigue_override), a, c.fatigue_override)
        self.grievance = np.where(np.isnan(c.grievance_override), g, c.grievance_override)
        self._richardson = bel.richardson_coefficients(
            self.reaction, self.fatigue, self.grievance, d.dt
        )
        # Deterrent anxiety scales each observer's alarm at second-strike moves.
        self._anxiety = (d.anxiety_weight * s.posture[..., 4])[..., :, None]
        self._learning = s.posture[..., 7][..., :, None] * np.ones(c.n)
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

    # ------------------------------------------------------------ live metrics

    def metric(self, cond: Condition, turn: int) -> F:
        """Value of a condition's metric in the current state (end of the last turn).

        A number for a single run, an ``(R,)`` array for a batch. Read through
        the one evaluator of :mod:`sim.model.conditions`.
        """
        return evaluate(cond, _StateReadings(self, turn), self.c.index)

    def holds(self, cond: Condition, turn: int) -> bool:
        """Whether a condition holds now (for the given turn number; in any replicate)."""
        return bool(cond.test(self.metric(cond, turn)).any())

    # ------------------------------------------------------------ injects

    def due(self, turn: int) -> list[str]:
        """Ids of the injects that fire at the start of ``turn`` (in any replicate).

        Scheduled injects for that turn, and conditional ones whose conditions
        hold on the current state; play mode shows them before the turn is played.
        """
        return [inj.key for _, inj, _ in self._due_masks(turn, set())]

    def _due_masks(self, turn: int, extra: set[str]) -> list[tuple[int, CompiledInject, B]]:
        """Each inject that fires this turn, with the replicates it fires in (file order)."""
        masks: list[tuple[int, CompiledInject, B]] = []
        for j, inj in enumerate(self.c.injects):
            if inj.key in extra:
                masks.append((j, inj, np.ones(self.lead, dtype=bool)))
                continue
            # Cheap tests first: most injects cannot fire in most turns.
            if inj.turn is not None:
                if inj.turn != turn:
                    continue
            elif turn < inj.from_turn or (inj.until_turn is not None and turn > inj.until_turn):
                continue
            if inj.key in self._spent:
                continue
            due = self._due(j, inj, turn)
            if due.any():
                masks.append((j, inj, np.asarray(due)))
        return masks

    def _due(self, j: int, inj: CompiledInject, turn: int) -> B:
        """Replicates in which inject ``j``, in its turn or window, fires (a lead-shaped mask)."""
        due: B = ~self.state.fired[..., j] if not inj.repeat else np.ones(self.lead, dtype=bool)
        if inj.turn is None:
            for cond in inj.all:
                due = due & cond.test(self.metric(cond, turn))
            if inj.any:
                either = inj.any[0].test(self.metric(inj.any[0], turn))
                for cond in inj.any[1:]:
                    either = either | cond.test(self.metric(cond, turn))
                due = due & either
        return due

    def _apply(self, inj: CompiledInject, where: B, forced: I) -> None:
        """Apply an inject's effects in the replicates marked by ``where``."""
        s, idx = self.state, self.c.index

        def put(array: F, key: tuple[Any, ...], value: F) -> F:
            out = array.copy()  # records keep the old array
            out[key] = np.where(where, value, array[key])
            return out

        structural = False
        for e in inj.effects:
            if e.move is not None:
                i = idx[e.move.actor]
                forced[..., i] = np.where(where, self.c.move_index[e.move.move], forced[..., i])
            elif e.norms is not None:
                new = np.where(where, np.clip(s.norms + e.norms, 0.0, 1.0), s.norms)
                s.norms = new if self.batched else float(new)
            elif e.tension is not None:
                i = idx[e.tension.actor]
                value = np.clip(s.tension[..., i] + e.tension.delta, 0.0, 1.0)
                s.tension = put(s.tension, (..., i), value)
            elif e.posture is not None:
                i, k = idx[e.posture.actor], POSTURE_INDEX[e.posture.field]
                value = np.clip(s.posture[..., i, k] + e.posture.delta, 0.0, 1.0)
                s.posture = put(s.posture, (..., i, k), value)
                structural = True
            elif e.alignment is not None:
                ch = e.alignment
                i, j = idx[ch.between[0]], idx[ch.between[1]]
                old = s.alignment[..., i, j]
                new = np.full_like(old, ch.set) if ch.set is not None else old + (ch.delta or 0.0)
                value = np.clip(new, -1.0, 1.0)
                s.alignment = put(s.alignment, (..., i, j), value)
                s.alignment[..., j, i] = s.alignment[..., i, j]
                structural = True
            elif e.channel is not None:
                ch = e.channel
                i, j = idx[ch.between[0]], idx[ch.between[1]]
                k = CHANNEL_INDEX[ch.kind or "hotline"]
                old = s.channels[..., k, i, j]
                new = np.full_like(old, ch.set) if ch.set is not None else old + (ch.delta or 0.0)
                value = np.clip(new, 0.0, 1.0)
                s.channels = put(s.channels, (..., k, i, j), value)
                s.channels[..., k, j, i] = s.channels[..., k, i, j]
                structural = True
        if structural:
            self._refresh_structure()

    def _fire_injects(self, turn: int, extra: set[str]) -> tuple[I | None, list[str], B | None]:
        """Decide every inject on the start-of-turn state, then apply them in file order.

        No inject sees another's effect in the same turn. Returns the forced
        moves (-1 where none; None if no inject moves anyone), the ids that
        fired and the mask of fired injects (None if none fired).
        """
        s, c = self.state, self.c
        masks = self._due_masks(turn, extra)
        if not masks:
            return None, [], None
        forced: I = np.full((*self.lead, c.n), -1, dtype=np.int64)
        now = np.zeros((*self.lead, len(c.injects)), dtype=bool)
        for j, inj, due in masks:
            self._apply(inj, due, forced)
            now[..., j] = due
        s.fired = s.fired | now
        for j, inj, _ in masks:
            if not inj.repeat and s.fired[..., j].all():
                self._spent.add(inj.key)  # fired everywhere: never due again
        moved = bool((forced >= 0).any())
        return (forced if moved else None), [inj.key for _, inj, _ in masks], now

    # ------------------------------------------------------------ the turn

    def step(
        self, human_moves: dict[int, int] | None = None, extra_injects: list[str] | None = None
    ) -> TurnRecord:
        """Play one turn and return its record.

        Args:
            human_moves: Moves chosen outside the model (actor index -> move
                index), for play mode; they replace the policies' choices (in
                every replicate of a batch).
            extra_injects: Keys of scenario injects to fire this turn in
                addition to those due (an instructor's choice in live play).
        """
        c, d, s = self.c, self.d, self.state
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
        sit.tension, sit.rung, sit.belief = s.tension, s.rung, s.belief
        sit.alignment, sit.posture = s.alignment, s.posture
        sit.last_perceived, sit.misread = s.last_perceived, s.misread
        sit.uniforms, sit.gumbel = choice_u, gumbel
        if self._single_policy is not None:
            move, hostility = self._single_policy.choose(self._everyone, sit)
        else:
            move = np.empty((*self.lead, c.n), dtype=np.int64)
            hostility = np.empty((*self.lead, c.n))
            for policy, who in c.policies:
                move[..., who], hostility[..., who] = policy.choose(who, sit)
        is_forced = self._no_one
        if forced is not None or human_moves:
            chosen = np.full((*self.lead, c.n), -1, dtype=np.int64) if forced is None else forced
            for i, m in (human_moves or {}).items():
                chosen[..., i] = m
            is_forced = chosen >= 0
            move = np.where(is_forced, chosen, move)
            hostility = np.where(is_forced, c.intended[move], hostility)

        # 3. readings
        intended: F = hostility[..., None, :]  # (..., 1, N): what each sender means
        if self._dense:
            tables = self._dense_tables.take(move, axis=2)
            intended_m, framing_pull, face_pull, reassurance_w, framed_m, visibility = tables
            norm_effect = self._norm_effect.take(move)
            if forced is None and not human_moves and not self._continuous:
                intended = intended_m
        else:
            carried = self._move_table.take(move, axis=1)  # (7, *lead, N)
            framing_pull, face_pull, ss_face, reassurance_w, framed_m = carried[:5, ..., None, :]
            visibility, norm_effect = carried[5][..., None, :], carried[6]
            face_pull = face_pull + self._anxiety * ss_face  # as the dense table sums them
        # The regime scales framing credibility (per pair) and reading noise (per observer).
        backing: float | F
        norms: float | F
        if isinstance(s.norms, np.ndarray):  # a batch: one regime per replicate
            backing, norms = (0.5 + 0.5 * s.norms)[:, None, None], s.norms[:, None]
        else:
            backing, norms = 0.5 + 0.5 * s.norms, s.norms
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
                prior_weight=d.prior_weight,
                noise_sd=per.noise_scale(
                    d.noise, d.time_pressure, s.tension, d.norm_damping, norms
                ),
                noise=noise_z,
            )

        # 4. updates
        seen_f = seen.astype(np.float64)  # float x float is numpy's fast path
        belief = bel.update_beliefs(s.belief, perceived, seen_f * self._learning, reassurance_w)
        credibility = bel.update_credibility(
            s.credibility, perceived, framed_m, seen_f * d.credibility_rate
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
        s.turn = turn
        s.tension, s.belief, s.credibility, s.norms = tension, belief, credibility, record.norms
        s.rung = c.rungs[move]
        s.last_move, s.last_hostility = move, hostility
        self._last = (seen, perceived, hostility)
        if self._needs_history:
            gap = perceived - hostility[..., None, :]
            gap *= seen_f
            s.misread = np.maximum(gap, s.last_gap)
            s.last_gap = gap
            s.last_perceived = np.where(seen, perceived, np.nan)
        if self.keep_records:
            self.records.append(record)
        else:
            self.records[:] = [record]
        return record

    def run(self, turns: int) -> list[TurnRecord]:
        """Play ``turns`` more turns; return all records so far."""
        for _ in range(turns):
            self.step()
        return self.records
