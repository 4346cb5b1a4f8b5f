"""Policy kind ``adaptive``: perception-driven logit choice (the default)."""

from sim.scenario.policies import PolicyDeclaration

DECLARATION = PolicyDeclaration(
    name="adaptive", note="perception-driven logit choice, the default", order=1, default=True
)
