"""The class handout (``sim report RUN_DIR --handout``): content, the folder, A4 print length."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.outputs.report.handout import HANDOUT_NAME, render_handout
from tests.conftest import run_sim
from tests.outputs.test_briefs import print_pages


def _run(tmp_path: Path, scenario: str, seed: str) -> Path:
    done = run_sim("run", scenario, "--seed", seed, "--out", "run", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "run"


@pytest.fixture(scope="module")
def flagship_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _run(tmp_path_factory.mktemp("handout"), "dec2025_joint_drill", "5")


def test_the_handout_has_the_summary_two_figures_turning_points_and_questions(
    flagship_run: Path,
) -> None:
    page = render_handout(flagship_run)
    assert page.count("<img ") == 2
    assert 'id="fig-tension"' in page and 'id="fig-perception-gap"' in page
    assert "<h2>Turning points</h2>" in page and "Largest perception gap" in page
    assert "<h2>Debrief questions</h2>" in page
    debrief = (flagship_run / "debrief.md").read_text(encoding="utf-8")
    asked = sum(1 for line in debrief.splitlines() if line[:1].isdigit() and ". " in line[:4])
    assert page.count("<li>") >= asked
    assert 'href="#' not in page  # no links to a transcript the handout does not have
    assert "http://" not in page and "https://" not in page
    assert render_handout(flagship_run) == page  # the same folder gives the same bytes


def test_the_command_writes_the_handout_and_lists_it(flagship_run: Path) -> None:
    done = run_sim("report", str(flagship_run), "--handout", cwd=flagship_run.parent)
    assert done.returncode == 0, done.stderr
    assert (flagship_run / HANDOUT_NAME).is_file()
    assert not (flagship_run / "report.html").exists()  # the full report is its own command
    manifest = json.loads((flagship_run / "manifest.json").read_text(encoding="utf-8"))
    assert HANDOUT_NAME in manifest["outputs"]


def test_a_handout_someone_else_wrote_is_not_replaced(tmp_path: Path) -> None:
    run = _run(tmp_path, "axelrod_noise", "2")
    (run / HANDOUT_NAME).write_text("mine", encoding="utf-8")
    done = run_sim("report", str(run), "--handout", cwd=tmp_path)
    assert done.returncode == 2 and "sim did not write it" in done.stderr
    assert (run / HANDOUT_NAME).read_text(encoding="utf-8") == "mine"


@pytest.mark.slow
def test_handouts_print_on_at_most_four_a4_pages(flagship_run: Path, tmp_path: Path) -> None:
    other = _run(tmp_path, "jervis_spiral", "8")
    for folder in (flagship_run, other):
        done = run_sim("report", str(folder), "--handout", cwd=folder.parent)
        assert done.returncode == 0, done.stderr
    counts = [
        print_pages([folder / HANDOUT_NAME])[HANDOUT_NAME] for folder in (flagship_run, other)
    ]
    assert all(1 <= n <= 4 for n in counts), counts
