"""Scenario diagnostics: every problem as ``file:line:column``, field path and what to do.

Turns pydantic validation errors, control characters and cross-reference
problems into :class:`~sim.errors.Diagnostic` entries positioned with the
marks :mod:`sim.scenario.yamlsafe` recorded while parsing. Used by
:mod:`sim.scenario.loader` (which keeps re-exporting these names).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.errors import Diagnostic
from sim.names import did_you_mean
from sim.scenario.schema import FACT_MODELS, Scenario
from sim.scenario.yamlsafe import Located
from sim.scenario.yamlsafe import Path as DataPath
from sim.text import Control, control_name, find_controls, visible_controls


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
        tagged = _tagged_member(current, part)
        if tagged is not None:  # a union told apart by `kind`: the tag names the member
            current = tagged
            continue
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


def _tagged_member(current: Any, tag: Any) -> Any:
    """The member of a union of models whose ``kind`` literal is ``tag`` (else None)."""
    import types
    import typing

    if typing.get_origin(current) not in (typing.Union, types.UnionType):
        return None
    for member in typing.get_args(current):
        if isinstance(member, type) and issubclass(member, BaseModel):
            kind = member.model_fields.get("kind")
            if kind is not None and typing.get_args(kind.annotation) == (tag,):
                return member
    return None


def _without_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """``loc`` without the tags pydantic inserts after a value of a union told apart by kind."""
    if len(loc) > 2 and loc[0] == "expectations" and loc[2] in FACT_MODELS:
        return (*loc[:2], *loc[3:])
    return loc


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
        hint = did_you_mean(str(clean_loc[-1]), names)
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
        hint = did_you_mean(str(given), [o for o in options if o])
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
    if kind == "union_tag_invalid":
        tags = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
        hint = did_you_mean(str(ctx.get("tag", given)), tags)
        listed = f" (known: {', '.join(tags)})" if not hint else ""
        return f"unknown kind '{ctx.get('tag', given)}'{hint}{listed}"
    if kind == "union_tag_not_found":
        return "required key 'kind' is missing: add it"
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
        clean = _without_tags(clean)
        if is_key and err["type"] == "literal_error":
            expected = str((err.get("ctx") or {}).get("expected", ""))
            options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",")]
            hint = did_you_mean(str(err.get("input")), options)
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
        (d.path.rpartition(".")[0], d.message.split("did you mean '")[1].split("'")[0])
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
