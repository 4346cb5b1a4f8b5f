"""The Markdown transcript (sim/outputs/transcript.py).

The golden test compares the transcript of a small, self-contained scenario
(``tests/golden/transcript_scenario.yaml``, seed 7) with
``tests/golden/transcript_small.md`` character for character. When a change
to the wording or to the model is intended, regenerate the golden file and
read the diff before committing it::

    UPDATE_GOLDEN=1 PYTHONPATH=. python -m pytest tests/outputs/test_transcript.py

With ``UPDATE_GOLDEN=1`` the golden test rewrites the file instead of
comparing (and passes). The other tests check properties that must hold for
any run, on both the small scenario and the flagship.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest

from sim.model.mesa_model import EscalationModel
from sim.model.results import RunResult
from sim.outputs.transcript import (
    AS_MEANT,
    MINUS,
    gap_phrase,
    interpretation,
    noun_phrase,
    reading_phrase,
    signed,
    transcript,
    verb_phrase,
    write_transcript,
)
from tests.conftest import FLAGSHIP

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
SCENARIO = GOLDEN / "transcript_scenario.yaml"
EXPECTED = GOLDEN / "transcript_small.md"
SEED = 7


def run(path: Path, seed: int) -> RunResult:
    return EscalationModel(str(path), rng=seed, collect=False).run()


@pytest.fixture(scope="module")
def small() -> RunResult:
    return run(SCENARIO, SEED)


@pytest.fixture(scope="module")
def flagship() -> RunResult:
    return run(FLAGSHIP, 2025)


@pytest.fixture(scope="module", params=["small", "flagship"])
def result(request: pytest.FixtureRequest) -> RunResult:
    r: RunResult = request.getfixturevalue(request.param)
    return r


def voice(r: RunResult, actor: str) -> str:
    spec = r.scenario.actors[actor]
    return spec.voice or spec.name


def sections(text: str) -> dict[int, str]:
    """Turn number -> the text of its ``### Turn N`` section."""
    parts = re.split(r"^### Turn (\d+)\n", text, flags=re.M)
    out = {}
    for k in range(1, len(parts), 2):
        body = parts[k + 1].split("\n## ", 1)[0]
        out[int(parts[k])] = body
    return out


# ------------------------------------------------------------------ golden


def test_golden_transcript(small: RunResult) -> None:
    text = transcript(small)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        EXPECTED.write_text(text, encoding="utf-8", newline="\n")
        return
    if not EXPECTED.exists():
        pytest.fail(f"{EXPECTED} is missing; create it with UPDATE_GOLDEN=1")
    expected = EXPECTED.read_text(encoding="utf-8")
    assert text == expected, (
        "transcript differs from the golden file; if the change is intended, rerun with "
        "UPDATE_GOLDEN=1 and review the diff"
    )


def test_golden_scenario_exercises_the_features(small: RunResult) -> None:
    # The golden file is only useful if it covers injects, chains and miscalculations.
    assert small.turns == 6
    assert len(small.compiled.ids) in (3, 4)
    assert not small.injects.empty
    assert int(small.links.miscalculation.sum()) >= 1
    assert int(small.links.chain_depth.max()) >= 2


# ------------------------------------------------------------------ structure


def test_sections_and_header(result: RunResult) -> None:
    text = transcript(result)
    title = result.scenario.metadata.title
    assert text.startswith(f"# {title} — transcript\n")
    assert f"Seed {result.seed};" in text
    assert result.scenario.metadata.turn_meaning in text
    heads = re.findall(r"^## (.+)$", text, flags=re.M)
    assert heads == ["Turning points", "Turn by turn", "Where it ended"]
    assert sorted(sections(text)) == list(range(1, result.turns + 1))
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text


def test_every_inject_label_appears_under_its_turn(result: RunResult) -> None:
    by_turn = sections(transcript(result))
    assert not result.injects.empty
    for row in result.injects.itertuples():
        label = result.scenario.injects[row.inject].label
        assert f"**Event:** {label}" in by_turn[int(row.turn)]
        others = [t for t, body in by_turn.items() if t != row.turn]
        assert all(f"**Event:** {label}" not in by_turn[t] for t in others)


def test_miscalculation_lines_match_links(result: RunResult) -> None:
    text = transcript(result)
    lines = [line for line in text.splitlines() if "**Miscalculation:**" in line]
    assert len(lines) == int(result.links.miscalculation.sum())
    # and each one sits in the turn of its link
    by_turn = sections(text)
    for row in result.links[result.links.miscalculation].itertuples():
        assert f"**Miscalculation:** {voice(result, row.responder)}" in by_turn[int(row.turn)]


