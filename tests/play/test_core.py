"""Play mode has one core: the terminal and the browser play the same game object.

* the dashboard's game is a :class:`~sim.play.core.PlaySession`, and a turn
  played there has the same summary as the same turn played at the terminal;
* one seed rule (:func:`~sim.play.core.play_seed`) for both faces;
* the live figures are the figure catalogue's dashboard figures, and the
  dashboard's sliders name posture fields of the schema;
* the core imports no face and no plotting library, and no module of play mode
  imports ``sim.cli`` (no cycle with the command line);
* ``free_choice`` (the browser's way of playing) and the terminal's own
  ``main`` behave as documented.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from sim.play.core import PlaySession, play_seed
from sim.play.shapes import PlayError
from tests.conftest import FLAGSHIP, REPO

PLAY = REPO / "sim" / "play"
DASHBOARD = REPO / "sim" / "dashboard"
FACES = ("terminal", "screens", "arguments")
"""Modules of sim.play that make up the terminal face (the rest is the core)."""


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _top_level_imports(path: Path) -> set[str]:
    """The modules ``path`` imports when it is imported (not inside functions or TYPE_CHECKING)."""
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


# ---------------------------------------------------------------- layering


@pytest.mark.parametrize("path", sorted(PLAY.glob("*.py")), ids=lambda p: p.name)
def test_play_mode_never_imports_the_command_line_or_the_dashboard(path: Path) -> None:
    wrong = sorted(
        m
        for m in _imports(path)
        if m.split(".")[:2] in (["sim", "cli"], ["sim", "dashboard"]) or m == "sim.cli"
    )
    assert not wrong, f"{path.name} imports {wrong}"


@pytest.mark.parametrize(
    "path",
    sorted(p for p in PLAY.glob("*.py") if p.stem not in FACES),
    ids=lambda p: p.name,
)
def test_the_core_imports_no_plotting_library_when_imported(path: Path) -> None:
    heavy = sorted(m for m in _top_level_imports(path) if m.split(".")[0] in ("matplotlib",))
    assert not heavy, f"{path.name} imports {heavy} at import"
    drawing = sorted(m for m in _top_level_imports(path) if m.startswith("sim.outputs.figures"))
    assert not drawing, f"{path.name} imports {drawing} at import"


def test_importing_the_core_and_the_terminal_loads_no_face_and_no_plotting() -> None:
    code = (
        "import sys, sim.play.core, sim.play.terminal, sim.play.session\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('matplotlib', 'sim.cli', "
        "'sim.dashboard', 'solara')))\n"
        "print(bad)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "path", sorted([*PLAY.glob("*.py"), *DASHBOARD.glob("*.py")]), ids=lambda p: p.name
)
def test_modules_stay_small(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 500


# ---------------------------------------------------------------- one game, two faces


def test_the_dashboard_plays_the_same_game_with_the_same_summary() -> None:
    pytest.importorskip("solara")  # sim.dashboard needs its extra only for the page
    from sim.dashboard.session import Session

    tab = Session({"flagship": FLAGSHIP}, "flagship", seed=5)
    assert isinstance(tab.game, PlaySession)
    terminal = PlaySession(FLAGSHIP, ["china"], seed=5)
    assert (tab.seed, tab.turns) == (terminal.seed, terminal.turns)

    terminal.choose("china", "hold")
    terminal.fire("new_start_expires")
    at_terminal = terminal.summary(terminal.resolve())
    tab.choose_move("china", "hold")
    tab.fire_inject("new_start_expires")
    tab.fire_inject("new_start_expires")  # asked twice, fired once
    in_browser = tab.step()
    assert in_browser == at_terminal
    china = next(m for m in at_terminal["moves"] if m["actor"] == "china")
    assert (china["source"], china["by"]) == ("human", "player")
    assert {m["by"] for m in at_terminal["moves"] if m["actor"] != "china"} <= {
        "computer",
        "scenario",
    }


def test_one_seed_rule_for_both_faces(small: Path) -> None:
    pytest.importorskip("solara")
    from sim.dashboard.session import Session

    no_seed = small.with_name("no_seed.yaml")
    no_seed.write_text(small.read_text().replace("seed: 5\n", ""), encoding="utf-8")
    assert PlaySession(small, []).seed_source == "scenario"
    assert Session({"s": small}, "s").seed == PlaySession(small, []).seed == 5
    game = PlaySession(no_seed, [])
    assert game.seed_source == "generated" and 0 <= game.seed < 2**63
    tab = Session({"s": no_seed, "t": small}, "s")
    seed = tab.seed
    tab.select("t")
    assert tab.seed == seed  # the tab keeps its seed across scenarios
    with pytest.raises(PlayError, match="between 0 and 2"):
        tab.reset(-1)
    with pytest.raises(PlayError, match="between 0 and 2"):
        play_seed(2**63, game.spec)


def test_live_figures_are_the_catalogues_dashboard_figures() -> None:
    from sim.outputs.figures import DASHBOARD, figures_for
    from sim.play.figures import live_figures, live_pngs

    expected = {spec.name: spec.alt for spec in figures_for(DASHBOARD)}
    assert live_figures() == expected and expected
    game = PlaySession(FLAGSHIP, [], seed=3, turns=2)
    game.resolve()
    pngs = live_pngs(game.result())
    assert list(pngs) == list(expected)
    assert all(png.startswith(b"\x89PNG") for png in pngs.values())


def test_the_sliders_name_posture_fields_of_the_schema() -> None:
    pytest.importorskip("solara")
    from sim.dashboard.session import POSTURE_FIELDS
    from sim.scenario.schema import Posture

    assert set(POSTURE_FIELDS) <= set(Posture.model_fields)


# ---------------------------------------------------------------- free choice


def test_free_choice_lets_a_person_take_any_state_for_one_turn() -> None:
    fixed = PlaySession(FLAGSHIP, [], seed=5, turns=3)
    with pytest.raises(PlayError, match="played by the computer"):
        fixed.choose("russia", "hold")
    game = PlaySession(FLAGSHIP, [], seed=5, turns=3, free_choice=True)
    assert game.waiting() == []  # nobody has to choose
    game.choose("russia", "hold")
    game.choose("china", "hold")
    with pytest.raises(PlayError, match="played by a person"):
        game.event("russia", 4, "a drill")
    assert game.unchoose("russia") and not game.unchoose("russia")
    assert "China" in (game.undo() or "")  # the steps stay in step with the choices
    assert game.undo() is None
    game.choose("china", "hold")
    summary = game.summary(game.resolve())
    by = {m["actor"]: m["by"] for m in summary["moves"]}
    assert by["china"] == "player" and by["russia"] != "player"
    assert [h["actor"] for h in summary["humans"]] == ["china"]
    assert game.pending().moves == {}  # a choice lasts one turn


# ---------------------------------------------------------------- the terminal on its own


def _terminal(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from sim.play.terminal import main; raise SystemExit(main())",
            *args,
        ],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PYTHONPATH": str(REPO), "MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"},
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_the_terminal_main_refuses_bad_arguments_as_sim_does(tmp_path: Path) -> None:
    done = _terminal(str(FLAGSHIP), "--human", "china", "--seed", "x", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "not a whole number: 'x'" in done.stderr and "sim play --help" in done.stderr
    done = _terminal(str(FLAGSHIP), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("sim: name at least one state to play: --human ACTOR")
    assert not list(tmp_path.iterdir())
