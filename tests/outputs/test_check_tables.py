"""``python -m sim.outputs.check_tables``: sim check tables regenerated into teaching notes."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from sim.outputs.check_tables import (
    NOTES,
    main,
    markers,
    parse_marker,
    recorded,
    refresh,
    render,
)
from tests.running.test_check import BASE, BREAKS, variant

ROOT = Path(__file__).resolve().parents[2]

NOTE = """\
# A note

Hand-written text.

<!-- generated: check base.yaml runs=4 -->
old table
<!-- end generated -->

<!-- generated: posture -->
left alone
<!-- end generated -->
"""


@pytest.fixture
def note(tmp_path: Path) -> Path:
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    path = tmp_path / "NOTES-base.md"
    path.write_text(NOTE, encoding="utf-8")
    return path


def test_a_block_becomes_the_check_table(note: Path) -> None:
    text = refresh(note.read_text("utf-8"), note.parent)
    body = text.split("<!-- generated: check base.yaml runs=4 -->\n")[1].split("<!-- end")[0]
    rows = body.splitlines()
    assert rows[0] == "| fact | basis | required | measured | 95% Wilson | verdict |"
    assert rows[2] == (
        "| `share_a`: A talks of testing | s1, p1 | 1.00 | 1.000 (4/4) | [0.510, 1.000] | holds |"
    )
    assert rows[3].startswith("| `never_others`: B and C never play nuclear-testing rhetoric | — |")
    assert len([r for r in rows if r.startswith("| `")]) == 7
    assert "All 7 facts hold." in rows
    assert rows[-1].startswith(
        "Root seed 2005; 4 runs of 10 turns (`sim check base.yaml --runs 4 --seed 2005`)."
    )
    assert recorded(body) == (2005, 4)
    assert text.startswith("# A note\n\nHand-written text.\n\n")
    assert "<!-- generated: posture -->\nleft alone\n<!-- end generated -->\n" in text


def test_an_up_to_date_note_comes_back_unchanged_and_a_stale_one_does_not(note: Path) -> None:
    assert main([str(note)]) == 0
    fresh = note.read_text("utf-8")
    assert refresh(fresh, note.parent, keep=True) == fresh
    assert main(["--check", str(note)]) == 0
    stale = fresh.replace("1.000 (4/4)", "0.750 (3/4)", 1)
    assert refresh(stale, note.parent, keep=True) == fresh  # negative control
    note.write_text(stale, encoding="utf-8")
    assert main(["--check", str(note)]) == 1
    assert note.read_text("utf-8") == stale  # --check writes nothing
    assert main([str(note)]) == 0 and note.read_text("utf-8") == fresh
    assert not [p for p in note.parent.iterdir() if p.name.startswith(".")]  # no temporaries


def test_keep_uses_the_recorded_seed_and_runs(note: Path) -> None:
    text = refresh(note.read_text("utf-8").replace(" runs=4", ""), note.parent, runs=3)
    assert "3 runs of 10 turns" in text
    again = refresh(text, note.parent, keep=True, runs=50)
    assert again == text
    assert "5 runs of 10 turns" in refresh(text, note.parent, runs=5)


def test_a_failing_fact_is_shown_and_exits_1(note: Path) -> None:
    body, broken = BREAKS["reading"]
    variant(note.parent / "base.yaml", body)
    note.write_text(NOTE.replace("base.yaml", "variant.yaml"), encoding="utf-8")
    assert main([str(note)]) == 1
    text = note.read_text("utf-8")
    assert broken == {"reading"}
    assert "| [0.000, 0.490] | **fails** |" in text
    assert "1 of 7 facts fail: reading." in text


def test_markers_and_their_options(tmp_path: Path) -> None:
    assert parse_marker("golden_dome.yaml runs=500 seed=7").runs == 500
    assert parse_marker("golden_dome").seed is None
    with pytest.raises(ValueError, match="'turns=3' is not runs=N or seed=S"):
        parse_marker("golden_dome turns=3")
    plain = tmp_path / "plain.yaml"
    plain.write_text(BASE.split("expectations:")[0], encoding="utf-8")
    text = refresh("<!-- generated: check plain.yaml -->\n<!-- end generated -->\n", tmp_path)
    assert "*plain states no expectations: nothing to check.*" in text
    flagship = "<!-- generated: check dec2025_joint_drill runs=2 -->\n<!-- end generated -->\n"
    bundled = refresh(flagship, tmp_path)  # a bundled id, not a file beside the note
    assert "states no expectations" in bundled or "2 runs of 30 turns" in bundled


@cache
def _cached(name: str, folder: Path, runs: int, seed: int | None, workers: int) -> str:
    return render(name, folder, runs, seed, workers)


def _notes() -> list[Path]:
    return sorted(p for pattern in NOTES for p in ROOT.glob(pattern))


@pytest.mark.parametrize("path", _notes(), ids=lambda p: p.name)
def test_committed_check_tables_are_current(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each note's tables are what its marker gives, on the runs and seed the table records.

    The real check runs (sim check takes about half a second for 200 runs of the flagship),
    once per scenario, runs and seed (``functools.cache``): a changed model, fact or basis
    fails here, not only a changed structure. Notes without a block are skipped.
    """
    text = path.read_text(encoding="utf-8")
    if not markers(text):
        pytest.skip(f"{path.name} has no check block")
    monkeypatch.chdir(ROOT)
    assert refresh(text, path.parent, keep=True, table=_cached) == text, (
        f"{path.relative_to(ROOT)} is stale: run ./dev python -m sim.outputs.check_tables "
        f"{path.relative_to(ROOT)}"
    )
