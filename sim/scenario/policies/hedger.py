"""Policy kind ``hedger``: answer half the worst threat believed, below the ladder's middle."""

from sim.scenario.policies import PolicyDeclaration

DECLARATION = PolicyDeclaration(name="hedger", order=8)
