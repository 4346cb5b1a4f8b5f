"""The figure catalogue: one entry per figure module, read by run folders, report and dashboard."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import sim
from sim.outputs import figures
from sim.outputs.figures import (
    CATALOGUE,
    DASHBOARD,
    FIGURES,
    REPORT,
    RUN_FOLDER,
    CatalogueError,
    FigureSpec,
    catalogue_entry,
    figure_notes,
    figures_for,
)
from sim.outputs.figures._catalogue import discover

REPO = Path(__file__).resolve().parents[2]
PACKAGE = Path(figures.__file__).parent
SCENARIO = REPO / "scenarios" / "richardson_stable.yaml"

NEW_FIGURE = '''\
"""A figure added by a test: the mean tension of all actors, turn by turn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.outputs.figures._catalogue import REPORT, RUN_FOLDER, FigureSpec

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def mean_tension_figure(result) -> Figure:
    """Draw the mean tension over actors."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3))
    fig.add_subplot().plot(result.arrays.tension.mean(axis=1))
    return fig


FIGURE = FigureSpec(
    name="mean_tension",
    title="Mean tension",
    caption="The mean tension of all actors, turn by turn.",
    look_for="Look for the turn it peaks.",
    draw=mean_tension_figure,
    outputs=frozenset({RUN_FOLDER, REPORT}),
)
'''


# ---------------------------------------------------------------- the catalogue itself


def test_catalogue_names_and_order() -> None:
    names = [spec.name for spec in CATALOGUE]
    assert names == ["tension", "rungs", "perception_gap", "timeline", "network", "beliefs"]
    assert list(FIGURES) == [spec.stem for spec in figures_for(RUN_FOLDER)]
    assert all(FIGURES[spec.stem] is spec.draw for spec in figures_for(RUN_FOLDER))


def test_every_entry_is_complete() -> None:
    for spec in CATALOGUE:
        assert callable(spec.draw)
        assert spec.title.strip() and spec.look_for.strip()
        # one sentence: a capital first, one full stop at the end, none before it
        assert spec.caption[0].isupper() and spec.caption.endswith(".")
        assert "." not in spec.caption[:-1]
        assert spec.module == f"sim.outputs.figures.{spec.name}"


def test_one_figure_module_per_entry() -> None:
    modules = sorted(p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("_"))
    assert modules == sorted(spec.name for spec in CATALOGUE)


def test_report_notes_come_from_the_catalogue() -> None:
    from sim.outputs import report

    notes = figure_notes()
    assert list(notes) == [spec.stem for spec in figures_for(REPORT)]
    # the report's own table (until it reads figure_notes) says the same
    assert getattr(report, "FIGURE_NOTES", notes) == notes


def test_dashboard_figures_are_catalogue_figures() -> None:
    live = figures_for(DASHBOARD)
    assert [spec.name for spec in live] == ["tension", "rungs", "perception_gap"]
    assert [spec.alt for spec in live] == [
        "Tension per actor over the turns",
        "Escalation rung of every move, actor by turn",
        "Mean perception gap, observer by sender",
    ]


def test_catalogue_entry_and_unknown_names() -> None:
    assert catalogue_entry("timeline").draw is figures.timeline_figure
    with pytest.raises(ValueError, match="unknown figure 'nope'"):
        catalogue_entry("nope")


def test_sim_figure_takes_the_catalogues_names() -> None:
    result = sim.run(SCENARIO, seed=3, turns=3)
    for spec in figures_for(DASHBOARD):
        assert type(sim.figure(result, spec.name)).__name__ == "Figure"
    with pytest.raises(ValueError, match="unknown figure 'nope'") as raised:
        sim.figure(result, "nope")
    assert CATALOGUE[0].name in str(raised.value)
    with pytest.raises(ValueError, match="unknown output"):
        figures_for("poster")


def test_no_figure_module_imports_pyplot() -> None:
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            assert not [n for n in names if "pyplot" in n], path.name


def _module_level_imports(tree: ast.Module) -> list[str]:
    """Modules a file imports when it is imported (not in a function, not under TYPE_CHECKING)."""
    found: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                break
            if isinstance(inner, ast.Import):
                found += [a.name for a in inner.names]
            elif isinstance(inner, ast.ImportFrom):
                found.append(inner.module or "")
    return found


def test_no_figure_module_imports_matplotlib_when_imported() -> None:
    """Captions are read without the drawing library: draw functions import it themselves."""
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        eager = [m for m in _module_level_imports(tree) if m.split(".")[0] == "matplotlib"]
        assert not eager, f"{path.name} imports {eager} at module level"


def test_captions_are_read_without_importing_matplotlib() -> None:
    check = (
        "import sys\n"
        "from sim.outputs.figures import CATALOGUE, FIGURES, figure_notes, figures_for\n"
        "import sim.outputs.report\n"
        "assert figure_notes() and CATALOGUE and FIGURES and figures_for('dashboard')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# ---------------------------------------------------------------- discovery, in process


def _package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, modules: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    name = f"figpkg_{abs(hash(str(tmp_path))) % 10**8}"
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("")
    for stem, text in modules.items():
        (folder / f"{stem}.py").write_text(textwrap.dedent(text))
    monkeypatch.syspath_prepend(str(root))
    return folder


def _discover(folder: Path) -> tuple[FigureSpec, ...]:
    return discover(folder.name, [str(folder)])


ENTRY = """
from matplotlib.figure import Figure
from sim.outputs.figures._catalogue import FigureSpec
def {name}_figure(result) -> Figure:
    return Figure()
