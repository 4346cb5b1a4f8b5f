"""The game state of play mode, with no input or output of its own.

A :class:`PlaySession` wraps an :class:`~sim.model.mesa_model.EscalationModel`.
Each turn:

1. every human-played state looks at :meth:`PlaySession.situation` (the crisis
   *as that state perceives it*) and picks one of :meth:`PlaySession.choices`
   with :meth:`PlaySession.choose` (hot-seat, in the order the players were
   named; :meth:`PlaySession.undo` takes the last step back);
2. the instructor may fire scenario injects by hand (:meth:`PlaySession.fire`)
   or describe an event of their own (:meth:`PlaySession.event`: a state the
   computer plays makes the allowed move whose rung is nearest the one named,
   and the text is kept as a note);
3. :meth:`PlaySession.resolve` plays the turn: the other states move by their
   policies, everyone reads everyone, beliefs and tension update.

Every resolved turn's inputs are kept in :attr:`PlaySession.inputs`.
:meth:`PlaySession.save` writes them with the scenario path, overrides, seed,
turns and human actors as JSON (atomically); :meth:`PlaySession.load` replays
them on a fresh model with the same seed, which reproduces the state exactly
because the engine is deterministic.

Save files and ``--moves`` files are read through :mod:`sim.files` (regular
files only, bounded while reading, strict JSON) and checked before anything is
replayed: a save file against :class:`SaveFile` (a strict pydantic model:
unknown keys are refused, because this tool writes every key it reads and a
newer format gets a new ``format`` marker), a ``--moves`` file by
:func:`load_script`. Every problem is a one-line ``file:line:column: field:
what is wrong: what to do``. A save file is only ever written over another
save file of this tool, never over a folder, a link, a device or another file.

Everything a screen needs comes back as plain JSON-ready dicts and lists.
Mistakes a player can make raise :class:`PlayError` (a
:class:`~sim.errors.SimError`) whose message can be shown as it is.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypedDict

import numpy as np
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from sim.errors import SimError
from sim.files import (
    MOVES_LIMIT,
    SAVE_LIMIT,
    FileProblem,
    explain,
    parse_json,
    read_json,
    read_text,
    shown,
    write_atomic,
)
from sim.model.engine import TurnRecord
from sim.model.mesa_model import EscalationModel, new_seed
from sim.model.results import RunResult
from sim.outputs.transcript import interpretation
from sim.scenario import yamlsafe
from sim.scenario.loader import LoadedScenario, read_scenario, scenario_hash
from sim.scenario.schema import MAX_TURNS, SEED_MAX, Scenario

SAVE_FORMAT = "sim-play/2"
"""Value of the ``format`` field of a save file written now.

Its ``scenario`` is relative to the save file's folder (or absolute only when
no relative path exists, e.g. another drive)."""

OLD_SAVE_FORMATS = ("sim-play/1",)
"""Older save formats still read. ``sim-play/1`` kept ``scenario`` as given on
the command line (relative to the folder the game was started in) and its
absolute form in ``scenario_file``."""

SAVE_FORMATS = (SAVE_FORMAT, *OLD_SAVE_FORMATS)

#: Belief (0-1) at or above the bound gets the word; the first row wins.
BELIEF_WORDS: tuple[tuple[float, str], ...] = ((0.6, "alarmed"), (0.3, "wary"), (0.0, "calm"))


def belief_word(value: float) -> str:
    """``calm`` (below 0.3), ``wary`` (below 0.6) or ``alarmed``, from a rounded belief."""
    rounded = round(float(value), 2)
    for bound, word in BELIEF_WORDS:
        if rounded >= bound:
            return word
    return BELIEF_WORDS[-1][1]


class PlayError(SimError):
    """A choice, inject, event or save file that the game cannot accept."""


# ---------------------------------------------------------------- shapes


class Choice(TypedDict):
    """One entry of a state's menu."""

    number: int
    move: str
    label: str
    rung: int
    rung_label: str
    framing: str


class Belief(TypedDict):
    """What a state believes about another: how hostile it is, 0-1."""

    actor: str
    name: str
    belief: float
    word: str


class Reading(TypedDict):
    """How the viewing state read another state's move last turn."""

    actor: str
    name: str
    move: str | None
    label: str | None
    rung: int | None
    seen: bool
    perceived: float | None
    reading: str


class OwnMove(TypedDict):
    """The viewing state's own move last turn."""

    move: str
    label: str
    rung: int
    meant: float
    framed: float
    source: str


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
    """One actor's move in a resolved turn."""

    actor: str
    name: str
    move: str
    label: str
    rung: int
    source: str
    tension_before: float
    tension_after: float


class HumanReading(TypedDict):
    """How one observer read a human-played move."""

    observer: str
    name: str
    perceived: float
    gap: float
    reading: str


class HumanMove(TypedDict):
    """A human-played move with everyone's readings of it."""

    actor: str
    name: str
    move: str
    label: str
    meant: float
    readings: list[HumanReading]
    unseen_by: list[str]


class TurnSummary(TypedDict):
    """What a resolved turn did, for the screen after it."""

    turn: int
    injects: list[dict[str, str]]
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
        moves: Human-played actor id -> move id.
        injects: Scenario injects fired by hand, in order.
        events: Instructor events: ``{"actor", "rung", "move", "text"}`` each.
    """

    turn: int
    moves: dict[str, str] = field(default_factory=dict)
    injects: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the save file."""
        return {
            "turn": self.turn,
            "moves": dict(self.moves),
            "injects": list(self.injects),
            "events": [dict(e) for e in self.events],
        }


# ---------------------------------------------------------------- save files


SAVE_ADVICE = "restore the save file, or start a new game"
"""What to do about a damaged or hand-edited save file."""

_MARKS_LIMIT = 512_000
"""Largest save file re-read for a problem's line and column (pure-Python YAML is slow)."""


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
    """An instructor's event in a save file (see :meth:`PlaySession.event`)."""

    actor: str
    rung: int
    move: str
    text: str


