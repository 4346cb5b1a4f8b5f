"""Play mode: the game session, and `sim play` end to end with piped input."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim.errors import SimError
from sim.model.mesa_model import EscalationModel
from sim.play.session import PlayError, PlaySession, load_script
from tests.conftest import FLAGSHIP, REPO

MOVES = REPO / "tests" / "fixtures" / "play_moves.yaml"
SEED = "11"
HUMANS = ["--human", "china", "--human", "united_states"]

# The human moves the piped game below makes (and tests/fixtures/play_moves.yaml).
EXPECTED = {
    (1, "china"): "arms_control_proposal",
    (1, "united_states"): "statement_of_concern",
    (2, "china"): "reassurance_statement",
    (2, "united_states"): "golden_dome_announcement",
    (3, "china"): "sino_russian_joint_patrol",
    (3, "united_states"): "hold",
}

TURN_1 = [
    "1",  # China: by number (menu 1 = arms-control proposal)
    "xyz",  # United States: invalid
    "sino_russian_md_drill",  # United States: not in its repertoire
    "statement",  # by the start of the label
    "",  # instructor: resolve
]
TURN_2 = [
    "hold",  # China
    "undo",  # United States takes back China's choice: China again
    "reassurance",  # China
    "Golden",  # United States, by label prefix, any case
    "new_start_expires",  # instructor fires an inject by hand
    "",
]
TURN_3 = [
    "sino",  # China: prefix of the id
    "4",  # United States: menu 4 = no new signal (hold)
    "",
]


def play(*args: str, stdin: str = "", cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(REPO))
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from sim.play.terminal import main; raise SystemExit(main())",
            *args,
        ],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=180,
    )


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def human_moves(events: Path) -> dict[tuple[int, str], str]:
    return {
        (int(r["turn"]), r["sender"]): r["move"] for r in rows(events) if r["source"] == "human"
    }


@pytest.fixture(scope="module")
def straight(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A 3-turn hot-seat game with piped input; returns (run folder, stdout)."""
    cwd = tmp_path_factory.mktemp("straight")
    done = play(
        str(FLAGSHIP),
        *HUMANS,
        "--seed",
        SEED,
        "--turns",
        "3",
        "--out",
        "run",
        "--no-figures",
        stdin="\n".join(TURN_1 + TURN_2 + TURN_3) + "\n",
        cwd=cwd,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return cwd / "run", done.stdout


# ---------------------------------------------------------------- end to end


def test_menu_numbers_used_by_the_piped_game() -> None:
    s = PlaySession(FLAGSHIP, ["china", "united_states"], seed=int(SEED), turns=3)
    assert s.choices("china")[0]["move"] == "arms_control_proposal"
    assert s.choices("united_states")[3]["move"] == "hold"


def test_piped_game_shows_each_perceived_situation_and_menu(straight: tuple[Path, str]) -> None:
    _, out = straight
    for turn in (1, 2, 3):
        assert f"Turn {turn} of 3 - China (Beijing) decides" in out
        assert f"Turn {turn} of 3 - United States (Washington) decides" in out
    assert "How hostile Beijing believes each state is" in out
    assert "How hostile Washington believes each state is" in out
    assert "Last turn (turn 1), as Beijing read it:" in out
    assert "you read it as" in out
    assert "Your framing believed" in out and "Norms regime" in out
    assert "Moves China may make" in out and "Moves United States may make" in out
    assert "accommodation" in out and "capability announcement" in out  # ladder labels in the menu
    # the invalid inputs were answered, not crashed on
    assert "no move called 'xyz'" in out
    assert "United States may not choose 'sino_russian_md_drill'" in out
    assert "Traceback" not in out
    # undo went back to China
    assert "took back the choice of China (no new signal)" in out
    assert "'New START expires' will fire this turn." in out
    assert "Turn 3 resolved" in out and "The game is over after 3 turns." in out
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "\033[" not in out  # no colour codes when stdout is not a terminal


def test_piped_game_writes_a_run_folder_with_human_moves_marked(
    straight: tuple[Path, str],
) -> None:
    run, _ = straight
    assert (run / "manifest.json").is_file() and (run / "transcript.md").is_file()
    manifest = json.loads((run / "manifest.json").read_text())
    assert manifest["command"][:2] == ["sim", "play"] and manifest["seed"] == int(SEED)
    assert "play.json" in manifest["outputs"]
    assert human_moves(run / "events.csv") == EXPECTED
    injects = {(int(r["turn"]), r["inject"]) for r in rows(run / "injects.csv")}
    assert (2, "new_start_expires") in injects
    assert (1, "new_start_expires") not in injects and (3, "new_start_expires") not in injects
    saved = json.loads((run / "play.json").read_text())
    assert saved["inputs"][1]["injects"] == ["new_start_expires"]
    assert "## Played by people" in (run / "transcript.md").read_text()


def test_moves_file_replays_to_identical_events(straight: tuple[Path, str], tmp_path: Path) -> None:
    run, _ = straight
    done = play(
        str(FLAGSHIP),
        *HUMANS,
        "--seed",
        SEED,
        "--turns",
        "3",
        "--moves",
        str(MOVES),
        "--out",
        "scripted",
        "--no-figures",
        stdin="",  # no prompt may be read
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "China>" not in done.stdout and "instructor>" not in done.stdout
    assert (tmp_path / "scripted" / "events.csv").read_bytes() == (run / "events.csv").read_bytes()
    assert (tmp_path / "scripted" / "injects.csv").read_bytes() == (
        run / "injects.csv"
    ).read_bytes()


def test_save_and_resume_equals_playing_straight(
    straight: tuple[Path, str], tmp_path: Path
) -> None:
    run, _ = straight
    save = tmp_path / "game.json"
    first = play(
        str(FLAGSHIP),
        *HUMANS,
        "--seed",
        SEED,
        "--turns",
        "3",
        "--save",
        save.name,
        "--no-figures",
        stdin="\n".join([*TURN_1, *TURN_2, "quit"]) + "\n",
        cwd=tmp_path,
    )
    assert first.returncode == 0, first.stderr + first.stdout
    assert f"Game saved after turn 2 to {save.name}" in first.stdout
    assert not (tmp_path / "runs").exists()  # quit without --finish writes no run folder
    data = json.loads(save.read_text())
    assert data["seed"] == int(SEED) and data["turns"] == 3
    assert data["humans"] == ["china", "united_states"] and len(data["inputs"]) == 2
    assert not list(tmp_path.glob(".game.json.*"))  # no temp file left behind

    second = play(
        "--resume",
        str(save),
        "--out",
        "resumed",
        "--no-figures",
        stdin="\n".join(TURN_3) + "\n",
        cwd=tmp_path,
    )
    assert second.returncode == 0, second.stderr + second.stdout
    assert "Resuming after turn 2." in second.stdout
    assert "Turn 1 of 3" not in second.stdout
    assert (tmp_path / "resumed" / "events.csv").read_bytes() == (run / "events.csv").read_bytes()


def test_quit_finish_writes_the_turns_played(tmp_path: Path) -> None:
    done = play(
        str(FLAGSHIP),
        "--human",
        "china",
        "--seed",
        SEED,
        "--turns",
        "5",
        "--out",
        "early",
        "--no-figures",
        stdin="hold\n\nquit --finish\n",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert {int(r["turn"]) for r in rows(tmp_path / "early" / "events.csv")} == {1}
    assert (tmp_path / f"play-dec2025_joint_drill-seed{SEED}.json").is_file()


def test_bad_moves_file_names_turn_and_actor(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("1: {china: hold, united_states: hold}\n2: {china: warp_drive}\n")
    done = play(str(FLAGSHIP), *HUMANS, "--turns", "3", "--moves", str(bad), cwd=tmp_path)
    assert done.returncode == 2
    assert "turn 2, china" in done.stderr and "warp_drive" in done.stderr
    assert "Traceback" not in done.stderr
    missing = tmp_path / "missing.yaml"
    missing.write_text("1: {china: hold}\n")
    done = play(str(FLAGSHIP), *HUMANS, "--turns", "3", "--moves", str(missing), cwd=tmp_path)
    assert done.returncode == 2 and "turn 1, united_states: no move given" in done.stderr


def test_unknown_actor_and_existing_save_exit_2(tmp_path: Path) -> None:
    done = play(str(FLAGSHIP), "--human", "atlantis", cwd=tmp_path)
    assert done.returncode == 2 and "no actor called 'atlantis'" in done.stderr
    (tmp_path / "taken.json").write_text('{"format": "sim-play/2"}')  # a save file's marker
    done = play(str(FLAGSHIP), "--human", "china", "--save", "taken.json", cwd=tmp_path)
    assert done.returncode == 2 and "already holds a saved game" in done.stderr


# ---------------------------------------------------------------- the session


def test_human_move_overrides_the_policy() -> None:
    base = EscalationModel(FLAGSHIP, rng=3, turns=2, collect=False)
    record = base.play()
    c = base.compiled
    j = c.index["japan"]
    policy_move = c.move_ids[int(record.move[j])]
    session = PlaySession(FLAGSHIP, ["japan"], seed=3, turns=2)
    other = next(ch["move"] for ch in session.choices("japan") if ch["move"] != policy_move)
    assert session.choose("japan", other) == other
    played = session.resolve()
    assert c.move_ids[int(played.move[j])] == other != policy_move
    assert played.human == (j,)
    events = session.result().events
    japan = events[(events["turn"] == 1) & (events["sender"] == "japan")]
    assert set(japan["source"]) == {"human"} and set(japan["move"]) == {other}
    others = events[(events["turn"] == 1) & (events["sender"] != "japan")]
    assert "human" not in set(others["source"])


def test_a_move_the_actor_may_not_choose_is_rejected() -> None:
    session = PlaySession(FLAGSHIP, ["japan", "united_states"], seed=3, turns=2)
    with pytest.raises(PlayError, match="Japan may not choose 'golden_dome_announcement'"):
        session.choose("japan", "golden_dome_announcement")
    with pytest.raises(PlayError, match="no move number 99"):
        session.choose("japan", "99")
    with pytest.raises(PlayError, match="could be any of"):
        session.choose("japan", "a")  # arms-control proposal, alliance consultation
    with pytest.raises(PlayError, match="played by the computer"):
        session.choose("russia", "hold")
    with pytest.raises(PlayError, match="still waiting for Japan, United States"):
        session.resolve()
    assert session.waiting() == ["japan", "united_states"]


def test_situation_shows_only_what_the_state_perceived() -> None:
    session = PlaySession(FLAGSHIP, ["china"], seed=5, turns=3)
    first = session.situation("china")
    assert first["own_move"] is None and first["readings"] == []
    assert [d["inject"] for d in first["due"]] == ["december_drill"]
    session.choose("china", "hold")
    record = session.resolve()
    s = session.situation("china")
    i = session.model.compiled.index["china"]
    assert s["turn"] == 2 and s["tension"] == pytest.approx(float(record.tension[i]))
    assert s["own_move"] is not None and s["own_move"]["move"] == "hold"
    for r in s["readings"]:
        j = session.model.compiled.index[r["actor"]]
        if record.seen[i, j]:
            assert r["perceived"] == pytest.approx(float(record.perceived[i, j]))
        else:
            assert r["perceived"] is None and r["move"] is None  # unseen stays unknown
    cred = record.credibility[:, i]
    expected = (cred.sum() - cred[i]) / (len(cred) - 1)
    assert s["credibility"] == pytest.approx(float(expected))
    assert {b["word"] for b in s["beliefs"]} <= {"calm", "wary", "alarmed"}


def test_undo_fire_and_event(tmp_path: Path) -> None:
    session = PlaySession(FLAGSHIP, ["china", "united_states"], seed=5, turns=3)
    assert session.undo() is None
    with pytest.raises(PlayError, match="fires this turn anyway"):
        session.fire("december_drill")  # scheduled for turn 1
    session.choose("china", "hold")
    session.choose("united_states", "hold")
    assert session.fire("2") == "new_start_expires"
    with pytest.raises(PlayError, match="already set to fire"):
        session.fire("new_start")
    move = session.event("russia", 7, "Moscow stages a live-fire drill")
    assert move == "live_fire_drill"  # the only rung-7 move Russia may make
    with pytest.raises(PlayError, match="played by a person"):
        session.event("china", 3, "no")
    with pytest.raises(PlayError, match="whole number"):
        session.event("india", "high", "x")
    assert "event for Russia" in (session.undo() or "")
    assert "new_start_expires" in (session.undo() or "")
    assert "United States" in (session.undo() or "")
    assert session.waiting() == ["united_states"]
    session.choose("united_states", "statement")
    session.event("Russia", 20, "Moscow stages a live-fire drill")
    record = session.resolve()
    c = session.model.compiled
    # Russia's highest move (the testing talk is Washington's alone in this scenario)
    assert c.move_ids[int(record.move[c.index["russia"]])] == "live_fire_drill"
    assert c.index["russia"] in record.human
    path = session.save(tmp_path / "s.json")
    again = PlaySession.load(path)
    assert again.notes() == [
        {
            "turn": 1,
            "actor": "russia",
            "rung": 20,
            "move": "live_fire_drill",
            "text": "Moscow stages a live-fire drill",
            "intended": float(c.intended[c.move_index["live_fire_drill"]]),  # the move's own
            "framed": float(c.intended[c.move_index["live_fire_drill"]]),  # = intended
        }
    ]
    assert again.model.engine.state.tension.tolist() == session.model.engine.state.tension.tolist()


def test_load_rejects_a_changed_or_broken_save(tmp_path: Path) -> None:
    session = PlaySession(FLAGSHIP, ["china"], seed=5, turns=3)
    session.choose("china", "hold")
    session.resolve()
    path = session.save(tmp_path / "s.json")
    data = json.loads(path.read_text())
    data["scenario_sha256"] = "0" * 64
    path.write_text(json.dumps(data))
    with pytest.raises(PlayError, match="has changed since this game was saved"):
        PlaySession.load(path)
    path.write_text("not json")  # sim.files.parse_json words it, with line and column
    with pytest.raises(
        SimError, match=r"s\.json:1:1: not valid JSON .*check that this is the right save file"
    ):
        PlaySession.load(path)
    path.write_text('{"seed": 5}')
    with pytest.raises(SimError, match="not a saved game"):
        PlaySession.load(path)


def test_load_script_accepts_ids_labels_and_numbers(tmp_path: Path) -> None:
    session = PlaySession(FLAGSHIP, ["china", "united_states"], seed=5, turns=3)
    script = load_script(MOVES, session)
    assert {(t, a): m for t, step in script.items() for a, m in step.moves.items()} == EXPECTED
    assert script[2].injects == ["new_start_expires"]
    as_json = tmp_path / "m.json"
    as_json.write_text(
        json.dumps({"1": {"china": 4, "united_states": "hold", "event": "india 3 Delhi consults"}})
    )
    step = load_script(as_json, session)[1]
    assert step.moves == {"china": "hold", "united_states": "hold"}
    assert step.events == [("india", 3, "Delhi consults")]
    with pytest.raises(PlayError, match="turn 4: the game has only 3 turns"):
        as_json.write_text('{"4": {"china": "hold", "united_states": "hold"}}')
        load_script(as_json, session)
    with pytest.raises(PlayError, match="turn 1, russia: not played by a person"):
        as_json.write_text('{"1": {"china": "hold", "united_states": "hold", "russia": "hold"}}')
        load_script(as_json, session)


def test_a_finished_game_also_writes_figures_and_the_report(tmp_path: Path) -> None:
    done = play(
        str(FLAGSHIP),
        *HUMANS,
        "--seed",
        SEED,
        "--turns",
        "3",
        "--moves",
        str(MOVES),
        "--out",
        "with-report",
        stdin="",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    run = tmp_path / "with-report"
    assert (run / "report.html").is_file() and (run / "figures" / "tension.png").is_file()
    assert "Report:" in done.stdout
