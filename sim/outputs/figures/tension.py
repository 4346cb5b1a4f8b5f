"""Tension per actor over the run, with the injects marked."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.outputs.figures._catalogue import DASHBOARD, REPORT, RUN_FOLDER, FigureSpec
from sim.outputs.figures._common import (
    HEIGHT,
    INJECT_LABEL_CHARS,
    LABEL_SIZE,
    PALETTE,
    SMALL_SIZE,
    TICK_SIZE,
    TITLE_SIZE,
    WIDTH,
    actor_colours,
    display_names,
    figure_title,
    new_figure,
    shorten,
    style_ticks,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.model.results import RunResult


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
    from matplotlib.ticker import MaxNLocator

    tension = result.arrays.tension
    turns = tension.shape[0] - 1
    ids = result.actor_ids
    names = display_names(result)
    colours = actor_colours(result)
    styles = ("-", "--", "-.")

    fig = new_figure(WIDTH, HEIGHT)
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
            shorten(" / ".join(labels), INJECT_LABEL_CHARS),
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
    ax.set_title(figure_title(result, "tension per actor", WIDTH - 2.5), fontsize=TITLE_SIZE)
    ax.grid(True, alpha=0.3)
    style_ticks(ax)
    fig.legend(
        handles=handles,
        loc="outside right upper",
        ncols=max(1, math.ceil(len(ids) / 20)),
        fontsize=SMALL_SIZE if len(ids) > 12 else TICK_SIZE,
        frameon=False,
    )
    return fig


FIGURE = FigureSpec(
    name="tension",
    title="Tension per actor",
    caption="How tense each actor is, turn by turn, with the injects marked.",
    look_for=(
        "One line per actor from turn 0 (the starting state) to the last turn; dotted "
        "vertical lines mark the injects. Look for who rises first after an inject, "
        "whose line keeps climbing when others level off, and whether any line falls."
    ),
    draw=tension_figure,
    outputs=frozenset({RUN_FOLDER, REPORT, DASHBOARD}),
    order=10,
    alt="Tension per actor over the turns",
)
