"""Tabletop strategy-dialogue simulation.

A Mesa agent-based model of how states signal, how other states perceive those
signals, and how action and counter-action escalate or calm a crisis. It
models postures, signals, perceptions and responses, and no weapons
performance of any kind.

Public API::

    import sim
    scenario = sim.load_scenario("scenarios/dec2025_joint_drill.yaml")
    result = sim.run(scenario, seed=7)
    result.metrics, result.events, result.links      # pandas DataFrames
    sim.figure(result, "tension")                    # matplotlib Figure
    sim.ensemble(scenario, runs=500, out="runs/e")   # an ensemble folder

Names are imported on first use, so ``sim validate`` and ``sim schema`` start
without loading Mesa, pandas or matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sim.errors import Diagnostic, RunFolderError, ScenarioError, SimError, UsageError

if TYPE_CHECKING:
    from sim.api import ensemble, figure, run, transcript
    from sim.model.mesa_model import EscalationModel, StateActor
    from sim.model.results import RunResult
    from sim.scenario.loader import load_scenario
    from sim.scenario.schema import Scenario

__version__ = "0.1.0"

_LAZY = {
    "ensemble": "sim.api",
    "figure": "sim.api",
    "run": "sim.api",
    "transcript": "sim.api",
    "EscalationModel": "sim.model.mesa_model",
    "StateActor": "sim.model.mesa_model",
    "RunResult": "sim.model.results",
    "load_scenario": "sim.scenario.loader",
    "Scenario": "sim.scenario.schema",
}

__all__ = [
    "Diagnostic",
    "EscalationModel",
    "RunFolderError",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SimError",
    "StateActor",
    "UsageError",
    "__version__",
    "ensemble",
    "figure",
    "load_scenario",
    "run",
    "transcript",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
