"""Every bad input gets a message (what: why: what to do) and exit status 2, never a traceback.

One table of cases, each set up in its own folder and run as ``python -m sim
...`` in a child process whose current folder is that folder (60 s timeout;
cases that read a device, a FIFO or /proc run with their address space capped
at 2 GiB). Each must exit with status 2, print no traceback, print a message
of one to a few lines on stderr, and leave the folder as the case set it up.

The cases run concurrently (a few at a time, started from this thread so that
``preexec_fn`` is safe), once per module; each test then checks one of them.
A case whose command does not behave is marked ``xfail(strict=True)`` with the
reason "BUG: ..." rather than loosened.

The corrupted-ensemble cases that must *succeed* (a garbled or edited chunk is
recomputed on ``--resume``) are separate tests at the end.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sim.files import LOCK_FILE
from tests.conftest import REPO, dashboard_env

TIMEOUT = 60.0
"""Seconds a case may take before it is killed."""

PARALLEL = 3
"""Cases run at once (besides the one that waits for an unreachable scheduler)."""

MEMORY_LIMIT = 2 << 30
"""Address space of a child that reads a device, a FIFO or /proc (bytes)."""

SLOW = "scheduler-tcp-refused"
"""The case that mostly waits (Dask tries to connect for 20 s)."""

REFUSE_SCHEDULER = 30.0
"""Seconds within which an unreachable Dask scheduler must be reported."""

FLAT = ("--turns", "3", "--no-figures")
DIGITS = "9" * 5000
ENSEMBLE = ("ensemble", "richardson_stable", "--runs", "600", "--turns", "5", "--seed", "1")
SECRET = "SECRET-FROM-OUTSIDE-THE-RUN-FOLDER"


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class Shared:
    """Folders made once for the module: a run folder and a finished ensemble."""

    run: Path
    ensemble: Path


Setup = Callable[[Path, Shared], list[str]]
"""Make the case's files in its folder; return the arguments after ``python -m sim``."""


@dataclass(frozen=True)
class Case:
    """One bad input."""

    setup: Setup
    names: str = ""  # what the message must name (a path, an option)
    device: bool = False  # reads a device, FIFO or /proc: run memory-limited
    needs: str = ""  # a module that must be importable
    home: bool = False  # HOME is the case's folder/home
    expect: int = 2


@dataclass
class Result:
    """What a case's child did, and its folder before and after."""

    rc: int | None
    stdout: str
    stderr: str
    seconds: float
    folder: Path
    before: dict[str, Any] = field(repr=False)
    after: dict[str, Any] = field(repr=False)


def args(*given: str) -> Setup:
    """A case that needs no files."""
    return lambda folder, shared: list(given)


def with_file(name: str, content: bytes | str, *given: str) -> Setup:
    """A case with one file ``name`` in its folder."""

    def setup(folder: Path, shared: Shared) -> list[str]:
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
        return list(given)

    return setup


def with_fifo(name: str, *given: str) -> Setup:
    def setup(folder: Path, shared: Shared) -> list[str]:
        os.mkfifo(folder / name)
        return list(given)

    return setup


def with_folder(name: str, *given: str) -> Setup:
    def setup(folder: Path, shared: Shared) -> list[str]:
        (folder / name).mkdir()
        return list(given)

    return setup


def _scenario_text() -> str:
    return (REPO / "scenarios" / "richardson_stable.yaml").read_text(encoding="utf-8")


def big_seed_scenario(*given: str) -> Setup:
    def setup(folder: Path, shared: Shared) -> list[str]:
        text = _scenario_text().replace("\nseed: 1960\n", f"\nseed: {DIGITS}\n")
        assert DIGITS in text
        (folder / "s.yaml").write_text(text, encoding="utf-8")
        return list(given)

    return setup


