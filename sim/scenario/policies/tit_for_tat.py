"""Policy kind ``tit_for_tat``: mirror the most hostile reading of last turn."""

from sim.scenario.policies import PolicyDeclaration

DECLARATION = PolicyDeclaration(name="tit_for_tat", order=3)
