"""The figures' focus in the manifest and the report, and people's own words in events.csv."""

from __future__ import annotations

import base64
import csv
import json
import re
import shlex
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.outputs.figures import FigureFocus, focused
from sim.outputs.report import render_report
from sim.outputs.report.handout import render_handout
from sim.outputs.report.refocus import refocused_views, report_focus
from sim.outputs.run_folder import render_figures, write_run_folder
from sim.paths import resolve_scenario
from sim.play.core import PlaySession
from sim.play.folder import played_moves, write_play_folder

SCENARIO = "dec2025_joint_drill"
FOCUS = ("china", "russia")


def _image(page: str, name: str) -> bytes:
    """The bytes of figure ``name`` as the page embeds it (base64 ``data:`` URI)."""
    at = page.index(f'id="fig-{name.replace("_", "-")}"')
    found = re.search(r'src="data:[^;"]+;base64,([^"]+)"', page[at:])
    assert found is not None
    return base64.b64decode(found.group(1))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def focused_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("focus") / "run"
    argv = ["run", SCENARIO, "--seed", "11", "--turns", "4", "--out", str(out), "--quiet"]
    assert main([*argv, "--focus", "Russia,china", "--observer", "japan"]) == 0
    return out


def _manifest(run: Path) -> dict[str, object]:
    data = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


# ---------------------------------------------------------------- the manifest


def test_the_manifest_records_the_focus_and_reproduces_the_same_figures(
    focused_run: Path, tmp_path: Path
) -> None:
    manifest = _manifest(focused_run)
    # ids, in actor order, whatever the command line spelled
    assert manifest["figures"] == {"focus": list(FOCUS), "observer": "japan"}
    reproduce = str(manifest["reproduce"])
    assert reproduce == (
        f"sim run {SCENARIO} --seed 11 --turns 4 --focus china,russia --observer japan"
    )
    again = tmp_path / "again"
    assert main([*shlex.split(reproduce)[1:], "--out", str(again), "--quiet"]) == 0
    for name in ("tension.png", "beliefs.png", "timeline.svg"):
        assert (again / "figures" / name).read_bytes() == (
            focused_run / "figures" / name
        ).read_bytes()
    assert _manifest(again)["figures"] == manifest["figures"]


def test_a_run_without_a_focus_records_none(tmp_path: Path) -> None:
    out = tmp_path / "plain"
    argv = ["run", SCENARIO, "--seed", "11", "--turns", "2", "--no-figures", "--out", str(out)]
    assert main([*argv, "--quiet"]) == 0
    manifest = _manifest(out)
    assert "figures" not in manifest
    assert "--focus" not in str(manifest["reproduce"])


def test_write_run_folder_draws_and_records_its_focus(tmp_path: Path) -> None:
    session = PlaySession(resolve_scenario(SCENARIO), [], seed=4, turns=2)
    for _ in range(2):
        session.resolve()
    result = session.result()
    focus = FigureFocus(("india",), observer="china")
    write_run_folder(result, tmp_path / "run", focus=focus)
    manifest = _manifest(tmp_path / "run")
    assert manifest["figures"] == {"focus": ["india"], "observer": "china"}
    assert str(manifest["reproduce"]).endswith(" --focus india --observer china")
    with focused(focus):
        render_figures(result, tmp_path / "direct", workers=1)
    assert (tmp_path / "run" / "figures" / "beliefs.png").read_bytes() == (
        tmp_path / "direct" / "beliefs.png"
    ).read_bytes()


# ---------------------------------------------------------------- the report


def test_the_report_without_a_focus_shows_the_runs_focused_figures(focused_run: Path) -> None:
    page = render_report(focused_run)
    for name in ("tension", "beliefs"):
        assert _image(page, name) == (focused_run / "figures" / f"{name}.svg").read_bytes()
    # the manifest's focus is what an --observer alone keeps
    assert report_focus(_manifest(focused_run), {"actors": {a: {} for a in FOCUS}}) is None


