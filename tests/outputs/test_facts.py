"""Stylised facts in a run's outputs: words per kind, one run's verdicts, departures, the report."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.model.expectations import held_in_run
from sim.outputs.debrief import debrief
from sim.outputs.facts import fact_views, names
from sim.outputs.run_folder import write_run_folder
from sim.outputs.transcript import transcript
from sim.running.check import decide
from sim.running.replicates import replicate_seeds
from sim.scenario.discovery import RegistryError
from sim.scenario.facts import FactDeclaration, declared, worded, words
from sim.scenario.loader import load_scenario
from tests.running.test_check import BASE, BREAKS, variant

DEPARTS = "This run departs from the sources: "


@pytest.fixture
def base(tmp_path: Path) -> Path:
    path = tmp_path / "base.yaml"
    path.write_text(BASE, encoding="utf-8")
    return path


def test_every_kind_says_its_facts_in_words() -> None:
    for decl in declared():
        worded(decl)
    with pytest.raises(RegistryError, match="'quiet' has no describe"):
        worded(FactDeclaration(name="quiet", note="nobody climbs"))  # negative control


def test_the_words_of_each_kind(base: Path) -> None:
    scenario = load_scenario(base)
    said = {fid: words(f, names(scenario)) for fid, f in scenario.expectations.items()}
    assert said == {
        "share_a": "A plays nuclear-testing rhetoric in at least 20% of its turns",
        "never_others": "B and C never play nuclear-testing rhetoric",
        "count": "nuclear-testing rhetoric is played exactly twice in a run",
        "belief": "B's belief that A is hostile stays below 0.7 at every turn",
        "tension": "B's tension stays below 0.3 at every turn",
        "order": "C's belief that A is hostile stands above C's belief that B is hostile "
        "at the end",
        "reading": "B and C read A's nuclear-testing rhetoric as more hostile than it was "
        "framed by more than 0.2",
    }


def test_more_wordings(tmp_path: Path, base: Path) -> None:
    path = tmp_path / "more.yaml"
    path.write_text(
        "extends: base.yaml\nexpectations:\n"
        "  s2: {kind: move_share, actors: [a, b], moves: [hold, nuclear_testing_rhetoric],"
        " at_least: 0.125, at_most: 0.5, share: 0.5}\n"
        "  c2: {kind: move_count, moves: [hold], actors: [b], min: 1, max: 4, share: 0.5}\n"
        "  c3: {kind: move_count, moves: [hold], max: 0, share: 0.5}\n"
        "  t2: {kind: tension_bound, above: 0.1, below: 0.9, over: mean, share: 0.5}\n"
        "  b2: {kind: belief_bound, actor: c, about: b, above: 0.05, over: end, share: 0.5}\n"
        "  r2: {kind: reading, observers: [c], sender: b, move: hold, relation: below,"
        " share: 0.5}\n"
        "  o2: {kind: order, quantity: tension, actor: b, relation: below, than_actor: a,"
        " over: every_turn, share: 0.5}\n",
        encoding="utf-8",
    )
    scenario = load_scenario(path)
    said = {fid: words(f, names(scenario)) for fid, f in scenario.expectations.items()}
    hold = scenario.moves["hold"].label
    assert said["s2"] == (
        f"A and B each play {hold} or nuclear-testing rhetoric in between 12.5% and 50% "
        "of their turns"
    )
    assert said["c2"] == f"{hold} is played between 1 and 4 times in a run, counting plays by B"
    assert said["c3"] == f"{hold} is never played in a run"
    assert (
        said["t2"] == "the mean tension over all actors averages between 0.1 and 0.9 over the run"
    )
    assert said["b2"] == "C's belief that B is hostile ends above 0.05"
    assert said["r2"] == f"C reads B's {hold} as less hostile than it was framed"
    assert said["o2"] == "B's tension stands below A's tension at every turn"


def test_one_run_is_decided_as_check_decides_its_seed(tmp_path: Path) -> None:
    """On the flagship (choices drawn), each run's verdicts are sim check's for its seed."""
    path = tmp_path / "drill.yaml"
    path.write_text(
        "extends: bundled:dec2025_joint_drill\nexpectations:\n"
        "  us: {kind: move_share, actors: [united_states], moves: [nuclear_testing_rhetoric],"
        " at_least: 0.04, share: 0.5}\n"
        "  partners: {kind: belief_bound, actor: china, about: russia, below: 0.45, over: end,"
        " share: 0.5}\n"
        "  west: {kind: reading, observers: [united_states, japan], sender: russia,"
        " move: sino_russian_md_drill, relation: above, share: 0.5}\n",
        encoding="utf-8",
    )
    scenario = load_scenario(path)
    seeds = replicate_seeds(4242, 6)
    batch = decide(scenario, seeds)
    for k, seed in enumerate(seeds):
        result = sim.run(scenario, seed=seed)
        one = held_in_run(list(scenario.expectations.values()), result.compiled, result.records)
        assert one == batch[:, k].tolist(), seed
    assert batch.any() and not batch.all()  # the facts vary across these seeds


def test_no_departure_when_every_fact_holds(base: Path) -> None:
    result = sim.run(base, seed=1)
    assert [v.held for v in fact_views(result)] == [True] * 7
    assert DEPARTS not in transcript(result) and DEPARTS not in debrief(result)


def test_a_departure_is_one_line_in_the_transcript_and_a_question_in_the_debrief(
    base: Path,
) -> None:
    body, broken = BREAKS["share_a"]
    result = sim.run(variant(base, body), seed=1)
    assert broken == {"share_a", "count"}
    text = transcript(result)
    lines = [x for x in text.splitlines() if x.startswith(DEPARTS)]
    assert lines == [
        DEPARTS + "A talks of testing (s1, p1).",
        DEPARTS + "nuclear-testing rhetoric is played exactly twice in a run.",
    ]
    asked = [x for x in debrief(result).splitlines() if DEPARTS in x]
    assert len(asked) == 2
    assert asked[0].endswith(
        DEPARTS + "A talks of testing (s1, p1). What in this run made it depart, and would you "
        "expect it in the real crisis?"
    )


def test_the_debrief_lists_every_fact_with_this_runs_verdict(base: Path) -> None:
    body, _ = BREAKS["share_a"]
    result = sim.run(variant(base, body), seed=1)
    text = debrief(result)
    listed = text[text.index("## The sources' stylised facts in this run") :].splitlines()
    facts = [x for x in listed if x.startswith("- ")]
    assert len(facts) == 7
    assert facts[0] == "- A talks of testing (s1, p1): in every run; this run departed from it."
    assert sum(x.endswith("this run kept to it.") for x in facts) == 5
    plain = sim.run(base, seed=1)
    assert all(x.endswith("kept to it.") for x in debrief(plain).splitlines() if x.startswith("- "))


def test_scenario_text_in_a_departure_is_escaped(tmp_path: Path, base: Path) -> None:
    body, _ = BREAKS["share_a"]
    path = variant(base, body + "\nexpectations: {share_a: {label: 'A *talks* <b>of</b> | x'}}")
    result = sim.run(path, seed=1)
    assert DEPARTS + r"A \*talks\* \<b>of\</b> \| x (s1, p1)." in transcript(result)
    assert r"- A \*talks\* \<b>of\</b> \| x (s1, p1): in every run;" in debrief(result)
    folder = write_run_folder(result, tmp_path / "run", figures=False)
    from sim.outputs.report import render_report

    html = render_report(folder, result=result)
    section = html[html.index('<section id="stylised-facts"') :]
    section = section[: section.index("</section>")]
    assert "A *talks* &lt;b&gt;of&lt;/b&gt; | x" in section and "<b>of" not in section
    assert "<td>departed from it</td>" in section and "<td>kept to it</td>" in section
    assert "<td>s1, p1</td>" in section and "<td>100%</td>" in section


def test_the_report_decides_on_the_replayed_run(tmp_path: Path, base: Path) -> None:
    result = sim.run(base, seed=2)
    folder = write_run_folder(result, tmp_path / "run", figures=False)
    from sim.outputs.report import render_report

    html = render_report(folder)  # replayed from the folder
    assert "Stylised facts (from the sources)" in html
    assert html.count("<td>kept to it</td>") == 7


def test_no_section_without_expectations(tmp_path: Path, base: Path) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text(BASE.split("expectations:")[0], encoding="utf-8")
    result = sim.run(plain, seed=2)
    folder = write_run_folder(result, tmp_path / "run", figures=False)
    from sim.outputs.report import render_report

    assert "stylised-facts" not in render_report(folder, result=result)
    assert fact_views(result) == []
