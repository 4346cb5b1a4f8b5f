"""What can still be checked in a scenario the schema refused.

``sim validate`` reports every problem it can find in one pass. When pydantic
refuses a file, the cross-reference checks (unknown actors, moves, sources ...)
need a validated :class:`~sim.scenario.schema.Scenario`; :func:`partial_scenario`
makes one by taking out each value the schema refused, and the entry around it
when the value was required, until the rest validates. Nothing is guessed: no
value is invented, a name whose entry was taken out still counts as known
(the file does define it), so it draws no "unknown" message of its own, and
when a refused value decides which names exist (``use_default_moves``,
``libraries``, a whole ``actors`` or ``moves`` section ...) nothing more is
checked.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from sim.scenario.schema import Scenario

__all__ = ["DEFINING", "partial_scenario"]

DEFINING = {"actors": "actor", "moves": "move", "injects": "inject", "expectations": "fact"}
"""Top-level sections keyed by the names they define, and the kind of name."""

_SHAPING = frozenset({"metadata", "actors", "moves", "injects", "use_default_moves", "libraries"})
"""Top-level keys that decide which names exist: when one is refused, nothing more is checked."""
_ROUNDS = 30
_GONE = object()


def partial_scenario(
    data: dict[str, Any], error: ValidationError
) -> tuple[Scenario | None, dict[str, set[str]]]:
    """The scenario ``data`` describes, less what ``error`` (its validation) refused.

    Returns:
        The scenario, or None when the schema refused something that cannot be
        taken out (a required top-level section); and, per kind of name, the
        entries taken out whole (their names exist in the file).
    """
    data = copy.deepcopy(data)
    taken: dict[str, set[str]] = {kind: set() for kind in DEFINING.values()}
    for _ in range(_ROUNDS):
        for err in error.errors():
            loc = _in_data(data, err["loc"])
            if not loc or (len(loc) == 1 and (err["type"] == "missing" or loc[0] in _SHAPING)):
                return None, taken  # a required top-level section, or one that defines names
            if len(loc) == 2 and loc[0] in DEFINING:
                taken[DEFINING[str(loc[0])]].add(str(loc[1]))
            _mark_gone(data, loc)
        _sweep(data)
        try:
            return Scenario.model_validate(data), taken
        except ValidationError as again:
            error = again
    return None, taken


def _in_data(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The part of pydantic's ``loc`` that names keys in ``data``.

    Pydantic inserts the tags of unions and validator names between the keys;
    those are skipped. For a missing key the path ends at the entry that lacks it.
    """
    path: list[Any] = []
    current = data
    for part in loc:
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_list or (isinstance(current, dict) and part in current):
            current = current[part]
            path.append(part)
    return tuple(path)


def _mark_gone(data: Any, loc: tuple[Any, ...]) -> None:
    current = data
    for part in loc[:-1]:
        if not isinstance(current, (dict, list)):
            return  # inside an entry already taken out
        current = current[part]
    if isinstance(current, (dict, list)):
        current[loc[-1]] = _GONE


def _sweep(value: Any) -> None:
    """Remove every value marked gone (list items shift only after all are marked)."""
    if isinstance(value, dict):
        for key in [k for k, v in value.items() if v is _GONE]:
            del value[key]
        for v in value.values():
            _sweep(v)
    elif isinstance(value, list):
        value[:] = [v for v in value if v is not _GONE]
        for v in value:
            _sweep(v)
