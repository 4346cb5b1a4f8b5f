"""Every name a scenario or ``--set`` can misspell gets a did-you-mean naming the right name.

The name-bearing fields are read from the schema (:func:`name_fields`), not
listed here: the example below must fill each of them, so a new field fails
this test until the example uses it, and then its typo is checked like the rest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import ScenarioError, UsageError
from sim.names import suggestions, unknown
from sim.scenario.loader import load_scenario, scenario_from_dict
from sim.scenario.references import name_fields, named
from sim.scenario.yamlsafe import parse

EXAMPLE = """\
metadata:
  title: Every name-bearing field
  sources:
    - {key: my-source, title: A source}
    - {key: assumption, title: Our own choices}
turns: 6
use_default_moves: false
actors:
  alpha:
    name: Alpha
    moves: [signal_calm, signal_alarm, joint_walk]
    reactions: {beta: 0.5}
    posture:
      restraint: {value: 0.5, basis: {source: my-source, part: p1, reasoning: r}}
  beta:
    name: Beta
    policy: {kind: scripted, script: {1: signal_alarm}, default_move: signal_calm}
  gamma:
    name: Gamma
relationships:
  alpha:
    gamma: {alignment: 0.5}
moves:
  signal_calm: {label: Calm, rung: 0, intended_hostility: 0.1, framed_hostility: 0.1}
  signal_alarm:
    label: Alarm
    rung: 2
    intended_hostility: 0.6
    framed_hostility: 0.4
    targets: [alpha]
    available_to: [beta]
  joint_walk:
    label: A joint walk
    rung: 1
    intended_hostility: 0.3
    framed_hostility: 0.2
    partners: [alpha, gamma]
    host: gamma
injects:
  opening:
    label: An opening
    when: {turn: 2}
    effects:
      - {move: {actor: alpha, move: signal_calm}}
      - {tension: {actor: beta, delta: 0.1}}
      - {posture: {actor: gamma, field: restraint, delta: 0.1}}
      - {alignment: {between: [alpha, beta], delta: 0.1}}
  later:
    label: Later
    when:
      all:
        - {metric: fired, inject: opening, op: "==", value: 1}
        - {metric: belief, actor: alpha, about: beta, op: ">", value: 0.1}
    effects: [{norms: 0.1}]
expectations:
  share:
    kind: move_share
    actors: [alpha]
    moves: [signal_calm]
    at_most: 1.0
    share: 0.5
  count:
    kind: move_count
    actors: [beta]
    moves: [signal_alarm]
    max: 6
    share: 0.5
  belief:
    kind: belief_bound
    actor: alpha
    about: beta
    below: 1.0
    over: end
    share: 0.5
  tension:
    kind: tension_bound
    actor: gamma
    below: 1.0
    over: end
    share: 0.5
  order:
    kind: order
    quantity: belief
    actor: alpha
    about: beta
    relation: above
    than_actor: gamma
    than_about: beta
    over: end
    share: 0.0
  reading:
    kind: reading
    sender: beta
    move: signal_alarm
    observers: [alpha]
    relation: within
    margin: 1.0
    share: 0.0
  versus:
    kind: versus
    against: bundled:richardson_stable
    quantity: move_share
    actor: alpha
    moves: [signal_calm]
    relation: below
    margin: 0.0
    over: mean
    share: 0.0
  versus_belief:
    kind: versus
    against: bundled:richardson_stable
    quantity: belief
    actor: alpha
    about: beta
    relation: below
    margin: 0.0
    over: mean
    share: 0.0
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "example.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _typo(name: str) -> str:
    """``name`` with one letter dropped (a one-letter typo nothing else is spelt as)."""
    k = len(name) // 2
    return name[:k] + name[k + 1 :]


def test_the_example_fills_every_name_bearing_field(tmp_path: Path) -> None:
    scenario = load_scenario(_write(tmp_path, EXAMPLE))
    filled = {site for _, _, _, site in named(scenario)}
    assert set(name_fields()) - filled == set(), "extend EXAMPLE to use these fields"


