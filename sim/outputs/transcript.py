"""The transcript: a run told as the minutes of a crisis.

:func:`build_transcript` turns a :class:`~sim.model.results.RunResult` into a
:class:`Transcript`, the structured minutes that both faces read:
:func:`transcript` writes them as Markdown (``transcript.md``) and the report
writes them as HTML (``report.html``), so the two always say the same thing.
The minutes are:

1. a title, the seed, what a turn stands for, and one paragraph on how the
   run went;
2. ``## Turning points``: the largest perception gap, the first
   counter-action, the miscalculations, the peak of tension and the first
   easing after it, each with a link to its turn;
3. ``## Turn by turn``: events, each actor's move in its own voice (a joint
   move once, as one act of all its partners) with the most telling readings
   of it (of each partner's part), the counter-actions to earlier moves, and a
   one-line tension status;
4. ``## Where it ended``: final tension per actor.

Every sentence is a line of :mod:`sim.outputs.inline` spans, in which
scenario text (titles, names, voices, labels, framings, inject texts) is
:class:`~sim.outputs.inline.Data`: escaped as it enters the Markdown, never
markup. The data types are in :mod:`sim.outputs.transcript_model`, the
wording (which phrase for which value) in :mod:`sim.outputs.wording`, and
the sentences are made in :mod:`sim.outputs.transcript_build`.

The text is deterministic: the same result always gives the same text (no
dates, no randomness, every ordering has an explicit tie-break).

Example:
    >>> import sim
    >>> minutes = build_transcript(sim.run("scenarios/axelrod_noise.yaml", seed=1, turns=3))
    >>> [turn.number for turn in minutes.turns]
    [1, 2, 3]
    >>> transcript_markdown(minutes).startswith("# ")
    True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sim.outputs.inline import md, to_markdown
from sim.outputs.transcript_build import build
from sim.outputs.transcript_model import (
    SECTION_IDS,
    Answer,
    EndingRow,
    Move,
    Played,
    PlayedMove,
    Reading,
    Transcript,
    Turn,
    TurningPoint,
)
from sim.outputs.wording import (
    ARROW,
    AS_MEANT,
    DEFAULT_VERB,
    DOWN,
    EASING,
    FRIENDLY_GAP_WORDS,
    HOSTILE_GAP_WORDS,
    IN_KIND,
    MASS_NOUN_SUFFIXES,
    MAX_MISCALCULATION_POINTS,
    MINUS,
    NOUN_RULES,
    READING_WORDS,
    SAME_FRAMING,
    SIGN_ZERO,
    SOURCE_NOTES,
    UP,
    VERB_RULES,
    VOWELS,
    Row,
    article,
    gap_phrase,
    interpretation,
    is_plural,
    noun_phrase,
    num,
    possessive,
    reading_phrase,
    signed,
    verb_phrase,
)

if TYPE_CHECKING:
    from sim.model.results import RunResult

__all__ = [
    "ARROW",
    "AS_MEANT",
    "DEFAULT_VERB",
    "DOWN",
    "EASING",
    "FRIENDLY_GAP_WORDS",
    "HOSTILE_GAP_WORDS",
    "IN_KIND",
    "MASS_NOUN_SUFFIXES",
    "MAX_MISCALCULATION_POINTS",
    "MINUS",
    "NOUN_RULES",
    "READING_WORDS",
    "SAME_FRAMING",
    "SECTION_IDS",
    "SIGN_ZERO",
    "SOURCE_NOTES",
    "UP",
    "VERB_RULES",
    "VOWELS",
    "Answer",
    "EndingRow",
    "Move",
    "Played",
    "PlayedMove",
    "Reading",
    "Row",
    "Transcript",
    "Turn",
    "TurningPoint",
    "article",
    "build_transcript",
    "gap_phrase",
    "interpretation",
    "is_plural",
    "md",
    "noun_phrase",
    "num",
    "possessive",
    "reading_phrase",
    "signed",
    "transcript",
    "transcript_markdown",
    "verb_phrase",
    "write_transcript",
]


def build_transcript(
    result: RunResult, *, max_readings: int = 3, played: Played | None = None
) -> Transcript:
    """The structured minutes of ``result`` (see :class:`Transcript`).

    Args:
        result: A finished (or partly played) run.
        max_readings: At most this many readings are listed under each move
            (largest absolute gap first; only observers who saw the move).
        played: In play mode, the moves people chose and their own words
            (:class:`PlayedMove` by turn and actor): each is narrated, marked
            "played by a team" or "the instructor's event", and told in those
            words (escaped, as all scenario text is). None: a plain run.
    """
    return build(result, max_readings, played)


def transcript_markdown(minutes: Transcript) -> str:
    """Write the minutes as Markdown, ending in a newline."""
    header = "\n\n".join([f"# {to_markdown(minutes.title)}", *map(to_markdown, minutes.intro)])
    points = ""
    if minutes.turning_points is not None:
        bullets = [f"- {to_markdown(p.text)}" for p in minutes.turning_points]
        points = "## Turning points\n\n" + "\n".join(bullets)
    turns = ""
    if minutes.turns:
        turns = "\n\n".join(["## Turn by turn", *map(_turn_markdown, minutes.turns)])
    rows = [
        "## Where it ended",
        "",
        "| Actor | Tension | Change since start | Last move |",
        "|---|---:|---:|---|",
    ]
    for row in minutes.ending:
        rows.append(
            f"| {to_markdown(row.name)} | {row.tension} | {row.change} | "
            f"{to_markdown(row.last_move)} |"
        )
    parts = [header, points, turns, "\n".join(rows)]
    return "\n\n".join(p.strip("\n") for p in parts if p.strip()) + "\n"


def _turn_markdown(turn: Turn) -> str:
    out = [f"### Turn {turn.number}", *map(to_markdown, turn.events)]
    lines: list[str] = []
    for move in turn.moves:
        lines.append(f"- {to_markdown(move.text)}")
        lines.extend(f"  - {to_markdown(r.text)}" for r in move.readings)
    if lines:
        out.append("\n".join(lines))
    out.extend(to_markdown(a.text) for a in turn.answers)
    if turn.quiet is not None:
        out.append(to_markdown(turn.quiet))
    out.append(to_markdown(turn.status))
    return "\n\n".join(out)


def transcript(result: RunResult, *, max_readings: int = 3, played: Played | None = None) -> str:
    """Tell the run as the Markdown minutes of a crisis, as a dialogue.

    Args:
        result: A finished (or partly played) run.
        max_readings: At most this many readings are listed under each move
            (largest absolute gap first; only observers who saw the move).
        played: The moves people chose, and their words (see :func:`build_transcript`).

    Returns:
        Markdown text ending in a newline; the same result always gives the
        same text.

    """
    return transcript_markdown(build_transcript(result, max_readings=max_readings, played=played))


def write_transcript(result: RunResult, path: Path, *, max_readings: int = 3) -> None:
    """Write :func:`transcript` of ``result`` to ``path`` (UTF-8, Unix line ends)."""
    text = transcript(result, max_readings=max_readings)
    Path(path).write_text(text, encoding="utf-8", newline="\n")