class SavedTurn(_Strict):
    """One resolved turn in a save file: a :class:`TurnInput`."""

    turn: int = Field(ge=1)
    moves: dict[str, str] = Field(default_factory=dict)
    injects: list[str] = Field(default_factory=list)
    events: list[SavedEvent] = Field(default_factory=list)

    def to_input(self) -> TurnInput:
        """The turn as a :class:`TurnInput`."""
        return TurnInput(
            self.turn,
            dict(self.moves),
            list(self.injects),
            [e.model_dump() for e in self.events],
        )


class SaveFile(_Strict):
    """A save file, as :meth:`PlaySession.to_json` writes it.

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


Loc = tuple[str | int, ...]
"""A field's path in a file: keys and list indexes."""


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


def _brief(value: Any) -> str:
    """A value as JSON on one line, at most 40 characters."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _what_is_wrong(error: Any) -> str:
    """A pydantic error in plain words (with the value found)."""
    kind = str(error["type"])
    got = _brief(error.get("input"))
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


class _Where:
    """``file:line:column`` of a field, found only when a message needs it.

    Args:
        path: The file.
        text: Its text; a JSON file is re-read as YAML (JSON is YAML) for the
            positions, when it is small enough.
        located: Positions already known (a file read with :mod:`yamlsafe`).
    """

    def __init__(self, path: Path, text: str, located: yamlsafe.Located | None = None) -> None:
        self.path = path
        self.name = shown(path)
        self._text = text
        self._located = located
        self._tried = located is not None

    def _marks(self) -> yamlsafe.Located | None:
        if not self._tried:
            self._tried = True
            if len(self._text) <= _MARKS_LIMIT:
                try:
                    self._located = yamlsafe.parse(self._text, self.name)
                except (yamlsafe.YamlProblem, ValueError, RecursionError):
                    self._located = None
        return self._located

    def at(self, loc: Loc, *, key: bool = False) -> str:
        """``file:line:column`` of the value at ``loc`` (of its key when ``key``).

        A field that is missing gets the position of the nearest value that
        holds it; a file without positions gets its name alone.
        """
        mark = self.mark(loc, key=key)
        return f"{self.name}:{mark.line}:{mark.column}" if mark is not None else self.name

    def mark(self, loc: Loc, *, key: bool = False) -> yamlsafe.Mark | None:
        """Line and column of ``loc`` as :meth:`at` finds them (None: unknown)."""
        located = self._marks()
        if located is None:
            return None
        mark = located.key_marks.get(loc) if key else None
        for n in range(len(loc), -1, -1):
            if mark is not None:
                break
            mark = located.value_marks.get(loc[:n])
        return mark

    def problem(
        self, loc: Loc, what: str, advice: str = SAVE_ADVICE, *, key: bool = False
    ) -> PlayError:
        """``file:line:column: field.path: what: advice`` as a :class:`PlayError`."""
        dotted = ".".join(str(part) for part in loc)
        head = f"{self.at(loc, key=key)}: {dotted}: " if dotted else f"{self.at(loc)}: "
        return PlayError(f"{head}{what}: {advice}")


def _stat_key(path: Path) -> tuple[str, int, int, int, int] | None:
    """Identity of a regular file at ``path`` (None when there is none)."""
    try:
        info = os.lstat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (os.path.abspath(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


def check_save_target(path: str | Path) -> bool:
    """Whether a save file of this tool is at ``path``; False when nothing is there.

    A save file may only replace another save file of this tool.

    Raises:
        PlayError: a folder, a symbolic link, a device, FIFO or socket, or a
            file that is not a sim save file is at ``path``.
    """
    path = Path(path)
    name = shown(path)
    if "\0" in str(path):
        raise PlayError(f"{name!r}: the name holds a NUL character: choose another --save")
    _no_file_above(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise PlayError(f"{name}: cannot save the game there: {explain(exc)}") from None
    if stat.S_ISLNK(info.st_mode):
        raise PlayError(
            f"{name} is a symbolic link; a save file is never written through one: "
            "choose another --save"
        )
    if stat.S_ISDIR(info.st_mode):
        raise PlayError(f"{name} is a folder, not a save file: choose another --save (a file)")
    if not stat.S_ISREG(info.st_mode):
        raise PlayError(
            f"{name} is a device, FIFO or socket, not a save file: choose another --save"
        )
    try:
        data = read_json(path, limit=SAVE_LIMIT, what="save file")
    except FileProblem:
        data = None
    if not isinstance(data, dict) or data.get("format") not in SAVE_FORMATS:
        raise PlayError(f"{name} exists and is not a sim save file: choose another --save")
    return True


def _save_folder(path: Path) -> None:
    """Create the folder of ``path`` if needed (a part of it that is a file is refused)."""
    _no_file_above(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlayError(f"{shown(path)}: cannot save the game there: {explain(exc)}") from None


def _no_file_above(path: Path) -> None:
    """Refuse a ``path`` whose folder, or a folder above, is a file."""
    name = shown(path)
    folder = path.parent
    for part in (folder, *folder.parents):
        try:
            info = os.stat(part)
        except (FileNotFoundError, NotADirectoryError):  # look further up
            continue
        except (OSError, ValueError) as exc:
            why = explain(exc) if isinstance(exc, OSError) else "the name holds a NUL character"
            raise PlayError(f"{name}: cannot save the game there: {why}") from None
        if not stat.S_ISDIR(info.st_mode):
            raise PlayError(f"{name}: {shown(part)} is a file, not a folder: choose another --save")
        break


def _saved_scenario(path: Path, save: SaveFile, where: _Where) -> Path:
    """The scenario file a save file names, checked to be a regular file (nothing is opened).

    ``sim-play/2``: relative to the save file's folder. ``sim-play/1``: as
    given when the game started (relative to that folder), else
    ``scenario_file``, else relative to the save file's folder.
    """
    texts = [save.scenario]
    if save.scenario_file is not None:
        texts.append(save.scenario_file)
    if any("\0" in t for t in texts):
        raise where.problem(("scenario",), "the path holds a NUL character")
    given = Path(save.scenario)
    beside = Path(os.path.normpath(path.parent / given))
    if given.is_absolute():
        candidates = [given]
    elif save.format in OLD_SAVE_FORMATS:
        candidates = [given]
        if save.scenario_file is not None:
            candidates.append(Path(save.scenario_file))
        candidates.append(beside)
    else:
        candidates = [beside, path.resolve().parent / given]
    found = next((c for c in candidates if os.path.lexists(c)), None)
    if found is None:
        raise where.problem(
            ("scenario",),
            f"no scenario file {shown(candidates[0])}",
            "put the scenario back there, or start a new game",
        )
    try:
        info = os.stat(found)
    except OSError as exc:
        raise where.problem(
            ("scenario",), f"cannot read {shown(found)}: {explain(exc)}", SAVE_ADVICE
        ) from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, FIFO or socket"
        raise where.problem(
            ("scenario",),
            f"{shown(found)} is {kind}, not a scenario file",
            "point it at the scenario file (relative to the save file's folder), "
            "or start a new game",
        )
    return Path(shown(found))


# ---------------------------------------------------------------- matching


def _norm(text: str) -> str:
    """Lower case, with '_' and '-' as spaces and runs of spaces collapsed."""
    return " ".join(re.sub(r"[_\-]+", " ", text.strip().lower()).split())


def match_name(text: str, options: dict[str, list[str]], what: str) -> str:
    """The key of ``options`` that ``text`` names.

    ``options`` maps each key to the names it answers to (id, label ...). An
    exact (case-insensitive) name wins; else a unique prefix of one name.

    Raises:
        PlayError: nothing or more than one key matches.
    """
    wanted = _norm(text)
    if not wanted:
        raise PlayError(f"type the {what}'s number or name")
    exact = [k for k, names in options.items() if any(_norm(n) == wanted for n in names)]
    if len(exact) == 1:
        return exact[0]
    prefix = [k for k, names in options.items() if any(_norm(n).startswith(wanted) for n in names)]
    if len(prefix) == 1:
        return prefix[0]
    if len(prefix) > 1:
        shown = ", ".join(prefix[:6]) + (" ..." if len(prefix) > 6 else "")
        raise PlayError(f"'{text.strip()}' could be any of {shown}: type more of the name")
    every = [n for names in options.values() for n in names]
    close = difflib.get_close_matches(text.strip(), every, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise PlayError(f"no {what} called '{text.strip()}'{hint}")


# ---------------------------------------------------------------- the session


class PlaySession:
    """A game in play mode: some states played by people, the rest by the model.

    Args:
        scenario: Scenario file (as resolved by the caller).
        humans: Actor ids (or names) played by people, in hot-seat order.
        seed: Root seed; None takes the scenario's, or a new one.
        turns: Turns in the game; None takes the scenario's.
        overrides: ``--set`` style ``path=value`` overrides.

    Attributes:
        model: The model being played.
        humans: Human-played actor ids, in hot-seat order.
        seed: Root seed.
        seed_source: 'given', 'scenario' or 'generated'.
        turns: Turns in the game.
        inputs: One :class:`TurnInput` per resolved turn.

    Raises:
        ScenarioError: the scenario does not load.
        PlayError: an actor is unknown or named twice.
    """

    def __init__(
        self,
        scenario: str | Path,
        humans: Sequence[str],
        *,
        seed: int | None = None,
        turns: int | None = None,
        overrides: Sequence[str] = (),
    ) -> None:
        self.scenario_path = Path(scenario)
        self.overrides = list(overrides)
        self.loaded: LoadedScenario = read_scenario(self.scenario_path, self.overrides)
        spec = self.loaded.scenario
        if seed is not None:
            self.seed, self.seed_source = int(seed), "given"
        elif spec.seed is not None:
            self.seed, self.seed_source = int(spec.seed), "scenario"
        else:
            self.seed, self.seed_source = new_seed(), "generated"
        self.turns = int(turns if turns is not None else spec.turns)
        self.model = EscalationModel(spec, rng=self.seed, turns=self.turns, collect=False)
        self.humans: list[str] = []
        for text in humans:
            actor = self.actor_id(text)
            if actor in self.humans:
                raise PlayError(f"{actor} is named twice as a human player")
            self.humans.append(actor)
        self.inputs: list[TurnInput] = []
        self._pending = TurnInput(turn=1)
        # every step of the current turn, newest last: ("choose"|"fire"|"event", key)
        self._steps: list[tuple[str, str]] = []
        # identity of the save file this session last wrote (not checked again while unchanged)
        self._saved: tuple[str, int, int, int, int] | None = None

    # ------------------------------------------------------------ basics

    @property
    def spec(self) -> Scenario:
        """The scenario being played."""
        spec: Scenario = self.model.spec
        return spec

    @property
    def played(self) -> int:
        """Turns resolved so far."""
        return int(self.model.engine.state.turn)

    @property
    def turn(self) -> int:
        """The turn being decided now (1-based)."""
        return self.played + 1

    @property
    def finished(self) -> bool:
        """True once every turn of the game has been played."""
        return self.played >= self.turns

    def set_turns(self, turns: int) -> None:
        """Change the length of the game (not below the turns already played)."""
        if turns < self.played:
            raise PlayError(f"this game has already played {self.played} turns; --turns {turns}")
        self.turns = int(turns)
        self.model.turns = self.turns
        self.model.running = not self.finished

    def name(self, actor: str) -> str:
        """Display name of an actor."""
        return str(self.spec.actors[actor].name)

    def voice(self, actor: str) -> str:
        """The actor's voice (e.g. 'Beijing'), or its name."""
        spec = self.spec.actors[actor]
        return str(spec.voice or spec.name)

    def actor_id(self, text: str) -> str:
        """The actor id that ``text`` names (id or name, any case, or a unique prefix)."""
        options = {a: [a, str(s.name)] for a, s in self.spec.actors.items()}
        return match_name(text, options, "actor")

    def rung_label(self, rung: int) -> str:
        """Ladder label of a rung ('' when the ladder does not name it)."""
        ladder = self.spec.ladder or []
        return str(ladder[rung].label) if 0 <= rung < len(ladder) else ""

    def _allowed(self, actor: str) -> list[str]:
        c = self.model.compiled
        row = c.allowed[c.index[actor]]
        return [m for k, m in enumerate(c.move_ids) if row[k]]

    # ------------------------------------------------------------ what a state sees

    def situation(self, actor: str) -> Situation:
        """The crisis as ``actor`` perceives it now, before it chooses.

        Tension (its own), beliefs about each other state, its reading of each
        other state's move last turn (what it perceived, never what was meant;
        moves it did not see stay unknown), what its own move meant, the
        credibility of its framing in others' eyes (mean of column ``actor`` of
        the credibility matrix, others only), the regime strength, and injects
        due at the start of the coming turn.
        """
        c, s = self.model.compiled, self.model.engine.state
        i = c.index[actor]
        records = self.model.engine.records
        others = [j for j in range(c.n) if j != i]
        before = records[-2].tension[i] if len(records) >= 2 else c.initial_tension[i]
        change = float(s.tension[i] - before) if records else None
        beliefs: list[Belief] = [
            {
                "actor": c.ids[j],
                "name": self.name(c.ids[j]),
                "belief": float(s.belief[i, j]),
                "word": belief_word(float(s.belief[i, j])),
            }
            for j in others
        ]
        own: OwnMove | None = None
        readings: list[Reading] = []
        if records:
            last = records[-1]
            m = int(last.move[i])
            own = {
                "move": c.move_ids[m],
                "label": str(self.spec.moves[c.move_ids[m]].label),
                "rung": int(c.rungs[m]),
                "meant": float(last.hostility[i]),
                "framed": float(c.framed[m]),
                "source": self._source(last, i),
            }
            for j in others:
                # a state knows only the moves it saw, and only its own reading of them
                mj = int(last.move[j])
                seen = bool(last.seen[i, j])
                perceived = float(last.perceived[i, j]) if seen else None
                readings.append(
                    {
                        "actor": c.ids[j],
                        "name": self.name(c.ids[j]),
                        "move": c.move_ids[mj] if seen else None,
                        "label": str(self.spec.moves[c.move_ids[mj]].label) if seen else None,
                        "rung": int(c.rungs[mj]) if seen else None,
                        "seen": seen,
                        "perceived": perceived,
                        "reading": interpretation(perceived) if perceived is not None else "",
                    }
                )
        cred = s.credibility[others, i]
        return {
            "turn": self.turn,
            "turns": self.turns,
            "actor": actor,
            "name": self.name(actor),
            "voice": self.voice(actor),
            "tension": float(s.tension[i]),
            "tension_change": change,
            "norms": float(s.norms),
            "credibility": float(cred.mean()) if len(others) else 1.0,
            "beliefs": beliefs,
            "last_turn": self.played,
            "own_move": own,
            "readings": readings,
            "due": self.due_injects(),
        }

    def _source(self, record: TurnRecord, i: int) -> str:
        if i in record.human:
            return "human"
        if bool(record.forced[i]):
            return "inject"
        return str(self.model.compiled.policy_names[i])

    def due_injects(self) -> list[Due]:
        """Injects the scenario will fire at the start of the coming turn (besides hand-fired).

        Scheduled injects for this turn, and conditional ones whose conditions
        hold now (they are tested on the state at the end of the last turn).
        """
        return [self._inject_info(key) for key in self.model.engine.due(self.turn)]

    def _inject_info(self, key: str) -> Due:
        inj = self.spec.injects[key]
        moves = {e.move.actor: e.move.move for e in inj.effects if e.move is not None}
        return {"inject": key, "label": str(inj.label), "moves": moves}

    def choices(self, actor: str) -> list[Choice]:
        """The moves ``actor`` may choose, numbered from 1, lowest rung first."""
        c = self.model.compiled
        allowed = self._allowed(actor)
        allowed.sort(key=lambda m: (int(c.rungs[c.move_index[m]]), c.move_index[m]))
        out: list[Choice] = []
        for k, m in enumerate(allowed, start=1):
            move = self.spec.moves[m]
            out.append(
                {
                    "number": k,
                    "move": m,
                    "label": str(move.label),
                    "rung": int(move.rung),
                    "rung_label": self.rung_label(int(move.rung)),
                    "framing": str(move.framing),
                }
            )
        return out

    def injects(self) -> list[dict[str, Any]]:
        """Every inject of the scenario, numbered from 1, with when it fires and if it has."""
        out: list[dict[str, Any]] = []
        fired = self.model.engine.fired
        for k, (key, inj) in enumerate(self.spec.injects.items(), start=1):
            when = inj.when
            if when.turn is not None:
                timing = f"scheduled for turn {when.turn}"
            else:
                timing = "fires when its conditions hold"
            out.append(
                {
                    "number": k,
                    "inject": key,
                    "label": str(inj.label),
                    "when": timing,
                    "fired": key in fired,
                    "pending": key in self._pending.injects,
                }
            )
        return out

    # ------------------------------------------------------------ deciding

    def waiting(self) -> list[str]:
        """Human-played actors that have not chosen this turn, in hot-seat order."""
        return [a for a in self.humans if a not in self._pending.moves]

    def pending(self) -> TurnInput:
        """A copy of what has been decided so far this turn."""
        p = self._pending
        return TurnInput(p.turn, dict(p.moves), list(p.injects), [dict(e) for e in p.events])

    def resolve_move(self, actor: str, text: str) -> str:
        """The move id that ``text`` names in ``actor``'s menu.

        ``text`` is a menu number, a move id or label (any case), or a unique
        prefix of one.

        Raises:
            PlayError: nothing in the menu matches, or the move is not one
                ``actor`` may choose.
        """
        menu = self.choices(actor)
        raw = text.strip()
        if raw.isdigit():
            k = int(raw)
            if 1 <= k <= len(menu):
                return menu[k - 1]["move"]
            raise PlayError(f"there is no move number {k}: choose 1 to {len(menu)}")
        options = {ch["move"]: [ch["move"], ch["label"]] for ch in menu}
        try:
            return match_name(raw, options, "move")
        except PlayError as exc:
            if "could be any of" in str(exc) or not raw:
                raise
            every = {m: [m, str(mv.label)] for m, mv in self.spec.moves.items()}
            try:
                other = match_name(raw, every, "move")
            except PlayError:
                other = None
            if other is not None:
                raise PlayError(
                    f"{self.name(actor)} may not choose '{other}' in this scenario; "
                    f"pick one of the {len(menu)} moves in the menu"
                ) from None
            raise PlayError(
                f"no move called '{raw}' for {self.name(actor)}: type a number from 1 to "
                f"{len(menu)} or the start of a move's name"
            ) from None

    def choose(self, actor: str, move: str) -> str:
        """Record ``actor``'s move this turn and return its id.

        Args:
            actor: A human-played actor.
            move: Move id, label, menu number or unique prefix.

        Raises:
            PlayError: ``actor`` is not played by a person, or the move is not
                one it may choose.
        """
        if actor not in self.spec.actors:
            raise PlayError(f"no actor called '{actor}'")
        if actor not in self.humans:
            raise PlayError(f"{self.name(actor)} is played by the computer in this game")
        if self.finished:
            raise PlayError("the game is over")
        move_id = self.resolve_move(actor, move)
        if actor in self._pending.moves:
            self._steps.remove(("choose", actor))
        self._pending.moves[actor] = move_id
        self._steps.append(("choose", actor))
        return move_id

    def fire(self, inject: str) -> str:
        """Fire a scenario inject by hand this turn (by number, id or label); return its id."""
        if self.finished:
            raise PlayError("the game is over")
        keys = list(self.spec.injects)
        if not keys:
            raise PlayError("this scenario defines no injects")
        raw = inject.strip()
        if raw.isdigit():
            k = int(raw)
            if not 1 <= k <= len(keys):
                raise PlayError(f"there is no inject number {k}: choose 1 to {len(keys)}")
            key = keys[k - 1]
        else:
            options = {key: [key, str(self.spec.injects[key].label)] for key in keys}
            key = match_name(raw, options, "inject")
        if key in self._pending.injects:
            raise PlayError(f"'{key}' is already set to fire this turn")
        if any(d["inject"] == key for d in self.due_injects()):
            raise PlayError(f"'{key}' fires this turn anyway (the scenario schedules it)")
        self._pending.injects.append(key)
        self._steps.append(("fire", key))
        return key

    def nearest_move(self, actor: str, rung: int) -> str:
        """The move ``actor`` may choose whose rung is nearest ``rung``.

        Ties go to the lower rung, then the less hostile move, then file order.
        """
        c = self.model.compiled
        allowed = self._allowed(actor)
        if not allowed:
            raise PlayError(f"{self.name(actor)} has no moves to choose from")

        def key(m: str) -> tuple[int, int, float, int]:
            k = c.move_index[m]
            r = int(c.rungs[k])
            return (abs(r - rung), r, float(c.intended[k]), k)

        return min(allowed, key=key)

    def event(self, actor: str, rung: int | str, text: str) -> str:
        """An instructor's own event: ``actor`` makes the allowed move nearest ``rung``.

        The move counts as chosen by a person (``source`` 'human'); ``text`` is
        kept as a note in the save file and the run folder's transcript.

        Returns:
            The move id played.

        Raises:
            PlayError: the actor is unknown or played by a person, the rung is
                not a whole number, or the actor already has an event this turn.
        """
        if self.finished:
            raise PlayError("the game is over")
        actor_id = self.actor_id(actor)
        if actor_id in self.humans:
            raise PlayError(
                f"{self.name(actor_id)} is played by a person in this game; an event can "
                "only move a state the computer plays"
            )
        if any(e["actor"] == actor_id for e in self._pending.events):
            raise PlayError(f"{self.name(actor_id)} already has an event this turn: undo it first")
        try:
            level = int(str(rung).strip())
        except ValueError:
            raise PlayError(
                f"the rung must be a whole number (0 to {self.spec.top_rung}), got '{rung}'"
            ) from None
        note = " ".join(text.split())
        if not note:
            raise PlayError("describe the event: event <actor> <rung> <what happens>")
        move = self.nearest_move(actor_id, level)
        self._pending.events.append({"actor": actor_id, "rung": level, "move": move, "text": note})
        self._steps.append(("event", actor_id))
        return move

    def undo(self) -> str | None:
        """Take back the newest step of this turn (a choice, inject or event).

        Returns:
            A sentence saying what was taken back, or None when nothing was.
        """
        if not self._steps:
            return None
        kind, key = self._steps.pop()
        p = self._pending
        if kind == "choose":
            move = p.moves.pop(key)
            label = self.spec.moves[move].label
            return f"took back the choice of {self.name(key)} ({label}); it chooses again"
        if kind == "fire":
            p.injects.remove(key)
            return f"took back the inject '{key}'"
        p.events = [e for e in p.events if e["actor"] != key]
        return f"took back the event for {self.name(key)}"

    def resolve(self) -> TurnRecord:
        """Play the turn with everything decided, and start the next.

        Raises:
            PlayError: a human-played state has not chosen, or the game is over.
        """
        if self.finished:
            raise PlayError("the game is over")
        waiting = self.waiting()
        if waiting:
            raise PlayError(f"still waiting for {', '.join(self.name(a) for a in waiting)}")
        record = self._apply(self._pending)
        self._pending = TurnInput(turn=self.turn)
        self._steps = []
        return record

    def _apply(self, inp: TurnInput) -> TurnRecord:
        moves = dict(inp.moves)
        moves.update({e["actor"]: e["move"] for e in inp.events})
        record = self.model.play(human_moves=moves, injects=list(inp.injects))
        self.inputs.append(inp)
        return record

    # ------------------------------------------------------------ after a turn

    def summary(self, record: TurnRecord | None = None) -> TurnSummary:
        """What a resolved turn did (default: the last one)."""
        records = self.model.engine.records
        if record is None:
            if not records:
                raise PlayError("no turn has been played yet")
            record = records[-1]
        t = record.turn
        c = self.model.compiled
        before_t = records[t - 2].tension if t >= 2 else c.initial_tension
        norms_before = records[t - 2].norms if t >= 2 else float(self.spec.norms.strength)
        inp = self.inputs[t - 1] if t - 1 < len(self.inputs) else TurnInput(turn=t)
        moves: list[MoveSummary] = []
        humans: list[HumanMove] = []
        for i, aid in enumerate(c.ids):
            m = int(record.move[i])
            mid = c.move_ids[m]
            moves.append(
                {
                    "actor": aid,
                    "name": self.name(aid),
                    "move": mid,
                    "label": str(self.spec.moves[mid].label),
                    "rung": int(c.rungs[m]),
                    "source": self._source(record, i),
                    "tension_before": float(before_t[i]),
                    "tension_after": float(record.tension[i]),
                }
            )
            if aid in self.humans:
                readings: list[HumanReading] = []
                unseen: list[str] = []
                for j, oid in enumerate(c.ids):
                    if j == i:
                        continue
                    if not bool(record.seen[j, i]):
                        unseen.append(self.name(oid))
                        continue
                    p = float(record.perceived[j, i])
                    readings.append(
                        {
                            "observer": oid,
                            "name": self.name(oid),
                            "perceived": p,
                            "gap": p - float(record.hostility[i]),
                            "reading": interpretation(p),
                        }
                    )
                humans.append(
                    {
                        "actor": aid,
                        "name": self.name(aid),
                        "move": mid,
                        "label": str(self.spec.moves[mid].label),
                        "meant": float(record.hostility[i]),
                        "readings": readings,
                        "unseen_by": unseen,
                    }
                )
        return {
            "turn": t,
            "injects": [
                {
                    "inject": k,
                    "label": str(self.spec.injects[k].label),
                    "by": "hand" if k in inp.injects else "scenario",
                }
                for k in record.injects
            ],
            "events": [dict(e) for e in inp.events],
            "moves": moves,
            "humans": humans,
            "mean_tension_before": float(np.mean(before_t)),
            "mean_tension_after": float(np.mean(record.tension)),
            "norms_before": float(norms_before),
            "norms_after": float(record.norms),
        }

    def result(self) -> RunResult:
        """The game so far as a :class:`~sim.model.results.RunResult`."""
        return self.model.result()

    def notes(self) -> list[dict[str, Any]]:
        """Instructor events of the resolved turns: ``turn``, ``actor``, ``move``, ``text``."""
        return [{"turn": inp.turn, **e} for inp in self.inputs for e in inp.events]

    # ------------------------------------------------------------ save and resume

    def to_json(self, folder: str | Path | None = None) -> dict[str, Any]:
        """The save file's content (resolved turns only).

        Args:
            folder: The folder the file will be in: ``scenario`` is written
                relative to it (default: the current folder), so a save file
                holds no absolute path of this computer and can move with its
                scenario.
        """
        base = os.path.abspath(folder if folder is not None and str(folder) else ".")
        target = os.path.abspath(self.scenario_path)
        try:
            scenario = Path(os.path.relpath(target, base)).as_posix()
        except ValueError:  # another drive: no relative path exists
            scenario = Path(target).as_posix()
        return {
            "format": SAVE_FORMAT,
            "scenario": scenario,
            "scenario_id": self.spec.id,
            "scenario_sha256": scenario_hash(self.spec),
            "overrides": list(self.overrides),
            "seed": self.seed,
            "seed_source": self.seed_source,
            "turns": self.turns,
            "humans": list(self.humans),
            "played": self.played,
            "inputs": [inp.to_json() for inp in self.inputs],
        }

    def save(self, path: str | Path) -> Path:
        """Write the game to ``path`` as JSON, whole or not at all (temporary file, then rename).

        The folder is created if needed. An existing file is replaced only when
        it is a save file of this tool (see :func:`check_save_target`).

        Raises:
            PlayError: something other than a save file is at ``path``, or a
                part of its folder is a file.
            FileProblem: the write failed (disk full, read-only ...).
        """
        path = Path(path)
        _save_folder(path)
        if self._saved is None or _stat_key(path) != self._saved:
            check_save_target(path)
        text = json.dumps(self.to_json(path.parent), indent=2) + "\n"
        write_atomic(path, text, replace=True)
        self._saved = _stat_key(path)
        return path

    @classmethod
    def load(cls, path: str | Path) -> PlaySession:
        """Resume a saved game: replay its inputs on a fresh model with the same seed.

        The file is read bounded (:data:`~sim.files.SAVE_LIMIT`) and checked
        against :class:`SaveFile` before its scenario is read.

        Raises:
            FileProblem: the file is missing, not a regular file, too large, or
                not strict JSON.
            PlayError: not a save file, a field is wrong (``file:line:column:
                field: what: what to do``), its scenario is missing, not a
                regular file or changed since the game was saved, or an input no
                longer applies.
            ScenarioError: the scenario does not load.
        """
        path = Path(path)
        text = read_text(path, limit=SAVE_LIMIT, what="save file")
        data = parse_json(text, path, "save file")
        where = _Where(path, text)
        if not isinstance(data, dict) or not isinstance(data.get("format"), str):
            raise PlayError(f'{where.name}: not a saved game (no "format": "{SAVE_FORMAT}")')
        if data["format"] not in SAVE_FORMATS:
            raise where.problem(
                ("format",),
                f"{_brief(data['format'])} is not a save format this version reads "
                f"({', '.join(SAVE_FORMATS)})",
                "update sim, or start a new game",
            )
        try:
            save = SaveFile.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors()
            first = errors[0]
            extra = first["type"] == "extra_forbidden"
            advice = "remove it, or " + SAVE_ADVICE if extra else SAVE_ADVICE
            if len(errors) > 1:
                advice += f" ({len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
            raise where.problem(
                tuple(first["loc"]), _what_is_wrong(first), advice, key=extra
            ) from None
        problems = save_file_problems(save)
        if problems:
            loc, what = problems[0]
            raise where.problem(loc, what)
        scenario = _saved_scenario(path, save, where)
        try:
            session = cls(
                scenario, save.humans, seed=save.seed, turns=save.turns, overrides=save.overrides
            )
        except PlayError as exc:
            raise where.problem(("humans",), str(exc)) from None
        session.seed_source = save.seed_source
        if save.scenario_sha256 and save.scenario_sha256 != scenario_hash(session.spec):
            raise PlayError(
                f"{where.name}: the scenario {scenario} has changed since this game was saved, "
                "so the game cannot be replayed exactly; restore the file or start a new game"
            )
        for inp in save.inputs:
            session._replay(inp.to_input(), path)
        return session

    def _replay(self, inp: TurnInput, origin: Path) -> None:
        where = f"{shown(origin)}: turn {inp.turn}"
        c = self.model.compiled
        for actor, move in inp.moves.items():
            if actor not in self.humans:
                raise PlayError(f"{where}: {actor} is not a human player of this game")
            if move not in c.move_index or not c.allowed[c.index[actor], c.move_index[move]]:
                raise PlayError(f"{where}: {actor} may not choose '{move}'")
        for key in inp.injects:
            if key not in self.spec.injects:
                raise PlayError(f"{where}: no inject '{key}' in the scenario")
        for k, e in enumerate(inp.events):
            actor, move = str(e.get("actor")), str(e.get("move"))
            if actor not in c.index or move not in c.move_index:
                raise PlayError(f"{where}: bad event {e}")
            if actor in self.humans or any(o.get("actor") == actor for o in inp.events[:k]):
                raise PlayError(
                    f"{where}: event for {actor}: only one, and only for a state the computer plays"
                )
        if set(self.humans) - set(inp.moves):
            missing = ", ".join(sorted(set(self.humans) - set(inp.moves)))
            raise PlayError(f"{where}: no move for {missing}")
        self._apply(inp)
        self._pending = TurnInput(turn=self.turn)


