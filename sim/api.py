"""The Python API for notebooks and scripts.

Load a scenario, run it, get tables and figures::

    import sim

    result = sim.run("scenarios/dec2025_joint_drill.yaml", seed=7)
    result.metrics                   # tidy DataFrame: turn, metric, actor, other, value
    result.wide("tension")           # turn x actor
    sim.figure(result, "tension")    # a matplotlib Figure
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sim.model.mesa_model import EscalationModel
from sim.model.results import RunResult
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def run(
    scenario: Scenario | str | Path,
    *,
    seed: int | None = None,
    turns: int | None = None,
    overrides: list[str] | tuple[str, ...] = (),
) -> RunResult:
    """Run a scenario to the end and return its result.

    Args:
        scenario: A loaded scenario or a path to a scenario file.
        seed: Root seed (non-negative int). None: the scenario's seed, or a new
            one (read it back from ``result.seed``).
        turns: Number of turns (default: the scenario's).
        overrides: ``dotted.path=value`` changes, when ``scenario`` is a path.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario, overrides)
    model = EscalationModel(scenario, rng=seed, turns=turns, collect=False)
    return model.run()


def figure(result: RunResult, name: str) -> Figure:
    """A figure of a run by name.

    Names: 'tension', 'rungs', 'perception_gap', 'timeline', 'network', 'beliefs'
    (see :mod:`sim.outputs.figures` for options such as the network's turns or
    the beliefs' observer).
    """
    from sim.outputs.figures import FIGURES

    try:
        make = FIGURES[name]
    except KeyError:
        raise ValueError(f"unknown figure {name!r}; choose from {', '.join(FIGURES)}") from None
    return make(result)


def transcript(result: RunResult) -> str:
    """The run as a Markdown dialogue transcript."""
    from sim.outputs.transcript import transcript as make

    return make(result)
