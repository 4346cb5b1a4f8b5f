"""Cross-reference checks that a schema alone cannot express.

Every actor id, move id and source key named anywhere in a scenario must exist;
each pair of actors is declared at most once (pairs are unordered: ``a.b`` and
``b.a`` are one pair); rungs fit the ladder. Problems are returned as
``(path, message)`` pairs for the loader to place in the file.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Iterator, Mapping
from types import UnionType
from typing import Annotated, Any, NamedTuple, Union

from pydantic import BaseModel

from sim.names import unknown
from sim.scenario.partial import DEFINING
from sim.scenario.schema import Scenario, fact_refs
from sim.scenario.schema.basics import Refers

Path = tuple[str | int, ...]
Named = tuple[Path, str, str, str]


class Problem(NamedTuple):
    """A problem at ``path``; ``key``: it is the key there that is wrong, not its value."""

    path: Path
    message: str
    key: bool = False


_ADVICE = {
    "source": "a new source goes under metadata.sources",
}
"""What to add after the suggestions, for a kind of name whose fix is not obvious."""


def _sections(s: Scenario) -> dict[str, list[str]]:
    """The names each kind of :class:`~sim.scenario.schema.basics.Refers` may take in ``s``."""
    return {
        "actor": list(s.actors),
        "move": list(s.moves),
        "inject": list(s.injects),
        "source": [src.key for src in s.metadata.sources],
    }


def _refers(metadata: Iterable[Any]) -> str | None:
    return next((m.kind for m in metadata if isinstance(m, Refers)), None)


def _named_in(
    value: Any, annotation: Any, metadata: list[Any], path: Path, site: str
) -> Iterator[Named]:
    """Every name ``value`` (typed ``annotation``) holds: ``(path, kind, name, site)``."""
    if isinstance(value, BaseModel):
        for field, info in type(value).model_fields.items():
            yield from _named_in(
                getattr(value, field),
                info.annotation,
                list(info.metadata),
                (*path, info.alias or field),
                f"{type(value).__name__}.{field}",
            )
        return
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        base, *extra = typing.get_args(annotation)
        yield from _named_in(value, base, [*metadata, *extra], path, site)
        return
    kind = _refers(metadata)
    if kind is not None and isinstance(value, str):
        yield path, kind, value, site
        return
    args = typing.get_args(annotation)
    if origin in (Union, UnionType):
        for arm in args:  # the arm the value was validated as
            if _fits(value, arm):
                yield from _named_in(value, arm, metadata, path, site)
                return
        return
    if isinstance(value, dict) and len(args) == 2:
        key_kind = None if len(path) == 1 and path[0] in DEFINING else _refers(_metadata(args[0]))
        for k, v in value.items():
            if key_kind is not None:
                yield (*path, k), key_kind, str(k), f"{site}[key]"
            yield from _named_in(v, args[1], [], (*path, k), site)
    elif isinstance(value, (list, tuple)) and args:
        for i, v in enumerate(value):
            yield from _named_in(v, args[0], [], (*path, i), site)


def _metadata(annotation: Any) -> list[Any]:
    """The ``Annotated`` metadata of ``annotation``, outermost first."""
    if typing.get_origin(annotation) is Annotated:
        base, *extra = typing.get_args(annotation)
        return [*extra, *_metadata(base)]
    return []


def _fits(value: Any, annotation: Any) -> bool:
    """Whether ``value`` is of the union arm ``annotation`` (str, a model, list or dict)."""
    plain = annotation
    while typing.get_origin(plain) is Annotated:
        plain = typing.get_args(plain)[0]
    origin = typing.get_origin(plain) or plain
    if origin in (Union, UnionType):
        return any(_fits(value, a) for a in typing.get_args(plain))
    return isinstance(origin, type) and isinstance(value, origin)


def named(s: Scenario) -> list[Named]:
    """Every name ``s`` refers to, found from the schema's :class:`Refers` types.

    Returns ``(path, kind, name, site)`` for each: an actor named by a move's
    ``partners``, a move by an inject's effect, a source by a basis, an inject by a
    condition, an actor as a key of ``relationships`` ... ``site`` is the schema
    field (``Move.partners``, ``Scenario.relationships[key]``; see
    :func:`name_fields`), plus the fields a fact kind's declaration lists as
    naming actors or moves. The keys of the sections that define names
    (``actors``, ``moves``, ``injects``, ``expectations``) are not references.
    """
    found = list(_named_in(s, Scenario, [], (), "Scenario"))
    # A fact kind may also declare which of its fields name actors and moves
    # (FactDeclaration.actors / .moves), whatever their types.
    seen = {path for path, _, _, _ in found}
    for fid, fact in s.expectations.items():
        for kind, declared in zip(("actor", "move"), fact_refs(fact), strict=True):
            for param, index, name in declared:
                path = ("expectations", fid, param, *(() if index is None else (index,)))
                if path not in seen:
                    found.append((path, kind, name, f"{type(fact).__name__}.{param}"))
    return found


def name_fields(model: type[BaseModel] = Scenario) -> dict[str, str]:
    """Every field of the schema that names an entry: site -> kind of name.

    Read from the types alone (each :class:`Refers` reachable from ``model``), so
    a test can ask that an example scenario fills each of them.
    """
    found: dict[str, str] = {}
    seen: set[type[BaseModel]] = set()

    def visit(annotation: Any, metadata: list[Any], site: str, top: bool) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in seen:
                return
            seen.add(annotation)
            for field, info in annotation.model_fields.items():
                where = f"{annotation.__name__}.{field}"
                visit(info.annotation, list(info.metadata), where, annotation is Scenario)
            return
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is Annotated:
            visit(args[0], [*metadata, *args[1:]], site, top)
        elif (kind := _refers(metadata)) is not None and annotation is str:
            found[site] = kind
        elif origin in (Union, UnionType, list, tuple):
            for arg in args:
                visit(arg, metadata if origin in (Union, UnionType) else [], site, top)
        elif origin is dict:
            defining = top and site.split(".", 1)[1] in DEFINING
            if (kind := _refers(_metadata(args[0]))) is not None and not defining:
                found[f"{site}[key]"] = kind
            visit(args[1], [], site, False)

    visit(model, [], "", True)
    return found


def pair_problems(relationships: Any) -> list[Problem]:
    """An actor paired with itself, and each pair declared in both orders.

    Reads the ``relationships`` mapping as written (it may be raw data the schema
    refused), so a file declaring ``a.b`` and ``b.a`` hears that pairs are
    unordered before anything about the second entry's fields.
    """
    problems: list[Problem] = []
    if not isinstance(relationships, dict):
        return problems
    seen_pairs: dict[frozenset[str], tuple[str, str]] = {}
    for a, inner in relationships.items():
        for b in inner if isinstance(inner, dict) else ():
            if a == b:
                problems.append(
                    Problem(("relationships", a, b), "an actor has no relationship with itself")
                )
                continue
            pair = frozenset((a, b))
            if pair in seen_pairs:
                first = ".".join(seen_pairs[pair])
                problems.append(
                    Problem(
                        ("relationships", a, b),
                        f"pair declared twice (also as relationships.{first}): pairs are "
                        f"unordered, so {a}.{b} and {first} are one pair; keep "
                        f"relationships.{first} and move this entry's fields into it",
                    )
                )
            seen_pairs.setdefault(pair, (a, b))
    return problems


def check_references(
    s: Scenario, also_known: Mapping[str, set[str]] | None = None
) -> list[Problem]:
    """Return every dangling or inconsistent reference in ``s``.

    ``also_known`` names entries the file defines that are not in ``s`` (taken out
    of a scenario the schema refused, :mod:`sim.scenario.partial`): references to
    them are not problems, and only names are checked (the other checks could
    report a consequence of what was taken out).
    """
    problems: list[Problem] = []
    sections = _sections(s)
    known = {kind: set(names) for kind, names in sections.items()}
    for kind, names in (also_known or {}).items():
        known.setdefault(kind, set()).update(names)
    for path, kind, name, site in named(s):
        if name not in known[kind]:
            message = unknown(kind, name, sections[kind], _ADVICE.get(kind, ""))
            problems.append(Problem(path, message, key=site.endswith("[key]")))
    if also_known is not None:
        return problems
    top = s.top_rung

    problems += pair_problems(s.relationships)

    for aid, spec in s.actors.items():
        base = ("actors", aid)
        repertoire = spec.moves if spec.moves is not None else list(s.moves)
        usable = [
            m for m in repertoire if m in s.moves and aid in (s.moves[m].available_to or [aid])
        ]
        if not usable and all(m in s.moves for m in repertoire):
            problems.append(
                Problem(
                    (*base, "moves"),
                    "this actor has no move it may choose: check 'moves' and "
                    "the moves' 'available_to'",
                )
            )
        if aid in spec.reactions:
            problems.append(Problem((*base, "reactions", aid), "an actor does not react to itself"))
        if spec.policy.script:
            for turn in spec.policy.script:
                if turn < 1:
                    problems.append(Problem((*base, "policy", "script", turn), "turns start at 1"))

    if not s.moves:
        problems.append(
            Problem(
                ("moves",), "the repertoire is empty: add moves, or set use_default_moves: true"
            )
        )
    for mid, spec_move in s.moves.items():
        partners = spec_move.partners or []
        host = spec_move.host
        if host is not None and host in known["actor"] and host not in partners:
            message = f"'host' must be one of the move's partners ({', '.join(partners)})"
            problems.append(Problem(("moves", mid, "host"), message))
        if spec_move.rung > top:
            problems.append(
                Problem(
                    ("moves", mid, "rung"),
                    f"rung {spec_move.rung} is above the ladder's top rung {top}",
                )
            )

    for iid, inject in s.injects.items():
        if inject.when.until_turn is not None and inject.when.until_turn < inject.when.from_turn:
            problems.append(
                Problem(("injects", iid, "when", "until_turn"), "until_turn is before from_turn")
            )
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
