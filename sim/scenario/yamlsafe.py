"""Safe, strict YAML reading with a source position for every value.

PyYAML is used only to scan, parse and compose the node tree (with the
pure-Python ``SafeLoader``, never the C loader, which crashes on deeply nested
input). Turning nodes into Python values is done here, under YAML 1.2 core
schema rules, so that:

* ``no``, ``off``, ``yes``, ``on`` stay strings (the "Norway problem");
  only ``true``/``false`` are booleans;
* ``1e3`` is the number 1000.0 and ``1:20`` is a string, not 80;
* dates stay strings;
* duplicate keys, aliases (``*name``), application tags (``!!python/...``),
  nesting deeper than :data:`MAX_DEPTH` and files over :data:`MAX_BYTES` are
  errors with a line and column, never a crash, a hang or a memory blow-up.

Every value's position is recorded by its dotted path, so later validation
errors can name ``file:line:column``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_BYTES = 1_000_000
"""Largest scenario file accepted, in bytes."""

MAX_DEPTH = 64
"""Deepest nesting of mappings and lists accepted."""

MAX_DIGITS = 40
"""Longest whole number accepted, in characters (seeds need at most 19 digits)."""

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Mark:
    """A 1-based line and column in a file."""

    file: str
    line: int
    column: int


@dataclass(slots=True)
class Located:
    """Plain Python data read from YAML plus where each piece came from.

    Attributes:
        data: The document as dicts, lists, str, int, float, bool and None.
        key_marks: Position of the key of each mapping entry, by path.
        value_marks: Position of each value, by path (the root is ``()``).
    """

    data: Any
    key_marks: dict[Path, Mark] = field(default_factory=dict)
    value_marks: dict[Path, Mark] = field(default_factory=dict)


class YamlProblem(Exception):
    """A YAML-level problem at a position (turned into a Diagnostic upstream)."""

    def __init__(self, message: str, line: int = 0, column: int = 0, path: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.path = path


class _StrictComposer(yaml.SafeLoader):
    """SafeLoader that refuses aliases and deep nesting while composing nodes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            mark = event.start_mark
            raise YamlProblem(
                f"aliases (*{event.anchor}) are not supported: write the value out in full",
                mark.line + 1,
                mark.column + 1,
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise YamlProblem(
                f"nesting deeper than {MAX_DEPTH} levels: flatten the structure",
                mark.line + 1,
                mark.column + 1,
            )
        try:
            node = Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1
        assert node is not None
        return node


_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(inf|Inf|INF)$")
_NAN = re.compile(r"^\.(nan|NaN|NAN)$")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}


