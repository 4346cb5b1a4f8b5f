"""Scenarios about other regions, on the neutral core library alone, speak only of their own world.

Two regions (issue 15): the worked example in docs/examples (the invented Lyra Strait) and a
northern sea with a plural actor, built here from the docs' fields. Every output of a run (the
run folder's text, CSV and YAML files, the report, a comparison and `sim check`'s table) is
searched for the flagship's topic and places; a phrase may appear only if the scenario's own
text uses it. A negative control shows the search finds the flagship's words in its own outputs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import sim
from sim.cli.main import main
from sim.outputs.check_tables import main as main_tables
from sim.outputs.report import render_report
from sim.outputs.run_folder import write_run_folder
from tests.conftest import REPO

LYRA = REPO / "docs" / "examples" / "lyra_strait.yaml"

FLAGSHIP_WORDS = [
    "missile",
    "nuclear",
    "golden dome",
    "strategic stability",
    "second strike",
    "second-strike",
    "new start",
    "arms-control",
    "arms control",
    "testing",
    "china",
    "chinese",
    "russia",
    "russian",
    "united states",
    "u.s.",
    "washington",
    "beijing",
    "moscow",
    "nato",
    "japan",
    "tokyo",
    "india",
    "new delhi",
    "quad",
    "asean",
]

NORTHERN_SEA = {
    "metadata": {
        "title": "The northern sea: a snap readiness check",
        "summary": "Skerry states and Holm watch each other across a cold sea.",
        "turn_meaning": "about a week",
        "sources": [{"key": "assumption", "title": "Teaching assumptions"}],
    },
    "turns": 12,
    "seed": 3,
    "actors": {
        "skerry": {
            "name": "Skerry states",
            "voice": "the Skerry capitals",
            "plural": True,
            "initial_tension": 0.3,
        },
        "holm": {"name": "Holm", "initial_tension": 0.35, "posture": {"resolve": 0.7}},
        "fjell": {"name": "Fjell", "posture": {"hedging": 0.8}},
    },
    "relationships": {
        "skerry": {"holm": {"alignment": -0.5}, "fjell": {"alignment": 0.6}},
        "holm": {"fjell": {"alignment": -0.1}},
    },
    "injects": {
        "snap_check": {
            "label": "Holm orders a snap readiness check on the coast",
            "when": {"turn": 1},
            "effects": [{"move": {"actor": "holm", "move": "command_post_exercise"}}],
        }
    },
    "expectations": {
        "skerry_wary": {
            "kind": "order",
            "quantity": "belief",
            "actor": "skerry",
            "about": "holm",
            "relation": "above",
            "than_actor": "skerry",
            "than_about": "fjell",
            "share": 0.9,
        }
    },
}


def _outputs(path: Path, folder: Path) -> str:
    """Every text a run of ``path`` writes, with a report, a comparison and a check table."""
    result = sim.run(path)
    run = write_run_folder(result, folder / "run", figures=False)
    texts = [p.read_text(encoding="utf-8") for p in sorted(run.rglob("*")) if p.is_file()]
    texts.append(render_report(run, result=result))
    compare = folder / "compare"
    assert main(["compare", str(path), str(path), "--runs", "4", "--out", str(compare)]) == 0
    texts += [p.read_text(encoding="utf-8") for p in sorted(compare.glob("*.md"))]
    return "\n".join(texts).lower()


def _found(text: str, words: list[str]) -> list[str]:
    return [w for w in words if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text)]


def _allowed(path: Path) -> list[str]:
    """The flagship words this scenario's own text uses (those may appear)."""
    own = path.read_text(encoding="utf-8").lower()
    return _found(own, FLAGSHIP_WORDS)


@pytest.fixture
def northern(tmp_path: Path) -> Path:
    path = tmp_path / "northern_sea.yaml"
    path.write_text(yaml.safe_dump(NORTHERN_SEA, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("region", ["lyra", "northern"])
def test_another_region_speaks_only_of_its_own_world(
    region: str, northern: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = LYRA if region == "lyra" else northern
    text = _outputs(path, tmp_path)
    assert main(["check", str(path), "--runs", "20"]) in (0, 1)
    text += capsys.readouterr().out.lower()
    leaked = [w for w in _found(text, FLAGSHIP_WORDS) if w not in _allowed(path)]
    assert leaked == []


def test_the_search_finds_the_flagships_words_in_its_own_outputs(tmp_path: Path) -> None:
    """Negative control: the flagship's outputs are full of them."""
    text = _outputs(REPO / "scenarios" / "dec2025_joint_drill.yaml", tmp_path)
    assert {"missile", "nuclear", "china", "moscow"} <= set(_found(text, FLAGSHIP_WORDS))


def test_the_worked_example_holds_its_facts_on_a_fresh_seed() -> None:
    from sim.running.check import check

    result = check(sim.load_scenario(LYRA), runs=200, seed=5151)
    assert [f.id for f in result.facts if not f.passed] == []


def test_the_worked_example_page_says_what_its_run_did() -> None:
    """docs/worked-example.md section 5, on the scenario's own seed (7)."""
    result = sim.run(LYRA)
    summary = result.summary()
    assert result.seed == 7
    assert (summary["peak_tension_actor"], summary["peak_tension_turn"]) == ("ostrel", 3)
    assert round(float(summary["peak_tension"]), 2) == 0.36
    assert summary["chain_links"] == 1
    assert int(result.arrays.answered.any(axis=1).argmax()) + 1 == 8  # the turn of the one
    page = (REPO / "docs" / "worked-example.md").read_text(encoding="utf-8")
    assert "(0.36, turn 3)" in page and "comes in turn 8" in page


def test_the_worked_example_table_is_current() -> None:
    assert main_tables(["--check", str(REPO / "docs" / "worked-example.md")]) == 0
