"""Condition metrics about the scenario's injects."""

from sim.scenario.metrics import MetricRule

FIRED = MetricRule(
    "fired",
    "forbidden",
    "forbidden",
    "1 once `inject` has fired at the start of an earlier turn, else 0",
    inject="required",
)
