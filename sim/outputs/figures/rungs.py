"""The escalation rung of every move, actor x turn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from sim.outputs.figures._catalogue import DASHBOARD, REPORT, RUN_FOLDER, FigureSpec
from sim.outputs.figures._common import (
    CROWDED,
    CROWDED_SIZE,
    LABEL_SIZE,
    MISSING,
    SMALL_SIZE,
    TITLE_SIZE,
    WIDTH,
    cell_grid,
    display_names,
    figure_title,
    new_figure,
    no_turns,
    rung_labels,
    style_ticks,
    wrap_label,
)
from sim.outputs.figures._view import shown_indices

if TYPE_CHECKING:
    from matplotlib.cm import ScalarMappable
    from matplotlib.figure import Figure

    from sim.model.results import RunResult


def rung_heatmap(result: RunResult, focus: Sequence[str] | None = None) -> Figure:
    """Draw the escalation rung of every move as an actor x turn image.

    Rows are actors (display names, in actor order, first at the top); columns
    are turns 1..T; each cell is ``result.arrays.rung[t - 1, i]`` on the
    sequential, colour-blind-safe 'viridis' map, one colour per rung from 0
    (dark) to the ladder's top rung (bright). The colour bar has integer ticks
    0..top_rung labelled with the ladder's rung names.

    Args:
        result: A run (any number of actors and turns, including none played).
        focus: Actor ids or display names whose rows to draw; None: the focus
            in effect (every actor by default).

    Returns:
        The figure, 10 inches wide and taller with more actors or rungs.

    """
    import matplotlib
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import BoundaryNorm
    from matplotlib.ticker import MaxNLocator

    shown = shown_indices(result, focus)
    rung = result.arrays.rung[:, shown]
    turns, n = rung.shape
    top = int(result.compiled.top_rung)
    names = [wrap_label(display_names(result)[k], 24) for k in shown]
    height = max(5.5, 2.4 + 0.42 * n, 2.0 + 0.3 * (top + 1))

    fig = new_figure(WIDTH, height)
    ax = fig.add_subplot()
    cmap = matplotlib.colormaps["viridis"].resampled(top + 1).with_extremes(bad=MISSING)
    norm = BoundaryNorm(np.arange(-0.5, top + 1.5), cmap.N)
    mappable: ScalarMappable
    if turns:
        mappable = ax.imshow(
            rung.T,
            cmap=cmap,
            norm=norm,
            aspect="auto",
            interpolation="nearest",
            extent=(0.5, turns + 0.5, n - 0.5, -0.5),
        )
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    else:
        mappable = ScalarMappable(norm=norm, cmap=cmap)
        ax.set_xlim(0.5, 1.5)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xticks([])
        no_turns(ax)
    ax.set_yticks(np.arange(n), labels=names)
    cell_grid(ax, n)
    ax.set_xlabel("turn", fontsize=LABEL_SIZE)
    ax.set_ylabel("actor", fontsize=LABEL_SIZE)
    ax.set_title(figure_title(result, "escalation rung of each move", WIDTH), fontsize=TITLE_SIZE)
    style_ticks(ax)
    if n > CROWDED:
        ax.tick_params(axis="y", labelsize=CROWDED_SIZE)

    bar = fig.colorbar(mappable, ax=ax, ticks=np.arange(top + 1), pad=0.02)
    bar.ax.set_yticklabels([wrap_label(t, 26, 2) for t in rung_labels(result, top)])
    bar.ax.tick_params(labelsize=CROWDED_SIZE if top > 10 else SMALL_SIZE, length=0)
    bar.set_label("escalation rung", fontsize=LABEL_SIZE)
    return fig


FIGURE = FigureSpec(
    name="rungs",
    title="Escalation rung of each move",
    caption="How far up the escalation ladder each actor's move went, turn by turn.",
    look_for=(
        "Rows are actors, columns are turns; brighter cells are higher rungs of the "
        "escalation ladder. Look for bands of bright cells spreading from one row to "
        "others (action and counter-action) and for actors who stay low throughout."
    ),
    draw=rung_heatmap,
    outputs=frozenset({RUN_FOLDER, REPORT, DASHBOARD}),
    order=20,
    alt="Escalation rung of every move, actor by turn",
)
