"""Figures for projection: line styles, text sizes, labels inside the image, focus, observer."""

from __future__ import annotations

import itertools
import json
import textwrap
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from sim.cli.main import main
from sim.model.mesa_model import EscalationModel
from sim.model.results import RunResult
from sim.outputs.figures import (
    DASHES,
    FIGURES,
    MARKERS,
    OKABE_ITO,
    PROJECTION_MIN,
    FigureFocus,
    UnknownActor,
    actor_colours,
    actor_styles,
    beliefs_figure,
    focus_from_manifest,
    focused,
    gap_matrix_figure,
    network_figure,
    rung_heatmap,
    save_figure,
    tension_figure,
    timeline_figure,
)
from sim.outputs.figures.timeline import MAX_ARROWS, drawn_links
from sim.outputs.run_folder import render_figures
from tests.conftest import FLAGSHIP

# a root seed no note mentions
SEED = 4711


@pytest.fixture(scope="module")
def result() -> RunResult:
    return EscalationModel(FLAGSHIP, rng=SEED, collect=False).run()


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _labelled_lines(fig: Figure, ax_index: int = 0) -> list[Line2D]:
    """Lines with a legend label (Matplotlib's own start with '_')."""
    return [ln for ln in fig.axes[ax_index].get_lines() if not str(ln.get_label()).startswith("_")]


def _texts(fig: Figure) -> list[Text]:
    """Every visible, non-empty text artist of the figure (titles, ticks, legends, labels)."""
    return [
        t
        for t in fig.findobj(Text)
        if isinstance(t, Text) and t.get_visible() and t.get_text().strip()
    ]


# ---------------------------------------------------------------- one style per actor


def _twelve(tmp_path: Path, colour: str | None = None) -> RunResult:
    lines = [f"  a{k}: {{name: Actor {k}}}" for k in range(12)]
    if colour is not None:
        lines[3] = f"  a3: {{name: Actor 3, colour: '{colour}'}}"
    text = "metadata: {title: Twelve}\nturns: 2\nactors:\n" + "\n".join(lines) + "\n"
    return EscalationModel(_write(tmp_path, text), rng=1, collect=False).run()


def test_twelve_actors_get_distinct_colour_dash_pairs(tmp_path: Path) -> None:
    run = _twelve(tmp_path)
    styles = actor_styles(run)
    assert list(styles) == run.actor_ids
    pairs = [(s.colour, s.dash) for s in styles.values()]
    assert len(set(pairs)) == 12
    # a black-and-white print: (dash, marker) alone separates all twelve
    assert len({(str(s.dash), s.marker) for s in styles.values()}) == 12
    # neighbours in the legend never share a dash or a marker
    ordered = list(styles.values())
    for one, two in itertools.pairwise(ordered):
        assert one.dash != two.dash and one.marker != two.marker
    assert [s.dash for s in ordered[:6]] == list(DASHES)
    assert [s.marker for s in ordered[:7]] == list(MARKERS)


def test_scenario_colour_still_wins_and_dash_follows_position(tmp_path: Path) -> None:
    run = _twelve(tmp_path, colour="#123456")
    styles = actor_styles(run)
    assert styles["a3"].colour == "#123456"
    assert styles["a3"].dash == DASHES[3]
    assert styles["a0"].colour == OKABE_ITO[0]
    assert {s.colour for s in styles.values()} == set(actor_colours(run).values())


def test_tension_lines_carry_each_actors_style(result: RunResult) -> None:
    fig = tension_figure(result)
    styles = actor_styles(result)
    lines = _labelled_lines(fig)
    assert len(lines) == len(result.actor_ids)
    for aid, line in zip(result.actor_ids, lines, strict=True):
        assert line.get_gid() == f"actor:{aid}"
        assert matplotlib.colors.same_color(line.get_color(), styles[aid].colour)
        assert line.get_marker() == styles[aid].marker
        assert line.get_markevery() == (0, 4)  # a marker every 4 turns, not at every point
        # solid for the first actor, a dash pattern of its own for the others
        assert line.get_linestyle() == ("-" if styles[aid].dash == "-" else "--")
    assert len({str(styles[aid].dash) for aid in result.actor_ids[:6]}) == 6


# ---------------------------------------------------------------- text for projection


@pytest.mark.parametrize("name", list(FIGURES))
def test_every_text_is_at_least_14_points(result: RunResult, name: str) -> None:
    fig = FIGURES[name](result)
    sizes = {t.get_text(): t.get_fontsize() for t in _texts(fig)}
    assert sizes
    small = {text: size for text, size in sizes.items() if size < PROJECTION_MIN}
    assert small == {}
    assert PROJECTION_MIN == 14


