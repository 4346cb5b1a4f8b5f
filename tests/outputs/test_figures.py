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
    MISCALCULATION_COLOUR,
    OKABE_ITO,
    TOL_MUTED,
    actor_colours,
    beliefs_figure,
    gap_matrix_figure,
    network_figure,
    rung_heatmap,
    save_figure,
    tension_figure,
    timeline_figure,
)

REPO = Path(__file__).resolve().parents[2]
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
    imported: list[str] = []
    for path in (REPO / "sim" / "outputs" / "figures").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                imported += [f"{node.module}.{a.name}" for a in node.names]
    assert imported
    assert not [name for name in imported if "pyplot" in name]


def test_figures_registry_order() -> None:
    assert list(FIGURES)[:3] == ["tension", "rungs", "perception_gap"]
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
    assert len(fig.legends) == 2  # figure legends outside the axes: actors, then the inject key
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
    # a numbered tag at each inject line, and the key under the plot gives its label in full
    labels = [t for t in fig.axes[0].texts if str(t.get_gid()).startswith("inject-label:")]
    assert [t.get_text() for t in labels] == [str(k) for k in range(1, len(turns) + 1)]
    key = [t.get_text() for t in fig.legends[1].get_texts()]
    start = turns[-1]
    assert key[-1] == f"{len(turns)}  turn {start}: New START expires"
    assert fig.legends[1].get_title().get_text() == "injects (dotted lines)"


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


# ---------------------------------------------------------------- timeline


def _link_arrows(fig: Figure) -> list:
    return [p for p in fig.axes[0].patches if str(p.get_gid()).startswith("link:")]


def test_figures_registry_new_figures_after_existing() -> None:
    assert list(FIGURES)[3:] == ["timeline", "network", "beliefs"]
    assert FIGURES["timeline"] is timeline_figure
    assert FIGURES["network"] is network_figure
    assert FIGURES["beliefs"] is beliefs_figure


def test_timeline_one_arrow_per_link(result: RunResult) -> None:
    links = result.links
    assert len(links) > 10
    fig = timeline_figure(result)
    ax = fig.axes[0]
    arrows = _link_arrows(fig)
    assert len(arrows) == len(links)
    lane = {aid: k for k, aid in enumerate(result.actor_ids)}
    for k, (arrow, row) in enumerate(zip(arrows, links.itertuples(index=False), strict=True)):
        assert arrow.get_gid() == f"link:{k}"
        start, end = arrow._posA_posB  # data coordinates of cause and response
        assert tuple(start) == (row.cause_turn, lane[row.cause_sender])
        assert tuple(end) == (row.turn, lane[row.responder])
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names == [result.scenario.actors[a].name for a in result.actor_ids]
    assert ax.get_xlabel() == "turn"
    assert "action and counteraction" in ax.get_title().replace("\n", " ")


def test_timeline_miscalculations_highlighted(result: RunResult) -> None:
    links = result.links
    expected = int(links["miscalculation"].sum())
    assert 0 < expected < len(links)
    arrows = _link_arrows(timeline_figure(result))
    red = [
        a
        for a in arrows
        if matplotlib.colors.same_color(a.get_edgecolor()[:3], MISCALCULATION_COLOUR)
    ]
    assert len(red) == expected
    for arrow, miscalc in zip(arrows, links["miscalculation"], strict=True):
        is_red = matplotlib.colors.same_color(arrow.get_edgecolor()[:3], MISCALCULATION_COLOUR)
        assert is_red == bool(miscalc)
    ordinary = [a for a in arrows if a not in red]
    assert max(a.get_linewidth() for a in ordinary) < min(a.get_linewidth() for a in red)
    assert max(a.get_alpha() for a in ordinary) < 1.0


def test_timeline_legend_names_threshold(result: RunResult) -> None:
    fig = timeline_figure(result)
    texts = [t.get_text().replace("\n", " ") for legend in fig.legends for t in legend.get_texts()]
    threshold = result.scenario.dynamics.miscalculation_threshold
    assert (
        f"miscalculation: a counter-action to a reading ≥ {threshold:.2f} above what was meant"
        in texts
    )


def test_timeline_legend_follows_scenario_threshold(tmp_path: Path) -> None:
    path = tmp_path / "thr.yaml"
    path.write_text(
        "metadata: {title: T}\nactors: {a: {name: A}, b: {name: B}}\nturns: 2\n"
        "dynamics: {miscalculation_threshold: 0.45}\n",
        encoding="utf-8",
    )
    fig = timeline_figure(_run(path))
    texts = [t.get_text().replace("\n", " ") for legend in fig.legends for t in legend.get_texts()]
    assert "miscalculation: a counter-action to a reading ≥ 0.45 above what was meant" in texts


