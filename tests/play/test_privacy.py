"""Terminal hot-seat privacy: a cleared screen between players, meant-vs-read only at the reveal."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from sim.play.core import PlaySession
from sim.play.screens import Screen, show_summary
from tests.conftest import FLAGSHIP
from tests.play.test_play import play

CLEAR = "\033[3J\033[H\033[2J"
RULE = "#" * 60

TURN_1 = [
    "frame @0.2 <script>x</script> We only   train",  # China's own words, then its move
    "1",
    "statement",  # United States
    "event russia 7 @0.8 Moscow announces a snap check",  # instructor
    "",
]
TURN_2 = ["hold", "hold", "reveal", ""]


@pytest.fixture(scope="module")
def game(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    cwd = tmp_path_factory.mktemp("private")
    done = play(
        str(FLAGSHIP),
        "--human",
        "china",
        "--human",
        "united_states",
        "--seed",
        "41",
        "--turns",
        "2",
        "--out",
        "run",
        "--no-figures",
        stdin="\n".join(TURN_1 + TURN_2) + "\n",
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return cwd / "run", done.stdout


def test_the_shared_summary_shows_no_meant_value_and_no_reading(game: tuple[Path, str]) -> None:
    _, out = game
    after = out.split("Turn 1 resolved", 1)[1].split("Turn 2 of 2 - China (Beijing) decides")[0]
    assert not re.search(r"meant \d", after) and "How the others read" not in after
    assert not re.search(r"read \d", after) and "gap" not in after
    assert 'Instructor\'s event: Russia - "Moscow announces a snap check" (rung 7)' in after
    assert "type 'reveal'" in after


def test_the_screen_is_cleared_between_players_and_before_the_instructor(
    game: tuple[Path, str],
) -> None:
    _, out = game
    turn_1 = out.split("Turn 1 resolved")[0]
    china = turn_1.index("Turn 1 of 2 - China (Beijing) decides")
    usa = turn_1.index("Turn 1 of 2 - United States (Washington) decides")
    instructor = turn_1.index("Instructor - turn 1")
    assert RULE in turn_1[china:usa] and RULE in turn_1[usa:instructor]
    assert CLEAR not in out  # stdout is not a terminal: a rule line, no escape codes


def test_meant_versus_read_appears_at_the_reveal(game: tuple[Path, str]) -> None:
    _, out = game
    shown = " ".join(out.split("instructor> reveal", 1)[1].split())  # lines wrap at 100
    event = 'How the others read Moscow\'s "Moscow announces a snap check" (instructor; meant 0.80'
    assert event in shown
    assert "How the others read Beijing's arms-control proposal (player; meant 0.00" in shown
    assert 'framing claimed 0.20; framed as "<script>x</script> We only train"' in shown


def test_the_run_folder_keeps_the_teams_words_and_the_event(game: tuple[Path, str]) -> None:
    folder, _ = game
    text = (folder / "transcript.md").read_text(encoding="utf-8")
    assert 'framed as "\\<script>x\\</script> We only train" — played by a team' in text
    assert '**Moscow**: "Moscow announces a snap check" (rung 7' in text
    assert "— the instructor's event" in text


def test_reveal_each_turn_shows_the_full_summary_after_every_turn(tmp_path: Path) -> None:
    done = play(
        str(FLAGSHIP),
        "--human",
        "china",
        "--seed",
        "41",
        "--turns",
        "1",
        "--no-figures",
        "--out",
        "run",
        "--reveal-each-turn",
        stdin="hold\n\n",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    shown = " ".join(done.stdout.split())
    assert "How the others read Beijing's no new signal (player; meant 0.15" in shown


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_clear_on_a_terminal_wipes_screen_and_scrollback(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _Terminal()
    monkeypatch.setattr(sys, "stdout", fake)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    Screen().clear("the next player")
    assert fake.getvalue() == CLEAR


def test_the_public_summary_of_a_turn_says_nothing_private(
    capsys: pytest.CaptureFixture[str],
) -> None:
    session = PlaySession(FLAGSHIP, ["china"], seed=5, turns=2)
    session.choose("china", "live_fire_drill")
    summary = session.summary(session.resolve())
    show_summary(Screen(), session, summary, reveal=False)
    public = capsys.readouterr().out
    show_summary(Screen(), session, summary, reveal=True)
    full = capsys.readouterr().out
    assert not re.search(r"meant \d", public) and "live-fire" not in public.lower()
    assert re.search(r"meant \d", full) and "How the others read Beijing's" in full
