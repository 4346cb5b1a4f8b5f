"""`sim dashboard` against hostile input: broken or endless scenarios, foreign hosts, the CDN.

* A scenario the loader refuses stops ``sim dashboard`` before it listens:
  exit status 2, ``file:line:column`` on stderr, no traceback.
* A running server answers only requests addressed to its own address (DNS
  rebinding) and refuses cross-site ones, for plain HTTP and WebSocket upgrades.
* A missing asset is a prompt 404: the server never fetches from a CDN. It
  runs with every proxy variable pointing at a listening "trap" socket of this
  test, so any outgoing HTTP(S) request it tried would land there, on the
  loopback address, and fail the test.

One server is started for the module (``start_dashboard`` in conftest.py).
Everything is skipped when solara (the ``dashboard`` extra) is not installed,
except the unit tests of :mod:`sim.dashboard.guard`, which needs no web library.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sim.dashboard.guard import HostGuard, allowed_hosts
from tests.conftest import REPO, SMALL, Dashboard, dashboard_env

HAS_SOLARA = importlib.util.find_spec("solara") is not None
needs_solara = pytest.mark.skipif(
    not HAS_SOLARA, reason="solara is not installed (pip install -e '.[dashboard]')"
)

REFUSE_TIMEOUT = 20.0
"""Seconds ``sim dashboard BAD`` may take to exit (most of it is importing Solara)."""

PROMPT = 2.0
"""Seconds within which a refused request or a missing asset must be answered."""

MEMORY_LIMIT = 4 * 1024**3
"""Address space of a ``sim dashboard`` child that reads a hostile scenario (bytes)."""

WS_HEADERS = (
    "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
)
WS_PATH = "/jupyter/api/kernels/hostile-test/channels?session_id=hostile-test"


# ---------------------------------------------------------------- helpers


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _dashboard(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run ``sim dashboard ARGS`` to its end (killed after REFUSE_TIMEOUT); also its duration."""
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "sim", "dashboard", *args],
            cwd=REPO,
            env=dashboard_env({"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=REFUSE_TIMEOUT,
            preexec_fn=_limit_memory if os.name == "posix" else None,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"sim dashboard {' '.join(args)} still ran after {REFUSE_TIMEOUT:.0f} s")
    return done, time.monotonic() - started


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _assert_refused_cleanly(done: subprocess.CompletedProcess[str], took: float) -> None:
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "Traceback" not in output, output
    assert "sim dashboard: http" not in done.stdout, "it started serving"
    assert took < REFUSE_TIMEOUT


def _request(
    port: int,
    path: str = "/",
    host: str | None = "",
    *,
    method: str = "GET",
    extra: str = "",
) -> tuple[int, float]:
    """Send one raw request to 127.0.0.1:port; the status and how long the answer took.

    ``host`` "" is the right one, None sends none (an HTTP/1.0 request).
    """
    if host == "":
        host = f"127.0.0.1:{port}"
    if host is None:
        head = f"{method} {path} HTTP/1.0\r\n{extra}\r\n"
    else:
        close = "" if "Upgrade" in extra else "Connection: close\r\n"
        head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n{extra}{close}\r\n"
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode("latin-1"))
        data = b""
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    took = time.monotonic() - started
    m = re.match(rb"HTTP/1\.[01] (\d{3}) ", data)
    assert m, f"no HTTP status line in {data[:200]!r}"
    return int(m.group(1)), took


# ---------------------------------------------------------------- refused before serving

BROKEN_YAML = """\
metadata:
  title: Broken on purpose
turns: 12
actors:
  red:
    name: Red
     voice: Red City
"""


@needs_solara
@pytest.mark.parametrize(
    "text",
    [BROKEN_YAML, SMALL.replace("turns: 12", "turns: lots")],
    ids=["yaml-syntax", "schema"],
)
def test_broken_scenario_is_refused_before_serving(tmp_path: Path, text: str) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")
    port = _free_port()
    done, took = _dashboard(str(broken), "--port", str(port))
    _assert_refused_cleanly(done, took)
    assert re.search(r"broken\.yaml:\d+:\d+", done.stderr), done.stderr
    assert not _listening(port)


