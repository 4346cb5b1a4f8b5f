"""Tension per actor over the run, with the injects marked."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from sim.outputs.figures._catalogue import DASHBOARD, REPORT, RUN_FOLDER, FigureSpec
from sim.outputs.figures._common import (
    CROWDED,
    CROWDED_SIZE,
    HEIGHT,
    KEY_CHARS,
    KEY_LINES,
    LABEL_SIZE,
    SMALL_SIZE,
    TICK_SIZE,
    TITLE_SIZE,
    WIDTH,
    actor_styles,
    display_names,
    figure_title,
    new_figure,
    style_ticks,
    wrap_label,
)
from sim.outputs.figures._view import shown_indices

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.model.results import RunResult


def inject_key(result: RunResult) -> list[tuple[int, str]]:
    """``(turn, label)`` of each inject turn, in turn order (labels of one turn joined)."""
    by_turn: dict[int, list[str]] = {}
    for row in result.injects.itertuples(index=False):
        label = row.label if isinstance(row.label, str) and row.label.strip() else row.inject
        by_turn.setdefault(int(row.turn), []).append(" ".join(str(label).split()))
    return [(turn, " / ".join(labels)) for turn, labels in sorted(by_turn.items())]


def tension_figure(result: RunResult, focus: Sequence[str] | None = None) -> Figure:
    """Draw the tension of each actor over the run, with the injects marked.

    One line per actor shown (its display name in a legend outside the plot,
    on the right) of ``result.arrays.tension[:, i]``, in the actor's colour,
    dash and marker (:func:`actor_styles`); x is the turn from 0 (the starting
    state) to T, y is tension from 0 to 1. Each inject's turn gets a vertical
    dotted line tagged with a number at the top of the plot; a key below the
    plot gives each number's turn and the inject's label, wrapped (at most
    :data:`KEY_LINES` lines), so no label is cut off by the plot's edge.

    Args:
        result: A run (any number of actors and turns, including none played).
        focus: Actor ids or display names to draw; None: the focus in effect
            (:func:`focused`, every actor by default).

    Returns:
        The figure, about 11 x 6.5 inches.

    Raises:
        UnknownActor: ``focus`` names no actor of the run.

    """
    from matplotlib.ticker import MaxNLocator

    tension = result.arrays.tension
    turns = tension.shape[0] - 1
    ids = result.actor_ids
    names = display_names(result)
    styles = actor_styles(result)
    shown = shown_indices(result, focus)

    key = inject_key(result)
    entries = [
        f"{number}  turn {turn}: {wrap_label(label, KEY_CHARS, KEY_LINES)}"
        for number, (turn, label) in enumerate(key, start=1)
    ]
    rows = sum(e.count("\n") + 1 for e in entries)
    key_rows = rows if len(entries) <= 4 else math.ceil(rows / 2)
    fig = new_figure(WIDTH, HEIGHT + (0.3 * key_rows + 0.4 if entries else 0.0))
    ax = fig.add_subplot()
    x = np.arange(turns + 1)
    handles = []
    for i in shown:
        aid = ids[i]
        (line,) = ax.plot(
            x,
            tension[:, i],
            linewidth=2.4,
            label=wrap_label(names[i]),
            gid=f"actor:{aid}",
            zorder=3,
            **styles[aid].line_kwargs(turns + 1),
        )
        handles.append(line)

    spacing = max(1.0, turns / 25)
    last = -math.inf
    for number, (turn, _label) in enumerate(key, start=1):
        ax.axvline(turn, color="0.35", linestyle=":", linewidth=1.5, zorder=2, gid=f"inject:{turn}")
        if turn - last < spacing:
            continue  # the tag would sit on the previous one: the key still lists it
        last = turn
        ax.text(
            turn,
            0.985,
            str(number),
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=SMALL_SIZE,
            fontweight="bold",
            color="0.15",
            bbox={"facecolor": "white", "edgecolor": "0.35", "boxstyle": "round,pad=0.25"},
            zorder=4,
            gid=f"inject-label:{turn}",
        )

    ax.set_xlim(0, max(turns, 1))
    ax.set_ylim(0.0, 1.0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("turn", fontsize=LABEL_SIZE)
    ax.set_ylabel("tension (0–1)", fontsize=LABEL_SIZE)
    ax.set_title(
        figure_title(result, "tension per actor", WIDTH - 3.0, TITLE_SIZE), fontsize=TITLE_SIZE
    )
    ax.grid(True, alpha=0.3)
    style_ticks(ax)
    fig.legend(
        handles=handles,
        loc="outside right upper",
        ncols=max(1, math.ceil(len(shown) / 20)),
        fontsize=CROWDED_SIZE if len(shown) > CROWDED else TICK_SIZE,
        frameon=False,
        handlelength=3.2,
    )
    if entries:
        from matplotlib.patches import Patch

        fig.legend(
            handles=[Patch(visible=False) for _ in entries],
            labels=entries,
            loc="outside lower left",
            title="injects (dotted lines)",
            title_fontsize=SMALL_SIZE,
            alignment="left",
            fontsize=SMALL_SIZE,
            frameon=False,
            handlelength=0,
            handletextpad=0,
            ncols=1 if len(entries) <= 4 else 2,
        )
    return fig


FIGURE = FigureSpec(
    name="tension",
    title="Tension per actor",
    caption=(
        "How tense each actor is, turn by turn, with the injects marked (only the actors "
        "in focus when the run chose some with --focus)."
    ),
    look_for=(
        "One line per actor from turn 0 (the starting state) to the last turn, each with "
        "its own colour, dash and marker; numbered dotted vertical lines mark the "
        "injects, listed under the plot. Look for who rises first after an inject, "
        "whose line keeps climbing when others level off, and whether any line falls."
    ),
    draw=tension_figure,
    outputs=frozenset({RUN_FOLDER, REPORT, DASHBOARD}),
    order=10,
    alt="Tension per actor over the turns",
)
