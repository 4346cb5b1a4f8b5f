"""Figures of a run, drawn with Matplotlib's object API, and the one catalogue of them.

Every figure is a :class:`matplotlib.figure.Figure` built directly, never
through :mod:`matplotlib.pyplot`, so nothing here picks a GUI backend or keeps
figures alive in a global figure manager: the package is safe on a headless
server and in a notebook alike. :func:`save_figure` writes byte-identical files
for the same run, so a run folder can be compared or checked into a course
repository.

* :func:`tension_figure` (``tension``): tension per actor over the turns, with the injects;
* :func:`rung_heatmap` (``rungs``): the escalation rung of every move, actor x turn;
* :func:`gap_matrix_figure` (``perception_gap``): the mean perception gap, observer x sender;
* :func:`timeline_figure` (``timeline``): the counter-action timeline, with an
  arrow from each move to the move that counter-acted it and the miscalculations marked;
* :func:`network_figure` (``network``): alignment and mutual trust between the actors
  at a few turns, side by side;
* :func:`beliefs_figure` (``beliefs``): what one observer believes about every other
  actor, and how credible it finds their framing, over the run.

Every figure is made to be projected: text at least :data:`PROJECTION_MIN` points
at the saved size (for up to 20 actors), labels wrapped rather than cut off, and
each actor's lines in its own colour, dash and marker (:func:`actor_styles`, the
one place that decides them), so a black-and-white print separates them too.
Each draw function takes ``focus=`` (actor ids or names to show); by default the
focus in effect (:func:`focused`, set by ``sim run --focus``), see
:mod:`sim.outputs.figures._view`.

Each figure is one module of this package holding its draw function and its
catalogue entry, ``FIGURE = FigureSpec(...)`` (name, title, one-sentence
caption, what to look for, draw function, outputs). Adding a figure is adding
one such module: it is found when the package is imported
(:mod:`sim.outputs.figures._catalogue`) and appears in :data:`CATALOGUE`, in
:data:`FIGURES` (so in every run folder and ``sim.figure``), in the report
(:func:`figure_notes`) and, if it asks to, in the dashboard
(:func:`figures_for`). For example::

    from sim.outputs.figures import CATALOGUE, DASHBOARD, figures_for

    [spec.name for spec in CATALOGUE]        # ['tension', 'rungs', ..., 'beliefs']
    [spec.name for spec in figures_for(DASHBOARD)]   # ['tension', 'rungs', 'perception_gap']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sim.outputs.figures._catalogue import (
    DASHBOARD,
    OUTPUTS,
    REPORT,
    RUN_FOLDER,
    CatalogueError,
    FigureSpec,
    discover,
)
from sim.outputs.figures._common import (
    DASHES,
    INJECT_LABEL_CHARS,
    MARKERS,
    MISCALCULATION_COLOUR,
    OKABE_ITO,
    PALETTE,
    PROJECTION_MIN,
    TOL_MUTED,
    ActorStyle,
    actor_colours,
    actor_styles,
)
from sim.outputs.figures._saving import save_figure
from sim.outputs.figures._view import (
    FigureFocus,
    UnknownActor,
    check_focus,
    current_focus,
    focus_from_manifest,
    focused,
)
from sim.outputs.figures.beliefs import beliefs_figure
from sim.outputs.figures.network import network_figure
from sim.outputs.figures.perception_gap import gap_matrix_figure
from sim.outputs.figures.rungs import rung_heatmap
from sim.outputs.figures.tension import tension_figure
from sim.outputs.figures.timeline import timeline_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from sim.model.results import RunResult

__all__ = [
    "CATALOGUE",
    "DASHBOARD",
    "DASHES",
    "FIGURES",
    "INJECT_LABEL_CHARS",
    "MARKERS",
    "MISCALCULATION_COLOUR",
    "OKABE_ITO",
    "OUTPUTS",
    "PALETTE",
    "PROJECTION_MIN",
    "REPORT",
    "RUN_FOLDER",
    "TOL_MUTED",
    "ActorStyle",
    "CatalogueError",
    "FigureFocus",
    "FigureSpec",
    "UnknownActor",
    "actor_colours",
    "actor_styles",
    "beliefs_figure",
    "catalogue_entry",
    "check_focus",
    "current_focus",
    "figure_notes",
    "figures_for",
    "focus_from_manifest",
    "focused",
    "gap_matrix_figure",
    "network_figure",
    "rung_heatmap",
    "save_figure",
    "tension_figure",
    "timeline_figure",
]

CATALOGUE: tuple[FigureSpec, ...] = discover(__name__, __path__)
"""Every figure of a run, in order: one :class:`FigureSpec` per figure module."""


def figures_for(output: str) -> tuple[FigureSpec, ...]:
    """The catalogue entries that appear in ``output``, in catalogue order.

    Args:
        output: :data:`RUN_FOLDER`, :data:`REPORT` or :data:`DASHBOARD`.

    Raises:
        ValueError: ``output`` is not one of :data:`OUTPUTS`.
    """
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}; use one of {', '.join(sorted(OUTPUTS))}")
    return tuple(spec for spec in CATALOGUE if output in spec.outputs)


def catalogue_entry(name: str) -> FigureSpec:
    """The catalogue entry of the figure called ``name``.

    Raises:
        ValueError: no figure has that name (the message lists the names).
    """
    for spec in CATALOGUE:
        if spec.name == name:
            return spec
    raise ValueError(f"unknown figure {name!r}; choose from {', '.join(s.name for s in CATALOGUE)}")


def figure_notes() -> dict[str, tuple[str, str]]:
    """``{file stem: (title, what to look for)}`` of the report's figures, in order.

    The report shows these notes under the figures it finds in a run folder's
    ``figures/``; figures it does not know follow, alphabetically.
    """
    return {spec.stem: (spec.title, spec.look_for) for spec in figures_for(REPORT)}


FIGURES: dict[str, Callable[[RunResult], Figure]] = {
    spec.stem: spec.draw for spec in figures_for(RUN_FOLDER)
}
"""The figures of a run folder, by file name (``figures/<name>.png``), in order."""


def drawable(result: RunResult) -> list[str]:
    """The run-folder figures (file stems, in order) that ``result`` keeps the data for.

    Every figure of :data:`FIGURES`, except, for a run that summarised its
    readings (more actors than :data:`sim.model.lean.FULL_READINGS_UP_TO`),
    those marked ``every_turn`` in the catalogue: that run does not keep the
    matrices they draw. :func:`left_out` names them.
    """
    return [s.stem for s in figures_for(RUN_FOLDER) if not (s.every_turn and result.summarised)]


def left_out(result: RunResult) -> list[str]:
    """The run-folder figures :func:`drawable` leaves out for ``result`` (file stems)."""
    keep = set(drawable(result))
    return [stem for stem in FIGURES if stem not in keep]