@needs_solara
def test_unknown_scenario_is_refused(tmp_path: Path) -> None:
    done, took = _dashboard(str(tmp_path / "nowhere.yaml"), "--port", "0")
    _assert_refused_cleanly(done, took)
    assert "no such file" in done.stderr


@needs_solara
@pytest.mark.parametrize("kind", ["dev-zero", "fifo"])
def test_endless_scenario_is_refused(tmp_path: Path, kind: str) -> None:
    # serve() hands the file to the loader before anything else reads it, and the
    # loader's reads are bounded: without that /dev/zero would fill the memory (capped
    # here) and a FIFO would block forever.
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        path = tmp_path / "pipe.yaml"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
        if not path.exists():
            pytest.skip("no /dev/zero here")
    done, took = _dashboard(str(path), "--port", "0")
    _assert_refused_cleanly(done, took)
    assert took < REFUSE_TIMEOUT / 2, f"took {took:.1f} s"


# ---------------------------------------------------------------- a running server


@pytest.fixture(scope="module")
def trap() -> Iterator[socket.socket]:
    """A listening socket given to the server as every proxy: what reaches it tried to leave."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        sock.setblocking(False)
        yield sock


def _assert_nothing_trapped(trap: socket.socket) -> None:
    try:
        conn, _ = trap.accept()
    except BlockingIOError:
        return
    conn.settimeout(1)
    try:
        first = conn.recv(200)
    except OSError:
        first = b""
    conn.close()
    pytest.fail(f"the dashboard tried to reach outside the machine: {first!r}")


@pytest.fixture(scope="module")
def server(start_dashboard: Any, trap: socket.socket) -> Dashboard:
    if not HAS_SOLARA:
        pytest.skip("solara is not installed (pip install -e '.[dashboard]')")
    proxy = f"http://127.0.0.1:{trap.getsockname()[1]}"
    env = {
        name: proxy
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")
    }
    env.update(NO_PROXY="", no_proxy="", SOLARA_ASSETS_CDN="http://127.0.0.1:9/npm/")
    dashboard: Dashboard = start_dashboard(env=env)
    return dashboard


def test_the_right_host_is_answered(server: Dashboard) -> None:
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}"):
        status, _ = _request(server.port, host=host)
        assert status == 200, host


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:{port}", "127.0.0.1", "127.0.0.1:1", "localhost.evil.example"],
)
def test_a_foreign_host_is_refused(server: Dashboard, host: str) -> None:
    status, took = _request(server.port, host=host.format(port=server.port))
    assert status == 400
    assert took < PROMPT


def test_a_request_without_host_is_refused(server: Dashboard) -> None:
    status, _ = _request(server.port, host=None)
    assert status == 400


def test_websocket_upgrades_need_the_right_host_and_origin(server: Dashboard) -> None:
    port = server.port
    status, _ = _request(port, WS_PATH, host="evil.example", extra=WS_HEADERS)
    assert status == 403
    status, _ = _request(port, WS_PATH, host=f"evil.example:{port}", extra=WS_HEADERS)
    assert status == 403
    foreign = WS_HEADERS + "Origin: http://evil.example\r\n"
    status, _ = _request(port, WS_PATH, extra=foreign)
    assert status == 403
    own = WS_HEADERS + f"Origin: http://127.0.0.1:{port}\r\n"
    status, _ = _request(port, WS_PATH, extra=own)
    assert status == 101


def test_a_cross_site_request_is_refused(server: Dashboard) -> None:
    status, _ = _request(
        server.port,
        "/_solara/api/close/hostile-test",
        method="POST",
        extra="Origin: http://evil.example\r\nContent-Length: 0\r\n",
    )
    assert status == 403


@pytest.mark.parametrize(
    "path",
    [
        "/_solara/cdn/some-package@1.0.0/x.js",
        "/_solara/cdn/left-pad-hostile-test",
        "/_solara/cdn/@widgetti/solara-vuetify-app@0.0.1/dist/missing.js",
        "/static/missing-hostile-test.js",
        "/static/assets/missing-hostile-test.css",
    ],
)
def test_a_missing_asset_is_a_prompt_404(server: Dashboard, trap: socket.socket, path: str) -> None:
    status, took = _request(server.port, path)
    assert status == 404
    assert took < PROMPT, f"{path} took {took:.1f} s: was it fetched from somewhere?"
    _assert_nothing_trapped(trap)


def test_the_page_loads_its_assets_from_the_server(server: Dashboard, trap: socket.socket) -> None:
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(server.url, timeout=10) as response:
        html = response.read().decode()
    links = set(re.findall(r"""(?:src|href)=["']([^"']+)["']""", html))
    outside = {u for u in links if re.match(r"^(?:[a-z]+:)?//", u, re.I)}
    assert not outside, f"the page links outside the server: {outside}"
    cdn = {u for u in links if u.startswith("/_solara/cdn/")}
    assert cdn, "expected the page's scripts at /_solara/cdn/ (served from solara-assets)"
    for url in sorted(cdn):
        status, took = _request(server.port, url)
        assert status == 200, url
        assert took < PROMPT, url
    _assert_nothing_trapped(trap)


# ---------------------------------------------------------------- the guard on its own


def _run_guard(hosts: Iterable[str], scope: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    """Send one request through a HostGuard: the messages it sent, and whether the app ran."""
    sent: list[dict[str, Any]] = []
    called = False

    async def app(scope: Any, receive: Any, send: Any) -> None:
        nonlocal called
        called = True

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: Any) -> None:
        sent.append(dict(message))

    asyncio.run(HostGuard(app, hosts)(scope, receive, send))
    return sent, called


def test_allowed_hosts() -> None:
    assert allowed_hosts("127.0.0.1", 8765) == {"127.0.0.1:8765", "localhost:8765"}
    assert allowed_hosts("::1", 8765) == {"[::1]:8765", "localhost:8765"}
    assert {"127.0.0.1", "localhost"} <= allowed_hosts("127.0.0.1", 80)


@pytest.mark.parametrize(
    ("kind", "headers", "passes", "status"),
    [
        ("http", [(b"host", b"127.0.0.1:8765")], True, None),
        ("http", [(b"host", b"LOCALHOST:8765")], True, None),
        ("http", [(b"host", b"[::1]:8765")], False, 400),
        ("http", [(b"host", b"evil.example:8765")], False, 400),
        ("http", [], False, 400),
        ("http", [(b"host", b"127.0.0.1:8765"), (b"host", b"evil.example")], False, 400),
        ("http", [(b"host", b"127.0.0.1:8765"), (b"origin", b"http://127.0.0.1:8765")], True, None),
        ("http", [(b"host", b"127.0.0.1:8765"), (b"origin", b"null")], False, 403),
        ("http", [(b"host", b"127.0.0.1:8765"), (b"origin", b"http://evil.example")], False, 403),
        ("websocket", [(b"host", b"127.0.0.1:8765")], True, None),
        ("websocket", [(b"host", b"evil.example")], False, "close"),
        ("lifespan", [], True, None),
    ],
)
def test_guard(kind: str, headers: list[tuple[bytes, bytes]], passes: bool, status: Any) -> None:
    sent, called = _run_guard(allowed_hosts("127.0.0.1", 8765), {"type": kind, "headers": headers})
    assert called is passes
    if status == "close":
        assert sent[0]["type"] == "websocket.close"
    elif status is not None:
        assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == status
    else:
        assert sent == []
