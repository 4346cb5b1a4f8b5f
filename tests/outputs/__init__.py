"""Tests of sim.outputs (run folders, figures, reports) and of the headline-outcome table."""
