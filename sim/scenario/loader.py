"""Load scenario files: safe YAML, ``extends`` merging, overrides, validation.

The public entry point is :func:`load_scenario`. Every problem found is
reported at once as a :class:`~sim.errors.ScenarioError` whose diagnostics name
``file:line:column``, the field path, and what to do.

Merging (``extends:``) is deterministic: mappings merge key by key (the child's
keys win), any other value (number, text, list) in the child replaces the
parent's, and a key set to ``null`` in the child removes the parent's entry.
The parent is a file in the same folder as the child, or a bundled scenario
named ``bundled:ID`` (see :mod:`sim.scenario.refs`).
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim import files
from sim.errors import Diagnostic, ScenarioError, UsageError
from sim.scenario import refs, yamlsafe
from sim.scenario.references import check_references
from sim.scenario.schema import Scenario
from sim.scenario.yamlsafe import Located, Mark, YamlProblem
from sim.scenario.yamlsafe import Path as DataPath
from sim.text import Control, control_name, find_controls, visible_controls

LIBRARY_FILE = Path(__file__).with_name("default_library.yaml")
MAX_EXTENDS_DEPTH = 16


@dataclass(slots=True)
class LoadedScenario:
    """A validated scenario and where it came from.

    Attributes:
        scenario: The validated scenario.
        files: Every file read, child first (for the run manifest).
        data: The merged plain data that was validated.
    """

    scenario: Scenario
    files: list[Path] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)

    def with_overrides(self, overrides: Sequence[str], name: str = "") -> Scenario:
        """The same scenario with ``dotted.path=value`` changes, without rereading files.

        Much faster than :func:`load_scenario` for many variants of one file
        (sweeps, sensitivity analysis); errors name the offending override.
        """
        located = Located(data=copy.deepcopy(self.data))
        _apply_overrides(located, overrides)
        return _finish(located, name or f"<{self.scenario.id}>", self.scenario.id)

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


def _read_located(path: Path, shown: str) -> Located:
    try:
        raw = files.read_bytes(path, limit=yamlsafe.MAX_BYTES, what="scenario file")
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
        kind = type(located.data).__name__
        kind = {"list": "a list", "str": "a single text value", "NoneType": "empty"}.get(
            kind, f"a single {kind} value"
        )
        raise ScenarioError(
            [
                Diagnostic(
                    shown,
                    1,
                    1,
                    "",
                    f"the file holds {kind}; a scenario is a mapping: write top-level keys "
                    "such as 'metadata:', 'actors:', 'turns:' at the left margin",
                )
            ]
        )
    return located


def _merge(base: Located, child: Located) -> Located:
    """Merge ``child`` over ``base`` (see the module docstring for the rules)."""
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


def _load_chain(path: Path, chain: list[Path]) -> tuple[Located, list[Path]]:
    shown = display_path(path)
    located = _read_located(path, shown)
    parent_name = located.data.get("extends")
    if parent_name is None:
        return located, [path]
    mark = located.value_marks.get(("extends",))
    parent = _resolve_parent(path, parent_name, shown, mark)
    if parent in chain or parent == path.resolve():
        cycle = " -> ".join(p.name for p in [*chain, path.resolve(), parent])
        raise ScenarioError(
            [
                Diagnostic(
                    shown,
                    mark.line if mark else 0,
                    mark.column if mark else 0,
                    "extends",
                    f"cycle in 'extends' ({cycle}): one of these files must not extend another",
                )
            ]
        )
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            [
                Diagnostic(
                    shown, 0, 0, "extends", f"more than {MAX_EXTENDS_DEPTH} levels of 'extends'"
                )
            ]
        )
    base, files = _load_chain(parent, [*chain, path.resolve()])
    merged = _merge(base, located)
    merged.data.pop("extends", None)
    return merged, [path, *files]


def _library() -> Located:
    return _read_located(LIBRARY_FILE, "sim/scenario/default_library.yaml")


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
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        value = raw[1:-1]
    else:
        try:
            value = yamlsafe._resolve_plain(raw)
        except YamlProblem as exc:
            raise UsageError(f"--set {key.strip()}=...: {exc.message}") from None
    return parts, value


def _apply_overrides(located: Located, overrides: Sequence[str]) -> None:
    for text in overrides:
        parts, value = parse_override(text)
        target: Any = located.data
        path: list[str | int] = []
        created: list[DataPath] = []  # entries this override makes: errors there are its own
        for part in parts[:-1]:
            key: str | int = int(part) if isinstance(target, list) and part.isdigit() else part
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
    located, files = _load_chain(path, [])
    _apply_overrides(located, overrides)
    stem = path.name.removesuffix(".yaml").removesuffix(".yml")
    scenario = _finish(located, display_path(path), stem)
    return LoadedScenario(scenario=scenario, files=files, data=located.data)


def scenario_from_dict(data: dict[str, Any], name: str = "scenario") -> Scenario:
    """Validate a scenario given as plain Python data (as a notebook might build it).

    The default move library and ladder are merged in exactly as for a file.

    Args:
        data: The scenario as nested dicts and lists.
        name: Used as the id when ``metadata.id`` is absent, and in messages.

    Raises:
        ScenarioError: with every problem found (positions are field paths only).
    """
    located = Located(data=copy.deepcopy(data))
    return _finish(located, f"<{name}>", name)


def _finish(located: Located, shown: str, stem: str) -> Scenario:
    """Merge library defaults, validate, and check references."""
    data = located.data
    data.pop("extends", None)
    # Text from files was checked as each file was read; this catches --set values
    # and data given as Python objects.
    controls = control_diagnostics(located, shown)
    if controls:
        raise ScenarioError(controls)
    if data.get("use_default_moves", True) is True:
        library = _library()
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
        if "ladder" not in data:
            data["ladder"] = copy.deepcopy(library.data["ladder"])
    # Entries set to null in a single file (no parent to remove them from) are dropped.
    _drop_null_entries(data, ("moves", "injects", "actors"))
    meta = data.get("metadata")
    if isinstance(meta, dict) and meta.get("id") is None:
        meta["id"] = _id_from_stem(stem)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_diagnostics_from_pydantic(exc, located, shown)) from None
    problems = check_references(scenario)
    if problems:
        raise ScenarioError(
            sorted(
                (_diagnostic(located, shown, p, msg, key=False) for p, msg in problems),
                key=lambda d: (d.file, d.line, d.column),
            )
        )
    return scenario


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


# ---------------------------------------------------------------- diagnostics


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _diagnostic(
    located: Located, shown: str, path: DataPath, message: str, *, key: bool
) -> Diagnostic:
    """Build a diagnostic at the best-known position for ``path``."""
    mark = None
    if key:
        mark = located.key_marks.get(path)
    probe = path
    while mark is None:
        mark = located.value_marks.get(probe) if not key or probe != path else None
        if mark is None:
            mark = located.key_marks.get(probe)
        if mark is None and not probe:
            break
        probe = probe[:-1]
    file, line, col = shown, 0, 0
    if mark is not None:
        file = mark.file or shown
        line, col = mark.line, mark.column
    dotted = ".".join(str(p) for p in path)
    return Diagnostic(file, line, col, dotted, message)


def control_diagnostics(
    located: Located, shown: str, *, source: str | None = None
) -> list[Diagnostic]:
    r"""A diagnostic for every key or text value that holds a control character.

    Control characters (ESC, BEL, NUL, C1 controls such as U+009B, carriage
    return ...) and bidirectional overrides (U+202E ...) in scenario text
    would reach terminals, reports and spreadsheets, where they can rewrite
    the screen or show text in another order than it is stored in; scenario
    text must be plain (see :func:`sim.text.find_controls`). Every offending
    key and value is reported, each once, at the value (or key) itself; with
    the file's ``source`` text, at the exact column where a one-line scalar
    writes the character (or the escape, such as ``\e``, that writes it).
    """
    out: list[Diagnostic] = []
    lines = source.split("\n") if source is not None else None

    def check(text: str, path: DataPath, *, key: bool) -> None:
        found = find_controls(text)
        if found:
            out.append(_control_diagnostic(located, shown, lines, path, found, key=key))

    def visit(node: Any, path: DataPath) -> None:
        if isinstance(node, dict):
            for name, value in node.items():
                sub = (*path, name)
                if isinstance(name, str):
                    check(name, sub, key=True)
                visit(value, sub)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                visit(value, (*path, i))
        elif isinstance(node, str):
            check(node, path, key=False)

    visit(located.data, ())
    out.sort(key=lambda d: (d.file, d.line, d.column))
    return out


def _control_diagnostic(
    located: Located,
    shown: str,
    lines: list[str] | None,
    path: DataPath,
    found: list[Control],
    *,
    key: bool,
) -> Diagnostic:
    first = found[0]
    name = control_name(first.char)
    if first.char in "\u061c\u200e\u200f" or "\u202a" <= first.char <= "\u2069":
        kind = "an invisible character that changes the order text is displayed in"
    else:
        kind = "a control character that can rewrite a terminal screen"
    more = len(found) - 1
    also = f" (and {more} more such character{'s' if more > 1 else ''})" if more else ""
    what = "the key" if key else "the text"
    action = "rename the key without it" if key else "delete it"
    if first.char == "\r":
        action += " (a line break is written as a new line, or \\n in double quotes)"
    diag = _diagnostic(located, shown, path, "", key=key)
    mark = (located.key_marks if key else located.value_marks).get(path)
    line, column = diag.line, diag.column
    written = ""
    exact = mark is not None and mark.file == shown and mark.line == line and first.line == 1
    if exact and lines is not None and 0 < line <= len(lines):
        source_line = lines[line - 1]
        at = _column_of(source_line, column - 1, first.offset)
        if at is not None and source_line[at] in (first.char, "\\"):
            column = at + 1
            if source_line[at] == "\\":
                width = {"x": 4, "u": 6, "U": 10}.get(source_line[at + 1 : at + 2], 2)
                written = f" (written '{source_line[at : at + width]}')"
    dotted = visible_controls(".".join(str(p) for p in path))
    message = f"{what} contains {name}{written}, {kind}{also}: {action}"
    return Diagnostic(visible_controls(diag.file), line, column, dotted, message)


def _column_of(line: str, start: int, index: int) -> int | None:
    r"""0-based column in ``line`` where character ``index`` of a scalar starting at ``start`` is.

    Handles plain, single-quoted and double-quoted scalars (with escapes such
    as ``\e`` and ``\u202e``) as far as they stay on this line; None when
    the character is not on it (or the scalar is a block scalar).
    """
    if not 0 <= start < len(line) or line[start] in "|>":
        return None
    quote = line[start] if line[start] in "'\"" else ""
    pos, k = start + len(quote), 0
    while pos < len(line):
        c = line[pos]
        if quote and c == quote and not (quote == "'" and line[pos + 1 : pos + 2] == "'"):
            return None  # the scalar ends on this line before the character
        if k == index:
            return pos
        if quote == '"' and c == "\\":
            pos += {"x": 4, "u": 6, "U": 10}.get(line[pos + 1 : pos + 2], 2)
        elif quote == "'" and c == "'":
            pos += 2
        else:
            pos += 1
        k += 1
    return None


def _field_names_at(loc: Sequence[Any]) -> list[str]:
    """Names of the fields allowed at ``loc`` in the schema (for did-you-mean)."""
    import types
    import typing

    current: Any = Scenario
    for part in loc:
        origin = typing.get_origin(current)
        if origin is typing.Annotated:
            current = typing.get_args(current)[0]
            origin = typing.get_origin(current)
        if origin in (types.UnionType, typing.Union):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            current = args[0] if args else current
            origin = typing.get_origin(current)
            if origin is typing.Annotated:
                current = typing.get_args(current)[0]
                origin = typing.get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(str(part))
            if info is None:
                return []
            current = info.annotation
        elif origin is dict:
            current = typing.get_args(current)[1]
        elif origin is list:
            current = typing.get_args(current)[0]
        else:
            return []
    while True:
        origin = typing.get_origin(current)
        if origin is typing.Annotated:
            current = typing.get_args(current)[0]
        elif origin in (types.UnionType, typing.Union):
            args = [a for a in typing.get_args(current) if a is not type(None)]
            current = args[0]
        else:
            break
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return f"text {value!r}"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return repr(value)


def _friendly(err: Any, clean_loc: tuple[Any, ...]) -> str:
    kind = err["type"]
    given = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        names = _field_names_at(clean_loc[:-1])
        hint = _did_you_mean(str(clean_loc[-1]), names)
        allowed = f" (allowed here: {', '.join(names)})" if names and not hint else ""
        return f"unknown key '{clean_loc[-1]}'{hint}{allowed}"
    if kind == "missing":
        return f"required key '{clean_loc[-1]}' is missing: add it"
    if kind in ("float_type", "int_type", "float_parsing", "int_parsing"):
        want = "a whole number" if kind.startswith("int") else "a number"
        hint = ""
        if isinstance(given, str):
            try:
                float(given)
                hint = ": remove the quotes"
            except ValueError:
                hint = ""
        if isinstance(given, float) and kind.startswith("int"):
            hint = ": use a whole number"
        return f"expected {want}, got {_describe(given)}{hint}"
    if kind == "int_from_float":
        return f"expected a whole number, got {given!r}"
    if kind == "bool_type":
        return f"expected true or false, got {_describe(given)}"
    if kind in ("string_type",):
        return f"expected text, got {_describe(given)}: put it in quotes if it is meant as text"
    if kind == "finite_number":
        return f"must be a finite number, got {given!r}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        words = {
            "greater_than_equal": "at least",
            "less_than_equal": "at most",
            "greater_than": "more than",
            "less_than": "less than",
        }[kind]
        return f"must be {words} {bound} (got {given!r})"
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",")]
        hint = _did_you_mean(str(given), [o for o in options if o])
        return f"{given!r} is not one of {expected}{hint}"
    if kind == "string_pattern_mismatch" and str(ctx.get("pattern", "")).startswith("^#"):
        return f"{given!r} is not a colour: write it as '#rrggbb', e.g. '#d62728'"
    if kind == "string_pattern_mismatch":
        return (
            f"{given!r} is not a valid identifier: use lower case letters, digits and '_', "
            "starting with a letter"
        )
    if kind == "too_short" and "min_length" in ctx:
        n, least = ctx.get("actual_length"), ctx["min_length"]
        return f"needs at least {least} {'entry' if least == 1 else 'entries'}, got {n}: add more"
    if kind == "too_long" and "max_length" in ctx:
        n = ctx.get("actual_length")
        return f"allows at most {ctx['max_length']} entries, got {n}: remove some"
    if kind in ("too_short", "too_long"):
        return str(err["msg"]).replace("List", "list").replace("Dictionary", "mapping")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        if not isinstance(given, (dict, list)) and "value" in _field_names_at(clean_loc):
            # PostureValue / Channel: a bare number is the usual form.
            hint = ": write a number from 0 to 1, e.g. 0.6"
            if isinstance(given, str):
                try:
                    float(given)
                    hint = ": remove the quotes"
                except ValueError:
                    pass
            return f"expected a number, or a mapping with 'value:', got {_describe(given)}{hint}"
        return f"expected a mapping of keys, got {_describe(given)}"
    if kind == "list_type":
        return f"expected a list, got {_describe(given)}"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return str(err["msg"])


def _diagnostics_from_pydantic(
    exc: ValidationError, located: Located, shown: str
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    for err in exc.errors():
        loc = list(err["loc"])
        is_key = False
        if loc and loc[-1] == "[key]":
            loc = loc[:-1]
            is_key = True
        clean = tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))
        message = _friendly(err, clean)
        if is_key and err["type"] == "literal_error":
            expected = str((err.get("ctx") or {}).get("expected", ""))
            options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",")]
            hint = _did_you_mean(str(err.get("input")), options)
            message = f"unknown key '{err.get('input')}'{hint or f' (allowed: {expected})'}"
        diag = _diagnostic(
            located, shown, clean, message, key=is_key or err["type"] == "extra_forbidden"
        )
        ident = (diag.path, diag.message)
        if ident not in seen:
            seen.add(ident)
            out.append(diag)
    # A misspelt key also makes the real one "missing": report only the misspelling.
    suggested = {
        (d.path.rpartition(".")[0], d.message.split("did you mean '")[1].rstrip("'?"))
        for d in out
        if d.message.startswith("unknown key ") and "did you mean '" in d.message
    }
    out = [
        d
        for d in out
        if not (d.message.startswith("required key ") and d.path.rpartition(".")[::2] in suggested)
    ]
    out.sort(key=lambda d: (d.file, d.line, d.column))
    return out
