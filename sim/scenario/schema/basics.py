"""Building blocks of the scenario language: identifiers, value ranges, sources."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)


@dataclass(frozen=True)
class Refers:
    """Marks an identifier type whose value names an entry of a section (see :data:`SECTIONS`).

    :func:`sim.scenario.references.check_references` finds every field of the
    schema carrying one, so a new name-bearing field is checked (and its typos
    answered with a did-you-mean) by using one of these types, nothing else.
    """

    kind: str


ActorId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$"),
    Field(
        description="Identifier of an actor: lower case letters, digits and '_', "
        "starting with a letter (e.g. 'united_states')."
    ),
    Refers("actor"),
]
MoveId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,59}$"),
    Field(description="Identifier of a move in the repertoire (e.g. 'joint_drill')."),
    Refers("move"),
]
InjectId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$"),
    Refers("inject"),
]
"""Identifier of an inject (e.g. 'border_incident')."""
SourceKey = Annotated[str, Refers("source")]
"""A source's key, as a basis cites it (any text; it must be listed in metadata.sources)."""
Unit = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Signed = Annotated[float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]

SEED_MAX = 2**63 - 1
"""Largest root seed (seeds are whole numbers from 0 to this, as numpy's SeedSequence takes)."""

MAX_TURNS = 10_000
"""Most turns a scenario or a command may ask for."""


ChannelKind = Literal["hotline", "strategic_dialogue", "information_sharing", "pre_notification"]
"""A kind of dialogue channel."""

CHANNEL_KINDS: tuple[str, ...] = typing.get_args(ChannelKind)
"""Kinds of dialogue channel between two actors."""


class _Strict(BaseModel):
    """Base: unknown keys are errors, types are not silently converted."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# ---------------------------------------------------------------- sources


class SourceRef(_Strict):
    """A source that parameter bases may cite by key."""

    key: Annotated[
        str,
        StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{0,79}$"),
        Field(description="Short key cited by `basis.source` (e.g. 'drill-alignment-2025')."),
    ]
    title: Text = Field(description="Title of the article, book or paper.")
    file: str | None = Field(
        default=None, description="File name of the source text, if the project holds it."
    )
    note: str | None = Field(default=None, description="What the source is, in a sentence.")


class Basis(_Strict):
    """Why a parameter has its value: a source, the part of it, and our reasoning."""

    source: SourceKey = Field(description="Key of a source listed in `metadata.sources`.")
    part: Text = Field(
        description="Which part of the source (section or paragraph topic) the value rests on."
    )
    reasoning: Text = Field(
        description="Our own reasoning from the source to the number (never a quotation)."
    )


def _number_to_value(v: Any) -> Any:
    """Accept a bare number as shorthand for ``{value: number}``."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return {"value": v}
    return v