def test_largest_gap_names_the_right_pair(result: RunResult) -> None:
    text = transcript(result)
    ev = result.events[result.events.observed]
    row = ev.loc[ev.gap.abs().idxmax()]
    line = next(x for x in text.splitlines() if x.startswith("- **Largest perception gap**"))
    obs, snd = voice(result, row.observer), voice(result, row.sender)
    assert f"[turn {int(row.turn)}](#turn-{int(row.turn)})" in line
    assert re.search(rf": {re.escape(obs)} read {re.escape(snd)}'s? ", line), line
    assert f"gap {signed(row.gap)}" in line


def test_peak_turning_point_uses_mean_tension(result: RunResult) -> None:
    text = transcript(result)
    mean = result.arrays.tension.mean(axis=1)
    peak = int(np.argmax(mean))
    line = next(x for x in text.splitlines() if x.startswith("- **Tension peak**"))
    if peak == 0:
        assert "(the start)" in line
    else:
        assert f"[turn {peak}](#turn-{peak})" in line
    assert f"{mean[peak]:.2f}" in line


def test_anchors_point_at_headings(result: RunResult) -> None:
    text = transcript(result)
    targets = {int(t) for t in re.findall(r"\]\(#turn-(\d+)\)", text)}
    assert targets
    assert targets <= set(sections(text))


def test_every_actor_is_narrated_or_quiet_each_turn(result: RunResult) -> None:
    by_turn = sections(transcript(result))
    voices = [voice(result, a) for a in result.compiled.ids]
    for t, body in by_turn.items():
        quiet_line = next((x for x in body.splitlines() if x.startswith("Quiet:")), "")
        # a joint move names all its partners in one bold subject ("**A and B**")
        subjects = re.findall(r"^- \*\*(.+?)\*\* ", body, flags=re.M)
        named = {name.lower() for s in subjects for name in re.split(r", | and ", s)}
        for v in voices:
            narrated = v.lower() in named
            quiet = v in quiet_line or quiet_line == "Quiet: everyone."
            assert narrated != quiet, (t, v)


def test_narrated_moves_most_escalatory_first(result: RunResult) -> None:
    by_turn = sections(transcript(result))
    for body in by_turn.values():
        rungs = [int(m) for m in re.findall(r"^- \*\*.+?\*\* .*?\(rung (\d+)", body, flags=re.M)]
        assert rungs == sorted(rungs, reverse=True)


def test_readings_capped_and_ordered(result: RunResult) -> None:
    text = transcript(result, max_readings=2)
    gaps: dict[str, list[float]] = {}  # a joint move's parts are capped and ordered apart
    for line in [*text.splitlines(), "- end"]:
        if line.startswith("  - "):
            m = re.search(r"gap ([+−±])(\d\.\d\d)\)", line)
            assert m, line
            part = re.search(r" reads? (.+?)'s? part as ", line)
            gaps.setdefault(part.group(1) if part else "", []).append(float(m.group(2)))
        elif gaps:
            for part_gaps in gaps.values():
                assert len(part_gaps) <= 2
                assert part_gaps == sorted(part_gaps, reverse=True)
            gaps = {}
    assert "\n  - " not in transcript(result, max_readings=0)


def test_numbers_use_real_minus(result: RunResult) -> None:
    text = transcript(result)
    assert not re.search(r"(?<![\w-])-\d", text)  # no ASCII minus before a digit
    assert MINUS in text


def test_ending_table_sorted_high_to_low(result: RunResult) -> None:
    text = transcript(result)
    table = text.split("## Where it ended", 1)[1].strip().splitlines()[2:]
    assert len(table) == len(result.compiled.ids)
    values = [float(row.split("|")[2]) for row in table]
    assert values == sorted(values, reverse=True)


def test_deterministic(small: RunResult) -> None:
    assert transcript(small) == transcript(small)
    assert transcript(run(SCENARIO, SEED)) == transcript(small)


def test_write_transcript(small: RunResult, tmp_path: Path) -> None:
    path = tmp_path / "transcript.md"
    write_transcript(small, path)
    data = path.read_bytes()
    assert b"\r\n" not in data
    assert data.decode("utf-8") == transcript(small)


# ------------------------------------------------------------------ wording


@pytest.mark.parametrize(
    ("perceived", "words"),
    [
        (1.0, "a threat"),
        (0.8, "a threat"),
        (0.79, "a coercive signal"),
        (0.6, "a coercive signal"),
        (0.5999, "a coercive signal"),  # printed as 0.60, so read as 0.60
        (0.594, "pressure"),
        (0.4, "pressure"),
        (0.39, "a routine move"),
        (0.2, "a routine move"),
        (0.19, "reassurance"),
        (0.0, "reassurance"),
    ],
)
def test_interpretation_thresholds(perceived: float, words: str) -> None:
    assert interpretation(perceived) == words


