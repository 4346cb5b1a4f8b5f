"""Policy kind ``contrite_tit_for_tat``: tit-for-tat that does not answer its own misread moves."""

from sim.scenario.policies import PolicyDeclaration

DECLARATION = PolicyDeclaration(name="contrite_tit_for_tat", order=5)
