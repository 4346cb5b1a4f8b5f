"""What play mode hands a screen: plain JSON-ready shapes, and :class:`PlayError`.

Both faces of play mode (the terminal, :mod:`sim.play.terminal`, and the
browser, :mod:`sim.dashboard`) read the same shapes from the one game object,
:class:`~sim.play.core.PlaySession`:

* :class:`Situation` (with :class:`Belief`, :class:`Reading`,
  :class:`OwnMove`, :class:`Due`): the crisis as one state perceives it,
  before it chooses;
* :class:`Choice`: one entry of a state's menu;
* :class:`InjectInfo`: one scenario inject, for the instructor's menu;
* :class:`TurnSummary` (with :class:`MoveSummary`, :class:`HumanMove`,
  :class:`HumanReading`): what a resolved turn did. This is the one summary
  of a turn in play mode;
* :class:`TurnInput`: what people decided in one turn, enough to replay it;
* :class:`Game`: what the modules below the game object (the summaries, the
  save file) read of it, so that they need not import it.

Nothing here imports the model, so a screen can be typed without loading it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypedDict

from sim.errors import SimError

if TYPE_CHECKING:
    from sim.model.engine import TurnRecord
    from sim.model.mesa_model import EscalationModel
    from sim.scenario.schema import Scenario


class PlayError(SimError):
    """A choice, inject, event or save file that the game cannot accept."""


#: Belief (0-1) at or above the bound gets the word; the first row wins.
BELIEF_WORDS: tuple[tuple[float, str], ...] = ((0.6, "alarmed"), (0.3, "wary"), (0.0, "calm"))


def belief_word(value: float) -> str:
    """``calm`` (below 0.3), ``wary`` (below 0.6) or ``alarmed``, from a rounded belief."""
    rounded = round(float(value), 2)
    for bound, word in BELIEF_WORDS:
        if rounded >= bound:
            return word
    return BELIEF_WORDS[-1][1]


ChosenBy = Literal["player", "instructor", "scenario", "computer"]
"""Who decided a move: a person at the keyboard or in the browser (``player``),
the instructor's made-up event (``instructor``), a scenario inject
(``scenario``), or the state's policy (``computer``)."""


class Framing(TypedDict):
    """A team's own public framing of its move: the words, and optionally their claim.

    ``text`` replaces only the move's framing wording; ``claims`` (0-1, or
    None) also sets how hostile the framing claims the move is (the engine's
    framed value for that sender, this turn).
    """

    text: str
    claims: float | None


#: The longest framing or event text a person may write (characters, after
#: runs of whitespace become one space).
MAX_TEXT = 280


class Choice(TypedDict):
    """One entry of a state's menu."""

    number: int
    move: str
    label: str
    rung: int
    rung_label: str
    framing: str


class InjectInfo(TypedDict):
    """One inject of the scenario, as the instructor's menu lists it."""

    number: int
    inject: str
    label: str
    when: str
    fired: bool
    pending: bool
    can_fire: bool
    why_not: str | None


class Belief(TypedDict):
    """What a state believes about another: how hostile it is, 0-1."""

    actor: str
    name: str
    belief: float
    word: str


class Reading(TypedDict):
    """How the viewing state read another state's move last turn.

    ``text`` (an instructor's event text) and ``framing`` (a team's own public
    framing text) are public and shown with the move when it was seen.
    """

    actor: str
    name: str
    move: str | None
    label: str | None
    rung: int | None
    seen: bool
    perceived: float | None
    reading: str
    text: str | None
    framing: str | None


class OwnMove(TypedDict):
    """The viewing state's own move last turn (``framing``: its own framing text, if any)."""

    move: str
    label: str
    rung: int
    meant: float
    framed: float
    source: str
    text: str | None
    framing: str | None


class Due(TypedDict):
    """An inject that will fire at the start of the coming turn."""

    inject: str
    label: str
    moves: dict[str, str]


class Situation(TypedDict):
    """The crisis as one state perceives it, before it chooses."""

    turn: int
    turns: int
    actor: str
    name: str
    voice: str
    tension: float
    tension_change: float | None
    norms: float
    credibility: float
    beliefs: list[Belief]
    last_turn: int
    own_move: OwnMove | None
    readings: list[Reading]
    due: list[Due]


class MoveSummary(TypedDict):
    """One actor's move in a resolved turn.

    ``source`` is as in ``events.csv`` (``human``, ``inject`` or the policy's
    name); ``by`` says who decided it, in the words a screen shows; ``text``
    is the instructor's event text, ``framing`` a team's own framing text
    (None when there is none: the move's label and framing stand).
    """

    actor: str
    name: str
    move: str
    label: str
    rung: int
    source: str
    by: ChosenBy
    tension_before: float
    tension_after: float
    text: str | None
    framing: str | None


