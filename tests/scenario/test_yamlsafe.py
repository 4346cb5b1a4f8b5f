"""The strict YAML reader: YAML 1.2 scalars, positions, and refusals."""

from __future__ import annotations

import math

import pytest

from sim.scenario import yamlsafe
from sim.scenario.yamlsafe import YamlProblem, parse


def test_yaml12_scalars_and_norway() -> None:
    data = parse(
        "a: no\nb: 1e3\nc: 1:20\nd: 2025-12-07\ne: off\nf: true\ng: .inf\nh: ~\ni: 0x1f\n", "f"
    ).data
    assert data == {
        "a": "no",
        "b": 1000.0,
        "c": "1:20",
        "d": "2025-12-07",
        "e": "off",
        "f": True,
        "g": math.inf,
        "h": None,
        "i": 31,
    }


def test_quoted_values_stay_text() -> None:
    assert parse("a: '1'\nb: \"true\"\nc: !!str 5\n", "f").data == {"a": "1", "b": "true", "c": "5"}


def test_positions_of_keys_and_values() -> None:
    located = parse("top:\n  inner:\n    - x: 1\n      y: 2\n", "f.yaml")
    assert located.key_marks[("top", "inner", 0, "y")].line == 4
    assert located.key_marks[("top", "inner", 0, "y")].column == 7
    assert located.value_marks[("top", "inner", 0, "y")].column == 10


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        ("a: 1\na: 2\n", 2, 1, "duplicate key 'a' (first at line 1)"),
        ("a: &x 1\nb: *x\n", 2, 4, "aliases (*x) are not supported"),
        ("a: !!python/object:os.system x\n", 1, 4, "the tag !!python/object:os.system"),
        ("a: !custom 1\n", 1, 4, "the tag !custom is not allowed"),
        ("a:\n\tb: 1\n", 2, 1, "tab used for indentation"),
        ("a: b: c\n", 1, 5, "mapping values are not allowed"),
        ("a: [1, 2\n", 2, 1, "expected ',' or ']'"),
        ("", 1, 1, "file is empty"),
        ("# only a comment\n", 1, 1, "file is empty"),
        ("[" * 10_000, 1, 65, f"nesting deeper than {yamlsafe.MAX_DEPTH} levels"),
        ("a: !!int x\n", 1, 4, "'x' is not a valid !!int"),
    ],
)
def test_refusals_have_positions(text: str, line: int, column: int, fragment: str) -> None:
    with pytest.raises(YamlProblem) as info:
        parse(text, "f.yaml")
    assert (info.value.line, info.value.column) == (line, column)
    assert fragment in info.value.message


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    with pytest.raises(YamlProblem, match="aliases"):
        parse(bomb, "f")


@pytest.mark.parametrize(
    ("raw", "line", "column", "fragment"),
    [
        (b"\xef\xbb\xbfa: 1\n", 1, 1, "byte-order mark"),
        (b"a: 1\nb: \xff\n", 2, 4, "byte 0xff is not valid UTF-8"),
        (b"a" * (yamlsafe.MAX_BYTES + 1), 0, 0, "limited to 1,000,000 bytes"),
    ],
)
def test_decode_refusals(raw: bytes, line: int, column: int, fragment: str) -> None:
    with pytest.raises(YamlProblem) as info:
        yamlsafe.decode(raw)
    assert (info.value.line, info.value.column) == (line, column)
    assert fragment in info.value.message
