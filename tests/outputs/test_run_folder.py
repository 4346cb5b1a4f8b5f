"""Run folders: figures rendered in parallel are the same bytes as serially; atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.errors import RunFolderError
from sim.outputs.run_folder import render_figures, write_run_folder
from tests.conftest import FLAGSHIP


def test_parallel_and_serial_figures_are_byte_identical(tmp_path: Path) -> None:
    result = sim.run(FLAGSHIP, seed=8, turns=10)
    serial = render_figures(result, tmp_path / "one", workers=1)
    parallel = render_figures(result, tmp_path / "two", workers=2)
    assert [p.name for p in serial] == [p.name for p in parallel]
    assert len(serial) == 12  # six figures, png and svg
    for a, b in zip(serial, parallel, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = sim.run(FLAGSHIP, seed=8, turns=3)

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("sim.outputs.transcript.write_transcript", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        write_run_folder(result, tmp_path / "run", figures=False)
    assert list(tmp_path.iterdir()) == []


def test_existing_folder_is_refused_and_kept(tmp_path: Path) -> None:
    result = sim.run(FLAGSHIP, seed=8, turns=3)
    target = tmp_path / "run"
    target.mkdir()
    (target / "mine.txt").write_text("keep")
    with pytest.raises(RunFolderError, match="already exists"):
        write_run_folder(result, target, figures=False)
    assert (target / "mine.txt").read_text() == "keep"
    with pytest.raises(RunFolderError, match=r"no manifest\.json written by sim"):
        write_run_folder(result, target, figures=False, force=True)
    assert [p.name for p in target.iterdir()] == ["mine.txt"]
    assert (target / "mine.txt").read_text() == "keep"
    run = tmp_path / "ours"
    write_run_folder(result, run, figures=False)
    first = (run / "events.csv").read_bytes()
    write_run_folder(sim.run(FLAGSHIP, seed=9, turns=3), run, figures=False, force=True)
    assert (run / "events.csv").read_bytes() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ours", "run"]
