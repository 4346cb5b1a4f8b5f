"""Each headline metric means what its one-sentence definition says (docs/model.md 7.12).

Runs are built by hand as turn records (moves, readings, alignment chosen
exactly), so every case shows one clause of the definition deciding the
answer: a step up from reassurance, an accurate hostile answer, a misread one,
the miscalculation threshold, the partner discount in the gap, chains, and the
per-move rate. README.md and docs/model.md must give the same sentences.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

import sim
from sim.model.compiled import Compiled, compile_scenario
from sim.model.derive import Derived, derive
from sim.model.engine import TurnRecord
from sim.model.outcomes import OUTCOME, OUTCOMES, PerTurn
from sim.running.replicates import replicate_seeds, run_replicates
from tests.conftest import REPO
from tests.model.small import scenario

A, B, C = 0, 1, 2


def compiled(**dynamics: Any) -> Compiled:
    """Three actors with the default ladder (hostile_threshold 0.4, miscalculation 0.3)."""
    actors = {k: {"name": k.upper()} for k in ("a", "b", "c")}
    return compile_scenario(scenario(actors, dynamics=dynamics))


def played(
    c: Compiled,
    moves: list[tuple[str, str, str]],
    readings: list[dict[tuple[int, int], float]],
    alignment: dict[tuple[int, int], float] | None = None,
) -> Derived:
    """Derive a run whose turns play ``moves`` and whose only readings are ``readings``.

    ``readings[t][(i, j)]`` is observer i's reading of sender j's move at turn t + 1;
    every other pair saw nothing. ``alignment[(i, j)]`` is in force on every turn.
    """
    n = c.n
    index = {m: k for k, m in enumerate(c.move_ids)}
    align = np.zeros((n, n))
    for (i, j), value in (alignment or {}).items():
        align[i, j] = value
    records = []
    for t, (turn_moves, turn_readings) in enumerate(zip(moves, readings, strict=True)):
        move = np.array([index[m] for m in turn_moves], dtype=np.int64)
        seen = np.zeros((n, n), dtype=bool)
        perceived = np.zeros((n, n))
        for (i, j), value in turn_readings.items():
            seen[i, j], perceived[i, j] = True, value
        records.append(
            TurnRecord(
                turn=t + 1,
                move=move,
                hostility=c.intended[move],
                forced=np.zeros(n, dtype=bool),
                seen=seen,
                perceived=perceived,
                tension=np.zeros(n),
                belief=np.zeros((n, n)),
                credibility=np.zeros((n, n)),
                alignment=align,
                norms=0.5,
                injects=[],
            )
        )
    zero = (np.zeros(n), np.zeros((n, n)), np.zeros((n, n)))
    return derive(c, records, zero)


def b_answers(move: str, reading: float, a_move: str = "live_fire_drill", **kw: Any) -> Derived:
    """A plays ``a_move``, B reads it at ``reading`` and then plays ``move`` (B started at hold)."""
    return played(
        compiled(**kw.pop("dynamics", {})),
        [(a_move, "hold", "hold"), ("hold", move, "hold")],
        [{(B, A): reading}, {}],
        **kw,
    )


# ------------------------------------------------------------ counter-action


def test_a_step_up_from_a_reassurance_statement_is_not_a_counter_action() -> None:
    """Rung 0 -> 1 after a badly misread hostile move: the old 'link' counted it."""
    d = played(
        compiled(),
        [
            ("live_fire_drill", "arms_control_proposal", "hold"),
            ("hold", "reassurance_statement", "hold"),
        ],
        [{(B, A): 0.95}, {}],
    )
    assert d.rung[1, B] > d.rung[0, B]  # it did climb the ladder (0 -> 1)
    assert d.cause_reading[1, B] == 0.95 and d.cause_intended[1, B] == 0.7
    assert not d.answered[1, B] and not d.miscalculation.any()


def test_an_accurate_hostile_answer_is_not_a_counter_action() -> None:
    """B reads A's live-fire drill exactly as meant (0.7) and answers in kind: not one."""
    d = b_answers("live_fire_drill", 0.7)
    assert d.hostility[1, B] > d.hostility[0, B] and d.hostility[1, B] >= 0.4
    assert not d.answered.any()


def test_a_misread_hostile_answer_is_a_counter_action_but_not_a_miscalculation() -> None:
    d = b_answers("live_fire_drill", 0.8)
    assert d.answered.tolist() == [[False] * 3, [False, True, False]]
    assert d.cause[1, B] == A and d.chain_depth[1, B] == 1
    assert not d.miscalculation.any()  # 0.8 - 0.7 < 0.3


