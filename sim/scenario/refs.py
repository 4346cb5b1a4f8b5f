"""How a scenario file names another file: its parent (``extends:``) or a move library.

A reference is written in one of two forms, which cannot be mistaken for each other:

``base.yaml``
    A **sibling file**: a file name in the same folder as the file that names
    it. Never a path: no slash or backslash, no ``..``, so a scenario cannot reach
    out of its folder (copy the parent next to it instead).
``NAMESPACE:ID``
    A file **bundled with sim**, by id: ``bundled:dec2025_joint_drill`` is the
    bundled scenario of that id (as ``sim list`` shows it). The namespaces are
    the table :data:`NAMESPACES`; each field that holds references says which
    namespaces it accepts (``extends`` accepts ``bundled``; ``libraries``
    accepts ``library``: ``library:missile_defence`` is the domain move
    library ``sim/scenario/libraries/missile_defence.yaml``).

An id is lower-case letters, digits, ``-`` and ``_``; a namespace is a word
followed by a colon, which no sibling file name of this form contains.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sim.errors import Diagnostic, ScenarioError
from sim.names import did_you_mean, suggestions
from sim.scenario.yamlsafe import Mark

ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
"""A bundled file's id."""

_QUALIFIED = re.compile(r"^(?P<namespace>[a-z]+):(?P<id>.*)$")


@dataclass(frozen=True, slots=True)
class Namespace:
    """Where the files of one namespace live.

    Attributes:
        folder: Returns the folder that holds ``<id>.yaml`` files.
        holds: What its files are, for messages ("bundled scenario").
    """

    folder: Callable[[], Path]
    holds: str


def _scenarios() -> Path:
    from sim.paths import scenarios_dir

    return scenarios_dir()


def _libraries() -> Path:
    return Path(__file__).with_name("libraries")


NAMESPACES: dict[str, Namespace] = {
    "bundled": Namespace(_scenarios, "bundled scenario"),
    "library": Namespace(_libraries, "move library"),
}


def qualified(namespace: str, ident: str) -> str:
    """The reference text for a bundled file: ``namespace:id``."""
    if namespace not in NAMESPACES or not ID.match(ident):
        raise ValueError(f"not a reference: {namespace}:{ident}")
    return f"{namespace}:{ident}"


def resolve(
    text: object,
    *,
    origin: Path,
    field: str,
    accepts: Sequence[str],
    shown: str,
    mark: Mark | None,
    sibling: str = "scenario file",
) -> Path:
    """The file a reference names.

    Args:
        text: The reference as written.
        origin: The file that holds the reference.
        field: Its field path, for messages (``extends``).
        accepts: The namespaces this field accepts.
        shown: ``origin`` as the user should read it.
        mark: Where the reference is written.
        sibling: What a sibling file is, for messages ("move library").

    Raises:
        ScenarioError: a malformed reference, a path, an unknown namespace or
            id, or a sibling file that is not there (with a did-you-mean).
    """
    line, col = (mark.line, mark.column) if mark else (0, 0)

    def problem(message: str) -> ScenarioError:
        return ScenarioError([Diagnostic(shown, line, col, field, message)])

    forms = "a file name in the same folder (base.yaml)" + "".join(
        f" or {n}:ID for a {NAMESPACES[n].holds}" for n in accepts
    )
    if not isinstance(text, str) or not text.strip():
        raise problem(f"must be {forms}")
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise problem(f"holds a control character: write {forms}")
    found = _QUALIFIED.match(text)
    if found and len(found["namespace"]) > 1:  # a one-letter prefix would be a Windows drive
        return _bundled(found["namespace"], found["id"], accepts, problem)
    return _sibling(text, origin, problem, sibling)


def _bundled(
    namespace: str, ident: str, accepts: Sequence[str], problem: Callable[[str], ScenarioError]
) -> Path:
    if namespace not in accepts:
        known = ", ".join(f"{n}:" for n in accepts) or "none"
        raise problem(f"'{namespace}:' is not a kind of reference here (this field takes {known})")
    space = NAMESPACES[namespace]
    if not ID.match(ident):
        raise problem(
            f"'{ident}' is not a {space.holds} id: use its id as `sim list` shows it "
            "(lower-case letters, digits, '-' and '_')"
        )
    folder = space.folder()
    candidate = folder / f"{ident}.yaml"
    if not candidate.is_file():
        ids = sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []
        close = suggestions(ident, ids)
        if close:
            hint = "; did you mean " + " or ".join(f"'{namespace}:{c}'" for c in close) + "?"
        elif namespace == "bundled":
            hint = " (see `sim list`)"
        else:
            hint = " (known: " + (", ".join(f"{namespace}:{i}" for i in ids) or "none") + ")"
        raise problem(f"no {space.holds} '{ident}'{hint}")
    return candidate


def _sibling(name: str, origin: Path, problem: Callable[[str], ScenarioError], what: str) -> Path:
    folder = origin.resolve().parent
    candidate = (folder / name).resolve()
    if "/" in name or "\\" in name or name in (".", "..") or candidate.parent != folder:
        if what != "scenario file":
            raise problem(
                f"'{name}' is outside this scenario's folder: a {what} is a file in the same "
                "folder (copy it next to the scenario), or a bundled one as library:ID"
            )
        raise problem(
            f"'{name}' is outside this scenario's folder: a variant may only extend a file in "
            "the same folder (copy the parent next to it), or a bundled scenario as "
            "bundled:ID"
        )
    if not candidate.is_file():
        siblings = sorted(p.name for p in folder.glob("*.yaml"))
        whose = "the parent" if what == "scenario file" else f"a {what}"
        hint = did_you_mean(name, siblings) or (
            f": check the spelling ({whose} must be in the same folder)"
        )
        raise problem(f"no {what} '{name}' here{hint}")
    return candidate
