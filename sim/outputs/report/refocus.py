"""The report's figures redrawn with a focus: ``sim report RUN_DIR --focus A,B --observer C``.

A run folder's ``figures/`` were drawn with the run's focus (recorded in its
manifest). A report for a class may want other actors, or another observer of
the beliefs figure, without running again. :func:`refocused_views` redraws
every figure the run can draw with that focus into a temporary folder, reads
them back as the report embeds figures (``data:`` URIs) and removes the
folder: the redrawn figures live in the report (or handout) only, and the run
folder's own ``figures/`` are never touched.

Redrawing needs the run itself: the caller's result, or the run replayed from
the folder's resolved scenario, seed and turns, as the report's minutes replay
it (:func:`sim.outputs.report.minutes.replay`). A replay is used only when it
writes exactly the folder's ``metrics.csv``; a folder that cannot be replayed
(a game played by people, a folder edited after the run, or made by another
version of the tool) is refused with a sentence saying so.

:func:`report_focus` decides the focus: what the command line names, each part
falling back to the manifest's (``--observer`` alone keeps the run's actors in
focus); nothing named: None, and the report shows the folder's figures as drawn.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import RunFolderError, UsageError
from sim.outputs.report.figures import FigureView, figure_views
from sim.outputs.report.folder import dig, read_text

if TYPE_CHECKING:
    from sim.model.results import RunResult
    from sim.outputs.figures import FigureFocus

__all__ = ["REDRAWN", "focus_options", "refocused_views", "report_focus"]

REDRAWN = (
    "Drawn for this page only, with the options in brackets; the run folder's own figure "
    "is as the run drew it."
)

NOT_REPLAYED = (
    "{folder}: its figures cannot be redrawn with --focus or --observer: {why}. "
    "Run 'sim report' without them to show the figures as drawn, or run the scenario "
    "again with 'sim run ... --focus'."
)


def report_focus(
    manifest: dict[str, Any],
    scenario: dict[str, Any],
    focus: str | None = None,
    observer: str | None = None,
) -> FigureFocus | None:
    """The focus to redraw the report's figures with, checked against the run's actors.

    Args:
        manifest: The run folder's ``manifest.json``, parsed.
        scenario: Its ``scenario.resolved.yaml``, parsed.
        focus: ``--focus A,B`` as typed (ids or names, separated by commas), or None.
        observer: ``--observer C`` as typed, or None.

    Returns:
        None when neither is given (the folder's figures are shown as drawn);
        else the focus with ids in actor order, each part not given taken from
        the manifest's (:func:`sim.outputs.figures.focus_from_manifest`).

    Raises:
        UsageError: ``--focus`` names no actor, or an actor named is not one
            of the run's (the message gives the closest id or name).
    """
    from sim.outputs.figures import FigureFocus, UnknownActor, check_focus, focus_from_manifest

    if focus is None and observer is None:
        return None
    actors = tuple(a.strip() for a in (focus or "").split(",") if a.strip())
    if focus is not None and not actors:
        raise UsageError("--focus: name at least one actor (ids or names, separated by commas)")
    recorded = focus_from_manifest(manifest)
    wanted = FigureFocus(
        actors if focus is not None else recorded.actors,
        observer.strip() if observer is not None else recorded.observer,
    )
    table = scenario.get("actors")
    ids = [str(a) for a in table] if isinstance(table, dict) else []
    names = [str(dig(table, a, "name") or a) for a in ids]
    try:
        return check_focus(wanted, ids, names)
    except UnknownActor as exc:
        raise UsageError(str(exc)) from None


def refocused_views(
    run_dir: Path,
    manifest: dict[str, Any],
    focus: FigureFocus,
    result: RunResult | None = None,
) -> tuple[list[FigureView], RunResult]:
    """The run's figures drawn with ``focus``, as the report shows them, and the run drawn.

    Args:
        run_dir: The run folder (only read).
        manifest: Its ``manifest.json``, parsed.
        focus: The focus (:func:`report_focus`).
        result: The folder's run, if the caller has it; else it is replayed.

    Raises:
        RunFolderError: the folder cannot be replayed, or its replay does not
            write its ``metrics.csv``.
    """
    run_dir = Path(run_dir)
    if result is None:
        result = _replayed(run_dir, manifest)
    from sim.outputs.figures import focused
    from sim.outputs.run_folder import render_figures

    with tempfile.TemporaryDirectory(prefix="sim-report-figures-") as scratch:
        with focused(focus):
            render_figures(result, Path(scratch) / "figures")
        views = figure_views(Path(scratch))
    options = focus_options(focus)
    # the caption names the options instead of files: the folder's files are the run's own
    return [replace(v, look=f"{v.look} {REDRAWN}", shown=options, also=()) for v in views], result


def focus_options(focus: FigureFocus) -> str:
    """``--focus a,b --observer c``: what the figures were redrawn with."""
    parts = []
    if focus.actors:
        parts.append("--focus " + ",".join(focus.actors))
    if focus.observer is not None:
        parts.append("--observer " + focus.observer)
    return " ".join(parts)


def _replayed(run_dir: Path, manifest: dict[str, Any]) -> RunResult:
    from sim.outputs.report.minutes import replay

    if (run_dir / "play.json").is_symlink() or (run_dir / "play.json").exists():
        raise RunFolderError(
            NOT_REPLAYED.format(
                folder=run_dir, why="it is a game played by people, whose moves no seed gives"
            )
        )
    result = replay(run_dir, manifest)
    if result is None:
        raise RunFolderError(
            NOT_REPLAYED.format(
                folder=run_dir,
                why="its manifest gives no seed and turns, or its scenario no longer runs",
            )
        )
    if not _writes_metrics(result, run_dir):
        raise RunFolderError(
            NOT_REPLAYED.format(
                folder=run_dir,
                why="running its scenario again does not give its metrics.csv (a file edited "
                "after the run, or a folder made by another version of the tool)",
            )
        )
    return result


def _writes_metrics(result: RunResult, run_dir: Path) -> bool:
    """Whether ``result`` writes exactly the folder's ``metrics.csv``."""
    from sim.outputs.tables import write_csv

    written = read_text(run_dir, "metrics.csv")
    if written is None:
        return False
    with tempfile.TemporaryDirectory(prefix="sim-report-check-") as scratch:
        path = Path(scratch) / "metrics.csv"
        write_csv(result.metrics, path)
        return path.read_text(encoding="utf-8") == written
