"""Debrief questions tied to what happened in *this* run.

Two parts, written to ``debrief.md``:

* questions generated from the run (the largest perception gap, the first
  counter-action and the longest chain, a miscalculation, the tension peak, the
  sharpest loss of framing credibility, how tension and the regime ended,
  and each stylised fact of the scenario's ``expectations:`` that this run
  departed from: see :mod:`sim.outputs.facts`);
* the scenario's own ``debrief:`` prompts: unconditional ones always, and
  those with a ``when:`` condition only if it held (at the end, or at any
  turn, as the prompt says).

Conditions are evaluated on the recorded run by :func:`condition_series`, the
same metrics the engine uses for injects.

:func:`build_debrief` gives the questions as a :class:`Debrief` (lines of
:mod:`sim.outputs.inline` spans) that both faces read: :func:`debrief` writes
it as Markdown (``debrief.md``), the report as HTML. Scenario text (the
title, voices, move labels, the prompts themselves) is data in those spans,
escaped as it enters the Markdown, so it always shows as the text it is,
never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.model.conditions import evaluate
from sim.model.metrics import inject_index
from sim.model.results import RunResult
from sim.outputs.facts import departure_question, departures, fact_views, verdict_line
from sim.outputs.grammar import form, is_plural_actor
from sim.outputs.inline import Data, Emphasis, Line, line, to_markdown
from sim.outputs.transcript_model import Played
from sim.outputs.wording import cap, count, noun_spans, num, possessive_spans, signed
from sim.scenario.schema import Condition

#: The ids of the debrief's sections in the report.
SECTION_IDS = {"generated": "debrief-from-this-run", "scenario": "debrief-from-the-scenario"}


@dataclass(frozen=True)
class Prompt:
    """One of the scenario's own questions, and why it was asked (None: always asked)."""

    text: Line
    why: Line | None


@dataclass(frozen=True)
class Debrief:
    """The debrief of one run: a title, one line on where the questions come from, the questions."""

    title: Line
    intro: Line
    generated: tuple[Line, ...]
    prompts: tuple[Prompt, ...]
    facts: tuple[Line, ...] = ()


class _RunReadings:
    """A recorded run as :class:`~sim.model.conditions.Readings`: one value per turn played.

    Each turn's values are those at its end, which is the start of the next
    turn: so ``turn`` is the turn about to be played (2 after turn 1), as the
    engine reads it for an inject.
    """

    def __init__(self, result: RunResult) -> None:
        a = result.arrays
        self._arrays = a
        self._result = result
        self.tension, self.rung = a.tension[1:], a.rung
        self.belief, self.credibility = a.belief[1:], a.credibility[1:]
        self.turn = np.arange(2, result.turns + 2, dtype=float)

    def perception_gap(self, observer: int | None) -> np.ndarray:
        a = self._arrays
        if observer is None:
            return np.asarray(a.mean_abs_gap)
        seen = a.seen[:, observer, :]
        gaps = np.where(seen, np.abs(np.nan_to_num(a.gap[:, observer, :])), 0.0).sum(axis=1)
        return np.where(seen.sum(axis=1) > 0, gaps / np.maximum(seen.sum(axis=1), 1), 0.0)

    def escalation_index(self) -> np.ndarray:
        return np.asarray(self._arrays.escalation_index)

    def polarisation(self) -> np.ndarray:
        return np.asarray(self._arrays.polarisation)

    def norms(self) -> np.ndarray:
        return np.asarray(self._arrays.norms)

    def fired(self, inject: str) -> np.ndarray:
        # After turn t: fired at the start of turn t or of any earlier turn (what the
        # engine's cumulative State.fired holds when it decides turn t + 1).
        keys = [inj.key for inj in self._result.compiled.injects]
        k = inject_index(inject, keys)
        now = [r.fired[k] if r.fired is not None else False for r in self._result.records]
        return np.logical_or.accumulate(np.asarray(now, dtype=bool)).astype(np.float64)


def condition_series(result: RunResult, cond: Condition) -> np.ndarray:
    """A condition's metric at the end of every turn played, shape ``(T,)``.

    Read through the one evaluator of :mod:`sim.model.conditions`, as injects are.
    """
    return np.asarray(evaluate(cond, _RunReadings(result), result.compiled.index))


def condition_held(result: RunResult, cond: Condition, at: str) -> bool:
    """Whether ``cond`` held at the end of the run (``at='end'``) or at any turn."""
    values = condition_series(result, cond)
    if values.size == 0:
        return False
    hits = cond.test(np.asarray(values, dtype=np.float64))
    return bool(hits[-1]) if at == "end" else bool(hits.any())


def _voice(result: RunResult, actor: str) -> Data:
    """How the text names ``actor``."""
    spec = result.scenario.actors[actor]
    return Data(spec.voice or spec.name)


