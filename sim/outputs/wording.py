"""The transcript's and the debrief's words: numbers, readings, gaps and move phrases.

All wording that depends on a value lives in the module-level tables below
(``READING_WORDS``, ``HOSTILE_GAP_WORDS``, ``FRIENDLY_GAP_WORDS``,
``VERB_RULES``, ``NOUN_RULES`` ...) so it can be tuned in one place. Words are
chosen from the *rounded* values printed beside them, so a phrase never
contradicts its number. Numbers have two decimals; signed numbers carry an
explicit sign and use the real minus sign (U+2212).

The ``*_phrase`` functions take and return Markdown strings (labels already
escaped); :func:`verb_spans`, :func:`noun_spans` and :func:`possessive_spans`
give the same phrases as :mod:`sim.outputs.inline` spans, so the Markdown
files and ``report.html`` are written from one piece of data.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sim.outputs.grammar import form, plural_voice
from sim.outputs.inline import Data, Line, Span, Words, md, to_markdown

if TYPE_CHECKING:
    import pandas as pd

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
#: and its article). Verbs are third person singular; each opening verb has its
#: plural in :data:`sim.outputs.grammar.FORMS` (``holds`` -> ``hold``).
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

#: How a move is named as a noun after a possessive ("Nordport's ..."), same
#: rule format as ``VERB_RULES``.
NOUN_RULES: tuple[tuple[str, str, str], ...] = (
    ("prefix", "no ", "decision to send {label}"),
    ("suffix", " announced", "{stem} announcement"),
)

#: Labels that take no article ("with sharper rhetoric").
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
#: Said when a move is counter-acted with the same move.
IN_KIND = "in kind"
#: Said instead of repeating a framing already quoted in the same turn.
SAME_FRAMING = "framed the same way"


# ---------------------------------------------------------------- numbers


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


def _choose(rules: Sequence[tuple[str, str, str]], default: str, label: str) -> tuple[str, str]:
    """The template the first matching rule gives ``label``, and the suffix it matched."""
    for test, text, tmpl in rules:
        if (
            (test == "prefix" and label.startswith(text))
            or (test == "suffix" and label.endswith(text))
            or (test == "contains" and text in label)
        ):
            return tmpl, text if test == "suffix" else ""
    return default, ""


def _apply(rules: Sequence[tuple[str, str, str]], default: str, label: str) -> str:
    template, suffix = _choose(rules, default, label)
    stem = (label[: -len(suffix)].strip() or label) if suffix else label
    out = template.format(label=label, a=article(label), stem=stem, a_stem=article(stem))
    return " ".join(out.split())


_SPACES = re.compile(r"\s+")


def _apply_spans(rules: Sequence[tuple[str, str, str]], default: str, raw: str) -> Line:
    """:func:`_apply` of ``md(raw)`` as spans: the tool's words, and the label as data.

    Rules are matched on the escaped label, exactly as :func:`_apply` does, so
    the spans' Markdown is the same string.
    """
    label = md(raw)
    template, suffix = _choose(rules, default, label)
    shown = " ".join(raw.split())
    stem, stem_shown = label, shown
    if suffix:
        stem = label[: -len(suffix)].strip() or label
        stem_shown = (shown[: -len(suffix)].strip() or shown) if stem != label else shown
    data = {"label": (label, shown), "stem": (stem, stem_shown)}
    words = {"a": article(label), "a_stem": article(stem)}
    pieces: list[tuple[str, str | None]] = []  # (markdown, the text shown when it is data)
    for literal, name, _spec, _conv in string.Formatter().parse(template):
        pieces.append((literal, None))
        if name in data:
            pieces.append(data[name])
        elif name is not None:
            pieces.append((words[name], None))
    spans: list[Words | Data] = []
    written = ""
    for markdown, text in pieces:
        markdown = _SPACES.sub(" ", markdown)
        if markdown.startswith(" ") and (not written or written.endswith(" ")):
            markdown = markdown[1:]
        if markdown:
            written += markdown
            spans.append(Words(markdown) if text is None else Data(text, markdown))
    if spans and written.endswith(" "):
        last = spans.pop()
        trimmed = (last.as_markdown() if isinstance(last, Data) else last.text)[:-1]
        if trimmed:
            spans.append(Data(last.text, trimmed) if isinstance(last, Data) else Words(trimmed))
    expected = _apply(rules, default, label)
    return _checked(tuple(spans), expected, shown)


def _checked(spans: Line, expected: str, shown: str) -> Line:
    """``spans`` if they write ``expected``; else ``expected`` as one piece of data."""
    if to_markdown(spans) == expected:
        return spans
    return (Data(shown, expected),)


def verb_spans(raw_label: str, *, plural: bool = False) -> Line:
    """:func:`verb_phrase` of a move's label (unescaped) as spans."""
    spans = _apply_spans(VERB_RULES, DEFAULT_VERB, raw_label)
    if plural and spans and isinstance(spans[0], Words):
        verb, _, rest = spans[0].text.partition(" ")
        first = f"{form(verb, True)} {rest}"
        spans = (Words(first if len(spans) > 1 else first.strip()), *spans[1:])
    expected = verb_phrase(md(raw_label), plural=plural)
    return _checked(spans, expected, " ".join(raw_label.split()))


