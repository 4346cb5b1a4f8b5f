"""Policy kind ``generous_tit_for_tat``: tit-for-tat that sometimes forgives."""

from pydantic import Field

from sim.scenario.policies import PolicyDeclaration
from sim.scenario.schema.basics import Unit

DECLARATION = PolicyDeclaration(
    name="generous_tit_for_tat",
    order=4,
    fields={
        "generosity": (
            Unit | None,
            Field(
                default=None,
                description="generous_tit_for_tat: probability of answering hostility with a "
                "conciliatory move instead (default: dynamics.generosity).",
            ),
        )
    },
)