def test_timeline_markers_for_moves_above_rung_one(result: RunResult) -> None:
    fig = timeline_figure(result)
    ax = fig.axes[0]
    marks = {c.get_gid(): c for c in ax.collections}
    rung, forced = result.arrays.rung, result.arrays.forced
    assert forced.any()
    assert len(marks["moves"].get_offsets()) == int(((rung > 1) & ~forced).sum())
    assert len(marks["forced-moves"].get_offsets()) == int(forced.sum())
    tt, ii = np.nonzero(forced)
    np.testing.assert_array_equal(
        marks["forced-moves"].get_offsets(), np.column_stack([tt + 1, ii])
    )
    # bigger markers for higher rungs
    sizes = marks["moves"].get_sizes()
    values = np.asarray(marks["moves"].get_array())
    assert np.all(np.diff(sizes[np.argsort(values, kind="stable")]) >= 0)
    # lanes in the actors' colours
    colours = actor_colours(result)
    lanes = {ln.get_gid(): ln for ln in ax.get_lines() if str(ln.get_gid()).startswith("lane:")}
    for aid in result.actor_ids:
        assert matplotlib.colors.same_color(lanes[f"lane:{aid}"].get_color(), colours[aid])


# ---------------------------------------------------------------- network


def _network_panels(fig: Figure) -> list:
    return [ax for ax in fig.axes if ax.get_title().startswith("turn ")]


def _collection(ax, gid: str):
    return next(c for c in ax.collections if c.get_gid() == gid)


def test_network_default_turns_and_fixed_positions(result: RunResult) -> None:
    fig = network_figure(result)
    panels = _network_panels(fig)
    middle = result.turns // 2
    assert [ax.get_title() for ax in panels] == ["turn 0", f"turn {middle}", f"turn {result.turns}"]
    positions = [_collection(ax, "nodes").get_offsets() for ax in panels]
    assert positions[0].shape == (len(result.actor_ids), 2)
    for pos in positions[1:]:
        np.testing.assert_array_equal(pos, positions[0])
    # on a circle, all distinct
    np.testing.assert_allclose(np.hypot(*positions[0].T), 1.0)
    assert len({tuple(np.round(p, 6)) for p in positions[0]}) == len(result.actor_ids)
    # node size by tension at that turn; colour by actor
    tension = result.arrays.tension
    colours = actor_colours(result)
    for ax, turn in zip(panels, (0, middle, result.turns), strict=True):
        nodes = _collection(ax, "nodes")
        sizes = nodes.get_sizes()
        assert np.array_equal(
            np.argsort(sizes, kind="stable"), np.argsort(tension[turn], kind="stable")
        )
        for face, aid in zip(nodes.get_facecolors(), result.actor_ids, strict=True):
            assert matplotlib.colors.same_color(face[:3], colours[aid])
    # deterministic: the same figure twice
    again = _collection(_network_panels(network_figure(result))[0], "nodes").get_offsets()
    np.testing.assert_array_equal(again, positions[0])


def _edges_by_pair(ax, positions: np.ndarray) -> dict[tuple[int, int], tuple[np.ndarray, float]]:
    edges = _collection(ax, "edges")
    out = {}
    for seg, colour, width in zip(
        edges.get_segments(), edges.get_colors(), edges.get_linewidths(), strict=True
    ):
        ends = sorted(int(np.argmin(np.hypot(*(positions - p).T))) for p in seg)
        out[(ends[0], ends[1])] = (colour, float(width))
    return out


def test_network_edges_follow_alignment_and_trust(result: RunResult) -> None:
    turns = [0, result.turns]
    fig = network_figure(result, turns=turns)
    panels = _network_panels(fig)
    assert [ax.get_title() for ax in panels] == [f"turn {t}" for t in turns]
    n = len(result.actor_ids)
    for ax, turn in zip(panels, turns, strict=True):
        positions = _collection(ax, "nodes").get_offsets()
        edges = _edges_by_pair(ax, positions)
        assert len(edges) == n * (n - 1) // 2
        align = result.compiled.alignment if turn == 0 else result.records[turn - 1].alignment
        belief = result.arrays.belief[turn]
        signs = set()
        for (i, j), (colour, _width) in edges.items():
            a = align[i, j]
            red, _, blue = colour[:3]
            if a < 0:
                assert red > blue, (i, j, a)
            elif a > 0:
                assert blue > red, (i, j, a)
            else:
                assert red == pytest.approx(blue)
            signs.add(np.sign(a))
        assert signs >= {-1.0, 1.0}
        # wider edge, more mutual trust
        pairs = sorted(edges)
        trust = np.array([1 - (belief[i, j] + belief[j, i]) / 2 for i, j in pairs])
        widths = np.array([edges[p][1] for p in pairs])
        assert np.array_equal(np.argsort(widths, kind="stable"), np.argsort(trust, kind="stable"))