def noun_spans(raw_label: str) -> Line:
    """:func:`noun_phrase` of a move's label (unescaped) as spans."""
    return _apply_spans(NOUN_RULES, "{label}", raw_label)


def possessive_spans(voice: Data) -> Line:
    """:func:`possessive` of a voice as spans: the voice, then ``'`` or ``'s``."""
    return (voice, Words("'" if voice.as_markdown().endswith("s") else "'s"))


def verb_phrase(label: str, *, plural: bool = False) -> str:
    """Narrate a move label as a verb phrase: "holds a joint readiness exercise"."""
    phrase = _apply(VERB_RULES, DEFAULT_VERB, label)
    return _plural_verb(phrase) if plural else phrase


def noun_phrase(label: str) -> str:
    """Name a move label as a noun after a possessive: "deployment announcement"."""
    return _apply(NOUN_RULES, "{label}", label)


def _plural_verb(phrase: str) -> str:
    verb, _, rest = phrase.partition(" ")
    return f"{form(verb, True)} {rest}".strip()


def is_plural(voice: str) -> bool:
    """Tell plural voices such as "ASEAN capitals" (:func:`sim.outputs.grammar.plural_voice`)."""
    return plural_voice(voice)


def possessive(voice: str) -> str:
    """Add a possessive ending: "Nordport's", "Brussels'"."""
    return f"{voice}'" if voice.endswith("s") else f"{voice}'s"


def count(n: int, one: str, many: str) -> str:
    """``n`` things in words: "no turns", "1 turn", "3 turns"."""
    if n == 0:
        return f"no {many}"
    return f"1 {one}" if n == 1 else f"{n} {many}"


def cap(text: str) -> str:
    """``text`` with its first letter in upper case (for voices opening a sentence)."""
    return text[:1].upper() + text[1:]


def cap_data(voice: Data) -> Data:
    """A voice opening a sentence: :func:`cap` of its text and of its Markdown."""
    return Data(cap(" ".join(voice.text.split())), cap(voice.as_markdown()))


def agree(verb: str, voice: Data, plural: bool = False) -> str:
    """Third person verb agreeing with ``voice`` ("reads" / "read").

    ``plural``: the actor is plural whatever its voice (its ``plural`` flag).
    """
    return form(verb, plural or is_plural(voice.as_markdown()))


def records(df: pd.DataFrame) -> list[Row]:
    """The rows of ``df`` as plain dicts, in table order."""
    return [{str(k): v for k, v in rec.items()} for rec in df.to_dict("records")]


def join_and(items: Sequence[Line], comma: str = ", ", last: str = " and ") -> Line:
    """Lines joined as a list in prose: "a, b and c"."""
    out: list[Span] = []
    for k, item in enumerate(items):
        if k:
            out.append(Words(last if k == len(items) - 1 else comma))
        out.extend(item)
    return tuple(out)
