"""Write a run folder atomically: whole, or not at all.

Everything is written into a hidden sibling folder first and renamed into
place at the end, so an interrupted run never leaves a half-written folder.
An existing folder is never overwritten unless ``force`` is given, and then
only if this tool wrote it (see :mod:`sim.files`).

Layout::

    <run>/
      manifest.json            seed, versions, input hashes, command line
      scenario.resolved.yaml   the scenario after extends/overrides/defaults
      metrics.csv              tidy per-turn metrics
      events.csv               every move and every reading of it
      links.csv                action-counteraction links
      injects.csv              injects fired
      transcript.md            the run as a dialogue
      debrief.md               questions tied to what happened in this run
      figures/                 tension, rungs, perception_gap, timeline, network, beliefs
                               (.png and .svg each)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from sim.files import output_folder
from sim.model.results import RunResult
from sim.outputs.tables import write_csv
from sim.scenario.loader import LoadedScenario, scenario_hash
from sim.scenario.schema import Scenario


def resolved_yaml(scenario: Scenario) -> str:
    """The scenario with every default filled in, as YAML that loads back to the same thing."""
    data = scenario.model_dump(mode="python", exclude_none=True)
    data["use_default_moves"] = False
    data.pop("extends", None)
    header = (
        "# The scenario exactly as it ran: extends, --set overrides and defaults applied.\n"
        "# Load it again with `sim run scenario.resolved.yaml`.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def default_folder(root: Path, scenario_id: str, seed: int) -> Path:
    """``root/<id>-seed<seed>``, or with ``-2``, ``-3``... when that exists."""
    base = root / f"{scenario_id}-seed{seed}"
    candidate, k = base, 1
    while candidate.exists():
        k += 1
        candidate = root / f"{base.name}-{k}"
    return candidate


def write_run_folder(
    result: RunResult,
    folder: Path,
    *,
    loaded: LoadedScenario | None = None,
    seed_source: str = "given",
    overrides: list[str] | None = None,
    command: list[str] | None = None,
    force: bool = False,
    figures: bool = True,
    extra: Callable[[Path], list[str]] | None = None,
) -> Path:
    """Write ``result`` into ``folder`` atomically and return the folder.

    Args:
        result: The finished run.
        folder: Where the run folder should appear.
        loaded: The loaded scenario (files read, for the manifest).
        seed_source: How the seed was chosen: 'given', 'scenario' or 'generated'.
        overrides: ``--set`` overrides applied.
        command: Command line to record.
        force: Replace an existing folder that this tool wrote (see :mod:`sim.files`).
        figures: Render figures (the slowest part).
        extra: Called with the staging folder to write more files; returns their names.

    Raises:
        FileProblem: the folder exists (and ``force`` is false, or it is not a
            folder this tool wrote) or cannot be written.
    """
    from sim.outputs.manifest import build_manifest

    folder = Path(folder)
    with output_folder(folder, force=force) as stage:
        _write_contents(result, stage.path, figures=figures)
        if extra is not None:
            extra(stage.path)
        stage.manifest = build_manifest(
            seed=result.seed,
            seed_source=seed_source,
            scenario_id=result.scenario.id,
            title=result.scenario.metadata.title,
            files=loaded.files if loaded is not None else [],
            scenario_hash=scenario_hash(result.scenario),
            turns=result.turns,
            overrides=list(overrides or []),
            command=list(command or []),
            folder=folder,
        )
    return folder


@contextmanager
def staged_folder(folder: Path, *, force: bool = False) -> Iterator[Path]:
    """Yield a hidden staging folder that becomes ``folder`` only if the block succeeds.

    The folder gets a ``manifest.json`` listing its files, so ``--force`` can
    later replace it (see :func:`sim.files.output_folder`).

    Raises:
        FileProblem: ``folder`` exists and ``force`` is false (or it is not a
            folder this tool wrote), or it cannot be created.
    """
    with output_folder(folder, force=force) as stage:
        yield stage.path


def _write_contents(result: RunResult, folder: Path, *, figures: bool) -> list[str]:
    outputs: list[str] = []
    (folder / "scenario.resolved.yaml").write_text(resolved_yaml(result.scenario), encoding="utf-8")
    outputs.append("scenario.resolved.yaml")
    for name, table in (
        ("metrics.csv", result.metrics),
        ("events.csv", result.events),
        ("links.csv", result.links),
        ("injects.csv", result.injects),
    ):
        write_csv(table, folder / name)
        outputs.append(name)
    from sim.outputs.transcript import write_transcript

    write_transcript(result, folder / "transcript.md")
    outputs.append("transcript.md")
    from sim.outputs.debrief import write_debrief

    write_debrief(result, folder / "debrief.md")
    outputs.append("debrief.md")
    if figures:
        fig_dir = folder / "figures"
        fig_dir.mkdir()
        for path in render_figures(result, fig_dir):
            outputs.append(str(path.relative_to(folder)))
    return outputs


_RENDERING: RunResult | None = None


def _render_one(name: str, folder: str) -> list[str]:
    from sim.outputs.figures import FIGURES, save_figure

    assert _RENDERING is not None
    return [str(p) for p in save_figure(FIGURES[name](_RENDERING), Path(folder), name)]


def render_figures(result: RunResult, folder: Path, *, workers: int | None = None) -> list[Path]:
    """Render every figure of :data:`sim.outputs.figures.FIGURES` into ``folder``.

    Figures are independent, so on a machine with several cores they are
    rendered in forked worker processes (which inherit the finished run; no
    re-import, no pickling of the result). Each figure's bytes do not depend on
    which process drew it. Where ``fork`` is unavailable, with one core, or
    when other Python threads are running, they are rendered one after another.

    Args:
        result: The run.
        folder: The ``figures/`` folder.
        workers: Processes to use (default: up to 2, the core count here).

    Returns:
        The files written, in ``FIGURES`` order (PNG then SVG for each).
    """
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    from sim.outputs.figures import FIGURES

    global _RENDERING
    names = list(FIGURES)
    workers = min(len(names), workers or min(2, os.cpu_count() or 1))
    _RENDERING = result
    _ = result.arrays, result.links, result.events  # compute once, before forking
    try:
        # Fork only from a single-threaded Python process: forking while other Python
        # threads may hold locks (a notebook kernel, a Dask worker) can deadlock.
        if (
            workers > 1
            and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1
        ):
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                done = list(pool.map(_render_one, names, [str(folder)] * len(names)))
        else:
            done = [_render_one(name, str(folder)) for name in names]
    finally:
        _RENDERING = None
    return [Path(p) for paths in done for p in paths]
