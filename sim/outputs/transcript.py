"""The transcript: a run told as the minutes of a crisis, in Markdown.

:func:`transcript` turns a :class:`~sim.model.results.RunResult` into a
dialogue that students can read from top to bottom:

1. a title, the seed, what a turn stands for, and one paragraph on how the
   run went;
2. ``## Turning points``: the largest perception gap, the first
   action-counteraction link, the miscalculations, the peak of tension and
   the first easing after it, each with a link to its turn;
3. ``## Turn by turn``: events, each actor's move in its own voice with the
   most telling readings of it, the moves that answered earlier moves, and a
   one-line tension status;
4. ``## Where it ended``: final tension per actor.

Scenario text (titles, names, voices, labels, framings, inject texts) is
data, never markup: it enters the Markdown through :func:`md`, which escapes
only the characters Markdown could read as syntax, so ordinary prose comes
out unchanged.

The text is deterministic: the same result always gives the same text (no
dates, no randomness, every ordering has an explicit tie-break). Numbers
have two decimals; signed numbers (gaps, changes) carry an explicit sign and
use the real minus sign (U+2212). Words are chosen from the *rounded* values
that are printed beside them, so a phrase never contradicts its number.

All wording that depends on a value lives in the module-level tables below
(``READING_WORDS``, ``HOSTILE_GAP_WORDS``, ``FRIENDLY_GAP_WORDS``,
``VERB_RULES``, ``NOUN_RULES`` ...) so it can be tuned in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.model.engine import start_rung
from sim.text import escape_markdown

if TYPE_CHECKING:
    import pandas as pd

    from sim.model.results import RunResult

#: One row of ``RunResult.events`` or ``RunResult.links`` as a plain dict.
Row = dict[str, Any]

# ---------------------------------------------------------------- wording

MINUS = "\u2212"
UP = "▲"
DOWN = "▼"
ARROW = "↳"

#: How a reading is described, from the perceived hostility (rounded to two
#: decimals): the first row whose lower bound the value reaches wins.
READING_WORDS: tuple[tuple[float, str], ...] = (
    (0.8, "a threat"),
    (0.6, "a coercive signal"),
    (0.4, "pressure"),
    (0.2, "a routine move"),
    (float("-inf"), "reassurance"),
)

#: Gap (perceived minus meant, rounded) at or above the bound: first row wins.
HOSTILE_GAP_WORDS: tuple[tuple[float, str], ...] = (
    (0.3, "far more hostile than meant"),
    (0.1, "more hostile than meant"),
)
#: Gap at or below the bound: first row wins.
FRIENDLY_GAP_WORDS: tuple[tuple[float, str], ...] = ((-0.1, "less hostile than meant"),)
#: Gap strictly between the friendly and hostile bounds.
AS_MEANT = "about as meant"

#: How a move is narrated as a verb phrase, from its label: ``(test, text,
#: template)`` rows checked in order; ``test`` is ``prefix``, ``suffix`` or
#: ``contains``. Templates may use ``{label}``, ``{a}`` (the article for the
#: label) and ``{stem}`` / ``{a_stem}`` (the label without a matched suffix,
#: and its article). Verbs are third person singular; plural voices drop the
#: final "s" (``holds`` -> ``hold``).
VERB_RULES: tuple[tuple[str, str, str], ...] = (
    ("prefix", "no ", "sends {label}"),
    ("suffix", " announced", "announces {a_stem} {stem}"),
    ("suffix", "rhetoric", "turns to {label}"),
    ("contains", "proposal", "makes {a} {label}"),
    ("contains", "notification", "issues {a} {label}"),
    ("contains", "statement", "issues {a} {label}"),
    ("contains", "protest", "lodges {a} {label}"),
    ("contains", "drill", "holds {a} {label}"),
    ("contains", "exercise", "holds {a} {label}"),
    ("contains", "consultation", "holds {a} {label}"),
)
#: Verb phrase for labels no rule matches.
DEFAULT_VERB = "makes {a} {label}"

#: How a move is named as a noun after a possessive ("Moscow's ..."), same
#: rule format as ``VERB_RULES``.
NOUN_RULES: tuple[tuple[str, str, str], ...] = (
    ("prefix", "no ", "decision to send {label}"),
    ("suffix", " announced", "{stem} announcement"),
)

#: Labels that take no article ("with nuclear-testing rhetoric").
MASS_NOUN_SUFFIXES: tuple[str, ...] = ("rhetoric", "talk", "pressure")
VOWELS = "aeiou"

#: Endings of a move's source column and how the transcript marks them.
SOURCE_NOTES: dict[str, str] = {
    "inject": "scripted by the scenario",
    "human": "played by a person",
}

#: A fall in mean tension of at least this much below the peak counts as
#: de-escalation.
EASING = 0.05
#: At most this many miscalculations are listed among the turning points.
MAX_MISCALCULATION_POINTS = 5

SIGN_ZERO = "±"
#: Said when a move is answered with the same move.
IN_KIND = "in kind"
#: Said instead of repeating a framing already quoted in the same turn.
SAME_FRAMING = "framed the same way"


# ---------------------------------------------------------------- numbers


def md(text: str) -> str:
    """Scenario text as Markdown that renders as that text, on one line.

    See :func:`sim.text.escape_markdown`; the text must not be followed directly
    by ``(``, ``[`` or a letter, which no template here does.
    """
    return escape_markdown(text, inline=True)


def num(x: float) -> str:
    """``x`` with two decimals (never "-0.00")."""
    value = round(float(x), 2)
    if value == 0:
        value = 0.0
    return f"{value:.2f}".replace("-", MINUS)


def signed(x: float) -> str:
    """``x`` with two decimals and an explicit sign: +0.17, −0.05, ±0.00."""
    value = round(float(x), 2)
    if value == 0:
        return f"{SIGN_ZERO}0.00"
    return f"+{value:.2f}" if value > 0 else f"{MINUS}{-value:.2f}"


# ---------------------------------------------------------------- phrases


def interpretation(perceived: float) -> str:
    """Name what a reading of ``perceived`` hostility amounts to ("pressure" ...)."""
    value = round(float(perceived), 2)
    for bound, words in READING_WORDS:
        if value >= bound:
            return words
    return READING_WORDS[-1][1]


def gap_phrase(gap: float) -> str:
    """How a gap (perceived minus meant) compares with what was meant."""
    value = round(float(gap), 2)
    for bound, words in HOSTILE_GAP_WORDS:
        if value >= bound:
            return words
    for bound, words in FRIENDLY_GAP_WORDS:
        if value <= bound:
            return words
    return AS_MEANT


def reading_phrase(perceived: float, gap: float) -> str:
    """Interpretation and gap in one phrase: "pressure — more hostile than meant"."""
    return f"{interpretation(perceived)} — {gap_phrase(gap)}"


def article(label: str) -> str:
    """Choose 'a' or 'an' for ``label`` ('' for mass nouns such as "rhetoric")."""
    if label.endswith(MASS_NOUN_SUFFIXES) or label.startswith("no "):
        return ""
    return "an" if label[:1].lower() in VOWELS else "a"


def _apply(rules: Sequence[tuple[str, str, str]], default: str, label: str) -> str:
    template, stem = default, label
    for test, text, tmpl in rules:
        if (
            (test == "prefix" and label.startswith(text))
            or (test == "suffix" and label.endswith(text))
            or (test == "contains" and text in label)
        ):
            template = tmpl
            if test == "suffix":
                stem = label[: -len(text)].strip() or label
            break
    out = template.format(label=label, a=article(label), stem=stem, a_stem=article(stem))
    return " ".join(out.split())


def verb_phrase(label: str, *, plural: bool = False) -> str:
    """Narrate a move label as a verb phrase: "holds a joint missile-defence drill"."""
    phrase = _apply(VERB_RULES, DEFAULT_VERB, label)
    return _plural_verb(phrase) if plural else phrase


def noun_phrase(label: str) -> str:
    """Name a move label as a noun after a possessive: "deployment announcement"."""
    return _apply(NOUN_RULES, "{label}", label)


def _plural_verb(phrase: str) -> str:
    verb, _, rest = phrase.partition(" ")
    if verb.endswith("s"):
        verb = verb[:-1]
    return f"{verb} {rest}".strip()


def is_plural(voice: str) -> bool:
    """Tell plural voices such as "ASEAN capitals" (last word lower case, ending in s)."""
    last = voice.split()[-1] if voice.split() else voice
    return last.islower() and last.endswith("s")


def possessive(voice: str) -> str:
    """Add a possessive ending: "Moscow's", "Brussels'"."""
    return f"{voice}'" if voice.endswith("s") else f"{voice}'s"


def _verb(verb: str, voice: str) -> str:
    """Third person verb agreeing with ``voice`` ("reads" / "read")."""
    return _plural_verb(verb) if is_plural(voice) else verb


def _count(n: int, one: str, many: str) -> str:
    if n == 0:
        return f"no {many}"
    return f"1 {one}" if n == 1 else f"{n} {many}"


def _cap(text: str) -> str:
    """``text`` with its first letter in upper case (for voices opening a sentence)."""
    return text[:1].upper() + text[1:]


def _anchor(turn: int) -> str:
    return f"[turn {turn}](#turn-{turn})"


def _records(df: pd.DataFrame) -> list[Row]:
    """The rows of ``df`` as plain dicts, in table order."""
    return [{str(k): v for k, v in rec.items()} for rec in df.to_dict("records")]


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------- the writer


class _Writer:
    """Builds the transcript of one result."""

    def __init__(self, result: RunResult, max_readings: int) -> None:
        self.r = result
        self.max_readings = max(0, int(max_readings))
        s = result.scenario
        self.s = s
        self.ids = list(result.compiled.ids)
        self.index = {a: k for k, a in enumerate(self.ids)}
        # Scenario text, escaped once as it enters the Markdown.
        self.voice = {a: md(s.actors[a].voice or s.actors[a].name) for a in self.ids}
        self.name = {a: md(s.actors[a].name) for a in self.ids}
        self.a = result.arrays
        self.mean = self.a.tension.mean(axis=1)  # (T + 1,)
        self.events = _records(result.events)
        self.events_by_turn: dict[int, list[Row]] = {}
        for row in self.events:
            self.events_by_turn.setdefault(int(row["turn"]), []).append(row)
        self.links = sorted(
            _records(result.links), key=lambda r: (int(r["turn"]), self.index[r["responder"]])
        )
        self.first_rung = start_rung(result.compiled.top_rung)

    # --------------------------------------------------------- names

    def move_label(self, move_id: str) -> str:
        """The move's label, escaped as Markdown."""
        return md(self.s.moves[move_id].label)

    def rung_label(self, rung: int) -> str:
        """The rung's label, escaped as Markdown ('' when the ladder has no such rung)."""
        ladder = self.s.ladder
        if ladder and 0 <= rung < len(ladder):
            return md(ladder[rung].label)
        return ""

    def rung_text(self, rung: int) -> str:
        label = self.rung_label(rung)
        return f"rung {rung}, {label}" if label else f"rung {rung}"

    # --------------------------------------------------------- document

    def build(self) -> str:
        parts = [self.header(), self.turning_points(), self.turn_by_turn(), self.ending()]
        text = "\n\n".join(p.strip("\n") for p in parts if p.strip())
        return text + "\n"

    def header(self) -> str:
        meta = self.s.metadata
        r = self.r
        lines = [f"# {md(meta.title)} — transcript", ""]
        turns = _count(r.turns, "turn", "turns")
        lines.append(f"Seed {r.seed}; {turns}; each turn stands for {md(meta.turn_meaning)}.")
        cast = [
            f"{self.voice[a]} ({self.name[a]})" for a in self.ids if self.voice[a] != self.name[a]
        ]
        if cast:
            lines.append("")
            lines.append(f"Voices: {_join(cast)}.")
        lines.append("")
        lines.append(
            "*Hostility runs from 0 (friendly) to 1 (most hostile). A reading's gap is "
            "how hostile the observer perceived a move minus how hostile its sender meant "
            "it; a miscalculation is a counter-move to a move read at least "
            f"{num(self.s.dynamics.miscalculation_threshold)} more hostile than meant.*"
        )
        lines.append("")
        lines.append(self.summary_paragraph())
        return "\n".join(lines)

    def summary_paragraph(self) -> str:
        r = self.r
        if r.turns == 0:
            return "No turns were played."
        sm = r.summary()
        peak_actor = self.voice[str(sm["peak_tension_actor"])]
        peak_turn = int(sm["peak_tension_turn"])
        when = "at the start" if peak_turn == 0 else f"in turn {peak_turn}"
        sentences = [
            f"Over {_count(r.turns, 'turn', 'turns')}, the highest tension any actor reached "
            f"was {num(float(sm['peak_tension']))} ({peak_actor}, {when})."
        ]
        start, end = self.mean[0], self.mean[-1]
        if num(end) == num(start):
            trend = f"ended where it started, at {num(end)}"
        elif end > start:
            trend = f"ended higher than it started ({num(end)}, up from {num(start)})"
        else:
            trend = f"ended lower than it started ({num(end)}, down from {num(start)})"
        sentences.append(f"Averaged over all {len(self.ids)} actors, tension {trend}.")
        sentences.append(
            f"On average a reading missed its sender's meaning by {num(float(sm['mean_abs_gap']))}."
        )
        n_links = int(sm["chain_links"])
        n_mis = int(sm["miscalculations"])
        if n_links:
            answers = _count(n_links, "time", "times")
            mis = _count(n_mis, "was a miscalculation", "were miscalculations")
            if n_mis == 1:
                mis = "1 of those answers was a miscalculation"
            elif n_mis > 1:
                mis = f"{n_mis} of those answers were miscalculations"
            else:
                mis = "none of those answers was a miscalculation"
            sentences.append(
                f"Actors answered one another's moves by climbing the ladder {answers}; {mis}."
            )
            longest = int(sm["longest_chain"])
            deepest = max(self.links, key=lambda r: int(r["chain_depth"]))
            end_turn = int(deepest["turn"])
            sentences.append(
                f"The longest action–counteraction chain ran to "
                f"{_count(longest, 'link', 'links')}, ending in turn {end_turn}."
            )
        else:
            sentences.append("No move was answered by a climb up the ladder.")
        return " ".join(sentences)

    # --------------------------------------------------------- turning points

    def turning_points(self) -> str:
        if self.r.turns == 0:
            return ""
        bullets: list[str] = []
        bullets.extend(self.tp_gap())
        bullets.extend(self.tp_first_link())
        bullets.extend(self.tp_miscalculations())
        bullets.extend(self.tp_peak_and_easing())
        if not bullets:
            bullets = ["- Nothing stood out in this run."]
        return "## Turning points\n\n" + "\n".join(bullets)

    def tp_gap(self) -> list[str]:
        seen = [row for row in self.events if bool(row["observed"])]
        if not seen:
            return []
        # max() keeps the first of equal values: the earliest in (turn, sender, observer) order
        row = max(seen, key=lambda r: abs(float(r["gap"])))
        obs, snd = self.voice[row["observer"]], self.voice[row["sender"]]
        return [
            f"- **Largest perception gap** ({_anchor(int(row['turn']))}): {_cap(obs)} "
            f"read {possessive(snd)} {noun_phrase(self.move_label(row['move']))} as "
            f"{reading_phrase(row['perceived'], row['gap'])} (perceived {num(row['perceived'])} "
            f"vs meant {num(row['intended'])}, gap {signed(row['gap'])})."
        ]

    def tp_first_link(self) -> list[str]:
        if not self.links:
            return []
        row = self.links[0]
        turn = int(row["turn"])
        others = sum(1 for r in self.links if int(r["turn"]) == turn) - 1
        resp, cause = self.voice[row["responder"]], self.voice[row["cause_sender"]]
        text = (
            f"- **First action and counter-action** ({_anchor(turn)}): "
            f"{possessive(cause)} {noun_phrase(self.move_label(row['cause_move']))} "
            f"(turn {int(row['cause_turn'])}) → {possessive(resp)} "
            f"{noun_phrase(self.move_label(row['response_move']))}"
        )
        if others:
            text += f" ({_count(others, 'other answer', 'other answers')} that turn)"
        return [text + "."]

    def tp_miscalculations(self) -> list[str]:
        mis = [row for row in self.links if bool(row["miscalculation"])]
        out = []
        for row in mis[:MAX_MISCALCULATION_POINTS]:
            resp, cause = self.voice[row["responder"]], self.voice[row["cause_sender"]]
            out.append(
                f"- **Miscalculation** ({_anchor(int(row['turn']))}): {_cap(resp)} answered "
                f"{possessive(cause)} {noun_phrase(self.move_label(row['cause_move']))} "
                f"after reading it at {num(row['perceived'])}, though it was meant at "
                f"{num(row['intended'])} (gap {signed(row['gap'])})."
            )
        extra = len(mis) - MAX_MISCALCULATION_POINTS
        if extra > 0:
            out.append(f"- …and {_count(extra, 'more miscalculation', 'more miscalculations')}.")
        return out

    def _highest(self, row: int) -> str:
        tension = self.a.tension[row]
        k = int(np.argmax(tension))
        return f"{self.voice[self.ids[k]]} {num(tension[k])}"

    def tp_peak_and_easing(self) -> list[str]:
        mean = self.mean
        peak = int(np.argmax(mean))
        out = []
        if peak == 0:
            during = 1 + int(np.argmax(mean[1:]))
            out.append(
                f"- **Tension peak** (the start): mean tension was highest before any move, "
                f"at {num(mean[0])} (highest {self._highest(0)}); the closest it came again "
                f"was {num(mean[during])} in {_anchor(during)}."
            )
        else:
            out.append(
                f"- **Tension peak** ({_anchor(peak)}): mean tension reached {num(mean[peak])} "
                f"(highest {self._highest(peak)})."
            )
        after = mean[peak + 1 :]
        if after.size == 0:
            return out
        below = np.nonzero(np.round(mean[peak] - after, 2) >= EASING)[0]
        if below.size:
            t = peak + 1 + int(below[0])
            out.append(
                f"- **De-escalation** ({_anchor(t)}): mean tension fell to {num(mean[t])}, "
                f"{num(mean[peak] - mean[t])} below the peak."
            )
            return out
        drops = mean[peak:-1] - mean[peak + 1 :]
        k = int(np.argmax(drops))
        if round(float(drops[k]), 2) > 0:
            t = peak + 1 + k
            out.append(
                f"- **Largest easing** ({_anchor(t)}): mean tension fell by {num(drops[k])} "
                f"to {num(mean[t])}, its biggest one-turn fall after the peak."
            )
        return out

    # --------------------------------------------------------- turn by turn

    def turn_by_turn(self) -> str:
        if self.r.turns == 0:
            return ""
        blocks = ["## Turn by turn"]
        for t in range(1, self.r.turns + 1):
            blocks.append(self.turn_block(t, self.events_by_turn.get(t, [])))
        return "\n\n".join(blocks)

    def turn_block(self, t: int, events: list[Row]) -> str:
        out = [f"### Turn {t}"]
        for key in self.r.records[t - 1].injects:
            inj = self.s.injects[key]
            desc = md(inj.description)
            out.append(f"**Event:** {md(inj.label)}" + (f" — {desc}" if desc else ""))

        rungs = self.a.rung[t - 1]
        before = self.a.rung[t - 2] if t > 1 else np.full(len(self.ids), self.first_rung)
        moves: dict[str, Row] = {}
        for row in events:
            moves.setdefault(row["sender"], row)
        narrated = [
            i for i in range(len(self.ids)) if rungs[i] > self.first_rung or rungs[i] != before[i]
        ]
        narrated.sort(key=lambda i: (-int(rungs[i]), i))
        lines = []
        framed: set[str] = set()
        for i in narrated:
            aid = self.ids[i]
            row = moves[aid]
            lines.append(self.move_line(aid, row, repeat=row["move"] in framed))
            framed.add(row["move"])
            lines.extend(self.reading_lines([r for r in events if r["sender"] == aid]))
        if lines:
            out.append("\n".join(lines))

        out.extend(self.link_line(row) for row in self.links if int(row["turn"]) == t)

        quiet = [self.voice[a] for k, a in enumerate(self.ids) if k not in set(narrated)]
        if quiet and narrated:
            out.append(f"Quiet: {', '.join(quiet)}.")
        elif quiet:
            out.append("Quiet: everyone.")
        out.append(self.status_line(t))
        return "\n\n".join(out)

    def move_line(self, aid: str, row: Row, *, repeat: bool = False) -> str:
        """One narrated move; ``repeat``: the same move was already narrated this turn."""
        voice = self.voice[aid]
        move = self.s.moves[row["move"]]
        text = (
            f"- **{_cap(voice)}** {verb_phrase(md(move.label), plural=is_plural(voice))} "
            f"({self.rung_text(int(row['rung']))})"
        )
        framing = md(move.framing)
        if framing and repeat:
            text += f", {SAME_FRAMING}"
        elif framing:
            text += f', framed as "{framing}"'
        if move.shows and not repeat:
            text += f" (shown: {', '.join(md(item) for item in move.shows)})"
        kind = str(row["source"]).split(":", 1)[0]
        if kind in SOURCE_NOTES:
            text += f" — {SOURCE_NOTES[kind]}"
        if not text.endswith((".", "!", "?", '."', '!"', '?"')):
            text += "."
        return text

    def reading_lines(self, rows: list[Row]) -> list[str]:
        """The readings of one move: largest absolute gap first, then observer order."""
        seen = [row for row in rows if bool(row["observed"])]
        seen.sort(key=lambda r: (-abs(float(r["gap"])), self.index[r["observer"]]))
        out = []
        for row in seen[: self.max_readings]:
            obs = self.voice[row["observer"]]
            out.append(
                f"  - {_cap(obs)} {_verb('reads', obs)} it as "
                f"{reading_phrase(row['perceived'], row['gap'])} "
                f"(perceived {num(row['perceived'])} vs meant {num(row['intended'])}, "
                f"gap {signed(row['gap'])})."
            )
        return out

    def link_line(self, row: Row) -> str:
        """One action-counteraction link, answered in turn ``row['turn']``."""
        resp, cause = self.voice[row["responder"]], self.voice[row["cause_sender"]]
        label = self.move_label(row["response_move"])
        i = self.index[row["responder"]]
        t = int(row["turn"])
        notes: list[str] = []
        if row["response_move"] == row["cause_move"]:
            answer = IN_KIND
        elif label.startswith("no "):
            # a climb to a "no ..." move (e.g. back to routine from accommodation)
            prev = int(self.a.rung[t - 2, i]) if t > 1 else self.first_rung
            now = int(self.a.rung[t - 1, i])
            answer = (
                f"by stepping up from {self.rung_label(prev) or f'rung {prev}'} to "
                f"{self.rung_label(now) or f'rung {now}'}"
            )
            notes.append(label)
        else:
            noun = noun_phrase(label)
            a = article(noun)
            answer = f"with {a} {noun}" if a else f"with {noun}"
        depth = int(row["chain_depth"])
        if depth > 1:
            notes.append(f"chain of {depth}")
        extra = f" ({'; '.join(notes)})" if notes else ""
        text = (
            f"{_cap(resp)} {_verb('answers', resp)} {possessive(cause)} "
            f"{noun_phrase(self.move_label(row['cause_move']))} from turn {int(row['cause_turn'])} "
            f"{answer}{extra}"
        )
        if bool(row["miscalculation"]):
            text = (
                f"**Miscalculation:** {text}, reading it at {num(row['perceived'])} though it "
                f"was meant at {num(row['intended'])} (gap {signed(row['gap'])})"
            )
        return f"{ARROW} {text}."

    def status_line(self, t: int) -> str:
        delta = self.mean[t] - self.mean[t - 1]
        d = round(float(delta), 2)
        change = f"{UP}{num(d)}" if d > 0 else f"{DOWN}{num(-d)}" if d < 0 else "steady"
        return f"Tension: highest {self._highest(t)}, mean {num(self.mean[t])} ({change})."

    # --------------------------------------------------------- ending

    def ending(self) -> str:
        tension = self.a.tension
        final, start = tension[-1], tension[0]
        order = sorted(range(len(self.ids)), key=lambda i: (-float(final[i]), i))
        rows = [
            "## Where it ended",
            "",
            "| Actor | Tension | Change since start | Last move |",
            "|---|---:|---:|---|",
        ]
        for i in order:
            aid = self.ids[i]
            if self.r.turns:
                move_id = self.r.compiled.move_ids[int(self.a.move[-1, i])]
                rung = int(self.a.rung[-1, i])
                last = f"{self.move_label(move_id)} (rung {rung})"
            else:
                last = "—"
            rows.append(
                f"| {self.name[aid]} | {num(final[i])} | {signed(final[i] - start[i])} | {last} |"
            )
        return "\n".join(rows)


def transcript(result: RunResult, *, max_readings: int = 3) -> str:
    """Tell the run as the Markdown minutes of a crisis, as a dialogue.

    Args:
        result: A finished (or partly played) run.
        max_readings: At most this many readings are listed under each move
            (largest absolute gap first; only observers who saw the move).

    Returns:
        Markdown text ending in a newline; the same result always gives the
        same text.

    """
    return _Writer(result, max_readings).build()


def write_transcript(result: RunResult, path: Path, *, max_readings: int = 3) -> None:
    """Write :func:`transcript` of ``result`` to ``path`` (UTF-8, Unix line ends)."""
    text = transcript(result, max_readings=max_readings)
    Path(path).write_text(text, encoding="utf-8", newline="\n")
