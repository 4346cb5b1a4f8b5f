"""One self-contained HTML report of a run folder.

:func:`write_report` writes ``report.html`` into a finished run folder:

* the scenario's title and summary, the seed and the headline outcomes computed
  from ``metrics.csv`` by the outcome table (:func:`headline`), over the turns played;
* every figure in ``figures/`` as an ``<img>`` with a ``data:`` URI of the
  file itself, base64-encoded: the SVG when there is one, else the bitmap.
  With a ``focus`` (``sim report --focus A,B --observer C``) the figures are
  redrawn with it from the run into the report only, never over the folder's
  ``figures/`` (:mod:`.refocus`).
  An SVG inside ``<img>`` runs no script and loads nothing, so the report
  needs no SVG sanitiser. Captions come from the figure catalogue;
* the transcript and the debrief, written as HTML from the same data
  (:class:`~sim.outputs.transcript.Transcript`,
  :class:`~sim.outputs.debrief.Debrief`) that ``transcript.md`` and
  ``debrief.md`` are written from, never by parsing the Markdown. The data
  is the caller's result, or the run replayed from the folder's resolved
  scenario, seed and turns; it is shown only if it writes exactly the
  folder's files, else a file is shown as written (see :mod:`.minutes`);
* the scenario's sources, where they disagree, every actor's posture value
  with its basis, and the manifest (seed, command, versions, file hashes).

The HTML comes from Jinja2 templates in ``sim/outputs/templates/`` with
autoescaping on (every piece of scenario text is escaped by the template
engine, none by hand) and the styles from ``report.css`` there, inlined. The
page makes no external requests: no scripts, no web fonts, no remote images,
only in-page ``#anchors`` and ``data:`` URIs. It has print CSS, and the same
run folder always gives the same bytes. The report is written to a temporary
file beside ``report.html`` and renamed into place.

Example:
    >>> from pathlib import Path
    >>> write_report(Path("runs/my_scenario-seed-3"))  # doctest: +SKIP
    PosixPath('runs/my_scenario-seed-3/report.html')
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim import files
from sim.errors import RunFolderError
from sim.outputs.report.figures import figure_id, find_figures, report_figure_notes
from sim.outputs.report.folder import Headline, headline, read_text
from sim.outputs.report.page import NO_WEAPONS
from sim.scenario import yamlsafe

if TYPE_CHECKING:
    from sim.model.results import RunResult
    from sim.outputs.figures import FigureFocus

__all__ = [
    "NO_WEAPONS",
    "REPORT_NAME",
    "Headline",
    "figure_id",
    "find_figures",
    "headline",
    "read_run_folder",
    "render_report",
    "report_figure_notes",
    "write_report",
]

REPORT_NAME = "report.html"


def read_run_folder(run_dir: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The run folder's manifest and resolved scenario, as data.

    Raises:
        RunFolderError: ``run_dir`` is not a run folder (no ``manifest.json`` or
            ``scenario.resolved.yaml`` that can be read).
        FileProblem: a file of the folder leads out of it, is not a regular
            file, is too large or is not UTF-8.
    """
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise RunFolderError(f"{run_dir} is not a folder; give a run folder made by 'sim run'")
    manifest_text = read_text(run_dir, "manifest.json")
    scenario_text = read_text(run_dir, "scenario.resolved.yaml")
    if manifest_text is None or scenario_text is None:
        raise RunFolderError(
            f"{run_dir} is not a run folder: it needs manifest.json and "
            "scenario.resolved.yaml (made by 'sim run')"
        )
    manifest = files.parse_json(manifest_text, run_dir / "manifest.json", "run manifest")
    try:
        scenario = yamlsafe.parse(scenario_text, str(run_dir / "scenario.resolved.yaml")).data
    except yamlsafe.YamlProblem as exc:
        raise RunFolderError(
            f"{run_dir / 'scenario.resolved.yaml'}:{exc.line}:{exc.column}: {exc.message}: "
            "this run folder's scenario is damaged; run the scenario again"
        ) from None
    if not isinstance(manifest, dict) or not isinstance(scenario, dict):
        raise RunFolderError(f"{run_dir}: manifest.json or scenario.resolved.yaml is malformed")
    return manifest, scenario


def render_report(
    run_dir: Path, *, result: RunResult | None = None, focus: FigureFocus | None = None
) -> str:
    """The report of ``run_dir`` as one HTML document (a string).

    Args:
        run_dir: A run folder made by ``sim run`` (or ``sim play``).
        result: The folder's run, if the caller has it; else it is replayed
            from the folder to show the transcript and debrief.
        focus: Redraw the figures with this focus, into the report only
            (:func:`~sim.outputs.report.refocus.report_focus`); None: the
            folder's figures as drawn.

    Raises:
        RunFolderError: ``run_dir`` is not a run folder (no ``manifest.json`` or
            ``scenario.resolved.yaml`` that can be read), or ``focus`` is given
            and the folder cannot be replayed to redraw its figures.
        FileProblem: a file of the folder leads out of it, is not a regular
            file, is too large or is not UTF-8.
    """
    run_dir = Path(run_dir)
    manifest, scenario = read_run_folder(run_dir)
    from sim.outputs.report.page import render_page

    views = None
    if focus is not None:
        from sim.outputs.report.refocus import refocused_views

        views, result = refocused_views(run_dir, manifest, focus, result)
    return render_page(
        run_dir, manifest, scenario, report_name=REPORT_NAME, result=result, figures=views
    )


def write_report(
    run_dir: Path, *, result: RunResult | None = None, focus: FigureFocus | None = None
) -> Path:
    """Write ``run_dir/report.html`` from the run folder's files and return its path.

    The file is written to a temporary file beside it and renamed into place,
    so a reader never sees half a report. The same run folder always gives
    the same bytes.

    Args:
        run_dir: A run folder made by ``sim run`` (or ``sim play``).
        result: The folder's run, if the caller has it (saves replaying it).
        focus: Redraw the figures with this focus, into the report only.

    Raises:
        RunFolderError: ``run_dir`` is not a readable run folder, the report
            cannot be written there, or ``focus`` is given and the folder
            cannot be replayed.
    """
    run_dir = Path(run_dir)
    text = render_report(run_dir, result=result, focus=focus)
    return files.add_to_folder(run_dir, REPORT_NAME, text)
