"""Policy kind ``richardson``: signal one's tension level directly."""

from sim.scenario.policies import PolicyDeclaration

DECLARATION = PolicyDeclaration(name="richardson", order=2)
