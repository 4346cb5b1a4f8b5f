"""The condition metrics a scenario may name: declared in the modules of this package.

Each module declares one or more :class:`MetricRule` (a name, which actors the
metric takes, a few words for the format reference). The schema's
``Condition.metric`` takes exactly these names; the model reads each with the
reader of the same name in ``sim/model/metrics/`` (one evaluator for injects,
debrief prompts and anything later). A name declared here without a reader
there, or the other way round, fails at import; there is no fallback.

Add a metric by adding ``sim/scenario/metrics/<name>.py``::

    from sim.scenario.metrics import MetricRule

    ALARM = MetricRule("alarm", actor="required", about="forbidden", description="...")

and its reader in ``sim/model/metrics/<name>.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sim.scenario.discovery import RegistryError, instances

RULES = ("required", "optional", "forbidden")


@dataclass(frozen=True, slots=True)
class MetricRule:
    """A condition metric: its name and which actors it takes.

    Attributes:
        name: The name scenario files use (``metric: tension``).
        actor: Whether a condition names an ``actor``: 'required', 'optional' or 'forbidden'.
        about: Whether it names ``about`` (whom a belief is about), likewise.
        description: What the metric is, in a few words (format reference).
        inject: Whether it names an ``inject`` (by id), likewise; most do not.
    """

    name: str
    actor: str
    about: str
    description: str = ""
    inject: str = "forbidden"

    def __post_init__(self) -> None:
        for key in ("actor", "about", "inject"):
            if getattr(self, key) not in RULES:
                raise RegistryError(
                    f"metric '{self.name}': {key} must be one of {', '.join(RULES)}"
                )


@cache
def declared() -> dict[str, MetricRule]:
    """Every declared metric by name (module order, then file order).

    Raises:
        RegistryError: a name declared twice.
    """
    rules: dict[str, MetricRule] = {}
    for module, rule in instances(__name__, MetricRule):
        if rule.name in rules:
            raise RegistryError(
                f"condition metric '{rule.name}' is declared twice ({module.__name__})"
            )
        rules[rule.name] = rule
    return rules
