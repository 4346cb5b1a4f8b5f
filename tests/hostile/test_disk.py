"""Every command that writes, against a full disk and a read-only folder, as root.

Root ignores permission bits, so each case runs in a private mount namespace
(``unshare -rm``) where its target folder is either a tiny tmpfs (64 KiB, some
of it taken by a filler file when the output is small: ``ENOSPC``) or a
read-only bind mount (``EROFS``). ``/dev`` is bound read-only there too, so a
command that wrongly replaced ``/dev/full`` could not harm the machine.

Each case must end with exit status 2, one ``sim: `` line on stderr that says
"no space left" or "read-only", no traceback, and nothing half-written in the
target folder: no output folder, no hidden ``.*.partial-*`` or ``.*.tmp*``
entry. The target's listing is taken inside the namespace, after the command.

The cases run concurrently (a few at a time), once per module; each test then
checks one of them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import dashboard_env

TIMEOUT = 120.0
"""Seconds one case may take (most take 1 to 5)."""

PARALLEL = 3
"""Cases run at once."""

DISK = "64k"
"""Size of the tiny tmpfs."""

# Runs inside the namespace: $1 case kind (full, ro, dev, big), $2 filler
# (none, all, or KiB), then the command. The target folder is ./target; a
# prepared ./seed/. is copied into it first; its listing goes to ./listing.txt.
NAMESPACE = r"""
kind=$1 fill=$2; shift 2
mount --rbind /dev /dev && mount -o remount,bind,ro /dev || exit 121
case $kind in
full|big)
    size=64k; [ "$kind" = big ] && size=8m
    mount -t tmpfs -o "size=$size,mode=755" tmpfs target || exit 122
    if [ -d seed ]; then cp -a seed/. target/ || exit 123; fi
    case $fill in
    none) ;;
    all) dd if=/dev/zero of=target/filler.bin bs=4k 2>/dev/null ;;
    *) dd if=/dev/zero of=target/filler.bin bs=1k count="$fill" 2>/dev/null || exit 124 ;;
    esac ;;
ro)
    if [ -d seed ]; then cp -a seed/. target/ || exit 123; fi
    mount --bind target target && mount -o remount,bind,ro target || exit 125 ;;