def _noun(
    result: RunResult, move: str, played: Played | None = None, turn: int = 0, actor: str = ""
) -> Line:
    """The move as the text names it: its label, or the instructor's event text for an event."""
    event = (played or {}).get((int(turn), str(actor)))
    if event is not None and event.text is not None:
        return line('the event "', Data(event.text), '"')
    return noun_spans(result.scenario.moves[move].label)


def question_lines(result: RunResult, played: Played | None = None) -> list[Line]:
    """Questions built from the events of this run (may be empty for a 1-turn run).

    ``played``: in play mode, the moves people chose and their words; an
    instructor's event is named by its own text.
    """
    s = result.scenario
    questions: list[Line] = []
    events = result.events
    seen = events[events.observed]
    if len(seen):
        worst = seen.loc[seen.gap.abs().idxmax()]
        meant = float(worst.perceived - worst.gap)  # meant toward the observer (model.md 7.5)
        observer, sender = _voice(result, worst.observer), _voice(result, worst.sender)
        label = _noun(result, worst.move, played, worst.turn, worst.sender)
        read = line(f"In turn {worst.turn}, ", observer, " read ", possessive_spans(sender), " ")
        if worst.gap > 0:
            questions.append(
                line(
                    read,
                    label,
                    f" at {num(worst.perceived)}, though it was meant at {num(meant)} "
                    f"(gap {signed(worst.gap)}). What could ",
                    sender,
                    " have done to narrow that gap: a costlier signal, a clearer framing, or a "
                    "message through a dialogue channel? What would each have cost?",
                )
            )
        else:
            questions.append(
                line(
                    read,
                    label,
                    " as far less hostile than meant "
                    f"({num(worst.perceived)} against {num(meant)}). Is being "
                    "underestimated a danger too? When might it lead to a worse crisis later?",
                )
            )
    links = result.links
    if len(links):
        first = links.iloc[0]
        chain = int(links.chain_depth.max())
        answerer, provoker = _voice(result, first.responder), _voice(result, first.cause_sender)
        questions.append(
            line(
                f"The first counter-action came in turn {first.turn}: ",
                answerer,
                " counter-acted ",
                possessive_spans(provoker),
                " ",
                _noun(result, first.cause_move, played, first.cause_turn, first.cause_sender),
                " with a more hostile move. "
                f"The longest chain ran to {count(chain, 'counter-action', 'counter-actions')}. "
                "At which one could one side "
                "have broken the cycle, and what would it have needed to believe about the other "
                "to do so?",
            )
        )
        miscalculated = links[links.miscalculation]
        if len(miscalculated):
            m = miscalculated.loc[miscalculated.gap.idxmax()]
            responder, cause = _voice(result, m.responder), _voice(result, m.cause_sender)
            i, j = result.compiled.index[m.responder], result.compiled.index[m.cause_sender]
            before = float(result.arrays.belief[int(m.cause_turn) - 1, i, j])
            questions.append(
                line(
                    f"{cap(count(len(miscalculated), 'counter-action', 'counter-actions'))} "
                    f"{'followed' if len(miscalculated) > 1 else 'followed a'} "
                    f"reading{'s' if len(miscalculated) > 1 else ''} at least "
                    f"{num(s.dynamics.miscalculation_threshold)} more hostile than the move was "
                    "meant toward the reader. "
                    f"{'The widest' if len(miscalculated) > 1 else 'It'}: in turn {m.turn} ",
                    responder,
                    " counter-acted ",
                    possessive_spans(cause),
                    f" move, read at {num(m.perceived)} but meant at {num(m.intended)}. ",
                    responder,
                    " already believed ",
                    cause,
                    f" hostile at {num(before)} before that turn. How did that image shape the "
                    "reading (Jervis), and what evidence would have changed it?",
                )
            )
    tension = result.arrays.tension
    if result.turns:
        mean = tension.mean(axis=1)
        peak = int(mean[1:].argmax()) + 1
        questions.append(
            line(
                f"Mean tension peaked in turn {peak} at {num(mean[peak])}. Read the two turns "
                "before it in the transcript: which moves pushed it up, and were they meant to?"
            )
        )
        cred = result.arrays.credibility
        n = len(result.actor_ids)
        off = ~np.eye(n, dtype=bool)
        start = np.array([cred[0][:, j][off[:, j]].mean() for j in range(n)])
        end = np.array([cred[-1][:, j][off[:, j]].mean() for j in range(n)])
        j = int((end - start).argmin())
        if end[j] < start[j] - 0.05:
            sender = _voice(result, result.actor_ids[j])
            its = form("its", is_plural_actor(s.actors[result.actor_ids[j]]))
            questions.append(
                line(
                    "Others' trust in ",
                    possessive_spans(sender),
                    f" public framing fell from {num(start[j])} to {num(end[j])}: {its} words "
                    f"and {its} moves kept diverging (the say–do gap). Which of ",
                    possessive_spans(sender),
                    " moves did the most damage, and would a costly reassuring step have "
                    "restored it (Kydd)?",
                )
            )
        change = float(mean[-1] - mean[0])
        if change > 0.02:
            questions.append(
                line(
                    f"Tension ended higher than it started ({num(mean[0])} → {num(mean[-1])}). "
                    "Was any actor's escalation irrational given what it perceived? If each step "
                    "was reasonable, what does that say about the security dilemma?"
                )
            )
        elif change < -0.02:
            questions.append(
                line(
                    f"Tension ended lower than it started ({num(mean[0])} → {num(mean[-1])}). "
                    "Which moves did the most to calm things, and were they costly signals or "
                    "cheap talk?"
                )
            )
        norms = result.arrays.norms
        if norms[-1] < s.norms.strength - 0.1:
            questions.append(
                line(
                    "The regime of shared norms and transparency weakened from "
                    f"{num(s.norms.strength)} to {num(norms[-1])}. In the model that makes "
                    "readings noisier and framings less believable. Where in the run can you see "
                    "that effect?"
                )
            )
    questions.extend(departure_question(v) for v in departures(result))
    return questions


