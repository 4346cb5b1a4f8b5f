"""The counter-action timeline: who counter-acted whom, turn by turn."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.outputs.figures._catalogue import REPORT, RUN_FOLDER, FigureSpec
from sim.outputs.figures._common import (
    CROWDED,
    CROWDED_SIZE,
    LABEL_SIZE,
    LINK_COLOUR,
    MISCALCULATION_COLOUR,
    SMALL_SIZE,
    TITLE_SIZE,
    WIDTH,
    actor_colours,
    display_names,
    figure_title,
    new_figure,
    no_turns,
    rung_colours,
    rung_labels,
    style_ticks,
    wrap_label,
)
from sim.outputs.figures._view import shown_indices

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.model.results import RunResult


@cache
def _straight() -> type[Any]:
    """The connection style :class:`Straight`, made on first use (importing Matplotlib then)."""
    from matplotlib.patches import ConnectionStyle
    from matplotlib.path import Path as MplPath

    class Straight(ConnectionStyle.Arc3):
        """A straight connection shortened by ``shrinkA``/``shrinkB`` with plain vector maths.

        Matplotlib's own styles clip the path by bisection on Bezier curves, which
        made about a hundred arrows the slowest part of drawing the timeline.
        """

        def __call__(
            self,
            posA: Any,
            posB: Any,
            shrinkA: float = 2.0,
            shrinkB: float = 2.0,
            patchA: Any = None,
            patchB: Any = None,
        ) -> MplPath:
            """Path from ``posA`` to ``posB`` (display coordinates), trimmed at both ends."""
            start = np.asarray(posA, dtype=float)
            end = np.asarray(posB, dtype=float)
            length = float(np.hypot(*(end - start)))
            if length > shrinkA + shrinkB + 1.0:
                unit = (end - start) / length
                start, end = start + unit * shrinkA, end - unit * shrinkB
            return MplPath(np.array([start, end]))

    return Straight


#: The most arrows the timeline draws: more are unreadable when projected.
MAX_ARROWS = 30


def drawn_links(result: RunResult, shown: Sequence[int]) -> tuple[list[int], int]:
    """Which counter-actions the timeline draws as arrows, and how many it could.

    Of the rows of ``result.links`` whose two actors are both shown, every
    miscalculation first, then the counter-actions answered at the highest
    rung (earlier turns first on a tie), at most :data:`MAX_ARROWS` in all.

    Returns:
        ``(row positions in result.links, in table order; rows eligible)``.
    """
    ids = result.actor_ids
    keep = {ids[k] for k in shown}
    rung = result.arrays.rung
    lane = {aid: k for k, aid in enumerate(ids)}
    eligible = []
    for k, row in enumerate(result.links.itertuples(index=False)):
        if row.cause_sender in keep and row.responder in keep:
            answered = int(rung[int(row.turn) - 1, lane[row.responder]])
            eligible.append((not bool(row.miscalculation), -answered, int(row.turn), k))
    eligible.sort()
    return sorted(k for *_, k in eligible[:MAX_ARROWS]), len(eligible)


def timeline_figure(result: RunResult, focus: Sequence[str] | None = None) -> Figure:
    """Draw the counter-action timeline: who counter-acted whom, turn by turn.

    x is the turn (1..T); y has one lane per actor shown (display names, first actor
    at the top), drawn as a faint band in the actor's colour. Every move above
    rung 1 is a circle whose size and colour ('viridis', as in
    :func:`rung_heatmap`, with a rung colour bar) grow with its rung; quieter
    moves are small grey dots. Moves an inject or a person chose are outlined
    in thick black, whatever their rung. Each row of ``result.links`` is an
    arrow from the move counter-acted (``cause_turn``, ``cause_sender``'s lane)
    to the move that counter-acted it (``turn``, ``responder``'s lane): thin,
    semi-transparent grey for an ordinary counter-action and thick vermillion
    (:data:`MISCALCULATION_COLOUR`) for a miscalculation, a counter-action to a
    reading at least ``scenario.dynamics.miscalculation_threshold`` above what
    the move was meant toward the reader. So that a projected figure stays
    readable, only :func:`drawn_links` get arrows (every miscalculation, then the
    highest-rung answers, at most :data:`MAX_ARROWS`); the legend's title says
    how many of how many, and ``links.csv`` lists them all. Inject turns get
    vertical dotted lines. The legend is below the plot.

    Args:
        result: A run (any number of actors and turns, including none played).
        focus: Actor ids or display names whose lanes (and the counter-actions
            between them) to draw; None: the focus in effect (every actor by default).

    Returns:
        The figure, 10-16 inches wide (more turns: wider) and taller with more actors.

    """
    from matplotlib.cm import ScalarMappable
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.ticker import MaxNLocator

    a = result.arrays
    shown = shown_indices(result, focus)
    rung = a.rung[:, shown]
    forced = a.forced[:, shown]
    turns, n = rung.shape
    ids = [result.actor_ids[k] for k in shown]
    names = [wrap_label(display_names(result)[k], 24) for k in shown]
    colours = actor_colours(result)
    top = max(int(result.compiled.top_rung), 1)
    threshold = float(result.scenario.dynamics.miscalculation_threshold)
    width = min(17.0, max(WIDTH + 1.0, 4.5 + 0.28 * turns))
    height = max(6.0, 3.6 + 0.5 * n)

    fig = new_figure(width, height)
    ax = fig.add_subplot()
    for i, aid in enumerate(ids):
        ax.axhline(i, color=colours[aid], linewidth=5, alpha=0.25, zorder=1, gid=f"lane:{aid}")
    for turn in sorted({int(t) for t in result.injects["turn"]}):
        ax.axvline(turn, color="0.35", linestyle=":", linewidth=1.2, zorder=1, gid=f"inject:{turn}")

    cmap, norm = rung_colours(top)

    def size(r: np.ndarray) -> np.ndarray:
        """Marker area (points^2) for rung ``r``."""
        return np.asarray((4.0 + 10.0 * np.clip(r, 0, top) / top) ** 2, dtype=float)

    tt, ii = np.nonzero(np.ones((turns, n), dtype=bool))
    rr = rung[tt, ii] if turns else np.zeros(0, dtype=np.int64)
    ff = forced[tt, ii] if turns else np.zeros(0, dtype=bool)
    loud = rr > 1
    quiet = ~loud & ~ff
    ax.scatter(
        tt[quiet] + 1, ii[quiet], s=10, color="0.6", linewidths=0, zorder=3, gid="quiet-moves"
    )
    for keep, edge, lw, gid in (
        (loud & ~ff, "white", 0.8, "moves"),
        (ff, "black", 2.2, "forced-moves"),
    ):
        ax.scatter(
            tt[keep] + 1,
            ii[keep],
            s=size(rr[keep]),
            c=rr[keep],
            cmap=cmap,
            norm=norm,
            edgecolors=edge,
            linewidths=lw,
            zorder=4,
            gid=gid,
        )

    # one arrow per counter-action, trimmed to the markers it joins
    lane = {aid: k for k, aid in enumerate(ids)}
    picked, eligible = drawn_links(result, shown)
    links = result.links.iloc[picked]
    for k, row in zip(picked, links.itertuples(index=False), strict=True):
        t0, t1 = int(row.cause_turn), int(row.turn)
        i0, i1 = lane[row.cause_sender], lane[row.responder]
        r0, r1 = int(rung[t0 - 1, i0]), int(rung[t1 - 1, i1])
        miscalc = bool(row.miscalculation)
        arrow = FancyArrowPatch(
            (t0, i0),
            (t1, i1),
            arrowstyle="-|>",
            connectionstyle=_straight()(),
            mutation_scale=13 if miscalc else 9,
            color=MISCALCULATION_COLOUR if miscalc else LINK_COLOUR,
            linewidth=2.2 if miscalc else 0.9,
            alpha=0.95 if miscalc else 0.45,
            shrinkA=math.sqrt(float(size(np.array(r0)))) / 2 if r0 > 1 else 2.0,
            shrinkB=math.sqrt(float(size(np.array(r1)))) / 2 + 0.5 if r1 > 1 else 2.0,
            zorder=3.5 if miscalc else 2,
            gid=f"link:{k}",
        )
        arrow.set_in_layout(False)  # inside the axes anyway; keeps the layout cheap and stable
        ax.add_patch(arrow)

    ax.set_xlim(0.5, max(turns, 1) + 0.5)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks(np.arange(n), labels=names)
    if turns:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    else:
        ax.set_xticks([])
        no_turns(ax)
    ax.grid(True, axis="x", alpha=0.3)
    ax.set_xlabel("turn", fontsize=LABEL_SIZE)
    ax.set_title(figure_title(result, "action and counteraction", width - 2.5), fontsize=TITLE_SIZE)
    style_ticks(ax)
    if n > CROWDED:
        ax.tick_params(axis="y", labelsize=CROWDED_SIZE)

    bar = fig.colorbar(
        ScalarMappable(norm=norm, cmap=cmap),
        ax=ax,
        ticks=np.arange(top + 1),
        pad=0.01,
        shrink=min(1.0, 5.0 / max(height - 2.0, 1.0)),  # about 5 inches tall at most
        aspect=20,
    )
    bar.ax.set_yticklabels([wrap_label(t, 26, 2) for t in rung_labels(result, top)])
    bar.ax.tick_params(labelsize=SMALL_SIZE if top <= 10 else CROWDED_SIZE, length=0)
    bar.set_label("escalation rung (marker size and colour)", fontsize=LABEL_SIZE)

    mid = cmap(norm(min(4, top)))
    handles = [
        Line2D(
            [],
            [],
            color=LINK_COLOUR,
            alpha=0.6,
            linewidth=1.2,
            marker=">",
            markersize=6,
            label="counter-action: a more hostile move\nafter a hostile misreading",
        ),
        Line2D(
            [],
            [],
            color=MISCALCULATION_COLOUR,
            linewidth=2.5,
            marker=">",
            markersize=8,
            label=(
                f"miscalculation: a counter-action to a\nreading ≥ {threshold:.2f} "
                "above what was meant"
            ),
        ),
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=10,
            markerfacecolor=mid,
            markeredgecolor="black",
            markeredgewidth=2.0,
            label="move forced by an inject or a person",
        ),
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=4,
            markerfacecolor="0.6",
            markeredgewidth=0,
            label="move at rung 0–1",
        ),
    ]
    arrows = (
        f"arrows: all {eligible} counter-actions"
        if len(picked) == eligible
        else f"arrows: {len(picked)} of {eligible} counter-actions (every miscalculation, "
        "then the highest-rung answers; links.csv lists all)"
    )
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=2,
        fontsize=SMALL_SIZE,
        frameon=False,
        title=wrap_label(arrows, 90),
        title_fontsize=SMALL_SIZE,
    )
    return fig


FIGURE = FigureSpec(
    name="timeline",
    title="Counter-action timeline",
    caption=(
        "Which move each counter-action answered, and which counter-actions were "
        "miscalculations (at most 30 arrows: every miscalculation, then the highest-rung "
        "answers; the links table lists all)."
    ),
    look_for=(
        "One lane per actor, one column per turn; bigger, brighter circles are higher "
        "rungs, and each arrow runs from a move to the move that counter-acted it. Thick "
        "vermillion arrows are miscalculations (counter-actions to a reading well above what "
        "was meant). Look for chains of arrows hopping between lanes, and where they "
        "start."
    ),
    draw=timeline_figure,
    outputs=frozenset({RUN_FOLDER, REPORT}),
    order=40,
)
