"""The save file of play mode: format ``sim-play/2``, and the rules it is checked against.

A save file holds the scenario path, ``--set`` overrides, seed, turns, the
human-played actors and every resolved turn's inputs (see
:class:`~sim.play.shapes.TurnInput`); replaying the inputs on a fresh model
with the same seed gives back the game exactly, because the engine is
deterministic. :mod:`sim.play.save` reads and writes it.

:class:`SaveFile` is a strict pydantic model: unknown keys are refused,
because this tool writes every key it reads and a newer format gets a new
``format`` marker. Rules across fields are :func:`save_file_problems`;
:func:`what_is_wrong` words a pydantic error for a person.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from sim.play.shapes import MAX_TEXT, Framing, TurnInput
from sim.play.where import Loc, brief
from sim.scenario.schema import MAX_TURNS, SEED_MAX

SAVE_FORMAT = "sim-play/3"
"""Value of the ``format`` field of a save file written now.

Its ``scenario`` is relative to the save file's folder (or absolute only when
no relative path exists, e.g. another drive). Each turn may carry teams' own
framings, and each event its intended hostility and framing claim."""

OLD_SAVE_FORMATS = ("sim-play/2", "sim-play/1")
"""Older save formats still read. ``sim-play/2`` is ``sim-play/3`` without
framings and without events' ``intended``/``framed`` (its events replay with
their move's own values). ``sim-play/1`` kept ``scenario`` as given on
the command line (relative to the folder the game was started in) and its
absolute form in ``scenario_file``."""

SAVE_FORMATS = (SAVE_FORMAT, *OLD_SAVE_FORMATS)


def _known_format(value: str) -> str:
    if value not in SAVE_FORMATS:
        known = ", ".join(SAVE_FORMATS)
        raise ValueError(f"'{value}' is not a save format this version reads ({known})")
    return value


def _seed_in_range(value: int) -> int:
    """Accept exactly the seeds ``sim run --seed`` accepts (0 to :data:`SEED_MAX`)."""
    if not 0 <= value <= SEED_MAX:
        raise ValueError(
            f"must be between 0 and {SEED_MAX} (the seeds sim run --seed accepts), got {value}"
        )
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class SavedEvent(_Strict):
    """An instructor's event in a save file (see :meth:`~sim.play.core.PlaySession.event`)."""

    actor: str
    rung: int
    move: str
    text: str
    intended: float | None = Field(default=None, ge=0.0, le=1.0)
    framed: float | None = Field(default=None, ge=0.0, le=1.0)


class SavedFraming(_Strict):
    """A team's own framing in a save file (see :meth:`~sim.play.core.PlaySession.choose`)."""

    text: str = Field(min_length=1, max_length=MAX_TEXT)
    claims: float | None = Field(default=None, ge=0.0, le=1.0)


class SavedTurn(_Strict):
    """One resolved turn in a save file: a :class:`TurnInput`."""

    turn: int = Field(ge=1)
    moves: dict[str, str] = Field(default_factory=dict)
    injects: list[str] = Field(default_factory=list)
    events: list[SavedEvent] = Field(default_factory=list)
    framings: dict[str, SavedFraming] = Field(default_factory=dict)

    def to_input(self) -> TurnInput:
        """The turn as a :class:`TurnInput`."""
        return TurnInput(
            self.turn,
            dict(self.moves),
            list(self.injects),
            [e.model_dump() for e in self.events],
            {a: Framing(text=f.text, claims=f.claims) for a, f in self.framings.items()},
        )


class SaveFile(_Strict):
    """A save file, as :meth:`~sim.play.core.PlaySession.to_json` writes it.

    Types are strict (``3.5``, ``"3"`` or ``true`` is not a whole number) and
    unknown keys are refused: this tool writes every key it reads, and a
    format that adds keys gets a new ``format`` marker. Rules across fields
    (turns 1..n in order, humans named once, ``turns`` not below the turns
    played, ``played`` equal to them) are checked by :func:`save_file_problems`.

    Attributes:
        format: :data:`SAVE_FORMAT`, or one of :data:`OLD_SAVE_FORMATS`.
        scenario: The scenario file, relative to the save file's folder
            (``sim-play/1``: as given on the command line).
        scenario_file: ``sim-play/1`` only: the scenario's absolute path, tried
            when ``scenario`` is not found. Never written now.
        scenario_id: The scenario's id (for people reading the file).
        scenario_sha256: Hash of the scenario as played; a changed scenario is refused.
        overrides: ``--set`` values.
        seed: Root seed: what ``sim run --seed`` accepts.
        seed_source: 'given', 'scenario' or 'generated'.
        turns: Turns in the game: 1 to :data:`MAX_TURNS`.
        humans: Human-played actor ids, in hot-seat order.
        played: Turns resolved (equal to the number of inputs).
        inputs: One entry per resolved turn.
    """

    format: Annotated[str, AfterValidator(_known_format)]
    scenario: str = Field(min_length=1)
    scenario_file: str | None = None
    scenario_id: str | None = None
    scenario_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    overrides: list[str] = Field(default_factory=list)
    seed: Annotated[int, AfterValidator(_seed_in_range)]
    seed_source: Literal["given", "scenario", "generated"] = "given"
    turns: int = Field(ge=1, le=MAX_TURNS)
    humans: list[str] = Field(min_length=1)
    played: int | None = Field(default=None, ge=0)
    inputs: list[SavedTurn] = Field(default_factory=list)


def save_file_problems(save: SaveFile) -> list[tuple[Loc, str]]:
    """The rules across fields that a :class:`SaveFile` breaks, as ``(field path, what)``."""
    problems: list[tuple[Loc, str]] = []
    for i, human in enumerate(save.humans):
        if human in save.humans[:i]:
            problems.append((("humans", i), f"'{human}' is named twice"))
    for i, inp in enumerate(save.inputs):
        if inp.turn != i + 1:
            problems.append(
                (
                    ("inputs", i, "turn"),
                    f"expected turn {i + 1} here, got {inp.turn} "
                    "(the inputs are turns 1, 2, 3 ... in order)",
                )
            )
            break
        if len(set(inp.injects)) != len(inp.injects):
            problems.append((("inputs", i, "injects"), "an inject is fired twice in one turn"))
    if save.turns < len(save.inputs):
        problems.append(
            (
                ("turns",),
                f"{save.turns} is fewer than the {len(save.inputs)} turns already played",
            )
        )
    if save.played is not None and save.played != len(save.inputs):
        problems.append((("played",), f"{save.played}, but inputs hold {len(save.inputs)} turns"))
    return problems


def what_is_wrong(error: Any) -> str:
    """A pydantic error in plain words (with the value found)."""
    kind = str(error["type"])
    got = brief(error.get("input"))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "not a key of a save file"
    if kind.startswith("int_"):
        return f"expected a whole number, got {got}"
    if kind.startswith("string_type"):
        return f"expected text in quotes, got {got}"
    if kind == "list_type":
        return f"expected a list [...], got {got}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping {{...}}, got {got}"
    if kind == "greater_than_equal":
        return f"must be {ctx.get('ge')} or more, got {got}"
    if kind == "less_than_equal":
        return f"must be {ctx.get('le')} or less, got {got}"
    if kind in ("too_short", "string_too_short"):
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return f"expected a SHA-256 hash (64 characters 0-9, a-f), got {got}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}, got {got}"
    if kind == "value_error":
        return str(ctx.get("error", error.get("msg", "")))
    return f"{str(error.get('msg', kind)).lower()}, got {got}"