def _occurrences(tmp_path: Path) -> list[tuple[tuple[str | int, ...], str, str, str]]:
    return named(load_scenario(_write(tmp_path, EXAMPLE)))


def test_a_typo_in_every_name_bearing_field_names_the_right_name(tmp_path: Path) -> None:
    located = parse(EXAMPLE, "example.yaml")
    checked: set[str] = set()
    for path, kind, name, site in _occurrences(tmp_path):
        if site in checked:
            continue
        checked.add(site)
        marks = located.key_marks if site.endswith("[key]") else located.value_marks
        line = marks[path]
        lines = EXAMPLE.splitlines(keepends=True)
        row = lines[line.line - 1]
        at = row.index(name, line.column - 1)
        lines[line.line - 1] = row[:at] + _typo(name) + row[at + len(name) :]
        with pytest.raises(ScenarioError) as caught:
            load_scenario(_write(tmp_path, "".join(lines)))
        text = str(caught.value)
        typed = (*path[:-1], _typo(name)) if site.endswith("[key]") else path
        dotted = ".".join(map(str, typed))
        assert f"example.yaml:{line.line}:" in text, (site, text)
        assert f"{dotted}: unknown {kind} '{_typo(name)}'; did you mean '{name}'" in text, (
            site,
            text,
        )
    assert checked == set(name_fields())


@pytest.mark.parametrize(
    ("spot", "typo", "right"),
    [
        ("    policy: {kind: scripted,", "    policy: {kind: scripte,", "scripted"),
        ("        - {metric: fired,", "        - {metric: fire,", "fired"),
        ("    kind: move_count", "    kind: move_cont", "move_count"),
        ("      - {tension: {actor: beta", "      - {tensio: {actor: beta", "tension"),
        ("      restraint: {value", "      restrain: {value", "restraint"),
        ("    gamma: {alignment: 0.5}", "    gamma: {alignmen: 0.5}", "alignment"),
        ("    label: An opening", "    labl: An opening", "label"),
        ("turns: 6", "turn: 6", "turns"),
    ],
)
def test_a_typo_in_a_registry_name_or_a_key_names_the_right_one(
    tmp_path: Path, spot: str, typo: str, right: str
) -> None:
    assert spot in EXAMPLE
    with pytest.raises(ScenarioError) as caught:
        load_scenario(_write(tmp_path, EXAMPLE.replace(spot, typo, 1)))
    assert f"did you mean '{right}'" in str(caught.value), str(caught.value)


@pytest.mark.parametrize(
    ("setting", "right"),
    [
        ("actors.alph.posture.restraint=0.9", "alpha"),
        ("moves.signal_clm.intended=0.2", "signal_calm"),
        ("injects.openng.label=x", "opening"),
        ("actors.alpha.posture.restrant=0.9", "restraint"),
        ("actors.alpha.reactions.bta=0.5", "beta"),
        ("relationships.alpha.gamm.alignment=0.2", "gamma"),
        ("turn=8", "turns"),
        ("actors.beta.policy.default_move=signal_clm", "signal_calm"),
    ],
)
def test_a_typo_in_every_kind_of_set_path_names_the_right_name(
    tmp_path: Path, setting: str, right: str
) -> None:
    with pytest.raises((ScenarioError, UsageError)) as caught:
        load_scenario(_write(tmp_path, EXAMPLE), [setting])
    assert f"did you mean '{right}'" in str(caught.value), str(caught.value)


