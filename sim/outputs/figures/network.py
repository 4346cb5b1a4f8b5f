"""Alignment and mutual trust between the actors at a few turns, side by side."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from sim.outputs.figures._catalogue import REPORT, RUN_FOLDER, FigureSpec
from sim.outputs.figures._common import (
    CROWDED,
    CROWDED_SIZE,
    LABEL_SIZE,
    NEUTRAL_EDGE,
    SMALL_SIZE,
    TICK_SIZE,
    TITLE_SIZE,
    actor_colours,
    display_names,
    figure_title,
    new_figure,
    wrap_label,
)
from sim.outputs.figures._view import shown_indices

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.model.results import RunResult


def _alignment_at(result: RunResult, turn: int) -> np.ndarray:
    """``(N, N)`` alignment at ``turn``: the starting one at 0, else that during the turn."""
    if turn == 0:
        return np.asarray(result.compiled.alignment, dtype=float)
    return np.asarray(result.records[turn - 1].alignment, dtype=float)


def _circle(n: int) -> np.ndarray:
    """``(n, 2)`` positions on the unit circle, first at the top, then clockwise."""
    angle = math.pi / 2 - 2 * math.pi * np.arange(n) / max(n, 1)
    return np.column_stack([np.cos(angle), np.sin(angle)])


def network_figure(
    result: RunResult, turns: Sequence[int] | None = None, focus: Sequence[str] | None = None
) -> Figure:
    """Draw the alignment and trust network at a few turns, as small multiples.

    One panel per turn, titled ``"turn t"`` (0 is the starting state), side by
    side. The actors sit on a circle in actor order (first at the top, then
    clockwise), at the same place in every panel, as dots in the actor's colour
    whose area grows with the actor's tension at that turn (0-1), labelled with
    display names. Every pair is joined by an edge coloured by its alignment at
    that turn on the diverging 'RdBu' map from -1 (rivals, red) to +1
    (partners, blue), grey where it is 0, and as wide as their mutual trust,
    ``1 - mean(belief[t, i, j], belief[t, j, i])`` in [0, 1]. A colour bar
    (alignment, -1..1) is on the right and a legend of widths and node sizes
    below.

    Args:
        result: A run (any number of actors and turns, including none played).
        turns: Turns to draw (0..T, in the order given); by default the first
            (0), middle (T // 2) and last (T), without repeats.
        focus: Actor ids or display names to place on the circle (and the
            edges between them); None: the focus in effect (every actor by default).

    Returns:
        The figure, about 4.6 inches per panel (more for many actors).

    Raises:
        ValueError: If ``turns`` is empty or holds a turn outside 0..T.

    """
    import matplotlib
    from matplotlib.cm import ScalarMappable
    from matplotlib.collections import LineCollection
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D

    played = result.turns
    if turns is None:
        chosen = list(dict.fromkeys([0, played // 2, played]))
    else:
        chosen = [int(t) for t in turns]
        if not chosen:
            raise ValueError("turns must name at least one turn")
        bad = [t for t in chosen if not 0 <= t <= played]
        if bad:
            raise ValueError(f"turns must be in 0..{played}, not {bad}")
    a = result.arrays
    shown = shown_indices(result, focus)
    ids = [result.actor_ids[k] for k in shown]
    n = len(ids)
    names = [wrap_label(display_names(result)[k], 14 if n <= 12 else 24) for k in shown]
    colours = actor_colours(result)
    pos = _circle(n)
    side = max(5.2, 2.8 + 0.18 * n)
    width = side * len(chosen) + 1.8
    height = side * (0.85 if n <= 12 else 1.0) + 2.2
    fontsize = SMALL_SIZE if n <= CROWDED else CROWDED_SIZE
    node_scale = 1.0 if n <= 12 else math.sqrt(12 / n)
    edge_scale = 1.0 if n <= 10 else 10 / n
    cmap = matplotlib.colormaps["RdBu"]
    norm = Normalize(-1.0, 1.0)
    pi, pj = np.triu_indices(n, k=1)
    segments = np.stack([pos[pi], pos[pj]], axis=1)

    def node_area(tension: np.ndarray) -> np.ndarray:
        """Node area (points^2) for tension in 0..1."""
        return np.asarray((60.0 + 700.0 * np.clip(tension, 0.0, 1.0)) * node_scale, dtype=float)

    def edge_width(trust: np.ndarray) -> np.ndarray:
        """Edge width (points) for mutual trust in 0..1."""
        return np.asarray((0.3 + 4.5 * np.clip(trust, 0.0, 1.0)) * edge_scale, dtype=float)

    fig = new_figure(width, height)
    axes = fig.subplots(1, len(chosen), squeeze=False)[0]
    for ax, turn in zip(axes, chosen, strict=True):
        align = _alignment_at(result, turn)[np.ix_(shown, shown)][pi, pj]
        belief = a.belief[turn][np.ix_(shown, shown)]
        trust = 1.0 - 0.5 * (belief[pi, pj] + belief[pj, pi])
        rgba = cmap(norm(align))
        neutral = align == 0
        rgba[neutral] = matplotlib.colors.to_rgba(NEUTRAL_EDGE)
        rgba[:, 3] = 0.85 if n <= 12 else 0.6
        rgba[neutral, 3] = 0.45 if n <= 12 else 0.15
        # the strongest alignments on top
        order = np.argsort(np.abs(align), kind="stable")
        ax.add_collection(
            LineCollection(
                list(segments[order]),
                colors=rgba[order],
                linewidths=edge_width(trust)[order],
                zorder=1,
                gid="edges",
            )
        )
        ax.scatter(
            pos[:, 0],
            pos[:, 1],
            s=node_area(a.tension[turn][shown]),
            c=[colours[aid] for aid in ids],
            edgecolors="black",
            linewidths=1.0,
            zorder=3,
            gid="nodes",
        )
        for k, name in enumerate(names):
            x, y = pos[k]
            if n > 12:  # many actors: labels along the radius, so neighbours do not collide
                angle = math.degrees(math.atan2(y, x))
                left = x < -1e-9
                ax.text(
                    1.1 * x,
                    1.1 * y,
                    name,
                    rotation=angle - 180 if left else angle,
                    rotation_mode="anchor",
                    ha="right" if left else "left",
                    va="center",
                    fontsize=fontsize,
                    zorder=4,
                    gid=f"label:{ids[k]}",
                )
                continue
            ax.text(
                1.16 * x,
                1.16 * y,
                name,
                ha="center" if abs(x) < 0.2 else ("left" if x > 0 else "right"),
                va="center" if abs(y) < 0.8 else ("bottom" if y > 0 else "top"),
                fontsize=fontsize,
                zorder=4,
                gid=f"label:{ids[k]}",
            )
        reach = 1.75 if n <= 12 else 1.9
        ax.set_xlim(-reach, reach)
        ax.set_ylim(-1.32 if n <= 12 else -1.9, 1.32 if n <= 12 else 1.9)
        ax.set_aspect("equal")
        ax.set_xticks([])  # no tick machinery for a hidden axis (faster drawing)
        ax.set_yticks([])
        ax.set_axis_off()
        ax.set_title(f"turn {turn}", fontsize=LABEL_SIZE)

    fig.suptitle(
        figure_title(result, "alignment (edge colour) and mutual trust (edge width)", width),
        fontsize=TITLE_SIZE,
    )
    bar = fig.colorbar(
        ScalarMappable(norm=norm, cmap=cmap), ax=list(axes), shrink=0.7, pad=0.02, aspect=25
    )
    bar.set_label("alignment (−1 rivals, +1 partners)", fontsize=LABEL_SIZE)
    bar.ax.tick_params(labelsize=TICK_SIZE)
    handles = [
        Line2D(
            [], [], color="0.4", linewidth=float(edge_width(np.array(v))), label=f"trust {v:.1f}"
        )
        for v in (0.2, 0.5, 0.8)
    ] + [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=math.sqrt(float(node_area(np.array(v)))),
            markerfacecolor="white",
            markeredgecolor="black",
            label=f"tension {v:.1f}",
        )
        for v in (0.2, 0.5, 0.8)
    ]
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=6 if len(chosen) > 1 else 3,
        fontsize=SMALL_SIZE,
        frameon=False,
        handlelength=2.5,
    )
    return fig


FIGURE = FigureSpec(
    name="network",
    every_turn=True,
    title="Alignment and trust network",
    caption=(
        "Who is partner or rival to whom, and how far they trust each other, at the "
        "start, middle and end."
    ),
    look_for=(
        "The actors on a circle at a few turns (start, middle, end). Edge colour is "
        "alignment (blue partners, red rivals), edge width is mutual trust and dot size "
        "is tension. Look for edges that thin out or turn red, and for blocs that "
        "tighten as the crisis goes on."
    ),
    draw=network_figure,
    outputs=frozenset({RUN_FOLDER, REPORT}),
    order=50,
)
