"""The registered names of every extension point, read from the registries themselves."""

from __future__ import annotations

# The packages and modules that are registries: comparisons there are the
# definition of a name, not a second list of names.
HOMES_PREFIXES = (
    "sim/scenario/policies/",
    "sim/model/policies/",
    "sim/scenario/metrics/",
    "sim/model/metrics/",
    "sim/outputs/figures/",
    "sim/scenario/facts/",
    "sim/model/facts/",
)
HOMES_FILES = {"sim/model/outcomes.py", "sim/model/posture.py", "sim/scenario/schema/posture.py"}


def is_home(rel: str) -> bool:
    return rel in HOMES_FILES or rel.startswith(HOMES_PREFIXES)


def registered_names() -> dict[str, str]:
    """Each registered name, mapped to what it names."""
    from sim.model.outcomes import OUTCOMES
    from sim.outputs.figures import CATALOGUE
    from sim.scenario.facts import kind_names as fact_kinds
    from sim.scenario.metrics import declared as metrics
    from sim.scenario.policies import kind_names
    from sim.scenario.schema import Posture

    names: dict[str, str] = {}
    for name in kind_names():
        names[name] = "policy"
    for name in metrics():
        names[name] = "condition metric"
    for name in Posture.model_fields:
        names[name] = "posture field"
    for spec in CATALOGUE:
        names[spec.name] = "figure"
    for outcome in OUTCOMES:
        names[outcome.name] = "outcome"
    for name in fact_kinds():
        names[name] = "fact kind"
    return names