def extends(value: str, *given: str, sub: bool = False) -> Setup:
    """A variant ``v.yaml`` (in ``sub/`` if ``sub``) whose ``extends:`` is ``value``."""

    def setup(folder: Path, shared: Shared) -> list[str]:
        where = folder / "sub" if sub else folder
        where.mkdir(exist_ok=True)
        (folder / "x.yaml").write_text(_scenario_text(), encoding="utf-8")  # a real parent
        (where / "v.yaml").write_text(
            f"extends: {value}\nmetadata:\n  title: A variant\n", encoding="utf-8"
        )
        return list(given)

    return setup


def copy_run(change: Callable[[Path], None], *given: str) -> Setup:
    """A copy ``R`` of the shared run folder, changed by ``change(R)``."""

    def setup(folder: Path, shared: Shared) -> list[str]:
        shutil.copytree(shared.run, folder / "R", symlinks=True)
        change(folder / "R")
        return list(given)

    return setup


def copy_ensemble(change: Callable[[Path], None], *given: str) -> Setup:
    """A copy ``E`` of the shared finished ensemble, changed by ``change(E)``."""

    def setup(folder: Path, shared: Shared) -> list[str]:
        shutil.copytree(shared.ensemble, folder / "E", symlinks=True)
        change(folder / "E")
        return list(given)

    return setup


