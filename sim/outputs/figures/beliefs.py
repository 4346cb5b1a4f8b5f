"""What one observer believes about every other actor, and how credible it finds their framing."""

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
    SMALL_SIZE,
    SUBTITLE_SIZE,
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
from sim.outputs.figures._view import choose_observer, shown_indices

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.model.results import RunResult


def beliefs_figure(
    result: RunResult, observer: str | None = None, focus: Sequence[str] | None = None
) -> Figure:
    """Draw what one observer believes about every other actor, over the run.

    Top panel: one line per other actor j shown of ``result.arrays.belief[:, i, j]``,
    observer i's belief that j is hostile, in j's colour, dash and marker
    (:func:`actor_styles`); bottom panel, sharing x: the same styles for
    ``result.arrays.credibility[:, i, j]``, how credible i found j's framing of
    its moves. x is the turn from 0 (the starting state) to T; both y axes run
    from 0 to 1. Inject turns get vertical dotted lines; a legend of display
    names is outside, on the right. The title names the observer and says why
    it is the one (chosen, or the most tense actor and its peak tension).

    Args:
        result: A run (any number of actors and turns, including none played).
        observer: The observer's actor id (or display name); None: the focus's
            observer (:func:`focused`), else the actor with the highest peak
            tension among those shown (the first, on a tie).
        focus: Actor ids or display names whose lines to draw (the observer's
            own is never drawn); None: the focus in effect (every actor by
            default). A focus of the observer alone draws every other actor.

    Returns:
        The figure, about 11 x 8 inches.

    Raises:
        UnknownActor: ``observer`` or ``focus`` names no actor of the run.

    """
    from matplotlib.ticker import MaxNLocator

    shown = shown_indices(result, focus)
    i, why = choose_observer(result, observer, shown)
    a = result.arrays
    ids = result.actor_ids
    names = display_names(result)
    styles = actor_styles(result)
    turns = a.belief.shape[0] - 1
    x = np.arange(turns + 1)
    others = [j for j in shown if j != i] or [j for j in range(len(ids)) if j != i]

    fig = new_figure(WIDTH, 8.0)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    handles = []
    for j in others:
        aid = ids[j]
        style = styles[aid].line_kwargs(turns + 1)
        (line,) = top.plot(
            x,
            a.belief[:, i, j],
            linewidth=2.4,
            label=wrap_label(names[j]),
            gid=f"belief:{aid}",
            zorder=3,
            **style,
        )
        handles.append(line)
        bottom.plot(
            x,
            a.credibility[:, i, j],
            linewidth=2.0,
            label=wrap_label(names[j]),
            gid=f"credibility:{aid}",
            zorder=3,
            **style,
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
    top.set_ylabel("belief that the\nactor is hostile", fontsize=LABEL_SIZE)
    bottom.set_ylabel("credibility of\nits framing", fontsize=LABEL_SIZE)
    bottom.set_xlabel("turn", fontsize=LABEL_SIZE)
    top.set_title(
        figure_title(result, f"what {names[i]} believes ({why})", WIDTH - 3.0, TITLE_SIZE),
        fontsize=TITLE_SIZE,
    )
    bottom.set_title(
        wrap_label(f"how credible {names[i]} found each actor's framing", 64),
        fontsize=SUBTITLE_SIZE,
        style="italic",
    )
    fig.legend(
        handles=handles,
        loc="outside right upper",
        ncols=max(1, math.ceil(len(others) / 20)),
        fontsize=CROWDED_SIZE if len(others) > CROWDED else TICK_SIZE,
        frameon=False,
        title="other actor",
        title_fontsize=SMALL_SIZE,
        handlelength=3.2,
    )
    return fig


FIGURE = FigureSpec(
    name="beliefs",
    every_turn=True,
    title="One observer's beliefs and the credibility it gives others",
    caption=(
        "How hostile one observer believes each other actor is, and how far it believes "
        "their framing: the observer chosen with --observer, else the most tense actor "
        "(the title names it and says why)."
    ),
    look_for=(
        "Top: how hostile the observer (named in the title, with why it is the one) "
        "believes each other actor is; bottom: how far it believes their public framing, "
        "each actor in the same colour, dash and marker as above. Look for beliefs "
        "that ratchet up after injects and for framings that stop being believed."
    ),
    draw=beliefs_figure,
    outputs=frozenset({RUN_FOLDER, REPORT}),
    order=60,
)