def test_network_alignment_change_recoloured(tmp_path: Path) -> None:
    path = tmp_path / "flip.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            metadata: {title: Flip}
            turns: 2
            actors:
              a: {name: A}
              b: {name: B}
            relationships:
              a:
                b: {alignment: 0.6}
            injects:
              split:
                label: Split
                when: {turn: 2}
                effects:
                  - alignment: {between: [a, b], set: -0.6}
            """
        ),
        encoding="utf-8",
    )
    run = _run(path)
    assert run.records[1].alignment[0, 1] == pytest.approx(-0.6)
    panels = _network_panels(network_figure(run, turns=[0, 2]))
    before = _collection(panels[0], "edges").get_colors()[0]
    after = _collection(panels[1], "edges").get_colors()[0]
    assert before[2] > before[0]  # partners: blue
    assert after[0] > after[2]  # rivals: red


def test_network_rejects_turn_out_of_range(result: RunResult) -> None:
    with pytest.raises(ValueError):
        network_figure(result, turns=[result.turns + 1])
    with pytest.raises(ValueError):
        network_figure(result, turns=[])


# ---------------------------------------------------------------- beliefs


def test_beliefs_lines_equal_arrays(result: RunResult) -> None:
    observer = "united_states"
    i = result.actor_ids.index(observer)
    fig = beliefs_figure(result, observer)
    top, bottom = fig.axes[:2]
    belief = {ln.get_gid(): ln for ln in top.get_lines() if str(ln.get_gid()).startswith("belief:")}
    cred = {
        ln.get_gid(): ln
        for ln in bottom.get_lines()
        if str(ln.get_gid()).startswith("credibility:")
    }
    others = [a for a in result.actor_ids if a != observer]
    assert sorted(belief) == sorted(f"belief:{a}" for a in others)
    assert sorted(cred) == sorted(f"credibility:{a}" for a in others)
    colours = actor_colours(result)
    x = np.arange(result.turns + 1)
    for aid in others:
        j = result.actor_ids.index(aid)
        line = belief[f"belief:{aid}"]
        np.testing.assert_array_equal(line.get_xdata(), x)
        np.testing.assert_array_equal(line.get_ydata(), result.arrays.belief[:, i, j])
        assert matplotlib.colors.same_color(line.get_color(), colours[aid])
        assert line.get_label() == result.scenario.actors[aid].name
        dashed = cred[f"credibility:{aid}"]
        np.testing.assert_array_equal(dashed.get_ydata(), result.arrays.credibility[:, i, j])
        # the actor's own style in both panels
        assert dashed.get_linestyle() == line.get_linestyle()
        assert dashed.get_marker() == line.get_marker()
        assert matplotlib.colors.same_color(dashed.get_color(), colours[aid])
    assert top.get_ylim() == (0.0, 1.0)
    assert bottom.get_ylim() == (0.0, 1.0)
    assert bottom.get_xlabel() == "turn"
    assert top.get_shared_x_axes().joined(top, bottom)
    assert "United States" in top.get_title()


def test_beliefs_default_observer_highest_peak_tension(result: RunResult) -> None:
    peak = result.arrays.tension.max(axis=0)
    observer = result.actor_ids[int(np.argmax(peak))]
    fig = beliefs_figure(result)
    name = result.scenario.actors[observer].name
    assert name in fig.axes[0].get_title()
    gids = {ln.get_gid() for ln in fig.axes[0].get_lines()}
    assert f"belief:{observer}" not in gids
    assert len([g for g in gids if str(g).startswith("belief:")]) == len(result.actor_ids) - 1


def test_beliefs_rejects_unknown_observer(result: RunResult) -> None:
    with pytest.raises(ValueError):
        beliefs_figure(result, "atlantis")


# ---------------------------------------------------------------- new figures, small and saved


def test_new_figures_two_actors_one_turn(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(
        "metadata: {title: T}\nactors: {a: {name: A}, b: {name: B}}\nturns: 1\n",
        encoding="utf-8",
    )
    run = _run(path)
    assert run.turns == 1 and len(run.links) == 0
    timeline = timeline_figure(run)
    assert _link_arrows(timeline) == []
    panels = _network_panels(network_figure(run))
    assert [ax.get_title() for ax in panels] == ["turn 0", "turn 1"]
    beliefs = beliefs_figure(run, "a")
    (line,) = [ln for ln in beliefs.axes[0].get_lines() if ln.get_gid() == "belief:b"]
    np.testing.assert_array_equal(line.get_ydata(), run.arrays.belief[:, 0, 1])
    for name, fig in (
        ("timeline", timeline),
        ("network", network_figure(run)),
        ("beliefs", beliefs),
    ):
        paths = save_figure(fig, tmp_path / "figures", name)
        assert all(p.stat().st_size > 1000 for p in paths)


def test_save_figure_restores_layout_engine(result: RunResult, tmp_path: Path) -> None:
    # the layout runs for the first format only; the engine is switched back on afterwards
    fig = timeline_figure(result)
    engine = fig.get_layout_engine()
    paths = save_figure(fig, tmp_path, "timeline")
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert fig.get_layout_engine() is engine
