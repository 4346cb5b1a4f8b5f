"""Role briefs: one printable HTML page per team, from the scenario alone.

A brief tells a team who it is (name, voice, bloc), its posture in words with
the basis of each value, what it wants (``objectives``), the moves it may
choose (label, rung and the ladder's name for it, cost, what it means), what
it knows that others may not (``private_knowledge``), and how a turn works.
Nothing here runs the model: a brief is the scenario, written for one team.

The page comes from ``templates/brief.html.j2`` with autoescaping on (every
piece of scenario text is escaped by the template engine) and ``brief.css``
inlined. It loads nothing from outside itself and is laid out to print on one
or two A4 pages. :func:`write_briefs` builds a new folder with
:func:`sim.files.output_folder`: staged, put in place whole, and replacing an
existing folder only with ``force`` and only when sim wrote every file in it.

Example:
    >>> from sim.paths import resolve_scenario
    >>> from sim.scenario.loader import load_scenario
    >>> s = load_scenario(resolve_scenario(None))  # the flagship
    >>> render_brief(s, next(iter(s.actors))).startswith("<!DOCTYPE html>")
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sim import files
from sim.errors import UsageError
from sim.scenario.schema.posture import POSTURE_FIELDS

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario
    from sim.scenario.schema.basics import Basis

__all__ = [
    "Brief",
    "brief",
    "brief_name",
    "default_folder",
    "level",
    "render_brief",
    "write_briefs",
]

POSTURE_WORDS: dict[str, str] = {
    "threat_sensitivity": "How readily you read others' moves as threats",
    "resolve": "How willing you are to answer pressure in kind",
    "restraint": "How much you prefer to avoid escalation",
    "transparency": "How far others believe your public framing at the start",
    "deterrent_anxiety": "How much you worry that your own deterrent could lose its credibility",
    "hedging": "How much you keep options open between blocs",
    "reassurance_propensity": "How inclined you are to send reassuring signals",
    "learning_rate": "How quickly you revise your view of the others",
}
"""Each posture dimension as a team reads it ("you"); docs/model.md has the maths."""

LEVELS: tuple[tuple[float, str], ...] = (
    (0.2, "very low"),
    (0.4, "low"),
    (0.6, "middling"),
    (0.8, "high"),
    (1.0, "very high"),
)
"""Words for a value in [0, 1]: the first whose upper bound is at least the value
(so 0.2 is "very low", 0.21 "low", 0.6 "middling" and 0.61 "high")."""

TURN_STEPS: tuple[str, ...] = (
    "Every team chooses one move from its list (holding back is a move too); each move comes "
    "with its public framing. States no team plays choose at the same time.",
    "The moves are played together. A state always sees a move aimed at it; any other state "
    "sees it with the chance the move's visibility gives.",
    "Each state reads each move it sees through its own lens: the rung, the public framing "
    "(believed as far as the sender has been credible), its threat sensitivity and what it "
    "already believes about the sender. The reading can be far from what the sender meant.",
    "Tension rises with hostile readings and eases with time and restraint; beliefs move "
    "toward what was read. Scenario events (injects) may fire.",
    "When the turn is revealed you see what each move meant, how it was framed and how each "
    "state read it. The gap between the three is the point of the exercise.",
)
"""The "How a turn works" box, in the order the model does it (docs/model.md)."""


def level(value: float) -> str:
    """A value in [0, 1] in words (see :data:`LEVELS`)."""
    for bound, word in LEVELS:
        if value <= bound:
            return word
    return LEVELS[-1][1]


@dataclass(frozen=True)
class BasisView:
    """A basis as the brief shows it: the source's key and title, the part, the reasoning."""

    source: str
    title: str
    part: str
    reasoning: str
    assumption: bool


@dataclass(frozen=True)
class Item:
    """An objective or a piece of private knowledge, with its basis."""

    text: str
    basis: BasisView | None


@dataclass(frozen=True)
class PostureRow:
    """One posture dimension: what it is, the value, the value in words, the basis."""

    what: str
    value: str
    words: str
    basis: BasisView | None


@dataclass(frozen=True)
class MoveRow:
    """One move the team may choose."""

    label: str
    rung: int
    rung_label: str
    cost: str
    cost_words: str
    meaning: str
    note: str


@dataclass(frozen=True)
class Brief:
    """Everything one team's page shows."""

    actor: str
    name: str
    voice: str
    bloc: str
    description: str
    scenario_title: str
    turns: int
    turn_meaning: str
    posture: list[PostureRow]
    tension: PostureRow
    objectives: list[Item]
    knowledge: list[Item]
    moves: list[MoveRow]
    steps: tuple[str, ...]


def _basis(scenario: Scenario, basis: Basis | None) -> BasisView | None:
    if basis is None:
        return None
    titles = {s.key: s.title for s in scenario.metadata.sources}
    return BasisView(
        source=basis.source,
        title=titles.get(basis.source, basis.source),
        part=basis.part,
        reasoning=basis.reasoning,
        assumption=basis.source == "assumption",
    )


