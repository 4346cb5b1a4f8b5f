"""``sim.running.check``: facts decided per replicate, shares, Wilson intervals, determinism."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import sim
from sim.running.check import check, decide, root_seed, wilson
from sim.running.check_defaults import DEFAULT_SEED
from sim.running.replicates import replicate_seeds
from sim.scenario.loader import load_scenario, scenario_from_dict

BASE = """\
metadata:
  title: Facts base
  sources:
    - {key: s1, title: A source}
turns: 10
actors:
  a:
    name: A
    policy:
      kind: scripted
      script: {1: nuclear_testing_rhetoric, 2: nuclear_testing_rhetoric}
      default_move: hold
  b: {name: B, policy: {kind: scripted, script: {1: hold}, default_move: hold}}
  c: {name: C, policy: {kind: scripted, script: {1: hold}, default_move: hold}}
dynamics: {perception: perfect}
libraries: [library:missile_defence]
expectations:
  share_a:
    kind: move_share
    actors: [a]
    moves: [nuclear_testing_rhetoric]
    at_least: 0.2
    share: 1
    label: A talks of testing
    basis: {source: s1, part: p1, reasoning: a judgement}
  never_others: {kind: move_share, actors: [b, c], moves: [nuclear_testing_rhetoric], at_most: 0,
                 share: 1}
  count: {kind: move_count, moves: [nuclear_testing_rhetoric], min: 2, max: 2, share: 1}
  belief: {kind: belief_bound, actor: b, about: a, below: 0.7, share: 1}
  tension: {kind: tension_bound, actor: b, below: 0.3, share: 1}
  order: {kind: order, quantity: belief, actor: c, about: a, relation: above, than_actor: c,
          than_about: b, share: 1}
  reading: {kind: reading, observers: [b, c], sender: a, move: nuclear_testing_rhetoric,
            relation: above, margin: 0.2, share: 1}
"""


@pytest.fixture
def base(tmp_path: Path) -> Path:
    path = tmp_path / "base.yaml"
    path.write_text(BASE, encoding="utf-8")
    return path


def test_wilson_interval_exact_values() -> None:
    z = 1.959963984540054
    for k, n in [(0, 10), (5, 10), (10, 10), (81, 263), (1, 200), (199, 200)]:
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        low, high = wilson(k, n)
        assert low == pytest.approx(max(0.0, centre - half), abs=1e-15)
        assert high == pytest.approx(min(1.0, centre + half), abs=1e-15)
    # published values (Wilson 1927; Newcombe 1998, table I)
    assert wilson(0, 10) == (0.0, pytest.approx(0.27754, abs=1e-5))
    assert wilson(5, 10) == (pytest.approx(0.23659, abs=1e-5), pytest.approx(0.76341, abs=1e-5))
    assert wilson(10, 10) == (pytest.approx(0.72246, abs=1e-5), 1.0)
    with pytest.raises(ValueError):
        wilson(3, 2)
    with pytest.raises(ValueError):
        wilson(0, 0)


def test_every_kind_holds_on_the_scripted_base(base: Path) -> None:
    result = check(load_scenario(base), runs=20)
    assert [f.id for f in result.facts] == [
        "share_a", "never_others", "count", "belief", "tension", "order", "reading"
    ]  # fmt: skip
    assert {f.kind for f in result.facts} == {
        "move_share", "move_count", "belief_bound", "tension_bound", "order", "reading"
    }  # fmt: skip
    for fact in result.facts:
        assert (fact.held, fact.share, fact.passed) == (20, 1.0, True), fact.id
    assert result.passed and result.facts[0].label == "A talks of testing"
    assert result.seed == DEFAULT_SEED and result.runs == 20 and result.turns == 10


# Each variant (a file that extends the base) breaks exactly the named facts; the
# scripted runs are all alike, so every share is 0 or 1.
BREAKS: dict[str, tuple[str, set[str]]] = {
    "share_a": (
        "actors: {a: {policy: {script: {2: null}}}}",
        {"share_a", "count"},
    ),
    "never_others": (
        "actors: {b: {policy: {script: {5: nuclear_testing_rhetoric}}}}",
        {"never_others", "count"},
    ),
    "count": (
        "actors: {a: {policy: {script: {3: nuclear_testing_rhetoric}}}}",
        {"count", "belief"},
    ),
    "belief": (
        "actors: {a: {policy: {script: {3: nuclear_testing_rhetoric}}}}",
        {"count", "belief"},
    ),
    "tension": (
        "actors: {a: {policy: {default_move: nuclear_testing_rhetoric}}}",
        {"count", "belief", "tension"},
    ),
    "order": (
        "actors:\n"
        "  a: {policy: {script: {1: null, 2: null, 3: hold}}}\n"
        "  b: {policy: {script: {1: nuclear_testing_rhetoric, 2: nuclear_testing_rhetoric}}}\n",
        {"share_a", "never_others", "order", "reading"},
    ),
    "reading": ("moves: {nuclear_testing_rhetoric: {framed_hostility: 0.8}}", {"reading"}),
}


def variant(base: Path, body: str) -> Path:
    path = base.parent / "variant.yaml"
    path.write_text("extends: base.yaml\nmetadata: {title: Broken}\n" + body + "\n", "utf-8")
    return path


@pytest.mark.parametrize("target", sorted(BREAKS))
def test_a_variant_built_to_break_a_fact_fails_it(base: Path, target: str) -> None:
    body, broken = BREAKS[target]
    result = check(load_scenario(variant(base, body)), runs=8)
    failed = {f.id for f in result.facts if not f.passed}
    assert target in failed
    assert failed == broken
    assert all(f.share in (0.0, 1.0) for f in result.facts)
    assert not result.passed


STOCHASTIC = """\
metadata: {title: Stochastic}
turns: 12
actors:
  red: {name: Red, posture: {threat_sensitivity: 0.7}}
  blue: {name: Blue}
  green: {name: Green, policy: tit_for_tat}
