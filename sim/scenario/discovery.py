"""Find the entries of a registry package: one module per entry, found by walking the package.

Registries (policy kinds, condition metrics, and their implementations in the
model) are packages whose modules each declare one or more entries. Adding
an entry is adding a module; nothing else lists it. Modules whose names start
with ``_`` are skipped (helpers shared by entries).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import TypeVar

T = TypeVar("T")


def modules(package: str) -> list[ModuleType]:
    """The package's public modules, imported, in alphabetical order of their names."""
    root = importlib.import_module(package)
    names = sorted(info.name for info in pkgutil.iter_modules(root.__path__))
    return [importlib.import_module(f"{package}.{n}") for n in names if not n.startswith("_")]


def instances[T](package: str, kind: type[T]) -> list[tuple[ModuleType, T]]:
    """Every module-level instance of ``kind`` in the package (module order, then file order).

    An instance imported by a second module is counted once, where it was found first.
    """
    found: list[tuple[ModuleType, T]] = []
    seen: set[int] = set()
    for module in modules(package):
        for value in vars(module).values():
            if isinstance(value, kind) and id(value) not in seen:
                seen.add(id(value))
                found.append((module, value))
    return found


def subclasses[T](package: str, base: type[T]) -> list[tuple[ModuleType, type[T]]]:
    """Every subclass of ``base`` defined (not merely imported) in the package's modules."""
    found: list[tuple[ModuleType, type[T]]] = []
    for module in modules(package):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, base)
                and value is not base
                and value.__module__ == module.__name__
            ):
                found.append((module, value))
    return found


class RegistryError(RuntimeError):
    """Two halves of a registry disagree (a name without its implementation, or a duplicate)."""


def out_of_step(what: str, declared: set[str], implemented: set[str], *, where: str) -> None:
    """Raise :class:`RegistryError` when ``declared`` and ``implemented`` differ.

    Args:
        what: The registry, in words (e.g. 'policies').
        declared: Names the scenario language declares.
        implemented: Names the model implements.
        where: Where each half lives, for the message.
    """
    if declared != implemented:
        raise RegistryError(
            f"{what} out of step ({where}): "
            f"declared without an implementation: {sorted(declared - implemented)}; "
            f"implemented but not declared: {sorted(implemented - declared)}"
        )
