"""Helpers for play mode's messages: where a field is in a file, a value in brief, a name typed.

* :class:`Where`: ``file:line:column`` of a field of a save file or a
  ``--moves`` file, found only when a message needs it;
* :func:`brief`: a value as JSON on one line, at most 40 characters;
* :func:`match_name`: the key that a typed name means (exact, else a unique
  prefix, else a "did you mean" hint).
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any

from sim.files import shown
from sim.play.shapes import PlayError
from sim.scenario import yamlsafe

SAVE_ADVICE = "restore the save file, or start a new game"
"""What to do about a damaged or hand-edited save file."""

_MARKS_LIMIT = 512_000
"""Largest file re-read for a problem's line and column (pure-Python YAML is slow)."""

Loc = tuple[str | int, ...]
"""A field's path in a file: keys and list indexes."""


def brief(value: Any) -> str:
    """A value as JSON on one line, at most 40 characters."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Where:
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
        listed = ", ".join(prefix[:6]) + (" ..." if len(prefix) > 6 else "")
        raise PlayError(f"'{text.strip()}' could be any of {listed}: type more of the name")
    every = [n for names in options.values() for n in names]
    close = difflib.get_close_matches(text.strip(), every, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    raise PlayError(f"no {what} called '{text.strip()}'{hint}")