relationships:
  red: {blue: {alignment: -0.6}}
  blue: {green: {alignment: 0.5, channels: {hotline: 0.5}}}
libraries: [library:missile_defence]
moves: {partner_exercise: null, deployment_notice: null, live_fire_exercise: null,
        activity_pause: null, explicit_threat: null}
expectations:
  share: {kind: move_share, actors: [red, blue], moves: [statement_of_concern, live_fire_drill],
          at_least: 0.1, at_most: 0.5, share: 0.5}
  count: {kind: move_count, moves: [statement_of_concern], actors: [red], min: 2, max: 5,
          share: 0.5}
  belief_every: {kind: belief_bound, actor: blue, about: red, below: 0.6, above: 0.2, share: 0.5}
  belief_mean: {kind: belief_bound, actor: green, about: red, below: 0.45, over: mean,
                share: 0.5}
  tension_end: {kind: tension_bound, below: 0.35, over: end, share: 0.5}
  tension_red: {kind: tension_bound, actor: red, above: 0.3, over: mean, share: 0.5}
  order_end: {kind: order, quantity: belief, actor: blue, about: red, relation: above,
              than_actor: green, than_about: red, share: 0.5}
  order_every: {kind: order, quantity: tension, actor: red, relation: below,
                than_actor: blue, over: every_turn, share: 0.5}
  reading: {kind: reading, observers: [blue, green], sender: red, move: statement_of_concern,
            relation: above, margin: 0.02, share: 0.5}
