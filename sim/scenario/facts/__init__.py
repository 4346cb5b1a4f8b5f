"""The kinds of stylised fact a scenario may expect: one module per kind, found automatically.

A scenario's ``expectations:`` maps an id to a claim about its runs (who plays
which move and how often, a belief or tension bound, an ordering between
actors, how observers read a move) and the share of runs in which it must
hold. Each module here declares one :class:`FactDeclaration`: the kind's name
(as written after ``kind:``), a few words for the format reference, its own
parameters (pydantic annotations and ``Field`` s), which of them name actors
or moves (checked against the scenario, with a did-you-mean), and a check of
their combination. :mod:`sim.scenario.schema.expectations` builds one pydantic
model per kind from these (so validation, the JSON Schema and the format
reference follow). The model evaluates each kind with the evaluator of the same
name in ``sim/model/facts/``; a kind declared here without an evaluator there,
or the other way round, fails at import with a ``RegistryError``.

Add a kind by adding ``sim/scenario/facts/<name>.py``::

    from sim.scenario.facts import FactDeclaration

    DECLARATION = FactDeclaration(
        name="quiet",
        note="nobody passes rung 2",
        fields={...},
        describe=lambda fact, names: "nobody climbs past rung 2",
    )

and its evaluator in ``sim/model/facts/<name>.py``. ``describe(fact, names)``
says one fact of the kind in a plain-English line, with the actors' and moves'
display names from ``names`` (:class:`Names`); the report, the transcript, the
debrief and the check tables use it (an author's ``label`` comes first).
``declared()`` refuses a kind without it (:func:`worded`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import Field

from sim.scenario.discovery import RegistryError, instances

Check = Callable[[Any], str | None]
"""``check(fact)``: what is wrong with a combination of parameters, or None."""

Describe = Callable[[Any, "Names"], str]
"""``describe(fact, names)``: the fact as one plain-English line (no Markdown, no full stop)."""

Bound = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)] | None
"""An optional bound on a quantity that lies in 0-1."""

Over = Literal["every_turn", "end", "mean"]
"""When a bound or an ordering must hold: after every turn, after the last, or on average."""

Relation = Literal["above", "below"]


def over_field(default: str = "every_turn") -> tuple[Any, Any]:
    """The ``over`` parameter: when the claim is tested."""
    return (
        Over,
        Field(
            default=default,
            description="'every_turn': after each turn 1..T; 'end': after the last turn; "
            "'mean': the average over turns 1..T.",
        ),
    )


def bounds_given(fact: Any) -> str | None:
    """A check: at least one of ``below``/``above`` (or ``at_least``/``at_most``) is given."""
    low, high = ("above", "below") if hasattr(fact, "above") else ("at_least", "at_most")
    if getattr(fact, low) is None and getattr(fact, high) is None:
        return f"give '{low}', '{high}' or both"
    if (
        getattr(fact, low) is not None
        and getattr(fact, high) is not None
        and getattr(fact, low) > getattr(fact, high)
    ):
        return f"'{low}' is above '{high}': no value can meet both"
    return None


@dataclass(frozen=True, slots=True)
class FactDeclaration:
    """A kind of stylised fact as the scenario language knows it.

    Attributes:
        name: The kind's name in scenario files (the module's name too).
        note: What the kind claims, in a sentence (format reference).
        fields: Its parameters: name -> (annotation, ``Field(...)``).
        actors: Parameters that name an actor, or a list of actors.
        moves: Parameters that name a move, or a list of moves.
        check: What is wrong with a combination of parameters (or None).
        order: Position among the kinds in the schema and its reference (then by name).
        describe: One fact of the kind in words (required: see :data:`Describe`).
    """

    name: str
    note: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    actors: tuple[str, ...] = ()
    moves: tuple[str, ...] = ()
    check: Check | None = None
    order: int = 100
    describe: Describe | None = None


SHARED = ("kind", "share", "basis", "label")
"""Parameters every kind has (the schema adds them); a kind may not declare them."""


@cache
def declared() -> tuple[FactDeclaration, ...]:
    """Every declared kind, in schema order.

    Raises:
        RegistryError: a kind declared in a module of another name, declared twice,
            declaring a shared parameter or an unknown reference field, or without
            ``describe`` (:func:`worded`).
    """
    found = instances(__name__, FactDeclaration)
    names: set[str] = set()
    for module, decl in found:
        stem = module.__name__.rsplit(".", 1)[-1]
        if decl.name != stem:
            raise RegistryError(
                f"fact kind '{decl.name}' is declared in {module.__name__}: "
                f"declare it in {__name__}.{decl.name}"
            )
        if decl.name in names:
            raise RegistryError(f"fact kind '{decl.name}' is declared twice")
        names.add(decl.name)
        clash = set(SHARED) & set(decl.fields)
        if clash:
            raise RegistryError(f"fact kind '{decl.name}' declares shared {sorted(clash)}")
        loose = (set(decl.actors) | set(decl.moves)) - set(decl.fields)
        if loose:
            raise RegistryError(f"fact kind '{decl.name}': no parameters {sorted(loose)}")
        worded(decl)
    return tuple(sorted((decl for _, decl in found), key=lambda d: (d.order, d.name)))


def kind_names() -> tuple[str, ...]:
    """The declared kinds' names, in schema order."""
    return tuple(d.name for d in declared())


def worded(decl: FactDeclaration) -> None:
    """Check that a kind says its facts in words (every declared kind must).

    Raises:
        RegistryError: the declaration has no ``describe``.
    """
    if decl.describe is None:
        raise RegistryError(
            f"fact kind '{decl.name}' has no describe(fact, names): give its facts in words"
        )


@dataclass(frozen=True, slots=True)
class Names:
    """Display names for a fact's words: actor id -> name, move id -> label (id when missing)."""

    actors: Mapping[str, str] = field(default_factory=dict)
    moves: Mapping[str, str] = field(default_factory=dict)

    def actor(self, actor: str) -> str:
        """An actor's display name."""
        return self.actors.get(actor, actor)

    def move(self, move: str) -> str:
        """A move's display name."""
        return self.moves.get(move, move)


def joined(words: Sequence[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (or with ``or``)."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def percent(share: float) -> str:
    """A share as a percentage without needless decimals: 0.1 -> '10%', 0.125 -> '12.5%'."""
    return f"{share * 100:.4g}%"


def value(x: float) -> str:
    """A bound on a 0-1 quantity, as written in the scenario (0.3 -> '0.3')."""
    return f"{x:g}"


def bounded(above: float | None, below: float | None) -> str:
    """``below 0.3``, ``above 0.1`` or ``between 0.1 and 0.3`` (strict bounds)."""
    if above is not None and below is not None:
        return f"between {value(above)} and {value(below)}"
    if below is not None:
        return f"below {value(below)}"
    return f"above {value(above) if above is not None else '?'}"


def stays(over: str, where: str) -> str:
    """``stays <where> at every turn``, ``ends <where>`` or ``averages <where> over the run``."""
    if over == "end":
        return f"ends {where}"
    if over == "mean":
        return f"averages {where} over the run"
    return f"stays {where} at every turn"


def possessive(name: str) -> str:
    """``Russia's``, ``United States'``."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def words(fact: Any, names: Names) -> str:
    """A fact in one plain-English line, from its kind's ``describe``."""
    for decl in declared():
        if decl.name == fact.kind:
            worded(decl)
            assert decl.describe is not None
            return decl.describe(fact, names)
    raise RegistryError(f"fact kind '{fact.kind}' is not declared")
