"""Policy kind ``tit_for_tat``: mirror the worst reading of last turn, weighted by relationship."""

from sim.scenario.policies import PolicyDeclaration

DECLARATION = PolicyDeclaration(name="tit_for_tat", order=3)