def test_long_labels_stay_inside_the_saved_image(tmp_path: Path) -> None:
    long_name = "The Extraordinarily Long-Named Coalition of Northern Maritime Provinces"
    hostile = (
        "An extremely long and hostile inject label that goes on, naming every grievance, "
        "ultimatum and deadline so that no plot could hold it on one line " * 3
    )
    path = _write(
        tmp_path,
        f"""\
        metadata: {{title: "A long title that keeps going well past one line of a projected slide"}}
        turns: 6
        actors:
          a: {{name: "{long_name}"}}
          b: {{name: B}}
          c: {{name: Cfederationofseventeenverylongunbrokenwordsthatneverends}}
        injects:
          hostile:
            label: "{hostile}"
            when: {{turn: 2}}
            effects: [{{alignment: {{between: [a, b], set: -0.6}}}}]
          second:
            label: Anotherverylongunbrokenwordwithoutspacesthatcannotbewrappedanywhereatall
            when: {{turn: 3}}
            effects: [{{alignment: {{between: [b, c], set: -0.6}}}}]
        """,
    )
    run = EscalationModel(path, rng=SEED, collect=False).run()
    for name, draw in FIGURES.items():
        fig = draw(run)
        fig.draw_without_rendering()  # runs the layout
        box = fig.bbox
        checked = 0
        for text in _texts(fig):
            extent = text.get_window_extent()
            if not np.isfinite([extent.x0, extent.x1, extent.y0, extent.y1]).all():
                continue  # a tick outside the axis range: not drawn
            inside = (
                extent.x0 >= box.x0 - 1
                and extent.x1 <= box.x1 + 1
                and extent.y0 >= box.y0 - 1
                and extent.y1 <= box.y1 + 1
            )
            assert inside, f"{name}: {text.get_text()!r} at {extent} outside {box}"
            checked += 1
        assert checked > 5
    # the inject's label is in the tension figure's key in full words, wrapped, not cut mid-word
    key = "\n".join(t.get_text() for t in tension_figure(run).legends[1].get_texts())
    assert "1  turn 2: An extremely long and hostile inject label" in key
    assert max(len(line) for line in key.splitlines()) <= 64 + len("1  turn 2: ")
    assert key.count("…") == 1  # the hostile label is cut after three lines


# ---------------------------------------------------------------- fewer arrows


def test_timeline_draws_at_most_30_arrows_every_miscalculation_first() -> None:
    run = EscalationModel(FLAGSHIP, rng=11, turns=60, collect=False).run()
    assert len(run.links) == 57  # more than a projected figure can show
    picked, eligible = drawn_links(run, list(range(len(run.actor_ids))))
    assert eligible == 57
    assert len(picked) == MAX_ARROWS == 30
    links = run.links
    misses = set(np.flatnonzero(links["miscalculation"].to_numpy()))
    assert misses and misses <= set(picked)
    fig = timeline_figure(run)
    arrows = [p for p in fig.axes[0].patches if str(p.get_gid()).startswith("link:")]
    assert sorted(int(str(a.get_gid()).split(":")[1]) for a in arrows) == picked
    title = fig.legends[0].get_title().get_text().replace("\n", " ")
    assert title.startswith("arrows: 30 of 57 counter-actions (every miscalculation")


# ---------------------------------------------------------------- focus


def test_focus_filters_the_plotted_lines(result: RunResult) -> None:
    focus = ["russia", "Japan"]  # an id and a display name
    fig = tension_figure(result, focus=focus)
    lines = _labelled_lines(fig)
    assert [ln.get_gid() for ln in lines] == ["actor:russia", "actor:japan"]
    assert len(_labelled_lines(tension_figure(result))) == len(result.actor_ids) == 9
    # the focus in effect reaches every figure without an argument
    with focused(FigureFocus(("russia", "japan", "china"))):
        assert len(_labelled_lines(tension_figure(result))) == 3
        assert rung_heatmap(result).axes[0].get_images()[0].get_array().shape[0] == 3
        gap = gap_matrix_figure(result).axes[0].get_images()[0].get_array()
        assert gap.shape == (3, 3)
        lanes = [ln for ln in timeline_figure(result).axes[0].get_lines() if ln.get_gid()]
        assert sorted(str(ln.get_gid()) for ln in lanes if str(ln.get_gid()).startswith("lane"))[
            :3
        ] == ["lane:china", "lane:japan", "lane:russia"]
        labels = {t.get_text() for t in network_figure(result).axes[0].texts}
        assert labels == {"China", "Russia", "Japan"}
    assert len(_labelled_lines(tension_figure(result))) == 9  # restored after the block


def test_timeline_focus_keeps_only_links_between_focus_actors(result: RunResult) -> None:
    keep = ["china", "russia", "united_states"]
    fig = timeline_figure(result, focus=keep)
    arrows = [p for p in fig.axes[0].patches if str(p.get_gid()).startswith("link:")]
    links = result.links
    between = links["cause_sender"].isin(keep) & links["responder"].isin(keep)
    assert len(arrows) == int(between.sum())
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "China",
        "Russia",
        "United States",
    ]


