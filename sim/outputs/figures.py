"""Figures of a run, drawn with Matplotlib's object API.

Every figure is a :class:`matplotlib.figure.Figure` built directly, never
through :mod:`matplotlib.pyplot`, so nothing here picks a GUI backend or keeps
figures alive in a global figure manager: the module is safe on a headless
server and in a notebook alike. :func:`save_figure` writes byte-identical files
for the same run, so a run folder can be compared or checked into a course
repository.

* :func:`tension_figure`: tension per actor over the turns, with the injects;
* :func:`rung_heatmap`: the escalation rung of every move, actor x turn;
* :func:`gap_matrix_figure`: the mean perception gap, observer x sender;
* :func:`timeline_figure`: the action-counteraction timeline, with each link
  from a move to the climb that answered it and the miscalculations marked;
* :func:`network_figure`: alignment and mutual trust between the actors at a
  few turns, side by side;
* :func:`beliefs_figure`: what one observer believes about every other actor,
  and how credible it finds their framing, over the run.

:data:`FIGURES` maps the file names a run folder uses to these functions.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import BoundaryNorm, Normalize, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.ticker import MaxNLocator

if TYPE_CHECKING:
    from sim.model.results import RunResult

__all__ = [
    "FIGURES",
    "MISCALCULATION_COLOUR",
    "OKABE_ITO",
    "TOL_MUTED",
    "actor_colours",
    "beliefs_figure",
    "gap_matrix_figure",
    "network_figure",
    "rung_heatmap",
    "save_figure",
    "tension_figure",
    "timeline_figure",
]

#: Okabe & Ito's colour-blind-safe palette (2008), in its usual order.
OKABE_ITO: tuple[str, ...] = (
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
#: Paul Tol's colour-blind-safe 'muted' scheme, used after Okabe-Ito.
TOL_MUTED: tuple[str, ...] = (
    "#CC6677",
    "#332288",
    "#DDCC77",
    "#117733",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
)
PALETTE: tuple[str, ...] = OKABE_ITO + TOL_MUTED

# Font sizes (points): large enough to read when projected.
TITLE_SIZE = 14
SUBTITLE_SIZE = 11
LABEL_SIZE = 12
TICK_SIZE = 11
SMALL_SIZE = 10

WIDTH = 10.0
HEIGHT = 5.5
MISSING = "0.75"  # grey for cells with no data
DPI = 150

# Metadata that would otherwise stamp the date or the Matplotlib version.
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "Producer": None},
}

INJECT_LABEL_CHARS = 28

#: Colour of a miscalculation in the timeline (Okabe-Ito vermillion).
MISCALCULATION_COLOUR = "#D55E00"
#: Colour of an ordinary action-counteraction link in the timeline.
LINK_COLOUR = "0.35"
#: Colour of a network edge between actors with no alignment either way.
NEUTRAL_EDGE = "0.7"


# ---------------------------------------------------------------- helpers


def actor_colours(result: RunResult) -> dict[str, str]:
    """Plot colour of each actor, by actor id, in actor order.

    An actor's ``colour`` from the scenario wins; the others take, in actor
    order, the Okabe-Ito palette (8 colours) and then Paul Tol's 'muted' scheme
    (9 more), skipping colours the scenario already gave to an actor, and
    cycling beyond that.

    Args:
        result: A run.

    Returns:
        ``{actor_id: '#rrggbb'}`` for every actor.

    """
    actors = result.scenario.actors
    given = {a: actors[a].colour for a in result.actor_ids if a in actors and actors[a].colour}
    taken = {c.lower() for c in given.values() if c}
    free = [c for c in PALETTE if c.lower() not in taken] or list(PALETTE)
    out: dict[str, str] = {}
    k = 0
    for a in result.actor_ids:
        colour = given.get(a)
        if colour:
            out[a] = colour
        else:
            out[a] = free[k % len(free)]
            k += 1
    return out


def _names(result: RunResult) -> list[str]:
    """Display names in actor order (the id when the scenario has no entry)."""
    actors = result.scenario.actors
    return [actors[a].name if a in actors else a for a in result.actor_ids]


def _title(result: RunResult, what: str, width_in: float, size: float = TITLE_SIZE) -> str:
    """``'<scenario title> — <what>'``, wrapped to fit ``width_in`` inches."""
    text = f"{result.scenario.metadata.title} — {what}"
    chars = max(30, int(width_in * 72 / (size * 0.52)))
    lines = max(1, math.ceil(len(text) / chars))
    # balanced lines rather than a last line holding one word
    width = min(chars, math.ceil(len(text) / lines) + 8)
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def _short(label: str, limit: int = INJECT_LABEL_CHARS) -> str:
    """``label`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(str(label).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _figure(width: float, height: float) -> Figure:
    """Make a figure (no pyplot) with the constrained layout engine."""
    fig = Figure(figsize=(width, height))
    fig.set_layout_engine("constrained")
    return fig


def _style(ax: Axes) -> None:
    """Tick label sizes for projection."""
    ax.tick_params(labelsize=TICK_SIZE)


def _cell_grid(ax: Axes, rows: int, cols: int | None = None) -> None:
    """Thin white lines between the rows (and columns) of a heat map."""
    ax.set_yticks(np.arange(rows + 1) - 0.5, minor=True)
    if cols is not None:
        ax.set_xticks(np.arange(cols + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
    else:
        ax.grid(which="minor", axis="y", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)


def _format_gap(value: float) -> str:
    """Format a gap to 2 decimals with its sign (``+0.12``, ``−0.05``, ``0.00``; NaN: ``–``)."""
    if not math.isfinite(value):
        return "–"
    text = f"{value:+.2f}"
    if text in ("+0.00", "-0.00"):
        return "0.00"
    return text.replace("-", "−")


# ---------------------------------------------------------------- figures


def tension_figure(result: RunResult) -> Figure:
    """Draw the tension of each actor over the run, with the injects marked.

    One line per actor (its display name in a legend outside the plot, on the
    right) of ``result.arrays.tension[:, i]``; x is the turn from 0 (the
    starting state) to T, y is tension from 0 to 1. Each inject's turn gets a
    vertical dotted line labelled, at the top, with a short form of the
    inject's label (labels that would crowd the previous one are left off).

    Args:
        result: A run (any number of actors and turns, including none played).

    Returns:
        The figure, about 10 x 5.5 inches.

    """
    tension = result.arrays.tension
    turns = tension.shape[0] - 1
    ids = result.actor_ids
    names = _names(result)
    colours = actor_colours(result)
    styles = ("-", "--", "-.")

    fig = _figure(WIDTH, HEIGHT)
    ax = fig.add_subplot()
    x = np.arange(turns + 1)
    marker = "o" if turns < 2 else None
    handles = []
    for i, (aid, name) in enumerate(zip(ids, names, strict=True)):
        (line,) = ax.plot(
            x,
            tension[:, i],
            color=colours[aid],
            linestyle=styles[(i // len(PALETTE)) % len(styles)],
            linewidth=2.0,
            marker=marker,
            label=name,
            gid=f"actor:{aid}",
            zorder=3,
        )
        handles.append(line)

    by_turn: dict[int, list[str]] = {}
    for row in result.injects.itertuples(index=False):
        label = row.label if isinstance(row.label, str) and row.label.strip() else row.inject
        by_turn.setdefault(int(row.turn), []).append(str(label))
    spacing = max(1.0, turns / 40)
    last = -math.inf
    for turn, labels in sorted(by_turn.items()):
        ax.axvline(turn, color="0.35", linestyle=":", linewidth=1.5, zorder=2, gid=f"inject:{turn}")
        if turn - last < spacing:
            continue
        last = turn
        ax.text(
            turn,
            0.98,
            _short(" / ".join(labels), INJECT_LABEL_CHARS),
            transform=ax.get_xaxis_transform(),
            rotation=90,
            ha="right",
            va="top",
            fontsize=SMALL_SIZE,
            color="0.2",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 1.5},
            clip_on=True,
            zorder=4,
            gid=f"inject-label:{turn}",
        )

    ax.set_xlim(0, max(turns, 1))
    ax.set_ylim(0.0, 1.0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("turn", fontsize=LABEL_SIZE)
    ax.set_ylabel("tension (0–1)", fontsize=LABEL_SIZE)
    ax.set_title(_title(result, "tension per actor", WIDTH - 2.5), fontsize=TITLE_SIZE)
    ax.grid(True, alpha=0.3)
    _style(ax)
    fig.legend(
        handles=handles,
        loc="outside right upper",
        ncols=max(1, math.ceil(len(ids) / 20)),
        fontsize=SMALL_SIZE if len(ids) > 12 else TICK_SIZE,
        frameon=False,
    )
    return fig


def _rung_labels(result: RunResult, top: int) -> list[str]:
    """``'3 political signalling'`` for each rung 0..top (just the number if unnamed)."""
    ladder = result.scenario.ladder or []
    return [
        f"{k} {ladder[k].label}" if k < len(ladder) and ladder[k].label else str(k)
        for k in range(top + 1)
    ]


def rung_heatmap(result: RunResult) -> Figure:
    """Draw the escalation rung of every move as an actor x turn image.

    Rows are actors (display names, in actor order, first at the top); columns
    are turns 1..T; each cell is ``result.arrays.rung[t - 1, i]`` on the
    sequential, colour-blind-safe 'viridis' map, one colour per rung from 0
    (dark) to the ladder's top rung (bright). The colour bar has integer ticks
    0..top_rung labelled with the ladder's rung names.

    Args:
        result: A run (any number of actors and turns, including none played).

    Returns:
        The figure, 10 inches wide and taller with more actors or rungs.

    """
    rung = result.arrays.rung
    turns, n = rung.shape
    top = int(result.compiled.top_rung)
    names = _names(result)
    height = max(4.5, 1.8 + 0.32 * n, 1.4 + 0.24 * (top + 1))

    fig = _figure(WIDTH, height)
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
        ax.text(
            0.5,
            0.5,
            "no turns played",
            transform=ax.transAxes,
            ha="center",
            va="center",
            fontsize=LABEL_SIZE,
        )
    ax.set_yticks(np.arange(n), labels=names)
    _cell_grid(ax, n)
    ax.set_xlabel("turn", fontsize=LABEL_SIZE)
    ax.set_ylabel("actor", fontsize=LABEL_SIZE)
    ax.set_title(_title(result, "escalation rung of each move", WIDTH), fontsize=TITLE_SIZE)
    _style(ax)
    if n > 20:
        ax.tick_params(axis="y", labelsize=SMALL_SIZE)

    bar = fig.colorbar(mappable, ax=ax, ticks=np.arange(top + 1), pad=0.02)
    bar.ax.set_yticklabels(_rung_labels(result, top))
    bar.ax.tick_params(labelsize=SMALL_SIZE if top > 10 else TICK_SIZE, length=0)
    bar.set_label("escalation rung", fontsize=LABEL_SIZE)
    return fig


def gap_matrix_figure(result: RunResult) -> Figure:
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

    Returns:
        The figure, scaled with the number of actors (about 8.5 x 7 inches for 9).

    """
    gap = result.gap_matrix()
    n = gap.shape[0]
    names = _names(result)
    width = max(8.0, 3.6 + 0.55 * n)
    height = max(6.0, 2.8 + 0.46 * n)

    fig = _figure(width, height)
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
                _format_gap(value),
                ha="center",
                va="center",
                fontsize=SMALL_SIZE,
                color="white" if strong else "black",
                gid=f"cell:{i}:{j}",
            )
    ax.set_xticks(np.arange(n), labels=names)
    ax.set_yticks(np.arange(n), labels=names)
    ax.tick_params(axis="x", labelrotation=45)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")
    _cell_grid(ax, n, n)
    ax.set_xlabel("sender", fontsize=LABEL_SIZE)
    ax.set_ylabel("observer", fontsize=LABEL_SIZE)
    _style(ax)
    ax.set_title(
        "red: read as more hostile than meant; blue: less", fontsize=SUBTITLE_SIZE, style="italic"
    )
    fig.suptitle(_title(result, "mean perception gap", width), fontsize=TITLE_SIZE)
    bar = fig.colorbar(image, ax=ax, pad=0.02, shrink=0.9)
    bar.set_label("perceived − intended hostility", fontsize=LABEL_SIZE)
    bar.ax.tick_params(labelsize=TICK_SIZE)
    return fig


# ---------------------------------------------------------------- saving


def save_figure(
    fig: Figure, folder: Path, name: str, formats: Sequence[str] = ("png", "svg")
) -> list[Path]:
    """Save ``fig`` as ``folder/name.<format>`` for each format, reproducibly.

    Files are written at 150 dpi with a tight bounding box and without the
    date or software version, and SVG ids come from a fixed hash salt, so two
    saves of the same figure give byte-identical files.

    Args:
        fig: The figure.
        folder: Where to write (created if missing).
        name: File name without extension (no folders).
        formats: Matplotlib output formats, e.g. ``("png", "svg")``.

    Returns:
        The paths written, in the order of ``formats``.

    Raises:
        ValueError: If ``name`` is empty or contains a folder.

    """
    if not name or Path(name).name != name or name in (".", ".."):
        raise ValueError(f"figure name must be a plain file name, not {name!r}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    with matplotlib.rc_context({"svg.hashsalt": "sim", "svg.fonttype": "path"}):
        for fmt in formats:
            ext = fmt.lower().lstrip(".")
            path = folder / f"{name}.{ext}"
            fig.savefig(
                path,
                format=ext,
                dpi=DPI,
                bbox_inches="tight",
                metadata=_METADATA.get(ext),
            )
            paths.append(path)
    return paths


#: The figures of a run folder, by file name (``figures/<name>.png``), in order.
FIGURES: dict[str, Callable[[RunResult], Figure]] = {
    "tension": tension_figure,
    "rungs": rung_heatmap,
    "perception_gap": gap_matrix_figure,
}