class HumanReading(TypedDict):
    """How one observer read a human-played move."""

    observer: str
    name: str
    perceived: float
    meant: float  # what the sender meant toward this observer (less toward a partner)
    gap: float  # perceived - meant
    reading: str


class HumanMove(TypedDict):
    """A move chosen by a person (a team or the instructor's event) with everyone's readings.

    ``text`` is the instructor's event text (None for a team's move), ``framing``
    a team's own public framing text (None: the move's own wording), ``framed``
    what the framing claimed (the engine's framed value for the sender).
    """

    actor: str
    name: str
    move: str
    label: str
    by: ChosenBy
    text: str | None
    framing: str | None
    framed: float
    meant: float
    readings: list[HumanReading]
    unseen_by: list[str]


class FiredInject(TypedDict):
    """An inject that fired in a resolved turn; ``by`` is ``hand`` or ``scenario``."""

    inject: str
    label: str
    by: str


class TurnSummary(TypedDict):
    """What a resolved turn did, for the screen after it (terminal and browser alike)."""

    turn: int
    injects: list[FiredInject]
    events: list[dict[str, Any]]
    moves: list[MoveSummary]
    humans: list[HumanMove]
    mean_tension_before: float
    mean_tension_after: float
    norms_before: float
    norms_after: float


@dataclass(slots=True)
class TurnInput:
    """What people decided in one turn: enough to replay it exactly.

    Attributes:
        turn: 1-based turn number.
        moves: Actor id -> move id, for the moves people chose.
        injects: Scenario injects fired by hand, in order.
        events: Instructor events: ``{"actor", "rung", "move", "text",
            "intended", "framed"}`` each (the last two None in games saved
            before events had them: the move's own values are played).
        framings: Actor id -> :class:`Framing`, for the moves people chose
            with their own framing text.
    """

    turn: int
    moves: dict[str, str] = field(default_factory=dict)
    injects: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    framings: dict[str, Framing] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the save file."""
        return {
            "turn": self.turn,
            "moves": dict(self.moves),
            "injects": list(self.injects),
            "events": [dict(e) for e in self.events],
            "framings": {
                a: Framing(text=f["text"], claims=f["claims"]) for a, f in self.framings.items()
            },
        }

    def copy(self) -> TurnInput:
        """An independent copy."""
        return TurnInput(
            self.turn,
            dict(self.moves),
            list(self.injects),
            [dict(e) for e in self.events],
            {a: Framing(text=f["text"], claims=f["claims"]) for a, f in self.framings.items()},
        )

    def overrides(self) -> dict[str, dict[str, float]]:
        """What the engine replaces this turn: actor id -> ``{"intended", "framed"}``.

        A framing's ``claims`` sets the sender's framed value; an event's
        ``intended`` and ``framed`` set both (events saved without them: none).
        """
        out: dict[str, dict[str, float]] = {}
        for actor, framing in self.framings.items():
            if framing["claims"] is not None:
                out[actor] = {"framed": float(framing["claims"])}
        for e in self.events:
            values = {k: float(e[k]) for k in ("intended", "framed") if e.get(k) is not None}
            if values:
                out[str(e["actor"])] = values
        return out


class Game(Protocol):
    """What :mod:`sim.play.summary` and :mod:`sim.play.save` read of a game.

    :class:`sim.play.core.PlaySession` is the one implementation; the modules
    it builds on see it through this protocol, so none of them imports it.
    """

    model: EscalationModel
    scenario_path: Path
    overrides: list[str]
    humans: list[str]
    inputs: list[TurnInput]
    seed: int
    seed_source: str
    turns: int

    @property
    def spec(self) -> Scenario:
        """The scenario being played."""
        ...

    @property
    def played(self) -> int:
        """Turns resolved so far."""
        ...

    @property
    def turn(self) -> int:
        """The turn being decided now (1-based)."""
        ...

    def name(self, actor: str) -> str:
        """Display name of an actor."""
        ...

    def voice(self, actor: str) -> str:
        """The actor's voice, or its name."""
        ...

    def due_injects(self) -> list[Due]:
        """Injects the scenario will fire at the start of the coming turn."""
        ...

    def replay(self, inp: TurnInput) -> TurnRecord:
        """Play one turn with ``inp`` as decided, and start the next."""
        ...
