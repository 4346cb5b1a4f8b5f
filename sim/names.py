"""Suggestions for a name that does not exist: the one place a "did you mean" is chosen.

Every message about an unknown actor, move, inject, source, policy, metric,
field, library, bundled scenario or ``--set`` path names its suggestions with
:func:`did_you_mean` or :func:`unknown`, so a student's typo is answered the
same way wherever it is made.

A candidate is scored by how alike the two spellings are
(:class:`difflib.SequenceMatcher`), raised when it shares the typed name's first
word (``snap_exercise`` -> ``snap_readiness_check``): people remember how a name
starts. Up to two candidates are offered, the closer first.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["KNOWN_LIST_MAX", "did_you_mean", "suggestions", "unknown"]

KNOWN_LIST_MAX = 10
"""At most this many names are listed in full after an unknown one."""

_NOTHING_CLOSE_LIST_MAX = 40  # with no suggestion at all, the full list helps most
_CUTOFF = 0.6
_FIRST_WORD_BONUS = 0.2
_CLOSE_SECOND = 0.1  # a second suggestion only when nearly as close as the first


def _first_word(name: str) -> str:
    return name.lower().replace("-", "_").split("_", 1)[0]


def suggestions(word: object, options: Iterable[object], n: int = 2) -> list[str]:
    """The names among ``options`` that ``word`` most likely meant, the closest first.

    A name scores its :class:`difflib.SequenceMatcher` ratio with ``word`` (case
    ignored), plus 0.2 when both start with the same word (the part before the
    first ``_``); names scoring at least 0.6, and within 0.1 of the best, are kept,
    at most ``n`` of them.
    """
    typed = str(word)
    folded = typed.lower()
    first = _first_word(typed)
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(folded)
    scored: list[tuple[float, int, str]] = []
    for k, option in enumerate(dict.fromkeys(str(o) for o in options)):
        if option == typed:
            continue
        matcher.set_seq1(option.lower())
        score = matcher.ratio()
        if first and len(first) >= 3 and _first_word(option) == first:
            score += _FIRST_WORD_BONUS
        if score >= _CUTOFF:
            scored.append((-score, k, option))
    scored.sort()
    best = -scored[0][0] if scored else 0.0
    return [option for score, _, option in scored[:n] if -score >= best - _CLOSE_SECOND]


def did_you_mean(word: object, options: Iterable[object], n: int = 2) -> str:
    """``"; did you mean 'x'?"`` (or ``'x' or 'y'``) for ``word``, or ``""`` when none is close."""
    close = suggestions(word, options, n)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def unknown(kind: str, name: object, options: Iterable[object], advice: str = "") -> str:
    """``unknown <kind> '<name>'`` with its suggestions, and the known names when few.

    The known names are listed in full when there are at most
    :data:`KNOWN_LIST_MAX`; otherwise those sharing a word with ``name``
    (``snap_exercise``: every move with ``snap`` or ``exercise`` in its id), and
    how many there are in all (just that when one name is clearly meant); with
    nothing close and nothing related, in full again (up to 40), since then the
    list is the only help. ``advice`` (``"a new source goes under ..."``)
    ends the parenthesis.
    """
    known = list(dict.fromkeys(str(o) for o in options))
    message = f"unknown {kind} '{name}'{did_you_mean(name, known)}"
    tail = f"; {advice})" if advice else ")"
    if not known:
        return f"{message} (there are none yet{tail}"
    if len(known) <= KNOWN_LIST_MAX:
        return f"{message} (known: {', '.join(known)}{tail}"
    close = suggestions(name, known)
    if len(close) == 1:  # one clear suggestion: more names would only distract
        return f"{message} ({len(known)} known {kind}s{tail}"
    words = [w for w in _words(str(name)) if len(w) >= 3]
    related = [o for o in known if set(_words(o)) & set(words)][:KNOWN_LIST_MAX]
    if related:
        quoted = " or ".join(f"'{w}'" for w in words)
        return (
            f"{message} (known {kind}s with {quoted}: {', '.join(related)}; "
            f"{len(known)} {kind}s in all{tail}"
        )
    if not close and len(known) <= _NOTHING_CLOSE_LIST_MAX:
        return f"{message} (known: {', '.join(known)}{tail}"
    return f"{message} ({len(known)} known {kind}s{tail}"


def _words(name: str) -> list[str]:
    return [w for w in name.lower().replace("-", "_").split("_") if w]
