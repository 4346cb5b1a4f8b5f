"""The transcript and the debrief of a run folder, as the data they were written from.

``transcript.md`` and ``debrief.md`` are written from a
:class:`~sim.outputs.transcript.Transcript` and a
:class:`~sim.outputs.debrief.Debrief`; the report shows the same data, never a
parse of the Markdown. A run folder holds the data only as those files, so
:func:`folder_minutes` gets it back from the run itself: the result the
caller passes, or else the run replayed from ``scenario.resolved.yaml`` with
the recorded seed and turns (runs are deterministic). It then checks that the
data writes *exactly* the folder's files; only then does the report show it.

A file the data does not write (a game played by people, an instructor's
notes added to it, a file edited after the run, a folder from another
version) is shown as written, in a ``<pre>``, with a note saying why: the
report never shows something other than what the folder's files say.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.outputs.debrief import Debrief, build_debrief, debrief_markdown
from sim.outputs.report.folder import read_text
from sim.outputs.transcript import Transcript, build_transcript, transcript_markdown
from sim.text import unescape_markdown

if TYPE_CHECKING:
    from sim.model.results import RunResult

__all__ = ["Minutes", "folder_minutes", "replay"]

VERBATIM_NOTE = (
    "{name} is shown as written (as its Markdown source, without the backslashes a Markdown "
    "viewer hides): it is not what this run's scenario and seed give "
    "(a game played by people, notes added to the file, a file edited after the run, "
    "or a run folder made by another version of the tool)."
)


@dataclass(frozen=True)
class Minutes:
    """What the report shows of ``transcript.md`` and ``debrief.md``.

    Attributes:
        transcript: The data ``transcript.md`` was written from; None when the
            file is absent or the data does not write it.
        debrief: Likewise for ``debrief.md``.
        transcript_text: The file's text when it is shown as written, else None.
        debrief_text: Likewise for ``debrief.md``.
        transcript_found: Whether the folder has ``transcript.md``.
        debrief_found: Whether the folder has ``debrief.md``.
        result: The run the data comes from, when it is the folder's: the
            caller's, or a replay that writes exactly one of its files; else None.
    """

    transcript: Transcript | None
    debrief: Debrief | None
    transcript_text: str | None
    debrief_text: str | None
    transcript_found: bool
    debrief_found: bool
    result: RunResult | None = None


def replay(run_dir: Path, manifest: dict[str, Any]) -> RunResult | None:
    """The run of ``run_dir`` again, from its resolved scenario, seed and turns.

    None when the folder cannot say how to replay it (no seed, a game played by
    people) or the scenario no longer loads or runs.
    """
    seed, turns = manifest.get("seed"), manifest.get("turns")
    if not isinstance(seed, int) or not isinstance(turns, int) or isinstance(seed, bool):
        return None
    try:
        (run_dir / "play.json").lstat()
        return None  # moves chosen by people: the seed alone does not give them
    except OSError:
        pass
    # The engine directly, as EscalationModel.run() drives it, without importing Mesa
    # (a second of start-up for `sim report`); a replay that drifted from the model
    # would not write the folder's files, and tests check that it does.
    from sim.model.compiled import compile_scenario
    from sim.model.engine import Engine
    from sim.model.results import RunResult
    from sim.scenario.loader import load_scenario

    try:
        scenario = load_scenario(run_dir / "scenario.resolved.yaml")
        compiled = compile_scenario(scenario)
        engine = Engine(compiled, seed)
        for _ in range(turns):
            engine.step()
        return RunResult(scenario, compiled, seed, list(engine.records))
    except Exception:  # whatever stops a replay, the report shows the files as written
        return None


def folder_minutes(
    run_dir: Path, manifest: dict[str, Any], result: RunResult | None = None
) -> Minutes:
    """The transcript and debrief of ``run_dir`` as data, where the data writes its files.

    Args:
        run_dir: The run folder.
        manifest: Its ``manifest.json``, parsed.
        result: The folder's run, if the caller has it (else it is replayed).

    Raises:
        FileProblem: ``transcript.md`` or ``debrief.md`` leads out of the
            folder, is not a regular file, is too large or is not UTF-8.
    """
    transcript_text = read_text(run_dir, "transcript.md")
    debrief_text = read_text(run_dir, "debrief.md")
    transcript: Transcript | None = None
    debrief: Debrief | None = None
    trusted = result
    if transcript_text is not None or debrief_text is not None:
        if result is None:
            result = replay(run_dir, manifest)
        if result is not None:
            if transcript_text is not None:
                built = build_transcript(result)
                if transcript_markdown(built) == transcript_text:
                    transcript, transcript_text = built, None
            if debrief_text is not None:
                asked = build_debrief(result)
                if debrief_markdown(asked) == debrief_text:
                    debrief, debrief_text = asked, None
            if trusted is None and (transcript is not None or debrief is not None):
                trusted = result
    # Shown as plain text: without the backslashes Markdown viewers hide (sim.text).
    return Minutes(
        transcript=transcript,
        debrief=debrief,
        transcript_text=None if transcript_text is None else unescape_markdown(transcript_text),
        debrief_text=None if debrief_text is None else unescape_markdown(debrief_text),
        transcript_found=transcript is not None or transcript_text is not None,
        debrief_found=debrief is not None or debrief_text is not None,
        result=trusted,
    )
