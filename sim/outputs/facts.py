"""A scenario's stylised facts as the outputs show them, and whether one run kept to each.

A scenario's ``expectations:`` are claims its sources support about its runs
(:mod:`sim.scenario.facts`, measured over an ensemble by ``sim check``). A
single run either kept to each claim or departed from it: the fact is decided
on the run's own records as a batch of one
(:func:`sim.model.expectations.held_in_run`), which is the verdict ``sim check``
counts for that seed over the same turns.

The report lists every fact with this run's verdict; the transcript and the
debrief name only the facts this run departed from, one line each ("This run
departs from the sources: ...").  A fact is said in its author's ``label``
when it has one, else in the words its kind's ``describe`` gives. Scenario
text (labels, names, basis parts) is :class:`~sim.outputs.inline.Data`,
escaped as it enters Markdown and autoescaped in HTML.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sim.outputs.inline import Data, Line, line
from sim.scenario.facts import Names, words

if TYPE_CHECKING:
    from sim.model.results import RunResult
    from sim.scenario.schema import Scenario

__all__ = [
    "DEPARTS",
    "FactView",
    "departure_line",
    "departure_question",
    "departures",
    "fact_views",
    "names",
    "verdict_line",
]

DEPARTS = "This run departs from the sources: "
"""How a departure line starts (transcript and debrief)."""

QUESTION = " What in this run made it depart, and would you expect it in the real crisis?"
"""What the debrief asks after a departure."""


@dataclass(frozen=True)
class FactView:
    """One stylised fact, in words, with its basis and (for a run) its verdict.

    Attributes:
        id: The fact's id in ``expectations:``.
        kind: Its kind.
        words: The claim in the words its kind gives.
        label: The author's words for it ('' if none).
        source: Its basis's source key ('' if no basis).
        part: The part of the source ('' if no basis).
        reasoning: The basis's reasoning ('' if no basis).
        required: The share of runs it must hold in.
        held: Whether this run kept to it; None when undecided (no run, or a
            run that kept only summaries of its readings).
    """

    id: str
    kind: str
    words: str
    label: str
    source: str
    part: str
    reasoning: str
    required: float
    held: bool | None = None

    @property
    def said(self) -> str:
        """The claim as the outputs say it: the author's label, else the kind's words."""
        return self.label or self.words


def names(scenario: Scenario) -> Names:
    """The scenario's display names: actors by ``name``, moves by ``label``."""
    return Names(
        actors={a: spec.name for a, spec in scenario.actors.items()},
        moves={m: spec.label for m, spec in scenario.moves.items()},
    )


def _view(fid: str, fact: Any, named: Names, held: bool | None) -> FactView:
    basis = fact.basis
    return FactView(
        id=fid,
        kind=fact.kind,
        words=words(fact, named),
        label=fact.label or "",
        source=basis.source if basis is not None else "",
        part=basis.part if basis is not None else "",
        reasoning=basis.reasoning if basis is not None else "",
        required=float(fact.share),
        held=held,
    )


def scenario_facts(scenario: Scenario) -> list[FactView]:
    """The scenario's facts in file order, without a verdict."""
    named = names(scenario)
    return [_view(fid, fact, named, None) for fid, fact in scenario.expectations.items()]


_DECIDED: weakref.WeakKeyDictionary[RunResult, tuple[int, list[FactView]]] = (
    weakref.WeakKeyDictionary()
)
"""Each run's verdicts, with the turns they were decided on: the transcript, the debrief
and the report all ask, and a ``versus`` fact replays another scenario to answer."""


def fact_views(result: RunResult) -> list[FactView]:
    """The run's scenario's facts in file order, each with whether this run kept to it."""
    if not result.scenario.expectations:
        return []
    turns, views = _DECIDED.get(result, (-1, []))
    if turns != len(result.records):
        views = _decide(result)
        _DECIDED[result] = (len(result.records), views)
    return list(views)


def _decide(result: RunResult) -> list[FactView]:
    from sim.model.expectations import held_in_run

    facts = result.scenario.expectations
    from sim.running.check import compared, trace

    turns = len(result.records)
    others = {ref: trace(c, [result.seed], turns) for ref, c in compared(result.scenario).items()}
    verdicts = held_in_run(list(facts.values()), result.compiled, result.records, others)
    named = names(result.scenario)
    return [
        _view(fid, fact, named, None if verdicts is None else verdicts[k])
        for k, (fid, fact) in enumerate(facts.items())
    ]


def departures(result: RunResult) -> list[FactView]:
    """The facts this run departed from, in file order (none when it cannot say)."""
    return [v for v in fact_views(result) if v.held is False]


def _basis(view: FactView) -> Line:
    if not view.source:
        return ()
    part = line(", ", Data(view.part)) if view.part else ()
    return line(" (", Data(view.source), part, ")")


def departure_line(view: FactView) -> Line:
    """The line naming a departed fact: "This run departs from the sources: ...", basis after."""
    return line(DEPARTS, Data(view.said), _basis(view), ".")


def verdict_line(view: FactView) -> Line:
    """One fact with the share of runs it asks for and this run's verdict (debrief list)."""
    verdict = {True: "kept to it", False: "departed from it", None: "not decided"}[view.held]
    share = "in every run" if view.required >= 1 else f"in at least {view.required:.0%} of runs"
    return line(
        Data(view.said),
        _basis(view),
        f": {share}; this run {verdict}.",
    )


def departure_question(view: FactView) -> Line:
    """The departure line, asked as a seminar question."""
    return line(departure_line(view), QUESTION)