def _repertoire(scenario: Scenario, actor: str) -> list[str]:
    """The moves the actor's team may choose, as the model allows its policy to."""
    spec = scenario.actors[actor]
    ids = spec.moves if spec.moves is not None else list(scenario.moves)
    out = []
    for move_id in ids:
        move = scenario.moves[move_id]
        users = move.partners or move.available_to
        if not move.scripted_only and (users is None or actor in users):
            out.append(move_id)
    return out


def _move_note(scenario: Scenario, actor: str, move_id: str) -> str:
    move = scenario.moves[move_id]
    bits = []
    if move.partners:
        others = [scenario.actors[p].name for p in move.partners if p != actor]
        bits.append("joint with " + ", ".join(others) + " (all partners play it)")
    if move.limit is not None:
        if move.limit.times is not None:
            bits.append(f"at most {move.limit.times} time{'s' if move.limit.times != 1 else ''}")
        if move.limit.cooldown:
            bits.append(f"{move.limit.cooldown} turns' wait before repeating")
    if move.targets:
        bits.append("aimed at " + ", ".join(scenario.actors[t].name for t in move.targets))
    return "; ".join(bits)


def brief(scenario: Scenario, actor: str) -> Brief:
    """The brief of ``actor``'s team.

    Raises:
        UsageError: ``actor`` is not an actor of the scenario.
    """
    if actor not in scenario.actors:
        known = ", ".join(scenario.actors)
        raise UsageError(f"no actor {actor!r} in this scenario; its actors are: {known}")
    spec = scenario.actors[actor]
    ladder = scenario.ladder or []
    posture = []
    for name in POSTURE_FIELDS:
        value = getattr(spec.posture, name)
        posture.append(
            PostureRow(
                what=POSTURE_WORDS.get(name, name.replace("_", " ").capitalize()),
                value=f"{value.value:.2f}",
                words=level(value.value),
                basis=_basis(scenario, value.basis),
            )
        )
    tension = PostureRow(
        what="How alarmed you are at the start (tension)",
        value=f"{spec.initial_tension.value:.2f}",
        words=level(spec.initial_tension.value),
        basis=_basis(scenario, spec.initial_tension.basis),
    )
    moves = []
    for move_id in _repertoire(scenario, actor):
        move = scenario.moves[move_id]
        moves.append(
            MoveRow(
                label=move.label,
                rung=move.rung,
                rung_label=ladder[move.rung].label if move.rung < len(ladder) else "",
                cost=f"{move.cost:.2f}",
                cost_words=level(move.cost),
                meaning=move.meaning or move.framing,
                note=_move_note(scenario, actor, move_id),
            )
        )
    moves.sort(key=lambda m: (m.rung, m.label))
    meta = scenario.metadata
    return Brief(
        actor=actor,
        name=spec.name,
        voice=spec.voice or spec.name,
        bloc=(spec.bloc or "").replace("_", " "),
        description=" ".join((spec.description or "").split()),
        scenario_title=meta.title,
        turns=scenario.turns,
        turn_meaning=meta.turn_meaning or "",
        posture=posture,
        tension=tension,
        objectives=[Item(o.text, _basis(scenario, o.basis)) for o in spec.objectives],
        knowledge=[Item(k.text, _basis(scenario, k.basis)) for k in spec.private_knowledge],
        moves=moves,
        steps=TURN_STEPS,
    )


def render_brief(scenario: Scenario, actor: str) -> str:
    """``actor``'s brief as one self-contained HTML document."""
    from sim.outputs.report.page import NO_WEAPONS, environment

    template = environment().get_template("brief.html.j2")
    return template.render(b=brief(scenario, actor), no_weapons=NO_WEAPONS)


def brief_name(actor: str) -> str:
    """The file name of ``actor``'s brief in the folder."""
    return f"brief-{actor}.html"


def default_folder(root: Path, scenario_id: str) -> Path:
    """``root/<id>-briefs``, or with ``-2``, ``-3``... when that exists."""
    base = root / f"{scenario_id}-briefs"
    candidate, k = base, 1
    while candidate.exists() or candidate.is_symlink():
        k += 1
        candidate = root / f"{base.name}-{k}"
    return candidate


def write_briefs(
    scenario: Scenario,
    folder: Path,
    teams: Sequence[str] = (),
    *,
    force: bool = False,
    command: Sequence[str] = (),
) -> list[Path]:
    """Write one brief per team (every actor when ``teams`` is empty) into a new folder.

    The folder is built whole in a hidden staging sibling and put in place at
    the end, with ``manifest.json`` listing its files (:func:`sim.files.output_folder`).

    Raises:
        UsageError: a team is not an actor of the scenario.
        FileProblem: the folder exists (without ``force``), or is not one sim
            wrote, or cannot be written.
    """
    chosen = list(dict.fromkeys(teams)) or list(scenario.actors)
    pages = {a: render_brief(scenario, a) for a in chosen}  # every check before any write
    with files.output_folder(folder, force=force) as stage:
        stage.manifest.update(
            {
                "kind": "briefs",
                "scenario": scenario.id,
                "teams": chosen,
                "command": list(command),
            }
        )
        for actor, page in pages.items():
            files.write_atomic(stage.path / brief_name(actor), page)
    return [Path(folder) / brief_name(a) for a in chosen]
