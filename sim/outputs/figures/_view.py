"""Which actors a run's figures show, and whose beliefs: the figure focus.

A class projecting the figures often cares about three of nine actors. A
:class:`FigureFocus` names them (``actors``) and the observer of the beliefs
figure (``observer``). Each figure takes ``focus=`` (and the beliefs figure
``observer=``) directly; when they are not given it uses the focus in effect,
set for a block with :func:`focused`, which is how ``sim run --focus`` reaches
the figures of a run folder (forked figure workers inherit it)::

    from sim.outputs.figures import FigureFocus, focused, tension_figure

    tension_figure(result, focus=["red", "blue"])   # two lines
    with focused(FigureFocus(("red", "blue"), observer="green")):
        write_run_folder(result, folder)                       # every figure so

With a focus, the figures show only the actors in it (the line figures draw
their lines, the heat maps their rows and columns, the timeline their lanes
and the counter-actions between them); the others are left out, not greyed,
so a projected figure has fewer elements. The focus is recorded in the run
folder's manifest (its ``command``, and ``figures`` where the run folder
writes one): :func:`focus_from_manifest` reads it back, so a report redraws
the same figures.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sim.model.results import RunResult


class UnknownActor(ValueError):
    """A focus or observer names no actor of the run (the message suggests the closest)."""


@dataclass(frozen=True, slots=True)
class FigureFocus:
    """The actors a run's figures show, and the observer of the beliefs figure.

    Attributes:
        actors: Actor ids (or display names) to show, in any order; empty: every actor.
        observer: The beliefs figure's observer (an id or display name); None:
            the most tense actor (highest peak tension) among those shown.
    """

    actors: tuple[str, ...] = ()
    observer: str | None = None

    def as_manifest(self) -> dict[str, Any]:
        """``{"focus": [...], "observer": ...}`` as a run folder's manifest records it."""
        return {"focus": list(self.actors), "observer": self.observer}


_CURRENT: ContextVar[FigureFocus] = ContextVar("figure_focus", default=FigureFocus())  # noqa: B039


def current_focus() -> FigureFocus:
    """The focus in effect (every actor, default observer, outside :func:`focused`)."""
    return _CURRENT.get()


@contextmanager
def focused(focus: FigureFocus) -> Iterator[FigureFocus]:
    """Draw every figure in the block with ``focus`` (restored afterwards)."""
    token = _CURRENT.set(focus)
    try:
        yield focus
    finally:
        _CURRENT.reset(token)


def resolve_actor(name: str, ids: Sequence[str], names: Sequence[str], what: str) -> str:
    """The actor id ``name`` means (an id, or a display name), else :class:`UnknownActor`.

    Args:
        name: What the user typed.
        ids: The actor ids, in actor order.
        names: Their display names, in the same order.
        what: The option, for the message (``"--focus"``).
    """
    key = name.strip()
    if key in ids:
        return key
    if key in names:
        return ids[list(names).index(key)]
    lowered = {n.lower(): i for n, i in zip(names, ids, strict=True)}
    if key.lower() in lowered:
        return lowered[key.lower()]
    close = difflib.get_close_matches(key, [*ids, *names], n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f" (actors: {', '.join(ids)})"
    raise UnknownActor(f"{what}: no actor '{key}'{hint}")


def check_focus(focus: FigureFocus, ids: Sequence[str], names: Sequence[str]) -> FigureFocus:
    """``focus`` with every actor resolved to its id, in actor order, repeats dropped.

    Raises:
        UnknownActor: an actor or the observer is not in ``ids`` or ``names``.
    """
    chosen = {resolve_actor(a, ids, names, "--focus") for a in focus.actors if a.strip()}
    observer = (
        None if focus.observer is None else resolve_actor(focus.observer, ids, names, "--observer")
    )
    return FigureFocus(tuple(a for a in ids if a in chosen), observer)


def _names(result: RunResult) -> list[str]:
    actors = result.scenario.actors
    return [actors[a].name if a in actors else a for a in result.actor_ids]


def shown_indices(result: RunResult, actors: Iterable[str] | None = None) -> list[int]:
    """Indices (actor order) of the actors a figure shows.

    Args:
        result: A run.
        actors: Ids or display names; None: the focus in effect; empty: every actor.

    Raises:
        UnknownActor: a name is not an actor of the run.
    """
    wanted = tuple(current_focus().actors if actors is None else actors)
    ids = result.actor_ids
    if not wanted:
        return list(range(len(ids)))
    chosen = check_focus(FigureFocus(wanted), ids, _names(result)).actors
    return [k for k, a in enumerate(ids) if a in chosen]


def choose_observer(
    result: RunResult, observer: str | None, shown: Sequence[int]
) -> tuple[int, str]:
    """The beliefs figure's observer (index) and why it is the one, in words.

    Args:
        result: A run.
        observer: An id or display name; None: the focus's observer, else the
            actor with the highest peak tension among ``shown`` (the first, on a tie).
        shown: Indices of the actors the figure shows.

    Raises:
        UnknownActor: ``observer`` is not an actor of the run.
    """
    ids = result.actor_ids
    wanted = current_focus().observer if observer is None else observer
    if wanted is not None:
        i = ids.index(resolve_actor(wanted, ids, _names(result), "--observer"))
        return i, "chosen with --observer"
    pool = list(shown) or list(range(len(ids)))
    peaks = result.arrays.tension.max(axis=0)
    i = pool[int(np.argmax(peaks[pool]))]
    among = "" if len(pool) == len(ids) else " in focus"
    return i, f"the most tense actor{among}, peak tension {float(peaks[i]):.2f}"


def focus_from_command(command: Sequence[str]) -> FigureFocus:
    """The focus a ``sim run`` command line asked for (``--focus A,B``, ``--observer C``)."""
    actors: tuple[str, ...] = ()
    observer: str | None = None
    args = list(command)
    for k, arg in enumerate(args):
        name, eq, value = arg.partition("=")
        if name not in ("--focus", "--observer"):
            continue
        if not eq:
            if k + 1 >= len(args):
                continue
            value = args[k + 1]
        if name == "--focus":
            actors = tuple(a.strip() for a in value.split(",") if a.strip())
        else:
            observer = value.strip() or None
    return FigureFocus(actors, observer)


def focus_from_manifest(manifest: Mapping[str, Any]) -> FigureFocus:
    """The focus a run folder's figures were drawn with, from its ``manifest.json``.

    Its ``figures`` entry (``{"focus": [...], "observer": ...}``) where there is
    one, else the recorded ``command``; neither: every actor.
    """
    figures = manifest.get("figures")
    if isinstance(figures, Mapping):
        focus = figures.get("focus") or []
        observer = figures.get("observer")
        return FigureFocus(
            tuple(str(a) for a in focus), None if observer is None else str(observer)
        )
    command = manifest.get("command")
    if isinstance(command, list):
        return focus_from_command([str(c) for c in command])
    return FigureFocus()
