"""The room and its views: what each role's page may learn, and when (no HTTP here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.paths import resolve_scenario
from sim.play.core import PlaySession
from sim.play.shapes import PlayError
from sim.seminar import store
from sim.seminar.room import STATUS_QUO, TEXT_LIMIT, Room
from sim.seminar.views import DASHES, console_view, projector_view, team_view
from tests.seminar.helpers import FLAGSHIP, TEAM_A, TEAM_B, make_room, text, without_version

CANARY_A = "CANARY-alpha-7f3e"
CANARY_B = "CANARY-bravo-91c2"


def test_a_pending_choice_changes_nothing_another_team_or_the_projector_gets() -> None:
    room = make_room()
    room.close_turn()  # one resolved turn, so the views hold readings and history
    b_before = without_version(team_view(room, TEAM_B))
    projector_before = without_version(projector_view(room))
    console_before = console_view(room)
    room.submit(TEAM_A, "live_fire_drill", CANARY_A, 0.05)
    assert without_version(team_view(room, TEAM_B)) == b_before
    assert without_version(projector_view(room)) == projector_before
    console = console_view(room)
    assert CANARY_A not in text(console)
    # the console learns who has submitted, not what
    assert [t["submitted"] for t in console["teams"]] == [True, False]
    assert [t["submitted"] for t in console_before["teams"]] == [False, False]
    assert "live_fire_drill" not in text(console["teams"])
    # team A sees its own pending choice
    assert team_view(room, TEAM_A)["pending"] == {
        "move": "live_fire_drill",
        "text": CANARY_A,
        "claims": 0.05,
    }


def test_framing_is_private_until_the_turn_resolves_and_in_the_reveal_after() -> None:
    room = make_room()
    room.submit(TEAM_A, "statement_of_concern", CANARY_A)
    for view in (team_view(room, TEAM_B), projector_view(room), console_view(room)):
        assert CANARY_A not in text(view)
    room.submit(TEAM_B, "hold", CANARY_B)  # the last team: the turn resolves by itself
    assert room.session.played == 1
    projector = projector_view(room)
    assert projector["history"][0]["moves"][0]["framing"] == CANARY_A
    assert projector["reveal"] is None
    # team B sees A's public framing only if its state saw A's move
    c = room.session.model.compiled
    record = room.session.model.engine.records[-1]
    b_saw_a = bool(record.seen[c.index[TEAM_B], c.index[TEAM_A]])
    assert (CANARY_A in text(team_view(room, TEAM_B))) == b_saw_a
    room.reveal()
    reveal = projector_view(room)["reveal"]
    rows = {row["actor"]: row for row in reveal["moves"]}
    assert rows[TEAM_A]["framing"] == CANARY_A
    assert rows[TEAM_A]["meant"] == pytest.approx(
        float(record.hostility[c.index[TEAM_A]]), abs=1e-3
    )
    assert CANARY_A in text(team_view(room, TEAM_B))  # the reveal is public


def test_a_team_never_gets_others_meant_values_beliefs_or_its_credibility_before_reveal() -> None:
    room = make_room()
    room.submit(TEAM_A, "statement_of_concern", "ours")
    room.submit(TEAM_B, "command_post_exercise", "theirs")
    view = team_view(room, TEAM_B)
    situation = view["situation"]
    assert "credibility" not in situation
    # "meant" only for its own move
    assert text(view).count('"meant"') == 1
    assert situation["own_move"]["move"] == "command_post_exercise"
    # beliefs are B's own row: one per other actor
    c = room.session.model.compiled
    i = c.index[TEAM_B]
    state = room.session.model.engine.state
    others = [a for a in c.ids if a != TEAM_B]
    assert [b["actor"] for b in situation["beliefs"]] == others
    assert [b["belief"] for b in situation["beliefs"]] == [
        float(state.belief[i, c.index[a]]) for a in others
    ]
    # one tension series: its own
    assert [s["actor"] for s in view["chart"]["series"]] == [TEAM_B]
    room.reveal()
    assert "credibility" in team_view(room, TEAM_B)["situation"]


def test_repertoire_shows_rung_and_cost_of_every_allowed_move() -> None:
    room = make_room()
    view = team_view(room, TEAM_A)
    session = room.session
    assert [m["move"] for m in view["repertoire"]] == [ch["move"] for ch in session.choices(TEAM_A)]
    hold = next(m for m in view["repertoire"] if m["move"] == "hold")
    assert hold["rung"] == int(session.spec.moves["hold"].rung)
    assert hold["cost"] == float(session.spec.moves["hold"].cost)


def test_an_absent_team_plays_no_new_signal_when_quiet() -> None:
    room = make_room(absent="quiet")
    room.submit(TEAM_A, "statement_of_concern")
    room.close_turn()
    assert room.session.inputs[-1].moves == {TEAM_A: "statement_of_concern", TEAM_B: STATUS_QUO}
    assert room.absentees == [[TEAM_B]]
    assert console_view(room)["absent_last_turn"] == ["United States"]
    assert "absent" not in text(projector_view(room))


def test_an_absent_team_plays_its_policy_move_when_the_model_plays_for_it() -> None:
    seed = 20261203
    room = make_room(seed=seed, absent="model")
    room.submit(TEAM_A, "statement_of_concern")
    room.close_turn()
    # the same game with B played by the computer from the start makes the same move
    alone = PlaySession(resolve_scenario(FLAGSHIP), [TEAM_A], seed=seed)
    alone.choose(TEAM_A, "statement_of_concern")
    record = alone.resolve()
    c = alone.model.compiled
    expected = c.move_ids[int(record.move[c.index[TEAM_B]])]
    assert room.session.inputs[-1].moves[TEAM_B] == expected


def test_regenerate_gives_a_new_link_and_the_old_one_opens_nothing() -> None:
    room = make_room()
    old = room.tokens[f"team:{TEAM_A}"]
    assert room.role(old) == f"team:{TEAM_A}"
    new = room.regenerate(TEAM_A)
    assert new != old and len(new) >= 22
    assert room.role(old) is None
    assert room.role(new) == f"team:{TEAM_A}"
    assert room.role("") is None


def test_tokens_are_distinct_and_unguessable() -> None:
    room = make_room()
    tokens = list(room.tokens.values())
    assert len(set(tokens)) == len(tokens) == 4
    assert all(len(t) >= 22 for t in tokens)  # 16 random bytes, URL-safe


def test_undo_last_turn_gives_back_the_state_before_it() -> None:
    room = make_room()
    room.submit(TEAM_A, "hold")
    room.submit(TEAM_B, "hold")
    after_one = room.session.tensions()
    room.submit(TEAM_A, "live_fire_drill", CANARY_A)
    room.submit(TEAM_B, "statement_of_concern")
    room.reveal()
    assert room.session.played == 2
    assert room.undo_last_turn() == 1
    assert room.session.tensions() == after_one
    assert len(room.session.inputs) == 1 and CANARY_A not in text(projector_view(room))
    assert CANARY_A not in text(room.session.framings())
    assert not room.revealing
    with pytest.raises(PlayError, match="no turn"):
        make_room().undo_last_turn()


def test_event_text_is_kept_verbatim_in_the_public_record_and_the_transcript(
    tmp_path: Path,
) -> None:
    room = make_room()
    words = "A snap readiness check of long-range forces, announced at dawn"
    room.event("russia", 6, words)
    assert words in text(console_view(room))
    assert words not in text(projector_view(room))  # pending: not yet public
    room.close_turn()
    assert projector_view(room)["history"][0]["events"] == [{"name": "Russia", "text": words}]
    assert store.finish(room, tmp_path, ["sim", "seminar"], figures=False) == "run"
    assert words in (tmp_path / "run" / "transcript.md").read_text(encoding="utf-8")
    with pytest.raises(PlayError, match="ended"):
        room.submit(TEAM_A, "hold")


def test_saved_room_resumes_with_the_same_links_and_this_turns_steps(tmp_path: Path) -> None:
    room = make_room()
    room.on_change = store.saver(tmp_path)
    room.submit(TEAM_A, "hold", CANARY_A)
    room.submit(TEAM_B, "hold")
    room.submit(TEAM_A, "statement_of_concern", CANARY_B, 0.1)
    room.event("russia", 3, "a mid-turn event")
    back = store.load(tmp_path)
    assert back.tokens == room.tokens
    assert back.session.played == 1
    assert back.session.tensions() == room.session.tensions()
    assert back.submissions[TEAM_A].to_json() == {
        "move": "statement_of_concern",
        "text": CANARY_B,
        "claims": 0.1,
    }
    assert back.session.pending().events[0]["text"] == "a mid-turn event"
    assert back.session.inputs[0].framings == {TEAM_A: {"text": CANARY_A, "claims": None}}
    saved = json.loads((tmp_path / "room.json").read_text(encoding="utf-8"))
    assert saved["format"] == store.ROOM_FORMAT


def test_the_chart_uses_the_figures_palette_and_a_dash_pattern_per_actor() -> None:
    from sim.outputs.figures._common import PALETTE

    room = make_room()
    series = projector_view(room)["chart"]["series"]
    assert [s["colour"] for s in series] == list(PALETTE[: len(series)])
    assert [s["dash"] for s in series] == list(DASHES[: len(series)])
    assert len({s["dash"] for s in series}) == len(series) == 9


def test_a_room_refuses_bad_input() -> None:
    room = make_room()
    with pytest.raises(PlayError, match="may not choose"):
        room.submit(TEAM_A, "no_such_move")
    with pytest.raises(PlayError, match="at most"):
        room.submit(TEAM_A, "hold", "x" * (TEXT_LIMIT + 1))
    with pytest.raises(PlayError, match="between 0 and 1"):
        room.submit(TEAM_A, "hold", "ok", 1.5)
    with pytest.raises(PlayError, match="no team"):
        room.submit("russia", "hold")
    with pytest.raises(PlayError):
        Room(PlaySession(resolve_scenario(FLAGSHIP), [], seed=1))


def test_an_inject_that_may_not_repeat_cannot_be_fired_twice() -> None:
    room = make_room()
    key = "new_start_expires"
    assert room.session.spec.injects[key].repeat is False

    def entry() -> dict[str, object]:
        return next(i for i in console_view(room)["injects"] if i["inject"] == key)

    assert entry()["can_fire"] is True
    room.fire(key)
    assert entry()["can_fire"] is False  # set to fire this turn
    room.close_turn()
    after = entry()
    assert after["fired"] is True and after["can_fire"] is False and after["why_not"]
    with pytest.raises(PlayError):
        room.fire(key)
    assert "New START expires" in text(projector_view(room)["history"][0]["injects"])
