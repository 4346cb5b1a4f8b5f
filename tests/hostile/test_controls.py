"""Control characters: refused in scenario files, stripped from what players type.

A control character (ESC, BEL, NUL, a C1 control such as U+009B) or a
bidirectional override (U+202E) in scenario text would reach terminals,
reports and spreadsheets. ``sim validate`` refuses such a file with exit
status 2 and ``file:line:column: field.path: ...`` for every offending value
or key; in play, what is typed has them removed before it is used or saved.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.errors import ScenarioError
from sim.play.terminal import Screen
from sim.scenario.loader import load_scenario, scenario_from_dict
from tests.conftest import FLAGSHIP, REPO

from .scenario_text import base_data, write_yaml

# (name, how the title is written in the YAML file, the character, its code point)
TITLES = [
    ("esc", r'"Drill \e[2J now"', "\x1b", "U+001B"),
    ("bel", r'"Drill \a now"', "\x07", "U+0007"),
    ("nul", r'"Drill \0 now"', "\x00", "U+0000"),
    ("csi", r'"Drill \x9b2J now"', "\x9b", "U+009B"),
    ("rlo_escaped", r'"Drill \u202e now"', "\u202e", "U+202E"),
    ("rlo_raw", "Drill \u202e now", "\u202e", "U+202E"),
    ("cr", r'"Drill \r now"', "\r", "U+000D"),
]

SCENARIO = """\
metadata:
  title: {title}
turns: 3
actors:
  red:
    name: {name}
  blue:
    name: Blue
moves:
  drill:
    label: drill
    rung: 2
    intended_hostility: 0.4
    framed_hostility: 0.2
    framing: {framing}
