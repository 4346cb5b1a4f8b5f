"""Readers of the metrics of the whole system."""

from __future__ import annotations

import numpy as np

from sim.model.metrics import MetricReader

ESCALATION_INDEX = MetricReader("escalation_index", lambda r, i, j: r.escalation_index())
POLARISATION = MetricReader("polarisation", lambda r, i, j: r.polarisation())
NORMS = MetricReader("norms", lambda r, i, j: r.norms())
TURN = MetricReader("turn", lambda r, i, j: np.asarray(r.turn, dtype=np.float64))
