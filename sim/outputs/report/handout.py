"""The class handout of a run folder: ``handout.html``, at most four printed A4 pages.

Where ``report.html`` keeps everything (every turn, every source, the
manifest), the handout keeps what a class needs on paper after a session:

* the scenario's title and summary and this run's headline numbers;
* two figures for projection: tension over time, and the perception gap
  (beliefs when the run has no perception-gap figure), embedded as the
  report embeds them (``data:`` URIs of the run's own files);
* the turning points of the transcript and the debrief questions, from the
  same data ``transcript.md`` and ``debrief.md`` are written from.

Same rules as the report: Jinja2 with autoescaping, no request leaves the
page, the same folder gives the same bytes, and the file is written
atomically and listed in the folder's manifest. The full report stays
``sim report RUN_DIR``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sim import files
from sim.outputs.report.figures import FigureView, figure_views
from sim.outputs.report.folder import as_text, headline
from sim.outputs.report.minutes import folder_minutes

if TYPE_CHECKING:
    from sim.model.results import RunResult
    from sim.outputs.figures import FigureFocus

__all__ = ["HANDOUT_FIGURES", "HANDOUT_NAME", "render_handout", "write_handout"]

HANDOUT_NAME = "handout.html"

HANDOUT_FIGURES: tuple[tuple[str, ...], ...] = (
    ("tension",),
    ("perception_gap", "beliefs"),
)
"""The handout's two figures: for each, the figure files' names in order of preference."""


def _figures(run_dir: Path, shown: list[FigureView] | None = None) -> list[FigureView]:
    every = figure_views(run_dir) if shown is None else shown
    views = {Path(v.files[0]).stem: v for v in every if v.files and v.src}
    chosen = []
    for names in HANDOUT_FIGURES:
        found = next((views[n] for n in names if n in views), None)
        if found is not None:
            chosen.append(found)
    return chosen


def render_handout(
    run_dir: Path, *, result: RunResult | None = None, focus: FigureFocus | None = None
) -> str:
    """The handout of ``run_dir`` as one HTML document (a string).

    ``focus``: redraw its figures with this focus, into the handout only
    (:mod:`sim.outputs.report.refocus`); None: the folder's figures as drawn.

    Raises:
        RunFolderError: ``run_dir`` is not a readable run folder, or ``focus``
            is given and the folder cannot be replayed.
        FileProblem: a file of the folder cannot be read safely.
    """
    from sim.outputs.report import read_run_folder
    from sim.outputs.report.page import NO_WEAPONS, _run_rows, environment, run_heading

    run_dir = Path(run_dir)
    manifest, scenario = read_run_folder(run_dir)
    head = run_heading(run_dir, manifest, scenario, "Class handout")
    meta, actor_ids, names = head.meta, head.actor_ids, head.names
    title, subtitle, seed, turns = head.title, head.subtitle, head.seed, head.turns
    views = None
    if focus is not None:
        from sim.outputs.report.refocus import refocused_views

        views, result = refocused_views(run_dir, manifest, focus, result)
    minutes = folder_minutes(run_dir, manifest, result)
    rows = _run_rows(
        headline(run_dir, actor_ids), seed, turns, manifest, meta, names, actor_ids, False
    )
    context = {
        "title": title,
        "subtitle": subtitle,
        "summary": as_text(meta.get("summary")) if meta.get("summary") else "",
        "run_rows": rows,
        "figures": _figures(run_dir, views),
        "minutes": minutes,
        "no_weapons": NO_WEAPONS,
        "folder": run_dir.name,
    }
    return environment().get_template("handout.html.j2").render(context)


def write_handout(
    run_dir: Path, *, result: RunResult | None = None, focus: FigureFocus | None = None
) -> Path:
    """Write ``run_dir/handout.html`` (atomically, listed in the manifest) and return its path.

    Raises:
        RunFolderError: ``run_dir`` is not a readable run folder, or ``focus``
            is given and the folder cannot be replayed.
        FileProblem: the file cannot be written, or ``handout.html`` is there
            and sim did not write it.
    """
    run_dir = Path(run_dir)
    text = render_handout(run_dir, result=result, focus=focus)
    return files.add_to_folder(run_dir, HANDOUT_NAME, text)
