"""Turn a validated scenario into the numeric arrays the model runs on.

Actors are indexed in file order and moves in repertoire order; every array
in the model uses these indices. Nothing here knows any country: all of it
comes from the scenario.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sim.model.limits import Limits
from sim.model.policies import POLICIES, BuildContext, Policy
from sim.scenario.schema import (
    CHANNEL_KINDS,
    Condition,
    Effect,
    Scenario,
    default_channel_weights,
)

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741
B = NDArray[np.bool_]

CHANNEL_INDEX = {name: k for k, name in enumerate(CHANNEL_KINDS)}


@dataclass(slots=True)
class CompiledInject:
    """An inject with actor and move names replaced by indices."""

    key: str
    label: str
    turn: int | None
    from_turn: int
    until_turn: int | None
    all: list[Condition]
    any: list[Condition]
    repeat: bool
    effects: list[Effect]


@dataclass(slots=True)
class Compiled:
    """A scenario as arrays. Shapes: N actors, M moves, K channel kinds."""

    scenario: Scenario
    ids: list[str]
    index: dict[str, int]
    move_ids: list[str]
    move_index: dict[str, int]
    posture: F  # (N, P), columns by POSTURE_INDEX
    alignment: F  # (N, N)
    channels: F  # (K, N, N)
    channel_weights: F  # (K,)
    initial_tension: F  # (N,)
    reaction_override: F  # (N, N), NaN where derived
    fatigue_override: F  # (N,), NaN where derived
    grievance_override: F  # (N,), NaN where derived
    allowed: B  # (N, M)
    intended: F  # (M,)
    framed: F  # (M,)
    rungs: I  # (M,)
    face: F  # (M,)
    visibility: F  # (M,)
    cost: F  # (M,)
    norm_effect: F  # (M,)
    reassurance: F  # (M,)
    second_strike: F  # (M,)
    targets: B  # (M, N) True where actor n is a target of move m
    top_rung: int
    policies: list[tuple[Policy, I]]
    policy_names: list[str]
    partners: B  # (M, N) True where actor n is a partner of joint move m
    joint: I  # (J,) the joint moves, in move order
    limited: I  # (L,) the moves with a limit, in move order
    move_limits: Limits  # their limits, each (L,)
    injects: list[CompiledInject] = field(default_factory=list)
    inject_limits: Limits = field(default_factory=lambda: Limits.of([]))

    @property
    def n(self) -> int:
        """Number of actors."""
        return len(self.ids)


def compile_scenario(s: Scenario) -> Compiled:
    """Build the arrays for scenario ``s`` (already validated)."""
    ids = list(s.actors)
    index = {a: k for k, a in enumerate(ids)}
    n = len(ids)
    move_ids = list(s.moves)
    move_index = {m: k for k, m in enumerate(move_ids)}
    moves = [s.moves[m] for m in move_ids]
    top = s.top_rung

    posture = np.array([s.actors[a].posture.values() for a in ids], dtype=np.float64)
    alignment = np.zeros((n, n))
    channels = np.zeros((len(CHANNEL_KINDS), n, n))
    for a, inner in s.relationships.items():
        for b, rel in inner.items():
            i, j = index[a], index[b]
            alignment[i, j] = alignment[j, i] = rel.alignment
            for channel_kind, ch in rel.channels.items():
                layer = CHANNEL_INDEX[channel_kind]
                channels[layer, i, j] = channels[layer, j, i] = ch.value
    channel_weights: dict[str, float] = {str(k): v for k, v in default_channel_weights().items()}
    channel_weights.update({str(k): v for k, v in s.dynamics.channel_weights.items()})
    weights = np.array([channel_weights.get(kind, 0.0) for kind in CHANNEL_KINDS])

    reaction = np.full((n, n), np.nan)
    fatigue = np.full(n, np.nan)
    grievance = np.full(n, np.nan)
    allowed = np.zeros((n, len(moves)), dtype=bool)
    for a in ids:
        i = index[a]
        spec = s.actors[a]
        for other, coefficient in spec.reactions.items():
            reaction[i, index[other]] = coefficient
        if spec.fatigue is not None:
            fatigue[i] = spec.fatigue
        if spec.grievance is not None:
            grievance[i] = spec.grievance
        repertoire = spec.moves if spec.moves is not None else move_ids
        for move_id in repertoire:
            spec_move = s.moves[move_id]
            users = spec_move.partners or spec_move.available_to
            chosen_by_policy = not spec_move.scripted_only
            allowed[i, move_index[move_id]] = chosen_by_policy and (users is None or a in users)

    intended = np.array([m.intended_hostility for m in moves])
    targets = np.zeros((len(moves), n), dtype=bool)
    for row, spec_move in enumerate(moves):
        for t in spec_move.targets:
            targets[row, index[t]] = True
    cost = np.array([m.cost for m in moves])
    partners = np.zeros((len(moves), n), dtype=bool)
    for row, spec_move in enumerate(moves):
        for p in spec_move.partners or []:
            partners[row, index[p]] = True
    joint = np.flatnonzero(partners.any(axis=1)).astype(np.int64)
    limited = np.array([k for k, m in enumerate(moves) if m.limit is not None], dtype=np.int64)

    groups: dict[str, list[int]] = {}
    for a in ids:
        groups.setdefault(s.actors[a].policy.kind, []).append(index[a])
    context = BuildContext(
        scenario=s, ids=ids, move_index=move_index, allowed=allowed, intended=intended, cost=cost
    )
    policies: list[tuple[Policy, I]] = []
    for kind in sorted(groups):
        who = np.array(groups[kind], dtype=np.int64)
        policies.append((POLICIES[kind].build(who, context), who))

    injects = [
        CompiledInject(
            key=key,
            label=inj.label,
            turn=inj.when.turn,
            from_turn=inj.when.from_turn,
            until_turn=inj.when.until_turn,
            all=list(inj.when.all),
            any=list(inj.when.any),
            repeat=inj.repeat,
            effects=list(inj.effects),
        )
        for key, inj in s.injects.items()
    ]

    return Compiled(
        scenario=s,
        ids=ids,
        index=index,
        move_ids=move_ids,
        move_index=move_index,
        posture=posture,
        alignment=alignment,
        channels=channels,
        channel_weights=weights,
        initial_tension=np.array([s.actors[a].initial_tension.value for a in ids]),
        reaction_override=reaction,
        fatigue_override=fatigue,
        grievance_override=grievance,
        allowed=allowed,
        intended=intended,
        framed=np.array([m.framed_hostility for m in moves]),
        rungs=np.array([m.rung for m in moves], dtype=np.int64),
        face=np.array([m.rung / top for m in moves]),
        visibility=np.array([m.visibility for m in moves]),
        cost=cost,
        norm_effect=np.array([m.norm_effect for m in moves]),
        reassurance=np.array([1.0 if "reassurance" in m.tags else 0.0 for m in moves]),
        second_strike=np.array([1.0 if "second_strike" in m.tags else 0.0 for m in moves]),
        targets=targets,
        top_rung=top,
        policies=policies,
        policy_names=[s.actors[a].policy.kind for a in ids],
        partners=partners,
        joint=joint,
        limited=limited,
        move_limits=Limits.of([moves[k].limit for k in limited]),
        injects=injects,
        inject_limits=Limits.of([inj.use_limit() for inj in s.injects.values()]),
    )
