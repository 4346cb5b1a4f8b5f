"""The play core the seminar mode builds on: injects' limits, events' and teams' own texts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.play.core import PlaySession
from sim.play.shapes import MAX_TEXT, PlayError
from tests.conftest import FLAGSHIP

PERFECT = ["dynamics.perception=perfect"]
REPEAT = [
    "injects.new_start_expires.repeat=true",
    "injects.new_start_expires.limit.times=2",
    "injects.new_start_expires.limit.cooldown=1",
]


def _info(session: PlaySession, key: str) -> tuple[bool, str | None]:
    entry = next(i for i in session.injects() if i["inject"] == key)
    return entry["can_fire"], entry["why_not"]


def _turn(session: PlaySession, *fire: str) -> None:
    for key in fire:
        session.fire(key)
    for actor in session.waiting():
        session.choose(actor, "hold")
    session.resolve()


# ---------------------------------------------------------------- injects by hand


def test_an_inject_that_does_not_repeat_cannot_be_fired_twice_by_hand() -> None:
    session = PlaySession(FLAGSHIP, ["china"], seed=7, turns=10)
    assert _info(session, "new_start_expires") == (True, None)
    _turn(session, "new_start_expires")
    can, why = _info(session, "new_start_expires")
    assert not can
    assert why == (
        "'new_start_expires' already fired in turn 1 and fires only once "
        "(the scenario does not set repeat: true for it)"
    )
    with pytest.raises(PlayError, match="fires only once"):
        session.fire("new_start_expires")
    # nor does the scenario fire it again at its own turn (9): one rule, the engine's
    for _ in range(8):
        _turn(session)
    assert all("new_start_expires" not in r.injects for r in session.model.engine.records[1:])
    assert session.model.engine.records[0].injects.count("new_start_expires") == 1


def test_the_scenario_firing_also_counts_against_a_hand_firing() -> None:
    session = PlaySession(FLAGSHIP, ["china"], seed=7, turns=10)
    for _ in range(9):
        _turn(session)
    assert "new_start_expires" in session.model.engine.records[8].injects
    assert _info(session, "new_start_expires")[1] == (
        "'new_start_expires' already fired in turn 9 and fires only once "
        "(the scenario does not set repeat: true for it)"
    )


def test_a_repeating_inject_keeps_its_limit_and_cooldown() -> None:
    session = PlaySession(FLAGSHIP, ["china"], seed=7, turns=8, overrides=REPEAT)
    _turn(session, "new_start_expires")  # turn 1
    assert _info(session, "new_start_expires") == (
        False,
        "'new_start_expires' last fired in turn 1; its cooldown of 1 turn lets it fire "
        "again from turn 3",
    )
    with pytest.raises(PlayError, match="cooldown"):
        session.fire("new_start_expires")
    _turn(session)  # turn 2
    assert _info(session, "new_start_expires") == (True, None)
    _turn(session, "new_start_expires")  # turn 3: the second and last
    _turn(session)
    assert _info(session, "new_start_expires") == (
        False,
        "'new_start_expires' has fired 2 times, the most its limit allows (2)",
    )


def test_pending_and_due_injects_are_greyed_out_with_a_reason() -> None:
    session = PlaySession(FLAGSHIP, ["china"], seed=7, turns=3)
    due = session.due_injects()[0]["inject"]  # the drill, scheduled for turn 1
    assert _info(session, due) == (
        False,
        f"'{due}' fires this turn anyway (the scenario schedules it)",
    )
    session.fire("new_start_expires")
    assert _info(session, "new_start_expires") == (
        False,
        "'new_start_expires' is already set to fire this turn",
    )
    session.undo()
    assert _info(session, "new_start_expires") == (True, None)


# ---------------------------------------------------------------- events


def _observers(session: PlaySession, actor: str) -> list[int]:
    """Observers that see ``actor``'s moves undiscounted (not its partners)."""
    c = session.model.compiled
    i = c.index[actor]
    align = session.model.engine.state.alignment
    return [j for j in range(c.n) if j != i and align[j, i] <= 0.0]


def test_an_event_is_read_with_its_own_intended_hostility() -> None:
    session = PlaySession(FLAGSHIP, ["china"], seed=7, turns=3, overrides=PERFECT)
    session.choose("china", "hold")
    move = session.event("russia", 7, "Moscow announces a snap nuclear-forces check", 0.83)
    observers = _observers(session, "russia")
    record = session.resolve()
    c = session.model.compiled
    r = c.index["russia"]
    assert c.move_ids[int(record.move[r])] == move
    assert float(c.intended[c.move_index[move]]) != 0.83
    assert record.hostility[r] == 0.83
    assert observers and [float(record.perceived[j, r]) for j in observers] == [0.83] * len(
        observers
    )
    summary = session.summary()
    russia = next(m for m in summary["moves"] if m["actor"] == "russia")
    assert russia["text"] == "Moscow announces a snap nuclear-forces check"
    assert russia["by"] == "instructor"
    human = next(h for h in summary["humans"] if h["actor"] == "russia")
    assert human["meant"] == 0.83 and human["framed"] == 0.83  # the claim defaults to it