# ---------------------------------------------------------------- scripted turns


@dataclass(slots=True)
class ScriptTurn:
    """One turn of a ``--moves`` file, checked against the game.

    Attributes:
        turn: 1-based turn number.
        moves: Human-played actor id -> move id.
        injects: Inject ids to fire by hand.
        events: ``(actor id, rung, text)`` instructor events.
    """

    turn: int
    moves: dict[str, str] = field(default_factory=dict)
    injects: list[str] = field(default_factory=list)
    events: list[tuple[str, int, str]] = field(default_factory=list)


_INJECT_KEYS = ("inject", "injects")
_EVENT_KEYS = ("event", "events")
_TURN_KEY = re.compile(r"(?:turn)?\s*([0-9]{1,9})")
_EVENT_FIELDS = frozenset({"actor", "rung", "text"})


def _items(value: Any, loc: Loc) -> list[tuple[Any, Loc]]:
    """One value or a list of values, each with its path (None: nothing)."""
    if value is None:
        return []
    if isinstance(value, list):
        return [(item, (*loc, k)) for k, item in enumerate(value)]
    return [(value, loc)]


def _turn_number(raw: Any) -> int | None:
    """The turn a key of a ``--moves`` file names (``3``, ``"3"``, ``turn 3``), or None."""
    if isinstance(raw, bool):
        return None
    match = _TURN_KEY.fullmatch(str(raw).strip().lower())
    if match is None or int(match.group(1)) < 1:
        return None
    return int(match.group(1))