FIGURE = FigureSpec(name="{name}", title="T", caption="C.", look_for="L", draw={draw}{more})
"""


def _entry(name: str, draw: str | None = None, more: str = "") -> str:
    return ENTRY.format(name=name, draw=draw or f"{name}_figure", more=more)


def test_discover_orders_by_order_then_name(tmp_path: Path, monkeypatch) -> None:
    folder = _package(
        tmp_path,
        monkeypatch,
        {"b": _entry("b"), "a": _entry("a"), "c": _entry("c", more=", order=1"), "_help": ""},
    )
    assert [s.name for s in _discover(folder)] == ["c", "a", "b"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_entry("x", draw="None"), "has no draw function"),
        ("def x_figure(result):\n    pass\n", "without a catalogue entry"),
        (_entry("x") + "def extra_figure(r) -> Figure:\n    return Figure()\n", "extra_figure"),
        (_entry("x", more=", outputs={'poster'}"), "unknown outputs"),
        (_entry("x", more=", outputs={'report'}"), "need 'run_folder'"),
        (_entry("x", more=", caption=' '").replace('caption="C.", ', ""), "needs a caption"),
        (_entry("x").replace('name="x"', 'name="Bad name"'), "lower case"),
        ("FIGURE = 'tension'\n", "must be a FigureSpec"),
    ],
    ids=["no-draw", "no-entry", "unlisted", "output", "report-only", "caption", "name", "type"],
)
def test_incomplete_figure_modules_fail_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    folder = _package(tmp_path, monkeypatch, {"ok": _entry("ok"), "x": text})
    with pytest.raises(CatalogueError, match=message):
        _discover(folder)


def test_two_figures_with_one_name_fail(tmp_path: Path, monkeypatch) -> None:
    folder = _package(tmp_path, monkeypatch, {"one": _entry("same"), "two": _entry("same")})
    with pytest.raises(CatalogueError, match="'same' is used twice"):
        _discover(folder)


# ---------------------------------------------------------------- a copy of the package


def _copy_of_sim(tmp_path: Path) -> Path:
    root = tmp_path / "code"
    shutil.copytree(
        Path(sim.__file__).parent, root / "sim", ignore=shutil.ignore_patterns("__pycache__")
    )
    return root


def _python(code_root: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(code_root), "PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_a_new_figure_module_appears_everywhere(tmp_path: Path) -> None:
    code = _copy_of_sim(tmp_path)
    (code / "sim" / "outputs" / "figures" / "mean_tension.py").write_text(NEW_FIGURE)
    check = (
        "import sim\n"
        "from sim.outputs.figures import CATALOGUE, FIGURES, figure_notes\n"
        "assert CATALOGUE[-1].name == 'mean_tension', [s.name for s in CATALOGUE]\n"
        "assert 'mean_tension' in FIGURES and 'mean_tension' in figure_notes()\n"
        f"result = sim.run({str(SCENARIO)!r}, seed=3, turns=4)\n"
        "print(type(sim.figure(result, 'mean_tension')).__name__)\n"
    )
    done = _python(code, "-c", check, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Figure"

    run = tmp_path / "run"
    args = ("-m", "sim", "run", str(SCENARIO), "--seed", "3", "--turns", "4")
    done = _python(code, *args, "--out", str(run), "--report", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (run / "figures").iterdir())
    assert "mean_tension.png" in written and "mean_tension.svg" in written
    assert {f"{s.stem}.png" for s in CATALOGUE} < set(written)
    assert "figures/mean_tension.png" in json.loads((run / "manifest.json").read_text())["outputs"]
    assert 'id="fig-mean-tension"' in (run / "report.html").read_text(encoding="utf-8")


def test_an_entry_without_a_draw_function_stops_the_import(tmp_path: Path) -> None:
    code = _copy_of_sim(tmp_path)
    broken = NEW_FIGURE.replace("draw=mean_tension_figure", "draw=None")
    (code / "sim" / "outputs" / "figures" / "mean_tension.py").write_text(broken)
    done = _python(code, "-c", "import sim.outputs.figures", cwd=tmp_path)
    assert done.returncode != 0
    assert "CatalogueError" in done.stderr
    assert "'mean_tension' has no draw function" in done.stderr