def test_the_answer_must_itself_be_hostile() -> None:
    """hold (0.15) -> command_post_exercise (0.40) is; -> statement_of_concern (0.30) is not."""
    assert b_answers("command_post_exercise", 0.9).answered[1, B]
    assert not b_answers("statement_of_concern", 0.9).answered[1, B]


def test_the_answer_must_be_more_hostile_than_the_previous_move() -> None:
    d = played(
        compiled(),
        [("live_fire_drill", "live_fire_drill", "hold"), ("hold", "live_fire_drill", "hold")],
        [{(B, A): 0.95}, {}],
    )
    assert not d.answered.any()


def test_the_reading_must_be_hostile() -> None:
    """B reads A's hold (meant 0.15) at 0.39: well above what was meant, but below 0.4."""
    d = b_answers("live_fire_drill", 0.39, a_move="hold")
    assert not d.answered.any()
    assert b_answers("live_fire_drill", 0.4, a_move="hold").answered[1, B]


def test_the_cause_is_the_most_hostile_reading_ties_to_the_lowest_index() -> None:
    c = compiled()
    tie = played(
        c,
        [("live_fire_drill", "hold", "live_fire_drill"), ("hold", "live_fire_drill", "hold")],
        [{(B, A): 0.9, (B, C): 0.9}, {}],
    )
    assert tie.cause[1, B] == A and tie.answered[1, B]
    # The most hostile reading decides, even when it is accurate and another is misread.
    accurate = played(
        c,
        [
            ("live_fire_drill", "hold", "nuclear_testing_rhetoric"),
            ("hold", "live_fire_drill", "hold"),
        ],
        [{(B, A): 0.75, (B, C): 0.8}, {}],
    )
    assert accurate.cause[1, B] == C and not accurate.answered.any()


def test_miscalculation_threshold_boundary() -> None:
    """``P - meant >= miscalculation_threshold``: 0.75 - 0.5 = 0.25 exactly, at threshold 0.25."""
    at = b_answers(
        "live_fire_drill", 0.75, a_move="missile_defence_announcement",
        dynamics={"miscalculation_threshold": 0.25},
    )  # fmt: skip
    assert at.answered[1, B] and at.miscalculation[1, B]
    below = b_answers(
        "live_fire_drill", 0.75 - 2.0**-20, a_move="missile_defence_announcement",
        dynamics={"miscalculation_threshold": 0.25},
    )  # fmt: skip
    assert below.answered[1, B] and not below.miscalculation[1, B]


def test_chains_link_counter_actions_that_are_themselves_countered() -> None:
    d = played(
        compiled(),
        [
            ("live_fire_drill", "hold", "hold"),
            ("hold", "live_fire_drill", "hold"),
            ("nuclear_testing_rhetoric", "live_fire_drill", "hold"),
        ],
        [{(B, A): 0.8}, {(A, B): 0.9}, {}],
    )
    assert d.answered.tolist() == [
        [False, False, False],
        [False, True, False],
        [True, False, False],
    ]
    assert d.chain_depth.tolist() == [[0, 0, 0], [0, 1, 0], [2, 0, 0]]
    assert d.miscalculation.tolist() == [[False] * 3, [False] * 3, [False] * 3]


def test_perfect_perception_between_rivals_gives_no_counter_actions() -> None:
    """An escalation read exactly as meant: each climb follows a hostile move; none counts."""
    s = scenario(
        {
            "a": {
                "name": "A",
                "policy": {
                    "kind": "scripted",
                    "script": {1: "live_fire_drill", 2: "nuclear_testing_rhetoric"},
                },
            },
            "b": {
                "name": "B",
                "policy": {
                    "kind": "scripted",
                    "script": {1: "hold", 2: "live_fire_drill", 3: "nuclear_testing_rhetoric"},
                },
            },
        },
        dynamics={"perception": "perfect"},
        turns=3,
    )
    result = sim.run(s, seed=11)
    a = result.arrays
    assert a.hostility[:, 1].tolist() == [0.15, 0.7, 0.8]
    assert a.rung[1, 1] > a.rung[0, 1] and a.rung[2, 1] > a.rung[1, 1]  # B climbs twice ...
    assert a.perceived[0, 1, 0] == 0.7 and a.perceived[1, 1, 0] == 0.8  # ... after hostile moves
    assert (a.gap[a.seen] == 0.0).all()
    assert result.summary()["chain_links"] == 0 and len(result.links) == 0


# ------------------------------------------------------------ perception gap: P - meant