def test_set_never_creates_an_actor(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        load_scenario(_write(tmp_path, EXAMPLE), ["actors.delta.posture.restraint=0.9"])
    assert "unknown actor 'delta'" in str(caught.value)
    assert "(known: alpha, beta, gamma)" in str(caught.value)
    assert "add a new one in the scenario file" in str(caught.value)


def test_suggestions_offer_a_name_sharing_the_first_word() -> None:
    moves = ["command_post_exercise", "snap_readiness_check", "joint_drill", "hotline_call"]
    assert set(suggestions("snap_exercise", moves)) == {
        "snap_readiness_check",
        "command_post_exercise",
    }
    assert suggestions("rusia", ["usa", "china", "russia"]) == ["russia"]
    assert suggestions("zzz", moves) == []


def test_unknown_lists_the_known_names_when_at_most_ten() -> None:
    ten = [f"m{k}" for k in range(10)]
    assert unknown("move", "x", ten) == f"unknown move 'x' (known: {', '.join(ten)})"
    eleven = [*ten, "snap_check"]
    assert unknown("move", "snap_chek", eleven) == (
        "unknown move 'snap_chek'; did you mean 'snap_check'? (11 known moves)"
    )
    twelve = [*ten, "snap_readiness_check", "command_post_exercise"]
    assert unknown("move", "snap_exercise", twelve) == (
        "unknown move 'snap_exercise'; did you mean 'command_post_exercise' or "
        "'snap_readiness_check'? (known moves with 'snap' or 'exercise': "
        "snap_readiness_check, command_post_exercise; 12 moves in all)"
    )
    assert unknown("move", "x", eleven) == f"unknown move 'x' (known: {', '.join(eleven)})"
    many = [f"m{k}" for k in range(41)]
    assert unknown("move", "x", many) == "unknown move 'x' (41 known moves)"
    assert unknown("source", "s", [], "a new source goes under metadata.sources") == (
        "unknown source 's' (there are none yet; a new source goes under metadata.sources)"
    )


def test_scenario_from_dict_reports_references_too() -> None:
    data = parse(EXAMPLE, "example.yaml").data
    data["turns"] = "six"
    data["injects"]["opening"]["effects"][0]["move"]["actor"] = "alph"
    with pytest.raises(ScenarioError) as caught:
        scenario_from_dict(data)
    text = str(caught.value)
    assert "turns: expected a whole number" in text
    assert "unknown actor 'alph'; did you mean 'alpha'?" in text


def test_schema_and_reference_problems_come_in_one_pass_sorted_by_line(tmp_path: Path) -> None:
    text = (
        EXAMPLE.replace("turns: 6", "turns: six")
        .replace("      restraint: {value: 0.5,", "      restraint: {value: 1.5,")
        .replace("    reactions: {beta: 0.5}", "    reactions: {bta: 0.5}")
        .replace(
            "      - {move: {actor: alpha, move: signal_calm}}", "      - {move: {actor: alpha}}"
        )
        .replace("    sender: beta\n", "    sender: betta\n")
    )
    with pytest.raises(ScenarioError) as caught:
        load_scenario(_write(tmp_path, text))
    found = [
        (d.line, d.path, d.message.split(";")[0].split(":")[0]) for d in caught.value.diagnostics
    ]
    assert found == [
        (6, "turns", "expected a whole number, got text 'six'"),
        (12, "actors.alpha.reactions.bta", "unknown actor 'bta'"),
        (14, "actors.alpha.posture.restraint.value", "must be at most 1.0 (got 1.5)"),
        (44, "injects.opening.effects.0.move.move", "required key 'move' is missing"),
        (93, "expectations.reading.sender", "unknown actor 'betta'"),
    ], found


def test_a_host_that_is_no_partner_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(_write(tmp_path, EXAMPLE.replace("    host: gamma", "    host: beta")))
    assert "moves.joint_walk.host: 'host' must be one of the move's partners (alpha, gamma)" in (
        str(caught.value)
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("baltc", "baltc: no such file or bundled scenario; did you mean 'baltic.yaml'?"),
        ("baltic.yml", "baltic.yml: no such file or bundled scenario; did you mean 'baltic.yaml'?"),
        (
            "dec2025_joint_dril",
            "dec2025_joint_dril: no such file or bundled scenario; did you mean "
            "'dec2025_joint_drill'?",
        ),
        ("nothere.yaml", "nothere.yaml: no such file: check the path"),
        ("sub/baltic.yaml", "sub/baltic.yaml: no such file: check the path"),
    ],
)
def test_a_misspelt_scenario_name_suggests_a_file_here_or_a_bundled_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str, message: str
) -> None:
    from sim.paths import resolve_scenario

    (tmp_path / "baltic.yaml").write_text("turns: 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError) as caught:
        resolve_scenario(typed)
    assert str(caught.value) == message
