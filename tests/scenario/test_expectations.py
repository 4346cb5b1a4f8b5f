"""``expectations:``: the schema of stylised facts, its messages, inheritance and registry."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.scenario.facts import kind_names
from sim.scenario.loader import load_scenario

HEAD = """\
metadata:
  title: Facts
  sources:
    - {key: s1, title: A source}
turns: 5
actors:
  usa: {name: U.S.}
  china: {name: China}
  russia: {name: Russia}
expectations:
"""


def load(tmp_path: Path, facts: str, name: str = "f.yaml") -> object:
    path = tmp_path / name
    path.write_text(HEAD + textwrap.indent(textwrap.dedent(facts), "  "), encoding="utf-8")
    return load_scenario(path)


def problems(tmp_path: Path, facts: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load(tmp_path, facts)
    return [str(d) for d in caught.value.diagnostics]


def test_every_kind_validates(tmp_path: Path) -> None:
    scenario = load(
        tmp_path,
        """\
        a: {kind: move_share, actors: [usa], moves: [explicit_threat], at_least: 0.1,
            share: 0.9, label: Washington makes a threat,
            basis: {source: s1, part: para 3, reasoning: a judgement}}
        b: {kind: move_count, moves: [live_fire_exercise], min: 1, max: 1, share: 0.9}
        c: {kind: belief_bound, actor: china, about: russia, below: 0.3, share: 0.95}
        d: {kind: tension_bound, above: 0.1, over: end, share: 0.5}
        e: {kind: order, quantity: tension, actor: usa, relation: below, than_actor: china,
            share: 0.5}
        f: {kind: reading, observers: [usa], sender: russia, move: live_fire_exercise,
            relation: above, share: 0.5}
        g: {kind: versus, against: f.yaml, quantity: tension, actor: usa, relation: above,
            share: 0.5}
        """,
    )
    facts = scenario.expectations  # type: ignore[attr-defined]
    assert [f.kind for f in facts.values()] == list(kind_names())
    assert facts["a"].basis.part == "para 3" and facts["a"].label == "Washington makes a threat"
    assert facts["c"].over == "every_turn" and facts["e"].over == "end"
    assert facts["b"].actors is None and facts["f"].margin == 0.0


@pytest.mark.parametrize(
    ("fact", "where", "message"),
    [
        (
            "x: {kind: move_shar, actors: [usa], moves: [hold], at_most: 0, share: 1}",
            "f.yaml:11:6: expectations.x",
            "unknown kind 'move_shar'; did you mean 'move_share'?",
        ),
        ("x: {share: 1}", "f.yaml:11:6: expectations.x", "required key 'kind' is missing"),
        (
            "x: {kind: belief_bound, actor: china, about: usa, belowe: 0.3, share: 1}",
            "f.yaml:11:53: expectations.x.belowe",
            "unknown key 'belowe'; did you mean 'below'?",
        ),
        (
            "x: {kind: move_share, actors: [usa, chna], moves: [hold], at_most: 0, share: 1}",
            "f.yaml:11:39: expectations.x.actors.1",
            "unknown actor 'chna'; did you mean 'china'?",
        ),
        (
            "x: {kind: move_count, moves: [explicit_threatt], max: 0, share: 1}",
            "f.yaml:11:33: expectations.x.moves.0",
            "unknown move 'explicit_threatt'; did you mean 'explicit_threat'?",
        ),
        (
            "x: {kind: reading, observers: [usa], sender: rusia, move: hold, relation: above, "
            "share: 1}",
            "f.yaml:11:48: expectations.x.sender",
            "unknown actor 'rusia'; did you mean 'russia'?",
        ),
        (
            "x: {kind: belief_bound, actor: china, about: usa, share: 1}",
            "f.yaml:11:6: expectations.x",
            "give 'above', 'below' or both",
        ),
        (
            "x: {kind: move_share, actors: [usa], moves: [hold], at_least: 0.5, at_most: 0.2, "
            "share: 1}",
            "f.yaml:11:6: expectations.x",
            "'at_least' is above 'at_most'",
        ),
        (
            "x: {kind: move_count, moves: [hold], min: 3, max: 2, share: 1}",
            "f.yaml:11:6: expectations.x",
            "'min' is above 'max'",
        ),
        (
            "x: {kind: tension_bound, below: 0.5, share: 1.5}",
            "f.yaml:11:47: expectations.x.share",
            "must be at most 1.0",
        ),
        (
            "x: {kind: order, quantity: belief, actor: usa, relation: above, than_actor: china, "
            "share: 1}",
            "f.yaml:11:6: expectations.x",
            "a belief ordering needs 'about' and 'than_about'",
        ),
        (
            "x: {kind: order, quantity: tension, actor: usa, about: china, relation: above, "
            "than_actor: china, share: 1}",
            "f.yaml:11:6: expectations.x",
            "a tension ordering takes no 'about' or 'than_about'",
        ),
        (
            "x: {kind: reading, observers: [usa, russia], sender: russia, move: hold, "
            "relation: above, share: 1}",
            "f.yaml:11:6: expectations.x",
            "the sender does not observe its own move",
        ),
        (
            "x: {kind: tension_bound, below: 0.5, share: 1, basis: {source: s2, part: p, "
            "reasoning: r}}",
            "f.yaml:11:66: expectations.x.basis.source",
            "unknown source 's2'",
        ),
        (
            "Bad: {kind: tension_bound, below: 0.5, share: 1}",
            "f.yaml:11:3: expectations.Bad",
            "not a valid identifier",
        ),
    ],
)
def test_errors_point_at_the_fact(tmp_path: Path, fact: str, where: str, message: str) -> None:
    found = problems(tmp_path, fact)
    assert len(found) == 1, found
    assert f"/{where}" in found[0] and message in found[0], found


def test_variants_inherit_expectations_and_drop_one_with_null(tmp_path: Path) -> None:
    load(
        tmp_path,
        """\
        keep: {kind: tension_bound, below: 0.9, share: 0.5}
        drop: {kind: tension_bound, above: 0.0, share: 0.5}
        """,
        "base.yaml",
    )
    child = tmp_path / "child.yaml"
    child.write_text(
        "extends: base.yaml\n"
        "metadata: {title: Child}\n"
        "expectations:\n"
        "  drop: null\n"
        "  keep: {share: 0.8}\n"
        "  more: {kind: move_count, moves: [hold], min: 0, share: 1}\n",
        encoding="utf-8",
    )
    facts = load_scenario(child).expectations
    assert list(facts) == ["keep", "more"]
    assert facts["keep"].share == 0.8 and facts["keep"].below == 0.9


def test_a_single_file_may_write_null_for_a_fact(tmp_path: Path) -> None:
    scenario = load(tmp_path, "gone: null\nthere: {kind: tension_bound, below: 1, share: 0}\n")
    assert list(scenario.expectations) == ["there"]  # type: ignore[attr-defined]


def test_declared_kinds_match_the_evaluators() -> None:
    from sim.model.expectations import EVALUATORS

    assert set(EVALUATORS) == set(kind_names())
    assert list(kind_names()) == [
        "move_share", "move_count", "belief_bound", "tension_bound", "order", "reading",
        "versus",
    ]  # fmt: skip


def test_a_half_registered_kind_stops_the_import() -> None:
    from sim.scenario.discovery import RegistryError, out_of_step

    with pytest.raises(RegistryError, match="declared without an implementation: \\['quiet'\\]"):
        out_of_step("fact kinds", {*kind_names(), "quiet"}, set(kind_names()), where="here")


def test_the_json_schema_and_reference_describe_every_kind() -> None:
    from sim.scenario.jsonschema import scenario_schema
    from sim.scenario.reference import markdown

    text = str(scenario_schema())
    for kind in kind_names():
        assert f"'{kind}'" in text
    reference = markdown()
    assert "expectations" in reference
    for kind in kind_names():
        assert kind in reference


def test_bundled_expectations_carry_a_basis() -> None:
    from sim.paths import scenarios_dir

    for path in sorted(scenarios_dir().glob("*.yaml")):
        for fid, fact in load_scenario(path).expectations.items():
            assert fact.basis is not None, f"{path.name}: expectations.{fid} has no basis"
