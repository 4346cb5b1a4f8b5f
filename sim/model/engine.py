"""The turn engine: one turn of choices, readings, belief and tension updates.

:class:`Engine` holds the state of one run as plain numpy arrays and advances
it with the pure functions of :mod:`sim.model.perception`,
:mod:`sim.model.beliefs` and :mod:`sim.model.policies`. The Mesa model in
:mod:`sim.model.mesa_model` is a thin host around it. Metrics that only
*describe* a run (gaps, escalation index, action-counteraction links) are
derived afterwards, vectorised over all turns, by :mod:`sim.model.derive`;
the per-turn loop does only what the dynamics need.

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

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sim.model import beliefs as bel
from sim.model import perception as per
from sim.model.compiled import CHANNEL_INDEX, POSTURE_INDEX, Compiled, CompiledInject
from sim.model.indices import escalation_index, polarisation
from sim.model.policies import Situation
from sim.scenario.schema import Condition

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741
B = NDArray[np.bool_]

_BLOCK = 32


class Draws:
    """Random numbers for a run: three streams from one root seed, drawn in blocks.

    Per turn: uniforms ``(N, M + 1)`` for choices (the first M columns become
    Gumbel draws for logit choice, the last is a plain uniform), uniforms
    ``(N, N)`` for observation and standard normals ``(N, N)`` for reading
    noise. Blocks are C-ordered slices of each stream, so the numbers a turn
    gets do not depend on the block size.
    """

    def __init__(self, seed: int, n: int, m: int) -> None:
        choice, observe, noise = np.random.SeedSequence(seed).spawn(3)
        self._choice = np.random.Generator(np.random.PCG64(choice))
        self._observe = np.random.Generator(np.random.PCG64(observe))
        self._noise = np.random.Generator(np.random.PCG64(noise))
        self._n, self._m = n, m
        # Turns drawn per block: up to 32, fewer for large N so a block stays near 8 MB.
        # The numbers a turn gets do not depend on the block size (see above).
        self._block = max(1, min(_BLOCK, 1_000_000 // max(1, n * n + n * (m + 1))))
        self._k = self._block
        self._u: F = np.empty((0, n))
        self._g: F = np.empty((0, n, m))
        self._o: F = np.empty((0, n, n))
        self._z: F = np.empty((0, n, n))

    def next(self) -> tuple[F, F, F, F]:
        """This turn's (choice uniforms, Gumbel draws, observation uniforms, normals)."""
        if self._k >= self._block:
            n, m, block = self._n, self._m, self._block
            raw = self._choice.random((block, n, m + 1))
            with np.errstate(divide="ignore"):
                self._g = -np.log(-np.log(raw[:, :, :m]))
            self._u = raw[:, :, m]
            self._o = self._observe.random((block, n, n))
            self._z = self._noise.standard_normal((block, n, n))
            self._k = 0
        k = self._k
        self._k += 1
        return self._u[k], self._g[k], self._o[k], self._z[k]


