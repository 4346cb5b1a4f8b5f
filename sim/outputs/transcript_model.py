"""The transcript's data: turns, moves, readings, answers, turning points, the ending.

These types are what :mod:`sim.outputs.transcript` writes as Markdown and the
report writes as HTML; :mod:`sim.outputs.transcript_build` fills them from a
run. Every sentence is a :data:`~sim.outputs.inline.Line` of spans.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sim.outputs.inline import Line

__all__ = [
    "SECTION_IDS",
    "Answer",
    "EndingRow",
    "Move",
    "Played",
    "PlayedMove",
    "Reading",
    "Transcript",
    "Turn",
    "TurningPoint",
]

#: The ids of the transcript's sections (``## ...`` headings); a turn is ``turn-N``.
SECTION_IDS = {
    "turning_points": "turning-points",
    "turn_by_turn": "turn-by-turn",
    "ending": "where-it-ended",
}


@dataclass(frozen=True)
class PlayedMove:
    """A move people chose in play mode, and the words they gave it (kept verbatim).

    Attributes:
        by: ``team`` (a state played by people) or ``instructor`` (an
            instructor's invented event).
        text: The event's own text: it stands for the move in the minutes.
        rung: The rung the instructor named for the event (its mechanics are
            those of the allowed move nearest it).
        framing: A team's own public framing wording, in place of the move's.
    """

    by: Literal["team", "instructor"]
    text: str | None = None
    rung: int | None = None
    framing: str | None = None


#: (turn, actor id) -> what people chose and said in that turn.
Played = Mapping[tuple[int, str], PlayedMove]


@dataclass(frozen=True)
class Reading:
    """How one observer read a move: the numbers and the sentence saying so."""

    observer: str
    perceived: float
    intended: float  # how hostile the move was meant toward this observer (perceived - gap)
    gap: float
    text: Line
    part: str | None = None  # the partner whose part of a joint move was read


@dataclass(frozen=True)
class Move:
    """One narrated move of a turn, with its most telling readings.

    A joint move its partners held together is one :class:`Move`: ``actor`` is
    the first partner, ``partners`` all of them (empty for a move of one actor),
    and ``readings`` holds the most telling readings of each partner's part.
    """

    actor: str
    move: str
    rung: int
    text: Line
    readings: tuple[Reading, ...]
    partners: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """A counter-action: a move more hostile than its maker's last, after a hostile misreading."""

    responder: str
    cause_sender: str
    cause_turn: int
    miscalculation: bool
    chain_depth: int
    text: Line


@dataclass(frozen=True)
class Turn:
    """One turn: events, narrated moves, answers, who stayed quiet, tension status."""

    number: int
    events: tuple[Line, ...]
    moves: tuple[Move, ...]
    answers: tuple[Answer, ...]
    quiet: Line | None
    status: Line

    @property
    def anchor(self) -> str:
        """The id of the turn's heading (links in the minutes point to it)."""
        return f"turn-{self.number}"


@dataclass(frozen=True)
class TurningPoint:
    """One bullet of the turning points: what kind, in which turn, and the sentence."""

    kind: str
    turn: int | None
    text: Line


@dataclass(frozen=True)
class EndingRow:
    """One actor's row of "Where it ended" (numbers already formatted)."""

    actor: str
    name: Line
    tension: str
    change: str
    last_move: Line


@dataclass(frozen=True)
class Transcript:
    """The structured minutes of one run.

    Attributes:
        title: The document's title ("<scenario title> — transcript").
        intro: Paragraphs before the first section (seed, voices, a note on
            the numbers, how the run went).
        turning_points: The turning points; None when no turn was played.
        turns: One entry per turn played, in order.
        ending: Final tension per actor, highest first.
    """

    title: Line
    intro: tuple[Line, ...]
    turning_points: tuple[TurningPoint, ...] | None
    turns: tuple[Turn, ...]
    ending: tuple[EndingRow, ...]
