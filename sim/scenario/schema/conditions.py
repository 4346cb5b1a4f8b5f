"""Conditions on the model state, and the triggers of injects."""

from __future__ import annotations

import operator
import typing
from typing import Annotated, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import (
    Field,
    model_validator,
)

from sim.scenario.metrics import MetricRule, declared
from sim.scenario.schema.basics import (
    ActorId,
    InjectId,
    _Strict,
)

Comparison = Literal[">", ">=", "<", "<=", "==", "!="]

_COMPARE = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}


CONDITION_METRICS: dict[str, MetricRule] = dict(declared())
"""The condition metrics a scenario may name, and the actors each takes.

Declared in :mod:`sim.scenario.metrics` (one module per metric or group); each
needs a reader of the same name in :mod:`sim.model.metrics` (checked at import)."""

if typing.TYPE_CHECKING:
    ConditionMetricName = str
else:  # the names of CONDITION_METRICS, as the one Literal the schema and its JSON Schema use
    ConditionMetricName = Literal[tuple(CONDITION_METRICS)]

_METRIC_HELP = (
    "; ".join(
        f"{rule.name} ({rule.description})" if rule.description else rule.name
        for rule in CONDITION_METRICS.values()
    )
    + ". All are read at the start of the turn, before its injects apply."
)


class Condition(_Strict):
    """A structured test of the model state (never code)."""

    metric: ConditionMetricName = Field(description=_METRIC_HELP)
    actor: ActorId | None = Field(default=None, description="The actor the metric is about.")
    about: ActorId | None = Field(
        default=None, description="For belief and credibility: the actor being judged."
    )
    inject: InjectId | None = Field(
        default=None,
        description="For fired: the id of the inject (e.g. `{metric: fired, inject: "
        "border_incident, op: '==', value: 1}`).",
    )
    op: Comparison = Field(description="Comparison: >, >=, <, <=, == or !=.")
    value: Annotated[float, Field(allow_inf_nan=False)] = Field(
        description="Threshold (rungs are integers; fired is 0 or 1; the rest are 0-1 except "
        "polarisation -1..1)."
    )

    def holds(self, observed: float) -> bool:
        """Whether ``observed`` (the metric's value) satisfies ``op value``."""
        return bool(self.test(np.asarray(observed, dtype=np.float64)))

    def test(self, observed: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Elementwise :meth:`holds` over an array of metric values (e.g. one per replicate)."""
        result: NDArray[np.bool_] = _COMPARE[self.op](observed, self.value)
        return result

    @model_validator(mode="after")
    def _needs(self) -> Condition:
        rule = CONDITION_METRICS[self.metric]
        if rule.actor == "required" and self.actor is None:
            raise ValueError(f"metric '{self.metric}' needs an 'actor'")
        if rule.actor == "forbidden" and self.actor is not None:
            raise ValueError(f"metric '{self.metric}' is global: remove 'actor'")
        if rule.about == "required" and self.about is None:
            raise ValueError(f"metric '{self.metric}' needs 'about' (whom the belief is about)")
        if rule.about == "forbidden" and self.about is not None:
            with_about = " and ".join(
                n for n, r in CONDITION_METRICS.items() if r.about != "forbidden"
            )
            raise ValueError(f"'about' only applies to {with_about}, not '{self.metric}'")
        if rule.inject == "required" and self.inject is None:
            raise ValueError(f"metric '{self.metric}' needs an 'inject' (the id of an inject)")
        if rule.inject == "forbidden" and self.inject is not None:
            with_inject = " and ".join(
                n for n, r in CONDITION_METRICS.items() if r.inject != "forbidden"
            )
            raise ValueError(f"'inject' only applies to {with_inject}, not '{self.metric}'")
        return self


class Trigger(_Strict):
    """When an inject fires: at a turn, or when conditions hold."""

    turn: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="Fire at the start of this turn (turns start at 1)."
    )
    from_turn: Annotated[int, Field(ge=1)] = Field(
        default=1, description="Conditions are checked from this turn on."
    )
    until_turn: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="...and up to this turn (inclusive)."
    )
    all: list[Condition] = Field(
        default_factory=list, description="Fire when every one of these holds."
    )
    any: list[Condition] = Field(
        default_factory=list, description="Fire when at least one of these holds."
    )

    @model_validator(mode="after")
    def _one_way(self) -> Trigger:
        if self.turn is None and not self.all and not self.any:
            raise ValueError("give a 'turn', or conditions under 'all' or 'any'")
        if self.turn is not None and (self.all or self.any):
            raise ValueError("use either 'turn' or conditions ('all'/'any'), not both")
        return self
