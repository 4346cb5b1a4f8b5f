"""Condition metrics about one actor, or one actor's view of another."""

from sim.scenario.metrics import MetricRule

TENSION = MetricRule("tension", "required", "forbidden", "of `actor`, 0-1")
RUNG = MetricRule("rung", "required", "forbidden", "of `actor`'s last move")
BELIEF = MetricRule("belief", "required", "required", "of `actor` about `about`, 0-1")
CREDIBILITY = MetricRule(
    "credibility", "required", "required", "that `actor` grants `about`'s framing, 0-1"
)
PERCEPTION_GAP = MetricRule(
    "perception_gap",
    "optional",
    "forbidden",
    "mean |gap| in the last turn played; of `actor` as observer if given",
)
