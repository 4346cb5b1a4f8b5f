"""Move libraries: the neutral core, domain libraries a scenario loads, merge order, warnings."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.errors import ScenarioError
from sim.scenario.loader import LIBRARY_FILE, load_scenario, read_scenario
from sim.scenario.references import open_library_moves
from tests.strategies import DEFAULT_MOVES

Write = Callable[[str, str], Path]

REPO = Path(__file__).resolve().parents[2]
LIBRARIES = LIBRARY_FILE.parent / "libraries"
MISSILE_DEFENCE = LIBRARIES / "missile_defence.yaml"

CORE_IDS = DEFAULT_MOVES  # the core library, in file order (tests/strategies.py)
DOMAIN_IDS = [
    "joint_missile_defence_drill",
    "missile_defence_announcement",
    "deployment_announcement",
    "live_fire_drill",
    "nuclear_testing_rhetoric",
]
# The order of the default library before the core became neutral: random draws are
# per move index, so the flagship family must keep it.
OLD_ORDER = CORE_IDS[:7] + DOMAIN_IDS

HEAD = """\
metadata:
  title: Library test
turns: 4
actors:
  north: {name: North}
  south: {name: South}
"""


def scenario(write: Write, body: str = "", name: str = "s.yaml") -> Path:
    return write(name, HEAD + textwrap.dedent(body))


def test_core_ids_order_and_ladder() -> None:
    s = load_scenario_text_free()
    assert list(s.moves) == CORE_IDS
    assert s.ladder is not None and len(s.ladder) == 9
    assert [r.label for r in s.ladder][5:] == [
        "major demonstration",
        "deployment announcement",
        "live demonstration",
        "explicit threat",
    ]
    assert {m: s.moves[m].rung for m in CORE_IDS[7:]} == {
        "partner_exercise": 5,
        "deployment_notice": 6,
        "live_fire_exercise": 7,
        "activity_pause": 0,
        "explicit_threat": 8,
    }
    assert all("second_strike" not in mv.tags for mv in s.moves.values())


def load_scenario_text_free() -> Any:
    from sim.scenario.loader import scenario_from_dict

    return scenario_from_dict(
        {"metadata": {"title": "t"}, "actors": {"a": {"name": "A"}, "b": {"name": "B"}}}
    )


FLAGSHIP_WORDS = re.compile(
    r"missile|nuclear|second.strike|strategic stability|golden dome|deterren|"
    r"china|chinese|russia|beijing|moscow|united states|washington|u\.s\.|america|"
    r"japan|tokyo|korea|seoul|australia|canberra|india|new delhi|nato|brussels|europe|"
    r"new start|hq-|s-400|s-500",
    re.IGNORECASE,
)


def _texts(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for k, v in node.items() for t in (*_texts(k), *_texts(v))]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return []


def test_the_core_has_no_word_of_the_flagship_topic() -> None:
    data = yaml.safe_load(LIBRARY_FILE.read_text(encoding="utf-8"))
    comments = [line for line in LIBRARY_FILE.read_text().splitlines() if "#" in line]
    found = [t for t in _texts(data) + comments if FLAGSHIP_WORDS.search(t)]
    assert found == []
    # a negative control: the domain library does have them
    assert any(
        FLAGSHIP_WORDS.search(t) for t in _texts(yaml.safe_load(MISSILE_DEFENCE.read_text()))
    )


def test_library_by_namespace_adds_its_moves_after_the_core(write: Write) -> None:
    path = scenario(write, "libraries: [library:missile_defence]\n")
    loaded = read_scenario(path)
    assert list(loaded.scenario.moves) == CORE_IDS + DOMAIN_IDS
    assert loaded.files == [path, MISSILE_DEFENCE]
    assert loaded.scenario_files == [path]
    assert loaded.scenario.libraries == ["library:missile_defence"]
    assert loaded.move_sources == dict.fromkeys(DOMAIN_IDS, "library:missile_defence")
    # the library rewords core moves, which keep their place and numbers
    acp = loaded.scenario.moves["arms_control_proposal"]
    assert acp.label == "arms-control proposal" and acp.cost == 0.5 and acp.rung == 0
    assert loaded.scenario.ladder is not None
    assert loaded.scenario.ladder[8].label == "strategic threat"


def test_library_as_a_sibling_file(write: Write) -> None:
    write(
        "my_moves.yaml",
        """\
        moves:
          border_patrol: {label: border patrol, rung: 4, intended_hostility: 0.4,
                          framed_hostility: 0.1}
          hold: {framing: Nothing new.}
        """,
    )
    path = scenario(write, "libraries: [my_moves.yaml]\n")
    loaded = read_scenario(path)
    assert list(loaded.scenario.moves) == [*CORE_IDS, "border_patrol"]
    assert loaded.scenario.moves["hold"].framing == "Nothing new."
    assert loaded.scenario.moves["hold"].visibility == 0.5  # other core fields kept
    assert loaded.files == [path, path.parent / "my_moves.yaml"]
    assert loaded.move_sources == {"border_patrol": "my_moves.yaml"}


def test_unknown_library_gets_a_did_you_mean(write: Write) -> None:
    path = scenario(write, "libraries: [library:missile_defense]\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (d,) = info.value.diagnostics
    assert (d.line, d.column, d.path) == (7, 13, "libraries.0")
    assert "no move library 'missile_defense'; did you mean 'library:missile_defence'?" in str(d)


def test_missing_sibling_library_and_wrong_namespace(write: Write) -> None:
    path = scenario(write, "libraries: [nope.yaml, bundled:jervis_spiral]\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    messages = [d.message for d in info.value.diagnostics]
    assert messages[0].startswith("no move library 'nope.yaml' here")
    assert messages[1] == "'bundled:' is not a kind of reference here (this field takes library:)"


def test_a_library_with_a_forbidden_key_is_refused_with_its_place(write: Write) -> None:
    write(
        "bad.yaml",
        """\
        moves:
          hold: {framing: x}
        actors:
          east: {name: East}
        """,
    )
    path = scenario(write, "libraries: [bad.yaml]\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (d,) = info.value.diagnostics
    assert d.file.endswith("bad.yaml") and (d.line, d.column) == (3, 1)
    assert "a move library holds only 'moves:' and 'ladder:', not 'actors'" in d.message


def test_a_library_move_with_a_bad_value_points_into_the_library(write: Write) -> None:
    write("bad.yaml", "moves:\n  hold: {rung: 99}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(scenario(write, "libraries: [bad.yaml]\n"))
    (d,) = info.value.diagnostics
    assert d.file.endswith("bad.yaml") and d.line == 2 and d.path == "moves.hold.rung"


def test_merge_order_core_then_libraries_in_order_then_the_scenario(write: Write) -> None:
    write("one.yaml", "moves:\n  hold: {framing: one, cost: 0.1}\n  extra: " + _MOVE + "\n")
    write("two.yaml", "moves:\n  hold: {framing: two}\n  extra: {label: second}\n")
    path = scenario(
        write,
        """\
        libraries: [one.yaml, two.yaml]
        moves:
          extra: {rung: 3}
        """,
    )
    s = load_scenario(path)
    assert s.moves["hold"].framing == "two"  # the later library wins
    assert s.moves["hold"].cost == 0.1  # a field only the first set survives
    assert s.moves["hold"].visibility == 0.5  # the core's value
    assert (s.moves["extra"].label, s.moves["extra"].rung) == ("second", 3)  # scenario last
    assert list(s.moves) == [*CORE_IDS, "extra"]


_MOVE = "{label: extra, rung: 2, intended_hostility: 0.3, framed_hostility: 0.2}"


def test_null_drops_a_move_and_keeps_the_order_of_the_rest(write: Write) -> None:
    path = scenario(
        write,
        """\
        libraries: [library:missile_defence]
        moves:
          partner_exercise: null
          deployment_notice: null
          live_fire_exercise: null
          activity_pause: null
          explicit_threat: null
          nuclear_testing_rhetoric: null
        """,
    )
    loaded = read_scenario(path)
    assert list(loaded.scenario.moves) == OLD_ORDER[:-1]
    assert "nuclear_testing_rhetoric" not in loaded.move_sources


def test_a_library_ladder_replaces_the_core_and_the_scenario_ladder_wins(write: Write) -> None:
    s = load_scenario(scenario(write, "libraries: [library:missile_defence]\n"))
    assert s.ladder is not None and s.ladder[5].label == "joint demonstration"
    own = "ladder:\n  - {label: low}\n  - {label: high}\nuse_default_moves: false\n"
    s2 = load_scenario(
        scenario(write, own + "moves:\n  m: " + _MOVE.replace("2", "1", 1), "o.yaml")
    )
    assert [r.label for r in s2.ladder or []] == ["low", "high"]


def test_extends_inherits_libraries_and_a_child_adds_or_clears(write: Write) -> None:
    write("mine.yaml", "moves:\n  extra: " + _MOVE + "\n")
    scenario(write, "libraries: [library:missile_defence]\n", "parent.yaml")
    child = write("child.yaml", "extends: parent.yaml\nlibraries: [mine.yaml]\n")
    loaded = read_scenario(child)
    assert loaded.scenario.libraries == ["library:missile_defence", "mine.yaml"]
    assert list(loaded.scenario.moves) == [*CORE_IDS, *DOMAIN_IDS, "extra"]
    assert loaded.files[-2:] == [MISSILE_DEFENCE, child.parent / "mine.yaml"]
    same = write("same.yaml", "extends: parent.yaml\nturns: 5\n")
    assert read_scenario(same).scenario.libraries == ["library:missile_defence"]
    again = write("again.yaml", "extends: parent.yaml\nlibraries: [library:missile_defence]\n")
    assert read_scenario(again).scenario.libraries == ["library:missile_defence"]  # once
    cleared = write("cleared.yaml", "extends: parent.yaml\nlibraries: null\n")
    loaded = read_scenario(cleared)
    assert loaded.scenario.libraries == [] and list(loaded.scenario.moves) == CORE_IDS


def test_set_cannot_change_libraries_but_knows_their_moves(write: Write) -> None:
    from sim.errors import UsageError

    path = scenario(write, "libraries: [library:missile_defence]\n")
    s = load_scenario(path, ["moves.nuclear_testing_rhetoric.rung=6"])
    assert s.moves["nuclear_testing_rhetoric"].rung == 6
    with pytest.raises(UsageError, match="cannot be changed with --set"):
        load_scenario(path, ["libraries=[]"])
    assert (
        read_scenario(path)
        .with_overrides(["moves.live_fire_drill.cost=0.2"])
        .moves["live_fire_drill"]
        .cost
        == 0.2
    )


FLAGSHIP_FAMILY = [
    "dec2025_joint_drill",
    "drills_2016_2017",
    "golden_dome",
    "india_balancing",
    "live_fire",
    "multilateral_future",
    "new_start_lapse",
    "transparency",
]


@pytest.mark.parametrize("name", FLAGSHIP_FAMILY)
def test_the_flagship_family_loads_missile_defence_in_the_old_order(name: str) -> None:
    loaded = read_scenario(REPO / "scenarios" / f"{name}.yaml")
    assert loaded.scenario.libraries == ["library:missile_defence"]
    assert MISSILE_DEFENCE in loaded.files
    ids = [m for m in loaded.scenario.moves if m in CORE_IDS or m in DOMAIN_IDS]
    assert ids == [m for m in OLD_ORDER if m in loaded.scenario.moves]
    assert not set(CORE_IDS[7:]) & set(loaded.scenario.moves)


def test_every_other_default_moves_scenario_uses_the_neutral_core() -> None:
    for path in sorted((REPO / "scenarios").glob("*.yaml")):
        if path.stem in FLAGSHIP_FAMILY:
            continue
        s = load_scenario(path)
        assert s.libraries == [], path.name
        assert not set(DOMAIN_IDS) & set(s.moves), path.name


def test_validate_warns_of_a_library_move_open_to_unmentioned_actors(write: Write) -> None:
    path = scenario(
        write,
        """\
        libraries: [library:missile_defence]
        moves:
          joint_missile_defence_drill: {partners: [north, south]}
          missile_defence_announcement: {available_to: [north]}
          deployment_announcement: {scripted_only: true}
          live_fire_drill: null
        """,
    )
    loaded = read_scenario(path)
    assert open_library_moves(loaded.scenario, loaded.move_sources) == [
        "move 'nuclear_testing_rhetoric' from library:missile_defence is open to every actor; "
        "restrict it with available_to or drop it (moves.nuclear_testing_rhetoric: null) "
        "(never tied to it: north, south)"
    ]


def test_no_warning_when_every_actor_is_tied_to_the_move(write: Write) -> None:
    path = scenario(
        write,
        """\
        libraries: [library:missile_defence]
        moves:
          joint_missile_defence_drill: {available_to: [north, south]}
          missile_defence_announcement: {available_to: [north]}
          deployment_announcement: {scripted_only: true}
          live_fire_drill: null
        injects:
          talk:
            label: Talk
            when: {turn: 2}
            effects:
              - move: {actor: north, move: nuclear_testing_rhetoric}
        """,
    )
    text = path.read_text().replace(
        "south: {name: South}",
        "south: {name: South, policy: {kind: scripted, script: {1: nuclear_testing_rhetoric}}}",
    )
    path.write_text(text)
    loaded = read_scenario(path)
    assert open_library_moves(loaded.scenario, loaded.move_sources) == []
    # core moves are never warned about, however open
    plain = read_scenario(scenario(write, "", "plain.yaml"))
    assert plain.move_sources == {} and open_library_moves(plain.scenario, {}) == []


def test_sim_validate_prints_the_warning_and_exits_zero(write: Write, capsys: Any) -> None:
    from sim.cli.main import main

    path = scenario(write, "libraries: [library:missile_defence]\n")
    assert main(["validate", str(path)]) == 0
    err = capsys.readouterr().err
    assert err.count(": warning: move '") == 5
    assert "move 'nuclear_testing_rhetoric' from library:missile_defence is open" in err
