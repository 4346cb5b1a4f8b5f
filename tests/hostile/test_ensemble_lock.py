"""Ensemble folders: one writer at a time, and no chunk of another ensemble is ever mixed in."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import run_sim, start_sim

ARGS = ["ensemble", "dec2025_joint_drill", "--runs", "1500", "--turns", "20", "--quiet"]


def popen(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return start_sim(*args, cwd=cwd)


def sim(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_sim(*args, cwd=cwd)


def wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not path.exists():
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.005)


@pytest.fixture(scope="module")
def lone(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Ensembles computed alone, by seed: what every other run must reproduce byte for byte."""
    where = tmp_path_factory.mktemp("lone")
    out = {}
    for seed in (1, 2):
        done = sim(*ARGS, "--seed", str(seed), "--out", f"s{seed}", cwd=where)
        assert done.returncode == 0, done.stderr
        out[seed] = where / f"s{seed}"
    return out


def same(a: Path, b: Path) -> None:
    for name in ("summary.csv", "stats.csv", "paths.npz"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_a_second_writer_is_refused_and_the_first_is_untouched(
    tmp_path: Path, lone: dict[int, Path]
) -> None:
    first = popen(*ARGS, "--seed", "1", "--out", "e", "--resume", cwd=tmp_path)
    wait_for(tmp_path / "e" / "ensemble.json", first)  # the stamp is written under the lock
    second = sim(*ARGS, "--seed", "2", "--out", "e", "--resume", cwd=tmp_path)
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert second.returncode == 2, second.stderr
    assert "another sim process is writing this ensemble folder" in second.stderr
    assert "Traceback" not in second.stderr
    same(tmp_path / "e", lone[1])


def test_after_sigkill_of_the_holder_the_next_writer_proceeds(
    tmp_path: Path, lone: dict[int, Path]
) -> None:
    holder = popen(*ARGS, "--seed", "1", "--out", "e", "--workers", "2", cwd=tmp_path)
    wait_for(tmp_path / "e" / "chunks" / "record-00000.json", holder)
    holder.send_signal(signal.SIGKILL)
    holder.communicate(timeout=60)
    time.sleep(0.5)  # its forked worker notices within 0.2 s and exits
    done = sim(*ARGS, "--seed", "1", "--out", "e", "--resume", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    same(tmp_path / "e", lone[1])


def _tamper_edit(chunks: Path, other: Path) -> None:
    path = chunks / "summary-00001.csv"
    path.write_text(path.read_text().replace("0.", "9.", 3))


def _tamper_truncate(chunks: Path, other: Path) -> None:
    path = chunks / "paths-00002.npz"
    path.write_bytes(path.read_bytes()[:100])


def _tamper_copy_other_seed(chunks: Path, other: Path) -> None:
    for name in ("summary-00003.csv", "paths-00003.npz", "record-00003.json"):
        shutil.copy(other / "chunks" / name, chunks / name)


def _tamper_record(chunks: Path, other: Path) -> None:
    """A forged record that matches edited bytes but names another ensemble."""
    path = chunks / "record-00004.json"
    record = json.loads(path.read_text())
    record["fingerprint"] = "0" * 64
    path.write_text(json.dumps(record))


def _tamper_missing_record(chunks: Path, other: Path) -> None:
    (chunks / "record-00005.json").unlink()
    (chunks / "summary-00005.csv").write_text("replicate,seed\n1,2\n")


TAMPERING = [
    _tamper_edit,
    _tamper_truncate,
    _tamper_copy_other_seed,
    _tamper_record,
    _tamper_missing_record,
]


@pytest.mark.parametrize("tamper", TAMPERING, ids=lambda f: f.__name__.removeprefix("_tamper_"))
def test_a_chunk_that_is_not_this_ensembles_is_recomputed(
    tamper: object, tmp_path: Path, lone: dict[int, Path]
) -> None:
    shutil.copytree(lone[1], tmp_path / "e")
    assert callable(tamper)
    tamper(tmp_path / "e" / "chunks", lone[2])
    done = sim(*ARGS, "--seed", "1", "--out", "e", "--resume", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    same(tmp_path / "e", lone[1])
    for k in range(6):
        for name in (f"summary-{k:05d}.csv", f"paths-{k:05d}.npz"):
            assert (tmp_path / "e" / "chunks" / name).read_bytes() == (
                lone[1] / "chunks" / name
            ).read_bytes(), name


def test_negative_control_an_untampered_copy_recomputes_nothing(
    tmp_path: Path, lone: dict[int, Path]
) -> None:
    """The check can tell: an intact folder is resumed without touching a chunk."""
    shutil.copytree(lone[1], tmp_path / "e")
    chunks = tmp_path / "e" / "chunks"
    stamps = {p.name: p.stat().st_mtime_ns for p in chunks.iterdir()}
    done = sim(*ARGS, "--seed", "1", "--out", "e", "--resume", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert {p.name: p.stat().st_mtime_ns for p in chunks.iterdir()} == stamps


def test_resume_never_writes_into_a_folder_that_is_not_an_ensemble(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "essay.md").write_text("mine")
    done = sim(*ARGS, "--seed", "1", "--out", "notes", "--resume", cwd=tmp_path)
    assert done.returncode == 2 and "not an ensemble folder" in done.stderr, done.stderr
    assert [p.name for p in notes.iterdir()] == ["essay.md"]
