"""Cross-reference checks that a schema alone cannot express.

Every actor id, move id and source key named anywhere in a scenario must exist;
each pair of actors is declared at most once (pairs are unordered: ``a.b`` and
``b.a`` are one pair); rungs fit the ladder. Problems are returned as
``(path, message)`` pairs for the loader to place in the file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from sim.scenario.schema import POSTURE_FIELDS, Basis, Condition, Scenario, fact_refs

Problem = tuple[tuple[str | int, ...], str]


def _hint(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _unknown(kind: str, name: str, options: Iterable[str]) -> str:
    options = list(options)
    hint = _hint(name, options)
    if not hint and len(options) <= 12:
        hint = f" (known: {', '.join(options)})"
    return f"unknown {kind} '{name}'{hint}"


def check_references(s: Scenario) -> list[Problem]:
    """Return every dangling or inconsistent reference in ``s``."""
    problems: list[Problem] = []
    actors = set(s.actors)
    moves = set(s.moves)
    sources = {src.key for src in s.metadata.sources}
    top = s.top_rung

    def actor(path: tuple[str | int, ...], name: str | None) -> None:
        if name is not None and name not in actors:
            problems.append((path, _unknown("actor", name, s.actors)))

    def move(path: tuple[str | int, ...], name: str | None) -> None:
        if name is not None and name not in moves:
            problems.append((path, _unknown("move", name, s.moves)))

    def basis(path: tuple[str | int, ...], b: Basis | None) -> None:
        if b is not None and b.source not in sources:
            msg = _unknown("source", b.source, sources)
            problems.append(((*path, "basis", "source"), msg + ": list it under metadata.sources"))

    def condition(path: tuple[str | int, ...], c: Condition) -> None:
        actor((*path, "actor"), c.actor)
        actor((*path, "about"), c.about)
        if c.inject is not None and c.inject not in s.injects:
            problems.append(((*path, "inject"), _unknown("inject", c.inject, s.injects)))

    seen_pairs: dict[frozenset[str], tuple[str, str]] = {}
    for a, inner in s.relationships.items():
        actor(("relationships", a), a)
        for b, rel in inner.items():
            actor(("relationships", a, b), b)
            if a == b:
                problems.append(
                    (("relationships", a, b), "an actor has no relationship with itself")
                )
                continue
            pair = frozenset((a, b))
            if pair in seen_pairs:
                first = ".".join(seen_pairs[pair])
                problems.append(
                    (
                        ("relationships", a, b),
                        f"pair declared twice (also as relationships.{first}): pairs are "
                        f"unordered, so {a}.{b} and {first} are one pair; keep "
                        f"relationships.{first} and move this entry's fields into it",
                    )
                )
            seen_pairs.setdefault(pair, (a, b))
            basis(("relationships", a, b), rel.basis)
            for kind, channel in rel.channels.items():
                basis(("relationships", a, b, "channels", kind), channel.basis)

    for aid, spec in s.actors.items():
        base = ("actors", aid)
        for i, m in enumerate(spec.moves or []):
            move((*base, "moves", i), m)
        repertoire = spec.moves if spec.moves is not None else list(s.moves)
        usable = [
            m for m in repertoire if m in s.moves and aid in (s.moves[m].available_to or [aid])
        ]
        if not usable and all(m in s.moves for m in repertoire):
            problems.append(
                (
                    (*base, "moves"),
                    "this actor has no move it may choose: check 'moves' and "
                    "the moves' 'available_to'",
                )
            )
        for other in spec.reactions:
            actor((*base, "reactions", other), other)
            if other == aid:
                problems.append(((*base, "reactions", other), "an actor does not react to itself"))
        if spec.policy.script:
            for turn, m in spec.policy.script.items():
                move((*base, "policy", "script", turn), m)
                if turn < 1:
                    problems.append(((*base, "policy", "script", turn), "turns start at 1"))
        move((*base, "policy", "default_move"), spec.policy.default_move)
        for name in POSTURE_FIELDS:
            basis((*base, "posture", name), getattr(spec.posture, name).basis)
        basis((*base, "initial_tension"), spec.initial_tension.basis)

    if not s.moves:
        problems.append(
            (("moves",), "the repertoire is empty: add moves, or set use_default_moves: true")
        )
    for mid, spec_move in s.moves.items():
        for i, target in enumerate(spec_move.targets):
            actor(("moves", mid, "targets", i), target)
        for i, user in enumerate(spec_move.available_to or []):
            actor(("moves", mid, "available_to", i), user)
        for i, partner in enumerate(spec_move.partners or []):
            actor(("moves", mid, "partners", i), partner)
        actor(("moves", mid, "host"), spec_move.host)
        if spec_move.rung > top:
            problems.append(
                (
                    ("moves", mid, "rung"),
                    f"rung {spec_move.rung} is above the ladder's top rung {top}",
                )
            )
        basis(("moves", mid), spec_move.basis)

    for iid, inject in s.injects.items():
        base2: tuple[str | int, ...] = ("injects", iid)
        for group in ("all", "any"):
            for i, c in enumerate(getattr(inject.when, group)):
                condition((*base2, "when", group, i), c)
        if inject.when.until_turn is not None and inject.when.until_turn < inject.when.from_turn:
            problems.append(((*base2, "when", "until_turn"), "until_turn is before from_turn"))
        for i, effect in enumerate(inject.effects):
            ep: tuple[str | int, ...] = (*base2, "effects", i)
            if effect.move is not None:
                actor((*ep, "move", "actor"), effect.move.actor)
                move((*ep, "move", "move"), effect.move.move)
            if effect.tension is not None:
                actor((*ep, "tension", "actor"), effect.tension.actor)
            if effect.posture is not None:
                actor((*ep, "posture", "actor"), effect.posture.actor)
            for name in ("alignment", "channel"):
                change: Any = getattr(effect, name)
                if change is not None:
                    for j, who in enumerate(change.between):
                        actor((*ep, name, "between", j), who)
        basis(base2, inject.basis)

    for i, prompt in enumerate(s.debrief):
        if prompt.when is not None:
            condition(("debrief", i, "when"), prompt.when)
    basis(("norms",), s.norms.basis)

    for fid, fact in s.expectations.items():
        named_actors, named_moves = fact_refs(fact)
        for check, named in ((actor, named_actors), (move, named_moves)):
            for param, index, name in named:
                at = () if index is None else (index,)
                check(("expectations", fid, param, *at), name)
        basis(("expectations", fid), fact.basis)
    return problems


def open_library_moves(s: Scenario, move_sources: dict[str, str]) -> list[str]:
    """Warnings for domain-library moves left open to actors the scenario never ties to them.

    A move a domain library added (``move_sources``: move id -> library reference,
    as :class:`~sim.scenario.loader.LoadedScenario` gives it) is *restricted* when the
    scenario names who may play it (``available_to`` or ``partners``) or keeps it for
    injects and scripts (``scripted_only``). Otherwise every actor whose repertoire
    includes it may choose it, and each such actor must be *mentioned* with it: the
    move is in the actor's own ``moves:`` list, an inject makes that actor play it, or
    the actor's script plays it. One warning per move with an actor left unmentioned.
    """
    warnings: list[str] = []
    for move_id, library in move_sources.items():
        move = s.moves.get(move_id)
        if move is None or move.scripted_only:
            continue
        if move.available_to is not None or move.partners is not None:
            continue
        mentioned: set[str] = set()
        for inject in s.injects.values():
            for effect in inject.effects:
                if effect.move is not None and effect.move.move == move_id:
                    mentioned.add(effect.move.actor)
        open_to: list[str] = []
        for actor_id, actor in s.actors.items():
            if actor.moves is not None:
                if move_id in actor.moves:
                    mentioned.add(actor_id)
                else:
                    continue  # not in its repertoire
            script = getattr(actor.policy, "script", None) or {}
            if move_id in script.values() or getattr(actor.policy, "default_move", None) == move_id:
                mentioned.add(actor_id)
            open_to.append(actor_id)
        unmentioned = [a for a in open_to if a not in mentioned]
        if unmentioned:
            warnings.append(
                f"move '{move_id}' from {library} is open to every actor; restrict it with "
                f"available_to or drop it (moves.{move_id}: null) "
                f"(never tied to it: {', '.join(unmentioned)})"
            )
    return warnings