def load_script(path: str | Path, session: PlaySession) -> dict[int, ScriptTurn]:
    """Read and check a ``--moves`` file (YAML or JSON) of scripted turns.

    The file maps turn numbers to what happens in that turn::

        1:
          china: sino_russian_md_drill        # actor: move (id, label, menu number)
          united_states: statement of concern
          inject: [new_start_expires]          # injects fired by hand (one or a list)
          event: "russia 4 Moscow announces a snap exercise"   # actor rung text
        2: {china: hold, united_states: hold}

    A scripted turn must give a move for every human-played state; no prompts
    are read for it. Turns not in the file are played at the keyboard.

    The file is read bounded (:data:`~sim.files.MOVES_LIMIT`, regular files
    only) and parsed by :mod:`sim.scenario.yamlsafe` (JSON is YAML), which
    refuses duplicate keys, aliases and deep nesting. The rules: keys are turn
    numbers 1 to the game's turns, each once; each turn is a mapping of
    human-played actors to one move each (every human needs one), plus
    ``inject``/``injects`` (ids or labels, each once) and ``event``/``events``
    (``"actor rung text"`` or ``{actor, rung, text}``, for states the computer
    plays). The result is one :class:`ScriptTurn` per turn.

    Raises:
        FileProblem: the file is missing, not a regular file, too large, or not UTF-8.
        PlayError: not YAML, or an entry is wrong (``file:line:column: turn N,
            actor: what``).
    """
    path = Path(path)
    name = shown(path)
    text = read_text(path, limit=MOVES_LIMIT, what="moves file")
    try:
        located = yamlsafe.parse(text, name)
    except yamlsafe.YamlProblem as exc:
        at = f":{exc.line}:{exc.column}" if exc.line else ""
        raise PlayError(f"{name}{at}: {exc.message}") from None
    except (ValueError, RecursionError) as exc:  # e.g. a number of thousands of digits
        why = str(exc).split(";")[0]
        raise PlayError(
            f"{name}: cannot read the moves file ({why}): is this a moves file?"
        ) from None
    where = _Where(path, text, located)
    data = located.data
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PlayError(
            f"{where.at(())}: expected turn numbers mapped to moves, e.g. {{1: {{china: hold}}}}"
        )
    script: dict[int, ScriptTurn] = {}
    firsts: dict[int, str] = {}
    for raw_turn, entry in data.items():
        turn_at = where.at((raw_turn,), key=True)
        turn = _turn_number(raw_turn)
        if turn is None:
            raise PlayError(f"{turn_at}: {_brief(str(raw_turn))} is not a turn number (1, 2, ...)")
        if turn in script:
            raise PlayError(f"{turn_at}: turn {turn}: the turn is given twice{firsts[turn]}")
        first = where.mark((raw_turn,), key=True)
        firsts[turn] = f" (first at line {first.line})" if first is not None else ""
        if turn > session.turns:
            raise PlayError(
                f"{turn_at}: turn {turn}: the game has only {session.turns} turns (see --turns)"
            )
        if not isinstance(entry, dict):
            raise PlayError(
                f"{where.at((raw_turn,))}: turn {turn}: expected 'actor: move' pairs, "
                f"got {_brief(entry)}"
            )
        step = ScriptTurn(turn)
        for key, value in entry.items():
            loc: Loc = (raw_turn, key)
            here = f"{where.at(loc)}: turn {turn}"
            label = str(key).strip()
            if label.lower() in _INJECT_KEYS:
                for item, item_loc in _items(value, loc):
                    item_at = f"{where.at(item_loc)}: turn {turn}"
                    if isinstance(item, (dict, list)) or item is None:
                        raise PlayError(f"{item_at}: expected an inject's id or label")
                    step.injects.append(_script_inject(session, str(item), item_at))
            elif label.lower() in _EVENT_KEYS:
                for item, item_loc in _items(value, loc):
                    item_at = f"{where.at(item_loc)}: turn {turn}"
                    step.events.append(_script_event(session, item, item_at))
            else:
                try:
                    actor = session.actor_id(label)
                except PlayError as exc:
                    raise PlayError(f"{where.at(loc, key=True)}: turn {turn}: {exc}") from None
                if actor not in session.humans:
                    raise PlayError(
                        f"{here}, {actor}: not played by a person in this game "
                        f"(add --human {actor}, or use an event)"
                    )
                if actor in step.moves:
                    raise PlayError(f"{here}, {actor}: given twice")
                if value is None or isinstance(value, (dict, list, bool)):
                    raise PlayError(f"{here}, {actor}: expected one move, got {_brief(value)}")
                try:
                    step.moves[actor] = session.resolve_move(actor, str(value))
                except PlayError as exc:
                    raise PlayError(f"{here}, {actor}: {exc}") from None
        missing = [a for a in session.humans if a not in step.moves]
        if missing:
            raise PlayError(
                f"{turn_at}: turn {turn}, {missing[0]}: no move given (every human needs one)"
            )
        if len(set(step.injects)) != len(step.injects):
            raise PlayError(f"{turn_at}: turn {turn}: an inject is fired twice")
        script[turn] = step
    return dict(sorted(script.items()))


