"""Shared fixtures: small scenario files written into a temporary folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")

settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parent.parent
FLAGSHIP = REPO / "scenarios" / "dec2025_joint_drill.yaml"

# Browser tests: Debian's Chromium, driven by Playwright (never `playwright install`).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def only_from(target: Any, allowed: Callable[[str], bool], outside: list[str]) -> None:
    """Let a Playwright page or context load only the URLs ``allowed`` accepts.

    Every other request is noted in ``outside`` and aborted, so a test can assert
    that a page loads nothing from anywhere else.
    """

    def route(r: Any) -> None:
        if allowed(r.request.url):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    target.route("**/*", route)


def one_of(names: tuple[str, ...] | list[str]) -> str:
    """Names as sim's messages list them ('a', 'b' or 'c'), so a test never pins a list."""
    quoted = [f"'{n}'" for n in names]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}" if len(quoted) > 1 else quoted[0]


def sim_env(**extra: str) -> dict[str, str]:
    """The environment for a ``python -m sim`` child: this checkout first on the path."""
    return {**os.environ, "PYTHONPATH": str(REPO), **extra}


def run_sim(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sim ARGS`` in ``cwd`` to completion; text output captured."""
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        env=sim_env(**(env or {})),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_sim(*args: str, cwd: Path, new_session: bool = False) -> subprocess.Popen[str]:
    """Start ``python -m sim ARGS`` in ``cwd`` (stdout dropped, stderr captured as text)."""
    return subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        env=sim_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=new_session,
    )


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    """Where browser tests keep screenshots and PDFs for a person to look at.

    ``$SIM_TEST_ARTIFACTS`` when set (created if missing), else the test's own
    temporary folder: tests never write into the checkout.
    """
    chosen = os.environ.get("SIM_TEST_ARTIFACTS")
    folder = Path(chosen) if chosen else tmp_path / "artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


SMALL = """\
metadata:
  title: Small test scenario
  sources:
    - key: s1
      title: A source
turns: 12
seed: 5
actors:
  red:
    name: Red
    posture:
      threat_sensitivity: 0.7
      resolve: {value: 0.6, basis: {source: s1, part: intro, reasoning: our words}}
  blue:
    name: Blue
    voice: Blue City
  green:
    name: Green
    policy: tit_for_tat
relationships:
  red:
    blue: {alignment: -0.6, label: rivals}
  blue:
    green: {alignment: 0.5, channels: {hotline: 0.5}}
# The moves of the old default library, in their old order: the missile-defence
# library's, without the core's generic additions.
libraries: [library:missile_defence]
moves: {partner_exercise: null, deployment_notice: null, live_fire_exercise: null,
        activity_pause: null, explicit_threat: null}
injects:
  drill:
    label: Red holds a drill
    when: {turn: 1}
    effects:
      - move: {actor: red, move: joint_missile_defence_drill}
"""


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a YAML file (dedented) into the test's folder and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def small(write: Callable[[str, str], Path]) -> Path:
    """A valid three-actor scenario file."""
    return write("small.yaml", SMALL)


# ---------------------------------------------------------------- `sim dashboard` servers

DASHBOARD_START_TIMEOUT = 60.0
_DASHBOARD_URL = re.compile(rb"sim dashboard: http://127\.0\.0\.1:(\d+)/")
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy


@dataclass
class Dashboard:
    """A ``sim dashboard`` subprocess on 127.0.0.1; its output goes to ``log``."""

    proc: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def dashboard_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a dashboard subprocess runs in: offline settings, this checkout first."""
    env = dict(os.environ)
    env.update(
        SOLARA_TELEMETRY_MIXPANEL_ENABLE="false",
        MPLBACKEND="Agg",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    env.update(extra or {})
    return env


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def start_dashboard(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., Dashboard]]:
    """Start ``sim dashboard ARGS --port 0`` and wait until its page answers.

    Call it as ``start_dashboard("scenario.yaml", env={...})``; every server it
    started is stopped when the module's tests are done.
    """
    started: list[subprocess.Popen[bytes]] = []
    folder = tmp_path_factory.mktemp("dashboard")

    def start(*args: str, env: Mapping[str, str] | None = None) -> Dashboard:
        log = folder / f"server-{len(started)}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "sim", "dashboard", *args, "--port", "0"],
                cwd=REPO,
                env=dashboard_env(env),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        started.append(proc)
        deadline = time.monotonic() + DASHBOARD_START_TIMEOUT
        port = 0
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"dashboard exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            if not port and (m := _DASHBOARD_URL.search(log.read_bytes())):
                port = int(m.group(1))
            if port:
                try:
                    url = f"http://127.0.0.1:{port}/"
                    with _DIRECT.open(url, timeout=2) as response:
                        if response.status == 200:
                            return Dashboard(proc, port, log)
                except (urllib.error.URLError, OSError):
                    pass
            time.sleep(0.25)
        pytest.fail(
            f"dashboard did not answer within {DASHBOARD_START_TIMEOUT:.0f} s:\n"
            f"{log.read_text()[-3000:]}"
        )

    try:
        yield start
    finally:
        for proc in started:
            _stop(proc)
