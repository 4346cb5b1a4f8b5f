"""Measure a scenario's stylised facts over an ensemble: ``sim check``.

Every fact in the scenario's ``expectations:`` is decided in each replicate
(:mod:`sim.model.expectations`); the share of replicates in which it held is
reported with its 95% Wilson score interval and a verdict (the share is at
least the one required). Replicates are ``replicate_seeds(root, runs)`` of a
fixed root seed: the ``--seed`` given, else the scenario's ``seed``, else
:data:`DEFAULT_SEED`. Each replicate equals a single run with its own seed,
and replicates are cut into chunks that do not depend on the worker count, so
the same root seed gives the same table with any number of workers.

Facts are decided from the batch engine's per-turn arrays (moves, tension,
beliefs, readings), never from per-run tables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from sim.errors import Diagnostic, ScenarioError
from sim.model.compiled import Compiled, compile_scenario
from sim.model.engine import Engine
from sim.model.expectations import held
from sim.model.facts import Trace
from sim.running.check_defaults import DEFAULT_RUNS, DEFAULT_SEED
from sim.running.replicates import replicate_seeds
from sim.scenario.loader import compared_with, load_scenario
from sim.scenario.schema import Scenario

Z95 = 1.959963984540054
"""The standard normal quantile of 0.975: a two-sided 95% interval."""

CHUNK = 50
"""Replicates per task, whatever the worker count (so results never depend on it)."""


def wilson(held: int, runs: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for ``held`` successes in ``runs`` trials.

    With p = held / runs: centre (p + z²/2n) / (1 + z²/n), half-width
    z·sqrt(p(1 - p)/n + z²/4n²) / (1 + z²/n), clipped to [0, 1].
    """
    if runs <= 0:
        raise ValueError("a Wilson interval needs at least one run")
    if not 0 <= held <= runs:
        raise ValueError(f"{held} successes in {runs} runs")
    p, n = held / runs, runs
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    low = 0.0 if held == 0 else max(0.0, centre - half)
    high = 1.0 if held == runs else min(1.0, centre + half)
    return low, high


def root_seed(scenario: Scenario, seed: int | None) -> int:
    """The root seed of a check: ``seed``, else the scenario's, else :data:`DEFAULT_SEED`."""
    if seed is not None:
        return int(seed)
    return int(scenario.seed) if scenario.seed is not None else DEFAULT_SEED


