"""Policy kind ``hawk``: climb a rung at a time, then draw among its most hostile moves."""

from sim.scenario.policies import PolicyDeclaration

DECLARATION = PolicyDeclaration(name="hawk", order=6)
