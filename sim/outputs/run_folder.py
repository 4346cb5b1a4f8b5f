"""Write a run folder atomically: whole, or not at all.

Everything is written into a hidden sibling folder first and renamed into
place at the end, so an interrupted run never leaves a half-written folder.
An existing folder is never overwritten unless ``force`` is given, and then
only if this tool wrote it (see :mod:`sim.files`).

Layout::

    <run>/
      manifest.json            seed, versions, input hashes, command line, readings kept
      scenario.resolved.yaml   the scenario after extends/overrides/defaults
      metrics.csv              tidy per-turn metrics
      events.csv               every move and every reading of it; ``text``: the
                               move's own words where a person wrote them
      links.csv                counter-actions and miscalculations
      injects.csv              injects fired
      transcript.md            the run as a dialogue
      debrief.md               questions tied to what happened in this run
      figures/                 tension, rungs, perception_gap, timeline, network, beliefs
                               (.png and .svg each)
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import numpy as np
import pandas as pd
import yaml

from sim.files import output_folder
from sim.model.results import RunResult
from sim.outputs.tables import write_csv
from sim.scenario.loader import LoadedScenario, scenario_hash
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    from sim.outputs.figures import FigureFocus
    from sim.outputs.transcript_model import Played, PlayedMove


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
    focus: FigureFocus | None = None,
    played: Played | None = None,
) -> Path:
    """Write ``result`` into ``folder`` atomically and return the folder.

    The figures (the slowest part) start first, shared between this process
    and a forked worker where one can be used; this process then writes the
    tables, transcript, debrief and manifest while the worker finishes its last
    figure. Every figure is finished, or every worker stopped, before the
    staging folder is renamed into place or removed.

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
        focus: The figures' focus (actors shown, the beliefs figure's observer):
            the figures are drawn with it and the manifest records it (its
            ``figures`` entry and ``reproduce`` line). None: the focus in
            effect (:func:`sim.outputs.figures.focused`), not recorded.
        played: In play mode, the moves people chose and their own words, by
            (turn, actor): ``events.csv``'s ``text`` column holds those words
            (:func:`events_table`).

    Raises:
        FileProblem: the folder exists (and ``force`` is false, or it is not a
            folder this tool wrote) or cannot be written.
    """
    from sim.outputs.manifest import build_manifest

    view: AbstractContextManager[object] = nullcontext()
    if focus is not None:
        from sim.outputs.figures import focused

        view = focused(focus)
    folder = Path(folder)
    with view, output_folder(folder, force=force) as stage:
        drawing = _Drawing.start(result, stage.path / "figures") if figures else None
        try:
            if drawing is not None:
                # Draw here too, first: the tables are small, so writing them last fills
                # the time the worker's last figure takes instead of delaying the figures.
                drawing.help()
            _write_contents(result, stage.path, played)
            if extra is not None:
                extra(stage.path)
            manifest = build_manifest(
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
                readings=_readings(result, figures),
                figures=focus,
            )
            if drawing is not None:
                drawing.finish()
        finally:
            if drawing is not None:
                drawing.stop()  # after an error or interruption: no worker outlives the staging
        stage.manifest = manifest
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


def own_words(move: PlayedMove) -> str:
    """The words a person gave a move: an instructor's event text, a team's framing, or ""."""
    words = move.text if move.by == "instructor" else move.framing
    return words or ""


def events_table(result: RunResult, played: Played | None = None) -> pd.DataFrame:
    """``events.csv``: :attr:`RunResult.events` with a last column ``text``.

    ``text`` holds, on every row of a move, the move's own words when a person
    wrote them (a team's public framing text, or the text of an instructor's
    event; ``played``), verbatim; it is empty otherwise. Like every text cell of
    a table, it is written through :func:`sim.text.spreadsheet_safe`, so a
    spreadsheet shows a formula someone typed as text and never runs it.
    """
    events = result.events
    words = {key: own_words(move) for key, move in (played or {}).items()}
    words = {key: text for key, text in words.items() if text}
    if not words:
        # no words: empty cells, as NaN, which the table writer's fast path writes as ""
        return events.assign(text=np.full(len(events), np.nan))
    turns = events["turn"].to_numpy().tolist()
    senders = events["sender"].to_numpy().tolist()
    text = [words.get((int(t), str(s)), "") for t, s in zip(turns, senders, strict=True)]
    return events.assign(text=pd.Series(text, index=events.index, dtype=object))


def _write_contents(result: RunResult, folder: Path, played: Played | None = None) -> list[str]:
    outputs: list[str] = []
    (folder / "scenario.resolved.yaml").write_text(resolved_yaml(result.scenario), encoding="utf-8")
    outputs.append("scenario.resolved.yaml")
    for name, table in (
        ("metrics.csv", result.metrics),
        ("events.csv", events_table(result, played)),
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
    return outputs


def _readings(result: RunResult, figures: bool) -> dict[str, object]:
    """The manifest's ``readings``: the run's rule, and the figures it cannot draw."""
    from sim.outputs.figures import left_out

    note = dict(result.readings)
    if figures and left_out(result):
        note["figures_left_out"] = left_out(result)
    return note


def render_figures(result: RunResult, folder: Path, *, workers: int | None = None) -> list[Path]:
    """Render the figures of :data:`~sim.outputs.figures.FIGURES` the run can draw into ``folder``.

    Those are :func:`sim.outputs.figures.drawable`: all of them, unless the run
    summarised its readings.

    Figures are independent, so on a machine with several cores they are
    shared between this process and ``workers - 1`` forked ones (which inherit
    the finished run and the imported Matplotlib: no re-import, no pickling of
    the result). Each figure's bytes do not depend on which process drew it.
    Where ``fork`` is unavailable, with one core, or when other Python threads
    are running, they are rendered here one after another.

    Args:
        result: The run.
        folder: The ``figures/`` folder (created if missing).
        workers: Processes to use, this one included (default: up to 2, the
            core count here).

    Returns:
        The files written, in ``FIGURES`` order (PNG then SVG for each).
    """
    drawing = _Drawing.start(result, Path(folder), workers=workers)
    try:
        return drawing.finish()
    finally:
        drawing.stop()


class _Drawing:
    """Figures being drawn by this process and forked workers, from one shared queue.

    The queue is a pipe holding one two-byte token per figure, written before
    any worker is forked and closed for writing: every process reads one
    token at a time (a pipe read of a few bytes is atomic) until it is empty,
    so the figures are shared out as each process becomes free. A worker
    sends back the files it wrote, or its exception, through a pipe of its own
    and exits with :func:`os._exit`, so it never runs the caller's clean-up.
    """

    def __init__(self, result: RunResult, folder: Path, names: list[str], queue: int) -> None:
        self.result = result
        self.folder = folder
        self.names = names
        self.queue: int | None = queue
        self.workers: list[tuple[int, int]] = []  # (pid, read end of its answer pipe)
        self.written: dict[str, list[Path]] = {}

    @classmethod
    def start(cls, result: RunResult, folder: Path, *, workers: int | None = None) -> _Drawing:
        """Queue every figure and fork the workers (none where forking is unsafe)."""
        import threading

        from sim.outputs.figures import drawable

        _warm_matplotlib()  # once here, before forking, not once in every process
        folder.mkdir(parents=True, exist_ok=True)
        names = drawable(result)
        workers = min(len(names), workers or min(2, os.cpu_count() or 1))
        _ = result.arrays, result.links, result.events  # computed once, before forking
        read, write = os.pipe()
        try:
            os.write(write, b"".join(struct.pack(">H", k) for k in range(len(names))))
        finally:
            os.close(write)
        drawing = cls(result, folder, names, read)
        # Fork only from a single-threaded Python process: forking while other Python
        # threads may hold locks (a notebook kernel, a Dask worker) can deadlock.
        if workers > 1 and hasattr(os, "fork") and threading.active_count() == 1:
            try:
                for _ in range(workers - 1):
                    drawing._fork()
            except BaseException:
                drawing.stop()
                raise
        return drawing

    def _fork(self) -> None:
        answer, reply = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker: draw, answer, and leave without unwinding the caller
            os.close(answer)
            _die_with(parent)
            _worker(self, reply)
        os.close(reply)
        self.workers.append((pid, answer))

    def draw(self) -> dict[str, list[Path]]:
        """Draw figures from the queue until it is empty; return the files written by name."""
        from sim.outputs.figures import FIGURES, save_figure

        done: dict[str, list[Path]] = {}
        # A figure is thousands of short-lived Matplotlib objects: the cyclic garbage
        # collector's passes cost about a tenth of the drawing and free nothing that
        # matters before the figures are saved, so it waits until they are.
        collecting = gc.isenabled()
        gc.disable()
        try:
            while self.queue is not None and (token := os.read(self.queue, 2)):
                (k,) = struct.unpack(">H", token)
                name = self.names[k]
                done[name] = save_figure(FIGURES[name](self.result), self.folder, name)
        finally:
            if collecting:
                gc.enable()
        return done

    def help(self) -> None:
        """Draw figures here until the queue is empty."""
        self.written.update(self.draw())

    def finish(self) -> list[Path]:
        """Help draw, then wait for every worker; return the files in ``FIGURES`` order.

        Raises:
            Exception: the first error of a worker (or of this process) while drawing.
        """
        self.help()
        while self.workers:
            pid, answer = self.workers[0]
            with os.fdopen(answer, "rb", closefd=False) as pipe:
                data = pipe.read()
            _, status = os.waitpid(pid, 0)
            os.close(answer)
            self.workers.pop(0)
            outcome = pickle.loads(data) if data else None
            if isinstance(outcome, BaseException):
                raise outcome
            if not isinstance(outcome, dict) or os.waitstatus_to_exitcode(status) != 0:
                raise RuntimeError(f"a figure worker ended early (exit status {status})")
            self.written.update(outcome)
        missing = [name for name in self.names if name not in self.written]
        if missing:
            raise RuntimeError(f"figures not drawn: {', '.join(missing)}")
        return [path for name in self.names for path in self.written[name]]

    def stop(self) -> None:
        """Kill and reap every worker still running, and close the queue (idempotent)."""
        while self.workers:
            pid, answer = self.workers.pop()
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with suppress(ChildProcessError):
                os.waitpid(pid, 0)
            os.close(answer)
        if self.queue is not None:
            os.close(self.queue)
            self.queue = None


def _warm_matplotlib() -> None:
    """Import what drawing and saving a figure imports lazily, and load the default font."""
    import importlib

    from matplotlib import font_manager

    for module in (
        "matplotlib.figure",
        "matplotlib.backends.backend_agg",
        "matplotlib.backends.backend_svg",
    ):
        importlib.import_module(module)

    font_manager.get_font(font_manager.findfont(font_manager.FontProperties()))


def _die_with(parent: int) -> None:
    """Make this forked worker end when ``parent`` does, however it ends.

    A parent killed outright (SIGKILL) cannot stop its workers; without this
    one would go on writing figures into a staging folder that the next
    command is removing. Linux's parent-death signal ends it at once; where
    that is unavailable, the worker still stops at its next figure (it reads
    the queue, whose other end the dead parent no longer holds open).
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the signal was set
        os._exit(1)


def _worker(drawing: _Drawing, reply: int) -> NoReturn:
    """A forked worker's whole life: draw from the queue, send the result back, exit."""
    code = 0
    try:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)  # a stop signal ends a worker at once
        drawing.workers = []  # its siblings are not its children
        answer: object = drawing.draw()
    except BaseException as exc:  # handed to the parent, which raises it
        code = 1
        answer = exc
    try:
        try:
            data = pickle.dumps(answer)
        except Exception:
            data = pickle.dumps(RuntimeError(f"drawing a figure failed: {answer!r}"))
        with os.fdopen(reply, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(code)
