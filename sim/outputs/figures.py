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
from matplotlib.patches import ConnectionStyle, FancyArrowPatch
from matplotlib.path import Path as MplPath
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
        _no_turns(ax)
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


def _rung_colours(top: int) -> tuple[Any, BoundaryNorm]:
    """The 'viridis' map with one colour per rung 0..top (as in :func:`rung_heatmap`)."""
    cmap = matplotlib.colormaps["viridis"].resampled(top + 1).with_extremes(bad=MISSING)
    return cmap, BoundaryNorm(np.arange(-0.5, top + 1.5), cmap.N)


def _no_turns(ax: Axes) -> None:
    """Write "no turns played" in the middle of ``ax``."""
    ax.text(
        0.5,
        0.5,
        "no turns played",
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=LABEL_SIZE,
    )


class _Straight(ConnectionStyle.Arc3):
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


def timeline_figure(result: RunResult) -> Figure:
    """Draw the action-counteraction timeline: who answered whom, turn by turn.

    x is the turn (1..T); y has one lane per actor (display names, first actor
    at the top), drawn as a faint band in the actor's colour. Every move above
    rung 1 is a circle whose size and colour ('viridis', as in
    :func:`rung_heatmap`, with a rung colour bar) grow with its rung; quieter
    moves are small grey dots. Moves an inject or a person chose are outlined
    in thick black, whatever their rung. Each row of ``result.links`` is an
    arrow from the move answered (``cause_turn``, ``cause_sender``'s lane) to
    the climb that answered it (``turn``, ``responder``'s lane): thin,
    semi-transparent grey for an ordinary link and thick vermillion
    (:data:`MISCALCULATION_COLOUR`) for a miscalculation, a response to a
    reading at least ``scenario.dynamics.miscalculation_threshold`` above what
    the sender meant. Inject turns get vertical dotted lines. The legend is
    below the plot.

    Args:
        result: A run (any number of actors and turns, including none played).

    Returns:
        The figure, 10-16 inches wide (more turns: wider) and taller with more actors.

    """
    a = result.arrays
    rung = a.rung
    turns, n = rung.shape
    ids = result.actor_ids
    names = _names(result)
    colours = actor_colours(result)
    top = max(int(result.compiled.top_rung), 1)
    threshold = float(result.scenario.dynamics.miscalculation_threshold)
    width = min(16.0, max(WIDTH, 3.5 + 0.28 * turns))
    height = max(4.8, 2.6 + 0.36 * n)

    fig = _figure(width, height)
    ax = fig.add_subplot()
    for i, aid in enumerate(ids):
        ax.axhline(i, color=colours[aid], linewidth=5, alpha=0.25, zorder=1, gid=f"lane:{aid}")
    for turn in sorted({int(t) for t in result.injects["turn"]}):
        ax.axvline(turn, color="0.35", linestyle=":", linewidth=1.2, zorder=1, gid=f"inject:{turn}")

    cmap, norm = _rung_colours(top)

    def size(r: np.ndarray) -> np.ndarray:
        """Marker area (points^2) for rung ``r``."""
        return np.asarray((4.0 + 10.0 * np.clip(r, 0, top) / top) ** 2, dtype=float)

    tt, ii = np.nonzero(np.ones((turns, n), dtype=bool))
    rr = rung[tt, ii] if turns else np.zeros(0, dtype=np.int64)
    ff = a.forced[tt, ii] if turns else np.zeros(0, dtype=bool)
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

    # one arrow per link, trimmed to the markers it joins
    lane = {aid: k for k, aid in enumerate(ids)}
    links = result.links
    for k, row in enumerate(links.itertuples(index=False)):
        t0, t1 = int(row.cause_turn), int(row.turn)
        i0, i1 = lane[row.cause_sender], lane[row.responder]
        r0, r1 = int(rung[t0 - 1, i0]), int(rung[t1 - 1, i1])
        miscalc = bool(row.miscalculation)
        arrow = FancyArrowPatch(
            (t0, i0),
            (t1, i1),
            arrowstyle="-|>",
            connectionstyle=_Straight(),
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
        _no_turns(ax)
    ax.grid(True, axis="x", alpha=0.3)
    ax.set_xlabel("turn", fontsize=LABEL_SIZE)
    ax.set_title(_title(result, "action and counteraction", width - 2.5), fontsize=TITLE_SIZE)
    _style(ax)
    if n > 20:
        ax.tick_params(axis="y", labelsize=SMALL_SIZE)

    bar = fig.colorbar(
        ScalarMappable(norm=norm, cmap=cmap),
        ax=ax,
        ticks=np.arange(top + 1),
        pad=0.01,
        shrink=min(1.0, 5.0 / max(height - 2.0, 1.0)),  # about 5 inches tall at most
        aspect=20,
    )
    bar.ax.set_yticklabels(_rung_labels(result, top))
    bar.ax.tick_params(labelsize=SMALL_SIZE, length=0)
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
            label="link: climbed after reading a move as hostile",
        ),
        Line2D(
            [],
            [],
            color=MISCALCULATION_COLOUR,
            linewidth=2.5,
            marker=">",
            markersize=8,
            label=f"miscalculation: answered a reading ≥ {threshold:.2f} above what was meant",
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
    fig.legend(
        handles=handles, loc="outside lower center", ncols=2, fontsize=SMALL_SIZE, frameon=False
    )
    return fig


def _alignment_at(result: RunResult, turn: int) -> np.ndarray:
    """``(N, N)`` alignment at ``turn``: the starting one at 0, else that during the turn."""
    if turn == 0:
        return np.asarray(result.compiled.alignment, dtype=float)
    return np.asarray(result.records[turn - 1].alignment, dtype=float)


def _circle(n: int) -> np.ndarray:
    """``(n, 2)`` positions on the unit circle, first at the top, then clockwise."""
    angle = math.pi / 2 - 2 * math.pi * np.arange(n) / max(n, 1)
    return np.column_stack([np.cos(angle), np.sin(angle)])


def network_figure(result: RunResult, turns: Sequence[int] | None = None) -> Figure:
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

    Returns:
        The figure, about 4.6 inches per panel (more for many actors).

    Raises:
        ValueError: If ``turns`` is empty or holds a turn outside 0..T.

    """
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
    ids = result.actor_ids
    n = len(ids)
    names = _names(result)
    colours = actor_colours(result)
    pos = _circle(n)
    side = max(4.6, 2.4 + 0.16 * n)
    width = side * len(chosen) + 1.4
    height = side * (0.8 if n <= 12 else 1.0) + 1.6
    fontsize = TICK_SIZE if n <= 12 else (SMALL_SIZE if n <= 20 else 8)
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

    fig = _figure(width, height)
    axes = fig.subplots(1, len(chosen), squeeze=False)[0]
    for ax, turn in zip(axes, chosen, strict=True):
        align = _alignment_at(result, turn)[pi, pj]
        belief = a.belief[turn]
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
            s=node_area(a.tension[turn]),
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
        _title(result, "alignment (edge colour) and mutual trust (edge width)", width),
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
        ncols=6,
        fontsize=SMALL_SIZE,
        frameon=False,
        handlelength=2.5,
    )
    return fig


def _observer_index(result: RunResult, observer: str | None) -> int:
    """Index of ``observer`` (an actor id or display name; default: highest peak tension)."""
    ids = result.actor_ids
    if observer is None:
        return int(np.argmax(result.arrays.tension.max(axis=0)))
    if observer in ids:
        return ids.index(observer)
    names = _names(result)
    if observer in names:
        return names.index(observer)
    raise ValueError(f"unknown observer {observer!r}; choose from {', '.join(ids)}")


def beliefs_figure(result: RunResult, observer: str | None = None) -> Figure:
    """Draw what one observer believes about every other actor, over the run.

    Top panel: one line per other actor j of ``result.arrays.belief[:, i, j]``,
    observer i's belief that j is hostile, in j's colour; bottom panel, sharing
    x: dashed lines of ``result.arrays.credibility[:, i, j]``, how credible i
    found j's framing of its moves. x is the turn from 0 (the starting state)
    to T; both y axes run from 0 to 1. Inject turns get vertical dotted lines;
    a legend of display names is outside, on the right. The title names the
    observer.

    Args:
        result: A run (any number of actors and turns, including none played).
        observer: The observer's actor id (or display name); by default the
            actor with the highest peak tension (the first, on a tie).

    Returns:
        The figure, about 10 x 7 inches.

    Raises:
        ValueError: If ``observer`` is not an actor of the run.

    """
    i = _observer_index(result, observer)
    a = result.arrays
    ids = result.actor_ids
    names = _names(result)
    colours = actor_colours(result)
    turns = a.belief.shape[0] - 1
    x = np.arange(turns + 1)
    marker = "o" if turns < 2 else None
    others = [j for j in range(len(ids)) if j != i]
    styles = ("-", "--", "-.")

    fig = _figure(WIDTH, 7.5)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    handles = []
    for k, j in enumerate(others):
        aid = ids[j]
        (line,) = top.plot(
            x,
            a.belief[:, i, j],
            color=colours[aid],
            linestyle=styles[(k // len(PALETTE)) % len(styles)],
            linewidth=2.0,
            marker=marker,
            label=names[j],
            gid=f"belief:{aid}",
            zorder=3,
        )
        handles.append(line)
        bottom.plot(
            x,
            a.credibility[:, i, j],
            color=colours[aid],
            linestyle="--",
            linewidth=1.6,
            marker=marker,
            label=names[j],
            gid=f"credibility:{aid}",
            zorder=3,
        )
    for turn in sorted({int(t) for t in result.injects["turn"]}):
        for ax in (top, bottom):
            ax.axvline(
                turn, color="0.35", linestyle=":", linewidth=1.2, zorder=2, gid=f"inject:{turn}"
            )
    for ax in (top, bottom):
        ax.set_ylim(0.0, 1.0)
        ax.grid(True, alpha=0.3)
        _style(ax)
    top.set_xlim(0, max(turns, 1))
    bottom.xaxis.set_major_locator(MaxNLocator(integer=True))
    top.set_ylabel("belief that the actor\nis hostile (0–1)", fontsize=LABEL_SIZE)
    bottom.set_ylabel("credibility of the\nactor's framing (0–1)", fontsize=LABEL_SIZE)
    bottom.set_xlabel("turn", fontsize=LABEL_SIZE)
    top.set_title(_title(result, f"what {names[i]} believes", WIDTH - 2.5), fontsize=TITLE_SIZE)
    bottom.set_title(
        f"how credible {names[i]} found each actor's framing (dashed)",
        fontsize=SUBTITLE_SIZE,
        style="italic",
    )
    fig.legend(
        handles=handles,
        loc="outside right upper",
        ncols=max(1, math.ceil(len(others) / 20)),
        fontsize=SMALL_SIZE if len(others) > 12 else TICK_SIZE,
        frameon=False,
        title="other actor",
        title_fontsize=SMALL_SIZE,
    )
    return fig


# ---------------------------------------------------------------- saving


def save_figure(
    fig: Figure, folder: Path, name: str, formats: Sequence[str] = ("png", "svg")
) -> list[Path]:
    """Save ``fig`` as ``folder/name.<format>`` for each format, reproducibly.

    Files are written at 150 dpi with a tight bounding box and without the
    date or software version, and SVG ids come from a fixed hash salt, so two
    saves of the same figure give byte-identical files. The figure's layout
    engine runs for the first format only; the others reuse its layout (the
    engine is restored afterwards).

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
    engine = fig.get_layout_engine()
    try:
        with matplotlib.rc_context({"svg.hashsalt": "sim", "svg.fonttype": "path"}):
            for k, fmt in enumerate(formats):
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
                if k == 0 and engine is not None and len(formats) > 1:
                    # laid out once: the other formats reuse it (the layout is the slow part)
                    fig.set_layout_engine("none")
    finally:
        if engine is not None and fig.get_layout_engine() is not engine:
            fig.set_layout_engine(engine)
    return paths


#: The figures of a run folder, by file name (``figures/<name>.png``), in order.
FIGURES: dict[str, Callable[[RunResult], Figure]] = {
    "tension": tension_figure,
    "rungs": rung_heatmap,
    "perception_gap": gap_matrix_figure,
    "timeline": timeline_figure,
    "network": network_figure,
    "beliefs": beliefs_figure,
}