def _script_inject(session: PlaySession, text: str, where: str) -> str:
    options = {k: [k, str(i.label)] for k, i in session.spec.injects.items()}
    if not options:
        raise PlayError(f"{where}: this scenario defines no injects")
    try:
        return match_name(text, options, "inject")
    except PlayError as exc:
        raise PlayError(f"{where}: {exc}") from None


def _script_event(session: PlaySession, item: Any, where: str) -> tuple[str, int, str]:
    if isinstance(item, dict):
        unknown = sorted(str(k) for k in item if k not in _EVENT_FIELDS)
        if unknown:
            raise PlayError(
                f"{where}: an event has only actor, rung and text, not {_brief(unknown[0])}"
            )
        actor, rung, text = item.get("actor"), item.get("rung"), item.get("text", "")
    elif item is None or isinstance(item, list):
        raise PlayError(f"{where}: an event is 'actor rung text', got {_brief(item)}")
    else:
        parts = str(item).split(None, 2)
        if len(parts) < 3:
            raise PlayError(f"{where}: an event is 'actor rung text', got {_brief(item)}")
        actor, rung, text = parts
    try:
        actor_id = session.actor_id(str(actor))
    except PlayError as exc:
        raise PlayError(f"{where}: event: {exc}") from None
    if actor_id in session.humans:
        raise PlayError(f"{where}, {actor_id}: an event can only move a state the computer plays")
    try:
        level = int(str(rung))
    except ValueError:
        raise PlayError(f"{where}, {actor_id}: event rung must be a whole number") from None
    if not str(text).strip():
        raise PlayError(f"{where}, {actor_id}: the event needs a text")
    return actor_id, level, str(text)


def apply_script(session: PlaySession, step: ScriptTurn) -> None:
    """Enter one scripted turn's decisions into ``session`` (it is not resolved)."""
    for actor in session.humans:
        session.choose(actor, step.moves[actor])
    for key in step.injects:
        session.fire(key)
    for actor, rung, text in step.events:
        session.event(actor, rung, text)