dev) ;;
esac
find target -mindepth 1 -printf '%P\n' | sort > before.txt
"$@"; rc=$?
find target -mindepth 1 -printf '%P\n' | sort > listing.txt
exit $rc
"""

HIDDEN_LEFTOVER = re.compile(r"(^|/)\.[^/]*\.(partial-|old-|tmp)[^/]*$")
PROGRESS = re.compile(r"^\[[#.]+\] ")


def _unshare_works() -> str | None:
    """Why the namespace cannot be used here, or None."""
    if shutil.which("unshare") is None:
        return "no unshare command"
    try:
        done = subprocess.run(
            [
                "unshare",
                "-rm",
                "sh",
                "-c",
                "mount -t tmpfs -o size=64k tmpfs /mnt && mount --rbind /dev /dev",
            ],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unshare -rm failed: {exc}"
    if done.returncode != 0:
        return f"unshare -rm (user and mount namespaces) not allowed: {done.stderr.decode()[:200]}"
    return None


NO_NAMESPACE = _unshare_works() if sys.platform == "linux" else "Linux only"
pytestmark = pytest.mark.skipif(
    NO_NAMESPACE is not None,
    reason=f"needs a private mount namespace to make a full or read-only disk: {NO_NAMESPACE}",
)


@dataclass(frozen=True)
class Case:
    """One command run against one kind of broken target."""

    kind: str  # full (64 KiB tmpfs), ro (read-only bind), dev (/dev/full), big (8 MiB tmpfs)
    args: tuple[str, ...]  # after `python -m sim`; the target folder is `target`
    fill: str = "none"  # filler written into the tmpfs first: none, all, or KiB
    seed_run: bool = False  # copy the prepared run folder to target/run first


@dataclass
class Result:
    """What a case did."""

    rc: int
    stdout: str
    stderr: str
    before: list[str]
    after: list[str]
    seconds: float
    folder: Path = field(repr=False)


OUT = "target/out"
MADE_RUN = ("--turns", "5", "--no-figures", "--out", "run")
RUN = ("run", "richardson_stable", "--turns", "20", "--out", OUT)
ENSEMBLE = ("ensemble", "richardson_stable", "--runs", "300", "--turns", "10", "--out", OUT)
SWEEP = (
    "sweep",
    "richardson_stable",
    "--param",
    "actors.x.posture.restraint=0:1:2",
    "--runs",
    "2",
    "--turns",
    "5",
    "--out",
    OUT,
)
COMPARE = ("compare", "richardson_stable", "richardson_runaway", "--turns", "5", "--out", OUT)
NEW = ("new", "mine", "--from", "richardson_stable", "--dir", "target")
PLAY = ("play", "richardson_stable", "--human", "x", "--turns", "2", "--moves", "moves.yaml")
PLAY_TO = (*PLAY, "--out", "playrun", "--no-figures", "--save")

CASES: dict[str, Case] = {
    # the tables (52 KiB) fit in 64 KiB: the figures do not
    "run-full": Case("full", RUN),
    "run-ro": Case("ro", RUN),
    # 32 KiB taken: the tables do not fit
    "run-no-figures-full": Case("full", (*RUN, "--no-figures"), fill="32"),
    "run-no-figures-ro": Case("ro", (*RUN, "--no-figures")),
    "ensemble-full": Case("full", ENSEMBLE),
    "ensemble-ro": Case("ro", ENSEMBLE),
    "sweep-full": Case("full", SWEEP),
    "sweep-ro": Case("ro", SWEEP),
    "compare-full": Case("full", COMPARE),
    "compare-ro": Case("ro", COMPARE),
    "report-full": Case("full", ("report", "target/run"), fill="all", seed_run=True),
    "report-ro": Case("ro", ("report", "target/run"), seed_run=True),
    "new-full": Case("full", NEW, fill="all"),
    "new-ro": Case("ro", NEW),
    "play-save-full": Case("full", (*PLAY_TO, "target/game.json"), fill="all"),
    "play-save-ro": Case("ro", (*PLAY_TO, "target/game.json")),
    # /dev/full as a single-file target (bound read-only: a wrong rename could not land)
    "play-save-dev-full": Case("dev", (*PLAY_TO, "/dev/full")),
    "play-save-dev-full-force": Case("dev", (*PLAY_TO, "/dev/full", "--force")),
    "run-out-dev-full-force": Case("dev", (*RUN[:-1], "/dev/full", "--force", "--no-figures")),
    # control: the same namespace with room enough, so the failures above are the disk's
    "control-run-roomy": Case("big", (*RUN, "--no-figures")),
}


# ---------------------------------------------------------------- running the cases


def _env() -> dict[str, str]:
    return dashboard_env(
        {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    )


def _prepare(folder: Path, case: Case, run: Path) -> list[str]:
    (folder / "target").mkdir()
    (folder / "moves.yaml").write_text("1: {x: 1}\n2: {x: 1}\n", encoding="utf-8")
    if case.seed_run:
        shutil.copytree(run, folder / "seed" / "run")
    command = [sys.executable, "-m", "sim", *case.args]
    return ["unshare", "-rm", "sh", "-c", NAMESPACE, "sh", case.kind, case.fill, *command]


def _run_all(
    cases: dict[str, Case], root: Path, run: Path, parallel: int = PARALLEL
) -> dict[str, Result]:
    """Run every case, ``parallel`` at a time, each in its own folder under ``root``."""
    waiting = list(cases)
    running: dict[str, tuple[subprocess.Popen[bytes], float]] = {}
    results: dict[str, Result] = {}
    logs = root / "logs"
    logs.mkdir()
    try:
        while waiting or running:
            while waiting and len(running) < parallel:
                name = waiting.pop(0)
                folder = root / name
                folder.mkdir()
                argv = _prepare(folder, cases[name], run)
                with (
                    (logs / f"{name}.out").open("wb") as out,
                    (logs / f"{name}.err").open("wb") as err,
                ):
                    proc = subprocess.Popen(
                        argv,
                        cwd=folder,
                        env=_env(),
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=err,
                        start_new_session=True,
                    )
                running[name] = (proc, time.monotonic())
            for name, (proc, started) in list(running.items()):
                took = time.monotonic() - started
                if proc.poll() is None:
                    if took <= TIMEOUT:
                        continue
                    os.killpg(proc.pid, signal.SIGKILL)  # reported by _setup_ok
                    proc.wait()
                del running[name]
                folder = root / name

                def lines(path: Path) -> list[str]:
                    return path.read_text().splitlines() if path.exists() else []

                results[name] = Result(
                    proc.returncode,
                    (logs / f"{name}.out").read_text(errors="replace"),
                    (logs / f"{name}.err").read_text(errors="replace"),
                    lines(folder / "before.txt"),
                    lines(folder / "listing.txt"),
                    took,
                    folder,
                )
            time.sleep(0.05)
    finally:
        for proc, _ in running.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return results


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Result]]:
    """Every case's result; the run folder for `sim report` is made first, on normal disk."""
    root = tmp_path_factory.mktemp("disk")
    made = subprocess.run(
        [sys.executable, "-m", "sim", "run", "richardson_stable", *MADE_RUN],
        cwd=root,
        env=_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert made.returncode == 0, made.stderr
    yield _run_all(CASES, root, root / "run")


# ---------------------------------------------------------------- checks


def _setup_ok(r: Result) -> None:
    assert r.rc not in (121, 122, 123, 124, 125), f"namespace set-up failed ({r.rc}): {r.stderr}"
    assert r.seconds < TIMEOUT, f"still running after {TIMEOUT:.0f} s (killed)"


def _message(r: Result, says: str) -> str:
    """The one ``sim: `` line of stderr; it holds ``says``; no traceback; nothing else said."""
    _setup_ok(r)
    assert "Traceback" not in r.stderr, r.stderr
    assert r.rc == 2, f"exit status {r.rc}\n{r.stderr}"
    said = [line for line in r.stderr.splitlines() if line.strip()]
    messages = [line for line in said if line.startswith("sim: ")]
    assert len(messages) == 1, r.stderr
    others = [line for line in said if line not in messages and not PROGRESS.match(line)]
    assert not others, r.stderr
    assert says in messages[0], messages[0]
    return messages[0]


def _nothing_half_written(r: Result, *, kept: tuple[str, ...] = ()) -> None:
    leftovers = [p for p in r.after if HIDDEN_LEFTOVER.search(p)]
    assert not leftovers, f"temporary entries left behind: {leftovers}"
    new = sorted(set(r.after) - set(r.before) - set(kept))
    assert not new, f"written into the target folder: {new}"
    gone = sorted(set(r.before) - set(r.after))
    assert not gone, f"removed from the target folder: {gone}"


SAYS = {"full": "no space left", "ro": "read-only"}
STRAIGHT = [
    name
    for name in CASES
    if CASES[name].kind in SAYS and name != "ensemble-full"  # the ensemble keeps its chunks
]


@pytest.mark.parametrize("name", STRAIGHT)
def test_write_fails_cleanly(results: dict[str, Result], name: str) -> None:
    r = results[name]
    line = _message(r, SAYS[CASES[name].kind])
    if name.startswith("play"):
        assert "game.json" in line, line
    _nothing_half_written(r)


def test_ensemble_on_a_full_disk_says_what_is_saved(results: dict[str, Result]) -> None:
    """The folder is kept for --resume, and the message says what it holds and how to finish."""
    r = results["ensemble-full"]
    assert "Traceback" not in r.stderr and r.rc == 2, r.stderr
    said = [line for line in r.stderr.splitlines() if line.strip()]
    said = [line for line in said if not PROGRESS.match(line)]
    assert len(said) == 2, r.stderr
    assert "no space left" in said[0], said
    assert re.search(r"\b\d+ of 300 replicates are saved in \S*out/\. Finish them with:$", said[0])
    assert said[1].split()[:2] == ["sim", "ensemble"] and "--resume" in said[1].split(), said
    assert not [p for p in r.after if HIDDEN_LEFTOVER.search(p)], r.after


def test_ensemble_on_a_full_disk_leaves_no_temporaries(results: dict[str, Result]) -> None:
    r = results["ensemble-full"]
    assert r.rc == 2 and "no space left" in r.stderr, r.stderr
    assert not [p for p in r.after if HIDDEN_LEFTOVER.search(p)], r.after
    kept = [p for p in r.after if p != "filler.bin"]
    assert all(p == "out" or p.startswith("out/") for p in kept), kept


@pytest.mark.parametrize(
    "name", ["play-save-dev-full", "play-save-dev-full-force", "run-out-dev-full-force"]
)
def test_dev_full_is_refused_and_left_a_device(results: dict[str, Result], name: str) -> None:
    r = results[name]
    line = _message(r, "/dev/full")
    assert "read-only" not in line, f"refused only by the read-only /dev of the test: {line}"
    assert re.search(r"device|not a folder", line), line
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert not (r.folder / "playrun").exists()


def test_control_with_room_the_same_command_succeeds(results: dict[str, Result]) -> None:
    r = results["control-run-roomy"]
    _setup_ok(r)
    assert r.rc == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert "out/manifest.json" in r.after and "out/metrics.csv" in r.after
    assert not [p for p in r.after if HIDDEN_LEFTOVER.search(p)], r.after
