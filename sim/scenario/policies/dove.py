"""Policy kind ``dove``: always the most conciliatory move."""

from sim.scenario.policies import PolicyDeclaration

DECLARATION = PolicyDeclaration(name="dove", order=7)