def _manifest(edit: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def change(run: Path) -> None:
        data = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
        edit(data)
        (run / "manifest.json").write_text(json.dumps(data), encoding="utf-8")

    return change


def _replace(name: str, make: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(run: Path) -> None:
        (run / name).unlink()
        make(run / name)

    return change


def _write(name: str, text: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_text(text, encoding="utf-8")


def _link_to(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def _outside_transcript(folder: Path, shared: Shared) -> list[str]:
    (folder / "secret.md").write_text(f"# {SECRET}\n", encoding="utf-8")
    shutil.copytree(shared.run, folder / "R", symlinks=True)
    (folder / "R" / "transcript.md").unlink()
    (folder / "R" / "transcript.md").symlink_to("../secret.md")
    return ["report", "R"]


def _out_dot(folder: Path, shared: Shared) -> list[str]:
    # the current folder *is* a folder sim wrote: only the guard can refuse it
    shutil.copytree(shared.run, folder, dirs_exist_ok=True)
    return ["run", "richardson_stable", *FLAT, "--out", ".", "--force"]


def _out_home(folder: Path, shared: Shared) -> list[str]:
    # HOME is a folder sim wrote: only the guard can refuse it
    shutil.copytree(shared.run, folder / "home")
    return ["run", "richardson_stable", *FLAT, "--out", str(folder / "home"), "--force"]


def _out_link_to_run(folder: Path, shared: Shared) -> list[str]:
    shutil.copytree(shared.run, folder / "real")
    (folder / "link").symlink_to("real")
    return ["run", "richardson_stable", *FLAT, "--out", "link", "--force"]


def _resume_save_at_a_folder(folder: Path, shared: Shared) -> list[str]:
    from sim.play.session import PlaySession

    shutil.copyfile(REPO / "scenarios" / "richardson_stable.yaml", folder / "scen.yaml")
    PlaySession(folder / "scen.yaml", ["x"], seed=3, turns=2).save(folder / "game.json")
    (folder / "saves").mkdir()
    return ["play", "--resume", "game.json", "--save", "saves"]


def _dangling(*extra: str) -> Setup:
    def setup(folder: Path, shared: Shared) -> list[str]:
        (folder / "dangling").symlink_to("nowhere")
        return ["run", "richardson_stable", *FLAT, "--out", "dangling", *extra]

    return setup


RUN_OUT = ("run", "richardson_stable", *FLAT, "--out")
NOT_UTF8 = b"metadata:\n  title: caf\xe9\n"
TWO_MB = "# " + "x" * (2 * 1024 * 1024) + "\n"
DEEP = "[" * 100_000 + "]" * 100_000
SWEEP = ("sweep", "richardson_stable", "--runs", "2", "--turns", "3")
SENSITIVITY = ("sensitivity", "richardson_stable", "--turns", "3", "--samples", "2")
SCHEDULER = ("ensemble", "richardson_stable", "--runs", "3", "--turns", "3", "--quiet")
RESTRAINT = "actors.x.posture.restraint"


def _readers() -> dict[str, Case]:
    """`sim validate` and `sim run` on things that are not scenario files."""
    things: dict[str, tuple[Setup, str, bool]] = {
        "dev-zero": (args(), "/dev/zero", True),
        "dev-urandom": (args(), "/dev/urandom", True),
        "fifo": (with_fifo("pipe.yaml"), "pipe.yaml", True),
        "proc-self-status": (args(), "/proc/self/status", True),
        "folder": (with_folder("folder.yaml"), "folder.yaml", False),
        "2mb-file": (with_file("big.yaml", TWO_MB), "big.yaml", False),
        "non-utf8": (with_file("latin.yaml", NOT_UTF8), "latin.yaml", False),
    }
    cases: dict[str, Case] = {}
    for name, (make, path, device) in things.items():
        for command, extra in (("validate", ()), ("run", FLAT)):
            tail = [command, path, *extra]
            cases[f"{command}-{name}"] = Case(
                lambda f, s, make=make, tail=tail: [*make(f, s), *tail], names=path, device=device
            )
    return cases


CASES: dict[str, Case] = {
    # --out where nothing may be written
    "out-under-a-file": Case(with_file("afile", "mine\n", *RUN_OUT, "afile/x"), names="afile/x"),
    "out-dangling-symlink": Case(_dangling(), names="dangling"),
    "out-dangling-symlink-force": Case(_dangling("--force"), names="dangling"),
    "out-name-300-chars": Case(args(*RUN_OUT, "a" * 300), names="too long"),
    "out-dev-null-force": Case(args(*RUN_OUT, "/dev/null", "--force"), names="/dev/null"),
    "out-root-force": Case(args(*RUN_OUT, "/", "--force"), names="root folder"),
    "out-dot-force": Case(_out_dot, names="current folder"),
    "out-home-force": Case(_out_home, names="home folder", home=True),
    "out-tempdir-force": Case(
        args(*RUN_OUT, tempfile.gettempdir(), "--force"), names="system temp folder"
    ),
    "out-regular-file-force": Case(
        with_file("afile", "mine\n", *RUN_OUT, "afile", "--force"), names="afile"
    ),
    "out-symlink-to-run-force": Case(_out_link_to_run, names="link"),
    # integers of more than 4,300 digits (Python's int() limit)
    "seed-5000-digits": Case(args("run", "richardson_stable", *FLAT, "--seed", DIGITS), "--seed"),
    "turns-5000-digits": Case(args("run", "richardson_stable", "--turns", DIGITS), "--turns"),
    "runs-5000-digits": Case(args("ensemble", "richardson_stable", "--runs", DIGITS), "--runs"),
    "set-turns-5000-digits": Case(
        args("run", "richardson_stable", *FLAT, "--set", f"turns={DIGITS}"), "turns"
    ),
    "yaml-seed-5000-digits-validate": Case(big_seed_scenario("validate", "s.yaml"), "s.yaml"),
    "yaml-seed-5000-digits-run": Case(big_seed_scenario("run", "s.yaml", *FLAT), "s.yaml"),
    # extends: that may not be followed
    "extends-nul-validate": Case(extends('"a\\0b"', "validate", "v.yaml"), "v.yaml"),
    "extends-nul-run": Case(extends('"a\\0b"', "run", "v.yaml", *FLAT), "v.yaml"),
    "extends-unknown-bundled": Case(extends("bundled:no_such_id", "validate", "v.yaml"), "v.yaml"),
    "extends-parent-folder": Case(
        extends("../x.yaml", "validate", "sub/v.yaml", sub=True), "v.yaml"
    ),
    # the same parameter twice
    "sweep-duplicate-param": Case(
        args(*SWEEP, "--param", f"{RESTRAINT}=0:1:2", "--param", f"{RESTRAINT}=0:1:3"),
        names=RESTRAINT,
    ),
    "sensitivity-duplicate-params": Case(
        args(*SENSITIVITY, "--params", f"{RESTRAINT}=0:1", f"{RESTRAINT}=0.2:0.8"),
        names=RESTRAINT,
        needs="SALib",
    ),
    # a Dask scheduler that is not there
    "scheduler-http": Case(args(*SCHEDULER, "--scheduler", "http://127.0.0.1:1"), "127.0.0.1:1"),
    "scheduler-tcp-refused": Case(
        args(*SCHEDULER, "--scheduler", "tcp://127.0.0.1:1"), "127.0.0.1:1", needs="distributed"
    ),
    # a damaged ensemble folder, resumed
    "ensemble-record-garbled": Case(
        copy_ensemble(
            _write("ensemble.json", '{"tool": garbled'), *ENSEMBLE, "--out", "E", "--resume"
        ),
        names="ensemble.json",
    ),
    "ensemble-resume-other-seed": Case(
        copy_ensemble(lambda e: None, *ENSEMBLE[:-1], "2", "--out", "E", "--resume"),
        names="holds a different ensemble",
    ),
    # a run folder whose manifest is not one
    "compare-manifest-invalid-json": Case(
        copy_run(_write("manifest.json", '{"tool": '), "compare", "R", "richardson_stable"),
        names="manifest.json",
    ),
    "compare-manifest-seed-x": Case(
        copy_run(_manifest(lambda m: m.update(seed="x")), "compare", "R", "richardson_stable"),
        names="manifest.json",
    ),
    "compare-manifest-seed-2**70": Case(
        copy_run(_manifest(lambda m: m.update(seed=2**70)), "compare", "R", "richardson_stable"),
        names="manifest.json",
    ),
    "compare-manifest-symlink-etc-hostname": Case(
        copy_run(
            _replace("manifest.json", _link_to("/etc/hostname")),
            "compare",
            "R",
            "richardson_stable",
        ),
        names="manifest.json",
    ),
    "compare-manifest-fifo": Case(
        copy_run(_replace("manifest.json", os.mkfifo), "compare", "R", "richardson_stable"),
        names="manifest.json",
        device=True,
    ),
    # sim report on what is not a run folder, or holds what must not be read
    "report-not-a-run-folder": Case(with_file("notes.txt", "mine\n", "report", "."), "."),
    "report-transcript-dev-zero": Case(
        copy_run(_replace("transcript.md", _link_to("/dev/zero")), "report", "R"),
        names="transcript.md",
        device=True,
    ),
    "report-transcript-outside": Case(_outside_transcript, names="transcript.md"),
    "report-metrics-fifo": Case(
        copy_run(_replace("metrics.csv", os.mkfifo), "report", "R"),
        names="metrics.csv",
        device=True,
    ),
    # sim validate / sim run on what is not a scenario file
    **_readers(),
    # sim play
    "play-resume-deep-json": Case(
        with_file("game.json", DEEP, "play", "--resume", "game.json"), "game.json"
    ),
    "play-save-at-a-folder": Case(
        with_folder(
            "saves", "play", "richardson_stable", "--human", "x", "--turns", "2", "--save", "saves"
        ),
        names="saves",
    ),
    "play-resume-save-at-a-folder": Case(_resume_save_at_a_folder, names="saves"),
    "dashboard-dev-zero": Case(
        args("dashboard", "/dev/zero", "--port", "0"), "/dev/zero", device=True, needs="solara"
    ),
    # not exit 2: a garbled or edited chunk is recomputed (see the tests at the end)
    "ensemble-chunk-garbage": Case(
        copy_ensemble(
            lambda e: (e / "chunks" / "paths-00000.npz").write_bytes(os.urandom(3000)),
            *ENSEMBLE,
            "--out",
            "E",
            "--resume",
            "--quiet",
        ),
        expect=0,
    ),
    "ensemble-chunk-summary-edited": Case(
        copy_ensemble(
            lambda e: _edit_summary(e / "chunks" / "summary-00001.csv"),
            *ENSEMBLE,
            "--out",
            "E",
            "--resume",
            "--quiet",
        ),
        expect=0,
    ),
}


def _edit_summary(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    head, _, _ = lines[2].rpartition(",")
    lines[2] = head + ",0.5"  # one number changed: the chunk no longer matches its record
    path.write_text("\n".join(lines), encoding="utf-8")


REFUSED = [name for name, case in CASES.items() if case.expect == 2]
NOT_TESTABLE = {"out-name-with-nul": "a NUL byte cannot be passed in argv"}

XFAIL: dict[str, str] = {}
"""Cases that do not behave yet: case -> "BUG: ..." (strict xfail)."""


def _param(name: str) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=XFAIL[name])] if name in XFAIL else []
    return pytest.param(name, id=name, marks=marks)


# ---------------------------------------------------------------- running the cases


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return dashboard_env({**env, **(extra or {})})


def _snapshot(folder: Path) -> dict[str, Any]:
    """Every entry under ``folder``: a regular file's digest, else its kind (FIFOs not opened)."""
    out: dict[str, Any] = {}
    for root, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(root, name)
            mode = path.lstat().st_mode
            key = str(path.relative_to(folder))
            if stat.S_ISREG(mode):
                out[key] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif stat.S_ISLNK(mode):
                out[key] = ("link", os.readlink(path))
            else:
                out[key] = stat.S_IFMT(mode)
    return out


def _run_all(cases: dict[str, Case], root: Path, shared: Shared) -> dict[str, Result]:
    """Run every case, PARALLEL at a time, each in its own folder ``root/cases/<name>``."""
    waiting = sorted(cases, key=lambda name: name != SLOW)  # the slow one first
    running: dict[str, tuple[subprocess.Popen[bytes], float, dict[str, Any]]] = {}
    results: dict[str, Result] = {}
    logs = root / "logs"
    logs.mkdir()
    try:
        while waiting or running:
            while waiting and len(running) < PARALLEL + (SLOW in running):
                name = waiting.pop(0)
                case = cases[name]
                folder = root / "cases" / name
                folder.mkdir(parents=True)
                argv = case.setup(folder, shared)
                before = _snapshot(folder)
                # a HOME of its own (and matplotlib's settings kept out of it)
                home = {"HOME": str(folder / "home"), "MPLCONFIGDIR": str(logs / "mpl")}
                env = _env(home if case.home else None)
                with (
                    (logs / f"{name}.out").open("wb") as out,
                    (logs / f"{name}.err").open("wb") as err,
                ):
                    proc = subprocess.Popen(
                        [sys.executable, "-m", "sim", *argv],
                        cwd=folder,
                        env=env,
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=err,
                        start_new_session=True,
                        preexec_fn=_limit_memory if case.device else None,
                    )
                running[name] = (proc, time.monotonic(), before)
            for name, (proc, started, before) in list(running.items()):
                took = time.monotonic() - started
                killed = False
                if proc.poll() is None:
                    if took <= TIMEOUT:
                        continue
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                    killed = True
                del running[name]
                folder = root / "cases" / name
                results[name] = Result(
                    None if killed else proc.returncode,
                    (logs / f"{name}.out").read_text(errors="replace"),
                    (logs / f"{name}.err").read_text(errors="replace"),
                    took,
                    folder,
                    before,
                    _snapshot(folder),
                )
            time.sleep(0.05)
    finally:
        for proc, _, _ in running.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return results


def _sim(*commands: list[str], cwd: Path) -> None:
    """Run ``python -m sim COMMAND`` for each command at once; each must succeed."""
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "sim", *argv],
            cwd=cwd,
            env=_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in commands
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=TIMEOUT)
        assert proc.returncode == 0, err


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Shared:
    """A 3-turn run folder and a finished 600-replicate ensemble (the fresh lone run)."""
    root = tmp_path_factory.mktemp("shared")
    _sim(
        ["run", "richardson_stable", *FLAT, "--out", "run"],
        [*ENSEMBLE, "--out", "ensemble", "--quiet"],
        cwd=root,
    )
    return Shared(root / "run", root / "ensemble")


@pytest.fixture(scope="module")
def tempdir_listing() -> Iterator[dict[str, set[str]]]:
    """The system temp folder's entries before the cases ran, and after (read only)."""
    seen = {"before": set(os.listdir(tempfile.gettempdir()))}
    yield seen


@pytest.fixture(scope="module")
def results(
    tmp_path_factory: pytest.TempPathFactory,
    shared: Shared,
    tempdir_listing: dict[str, set[str]],
) -> dict[str, Result]:
    runnable = {n: c for n, c in CASES.items() if not c.needs or _has(c.needs)}
    done = _run_all(runnable, tmp_path_factory.mktemp("cases"), shared)
    tempdir_listing["after"] = set(os.listdir(tempfile.gettempdir()))
    return done


# ---------------------------------------------------------------- checks


@pytest.mark.parametrize(
    "name",
    [_param(name) for name in REFUSED]
    + [pytest.param(n, id=n, marks=pytest.mark.skip(reason=r)) for n, r in NOT_TESTABLE.items()],
)
def test_bad_input_is_refused_with_a_message(results: dict[str, Result], name: str) -> None:
    case = CASES[name]
    if case.needs and not _has(case.needs):
        pytest.skip(f"{case.needs} is not installed")
    r = results[name]
    assert r.rc is not None, f"still running after {TIMEOUT:.0f} s (killed)"
    assert "Traceback" not in r.stderr, r.stderr
    assert r.rc == 2, f"exit status {r.rc}\nstderr:\n{r.stderr}"
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 3, f"expected a one-to-few-line message, got:\n{r.stderr}"
    assert case.names in r.stderr, f"the message does not name {case.names!r}:\n{r.stderr}"
    assert r.after == r.before, (
        f"the folder changed: new {sorted(set(r.after) - set(r.before))}, "
        f"gone {sorted(set(r.before) - set(r.after))}"
    )


def test_the_system_temp_folder_is_left_alone(
    results: dict[str, Result], tempdir_listing: dict[str, set[str]]
) -> None:
    assert results["out-tempdir-force"].rc == 2
    # Other programs may remove their own entries meanwhile; ours (pytest's base
    # folder, which holds every case) and the case's own folder must still be there.
    ours = Path(tempfile.gettempdir()).resolve()
    base = results["out-tempdir-force"].folder.resolve()
    top = base.relative_to(ours).parts[0] if ours in base.parents else None
    if top is not None:
        assert top in tempdir_listing["before"] and top in tempdir_listing["after"]
    assert base.is_dir() and (base.parent / "out-dot-force" / "manifest.json").is_file()


def test_report_does_not_copy_a_file_from_outside(results: dict[str, Result]) -> None:
    r = results["report-transcript-outside"]
    assert r.rc == 2, r.stderr
    for path in r.folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.name != "secret.md":
            assert SECRET not in path.read_text(errors="replace"), path
    assert not (r.folder / "R" / "report.html").exists()
    assert SECRET not in r.stdout + r.stderr


def test_scheduler_refused_in_reasonable_time(results: dict[str, Result]) -> None:
    if not _has("distributed"):
        pytest.skip("dask.distributed is not installed")
    r = results["scheduler-tcp-refused"]
    assert r.rc == 2, r.stderr
    assert r.seconds < REFUSE_SCHEDULER, f"took {r.seconds:.1f} s"


@pytest.mark.parametrize("name", ["ensemble-chunk-garbage", "ensemble-chunk-summary-edited"])
def test_damaged_chunk_is_recomputed_on_resume(
    results: dict[str, Result], shared: Shared, name: str
) -> None:
    r = results[name]
    assert "Traceback" not in r.stderr, r.stderr
    assert r.rc == 0, f"exit status {r.rc}\nstderr:\n{r.stderr}"
    for name in ("summary.csv", "stats.csv"):  # as a fresh lone run wrote them
        assert (r.folder / "E" / name).read_bytes() == (shared.ensemble / name).read_bytes(), name
    leftovers = [p.name for p in (r.folder / "E").rglob(".*") if p.name != LOCK_FILE]
    assert not leftovers, leftovers  # the lock file stays: it is listed in the manifest