"""


def write(tmp_path: Path, title: str = "Fine", name: str = "Red", framing: str = "ok") -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(SCENARIO.format(title=title, name=name, framing=framing), encoding="utf-8")
    return path


def validate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    status = main(["validate", str(path)])
    err = capsys.readouterr().err
    return status, [line for line in err.splitlines() if line.strip()]


def column_of(path: Path, line: int, needle: str) -> int:
    return path.read_text(encoding="utf-8").split("\n")[line - 1].index(needle) + 1


@pytest.mark.parametrize(("kind", "written", "char", "code"), TITLES, ids=[t[0] for t in TITLES])
def test_a_control_character_in_the_title_is_refused_with_its_place(
    kind: str,
    written: str,
    char: str,
    code: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write(tmp_path, title=written)
    status, lines = validate(path, capsys)
    assert status == 2
    shown = str(path)
    # The column is where the character (or the escape writing it) is on line 2.
    needle = "\u202e" if kind == "rlo_raw" else "\\"
    column = column_of(path, 2, needle)
    assert lines[0].startswith(f"{shown}:2:{column}: metadata.title: the text contains {code} ")
    assert lines[0].endswith("delete it") or "line break" in lines[0]
    assert char not in "\n".join(lines)  # the message itself is safe to print


def test_every_offending_field_is_reported_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, title=r'"a\eb"', name=r'"R\x07ed"', framing="back \u202e wards")
    status, lines = validate(path, capsys)
    assert status == 2
    assert [re.sub(r":\d+:\d+:", ":L:C:", line).split(": the")[0] for line in lines[:3]] == [
        f"{path}:L:C: metadata.title",
        f"{path}:L:C: actors.red.name",
        f"{path}:L:C: moves.drill.framing",
    ]
    assert lines[1].startswith(f"{path}:6:{column_of(path, 6, chr(92))}: actors.red.name: ")
    assert "U+0007 BELL (written '\\x07')" in lines[1]
    assert lines[2].startswith(f"{path}:15:{column_of(path, 15, chr(0x202E))}: moves.drill.framing")
    assert "RIGHT-TO-LEFT OVERRIDE" in lines[2]


def test_a_control_character_in_a_key_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "key.yaml"
    path.write_text(
        SCENARIO.format(title="Fine", name="Red", framing="ok").replace(
            "  blue:\n", '  "bl\\eue":\n'
        ),
        encoding="utf-8",
    )
    status, lines = validate(path, capsys)
    assert status == 2
    # The key is shown with the character as an escape, never raw.
    column = column_of(path, 7, "\\")  # the escape inside the quoted key
    assert lines[0].startswith(
        f"{path}:7:{column}: actors.bl\\x1bue: the key contains U+001B ESCAPE (written '\\e')"
    )
    assert "rename the key" in lines[0]
    assert "\x1b" not in "\n".join(lines)


def test_the_hostile_scenario_helper_writes_escapes_that_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = base_data()
    data["metadata"]["title"] = "T\x1b]0;owned\x07"
    path = write_yaml(tmp_path / "h.yaml", data)
    assert "\\e" in path.read_text(encoding="utf-8")  # written as an escape, in quotes
    status, lines = validate(path, capsys)
    assert status == 2 and ": metadata.title: the text contains U+001B ESCAPE" in lines[0]


def test_a_set_value_and_python_data_are_checked_too(
    small: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(small, ["metadata.title=evil\x1b[2J"])
    (diag,) = caught.value.diagnostics
    assert diag.path == "metadata.title" and "U+001B" in diag.message
    assert "\x1b" not in str(caught.value)  # the --set text is shown with escapes
    status = main(
        ["run", str(small), "--set", "actors.red.name=R\u202eed", "--out", str(tmp_path / "r")]
    )
    err = capsys.readouterr().err
    assert status == 2 and "actors.red.name: the text contains U+202E" in err
    assert "\u202e" not in err and not (tmp_path / "r").exists()
    with pytest.raises(ScenarioError, match=r"<x>: metadata.title: the text contains U\+009B"):
        scenario_from_dict(
            {"metadata": {"title": "a\x9bb"}, "actors": {"a": {"name": "A"}, "b": {"name": "B"}}},
            "x",
        )


def test_tabs_and_line_breaks_in_text_are_fine(tmp_path: Path) -> None:
    path = write(tmp_path, title=r'"Two\tcolumns and\na second line"')
    assert load_scenario(path).metadata.title == "Two\tcolumns and\na second line"


# ---------------------------------------------------------------- play


def test_the_terminal_strips_what_is_typed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = iter(["\x1b[2Jhold\u202e\x07", "event russia 4 \x9bnews\x00 of\r\nchecks"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(typed))
    screen = Screen()
    screen.echo = True
    assert screen.ask("> ") == "[2Jhold"
    assert screen.ask("> ") == "event russia 4 news of\nchecks"
    out = capsys.readouterr().out
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", out)


def test_sim_play_keeps_no_control_character_from_its_input(tmp_path: Path) -> None:
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(REPO))
    env.pop("NO_COLOR", None)
    typed = [
        "\x1bhold\u202e",  # China's move, by name, wrapped in control characters
        "event russia 4 Moscow \x1b]0;owned\x07announces \u202echecks\x9b",
        "",  # resolve
    ]
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from sim.play.terminal import main; raise SystemExit(main())",
            str(FLAGSHIP),
            "--human",
            "china",
            "--seed",
            "11",
            "--turns",
            "1",
            "--out",
            "run",
            "--no-figures",
        ],
        input="\n".join(typed) + "\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    controls = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")
    assert not controls.search(done.stdout + done.stderr)
    assert "will play: no new signal" in done.stdout or "will play:" in done.stdout
    saved = (tmp_path / "run" / "play.json").read_text(encoding="utf-8")
    events = json.loads(saved)["inputs"][0]["events"]
    assert events and events[0]["text"] == "Moscow ]0;ownedannounces checks"
    for name in ("play.json", "transcript.md", "events.csv"):
        assert not controls.search((tmp_path / "run" / name).read_text(encoding="utf-8")), name
