"""Condition metrics of the whole system."""

from sim.scenario.metrics import MetricRule

ESCALATION_INDEX = MetricRule("escalation_index", "forbidden", "forbidden", "0-1")
POLARISATION = MetricRule("polarisation", "forbidden", "forbidden", "-1..1")
NORMS = MetricRule("norms", "forbidden", "forbidden", "regime strength, 0-1")
TURN = MetricRule("turn", "forbidden", "forbidden", "the turn about to be played")