def test_unknown_focus_actor_is_refused_with_a_suggestion(result: RunResult) -> None:
    with pytest.raises(UnknownActor, match="did you mean 'japan'"):
        tension_figure(result, focus=["jpan"])


def test_run_folder_figures_follow_the_focus(result: RunResult, tmp_path: Path) -> None:
    focus = FigureFocus(("china", "russia"), observer="japan")
    with focused(focus):
        render_figures(result, tmp_path / "focused")
    render_figures(result, tmp_path / "all")
    direct = save_figure(
        tension_figure(result, focus=["china", "russia"]), tmp_path / "direct", "tension", ("png",)
    )[0]
    made = (tmp_path / "focused" / "tension.png").read_bytes()
    assert made == direct.read_bytes()  # the figure workers drew with the focus
    assert made != (tmp_path / "all" / "tension.png").read_bytes()


# ---------------------------------------------------------------- observer


def test_observer_choice_changes_the_beliefs_figure(result: RunResult) -> None:
    default = beliefs_figure(result)
    peak = result.arrays.tension.max(axis=0)
    tense = result.actor_ids[int(np.argmax(peak))]
    tense_name = result.scenario.actors[tense].name
    title = default.axes[0].get_title().replace("\n", " ")
    assert f"what {tense_name} believes (the most tense actor, peak tension" in title
    assert f"{float(peak.max()):.2f})" in title
    other = next(a for a in ("japan", "india") if a != tense)
    chosen = beliefs_figure(result, observer=other)
    title = chosen.axes[0].get_title().replace("\n", " ")
    name = result.scenario.actors[other].name
    assert f"what {name} believes (chosen with --observer)" in title
    gids = {ln.get_gid() for ln in _labelled_lines(chosen)}
    assert f"belief:{other}" not in gids and f"belief:{tense}" in gids
    i, j = result.actor_ids.index(other), result.actor_ids.index(tense)
    line = next(ln for ln in _labelled_lines(chosen) if ln.get_gid() == f"belief:{tense}")
    np.testing.assert_array_equal(line.get_ydata(), result.arrays.belief[:, i, j])


def test_default_observer_is_most_tense_in_focus(result: RunResult) -> None:
    peak = result.arrays.tension.max(axis=0)
    keep = ["japan", "india", "australia"]
    expected = max(keep, key=lambda a: peak[result.actor_ids.index(a)])
    fig = beliefs_figure(result, focus=keep)
    title = fig.axes[0].get_title().replace("\n", " ")
    name = result.scenario.actors[expected].name
    assert f"what {name} believes (the most tense actor in focus" in title
    assert len(_labelled_lines(fig)) == 2


# ---------------------------------------------------------------- the command line


def test_unknown_focus_actor_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    code = main(["run", "--turns", "2", "--no-figures", "--out", str(out), "--focus", "chna"])
    assert code == 2
    assert "--focus: no actor 'chna'; did you mean 'china'?" in capsys.readouterr().err
    assert not out.exists()
    code = main(["run", "--turns", "2", "--no-figures", "--out", str(out), "--observer", "rusia"])
    assert code == 2
    assert "did you mean 'russia'?" in capsys.readouterr().err
    assert main(["run", "--turns", "2", "--out", str(out), "--focus", " , "]) == 2


def test_focus_is_recorded_in_the_manifest(tmp_path: Path) -> None:
    out = tmp_path / "run"
    argv = ["run", "--turns", "2", "--no-figures", "--out", str(out), "--quiet"]
    code = main([*argv, "--focus", "china,United States", "--observer", "japan"])
    assert code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    focus = focus_from_manifest(manifest)
    assert focus == FigureFocus(("china", "united_states"), "japan")
    assert focus_from_manifest({"figures": {"focus": ["a"], "observer": None}}) == FigureFocus(
        ("a",)
    )
    assert focus_from_manifest({"command": ["sim", "run", "--focus=a,b"]}).actors == ("a", "b")
    assert focus_from_manifest({}) == FigureFocus()


# ---------------------------------------------------------------- multi-run charts


def test_multi_run_series_differ_in_dash_and_read_at_14_points() -> None:
    from sim.outputs import style

    rng = np.random.default_rng(SEED)
    paths = rng.uniform(0, 1, (20, 8))
    fig, ax = style.chart()
    x = np.arange(paths.shape[1])
    q = style.quantiles(paths)
    for colour, label in ((style.FIRST, "A"), (style.SECOND, "B"), (style.THIRD, "C")):
        style.median(ax, x, q, colour, label=label)
    style.finish(ax, "turn", "mean tension (0–1)", "A vs B vs C", unit_range=True)
    assert [ln.get_linestyle() for ln in ax.get_lines()] == ["-", "--", "-."]
    fig.draw_without_rendering()
    small = {t.get_text(): t.get_fontsize() for t in _texts(fig) if t.get_fontsize() < 14}
    assert small == {}
