"""Readers of the metrics about one actor, or one actor's view of another."""

from __future__ import annotations

import numpy as np

from sim.model.metrics import F, MetricReader, Readings


def _tension(r: Readings, i: int | None, j: int | None) -> F:
    return np.asarray(r.tension[..., i])


def _rung(r: Readings, i: int | None, j: int | None) -> F:
    return np.asarray(r.rung[..., i], dtype=np.float64)


def _belief(r: Readings, i: int | None, j: int | None) -> F:
    return np.asarray(r.belief[..., i, j])


def _credibility(r: Readings, i: int | None, j: int | None) -> F:
    return np.asarray(r.credibility[..., i, j])


TENSION = MetricReader("tension", _tension)
RUNG = MetricReader("rung", _rung)
BELIEF = MetricReader("belief", _belief)
CREDIBILITY = MetricReader("credibility", _credibility)
PERCEPTION_GAP = MetricReader("perception_gap", lambda r, i, j: r.perception_gap(i))
