"""Figures of a run: content, labels, reproducible files, small and large scenarios."""

from __future__ import annotations

import ast
import sys
import textwrap
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

from sim.model.mesa_model import EscalationModel
from sim.model.results import RunResult
from sim.outputs.figures import (
    FIGURES,
    INJECT_LABEL_CHARS,
    OKABE_ITO,
    TOL_MUTED,
    actor_colours,
    gap_matrix_figure,
    rung_heatmap,
    save_figure,
    tension_figure,
)

REPO = Path(__file__).resolve().parent.parent
FLAGSHIP = REPO / "scenarios" / "dec2025_joint_drill.yaml"


@pytest.fixture(scope="module")
def result() -> RunResult:
    return EscalationModel(FLAGSHIP, rng=2025, collect=False).run()


def _run(path: Path, seed: int = 1) -> RunResult:
    return EscalationModel(path, rng=seed, collect=False).run()


def _image(fig: Figure) -> AxesImage:
    images = [im for ax in fig.axes for im in ax.get_images()]
    assert len(images) == 1
    return images[0]


def _actor_lines(fig: Figure) -> list:
    ax = fig.axes[0]
    return [ln for ln in ax.get_lines() if str(ln.get_gid()).startswith("actor:")]


def _inject_lines(fig: Figure) -> list:
    ax = fig.axes[0]
    return [ln for ln in ax.get_lines() if str(ln.get_gid()).startswith("inject:")]


# ---------------------------------------------------------------- module hygiene


def test_module_does_not_import_pyplot() -> None:
    # pyplot would pick a (possibly GUI) backend and keep figures in a global manager
    source = (REPO / "sim" / "outputs" / "figures.py").read_text(encoding="utf-8")
    imported: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported += [f"{node.module}.{a.name}" for a in node.names]
    assert imported
    assert not [name for name in imported if "pyplot" in name]


def test_figures_registry_order() -> None:
    assert list(FIGURES) == ["tension", "rungs", "perception_gap"]
    assert FIGURES["tension"] is tension_figure
    assert FIGURES["rungs"] is rung_heatmap
    assert FIGURES["perception_gap"] is gap_matrix_figure


# ---------------------------------------------------------------- colours


def test_actor_colours_palette_in_actor_order(result: RunResult) -> None:
    colours = actor_colours(result)
    assert list(colours) == result.actor_ids
    palette = OKABE_ITO + TOL_MUTED
    assert list(colours.values()) == list(palette[: len(result.actor_ids)])