def test_without_intended_an_event_is_read_as_its_move() -> None:
    """Negative control: the event's move's own intended hostility is read."""
    session = PlaySession(FLAGSHIP, ["china"], seed=7, turns=3, overrides=PERFECT)
    session.choose("china", "hold")
    move = session.event("russia", 7, "Moscow announces a snap nuclear-forces check")
    observers = _observers(session, "russia")
    record = session.resolve()
    c = session.model.compiled
    r = c.index["russia"]
    own = float(c.intended[c.move_index[move]])
    assert [float(record.perceived[j, r]) for j in observers] == [own] * len(observers)


def test_event_values_and_texts_are_checked() -> None:
    session = PlaySession(FLAGSHIP, ["china"], seed=7, turns=3)
    with pytest.raises(PlayError, match="from 0 to 1"):
        session.event("russia", 7, "A drill", 1.2)
    with pytest.raises(PlayError, match=f"keep it to {MAX_TEXT}"):
        session.event("russia", 7, "x" * (MAX_TEXT + 1))
    session.event("russia", 7, "  A   drill\n at  sea ", 0.5)
    assert session.pending().events[0]["text"] == "A drill at sea"


# ---------------------------------------------------------------- teams' own framing


def test_framing_text_alone_changes_only_the_wording() -> None:
    plain = PlaySession(FLAGSHIP, ["china"], seed=7, turns=2)
    worded = PlaySession(FLAGSHIP, ["china"], seed=7, turns=2)
    plain.choose("china", "live_fire_drill")
    worded.choose("china", "live_fire_drill", {"text": "Routine  training.", "claims": None})
    a, b = plain.resolve(), worded.resolve()
    np.testing.assert_array_equal(a.perceived, b.perceived)
    np.testing.assert_array_equal(a.credibility, b.credibility)
    china = next(m for m in worded.summary()["moves"] if m["actor"] == "china")
    assert china["framing"] == "Routine training."
    assert next(m for m in plain.summary()["moves"] if m["actor"] == "china")["framing"] is None


def test_a_framing_claim_sets_the_framed_value() -> None:
    plain = PlaySession(FLAGSHIP, ["china"], seed=7, turns=2)
    claimed = PlaySession(FLAGSHIP, ["china"], seed=7, turns=2)
    plain.choose("china", "live_fire_drill")
    claimed.choose("china", "live_fire_drill", {"text": "Purely defensive.", "claims": 0.0})
    a, b = plain.resolve(), claimed.resolve()
    assert not np.array_equal(a.perceived, b.perceived)
    assert a.hostility.tolist() == b.hostility.tolist()  # what China meant is unchanged
    human = next(h for h in claimed.summary()["humans"] if h["actor"] == "china")
    assert human["framed"] == 0.0 and human["framing"] == "Purely defensive."


@pytest.mark.parametrize(
    ("framing", "message"),
    [
        ({"text": "x" * (MAX_TEXT + 1), "claims": None}, f"keep it to {MAX_TEXT}"),
        ({"text": "   ", "claims": None}, "empty"),
        ({"text": "fine", "claims": 1.5}, "from 0 to 1"),
        ({"text": "fine", "claims": None, "tone": "x"}, "only 'text' and 'claims'"),
    ],
)
def test_a_bad_framing_is_refused(framing: dict[str, object], message: str) -> None:
    session = PlaySession(FLAGSHIP, ["china"], seed=7, turns=2)
    with pytest.raises(PlayError, match=message):
        session.choose("china", "hold", framing)  # type: ignore[arg-type]
    assert session.waiting() == ["china"]


def test_choosing_again_or_undoing_drops_the_framing() -> None:
    session = PlaySession(FLAGSHIP, ["china"], seed=7, turns=2)
    session.choose("china", "hold", {"text": "We wait.", "claims": 0.1})
    session.choose("china", "hold")
    assert session.pending().framings == {}
    session.choose("china", "hold", {"text": "We wait.", "claims": 0.1})
    session.undo()
    assert session.pending().framings == {}


# ---------------------------------------------------------------- save and resume


