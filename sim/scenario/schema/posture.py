"""An actor's posture: its static dispositions, each in [0, 1]."""

from __future__ import annotations

import typing
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
)

from sim.scenario.schema.basics import (
    Basis,
    Unit,
    _number_to_value,
    _Strict,
)


class PostureValue(_Strict):
    """A posture value in [0, 1] with the basis for it."""

    value: Unit = Field(description="The value, 0 (none) to 1 (maximal).")
    basis: Basis | None = Field(
        default=None, description="Source and reasoning for the value (required in bundled files)."
    )


Posture01 = Annotated[
    PostureValue,
    BeforeValidator(
        _number_to_value,
        json_schema_input_type=Annotated[float, Field(ge=0.0, le=1.0)] | PostureValue,
    ),
]


def _posture(default: float, description: str) -> Any:
    return Field(default=PostureValue(value=default), description=description)


class Posture(_Strict):
    """Static dispositions of an actor; each in [0, 1] (0.5 is middling)."""

    threat_sensitivity: Posture01 = _posture(
        0.5,
        "How readily the actor reads others' moves as threats. Scales the hostile "
        "lens in perception and the reaction of its tension to perceived hostility.",
    )
    resolve: Posture01 = _posture(
        0.5,
        "Willingness to answer pressure with matching or stronger signals. Raises the "
        "hostility level the actor wants to signal at a given tension.",
    )
    restraint: Posture01 = _posture(
        0.5,
        "Preference for avoiding escalation. Lowers the wanted signal level, penalises "
        "jumps of more than one rung, and speeds the calming of tension.",
    )
    transparency: Posture01 = _posture(
        0.5,
        "How openly the actor states its intentions. Sets how far others initially "
        "believe its public framing (at the start only; credibility then follows the "
        "say-do gap).",
    )
    deterrent_anxiety: Posture01 = _posture(
        0.5,
        "Worry about the credibility of its own second-strike deterrent. Amplifies the "
        "reading of moves tagged 'second_strike' and feeds a standing grievance.",
    )
    hedging: Posture01 = _posture(
        0.5,
        "Tendency to keep options open between blocs: pulls the adaptive policy's "
        "choices toward moves of middling hostility (0.5).",
    )
    reassurance_propensity: Posture01 = _posture(
        0.5,
        "Inclination to send reassuring signals when tension allows; adds utility to "
        "moves tagged 'reassurance'.",
    )
    learning_rate: Posture01 = _posture(
        0.5,
        "How fast beliefs about others move toward what is perceived each turn "
        "(0 never updates, 1 replaces the belief with the latest reading).",
    )

    def values(self) -> list[float]:
        """Posture values in :data:`POSTURE_FIELDS` order."""
        return [float(getattr(self, name).value) for name in POSTURE_FIELDS]


POSTURE_FIELDS: tuple[str, ...] = tuple(Posture.model_fields)
"""Names of the posture dimensions, in the order the model stores them (the class's order)."""

POSTURE_INDEX: dict[str, int] = {name: k for k, name in enumerate(POSTURE_FIELDS)}
"""Column of each posture dimension in the model's ``(..., N, fields)`` posture arrays.

The model reads posture by name through this map only, so the order of the
fields in :class:`Posture` never changes a result."""

if typing.TYPE_CHECKING:
    PostureField = str
else:  # the names of Posture's fields, as the Literal the schema and its JSON Schema use
    PostureField = Literal[POSTURE_FIELDS]
"""A posture dimension."""