def _resolve_plain(text: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text) or _OCT.match(text) or _HEX.match(text):
        if len(text) > MAX_DIGITS:
            raise YamlProblem(
                f"a whole number of {len(text):,} characters: no value here needs more than "
                f"{MAX_DIGITS}; shorten it"
            )
        if _INT.match(text):
            return int(text)
        return int(text[2:], 8 if _OCT.match(text) else 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text


def _resolve_positioned(node: ScalarNode, file: str, path: Path) -> Any:
    """:func:`_resolve_plain` with the node's position on any problem."""
    try:
        return _resolve_plain(node.value)
    except YamlProblem as exc:
        m = _mark(file, node)
        raise YamlProblem(exc.message, m.line, m.column, _dotted(path)) from None


def _dotted(path: Path) -> str:
    return ".".join(str(p) for p in path)


def _mark(file: str, node: Node) -> Mark:
    return Mark(file, node.start_mark.line + 1, node.start_mark.column + 1)


def _to_data(node: Node, file: str, path: Path, out: Located, explicit_tags: dict[int, str]) -> Any:
    tag = explicit_tags.get(id(node))
    if tag is not None and tag not in _ALLOWED_TAGS:
        m = _mark(file, node)
        raise YamlProblem(
            f"the tag {tag.replace(_STD, '!!')} is not allowed in scenario files: "
            "remove it and write a plain value",
            m.line,
            m.column,
            _dotted(path),
        )
    out.value_marks[path] = _mark(file, node)
    if isinstance(node, ScalarNode):
        if tag == _STD + "str" or node.style in ("'", '"', "|", ">"):
            return node.value
        value = _resolve_positioned(node, file, path)
        if tag is not None and tag != _STD + "str":
            value = _coerce_tagged(value, tag, node, file)
        return value
    if isinstance(node, SequenceNode):
        return [
            _to_data(child, file, (*path, i), out, explicit_tags)
            for i, child in enumerate(node.value)
        ]
    if isinstance(node, MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                m = _mark(file, key_node)
                raise YamlProblem(
                    "a key must be a plain name or number, not a list or mapping",
                    m.line,
                    m.column,
                )
            key = (
                key_node.value
                if key_node.style is not None
                else _resolve_positioned(key_node, file, path)
            )
            if key is None or isinstance(key, (bool, float)):
                key = key_node.value
            key_path = (*path, key)
            if key in result:
                first = out.key_marks.get(key_path)
                m = _mark(file, key_node)
                where = f" (first at line {first.line})" if first else ""
                raise YamlProblem(
                    f"duplicate key {key!r}{where}: keep one of them",
                    m.line,
                    m.column,
                )
            out.key_marks[key_path] = _mark(file, key_node)
            result[key] = _to_data(value_node, file, key_path, out, explicit_tags)
        return result
    m = _mark(file, node)  # pragma: no cover - PyYAML only makes the three kinds
    raise YamlProblem("unsupported YAML node", m.line, m.column)


def _coerce_tagged(value: Any, tag: str, node: ScalarNode, file: str) -> Any:
    kind = tag.replace(_STD, "")
    ok = {
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, (int, float)) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "null": value is None,
    }.get(kind, True)
    if not ok:
        m = _mark(file, node)
        raise YamlProblem(f"{node.value!r} is not a valid !!{kind}", m.line, m.column)
    if kind == "float":
        return float(value)
    return value


class _TagRecorder(_StrictComposer):
    """Records which nodes carried an explicit tag in the source text."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.explicit_tags: dict[int, str] = {}

    def compose_scalar_node(self, anchor: Any) -> ScalarNode:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        node = super().compose_scalar_node(anchor)
        if event.tag not in (None, "!"):
            self.explicit_tags[id(node)] = node.tag
        return node

    def compose_sequence_node(self, anchor: Any) -> SequenceNode:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        node = super().compose_sequence_node(anchor)
        if event.tag not in (None, "!"):
            self.explicit_tags[id(node)] = node.tag
        return node

    def compose_mapping_node(self, anchor: Any) -> MappingNode:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        node = super().compose_mapping_node(anchor)
        if event.tag not in (None, "!"):
            self.explicit_tags[id(node)] = node.tag
        return node


def too_large(size: int) -> str:
    """The message for a file of ``size`` bytes, over :data:`MAX_BYTES`."""
    return (
        f"file is {size:,} bytes; scenario files are limited to {MAX_BYTES:,} bytes: "
        "shorten it (long notes belong in a separate file)"
    )


def decode(raw: bytes) -> str:
    """Decode a scenario file's bytes as UTF-8, with positioned errors.

    Raises:
        YamlProblem: the file is too large, has a byte-order mark, or is not UTF-8.
    """
    if len(raw) > MAX_BYTES:
        raise YamlProblem(too_large(len(raw)))
    if raw.startswith(b"\xef\xbb\xbf") or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem("file starts with a byte-order mark: save it as UTF-8 without BOM", 1, 1)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8: save the file as UTF-8",
            line,
            column,
        ) from None


def parse(text: str, file: str) -> Located:
    """Parse one YAML document into plain data with positions.

    Args:
        text: The document text.
        file: The file name to put in marks.

    Raises:
        YamlProblem: for any syntax or safety problem, with line and column.
    """
    if "\t" in text:
        for number, line_text in enumerate(text.splitlines(), start=1):
            stripped = line_text.lstrip(" ")
            if stripped.startswith("\t"):
                raise YamlProblem(
                    "tab used for indentation: YAML allows spaces only; replace tabs with spaces",
                    number,
                    len(line_text) - len(stripped) + 1,
                )
    try:
        loader = _TagRecorder(text)
    except yaml.reader.ReaderError as exc:  # a control character, e.g. U+001F
        before = text[: exc.position]
        raise YamlProblem(
            f"character U+{exc.character:04X} is not allowed in a YAML file: delete it",
            before.count("\n") + 1,
            len(before) - (before.rfind("\n") + 1) + 1,
        ) from None
    try:
        root = loader.get_single_node()
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        hint = _hint_for(problem)
        if (
            exc.context == "while scanning a quoted scalar"
            and "end of stream" in problem
            and exc.context_mark is not None
        ):
            # The end of the file is not where the mistake is: point at the opening quote.
            mark = exc.context_mark
            problem = "the quote that opens here is never closed"
            hint = " (add the closing quote, or remove this one)"
        raise YamlProblem(
            f"YAML syntax: {problem}{hint}",
            (mark.line + 1) if mark else 0,
            (mark.column + 1) if mark else 0,
        ) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML syntax: {exc}") from None
    finally:
        loader.dispose()
    if root is None:
        raise YamlProblem("file is empty: a scenario needs at least a title and actors", 1, 1)
    out = Located(data=None)
    out.data = _to_data(root, file, (), out, loader.explicit_tags)
    return out


def _hint_for(problem: str) -> str:
    if "expected <block end>" in problem or "mapping values are not allowed" in problem:
        return (
            " (check the indentation of this line against the lines above, "
            "and that the key above it ends with ':')"
        )
    if "could not find expected ':'" in problem:
        return " (a 'key: value' line is missing its colon, or a quote is not closed)"
    if "found character '\\t'" in problem:
        return " (replace tabs with spaces)"
    return ""
