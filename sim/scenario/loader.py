"""Load scenario files: safe YAML, ``extends`` merging, overrides, validation.

The public entry point is :func:`load_scenario`. Every problem found is
reported at once as a :class:`~sim.errors.ScenarioError` whose diagnostics name
``file:line:column``, the field path, and what to do.

Merging (``extends:``) is deterministic: mappings merge key by key (the child's
keys win), any other value (number, text, list) in the child replaces the
parent's, and a key set to ``null`` in the child removes the parent's entry.
The parent is a file in the same folder as the child, or a bundled scenario
named ``bundled:ID`` (see :mod:`sim.scenario.refs`).

Moves and the ladder come in layers, each merged over the one before by the
same rules: the core library (``default_library.yaml``, unless
``use_default_moves: false``), then each domain library the scenario lists
under ``libraries:`` (``library:ID`` for a file in ``sim/scenario/libraries/``,
or a file name beside the scenario), in list order, then the scenario's own
``moves:`` and ``ladder:``. A library file holds ``moves:`` and optionally
``ladder:``. A variant's ``libraries`` list adds to its parent's (a library
listed twice is loaded once, at its first place); ``libraries: null`` in a
variant loads none of the parent's.

Pairs are unordered: ``relationships.b.a`` and ``relationships.a.b`` are one
pair. A variant may name a parent's pair in either order: its entry merges
field by field into the parent's (``null`` removes the pair), and the merged
data keeps the parent's spelling. ``--set relationships.b.a.alignment=...``
likewise changes the existing pair whatever order it is written in.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim import files
from sim.errors import Diagnostic, ScenarioError, UsageError
from sim.names import did_you_mean, unknown
from sim.scenario import refs, yamlsafe
from sim.scenario.diagnostics import (
    _diagnostic,
    _diagnostics_from_pydantic,
    control_diagnostics,
)
from sim.scenario.partial import partial_scenario
from sim.scenario.references import check_references, pair_problems
from sim.scenario.schema import Scenario
from sim.scenario.yamlsafe import Located, Mark, YamlProblem
from sim.scenario.yamlsafe import Path as DataPath

LIBRARY_FILE = Path(__file__).with_name("default_library.yaml")
MAX_EXTENDS_DEPTH = 16
LIBRARY_KEYS = ("moves", "ladder")
"""The only top-level keys a domain library file may hold."""

LibraryRef = tuple[str, Path]
"""A library as the scenario names it (``library:missile_defence``) and its file."""


@dataclass(slots=True)
class LoadedScenario:
    """A validated scenario and where it came from.

    Attributes:
        scenario: The validated scenario.
        files: Every file read (for the run manifest): the scenario's, child first, then
            the domain libraries' in merge order (see :attr:`scenario_files`).
        data: The merged plain data that was validated.
        libraries: The domain libraries loaded, in merge order, as named and as files
            (the files are also in ``files``, after the scenario's own).
        move_sources: For each move a domain library added to the repertoire (one the
            core library does not define), the library's reference as written.
    """

    scenario: Scenario
    files: list[Path] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    libraries: list[LibraryRef] = field(default_factory=list)
    move_sources: dict[str, str] = field(default_factory=dict)

    def with_overrides(self, overrides: Sequence[str], name: str = "") -> Scenario:
        """The same scenario with ``dotted.path=value`` changes, without rereading files.

        Much faster than :func:`load_scenario` for many variants of one file
        (sweeps, sensitivity analysis); errors name the offending override.
        """
        located = Located(data=copy.deepcopy(self.data))
        _apply_overrides(located, overrides, self.libraries)
        shown = name or f"<{self.scenario.id}>"
        return _finish(located, shown, self.scenario.id, self.libraries)

    @property
    def scenario_files(self) -> list[Path]:
        """The scenario files of ``files`` (child first, then each parent), without libraries."""
        return self.files[: len(self.files) - len(self.libraries)]

    @property
    def input_hash(self) -> str:
        """SHA-256 of the resolved scenario (canonical JSON), hex."""
        return scenario_hash(self.scenario)


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 (hex) of a scenario's canonical JSON form."""
    text = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def display_path(path: Path) -> str:
    """Path as the user would like to read it: relative to the cwd when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read_located(path: Path, shown: str, kind: str = "scenario") -> Located:
    try:
        raw = files.read_bytes(path, limit=yamlsafe.MAX_BYTES, what=f"{kind} file")
    except files.FileProblem as exc:
        raise ScenarioError([Diagnostic(shown, 0, 0, "", exc.why)]) from None
    try:
        located_text = yamlsafe.decode(raw)
        located = yamlsafe.parse(located_text, shown)
    except YamlProblem as exc:
        raise ScenarioError(
            [Diagnostic(shown, exc.line, exc.column, exc.path, exc.message)]
        ) from None
    controls = control_diagnostics(located, shown, source=located_text)
    if controls:
        raise ScenarioError(controls)
    if not isinstance(located.data, dict):
        held = type(located.data).__name__
        held = {"list": "a list", "str": "a single text value", "NoneType": "empty"}.get(
            held, f"a single {held} value"
        )
        keys = (
            "such as 'metadata:', 'actors:', 'turns:'"
            if kind == "scenario"
            else "'moves:' (and optionally 'ladder:')"
        )
        raise ScenarioError(
            [
                Diagnostic(
                    shown,
                    1,
                    1,
                    "",
                    f"the file holds {held}; a {kind} is a mapping: write top-level keys "
                    f"{keys} at the left margin",
                )
            ]
        )
    return located


def _pair_spelling(
    relationships: Any, a: Any, b: Any, *, also: Any = None
) -> tuple[Any, Any] | None:
    """The base's spelling ``(b, a)`` when it declares pair ``a.b`` only the other way round.

    ``also`` (the incoming data's relationships) must not itself spell the pair
    ``b.a``: a file declaring both orders keeps both, for the twice-declared check.
    """
    if not isinstance(relationships, dict) or a == b:
        return None
    inner = relationships.get(a)
    if isinstance(inner, dict) and b in inner:
        return None
    other = relationships.get(b)
    if not isinstance(other, dict) or a not in other:
        return None
    theirs = also.get(b) if isinstance(also, dict) else None
    if isinstance(theirs, dict) and a in theirs:
        return None
    return (b, a)


def _fold_pairs(base: Located, child: Located) -> Located:
    """``child`` with each pair it spells the other way from ``base`` respelt as ``base`` does.

    Values and marks move together, so errors still point at the child's lines.
    An outer entry left empty by the move is dropped.
    """
    rels = child.data.get("relationships")
    base_rels = base.data.get("relationships")
    if not isinstance(rels, dict) or not isinstance(base_rels, dict):
        return child
    moves: list[tuple[Any, Any, tuple[Any, Any]]] = []
    for a, inner in rels.items():
        if isinstance(inner, dict):
            for b in inner:
                spelt = _pair_spelling(base_rels, a, b, also=rels)
                if spelt is not None:
                    moves.append((a, b, spelt))
    if not moves:
        return child
    data = dict(child.data)
    new_rels = {k: (dict(v) if isinstance(v, dict) else v) for k, v in rels.items()}
    key_marks = dict(child.key_marks)
    value_marks = dict(child.value_marks)
    for a, b, (x, y) in moves:
        value = new_rels[a].pop(b)
        target = new_rels.get(x)
        if not isinstance(target, dict):
            target = new_rels[x] = {}
        target[y] = value
        old: DataPath = ("relationships", a, b)
        new: DataPath = ("relationships", x, y)
        for marks in (key_marks, value_marks):
            for p in [p for p in marks if p[:3] == old]:
                marks[(*new, *p[3:])] = marks.pop(p)
    for a in {a for a, _, _ in moves}:
        if new_rels[a] == {}:
            del new_rels[a]
            for marks in (key_marks, value_marks):
                marks.pop(("relationships", a), None)
    data["relationships"] = new_rels
    return Located(data=data, key_marks=key_marks, value_marks=value_marks)


def _merge(base: Located, child: Located) -> Located:
    """Merge ``child`` over ``base`` (see the module docstring for the rules)."""
    child = _fold_pairs(base, child)
    data = copy.deepcopy(base.data)
    key_marks = dict(base.key_marks)
    value_marks = dict(base.value_marks)

    def drop_under(prefix: DataPath) -> None:
        n = len(prefix)
        for marks in (key_marks, value_marks):
            for p in [p for p in marks if p[:n] == prefix and len(p) > n]:
                del marks[p]

    def merge_into(target: dict[Any, Any], incoming: dict[Any, Any], path: DataPath) -> None:
        for key, value in incoming.items():
            sub = (*path, key)
            if value is None and key in target and path != ():
                del target[key]
                drop_under(sub)
                key_marks.pop(sub, None)
                value_marks.pop(sub, None)
                continue
            if isinstance(value, dict) and isinstance(target.get(key), dict):
                merge_into(target[key], value, sub)
                key_marks[sub] = child.key_marks.get(sub, key_marks.get(sub, Mark("", 0, 0)))
            else:
                target[key] = copy.deepcopy(value)
                drop_under(sub)
                for marks, source in (
                    (key_marks, child.key_marks),
                    (value_marks, child.value_marks),
                ):
                    for p, m in source.items():
                        if p[: len(sub)] == sub:
                            marks[p] = m

    merge_into(data, child.data, ())
    for p in ((),):
        if p in child.value_marks:
            value_marks[p] = child.value_marks[p]
    return Located(data=data, key_marks=key_marks, value_marks=value_marks)


def _resolve_parent(child_path: Path, name: Any, shown: str, mark: Mark | None) -> Path:
    return refs.resolve(
        name, origin=child_path, field="extends", accepts=("bundled",), shown=shown, mark=mark
    )


def _file_libraries(located: Located, origin: Path, shown: str) -> list[LibraryRef]:
    """The libraries one file lists (resolved from its own folder), each once."""
    value = located.data.get("libraries")
    if value is None:
        return []
    if not isinstance(value, list):
        message = (
            "must be a list of move libraries, e.g. [library:missile_defence] or "
            "[my_moves.yaml] for a file beside the scenario"
        )
        raise ScenarioError([_diagnostic(located, shown, ("libraries",), message, key=False)])
    found: list[LibraryRef] = []
    problems: list[Diagnostic] = []
    for i, ref in enumerate(value):
        try:
            file = refs.resolve(
                ref,
                origin=origin,
                field=f"libraries.{i}",
                accepts=("library",),
                shown=shown,
                mark=located.value_marks.get(("libraries", i)),
                sibling="move library",
            )
        except ScenarioError as exc:
            problems.extend(exc.diagnostics)
            continue
        if file not in {f for _, f in found}:
            found.append((ref, file))
    if problems:
        raise ScenarioError(problems)
    return found


def _load_chain(path: Path, chain: list[Path]) -> tuple[Located, list[Path], list[LibraryRef]]:
    shown = display_path(path)
    located = _read_located(path, shown)
    own_libraries = _file_libraries(located, path, shown)
    parent_name = located.data.get("extends")
    if parent_name is None:
        return located, [path], own_libraries
    mark = located.value_marks.get(("extends",))
    parent = _resolve_parent(path, parent_name, shown, mark)
    if parent in chain or parent == path.resolve():
        cycle = " -> ".join(p.name for p in [*chain, path.resolve(), parent])
        message = f"cycle in 'extends' ({cycle}): one of these files must not extend another"
        raise ScenarioError([_diagnostic(located, shown, ("extends",), message, key=False)])
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            [
                Diagnostic(
                    shown, 0, 0, "extends", f"more than {MAX_EXTENDS_DEPTH} levels of 'extends'"
                )
            ]
        )
    base, files, libraries = _load_chain(parent, [*chain, path.resolve()])
    merged = _merge(base, located)
    merged.data.pop("extends", None)
    if "libraries" in located.data:  # a variant's list adds to its parent's; null clears it
        if located.data["libraries"] is None:
            libraries = []
        else:
            known = {f for _, f in libraries}
            libraries = [*libraries, *(r for r in own_libraries if r[1] not in known)]
        merged.data["libraries"] = [ref for ref, _ in libraries]
        for marks in (merged.key_marks, merged.value_marks):
            for p in [p for p in marks if p[:1] == ("libraries",) and len(p) > 1]:
                del marks[p]
    return merged, [path, *files], libraries


def _library() -> Located:
    return _read_located(LIBRARY_FILE, "sim/scenario/default_library.yaml")


def _read_library(path: Path) -> Located:
    """A domain library file, checked: ``moves:`` (a mapping of moves), optional ``ladder:``."""
    shown = display_path(path)
    located = _read_located(path, shown, kind="move library")
    problems: list[Diagnostic] = []

    def problem(where: DataPath, message: str) -> None:
        problems.append(_diagnostic(located, shown, where, message, key=True))

    for key in located.data:
        if key not in LIBRARY_KEYS:
            hint = did_you_mean(key, LIBRARY_KEYS)
            problem(
                (key,),
                f"a move library holds only 'moves:' and 'ladder:', not '{key}'{hint} "
                "(actors, injects and the rest belong in the scenario)",
            )
    moves = located.data.get("moves")
    if "moves" not in located.data:
        problem((), "a move library needs 'moves:' (a mapping of move ids to moves)")
    elif not isinstance(moves, dict):
        problem(("moves",), "'moves' must be a mapping of move ids to moves")
    else:
        for move_id, move in moves.items():
            if move is not None and not isinstance(move, dict):
                problem(
                    ("moves", move_id),
                    f"move '{move_id}' must be a mapping of its fields (label, rung, ...), "
                    "or null to drop it",
                )
    if "ladder" in located.data and not isinstance(located.data["ladder"], list):
        problem(("ladder",), "'ladder' must be a list of rungs, rung 0 first")
    if problems:
        raise ScenarioError(problems)
    return located


def _layers(use_default: bool, libraries: Sequence[LibraryRef]) -> tuple[Located, dict[str, str]]:
    """Moves and ladder from the core library and the domain libraries, merged in order.

    Returns the merged layers and, for each move a library added (one not in the
    layers before it), that library's reference.
    """
    if use_default:
        core = _library()
        base = Located(
            data={key: core.data[key] for key in LIBRARY_KEYS},
            key_marks=dict(core.key_marks),
            value_marks=dict(core.value_marks),
        )
    else:
        base = Located(data={"moves": {}})
    sources: dict[str, str] = {}
    for ref, path in libraries:
        library = _read_library(path)
        before = set(base.data["moves"])
        base = _merge(base, library)
        for move_id in library.data.get("moves") or {}:
            if move_id not in before and base.data["moves"].get(move_id) is not None:
                sources[move_id] = ref
    return base, sources


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split a ``--set dotted.path=value`` argument into path parts and a value.

    The value is read like a YAML scalar: ``30`` is a number, ``true`` a boolean,
    ``hawk`` text, ``null`` removes the entry.

    Raises:
        UsageError: the argument has no ``=`` or an empty path.
    """
    if "=" not in text:
        raise UsageError(f"--set {text!r}: expected dotted.path=value, e.g. turns=40")
    key, _, raw = text.partition("=")
    parts = [p.strip() for p in key.strip().split(".")]
    if not key.strip() or any(not p for p in parts):
        raise UsageError(f"--set {text!r}: the path before '=' is empty or has an empty part")
    raw = raw.strip()
    value: Any
    if parts[0] == "extends":
        raise UsageError(
            f"--set {text!r}: what a scenario extends cannot be changed with --set; "
            "edit its 'extends:' line, or write a variant that extends the other file"
        )
    if parts[0] == "libraries":
        raise UsageError(
            f"--set {text!r}: the move libraries a scenario loads cannot be changed with "
            "--set; edit its 'libraries:' list, or write a variant that adds one"
        )
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        value = raw[1:-1]
    elif raw[:1] in ("[", "{"):  # a flow list or mapping, read by the same safe reader
        try:
            value = yamlsafe.parse(f"value: {raw}\n", f"--set {key.strip()}").data["value"]
        except YamlProblem as exc:
            raise UsageError(f"--set {key.strip()}=...: {exc.message}") from None
    else:
        try:
            value = yamlsafe._resolve_plain(raw)
        except YamlProblem as exc:
            raise UsageError(f"--set {key.strip()}=...: {exc.message}") from None
    return parts, value


#: Sections keyed by ids: ``--set`` may change an entry of these, not invent one.
_ID_SECTIONS = {"actors": "actor", "moves": "move", "injects": "inject"}


def _known_id(text: str, section: str, key: str, entries: dict[str, Any]) -> None:
    """Refuse ``--set actors.<id>.…`` for an id the scenario does not have, with a suggestion."""
    if key in entries:
        return
    what = _ID_SECTIONS[section]
    raise UsageError(
        f"--set {text!r}: {unknown(what, key, entries)} (--set changes an existing {what}; "
        f"add a new one in the scenario file)"
    )


def _apply_overrides(
    located: Located, overrides: Sequence[str], libraries: Sequence[LibraryRef] = ()
) -> None:
    for text in overrides:
        parts, value = parse_override(text)
        if len(parts) >= 3 and parts[0] == "relationships":  # pairs are unordered
            spelt = _pair_spelling(located.data.get("relationships"), parts[1], parts[2])
            if spelt is not None:
                parts = [parts[0], *spelt, *parts[3:]]
        target: Any = located.data
        path: list[str | int] = []
        created: list[DataPath] = []  # entries this override makes: errors there are its own
        for part in parts[:-1]:
            key: str | int = int(part) if isinstance(target, list) and part.isdigit() else part
            if len(path) == 1 and path[0] in _ID_SECTIONS and isinstance(target, dict):
                known = dict(target)
                if path[0] == "moves":  # the libraries are merged after the overrides
                    use_default = located.data.get("use_default_moves", True) is True
                    if use_default or libraries:
                        known.update(_layers(use_default, libraries)[0].data["moves"])
                _known_id(text, str(path[0]), str(key), known)
            if isinstance(target, dict):
                if not isinstance(target.get(key), (dict, list)):
                    target[key] = {}
                    created.append((*path, key))
                target = target[key]
            elif isinstance(target, list) and isinstance(key, int) and key < len(target):
                target = target[key]
            else:
                raise UsageError(f"--set {text!r}: '{'.'.join(parts)}' does not lead to a field")
            path.append(key)
        last: str | int = parts[-1]
        if isinstance(target, list) and isinstance(last, str) and last.isdigit():
            last = int(last)
        if isinstance(target, dict):
            if value is None:
                target.pop(last, None)
            else:
                target[last] = value
        elif isinstance(target, list) and isinstance(last, int) and last < len(target):
            target[last] = value
        else:
            raise UsageError(f"--set {text!r}: '{'.'.join(parts)}' does not lead to a field")
        full: DataPath = (*path, last)
        mark = Mark("--set " + text, 0, 0)
        for place in [*created, full]:
            n = len(place)
            for marks in (located.key_marks, located.value_marks):
                for p in [p for p in marks if p[:n] == place]:
                    del marks[p]
                marks[place] = mark


def load_scenario(path: str | Path, overrides: Sequence[str] = ()) -> Scenario:
    """Load, merge and validate a scenario file.

    Args:
        path: The YAML file.
        overrides: ``dotted.path=value`` strings applied after merging, as
            ``sim run --set`` does (e.g. ``"actors.china.posture.resolve=0.9"``).

    Returns:
        The validated :class:`~sim.scenario.schema.Scenario`.

    Raises:
        ScenarioError: with every problem found, each with file:line:column.
        UsageError: an override is malformed.
    """
    return read_scenario(path, overrides).scenario


def read_scenario(path: str | Path, overrides: Sequence[str] = ()) -> LoadedScenario:
    """Like :func:`load_scenario` but also returns the files read and merged data."""
    path = Path(path)
    located, files, libraries = _load_chain(path, [])
    _apply_overrides(located, overrides, libraries)
    stem = path.name.removesuffix(".yaml").removesuffix(".yml")
    shown = display_path(path)
    scenario, move_sources = _build(located, shown, stem, libraries)
    scenario._origin = path
    for fid, fact in scenario.expectations.items():
        against = getattr(fact, "against", None)
        if against is not None:  # a comparison names a scenario that must exist
            mark = located.value_marks.get(("expectations", fid, "against"))
            field_path = f"expectations.{fid}.against"
            compared_with(scenario, against, field_path, shown=shown, mark=mark)
    return LoadedScenario(
        scenario=scenario,
        files=[*files, *(f for _, f in libraries)],
        data=located.data,
        libraries=libraries,
        move_sources=move_sources,
    )


def compared_with(
    scenario: Scenario,
    against: str,
    field_path: str,
    *,
    shown: str | None = None,
    mark: Mark | None = None,
) -> Path:
    """The file a ``versus`` fact's ``against`` names.

    ``bundled:ID``, or a file name in the scenario's folder (the current folder
    for a scenario built in Python).

    Raises:
        ScenarioError: the reference is malformed or names no scenario.
    """
    origin = scenario.origin or Path("scenario.yaml")
    return refs.resolve(
        against,
        origin=origin,
        field=field_path,
        accepts=("bundled",),
        shown=shown or display_path(origin),
        mark=mark,
    )


def scenario_from_dict(data: dict[str, Any], name: str = "scenario") -> Scenario:
    """Validate a scenario given as plain Python data (as a notebook might build it).

    The default move library and ladder are merged in exactly as for a file;
    ``libraries`` may name ``library:ID`` or files in the current folder.

    Args:
        data: The scenario as nested dicts and lists.
        name: Used as the id when ``metadata.id`` is absent, and in messages.

    Raises:
        ScenarioError: with every problem found (positions are field paths only).
    """
    located = Located(data=copy.deepcopy(data))
    return _finish(located, f"<{name}>", name)


def _finish(
    located: Located, shown: str, stem: str, libraries: Sequence[LibraryRef] | None = None
) -> Scenario:
    """Merge library defaults, validate, and check references."""
    return _build(located, shown, stem, libraries)[0]


def _build(
    located: Located, shown: str, stem: str, libraries: Sequence[LibraryRef] | None
) -> tuple[Scenario, dict[str, str]]:
    """:func:`_finish`, also returning which moves came from which domain library.

    ``libraries`` are those already resolved (from each file of an ``extends``
    chain); ``None`` resolves the data's own ``libraries`` from the current folder.
    """
    data = located.data
    data.pop("extends", None)
    if libraries is None:
        libraries = _file_libraries(located, Path("scenario.yaml"), shown)
    if data.get("libraries", []) is None:
        data.pop("libraries")
    move_sources: dict[str, str] = {}
    # Text from files was checked as each file was read; this catches --set values
    # and data given as Python objects.
    controls = control_diagnostics(located, shown)
    if controls:
        raise ScenarioError(controls)
    use_default = data.get("use_default_moves", True) is True
    if use_default or libraries:
        library, move_sources = _layers(use_default, libraries)
        moves_in = data.get("moves")
        lib_moves = Located(
            data={"moves": library.data["moves"]},
            key_marks={k: v for k, v in library.key_marks.items() if k[:1] == ("moves",)},
            value_marks={k: v for k, v in library.value_marks.items() if k[:1] == ("moves",)},
        )
        if isinstance(moves_in, dict):
            own = Located(
                data={"moves": moves_in},
                key_marks={k: v for k, v in located.key_marks.items() if k[:1] == ("moves",)},
                value_marks={k: v for k, v in located.value_marks.items() if k[:1] == ("moves",)},
            )
            merged = _merge(lib_moves, own)
        else:
            merged = lib_moves
        if moves_in is None or isinstance(moves_in, dict):
            data["moves"] = merged.data["moves"]
            for marks, source in (
                (located.key_marks, merged.key_marks),
                (located.value_marks, merged.value_marks),
            ):
                for p in [p for p in marks if p[:1] == ("moves",) and len(p) > 1]:
                    del marks[p]
                marks.update({p: m for p, m in source.items() if len(p) > 1})
        if "ladder" not in data and "ladder" in library.data:
            data["ladder"] = copy.deepcopy(library.data["ladder"])
            for marks, source in (
                (located.key_marks, library.key_marks),
                (located.value_marks, library.value_marks),
            ):
                marks.update({p: m for p, m in source.items() if p[:1] == ("ladder",)})
    # Entries set to null in a single file (no parent to remove them from) are dropped.
    _drop_null_entries(data, ("moves", "injects", "actors", "expectations"))
    meta = data.get("metadata")
    if isinstance(meta, dict) and meta.get("id") is None:
        meta["id"] = _id_from_stem(stem)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        # Every problem in one pass: what the schema refused, then the references
        # in the rest of the file (sim.scenario.partial), sorted by position.
        pairs = pair_problems(data.get("relationships"))
        at = [".".join(map(str, p.path)) for p in pairs]
        found = [  # an entry declared twice hears that first, not what its fields lack
            d
            for d in _diagnostics_from_pydantic(exc, located, shown)
            if not any(d.path == a or d.path.startswith(a + ".") for a in at)
        ]
        found += [_diagnostic(located, shown, p.path, p.message, key=p.key) for p in pairs]
        rest, taken = partial_scenario(data, exc)
        if rest is not None:
            refused = {d.path for d in found}
            found += [
                _diagnostic(located, shown, p.path, p.message, key=p.key)
                for p in check_references(rest, taken)
                if ".".join(map(str, p.path)) not in refused
            ]
        raise ScenarioError(sorted(found, key=lambda d: (d.file, d.line, d.column))) from None
    problems = check_references(scenario)
    if problems:
        raise ScenarioError(
            sorted(
                (_diagnostic(located, shown, p.path, p.message, key=p.key) for p in problems),
                key=lambda d: (d.file, d.line, d.column),
            )
        )
    return scenario, {m: ref for m, ref in move_sources.items() if m in scenario.moves}


def _id_from_stem(stem: str) -> str:
    """A valid ``metadata.id`` from any file name: ``Drill (1)`` -> ``drill-1``."""
    ascii_only = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9_-]+", "-", ascii_only.lower()).strip("-_")
    return slug[:80].rstrip("-_") or "scenario"


def _drop_null_entries(data: dict[str, Any], sections: Iterable[str]) -> None:
    for name in sections:
        section = data.get(name)
        if isinstance(section, dict):
            for key in [k for k, v in section.items() if v is None]:
                del section[key]