def test_a_saved_game_with_an_event_a_framing_and_an_inject_replays_exactly(
    tmp_path: Path,
) -> None:
    session = PlaySession(FLAGSHIP, ["china", "united_states"], seed=23, turns=6)
    session.choose("china", "live_fire_drill", {"text": "<b>Routine</b> *drill*", "claims": 0.2})
    session.choose("united_states", "statement")
    session.fire("new_start_expires")
    session.event("russia", 6, "Moscow puts bombers on alert", 0.9, framed=0.4)
    session.resolve()
    session.choose("china", "hold", {"text": "We wait.", "claims": None})
    session.choose("united_states", "hold")
    session.resolve()
    path = session.save(tmp_path / "game.json")
    again = PlaySession.load(path)
    assert [i.to_json() for i in again.inputs] == [i.to_json() for i in session.inputs]
    assert again.inputs[0].events[0]["framed"] == 0.4
    assert again.inputs[0].framings["china"] == {"text": "<b>Routine</b> *drill*", "claims": 0.2}
    for old, new in zip(session.model.engine.records, again.model.engine.records, strict=True):
        for name in ("move", "hostility", "perceived", "belief", "credibility", "tension"):
            np.testing.assert_array_equal(getattr(old, name), getattr(new, name))
        assert old.injects == new.injects and old.human == new.human
    assert again.summary() == session.summary()


def test_a_game_saved_in_the_older_format_still_loads(tmp_path: Path) -> None:
    """sim-play/2 had no framings and no event values: its events replay as their move."""
    import json

    session = PlaySession(FLAGSHIP, ["china"], seed=23, turns=3)
    session.choose("china", "hold")
    session.event("russia", 6, "Moscow puts bombers on alert")  # the move's own values
    session.resolve()
    path = session.save(tmp_path / "game.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["format"] = "sim-play/2"
    for turn in data["inputs"]:
        del turn["framings"]
        for event in turn["events"]:
            del event["intended"], event["framed"]
    path.write_text(json.dumps(data), encoding="utf-8")
    again = PlaySession.load(path)
    assert again.inputs[0].events[0]["intended"] is None
    # as played before events had values: the move's own intended and framed hostility
    same = PlaySession(FLAGSHIP, ["china"], seed=23, turns=3)
    same.choose("china", "hold")
    c = same.model.compiled
    move = session.inputs[0].events[0]["move"]
    framed = float(c.framed[c.move_index[move]])
    same.event("russia", 6, "Moscow puts bombers on alert", framed=framed)
    same.resolve()
    np.testing.assert_array_equal(
        again.model.engine.records[0].perceived, same.model.engine.records[0].perceived
    )
    assert not np.array_equal(  # and a new event claims what it means: a different turn
        again.model.engine.records[0].perceived, session.model.engine.records[0].perceived
    )


def test_the_reveal_measures_each_gap_from_what_was_meant_toward_that_reader() -> None:
    # China and Russia are partners (alignment > 0): toward Russia, China means
    # only (1 - A) of its move; toward a rival, all of it (docs/model.md 7.5).
    session = PlaySession(FLAGSHIP, ["china"], seed=11, turns=2)
    session.choose("china", "statement_of_concern")
    record = session.resolve()
    c = session.model.compiled
    i = c.index["china"]
    hostility = float(record.hostility[i])
    (china,) = [h for h in session.summary(record)["humans"] if h["actor"] == "china"]
    by_reader = {r["observer"]: r for r in china["readings"]}
    for reader, r in by_reader.items():
        j = c.index[reader]
        share = 1.0 - max(0.0, float(record.alignment[j, i]))
        assert r["meant"] == pytest.approx(share * hostility, abs=1e-12)
        assert r["gap"] == pytest.approx(r["perceived"] - share * hostility, abs=1e-12)
    assert by_reader["russia"]["meant"] < 0.5 * hostility  # a close partner
    assert by_reader["united_states"]["meant"] == pytest.approx(hostility)  # a rival


def test_a_played_games_events_csv_keeps_the_teams_and_the_instructors_words(
    tmp_path: Path,
) -> None:
    import csv

    from sim.play.folder import write_play_folder

    session = PlaySession(FLAGSHIP, ["china"], seed=7, turns=1)
    session.choose("china", "statement_of_concern", framing={"text": "=1+1 we stay calm"})
    session.event("russia", 7, "Moscow orders a snap readiness check")
    session.resolve()
    write_play_folder(session, tmp_path / "run", command=["play"], figures=False)
    with (tmp_path / "run" / "events.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    texts = {(r["sender"], r["text"]) for r in rows}
    assert ("china", "'=1+1 we stay calm") in texts  # a formula is never run
    assert ("russia", "Moscow orders a snap readiness check") in texts
    assert {r["text"] for r in rows if r["sender"] not in ("china", "russia")} == {""}
