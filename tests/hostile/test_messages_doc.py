"""The messages docs/errors.md quotes under "Files and folders" are the ones `sim` prints.

Each case sets up a folder of its own, runs the real command there, and
checks that its one-line message appears verbatim in the doc. Running this
file with ``-s`` prints the messages (to paste into the doc when one changes).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sim import files
from tests.conftest import REPO, run_sim, sim_env

DOC = REPO / "docs" / "errors.md"
RUN = ["run", "richardson_stable", "--turns", "3", "--no-figures"]


def sim(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_sim(*args, cwd=cwd, timeout=120)


def notes(where: Path) -> None:
    (where / "notes").mkdir()
    (where / "notes" / "essay.md").write_text("mine")


def run_with_essay(where: Path) -> None:
    assert sim(*RUN, "--out", "run", cwd=where).returncode == 0
    (where / "run" / "essay.docx").write_text("mine")


def linked_transcript(where: Path) -> None:
    assert sim(*RUN, "--out", "run", cwd=where).returncode == 0
    (where / "run" / "transcript.md").unlink()
    (where / "run" / "transcript.md").symlink_to("/etc/hostname")


def a_file(where: Path) -> None:
    (where / "afile").write_text("x")


def garbled_manifest(where: Path) -> None:
    assert sim(*RUN, "--out", "run", cwd=where).returncode == 0
    (where / "run" / "manifest.json").write_text('{"seed": 1,}')


def typo_parent(where: Path) -> None:
    (where / "mine.yaml").write_text("extends: bundled:richardson_stabel\n")


def control_character(where: Path) -> None:
    (where / "ctl.yaml").write_text('metadata:\n  title: "Crisis \\e[2J"\nturns: 3\n')


def nothing(where: Path) -> None:
    pass


CASES: list[tuple[str, Callable[[Path], None], list[str]]] = [
    ("exists", notes, [*RUN, "--out", "notes"]),
    ("not ours", notes, [*RUN, "--out", "notes", "--force"]),
    ("unlisted", run_with_essay, [*RUN, "--out", "run", "--force"]),
    ("root", nothing, [*RUN, "--out", "/", "--force"]),
    ("device", nothing, [*RUN, "--out", "/dev/null", "--force"]),
    ("here", nothing, [*RUN, "--out", ".", "--force"]),
    ("under a file", a_file, [*RUN, "--out", "afile/run"]),
    ("device read", nothing, ["validate", "/dev/zero"]),
    ("pseudo-file", nothing, ["validate", "/proc/self/status"]),
    ("link out", linked_transcript, ["report", "run"]),
    ("garbled manifest", garbled_manifest, ["compare", "run", "richardson_stable"]),
    ("resume elsewhere", notes, ["ensemble", "richardson_stable", "--runs", "5", "--out",
                                 "notes", "--resume"]),
    ("bundled typo", typo_parent, ["validate", "mine.yaml"]),
    ("control character", control_character, ["validate", "ctl.yaml"]),
    ("scheduler", nothing, ["ensemble", "richardson_stable", "--runs", "5", "--scheduler",
                            "http://127.0.0.1:1"]),
    ("twice", nothing, ["sweep", "richardson_stable", "--param", "turns=2:4:2", "--param",
                        "turns=2:4:2"]),
    ("new elsewhere", linked_transcript, ["new", "mine", "--from", "run/scenario.resolved.yaml"]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "setup", "args"), CASES, ids=[c[0] for c in CASES])
def test_the_doc_quotes_the_message(
    name: str, setup: Callable[[Path], None], args: list[str], tmp_path: Path
) -> None:
    setup(tmp_path)
    done = sim(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    line = done.stderr.strip().splitlines()[0]
    print(line)
    assert line in DOC.read_text(encoding="utf-8"), f"docs/errors.md lacks: {line}"


def test_the_doc_quotes_the_second_writers_message(tmp_path: Path) -> None:
    """The lock is held here, by this test, while the command tries to take it."""
    out = tmp_path / "e"
    assert (
        sim("ensemble", "richardson_stable", "--runs", "5", "--out", "e", cwd=tmp_path).returncode
        == 0
    )
    with files.locked(out, "ensemble folder"):
        done = sim("ensemble", "richardson_stable", "--runs", "5", "--out", "e", "--resume",
                   cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip().splitlines()[0]
    print(line)
    assert line in DOC.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare (util-linux)")
def test_the_doc_quotes_the_disk_full_message(tmp_path: Path) -> None:
    script = (
        f"mount -t tmpfs -o size=64k tmpfs {tmp_path} && cd {tmp_path} && "
        f"{sys.executable} -m sim run richardson_stable --turns 30 --out run"
    )
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        env=sim_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if "mount" in done.stderr and "sim:" not in done.stderr:
        pytest.skip(f"no private mount namespace here: {done.stderr.strip()}")
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip().splitlines()[0]
    print(line)
    assert line in DOC.read_text(encoding="utf-8")