def test_actor_colours_scenario_colour_wins(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            metadata: {title: Colours}
            turns: 1
            actors:
              a: {name: A, colour: '#123456'}
              b: {name: B}
              c: {name: C}
            """
        ),
        encoding="utf-8",
    )
    colours = actor_colours(_run(path))
    assert colours == {"a": "#123456", "b": OKABE_ITO[0], "c": OKABE_ITO[1]}


# ---------------------------------------------------------------- tension


def test_tension_figure_lines_equal_tension(result: RunResult) -> None:
    fig = tension_figure(result)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "turn"
    assert ax.get_ylabel() == "tension (0–1)"
    title = ax.get_title().replace("\n", " ")
    assert title.startswith(result.scenario.metadata.title)
    assert title.endswith("— tension per actor")
    assert ax.get_ylim() == (0.0, 1.0)
    lines = _actor_lines(fig)
    assert len(lines) == len(result.actor_ids)
    tension = result.arrays.tension
    colours = actor_colours(result)
    for i, (aid, line) in enumerate(zip(result.actor_ids, lines, strict=True)):
        np.testing.assert_array_equal(line.get_xdata(), np.arange(result.turns + 1))
        np.testing.assert_array_equal(line.get_ydata(), tension[:, i])
        assert line.get_label() == result.scenario.actors[aid].name
        assert matplotlib.colors.same_color(line.get_color(), colours[aid])


def test_tension_legend_outside_with_display_names(result: RunResult) -> None:
    fig = tension_figure(result)
    assert len(fig.legends) == 1  # a figure legend, outside the axes
    assert not fig.axes[0].get_legend()
    texts = [t.get_text() for t in fig.legends[0].get_texts()]
    assert texts == [result.scenario.actors[a].name for a in result.actor_ids]
    # rendered to the right of the plot
    fig.draw_without_rendering()  # runs the constrained layout
    legend_box = fig.legends[0].get_window_extent()
    axes_box = fig.axes[0].get_window_extent()
    assert legend_box.x0 >= axes_box.x1


def test_inject_line_at_each_inject_turn(result: RunResult) -> None:
    assert len(result.injects) > 0
    fig = tension_figure(result)
    lines = _inject_lines(fig)
    turns = sorted({int(t) for t in result.injects["turn"]})
    assert sorted(float(ln.get_xdata()[0]) for ln in lines) == [float(t) for t in turns]
    for ln in lines:
        assert ln.get_linestyle() == ":"
    labels = [t for t in fig.axes[0].texts if str(t.get_gid()).startswith("inject-label:")]
    assert len(labels) == len(turns)
    assert "New START expires" in [t.get_text() for t in labels]
    for t in labels:
        assert t.get_rotation() == 90
        assert len(t.get_text()) <= INJECT_LABEL_CHARS


# ---------------------------------------------------------------- rungs


def test_rung_heatmap_data_and_labels(result: RunResult) -> None:
    fig = rung_heatmap(result)
    assert isinstance(fig, Figure)
    image = _image(fig)
    np.testing.assert_array_equal(np.asarray(image.get_array()), result.arrays.rung.T)
    ax = image.axes
    assert ax.get_xlabel() == "turn"
    assert "escalation rung" in ax.get_title().replace("\n", " ")
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == [result.scenario.actors[a].name for a in result.actor_ids]
    # colour bar: integer ticks 0..top labelled with the ladder's rung names
    bar_ax = next(a for a in fig.axes if a is not ax)
    top = result.compiled.top_rung
    np.testing.assert_array_equal(bar_ax.get_yticks(), np.arange(top + 1))
    ticklabels = [t.get_text() for t in bar_ax.get_yticklabels()]
    ladder = result.scenario.ladder
    assert ladder is not None
    assert ticklabels == [f"{k} {r.label}" for k, r in enumerate(ladder)]
    assert bar_ax.get_ylabel() == "escalation rung"


# ---------------------------------------------------------------- perception gap


def test_gap_matrix_figure_data_and_labels(result: RunResult) -> None:
    fig = gap_matrix_figure(result)
    assert isinstance(fig, Figure)
    image = _image(fig)
    data = image.get_array()
    expected = result.gap_matrix()
    assert np.ma.isMaskedArray(data)
    np.testing.assert_array_equal(np.ma.getmaskarray(data), np.isnan(expected))
    np.testing.assert_array_equal(data.filled(np.nan), expected)
    ax = image.axes
    assert ax.get_xlabel() == "sender"
    assert ax.get_ylabel() == "observer"
    assert ax.get_title() == "red: read as more hostile than meant; blue: less"
    assert "perception gap" in fig.get_suptitle().replace("\n", " ")
    bar_ax = next(a for a in fig.axes if a is not ax)
    assert bar_ax.get_ylabel() == "perceived − intended hostility"
    # centred on zero
    lo, hi = image.norm.vmin, image.norm.vmax
    assert lo == pytest.approx(-hi)
    assert float(image.norm(0.0)) == pytest.approx(0.5)


def test_gap_matrix_cells_annotated(result: RunResult) -> None:
    fig = gap_matrix_figure(result)
    ax = fig.axes[0]
    cells = {t.get_gid(): t.get_text() for t in ax.texts if str(t.get_gid()).startswith("cell:")}
    gap = result.gap_matrix()
    n = gap.shape[0]
    assert len(cells) == n * n
    for i in range(n):
        assert cells[f"cell:{i}:{i}"] == "–"
        for j in range(n):
            if i == j:
                continue
            text = cells[f"cell:{i}:{j}"]
            assert float(text.replace("−", "-")) == pytest.approx(gap[i, j], abs=0.005)
            if round(gap[i, j], 2) > 0:
                assert text.startswith("+")
            elif round(gap[i, j], 2) < 0:
                assert text.startswith("−")


# ---------------------------------------------------------------- saving


def test_save_figure_writes_identical_files(result: RunResult, tmp_path: Path) -> None:
    first = {
        name: save_figure(make(result), tmp_path / "one", name) for name, make in FIGURES.items()
    }
    second = {
        name: save_figure(make(result), tmp_path / "two", name) for name, make in FIGURES.items()
    }
    for name in FIGURES:
        assert [p.name for p in first[name]] == [f"{name}.png", f"{name}.svg"]
        for a, b in zip(first[name], second[name], strict=True):
            assert a.stat().st_size > 1000
            assert a.read_bytes() == b.read_bytes(), a.name
    png = first["tension"][0].read_bytes()
    assert png.startswith(b"\x89PNG")
    assert b"Software" not in png
    svg = first["tension"][1].read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml")
    assert "<dc:date>" not in svg


def test_save_figure_rejects_folder_in_name(result: RunResult, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        save_figure(tension_figure(result), tmp_path, "../escape")


# ---------------------------------------------------------------- sizes of scenario


def test_tiny_two_actor_scenario(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(
        "metadata: {title: T}\nactors: {a: {name: A}, b: {name: B}}\nturns: 1\n",
        encoding="utf-8",
    )
    run = _run(path)
    assert run.turns == 1
    assert len(run.injects) == 0
    for name, make in FIGURES.items():
        fig = make(run)
        assert isinstance(fig, Figure)
        paths = save_figure(fig, tmp_path / "figures", name)
        assert all(p.stat().st_size > 0 for p in paths)
    fig = tension_figure(run)
    assert len(_actor_lines(fig)) == 2
    assert _inject_lines(fig) == []
    np.testing.assert_array_equal(_image(rung_heatmap(run)).get_array(), run.arrays.rung.T)


def test_thirty_actors(tmp_path: Path) -> None:
    actors = "\n".join(f"  a{k}: {{name: Actor number {k}}}" for k in range(30))
    path = tmp_path / "many.yaml"
    path.write_text(f"metadata: {{title: Thirty}}\nturns: 3\nactors:\n{actors}\n", encoding="utf-8")
    run = _run(path)
    colours = actor_colours(run)
    assert len(colours) == 30
    palette = OKABE_ITO + TOL_MUTED
    assert list(colours.values())[: len(palette)] == list(palette)
    fig = tension_figure(run)
    assert len(_actor_lines(fig)) == 30
    heat = rung_heatmap(run)
    assert heat.get_size_inches()[1] > rung_heatmap(_run(FLAGSHIP)).get_size_inches()[1]
    gap = gap_matrix_figure(run)
    assert _image(gap).get_array().shape == (30, 30)
    for name, make in FIGURES.items():
        save_figure(make(run), tmp_path / "figures", name, formats=("png",))


def test_no_turns_played() -> None:
    run = EscalationModel(FLAGSHIP, rng=1, collect=False).result()
    assert run.turns == 0
    for make in FIGURES.values():
        assert isinstance(make(run), Figure)


def test_no_pyplot_figures_created(result: RunResult) -> None:
    before = sys.modules.get("matplotlib.pyplot")
    for make in FIGURES.values():
        make(result)
    if before is not None:  # another test may have imported it; then no figure is managed
        assert before.get_fignums() == []
    else:
        assert "matplotlib.pyplot" not in sys.modules


def test_rung_heatmap_integer_turn_ticks(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text(
        "metadata: {title: T}\nactors: {a: {name: A}, b: {name: B}}\nturns: 1\n",
        encoding="utf-8",
    )
    fig = rung_heatmap(_run(path))
    fig.draw_without_rendering()
    ax = fig.axes[0]
    lo, hi = ax.get_xlim()
    ticks = [t for t in ax.get_xticks() if lo <= t <= hi]
    assert ticks == [1.0]
