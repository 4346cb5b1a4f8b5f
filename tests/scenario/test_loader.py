"""Loading scenarios: validation messages with file:line:column, extends, overrides."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sim.errors import ScenarioError, UsageError
from sim.scenario.loader import LIBRARY_FILE, load_scenario, parse_override, read_scenario
from sim.scenario.policies import kind_names
from sim.scenario.schema import Scenario
from tests.conftest import FLAGSHIP, SMALL, one_of

Write = Callable[[str, str], Path]


def messages(exc: pytest.ExceptionInfo[ScenarioError]) -> list[str]:
    return [str(d).split(":", 1)[1] if ":" in str(d) else str(d) for d in exc.value.diagnostics]


def test_small_scenario_loads(small: Path) -> None:
    s = load_scenario(small)
    assert isinstance(s, Scenario)
    assert s.actor_ids == ["red", "blue", "green"]
    assert s.metadata.id == "small"
    assert s.actors["red"].posture.resolve.value == 0.6
    assert s.actors["red"].posture.restraint.value == 0.5  # default
    assert s.actors["green"].policy.kind == "tit_for_tat"
    assert "joint_missile_defence_drill" in s.moves  # default library merged
    assert s.top_rung == 8


def test_flagship_loads_with_bases_everywhere() -> None:
    s = load_scenario(FLAGSHIP)
    assert len(s.actors) >= 9
    for aid, actor in s.actors.items():
        for name in type(actor.posture).model_fields:
            assert getattr(actor.posture, name).basis is not None, f"{aid}.{name} lacks a basis"
        assert actor.initial_tension.basis is not None
    assert "disagree" in s.metadata.notes.lower() or "HQ-19" in s.metadata.notes


def test_all_errors_at_once_with_positions(write: Write) -> None:
    path = write(
        "bad.yaml",
        """\
        metadata:
          title: Bad
        turns: "30"
        actors:
          a:
            name: A
            posture:
              restrant: 0.4
              resolve: 1.5
          b:
            name: B
            policy: {kind: hawkish}
        """,
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    text = [str(d) for d in info.value.diagnostics]
    shown = str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)
    assert text == [
        f"{shown}:3:8: turns: expected a whole number, got text '30': remove the quotes",
        f"{shown}:8:7: actors.a.posture.restrant: unknown key 'restrant'; did you mean "
        "'restraint'?",
        f"{shown}:9:16: actors.a.posture.resolve.value: must be at most 1.0 (got 1.5)",
        f"{shown}:12:20: actors.b.policy.kind: 'hawkish' is not one of "
        f"{one_of(kind_names())}; did you mean 'hawk'?",
    ]


def test_missing_required_and_wrong_shapes(write: Write) -> None:
    path = write("bad.yaml", "metadata: {}\nactors: [a, b]\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    found = {(d.line, d.path, d.message) for d in info.value.diagnostics}
    assert (1, "metadata.title", "required key 'title' is missing: add it") in found
    assert (2, "actors", "expected a mapping of keys, got a list") in found


def test_reference_errors(write: Write) -> None:
    path = write(
        "refs.yaml",
        """\
        metadata: {title: Refs}
        actors:
          alpha: {name: A, moves: [hold, jump]}
          beta: {name: B}
        relationships:
          alpha: {gama: {alignment: 0.1}, beta: {alignment: 0.2}}
          beta: {alpha: {alignment: 0.3}}
        injects:
          x:
            label: X
            when: {all: [{metric: belief, actor: alfa, about: beta, op: '>', value: 0.5}]}
            effects: [{move: {actor: beta, move: hold}}]
        """,
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    got = [(d.line, d.path, d.message.split(" (known")[0]) for d in info.value.diagnostics]
    assert got == [
        (3, "actors.alpha.moves.1", "unknown move 'jump'"),
        (6, "relationships.alpha.gama", "unknown actor 'gama'"),
        (
            7,
            "relationships.beta.alpha",
            "pair declared twice (also as relationships.alpha.beta): pairs are unordered, so "
            "beta.alpha and alpha.beta are one pair; keep relationships.alpha.beta and move this "
            "entry's fields into it",
        ),
        (11, "injects.x.when.all.0.actor", "unknown actor 'alfa'; did you mean 'alpha'?"),
    ]


def test_nan_and_strict_bool(write: Write) -> None:
    path = write(
        "nan.yaml",
        "metadata: {title: T}\nuse_default_moves: no\nactors:\n  a: {name: A, posture: "
        "{resolve: .nan}}\n  b: {name: B}\n",
    )
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    got = {(d.path, d.message) for d in info.value.diagnostics}
    assert ("use_default_moves", "expected true or false, got text 'no'") in got
    assert ("actors.a.posture.resolve.value", "must be a finite number, got nan") in got


def test_top_level_list_and_missing_file(write: Write, tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="the file holds a list"):
        load_scenario(write("list.yaml", "- a\n- b\n"))
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "nope.yaml")


# ------------------------------------------------------------------ extends


def test_extends_merges_mappings_and_replaces_lists(write: Write, small: Path) -> None:
    variant = write(
        "variant.yaml",
        """\
        extends: small.yaml
        metadata: {title: Variant}
        actors:
          red:
            posture: {restraint: 0.9}
            moves: [hold, statement_of_concern]
        injects:
          drill: null
        """,
    )
    base = load_scenario(small)
    s = load_scenario(variant)
    assert s.metadata.title == "Variant"
    assert s.metadata.sources == base.metadata.sources
    assert s.actors["red"].posture.restraint.value == 0.9
    assert s.actors["red"].posture.resolve == base.actors["red"].posture.resolve  # kept
    assert s.actors["red"].moves == ["hold", "statement_of_concern"]
    assert "drill" not in s.injects
    assert s.relationships == base.relationships
    loaded = read_scenario(variant)
    assert loaded.scenario_files == [variant, small]
    library = (LIBRARY_FILE.parent / "libraries" / "missile_defence.yaml").resolve()
    assert loaded.files == [variant, small, library]  # the library the parent loads, last


def test_extends_errors_point_into_the_right_file(write: Write, small: Path) -> None:
    variant = write("v.yaml", "extends: small.yaml\nactors:\n  red:\n    posture: {resolve: 2}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(variant)
    [d] = info.value.diagnostics
    assert d.file.endswith("v.yaml") and (d.line, d.column) == (4, 24)


def test_extends_cycle_and_outside_folder(write: Write, tmp_path: Path) -> None:
    write("a.yaml", "extends: b.yaml\n")
    write("b.yaml", "extends: a.yaml\n")
    with pytest.raises(ScenarioError, match=r"cycle in 'extends' \(a.yaml -> b.yaml -> a.yaml\)"):
        load_scenario(tmp_path / "a.yaml")
    outside = write("c.yaml", "extends: ../elsewhere.yaml\n")
    with pytest.raises(ScenarioError, match="outside this scenario's folder"):
        load_scenario(outside)
    missing = write("d.yaml", "extends: smal.yaml\n")
    write("small.yaml", SMALL)
    with pytest.raises(ScenarioError, match=r"did you mean 'small\.yaml'"):
        load_scenario(missing)


# ------------------------------------------------------------------ overrides


def test_overrides(small: Path) -> None:
    s = load_scenario(
        small,
        [
            "turns=40",
            "actors.red.posture.restraint=0.1",
            "actors.blue.policy=hawk",
            "metadata.title='A new title'",
            "injects.drill=null",
        ],
    )
    assert s.turns == 40
    assert s.actors["red"].posture.restraint.value == 0.1
    assert s.actors["blue"].policy.kind == "hawk"
    assert s.metadata.title == "A new title"
    assert s.injects == {}


def test_override_errors_name_the_override(small: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(small, ["actors.red.posture.resolve=7"])
    [d] = info.value.diagnostics
    assert d.file == "--set actors.red.posture.resolve=7"
    assert d.message == "must be at most 1.0 (got 7)"
    with pytest.raises(UsageError, match=r"expected dotted\.path=value"):
        parse_override("turns")
    assert parse_override("a.b= 0.5") == (["a", "b"], 0.5)


def test_override_of_an_unknown_actor_or_move_is_refused_with_a_suggestion(small: Path) -> None:
    with pytest.raises(UsageError) as info:
        load_scenario(small, ["actors.rde.posture.restraint=0.9"])
    assert "unknown actor 'rde'; did you mean 'red'?" in str(info.value)
    with pytest.raises(UsageError, match=r"unknown actor 'zzz' \(known: red, "):
        load_scenario(small, ["actors.zzz.posture.restraint=0.9"])
    with pytest.raises(UsageError, match="did you mean 'statement_of_concern'"):
        load_scenario(small, ["moves.statment_of_concern.rung=1"])
    # a move of the default library may be changed, as a variant may change it
    assert (
        load_scenario(small, ["moves.statement_of_concern.rung=2"])
        .moves["statement_of_concern"]
        .rung
        == 2
    )


def test_override_values_are_yaml_flow_lists_and_mappings_too(small: Path) -> None:
    assert parse_override("actors.red.moves=[hold, statement_of_concern]") == (
        ["actors", "red", "moves"],
        ["hold", "statement_of_concern"],
    )
    assert parse_override("x={a: 1, b: [2]}")[1] == {"a": 1, "b": [2]}
    assert parse_override("x='[not a list]'")[1] == "[not a list]"
    with pytest.raises(UsageError, match="YAML syntax"):
        parse_override("x=[a, {b")


def test_override_of_extends_is_refused(small: Path) -> None:
    with pytest.raises(UsageError, match="cannot be changed with --set"):
        load_scenario(small, ["extends=other.yaml"])


def test_resolved_form_round_trips(tmp_path: Path) -> None:
    from sim.outputs.run_folder import resolved_yaml

    s = load_scenario(FLAGSHIP)
    path = tmp_path / "resolved.yaml"
    path.write_text(resolved_yaml(s), encoding="utf-8")
    again = load_scenario(path)
    skip = {"metadata", "use_default_moves"}
    assert again.model_dump(exclude=skip) == s.model_dump(exclude=skip)
    assert again.metadata.title == s.metadata.title