def test_report_focus_redraws_into_the_report_only(focused_run: Path, tmp_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in (focused_run / "figures").iterdir()}
    assert main(["report", str(focused_run), "--focus", "India,united_states", "--handout"]) == 0
    assert main(["report", str(focused_run), "--focus", "India,united_states"]) == 0
    assert {p.name: p.read_bytes() for p in (focused_run / "figures").iterdir()} == before
    page = (focused_run / "report.html").read_text(encoding="utf-8")
    handout = (focused_run / "handout.html").read_text(encoding="utf-8")
    # the figures drawn directly with that focus (the run's observer kept: only --focus given)
    manifest = _manifest(focused_run)
    scenario_actors = {
        a: {} for a in ("china", "russia", "united_states", "japan", "india", "nato_europe")
    }
    focus = report_focus(manifest, {"actors": scenario_actors}, "India,united_states")
    assert focus == FigureFocus(("united_states", "india"), "japan")
    views, result = refocused_views(focused_run, manifest, focus)
    with focused(focus):
        render_figures(result, tmp_path / "direct", workers=1)
    for name in ("tension", "beliefs"):
        drawn = (tmp_path / "direct" / f"{name}.svg").read_bytes()
        assert _image(page, name) == drawn
        assert drawn != before[f"{name}.svg"]
    assert _image(handout, "tension") == (tmp_path / "direct" / "tension.svg").read_bytes()
    # the caption says so, and names the options instead of the folder's files
    assert page.count("<code>--focus united_states,india --observer japan</code>") == len(views)
    at = page.index('id="fig-tension"')
    caption = page[page.index("<figcaption>", at) : page.index("</figure>", at)]
    assert "Drawn for this page only" in caption and "figures/" not in caption
    assert len(views) == len(before) // 2


def test_report_observer_alone_keeps_the_runs_actors(focused_run: Path) -> None:
    manifest = _manifest(focused_run)
    actors = {"actors": {a: {"name": a.title()} for a in ("china", "russia", "japan", "india")}}
    assert report_focus(manifest, actors, None, "India") == FigureFocus(FOCUS, "india")
    page = render_report(focused_run, focus=FigureFocus(FOCUS, "india"))
    assert _image(page, "tension") == (focused_run / "figures" / "tension.svg").read_bytes()
    assert _image(page, "beliefs") != (focused_run / "figures" / "beliefs.svg").read_bytes()


def test_report_unknown_actor_exits_2_with_a_suggestion(
    focused_run: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(focused_run), "--focus", "china,jpan"]) == 2
    assert "--focus: no actor 'jpan'; did you mean 'japan'?" in capsys.readouterr().err
    assert main(["report", str(focused_run), "--observer", "rusia", "--handout"]) == 2
    assert "--observer: no actor 'rusia'; did you mean 'russia'?" in capsys.readouterr().err


def test_a_played_game_cannot_be_refocused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = PlaySession(resolve_scenario(SCENARIO), ["china"], seed=4, turns=2)
    session.choose("china", "hold")
    session.resolve()
    write_play_folder(session, tmp_path / "game", command=["sim", "play"], figures=False)
    assert main(["report", str(tmp_path / "game"), "--focus", "china"]) == 2
    err = capsys.readouterr().err
    assert "cannot be redrawn with --focus or --observer" in err
    assert "a game played by people" in err
    assert not (tmp_path / "game" / "report.html").exists()


def test_an_edited_folder_cannot_be_refocused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "run"
    argv = ["run", SCENARIO, "--seed", "2", "--turns", "2", "--no-figures", "--out", str(out)]
    assert main([*argv, "--quiet"]) == 0
    metrics = out / "metrics.csv"
    metrics.write_text(metrics.read_text(encoding="utf-8").replace("0.", "1.", 1), "utf-8")
    assert main(["report", str(out), "--observer", "china"]) == 2
    assert "does not give its metrics.csv" in capsys.readouterr().err
    page = render_handout(out)  # without a focus: shown as the folder is
    assert "<html" in page


# ---------------------------------------------------------------- people's words in events.csv


def test_events_csv_keeps_peoples_own_words_safe_for_spreadsheets(tmp_path: Path) -> None:
    session = PlaySession(resolve_scenario(SCENARIO), ["china"], seed=4, turns=2)
    session.choose("china", "hold", {"text": '=HYPERLINK("x"), we hold', "claims": None})
    session.event("russia", 7, "Moscow announces a snap readiness check")
    session.resolve()
    session.choose("china", "hold")
    session.resolve()
    write_run_folder(
        session.result(), tmp_path / "run", figures=False, played=played_moves(session)
    )
    rows = _rows(tmp_path / "run" / "events.csv")
    assert list(rows[0])[-1] == "text"
    texts = {(r["turn"], r["sender"]): r["text"] for r in rows}
    assert texts["1", "china"] == '\'=HYPERLINK("x"), we hold'  # never a formula
    assert texts["1", "russia"] == "Moscow announces a snap readiness check"
    assert texts["2", "china"] == ""  # chosen by a person, no words of its own
    written = {k for k, v in texts.items() if v}
    assert written == {("1", "china"), ("1", "russia")}
    # every observer's row of a move carries its words
    assert {r["text"] for r in rows if r["turn"] == "1" and r["sender"] == "russia"} == {
        "Moscow announces a snap readiness check"
    }


def test_events_csv_text_is_empty_without_people(focused_run: Path) -> None:
    rows = _rows(focused_run / "events.csv")
    assert rows and {r["text"] for r in rows} == {""}