def batch_size(n: int, turns: int) -> int:
    """Replicates played together: at most 256, fewer so a trace holds ~4 million cells."""
    return max(1, min(256, 4_000_000 // max(1, turns * n * n)))


def trace(compiled: Compiled, seeds: Sequence[int], turns: int) -> Trace:
    """Play one batch and keep what facts are decided from (see :class:`Trace`)."""
    engine = Engine(compiled, list(seeds), keep_records=False)
    moves, tension, belief, seen, perceived = [], [], [], [], []
    for _ in range(turns):
        r = engine.step()
        moves.append(r.move)
        tension.append(r.tension)
        belief.append(r.belief)
        seen.append(r.seen)
        perceived.append(r.perceived)
    return Trace(
        compiled=compiled,
        move=np.stack(moves, axis=1),
        tension=np.stack(tension, axis=1),
        belief=np.stack(belief, axis=1),
        seen=np.stack(seen, axis=1),
        perceived=np.stack(perceived, axis=1),
    )


def compared(scenario: Scenario) -> dict[str, Compiled]:
    """The scenarios its ``versus`` facts compare with, compiled, by their reference.

    Raises:
        ScenarioError: a reference names no scenario, or a scenario that lacks an
            actor or move the fact names.
    """
    out: dict[str, Compiled] = {}
    for fid, fact in scenario.expectations.items():
        against = getattr(fact, "against", None)
        if against is None or against in out:
            continue
        where = f"expectations.{fid}.against"
        other = load_scenario(compared_with(scenario, against, where))
        named = [fact.actor, fact.about, *fact.moves]
        missing = [x for x in named if x is not None and x not in other.actors]
        missing = [x for x in missing if x not in other.moves]
        if missing:
            raise ScenarioError(
                [
                    Diagnostic(
                        str(scenario.origin or scenario.id),
                        0,
                        0,
                        where,
                        f"{against} has no actor or move '{missing[0]}' to compare with",
                    )
                ]
            )
        out[against] = compile_scenario(other)
    return out


def decide(scenario: Scenario, seeds: Sequence[int], turns: int | None = None) -> np.ndarray:
    """``(F, R)``: whether each expectation (in file order) held in each replicate.

    A ``versus`` fact's other scenario is played on the same seeds for as many turns.
    """
    compiled = compile_scenario(scenario)
    others = compared(scenario)
    turns = scenario.turns if turns is None else turns
    facts = list(scenario.expectations.values())
    out = np.zeros((len(facts), len(seeds)), dtype=bool)
    size = batch_size(compiled.n, turns)
    for start in range(0, len(seeds), size):
        chunk = seeds[start : start + size]
        batch = trace(compiled, chunk, turns)
        batch.others.update({ref: trace(c, chunk, turns) for ref, c in others.items()})
        for f, fact in enumerate(facts):
            out[f, start : start + size] = held(fact, batch)
    return out


def _task(job: tuple[Scenario, list[int], int | None]) -> np.ndarray:
    return decide(*job)


@dataclass(frozen=True, slots=True)
class FactResult:
    """One fact's measured share and verdict.

    Attributes:
        id: The fact's id in ``expectations:``.
        kind: Its kind.
        label: Its label ('' if none).
        required: The share of runs it must hold in.
        held: Runs in which it held.
        runs: Runs played.
        share: ``held / runs``.
        low: Lower end of the 95% Wilson interval.
        high: Upper end.
        passed: ``share >= required``.
    """

    id: str
    kind: str
    label: str
    required: float
    held: int
    runs: int
    share: float
    low: float
    high: float
    passed: bool


@dataclass(frozen=True, slots=True)
class CheckResult:
    """A scenario's facts, measured on ``runs`` replicates of root seed ``seed``."""

    scenario: str
    seed: int
    runs: int
    turns: int
    facts: list[FactResult]

    @property
    def passed(self) -> bool:
        """Whether every fact held in at least its required share of runs."""
        return all(f.passed for f in self.facts)

    def as_dict(self) -> dict[str, object]:
        """The result as plain data (for ``--json``)."""
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "runs": self.runs,
            "turns": self.turns,
            "passed": self.passed,
            "facts": [asdict(f) for f in self.facts],
        }


def check(
    scenario: Scenario,
    runs: int = DEFAULT_RUNS,
    seed: int | None = None,
    *,
    workers: int = 1,
    turns: int | None = None,
) -> CheckResult:
    """Measure every expectation of ``scenario`` over ``runs`` replicates.

    Args:
        scenario: The scenario (its ``expectations`` may be empty).
        runs: Replicates (at least 1).
        seed: Root seed (default: see :func:`root_seed`).
        workers: Processes, this one included; the result does not depend on it.
        turns: Turns per run (default: the scenario's).
    """
    from sim.running.pool import default_executor

    if runs < 1:
        raise ValueError("a check needs at least one run")
    root = root_seed(scenario, seed)
    turns = scenario.turns if turns is None else turns
    seeds = replicate_seeds(root, runs)
    facts = scenario.expectations
    if facts:
        jobs = [(scenario, seeds[k : k + CHUNK], turns) for k in range(0, runs, CHUNK)]
        executor = default_executor(min(workers, len(jobs)))
        if executor is None:
            parts = [_task(job) for job in jobs]
        else:
            with executor:
                parts = list(executor.map(_task, jobs))
        outcome = np.concatenate(parts, axis=1)
    else:
        outcome = np.zeros((0, runs), dtype=bool)
    results = []
    for (fid, fact), row in zip(facts.items(), outcome, strict=True):
        count = int(row.sum())
        low, high = wilson(count, runs)
        share = count / runs
        results.append(
            FactResult(
                id=fid,
                kind=fact.kind,
                label=fact.label or "",
                required=float(fact.share),
                held=count,
                runs=runs,
                share=share,
                low=low,
                high=high,
                passed=share >= fact.share,
            )
        )
    return CheckResult(scenario.id, root, runs, turns, results)