"""


def _by_hand(fact: Any, run: Any) -> bool:
    """Decide a fact on a single run's records, turn by turn (independent of the batch code)."""
    c, recs = run.compiled, run.records
    ix, mx = c.index, c.move_index

    def series(actor: str, about: str | None) -> list[float]:
        if about is None:
            return [float(r.tension[ix[actor]]) for r in recs]
        return [float(r.belief[ix[actor], ix[about]]) for r in recs]

    def bounded(values: list[float]) -> bool:
        picked = {"every_turn": values, "end": values[-1:], "mean": [sum(values) / len(values)]}
        return all(
            (fact.below is None or v < fact.below) and (fact.above is None or v > fact.above)
            for v in picked[fact.over]
        )

    kind = fact.kind
    if kind == "move_share":
        moves = {mx[m] for m in fact.moves}
        for who in fact.actors:
            share = sum(int(r.move[ix[who]]) in moves for r in recs) / len(recs)
            if fact.at_least is not None and share < fact.at_least:
                return False
            if fact.at_most is not None and share > fact.at_most:
                return False
        return True
    if kind == "move_count":
        moves = {mx[m] for m in fact.moves}
        who = fact.actors or list(ix)
        n = sum(int(r.move[ix[a]]) in moves for r in recs for a in who)
        return (fact.min is None or n >= fact.min) and (fact.max is None or n <= fact.max)
    if kind == "belief_bound":
        return bounded(series(fact.actor, fact.about))
    if kind == "tension_bound":
        if fact.actor is None:
            return bounded([float(np.mean(r.tension)) for r in recs])
        return bounded(series(fact.actor, None))
    if kind == "order":
        a, b = series(fact.actor, fact.about), series(fact.than_actor, fact.than_about)
        if fact.over == "end":
            a, b = a[-1:], b[-1:]
        elif fact.over == "mean":
            a, b = [sum(a) / len(a)], [sum(b) / len(b)]
        return all(
            (x > y) if fact.relation == "above" else (x < y) for x, y in zip(a, b, strict=True)
        )
    if kind == "reading":
        s, m = ix[fact.sender], mx[fact.move]
        readings = [
            float(r.perceived[ix[o], s])
            for r in recs
            if int(r.move[s]) == m
            for o in fact.observers
            if r.seen[ix[o], s]
        ]
        if not readings:
            return False
        gap = sum(readings) / len(readings) - float(c.framed[m])
        return gap > fact.margin if fact.relation == "above" else gap < -fact.margin
    raise AssertionError(kind)


def test_each_replicate_is_decided_as_its_single_run_decides_it() -> None:
    import yaml

    scenario = scenario_from_dict(yaml.safe_load(STOCHASTIC), "stochastic")
    seeds = replicate_seeds(11, 24)
    decided = decide(scenario, seeds)
    facts = list(scenario.expectations.values())
    expected = np.array([[_by_hand(f, sim.run(scenario, seed=s)) for s in seeds] for f in facts])
    assert (decided == expected).all()
    # the facts are chosen so that the answer is not the same in every run
    assert sum(0 < row.mean() < 1 for row in expected) >= 4
    result = check(scenario, runs=24, seed=11)
    assert [f.held for f in result.facts] == [int(row.sum()) for row in expected]
    assert [f.passed for f in result.facts] == [row.mean() >= 0.5 for row in expected]


def test_the_same_seed_gives_the_same_table_whatever_the_worker_count() -> None:
    import yaml

    scenario = scenario_from_dict(yaml.safe_load(STOCHASTIC), "stochastic")
    one = check(scenario, runs=120, seed=3)
    two = check(scenario, runs=120, seed=3, workers=2)
    assert one == two
    assert check(scenario, runs=120, seed=4) != one  # the seed matters


def test_root_seed_default() -> None:
    import yaml

    data = yaml.safe_load(STOCHASTIC)
    assert root_seed(scenario_from_dict(data), None) == DEFAULT_SEED
    assert root_seed(scenario_from_dict({**data, "seed": 9}), None) == 9
    assert root_seed(scenario_from_dict({**data, "seed": 9}), 4) == 4


def test_no_expectations_no_facts(base: Path) -> None:
    scenario = load_scenario(
        variant(base, "expectations: {" + ", ".join(f"{k}: null" for k in (
            "share_a", "never_others", "count", "belief", "tension", "order", "reading"
        )) + "}")
    )  # fmt: skip
    result = check(scenario, runs=3)
    assert result.facts == [] and result.passed
