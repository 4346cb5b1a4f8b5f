"""The policy kinds a scenario may name: one module per kind, found automatically.

Each module here declares one :class:`PolicyDeclaration`: the kind's name
(as written after ``policy:`` in a scenario file), a few words for the
format reference, and the parameters only that kind takes (with their
pydantic types and descriptions). :mod:`sim.scenario.schema.policy` builds
``PolicyKind`` and ``PolicySpec`` from these, so the JSON Schema, the format
reference and validation all follow. The model implements each kind in
``sim/model/policies/<name>.py``; a kind declared here without an
implementation there (or the other way round) fails at import.

Add a policy kind by adding ``sim/scenario/policies/<name>.py``::

    from sim.scenario.policies import PolicyDeclaration

    DECLARATION = PolicyDeclaration(name="grim_trigger", note="never forgives")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sim.scenario.discovery import RegistryError, instances


@dataclass(frozen=True, slots=True)
class PolicyDeclaration:
    """A policy kind as the scenario language knows it.

    Attributes:
        name: The kind's name in scenario files (the module's name too).
        note: A few words shown after the name in the ``kind`` description.
        fields: Parameters only this kind takes: name -> (annotation, ``Field(...)``).
            Each must be optional (default None); another kind may not use it.
        needs: Parameters the kind cannot do without: name -> how the error names it
            (``kind 'scripted' needs a 'script' mapping turn -> move``).
        order: Position among the kinds in the schema and its reference (then by name).
        default: The kind used when a scenario names none (exactly one kind).
    """

    name: str
    note: str = ""
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    needs: dict[str, str] = field(default_factory=dict)
    order: int = 100
    default: bool = False


@cache
def declared() -> tuple[PolicyDeclaration, ...]:
    """Every declared policy kind, in schema order.

    Raises:
        RegistryError: a module declaring none, or a name that is not its module's,
            a parameter two kinds declare, or not exactly one default kind.
    """
    found = instances(__name__, PolicyDeclaration)
    for module, decl in found:
        stem = module.__name__.rsplit(".", 1)[-1]
        if decl.name != stem:
            raise RegistryError(
                f"policy kind '{decl.name}' is declared in {module.__name__}: "
                f"declare it in {__name__}.{decl.name}"
            )
    owners: dict[str, str] = {}
    for _, decl in found:
        for name in decl.fields:
            if name in owners or name == "kind":
                raise RegistryError(
                    f"policy parameter '{name}' is declared by '{decl.name}' and "
                    f"'{owners.get(name, 'PolicySpec')}': give it another name"
                )
            owners[name] = decl.name
    defaults = [decl.name for _, decl in found if decl.default]
    if len(defaults) != 1:
        raise RegistryError(f"exactly one policy kind must be the default, got {defaults}")
    return tuple(sorted((decl for _, decl in found), key=lambda d: (d.order, d.name)))


def kind_names() -> tuple[str, ...]:
    """The declared kinds' names, in schema order."""
    return tuple(d.name for d in declared())
