"""The scenario language: pydantic models for one scenario file.

This package is the single source of truth for the scenario format. The JSON
Schema (``sim schema``) and the format reference are generated from it, and
every default value lives here (the default move library and escalation ladder
live in ``default_library.yaml`` beside it). The policy kinds and the
condition metrics a scenario may name are declared one module each in
:mod:`sim.scenario.policies` and :mod:`sim.scenario.metrics`.

All hostility-like quantities are on a 0-1 scale: 0 is fully conciliatory,
1 is the most hostile reading the ladder allows. Alignment is on -1..1:
-1 open rivalry, 0 no special relationship, 1 the closest partnership.

Nothing here describes weapons performance: moves are *signals* (what was
shown, said or announced), never capabilities.

Modules: :mod:`~sim.scenario.schema.basics` (identifiers, ranges, sources),
:mod:`~sim.scenario.schema.posture`, :mod:`~sim.scenario.schema.policy`,
:mod:`~sim.scenario.schema.world` (actors, relationships, moves, ladder),
:mod:`~sim.scenario.schema.conditions`, :mod:`~sim.scenario.schema.injects`,
:mod:`~sim.scenario.schema.expectations` (stylised facts) and
:mod:`~sim.scenario.schema.scenario` (regime, dynamics, debrief, the whole file).
Every public name is importable from ``sim.scenario.schema``.
"""

from __future__ import annotations

from sim.scenario.metrics import MetricRule
from sim.scenario.schema.basics import (
    CHANNEL_KINDS,
    MAX_TURNS,
    SEED_MAX,
    ActorId,
    Basis,
    ChannelKind,
    MoveId,
    Signed,
    SourceRef,
    Text,
    Unit,
)
from sim.scenario.schema.conditions import (
    CONDITION_METRICS,
    Comparison,
    Condition,
    ConditionMetricName,
    Trigger,
)
from sim.scenario.schema.expectations import FACT_MODELS, Expectation, fact_refs
from sim.scenario.schema.injects import (
    ActorDelta,
    Effect,
    Inject,
    MoveEffect,
    PairChange,
    PostureChange,
)
from sim.scenario.schema.policy import PolicyField, PolicyKind, PolicySpec
from sim.scenario.schema.posture import (
    POSTURE_FIELDS,
    POSTURE_INDEX,
    Posture,
    Posture01,
    PostureField,
    PostureValue,
)
from sim.scenario.schema.scenario import (
    DebriefPrompt,
    Dynamics,
    Metadata,
    Norms,
    Scenario,
    default_channel_weights,
)
from sim.scenario.schema.world import (
    Actor,
    Channel,
    ChannelField,
    Move,
    Relationship,
    Rung,
    SourcedText,
    UseLimit,
)

__all__ = [
    "CHANNEL_KINDS",
    "CONDITION_METRICS",
    "FACT_MODELS",
    "MAX_TURNS",
    "POSTURE_FIELDS",
    "POSTURE_INDEX",
    "SEED_MAX",
    "Actor",
    "ActorDelta",
    "ActorId",
    "Basis",
    "Channel",
    "ChannelField",
    "ChannelKind",
    "Comparison",
    "Condition",
    "ConditionMetricName",
    "DebriefPrompt",
    "Dynamics",
    "Effect",
    "Expectation",
    "Inject",
    "Metadata",
    "MetricRule",
    "Move",
    "MoveEffect",
    "MoveId",
    "Norms",
    "PairChange",
    "PolicyField",
    "PolicyKind",
    "PolicySpec",
    "Posture",
    "Posture01",
    "PostureChange",
    "PostureField",
    "PostureValue",
    "Relationship",
    "Rung",
    "Scenario",
    "Signed",
    "SourceRef",
    "SourcedText",
    "Text",
    "Trigger",
    "Unit",
    "UseLimit",
    "default_channel_weights",
    "fact_refs",
]