@dataclass(slots=True)
class TurnRecord:
    """What one turn did (arrays are never mutated after the turn).

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
        injects: Ids of injects that fired at the start of the turn.
        human: Actor indices whose move a person chose.
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
    norms: float
    injects: list[str]
    human: tuple[int, ...] = ()


@dataclass(slots=True)
class State:
    """The mutable state of a run between turns."""

    turn: int
    tension: F
    rung: I
    belief: F
    credibility: F
    norms: float
    posture: F
    alignment: F
    channels: F
    last_move: I
    last_hostility: F
    last_perceived: F
    last_gap: F
    misread: F
    fired: set[str] = field(default_factory=set)


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
    """Runs one scenario, turn by turn, from a root seed.

    Args:
        compiled: The scenario as arrays.
        seed: Root seed (any non-negative integer).

    Attributes:
        state: Current state; ``state.turn`` is the number of turns played.
        records: One :class:`TurnRecord` per turn played.
    """

    def __init__(self, compiled: Compiled, seed: int) -> None:
        self.c = compiled
        self.seed = seed
        n = compiled.n
        d = compiled.scenario.dynamics
        self.d = d
        self.perfect = d.perception == "perfect"
        self.draws = Draws(seed, n, len(compiled.move_ids))
        self.not_self = ~np.eye(n, dtype=bool)
        posture = compiled.posture.copy()
        self.state = State(
            turn=0,
            tension=compiled.initial_tension.copy(),
            rung=np.full(n, start_rung(compiled.top_rung), dtype=np.int64),
            belief=initial_beliefs(compiled.alignment),
            credibility=initial_credibility(compiled.alignment, posture[:, 3]),
            norms=float(compiled.scenario.norms.strength),
            posture=posture,
            alignment=compiled.alignment.copy(),
            channels=compiled.channels.copy(),
            last_move=np.full(n, -1, dtype=np.int64),
            last_hostility=np.zeros(n),
            last_perceived=np.full((n, n), np.nan),
            last_gap=np.zeros((n, n)),
            misread=np.zeros((n, n)),
        )
        self._drift = float(compiled.scenario.norms.drift)
        self._everyone = np.arange(n, dtype=np.int64)
        self._no_one = np.zeros(n, dtype=bool)
        self._no_targets = np.zeros((n, n), dtype=bool)
        self._single_policy = compiled.policies[0][0] if len(compiled.policies) == 1 else None
        self._watching = {inj.key for inj in compiled.injects if inj.turn is None}
        self._any_targets = bool(compiled.targets.any())
        self._continuous = any(p.name == "richardson" for p, _ in compiled.policies)
        self._needs_history = any(
            p.name in ("tit_for_tat", "generous_tit_for_tat", "contrite_tit_for_tat")
            for p, _ in compiled.policies
        )
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
            uniforms=np.zeros(n),
            gumbel=np.zeros((n, len(compiled.move_ids))),
        )
        self._refresh_structure()
        self.records: list[TurnRecord] = []

    # ------------------------------------------------------------ structure

    def _refresh_structure(self) -> None:
        """Recompute what depends on posture, alignment and channels."""
        s, c, d = self.state, self.c, self.d
        clarity = per.channel_clarity(s.channels, c.channel_weights)
        np.fill_diagonal(clarity, 0.0)
        self._opacity = 1.0 - clarity
        self._lens = per.lens_bias(d.lens_strength, s.posture[:, 0], s.alignment)
        k, a, g = bel.default_coefficients(
            s.posture[:, 0],
            s.posture[:, 2],
            s.posture[:, 4],
            s.alignment,
            d.reactivity,
            d.fatigue,
            d.grievance,
        )
        self.reaction = np.where(np.isnan(c.reaction_override), k, c.reaction_override)
        self.fatigue = np.where(np.isnan(c.fatigue_override), a, c.fatigue_override)
        self.grievance = np.where(np.isnan(c.grievance_override), g, c.grievance_override)
        # Per-move tables shaped (observer, move): a turn gathers the columns of
        # the moves played with one `take`, giving (observer, sender) matrices.
        n = c.n
        keep = 1.0 - d.prior_weight
        rows = np.ones((n, 1))
        alarm = (d.anxiety_weight * s.posture[:, 4])[:, None] * (c.second_strike * c.face)[None, :]
        reassure = d.cheap_talk_weight + (1.0 - d.cheap_talk_weight) * c.cost
        # One stacked table (6, observer, move): a single take(move, axis=2) per turn
        # gives all six (observer, sender) matrices the readings and updates need.
        self._tables = np.stack(
            [
                rows * c.intended[None, :],  # what each move means
                rows * (keep * (c.framed - c.face))[None, :],  # framing pull
                rows * (keep * c.face)[None, :],  # face-value pull
                alarm,  # deterrent-anxiety alarm (second-strike moves)
                rows * reassure[None, :],  # weight of a reassuring reading (Kydd)
                rows * c.framed[None, :],  # what each framing claims
            ]
        )
        self._move_rows = np.stack([c.visibility, c.norm_effect])
        self._learning = s.posture[:, 7][:, None] * np.ones((1, n))

    # ------------------------------------------------------------ live metrics

    def metric(self, cond: Condition, turn: int) -> float:
        """Value of a condition's metric in the current state (end of the last turn)."""
        s, idx = self.state, self.c.index
        m = cond.metric
        if m == "tension":
            return float(s.tension[idx[cond.actor or ""]])
        if m == "rung":
            return float(s.rung[idx[cond.actor or ""]])
        if m == "belief":
            return float(s.belief[idx[cond.actor or ""], idx[cond.about or ""]])
        if m == "credibility":
            return float(s.credibility[idx[cond.actor or ""], idx[cond.about or ""]])
        if m == "perception_gap":
            if not self.records:
                return 0.0
            last = self.records[-1]
            seen, gaps = last.seen, last.perceived - last.hostility[None, :]
            if cond.actor is not None:
                seen, gaps = seen[idx[cond.actor]], gaps[idx[cond.actor]]
            return float(np.abs(gaps[seen]).mean()) if seen.any() else 0.0
        if m == "escalation_index":
            return float(escalation_index(s.tension, s.rung, self.c.top_rung))
        if m == "polarisation":
            return float(polarisation(s.belief, s.alignment))
        if m == "norms":
            return s.norms
        return float(turn)

    def holds(self, cond: Condition, turn: int) -> bool:
        """Whether a condition holds now (for the given turn number)."""
        return cond.holds(self.metric(cond, turn))

    # ------------------------------------------------------------ injects

    def _due(self, inj: CompiledInject, turn: int) -> bool:
        if inj.key in self.state.fired and not inj.repeat:
            return False
        if inj.turn is not None:
            return inj.turn == turn
        if turn < inj.from_turn or (inj.until_turn is not None and turn > inj.until_turn):
            return False
        ok_all = all(self.holds(c, turn) for c in inj.all)
        ok_any = not inj.any or any(self.holds(c, turn) for c in inj.any)
        return ok_all and ok_any

    def _apply(self, inj: CompiledInject, forced: dict[int, int]) -> None:
        s, idx = self.state, self.c.index
        structural = False
        for e in inj.effects:
            if e.move is not None:
                forced[idx[e.move.actor]] = self.c.move_index[e.move.move]
            elif e.norms is not None:
                s.norms = float(np.clip(s.norms + e.norms, 0.0, 1.0))
            elif e.tension is not None:
                s.tension = s.tension.copy()
                i = idx[e.tension.actor]
                s.tension[i] = np.clip(s.tension[i] + e.tension.delta, 0.0, 1.0)
            elif e.posture is not None:
                s.posture = s.posture.copy()
                i, k = idx[e.posture.actor], POSTURE_INDEX[e.posture.field]
                s.posture[i, k] = np.clip(s.posture[i, k] + e.posture.delta, 0.0, 1.0)
                structural = True
            elif e.alignment is not None:
                ch = e.alignment
                i, j = idx[ch.between[0]], idx[ch.between[1]]
                s.alignment = s.alignment.copy()
                new = ch.set if ch.set is not None else s.alignment[i, j] + (ch.delta or 0.0)
                s.alignment[i, j] = s.alignment[j, i] = np.clip(new, -1.0, 1.0)
                structural = True
            elif e.channel is not None:
                ch = e.channel
                i, j = idx[ch.between[0]], idx[ch.between[1]]
                k = CHANNEL_INDEX[ch.kind or "hotline"]
                s.channels = s.channels.copy()
                new = ch.set if ch.set is not None else s.channels[k, i, j] + (ch.delta or 0.0)
                s.channels[k, i, j] = s.channels[k, j, i] = np.clip(new, 0.0, 1.0)
                structural = True
        if structural:
            self._refresh_structure()

    # ------------------------------------------------------------ the turn

    def step(
        self, human_moves: dict[int, int] | None = None, extra_injects: list[str] | None = None
    ) -> TurnRecord:
        """Play one turn and return its record.

        Args:
            human_moves: Moves chosen outside the model (actor index -> move
                index), for play mode; they replace the policies' choices.
            extra_injects: Keys of scenario injects to fire this turn in
                addition to those due (an instructor's choice in live play).
        """
        c, d, s = self.c, self.d, self.state
        turn = s.turn + 1
        choice_u, gumbel, observe_u, noise_z = self.draws.next()

        forced: dict[int, int] = {}
        fired: list[str] = []
        if c.injects:
            # Decide every inject on the state at the start of the turn, then apply
            # them in file order, so no inject sees another's effect in the same turn.
            extra = set(extra_injects or ())
            due = [
                inj
                for inj in c.injects
                if inj.key in extra
                or (
                    (inj.turn == turn if inj.turn is not None else inj.key in self._watching)
                    and self._due(inj, turn)
                )
            ]
            for inj in due:
                self._apply(inj, forced)
                s.fired.add(inj.key)
                fired.append(inj.key)
                if not inj.repeat:
                    self._watching.discard(inj.key)

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
            move = np.empty(c.n, dtype=np.int64)
            hostility = np.empty(c.n)
            for policy, who in c.policies:
                move[who], hostility[who] = policy.choose(who, sit)
        is_forced = self._no_one
        if forced or human_moves:
            move, hostility, is_forced = move.copy(), hostility.copy(), is_forced.copy()
            for source in (forced, human_moves or {}):
                for i, m in source.items():
                    move[i] = m
                    hostility[i] = c.intended[m]
                    is_forced[i] = True

        # 3. readings
        intended_m, framing_pull, face_pull, alarm, reassurance_w, framed_m = self._tables.take(
            move, axis=2
        )
        visibility, norm_effect = self._move_rows.take(move, axis=1)
        if self.perfect:
            seen = self.not_self
            perceived = np.broadcast_to(hostility, (c.n, c.n)).copy()
        else:
            targeted = c.targets[move].T if self._any_targets else self._no_targets
            seen = per.observed(observe_u, visibility, targeted, self.not_self)
            if self._continuous or forced or human_moves:
                intended = np.broadcast_to(hostility, (c.n, c.n))
            else:
                intended = intended_m
            perceived = per.perceived_hostility(
                intended=intended,
                framing_pull=framing_pull,
                face_pull=face_pull,
                belief=s.belief,
                credibility=s.credibility * (0.5 + 0.5 * s.norms),
                lens_bias=self._lens,
                alarm=alarm,
                opacity=self._opacity,
                prior_weight=d.prior_weight,
                noise_sd=per.noise_scale(
                    d.noise, d.time_pressure, s.tension, d.norm_damping, s.norms
                ),
                noise=noise_z,
            )

        # 4. updates
        seen_f = seen.astype(np.float64)
        belief = bel.update_beliefs(s.belief, perceived, seen_f * self._learning, reassurance_w)
        credibility = bel.update_credibility(
            s.credibility, perceived, framed_m, seen_f * d.credibility_rate
        )
        tension = bel.richardson_step(
            s.tension, belief, self.reaction, self.fatigue, self.grievance, d.dt
        )
        norms = min(1.0, max(0.0, s.norms + self._drift + float(np.add.reduce(norm_effect))))

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
            norms=norms,
            injects=fired,
            human=tuple(sorted(human_moves)) if human_moves else (),
        )
        s.turn = turn
        s.tension, s.belief, s.credibility, s.norms = tension, belief, credibility, norms
        s.rung = c.rungs[move]
        s.last_move, s.last_hostility = move, hostility
        if self._needs_history:
            gap = perceived - hostility
            gap *= seen_f
            s.misread = np.maximum(gap, s.last_gap)
            s.last_gap = gap
            s.last_perceived = np.where(seen, perceived, np.nan)
        self.records.append(record)
        return record

    def run(self, turns: int) -> list[TurnRecord]:
        """Play ``turns`` more turns; return all records so far."""
        for _ in range(turns):
            self.step()
        return self.records
