"""Fuzzing the scenario reader: whatever the input, a Scenario or a ScenarioError.

Three targets, all through the real entry points (``yamlsafe.decode`` and
``yamlsafe.parse``, then ``load_scenario`` on a file):

* arbitrary bytes;
* YAML-looking text built from the characters YAML cares about;
* mutations of a valid scenario (lines deleted, duplicated, swapped or
  re-indented, characters flipped, scalars replaced by awkward values).

The only allowed outcomes are a valid :class:`Scenario` or a
:class:`ScenarioError` (``YamlProblem`` at the yamlsafe level): never another
exception, never a recursion error, never a hang (each example has a deadline).

CI runs about 200 examples in all. For a long run, set ``SIM_FUZZ_EXAMPLES``
(examples per test), e.g.::

    SIM_FUZZ_EXAMPLES=100000 PYTHONPATH=. python -m pytest tests/behaviour/test_fuzz.py -q
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.errors import ScenarioError
from sim.scenario import yamlsafe
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario
from sim.scenario.yamlsafe import YamlProblem
from tests.conftest import SMALL

LONG = int(os.environ.get("SIM_FUZZ_EXAMPLES", "0"))


def budget(ci_examples: int, long_cap: int | None = None) -> settings:
    """CI: a handful of examples; with SIM_FUZZ_EXAMPLES: that many per test (up to the cap)."""
    return settings(
        max_examples=min(LONG, long_cap or LONG) if LONG else ci_examples,
        # generous: a loaded CI machine is slow, but a hang still fails
        deadline=timedelta(seconds=5),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None if LONG else settings().database,
    )


_FOLDER = Path(tempfile.mkdtemp(prefix="sim-fuzz-"))


def check_bytes(raw: bytes) -> None:
    """Feed ``raw`` to every layer; fail on anything but the allowed outcomes."""
    try:
        yamlsafe.parse(yamlsafe.decode(raw), "fuzz.yaml")
    except YamlProblem as exc:
        assert isinstance(exc.message, str) and exc.message
        assert exc.line >= 0 and exc.column >= 0
    path = _FOLDER / "fuzz.yaml"
    path.write_bytes(raw)
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        assert exc.diagnostics, "a ScenarioError must say what is wrong"
        for d in exc.diagnostics:
            assert d.message and "Traceback" not in d.message
            assert d.line >= 0 and d.column >= 0
    else:
        assert isinstance(scenario, Scenario)


# ------------------------------------------------------------------ raw input

TOKENS = [
    *" \n\n\n  ::--[]{},'\"&*!#|>?%@`~.\\\t\r0129eE+abcxyz",
    *["no", "true", "null", ".inf", ".nan", "1e400", "metadata", "title", "actors"],
    *["name", "posture", "extends", "!!python/object", "&a", "*a", "<<", "\ufeff", "é"],
    *["\x00", "\x1f", "\x85", "\u2028", "\U0001f600", "\ud800"],
]
YAMLISH = st.lists(st.sampled_from(TOKENS), max_size=150).map("".join)


@budget(40)
@given(st.binary(max_size=400))
def test_arbitrary_bytes(raw: bytes) -> None:
    check_bytes(raw)


@budget(40)
@given(YAMLISH)
def test_yaml_looking_text(text: str) -> None:
    check_bytes(text.encode("utf-8", "surrogatepass"))


@budget(10, long_cap=1000)  # a small input space: more examples only repeat
@given(
    st.sampled_from(["[", "{a: ", "- ", "block"]),
    st.integers(1, 3000),
)
def test_deep_nesting_is_refused_not_a_recursion_error(opener: str, depth: int) -> None:
    if opener == "block":
        text = "".join(" " * i + f"k{i}:\n" for i in range(min(depth, 300)))
    else:
        text = opener * depth
    check_bytes(text.encode())


# ------------------------------------------------------------------ mutations

NASTY = [
    "no",
    "yes",
    "off",
    ".inf",
    "-.inf",
    ".nan",
    "1e400",
    "-1e400",
    "1e3",
    "0x1f",
    "0o17",
    "~",
    "null",
    "[]",
    "{}",
    "[a, b]",
    "{a: 1}",
    "''",
    '""',
    "-0",
    "9" * 40,
    "x" * 5000,
    "'" + "y" * 300 + "'",
    "2025-12-07",
    "1:20",
    "&anchor x",
    "*anchor",
    "!!python/object:os.system x",
    "!!binary aGVsbG8=",
    "!!int 1.5",
    "é中文🙂",
    "\u202e",
    "|",
    ">-",
    "?",
    "- x",
    "true",
    "FALSE",
]
SCALAR = re.compile(r"(?<=: )[^\n{}\[\],#]+|(?<=- )[^\n{}\[\],#:]+")


@st.composite
def mutated(draw: st.DrawFn, base: str = SMALL) -> str:
    """``base`` with one to four random edits."""
    lines = base.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        op = draw(
            st.sampled_from(["delete", "duplicate", "swap", "indent", "flip", "scalar", "scalar"])
        )
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            shift = draw(st.integers(-4, 4))
            lines[i] = " " * shift + lines[i] if shift >= 0 else lines[i][-shift:]
        elif op == "flip" and lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            c = draw(st.characters(codec="utf-8") | st.sampled_from(list(":-[]{}'\"#\t &*!")))
            lines[i] = lines[i][:k] + c + lines[i][k + 1 :]
        elif op == "scalar":
            spots = list(SCALAR.finditer(lines[i]))
            if spots:
                m = draw(st.sampled_from(spots))
                new = draw(st.sampled_from(NASTY) | st.text(max_size=20))
                lines[i] = lines[i][: m.start()] + new + lines[i][m.end() :]
    return "\n".join(lines) + "\n"


@budget(100)
@given(mutated())
def test_mutations_of_a_valid_scenario(text: str) -> None:
    check_bytes(text.encode("utf-8", "surrogatepass"))


def test_the_unmutated_base_is_valid() -> None:
    path = _FOLDER / "base.yaml"
    path.write_text(SMALL, encoding="utf-8")
    assert isinstance(load_scenario(path), Scenario)