def test_the_gap_is_taken_against_what_was_meant_toward_the_observer() -> None:
    """A partner (A_BA = 0.8) is meant only a fifth of A's 0.7; a rival is meant all of it."""
    partner = b_answers("live_fire_drill", 0.7, alignment={(B, A): 0.8})
    meant = (1.0 - 0.8) * 0.7
    assert partner.gap[0, B, A] == 0.7 - meant
    assert partner.cause_intended[1, B] == meant
    # Read at face value by a partner, the move was read as far more hostile than meant.
    assert partner.answered[1, B] and partner.miscalculation[1, B]
    assert partner.mean_abs_gap[0] == 0.7 - meant
    rival = b_answers("live_fire_drill", 0.7, alignment={(B, A): -0.5})
    assert rival.gap[0, B, A] == 0.0 and not rival.answered.any()
    # Unseen pairs have no gap.
    assert np.isnan(rival.gap[0, A, B]) and np.isnan(rival.gap[1]).all()


# ------------------------------------------------------------ miscalculations per move


def test_the_rate_is_the_count_over_the_moves_played_exactly() -> None:
    """The same 9 miscalculations are 0.75 per move in 4 turns of 3 actors and 0.375 in 8."""

    def series(misses: list[int]) -> PerTurn:
        t = len(misses)
        return PerTurn(
            tension=np.zeros((t + 1, 3)),
            rung=np.zeros((t, 3), dtype=np.int64),
            escalation_index=np.zeros(t),
            mean_abs_gap=np.zeros(t),
            norms=np.zeros(t),
            links=np.array(misses, dtype=np.int64),
            miscalculations=np.array(misses, dtype=np.int64),
            longest_chain=np.zeros(t, dtype=np.int64),
        )

    rate, count = OUTCOME["miscalculation_rate"], OUTCOME["miscalculations"]
    short, long = series([0, 3, 3, 3]), series([0, 3, 3, 3, 0, 0, 0, 0])
    assert count.of(short) == count.of(long) == 9
    assert rate.of(short) == 0.75 and rate.of(long) == 0.375
    assert rate.whole is False and (rate.low, rate.high, rate.better) == (0.0, 1.0, "lower")


def test_every_replicate_and_run_reports_the_rate_as_count_over_moves() -> None:
    s = sim.load_scenario(REPO / "scenarios" / "dec2025_joint_drill.yaml")
    seeds = replicate_seeds(9091, 6)
    table, _ = run_replicates(s, seeds, 12)
    moves = len(s.actors) * 12
    assert (table.miscalculation_rate == table.miscalculations / moves).all()
    assert (table.miscalculations > 0).any()
    single = sim.run(s, seed=seeds[2], turns=12).summary()
    assert single["miscalculation_rate"] == table.miscalculation_rate[2]
    assert single["miscalculations"] / moves == single["miscalculation_rate"]


# ------------------------------------------------------------ one sentence each, twice


def _definitions(text: str, heading: str) -> dict[str, str]:
    """``{name: sentence}`` of the list lines ``* `name` (label): sentence`` under ``heading``."""
    section = text.split(heading, 1)[1]
    section = re.split(r"\n#{2,3} ", section, maxsplit=1)[0]
    found: dict[str, str] = {}
    for o in OUTCOMES:
        lead = f"* `{o.name}` ({o.label}): "
        lines = [line for line in section.splitlines() if line.startswith(lead)]
        assert len(lines) == 1, f"{heading!r}: {o.name} is defined {len(lines)} times"
        found[o.name] = lines[0][len(lead) :]
    listed = re.findall(r"^\* `(\w+)` \(", section, flags=re.MULTILINE)
    assert sorted(listed) == sorted(o.name for o in OUTCOMES), heading
    return found


def test_readme_and_model_doc_define_each_outcome_in_the_same_sentence() -> None:
    readme = _definitions(
        (REPO / "README.md").read_text(encoding="utf-8"), "## What the numbers mean"
    )
    model = _definitions(
        (REPO / "docs" / "model.md").read_text(encoding="utf-8"), "### 7.12 Derived metrics"
    )
    for o in OUTCOMES:
        assert readme[o.name] == model[o.name] == o.definition, o.name
        assert o.definition.endswith(".") and o.definition.count(". ") == 0, o.name


@pytest.mark.parametrize("name", ["chain_links", "miscalculations", "longest_chain"])
def test_counts_are_worded_as_counter_actions(name: str) -> None:
    o = OUTCOME[name]
    assert "counter-action" in o.definition and "link" not in o.label + o.unit
