"""The mean perception gap over the run, observer x sender."""

from __future__ import annotations

import math
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
    SUBTITLE_SIZE,
    TICK_SIZE,
    TITLE_SIZE,
    cell_grid,
    display_names,
    figure_title,
    format_gap,
    new_figure,
    style_ticks,
    wrap_label,
)
from sim.outputs.figures._view import shown_indices

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.model.results import RunResult


def gap_matrix_figure(result: RunResult, focus: Sequence[str] | None = None) -> Figure:
    """Draw the mean perception gap over the run, observer (rows) x sender (columns).

    Each cell is ``result.gap_matrix()[i, j]``: how much more hostile observer
    i read sender j's moves than j meant them, averaged over the moves i saw,
    in [-1, 1]. The diverging 'RdBu_r' map is centred on zero (red: read as
    more hostile than meant; blue: less) with symmetric limits of +/- the
    largest absolute gap (at least 0.05). Each cell is annotated with its value
    to 2 decimals and its sign; cells never seen (and the diagonal) are grey,
    marked "–".

    Args:
        result: A run (any number of actors and turns, including none played).
        focus: Actor ids or display names whose rows and columns to draw; None:
            the focus in effect (every actor by default).

    Returns:
        The figure, scaled with the number of actors (about 8.5 x 7 inches for 9).

    """
    import matplotlib
    from matplotlib.colors import TwoSlopeNorm

    shown = shown_indices(result, focus)
    gap = result.gap_matrix()[np.ix_(shown, shown)]
    n = gap.shape[0]
    names = [wrap_label(display_names(result)[k], 20) for k in shown]
    cell = 0.75 if n <= CROWDED else 0.45
    width = max(9.0, 4.6 + cell * n)
    height = max(7.0, 3.6 + cell * 0.85 * n)

    fig = new_figure(width, height)
    ax = fig.add_subplot()
    finite = np.abs(gap[np.isfinite(gap)])
    limit = max(float(finite.max()) if finite.size else 0.0, 0.05)
    norm = TwoSlopeNorm(vcenter=0.0, vmin=-limit, vmax=limit)
    cmap = matplotlib.colormaps["RdBu_r"].with_extremes(bad=MISSING)
    image = ax.imshow(
        np.ma.masked_invalid(gap), cmap=cmap, norm=norm, aspect="equal", interpolation="nearest"
    )
    for i in range(n):
        for j in range(n):
            value = float(gap[i, j])
            strong = math.isfinite(value) and abs(float(norm(value)) - 0.5) > 0.32
            ax.text(
                j,
                i,
                format_gap(value),
                ha="center",
                va="center",
                fontsize=SMALL_SIZE if n <= CROWDED else CROWDED_SIZE,
                color="white" if strong else "black",
                gid=f"cell:{i}:{j}",
            )
    ax.set_xticks(np.arange(n), labels=names)
    ax.set_yticks(np.arange(n), labels=names)
    ax.tick_params(axis="x", labelrotation=45)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")
    cell_grid(ax, n, n)
    ax.set_xlabel("sender", fontsize=LABEL_SIZE)
    ax.set_ylabel("observer", fontsize=LABEL_SIZE)
    style_ticks(ax)
    if n > CROWDED:
        ax.tick_params(labelsize=CROWDED_SIZE)
    ax.set_title(
        "red: read as more hostile than meant; blue: less", fontsize=SUBTITLE_SIZE, style="italic"
    )
    fig.suptitle(figure_title(result, "mean perception gap", width), fontsize=TITLE_SIZE)
    bar = fig.colorbar(image, ax=ax, pad=0.02, shrink=0.9)
    bar.set_label("perceived − intended hostility", fontsize=LABEL_SIZE)
    bar.ax.tick_params(labelsize=TICK_SIZE)
    return fig


FIGURE = FigureSpec(
    name="perception_gap",
    title="Mean perception gap, observer by sender",
    caption=(
        "How much more hostile each actor read the others' moves than they were meant, on average."
    ),
    look_for=(
        "Each cell is how much more hostile an observer (row) read a sender's (column) "
        "moves than they were meant, averaged over the run. Red: read as more hostile "
        "than meant; blue: less; grey: never seen. Look for red rows (suspicious "
        "observers) and red columns (senders whose signals are misread)."
    ),
    draw=gap_matrix_figure,
    outputs=frozenset({RUN_FOLDER, REPORT, DASHBOARD}),
    order=30,
    alt="Mean perception gap, observer by sender",
)
