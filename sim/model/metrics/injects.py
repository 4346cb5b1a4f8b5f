"""Readers of the metrics about the scenario's injects."""

from __future__ import annotations

from sim.model.metrics import InjectMetricReader

FIRED = InjectMetricReader("fired", lambda r, k: r.fired(k))
