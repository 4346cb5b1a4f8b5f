"""`--force` replaces only a folder this tool wrote, and only the files it listed.

Every case goes through the real command line in a child process, in a
folder of the test's own; the system temp folder is only ever looked at.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import REPO, run_sim, sim_env

RUN = ["run", "richardson_stable", "--turns", "3", "--no-figures"]


def sim(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_sim(*args, cwd=cwd, env=env, timeout=120)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (links as their target text) with its bytes."""
    out: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        if path.is_symlink():
            out[rel] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            out[rel] = path.read_bytes()
    return out


def refused(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("sim: ") and len(done.stderr.splitlines()) == 1, done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real run folder, written by the tool (copied by the tests that change it)."""
    where = tmp_path_factory.mktemp("made")
    assert sim(*RUN, "--out", "run", cwd=where).returncode == 0
    return where / "run"


def test_a_students_folder_is_never_replaced(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "essay.md").write_text("my essay")
    (notes / "data").mkdir()
    (notes / "data" / "table.csv").write_text("a,b\n")
    before = tree(notes)
    refused(sim(*RUN, "--out", "notes", "--force", cwd=tmp_path), "no manifest.json written by sim")
    assert tree(notes) == before


def test_a_copied_manifest_with_an_unlisted_file_is_refused(
    tmp_path: Path, run_folder: Path
) -> None:
    """Negative control: a real manifest is not enough; every file must be one it lists."""
    fake = tmp_path / "fake"
    shutil.copytree(run_folder, fake)
    (fake / "essay.docx").write_bytes(b"a student's essay")
    before = tree(fake)
    refused(sim(*RUN, "--out", "fake", "--force", cwd=tmp_path), "essay.docx", "did not write")
    assert tree(fake) == before


def test_a_link_inside_a_run_folder_is_refused(tmp_path: Path, run_folder: Path) -> None:
    linked = tmp_path / "linked"
    shutil.copytree(run_folder, linked)
    (linked / "events.csv").unlink()
    (linked / "events.csv").symlink_to(tmp_path / "precious.txt")
    (tmp_path / "precious.txt").write_text("keep me")
    refused(sim(*RUN, "--out", "linked", "--force", cwd=tmp_path), "symbolic link")
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_a_run_folder_is_replaced_and_a_file_beside_it_survives(
    tmp_path: Path, run_folder: Path
) -> None:
    shutil.copytree(run_folder, tmp_path / "run")
    (tmp_path / "essay.md").write_text("beside the run folder")
    done = sim(*RUN[:3], "5", "--no-figures", "--out", "run", "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "run" / "manifest.json").read_text())["turns"] == 5
    assert (tmp_path / "essay.md").read_text() == "beside the run folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["essay.md", "run"]


@pytest.mark.parametrize(
    "target",
    ["/", "/dev/null", ".", "..", "HOME", "TMP", "a_file", "link_to_run", "dangling"],
)
def test_force_never_replaces_what_is_not_a_run_folder(
    target: str, tmp_path: Path, run_folder: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work")
    work = home / "work"
    work.mkdir()
    (work / "a_file").write_text("not a folder")
    shutil.copytree(run_folder, tmp_path / "real_run")
    (work / "link_to_run").symlink_to(tmp_path / "real_run")
    (work / "dangling").symlink_to(tmp_path / "nowhere")
    system_temp = Path(tempfile.gettempdir())
    out = {"HOME": str(home), "TMP": str(system_temp)}.get(target, target)
    before = tree(home), tree(tmp_path / "real_run")
    done = sim(*RUN, "--out", out, "--force", cwd=work, env={"HOME": str(home)})
    refused(done)
    assert (tree(home), tree(tmp_path / "real_run")) == before
    assert Path("/dev/null").is_char_device() and system_temp.is_dir()


def test_every_output_folder_lists_its_files_with_relative_paths(tmp_path: Path) -> None:
    """Run, compare, sweep and ensemble folders carry the marker and the list; no absolute path."""
    commands = {
        "run": [*RUN, "--out", "run"],
        "cmp": ["compare", "richardson_stable", "richardson_runaway", "--turns", "4",
                "--out", "cmp"],
        "swp": ["sweep", "richardson_stable", "--param", "actors.x.posture.restraint=0:1:2",
                "--runs", "2", "--turns", "4", "--out", "swp"],
        "ens": ["ensemble", "richardson_stable", "--runs", "20", "--turns", "4", "--out", "ens",
                "--quiet"],
    }  # fmt: skip
    for name, args in commands.items():
        done = sim(*args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        folder = tmp_path / name
        text = (folder / "manifest.json").read_text()
        manifest = json.loads(text)
        assert manifest["tool"] == "strategy-dialogue-sim"
        on_disk = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
        assert sorted(manifest["outputs"]) == on_disk, name
        assert str(tmp_path) not in text and str(REPO) not in text, name
    # each can then be replaced with --force
    done = sim(*commands["cmp"], "--force", cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_stale_staging_is_cleaned_and_never_taken_as_a_result(tmp_path: Path) -> None:
    """A staging folder of a killed run (dead pid) goes; a user's look-alike folder stays."""
    dead = 2**22 + 12345  # above pid_max's default: no such process
    stale = tmp_path / f".run.partial-{dead}"
    stale.mkdir()
    (stale / ".sim-staging").write_bytes(b"")
    (stale / "events.csv").write_text("half")
    lookalike = tmp_path / f".notes.partial-{dead}"
    lookalike.mkdir()
    (lookalike / "essay.md").write_text("mine")
    done = sim(*RUN, "--out", "run", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not stale.exists()
    assert (lookalike / "essay.md").read_text() == "mine"
    assert (tmp_path / "run" / "events.csv").read_text() != "half"


def test_sigkill_leaves_only_staging_that_the_next_run_removes(tmp_path: Path) -> None:
    import signal
    import time

    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "run", "--turns", "30", "--out", "run"],
        cwd=tmp_path,
        env=sim_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".run.partial-*")):
        assert proc.poll() is None and time.monotonic() < deadline, "no staging folder appeared"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (tmp_path / "run").exists()
    assert list(tmp_path.glob(".run.partial-*"))
    done = sim(*RUN, "--out", "other", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other"]
