"""Policy kind ``hawk``: climb the ladder a rung at a time."""

from sim.scenario.policies import PolicyDeclaration

DECLARATION = PolicyDeclaration(name="hawk", order=6)