@pytest.mark.parametrize(
    ("gap", "words"),
    [
        (0.5, "far more hostile than meant"),
        (0.3, "far more hostile than meant"),
        (0.29, "more hostile than meant"),
        (0.1, "more hostile than meant"),
        (0.55 - 0.45, "more hostile than meant"),  # float noise around the bound
        (0.09, AS_MEANT),
        (0.0, AS_MEANT),
        (-0.09, AS_MEANT),
        (-0.1, "less hostile than meant"),
        (0.45 - 0.55, "less hostile than meant"),
        (-0.6, "less hostile than meant"),
    ],
)
def test_gap_thresholds(gap: float, words: str) -> None:
    assert gap_phrase(gap) == words


def test_reading_phrase_and_signs() -> None:
    assert reading_phrase(0.62, 0.17) == "a coercive signal — more hostile than meant"
    assert signed(0.17) == "+0.17"
    assert signed(-0.05) == f"{MINUS}0.05"
    assert signed(-0.001) == "±0.00"


def test_move_phrases() -> None:
    assert verb_phrase("joint missile-defence drill") == "holds a joint missile-defence drill"
    assert verb_phrase("alliance consultation") == "holds an alliance consultation"
    assert verb_phrase("deployment announced") == "announces a deployment"
    assert verb_phrase("nuclear-testing rhetoric") == "turns to nuclear-testing rhetoric"
    assert verb_phrase("no new signal", plural=True) == "send no new signal"
    assert verb_phrase("show of force") == "makes a show of force"
    assert noun_phrase("deployment announced") == "deployment announcement"
    assert noun_phrase("live-fire drill") == "live-fire drill"


# -- the structured minutes -------------------------------------------------------------------


def test_the_markdown_is_written_from_the_minutes(result: RunResult) -> None:
    from sim.outputs.transcript import build_transcript, transcript_markdown

    minutes = build_transcript(result, max_readings=2)
    assert transcript_markdown(minutes) == transcript(result, max_readings=2)
    assert [turn.number for turn in minutes.turns] == list(range(1, result.turns + 1))
    links = result.links
    answers = [a for turn in minutes.turns for a in turn.answers]
    assert len(answers) == len(links)
    assert sum(a.miscalculation for a in answers) == int(links.miscalculation.sum())
    for turn in minutes.turns:
        for move in turn.moves:
            for part in move.partners or (None,):
                gaps = [abs(r.gap) for r in move.readings if r.part == part]
                assert len(gaps) <= 2
                assert gaps == sorted(gaps, reverse=True)
            assert len(move.readings) <= 2 * max(1, len(move.partners))
    highest = result.actor_ids[int(np.argmax(result.arrays.tension[-1]))]
    assert minutes.ending[0].actor == highest


def test_scenario_text_is_data_in_the_minutes(small: RunResult) -> None:
    """Labels and voices are Data spans holding the text itself, not its Markdown."""
    from sim.outputs.inline import Data, plain
    from sim.outputs.transcript import build_transcript

    minutes = build_transcript(small)

    def data(spans: tuple[object, ...]) -> list[str]:
        out: list[str] = []
        for span in spans:
            if isinstance(span, Data):
                out.append(span.text)
            elif hasattr(span, "spans"):
                out.extend(data(span.spans))  # type: ignore[attr-defined]
        return out

    first = minutes.turns[0].moves[0]
    label = small.scenario.moves[first.move].label
    voice = small.scenario.actors[first.actor].voice or small.scenario.actors[first.actor].name
    assert voice in data(first.text)  # the voice, as it is
    assert any(text in label for text in data(first.text))  # the label (or its stem)
    assert plain(minutes.title) == f"{small.scenario.metadata.title} — transcript"


@pytest.mark.parametrize(
    "label",
    [
        "joint missile-defence drill",
        "no comment",
        "deployment announced",
        "nuclear rhetoric",
        "a *starred* [proposal]",
        "under_score exercise",
        "www.example.com statement",
    ],
)
def test_phrase_spans_write_the_same_markdown(label: str) -> None:
    from sim.outputs.inline import md, to_markdown
    from sim.outputs.wording import noun_spans, verb_spans

    for plural in (False, True):
        assert to_markdown(verb_spans(label, plural=plural)) == verb_phrase(
            md(label), plural=plural
        )
    assert to_markdown(noun_spans(label)) == noun_phrase(md(label))
