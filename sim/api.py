"""The Python API for notebooks and scripts.

Load a scenario, run it, get tables and figures::

    import sim

    result = sim.run("scenarios/dec2025_joint_drill.yaml", seed=7)
    result.metrics                   # tidy DataFrame: turn, metric, actor, other, value
    result.wide("tension")           # turn x actor
    sim.figure(result, "tension")    # a matplotlib Figure

Many replicates, written as an ensemble folder (tables, fan charts, manifest),
the same folder ``sim ensemble`` writes::

    folder = sim.ensemble("scenarios/dec2025_joint_drill.yaml", runs=500, out="runs/drill-500")
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


def ensemble(
    scenario: Scenario | str | Path,
    *,
    runs: int,
    out: str | Path,
    seed: int | None = None,
    turns: int | None = None,
    workers: int = 1,
    traces: bool = False,
    overrides: list[str] | tuple[str, ...] = (),
    resume: bool = False,
    progress: bool = False,
) -> Path:
    """Run ``runs`` replicates of a scenario and write their ensemble folder ``out``.

    The folder is complete, as ``sim ensemble`` writes it: ``summary.csv``
    (one row per replicate), ``stats.csv``, ``paths.npz``, the fan charts and
    ``manifest.json`` (see :mod:`sim.outputs.ensemble_folder`). Replicate
    ``k`` gets the same seed whatever ``workers`` is.

    Args:
        scenario: A loaded scenario or a path to a scenario file.
        runs: Number of replicates.
        out: The folder to write (it must not exist, unless ``resume``).
        seed: Root seed. None: the scenario's seed, or a new one (recorded in
            the manifest).
        turns: Turns per run (default: the scenario's).
        workers: Processes to compute with, this one included.
        traces: Also keep every actor's tension and rung per turn.
        overrides: ``dotted.path=value`` changes, when ``scenario`` is a path.
        resume: Continue an interrupted ensemble in ``out``.
        progress: Show a progress bar on stderr.

    Returns:
        The folder.
    """
    from sim.outputs.ensemble_folder import run_ensemble
    from sim.running.ensemble import EnsembleSpec
    from sim.running.seeds import root_seed
    from sim.scenario.loader import read_scenario

    files_read: list[Path] = []
    if not isinstance(scenario, Scenario):
        loaded = read_scenario(scenario, list(overrides))
        scenario, files_read = loaded.scenario, list(loaded.files)
    root, source = root_seed(seed, scenario.seed)
    spec = EnsembleSpec(scenario, runs, root, turns or scenario.turns, traces=traces)
    return run_ensemble(
        spec,
        Path(out),
        workers=workers,
        resume=resume,
        progress=progress,
        files_read=files_read,
        seed_source=source,
        overrides=list(overrides),
    )


def figure(result: RunResult, name: str) -> Figure:
    """A figure of a run by its name in the figure catalogue.

    The names are those of :data:`sim.outputs.figures.CATALOGUE`
    (``[spec.name for spec in CATALOGUE]``), each with its title and caption;
    see the figure's module for options such as the network's turns or the
    beliefs' observer.

    Raises:
        ValueError: no figure in the catalogue has that name (the message
            lists the names).
    """
    from sim.outputs.figures import catalogue_entry

    return catalogue_entry(name).draw(result)


def transcript(result: RunResult) -> str:
    """The run as a Markdown dialogue transcript."""
    from sim.outputs.transcript import transcript as make

    return make(result)
