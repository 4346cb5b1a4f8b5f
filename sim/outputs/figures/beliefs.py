"""What one observer believes about every other actor, and how credible it finds their framing."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from sim.outputs.figures._catalogue import REPORT, RUN_FOLDER, FigureSpec
from sim.outputs.figures._common import (
    LABEL_SIZE,
    PALETTE,
    SMALL_SIZE,
    SUBTITLE_SIZE,
    TICK_SIZE,
    TITLE_SIZE,
    WIDTH,
    actor_colours,
    display_names,
    figure_title,
    new_figure,
    style_ticks,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.model.results import RunResult


def _observer_index(result: RunResult, observer: str | None) -> int:
    """Index of ``observer`` (an actor id or display name; default: highest peak tension)."""
    ids = result.actor_ids
    if observer is None:
        return int(np.argmax(result.arrays.tension.max(axis=0)))
    if observer in ids:
        return ids.index(observer)
    names = display_names(result)
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
    from matplotlib.ticker import MaxNLocator

    i = _observer_index(result, observer)
    a = result.arrays
    ids = result.actor_ids
    names = display_names(result)
    colours = actor_colours(result)
    turns = a.belief.shape[0] - 1
    x = np.arange(turns + 1)
    marker = "o" if turns < 2 else None
    others = [j for j in range(len(ids)) if j != i]
    styles = ("-", "--", "-.")

    fig = new_figure(WIDTH, 7.5)
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
        style_ticks(ax)
    top.set_xlim(0, max(turns, 1))
    bottom.xaxis.set_major_locator(MaxNLocator(integer=True))
    top.set_ylabel("belief that the actor\nis hostile (0–1)", fontsize=LABEL_SIZE)
    bottom.set_ylabel("credibility of the\nactor's framing (0–1)", fontsize=LABEL_SIZE)
    bottom.set_xlabel("turn", fontsize=LABEL_SIZE)
    top.set_title(
        figure_title(result, f"what {names[i]} believes", WIDTH - 2.5), fontsize=TITLE_SIZE
    )
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


FIGURE = FigureSpec(
    name="beliefs",
    every_turn=True,
    title="One observer's beliefs and the credibility it gives others",
    caption=(
        "How hostile the most tense actor believes each other actor is, and how far it "
        "believes their framing."
    ),
    look_for=(
        "Top: how hostile the observer (named in the title) believes each other actor "
        "is; bottom, dashed: how far it believes their public framing. Look for beliefs "
        "that ratchet up after injects and for framings that stop being believed."
    ),
    draw=beliefs_figure,
    outputs=frozenset({RUN_FOLDER, REPORT}),
    order=60,
)