def generated_questions(result: RunResult) -> list[str]:
    """Questions built from the events of this run, as Markdown (may be empty)."""
    return [to_markdown(q) for q in question_lines(result)]


def prompt_lines(result: RunResult) -> list[Prompt]:
    """The scenario's own prompts that apply, with a note on why each was asked."""
    out = []
    for prompt in result.scenario.debrief:
        if prompt.when is None:
            out.append(Prompt(line(Data(prompt.prompt)), None))
        elif condition_held(result, prompt.when, prompt.at):
            c = prompt.when
            when = "at the end" if prompt.at == "end" else "during the run"
            if c.inject is not None:
                # fired is 0 or 1: say which of the two the condition asks for.
                on, off = (bool(c.holds(v)) for v in (1.0, 0.0))
                plain = "fired" if on else "had not fired"
                test = plain if on != off else f"{c.metric} {c.op} {c.value:g}"
                why = line("asked because inject ", Data(c.inject), f" {test} {when}")
            else:
                who = line(" ", Data(c.actor)) if c.actor else ()
                about = line(" about ", Data(c.about)) if c.about else ()
                why = line(f"asked because {c.metric}", who, about, f" {c.op} {c.value:g} {when}")
            out.append(Prompt(line(Data(prompt.prompt)), why))
    return out


def scenario_prompts(result: RunResult) -> list[tuple[str, str]]:
    """The scenario's own prompts that apply, with a note on why each was asked.

    Both are Markdown: the prompt escaped (:func:`~sim.outputs.inline.md`),
    the note in the tool's own words with the actor ids escaped.
    """
    return [(to_markdown(p.text), to_markdown(p.why or ())) for p in prompt_lines(result)]


def build_debrief(result: RunResult, played: Played | None = None) -> Debrief:
    """The debrief of ``result`` as data (see :class:`Debrief`).

    ``played``: in play mode, the moves people chose and their words
    (:class:`~sim.outputs.transcript_model.PlayedMove`); None for a plain run.
    """
    generated = question_lines(result, played)
    return Debrief(
        title=line(Data(result.scenario.metadata.title), " — debrief"),
        intro=line(
            f"Seed {result.seed}, {result.turns} turns. Questions 1–{len(generated)} come from "
            "what happened in this run; the rest are the scenario's own."
        ),
        generated=tuple(generated),
        prompts=tuple(prompt_lines(result)),
        facts=tuple(verdict_line(v) for v in fact_views(result)),
    )


def debrief_markdown(doc: Debrief) -> str:
    """Write the debrief as Markdown."""
    lines = [f"# {to_markdown(doc.title)}", "", to_markdown(doc.intro), "", "## From this run", ""]
    for k, q in enumerate(doc.generated, start=1):
        lines.append(f"{k}. {to_markdown(q)}")
    if not doc.generated:
        lines.append("(Too little happened in this run to ask about; play more turns.)")
    if doc.prompts:
        lines += ["", "## From the scenario", ""]
        for k, p in enumerate(doc.prompts, start=len(doc.generated) + 1):
            why = f" {to_markdown((Emphasis(line('(', p.why, ')')),))}" if p.why else ""
            lines.append(f"{k}. {to_markdown(p.text)}{why}")
    if doc.facts:
        lines += ["", "## The sources' stylised facts in this run", ""]
        lines.append(
            "What the scenario says its runs must show, each with the share of runs it asks "
            "for (`sim check` measures the shares over 200 runs) and whether this run kept to it."
        )
        lines.append("")
        lines += [f"- {to_markdown(f)}" for f in doc.facts]
    lines.append("")
    return "\n".join(lines)


def debrief(result: RunResult) -> str:
    """The debrief as Markdown."""
    return debrief_markdown(build_debrief(result))


def write_debrief(result: RunResult, path: Path) -> None:
    """Write :func:`debrief` to ``path`` (UTF-8)."""
    path.write_text(debrief(result), encoding="utf-8", newline="\n")
