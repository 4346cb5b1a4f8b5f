"""How every multi-run chart looks: fan charts, sweep responses, comparisons, sensitivity.

The charts that summarise many runs (an ensemble's fan charts, a sweep's
response figure, the overlay of ``sim compare``, the sensitivity tornado)
share one look: the same size, colours, band transparency, median line,
label and title sizes. This module holds it once; the figures of a single
run have theirs in :mod:`sim.outputs.figures`.

A fan chart, as :mod:`sim.outputs.ensemble_folder` draws it::

    from sim.outputs import style

    fig, ax = style.chart()
    q = style.quantiles(values)                     # values: (runs, turns)
    style.bands(ax, turns, q, style.FIRST)           # 90% and 50% of runs
    style.median(ax, turns, q, style.FIRST)
    style.finish(ax, "turn", "mean tension (0–1)", "Title", legend="upper left")

Every chart that uses these helpers draws the same way, so switching a chart
to them changes no byte of its files compared with drawing it by hand with the
same settings. Text is at least 14 pt (projection size), and each series'
median line has its own dash as well as its own colour (:data:`SERIES_DASH`),
so a black-and-white print still separates a comparison's two sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Size of a multi-run chart (inches): wide enough to project.
SIZE: tuple[float, float] = (10.0, 5.5)
#: Font sizes (points) of axis labels, titles, legends and tick labels: 14 or more.
LABEL_SIZE = 15
TITLE_SIZE = 16
LEGEND_SIZE = 14
TICK_SIZE = 14
#: Transparency of the grid lines.
GRID_ALPHA = 0.3

#: Colours, from Okabe & Ito's colour-blind-safe palette: the first series
#: (blue), the second one in a comparison (vermillion), a third (orange).
FIRST = "#0072B2"
SECOND = "#D55E00"
THIRD = "#E69F00"
#: Dash of a series' median line, by its colour: solid, dashed, dash-dot.
SERIES_DASH: dict[str, str] = {FIRST: "-", SECOND: "--", THIRD: "-."}

#: Percentiles drawn: the 90% band, the 50% band and the median.
QUANTILES: tuple[int, ...] = (5, 25, 50, 75, 95)
#: Transparency of the (90%, 50%) bands of one series.
BAND_ALPHA: tuple[float, float] = (0.18, 0.35)
#: Transparency of the (90%, 50%) bands when two series overlap (a comparison).
OVERLAY_BAND_ALPHA: tuple[float, float] = (0.15, 0.3)
#: Legend labels of the (90%, 50%) bands.
BAND_LABELS: tuple[str, str] = ("90% of runs", "50% of runs")
#: Width of the median line of a fan chart over turns, and of any other median line.
FAN_MEDIAN_WIDTH = 2.4
MEDIAN_WIDTH = 2.2
#: Legend label of the median line.
MEDIAN_LABEL = "median"


def chart(height: float | None = None) -> tuple[Figure, Axes]:
    """A new figure (no pyplot) with one axes and the constrained layout engine.

    Args:
        height: Height in inches (default: that of :data:`SIZE`; a tornado
            grows with its rows).
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(SIZE[0], SIZE[1] if height is None else height))
    fig.set_layout_engine("constrained")
    return fig, fig.add_subplot()


def quantiles(values: ArrayLike, axis: int = 0) -> NDArray[np.float64]:
    """The :data:`QUANTILES` of ``values`` over ``axis`` (runs), one row per quantile.

    ``quantiles(paths)`` of ``(runs, turns)`` paths is ``(5, turns)``: rows 5%,
    25%, median, 75%, 95%.
    """
    data = np.asarray(values, dtype=np.float64)
    return np.asarray(np.percentile(data, QUANTILES, axis=axis), dtype=np.float64)


def bands(
    ax: Axes,
    x: ArrayLike,
    q: Sequence[ArrayLike],
    colour: str = FIRST,
    *,
    alpha: tuple[float, float] = BAND_ALPHA,
    labels: tuple[str, str] | None = BAND_LABELS,
) -> None:
    """Shade the 90% band (5-95%) and over it the 50% band (25-75%) of :func:`quantiles`.

    Args:
        ax: Where to draw.
        x: The x values (turns, or a swept parameter's values).
        q: The five quantile rows of :func:`quantiles`.
        colour: The series' colour.
        alpha: Transparency of the (90%, 50%) bands; :data:`OVERLAY_BAND_ALPHA`
            when two series share the axes.
        labels: Legend labels of the (90%, 50%) bands; None: no legend entries.
    """
    for (low, high), shade, k in (((0, 4), alpha[0], 0), ((1, 3), alpha[1], 1)):
        if labels is None:
            ax.fill_between(x, q[low], q[high], color=colour, alpha=shade, lw=0)
        else:
            ax.fill_between(x, q[low], q[high], color=colour, alpha=shade, lw=0, label=labels[k])


def median(
    ax: Axes,
    x: ArrayLike,
    q: Sequence[ArrayLike],
    colour: str = FIRST,
    *,
    width: float = MEDIAN_WIDTH,
    label: str = MEDIAN_LABEL,
    markers: bool = False,
) -> None:
    """Draw the median row of :func:`quantiles` as a line (with dots at each x if ``markers``).

    The line's dash is the series' (:data:`SERIES_DASH`; solid for other colours).
    """
    dash = SERIES_DASH.get(colour, "-")
    if markers:
        ax.plot(x, q[2], marker="o", linestyle=dash, color=colour, lw=width, label=label)
    else:
        ax.plot(x, q[2], linestyle=dash, color=colour, lw=width, label=label)


def labels(ax: Axes, xlabel: str, ylabel: str) -> None:
    """Axis labels at :data:`LABEL_SIZE`."""
    ax.set_xlabel(xlabel, fontsize=LABEL_SIZE)
    ax.set_ylabel(ylabel, fontsize=LABEL_SIZE)


def title(ax: Axes, text: str) -> None:
    """The chart's title at :data:`TITLE_SIZE`."""
    ax.set_title(text, fontsize=TITLE_SIZE)


def grid(ax: Axes, axis: Literal["both", "x", "y"] = "both") -> None:
    """Faint grid lines (``axis``: "both", "x" or "y"); tick labels at :data:`TICK_SIZE`."""
    ax.tick_params(labelsize=TICK_SIZE)
    if axis == "both":
        ax.grid(alpha=GRID_ALPHA)
    else:
        ax.grid(axis=axis, alpha=GRID_ALPHA)


def legend(ax: Axes, loc: str = "upper left") -> None:
    """The legend at :data:`LEGEND_SIZE`."""
    ax.legend(loc=loc, fontsize=LEGEND_SIZE)  # type: ignore[call-overload]


def finish(
    ax: Axes,
    xlabel: str,
    ylabel: str,
    text: str,
    *,
    legend_loc: str | None = "upper left",
    unit_range: bool = False,
) -> None:
    """Labels, title, grid and legend, in the order the fan chart sets them.

    Args:
        ax: The chart's axes.
        xlabel: Label of the x axis.
        ylabel: Label of the y axis.
        text: Title.
        legend_loc: Where the legend goes; None: no legend.
        unit_range: The y axis runs from 0 to 1 (tension, escalation index).
    """
    if unit_range:
        ax.set_ylim(0, 1)
    labels(ax, xlabel, ylabel)
    title(ax, text)
    grid(ax)
    if legend_loc is not None:
        legend(ax, legend_loc)
