"""The text generators speak of the scenario's own world (issue 15).

No generator of text (transcript, debrief, report, figures, play, dashboard,
the command line and the scenarios ``sim new`` writes) may carry a word of the
flagship's topic or world: its countries, capitals, topic and bundled ids live
in scenario data only. "drill" is not in the list: it is ordinary English that
:data:`sim.outputs.wording.VERB_RULES` narrates in any scenario's labels ("holds
a drill").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: Words of the flagship's topic and world (case-insensitive, whole words).
FLAGSHIP_WORDS = (
    "missile",
    "missile-defence",
    "missile defence",
    "nuclear",
    "second strike",
    "second-strike",
    "strategic stability",
    "golden dome",
    "golden_dome",
    "new start",
    "new_start",
    "quad",
    "arms-control",
    "arms control",
    "china",
    "chinese",
    "russia",
    "russian",
    "sino",
    "united states",
    "united_states",
    "india",
    "japan",
    "washington",
    "beijing",
    "moscow",
    "new delhi",
    "tokyo",
    "dec2025",
)

#: The text generators: every source, template and style file that writes what a reader sees,
#: including the command line's help, messages and the scenarios ``sim new`` writes.
GENERATORS = sorted(
    p
    for folder in ("sim/outputs", "sim/dashboard", "sim/play", "sim/cli")
    for p in (ROOT / folder).rglob("*")
    if p.is_file() and p.suffix in {".py", ".j2", ".css", ".js", ".html"}
)

_WORD = re.compile(
    r"(?<![A-Za-z])("
    + "|".join(re.escape(w) for w in sorted(FLAGSHIP_WORDS, key=len, reverse=True))
    + r")(?![A-Za-z])",
    re.IGNORECASE,
)


def flagship_words(text: str) -> list[str]:
    """The flagship words in ``text``, in order (lower case)."""
    return [m.group(1).lower() for m in _WORD.finditer(text)]


def test_the_word_list_catches_what_it_should() -> None:
    # negative control: the check finds flagship words and leaves neutral text alone
    assert flagship_words("Beijing holds a joint missile-defence drill") == [
        "beijing",
        "missile-defence",
    ]
    assert flagship_words("e.g. --human china (Golden Dome, New START)") == [
        "china",
        "golden dome",
        "new start",
    ]
    assert flagship_words("quadratic tension; Quiet: Red City; a drill") == []


def test_generators_found() -> None:
    names = {p.name for p in GENERATORS}
    assert {"transcript_build.py", "debrief.py", "wording.py", "screens.py", "app.py"} <= names
    assert {"session.py", "arguments.py", "library.py", "main.py"} <= names
    assert any(p.parent.name == "commands" for p in GENERATORS)
    assert any(p.suffix == ".j2" for p in GENERATORS)


@pytest.mark.parametrize("path", GENERATORS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_flagship_word_in_a_text_generator(path: Path) -> None:
    found = flagship_words(path.read_text(encoding="utf-8"))
    assert found == [], f"{path.relative_to(ROOT)} hard-codes {sorted(set(found))}"
