"""The seminar's HTTP server: the standard library's threading server, JSON and long polling.

Routes (anything else, and any token that opens nothing, is the same short 404)::

    GET  /t/<token>                 the page (one page; its script asks for its view)
    GET  /static/<file>             the page's script, chart code and style sheet
    GET  /api/<token>/view?after=V  the role's view once its version (a digest of the
                                    view itself) differs from V: waits up to
                                    :data:`POLL_SECONDS`, then answers anyway
    POST /api/<token>/<action>      an action of that role (:mod:`sim.seminar.actions`)

Every request must carry a ``Host`` header naming the address the server is
bound to (:func:`sim.dashboard.guard.allowed_hosts`: 400 otherwise, against DNS
rebinding) and no ``Origin`` of another site (403). Every answer carries
``Content-Security-Policy: default-src 'self'`` (no inline script, nothing
from elsewhere), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy:
no-referrer`` (tokens are in the links) and ``Cache-Control: no-store``. A body
is at most :data:`BODY_LIMIT` bytes (413 beyond) and must be a JSON object
sent as ``application/json`` (415 otherwise).

Example::

    server = SeminarServer(room, finish=lambda: "run")   # 127.0.0.1, a free port
    server.start()
    print(server.url(room.tokens["console"]))
    ...
    server.stop()
"""

from __future__ import annotations

import contextlib
import json
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sim.dashboard.guard import allowed_hosts, url_host
from sim.errors import SimError
from sim.play.shapes import PlayError
from sim.seminar.actions import NotFound, perform
from sim.seminar.room import Room
from sim.seminar.views import stamp, view_for

#: Longest a long poll waits for a change (seconds).
POLL_SECONDS = 20.0
#: Largest request body accepted (bytes).
BODY_LIMIT = 16 * 1024
#: The files under ``/static/`` and their content types.
STATIC: dict[str, str] = {
    "seminar.js": "text/javascript; charset=utf-8",
    "chart.js": "text/javascript; charset=utf-8",
    "seminar.css": "text/css; charset=utf-8",
}
PAGE = "page.html"
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
    ("X-Frame-Options", "DENY"),
)
NOT_FOUND = b"not found\n"


def static_file(name: str) -> bytes:
    """The bytes of a file shipped in ``sim/seminar/static``."""
    return resources.files("sim.seminar").joinpath("static", name).read_bytes()


def page_weight() -> int:
    """Bytes of the page, its scripts and its style sheet (what a phone downloads once)."""
    return sum(len(static_file(n)) for n in (PAGE, *STATIC))


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "sim-seminar"
    # a connection that sends nothing for this long is closed (its thread ends)
    timeout = POLL_SECONDS * 3

    def version_string(self) -> str:
        """The ``Server`` header: no Python version."""
        return self.server_version

    def setup(self) -> None:
        """Keep track of the connection, so that :meth:`SeminarServer.stop` can close it."""
        super().setup()
        with self.server.guard:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        """Forget the connection."""
        try:
            super().finish()
        finally:
            with self.server.guard:
                self.server.connections.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a request log would print every link's token."""

    # ------------------------------------------------------------ answering

    def _send(self, status: int, body: bytes, kind: str = "text/plain; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in SECURITY_HEADERS:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        body = json.dumps(data, separators=(",", ":")).encode()
        self._send(status, body, "application/json")

    def _not_found(self) -> None:
        self._send(404, NOT_FOUND)

    def _refused(self) -> bool:
        """Answer 400/403 and return True when the Host or Origin is not this server's."""
        hosts = self.headers.get_all("Host") or []
        if len(hosts) != 1 or hosts[0].strip().lower() not in self.server.hosts:
            self.close_connection = True
            self._send(400, b"Invalid Host header: this server answers only its own address.\n")
            return True
        origin = self.headers.get("Origin")
        if origin is not None and origin.strip().lower().rstrip("/") not in self.server.origins:
            self.close_connection = True
            self._send(403, b"Cross-site request refused.\n")
            return True
        return False

    def _role(self, token: str) -> str | None:
        return self.server.room.role(token) if token else None

    # ------------------------------------------------------------ methods

    def do_GET(self) -> None:
        """Pages, static files and long polls."""
        if self._refused():
            return
        parts = urlsplit(self.path)
        segments = parts.path.split("/")[1:]
        if len(segments) == 2 and segments[0] == "t" and self._role(segments[1]):
            self._send(200, static_file(PAGE), "text/html; charset=utf-8")
        elif len(segments) == 2 and segments[0] == "static" and segments[1] in STATIC:
            self._send(200, static_file(segments[1]), STATIC[segments[1]])
        elif len(segments) == 3 and segments[0] == "api" and segments[2] == "view":
            self._view(segments[1], parts.query)
        else:
            self._not_found()

    def _view(self, token: str, query: str) -> None:
        """Answer the role's view once it differs from the one the page holds (``after``).

        Every change in the room wakes every waiting poll; each rebuilds its own
        role's view and goes back to waiting while that view is unchanged, so an
        answer's timing tells a page only about changes it may see.
        """
        room = self.server.room
        if self._role(token) is None:
            self._not_found()
            return
        after = parse_qs(query).get("after", [""])[0]
        deadline = time.monotonic() + self.server.poll_seconds
        with room.lock:
            while True:
                role = room.role(token)  # a regenerated token opens nothing, even mid-wait
                if role is None:
                    self._not_found()
                    return
                try:
                    view = view_for(room, role)
                except SimError as exc:
                    view = stamp({"role": role, "error": str(exc)})
                left = deadline - time.monotonic()
                if view["version"] != after or room.closing or left <= 0:
                    break
                room.wait(room.version, left)
        self._json(200, view)

    def do_POST(self) -> None:
        """Actions."""
        if self._refused():
            return
        if self.server.room.closing:  # the server is stopping: no more changes
            self.close_connection = True
            self._send(503, b"The server is stopping.\n")
            return
        segments = urlsplit(self.path).path.split("/")[1:]
        role = None
        if len(segments) == 3 and segments[0] == "api":
            role = self._role(segments[1])
        if role is None:
            self.close_connection = True
            self._not_found()
            return
        body = self._body()
        if body is None:
            return
        try:
            answer = perform(self.server.room, role, segments[2], body, self.server.finish)
        except NotFound:
            self._not_found()
        except PlayError as exc:
            self._json(400, {"ok": False, "error": str(exc)})
        except SimError as exc:
            self._json(500, {"ok": False, "error": str(exc)})
        else:
            self._json(200, answer)

    def _body(self) -> dict[str, Any] | None:
        """The request's JSON object, or None after answering 411/413/415/400."""
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self.close_connection = True
            self._send(411, b"Content-Length required.\n")
            return None
        if length < 0 or length > BODY_LIMIT:
            self.close_connection = True
            self._send(413, b"Request body too large.\n")
            return None
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        raw = self.rfile.read(length)
        if kind != "application/json":
            self._send(415, b"Send JSON (Content-Type: application/json).\n")
            return None
        try:
            data = json.loads(raw.decode("utf-8")) if raw else {}
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            data = None
        if not isinstance(data, dict):
            self._json(400, {"ok": False, "error": "the body must be a JSON object"})
            return None
        return data


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    room: Room
    hosts: frozenset[str]
    origins: frozenset[str]
    finish: Callable[[], str]
    poll_seconds: float
    connections: set[socket.socket]
    guard: threading.Lock

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A page that went away mid-answer (a phone slept) is normal: say nothing."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class _Server6(_Server):
    address_family = socket.AF_INET6


class SeminarServer:
    """A room served over HTTP on ``host:port`` (port 0: a free one), in a thread of its own.

    Args:
        room: The room.
        finish: Writes the run folder, returns its name (the console's ``finish``).
        host: Address to bind (default loopback; ``--lan`` gives the room's network address).
        port: Port (0: any free port; :attr:`port` says which).
        poll_seconds: Longest a long poll waits.
    """

    def __init__(
        self,
        room: Room,
        finish: Callable[[], str],
        host: str = "127.0.0.1",
        port: int = 0,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.room = room
        self.host = host
        kind = _Server6 if ":" in host else _Server
        self.httpd = kind((host, port), _Handler)
        self.port = int(self.httpd.server_address[1])
        self.httpd.room = room
        self.httpd.hosts = allowed_hosts(host, self.port)
        self.httpd.origins = frozenset(f"http://{h}" for h in self.httpd.hosts)
        self.httpd.finish = finish
        self.httpd.poll_seconds = poll_seconds
        self.httpd.connections = set()
        self.httpd.guard = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        """``http://host:port`` of this server."""
        return f"http://{url_host(self.host)}:{self.port}"

    def url(self, token: str) -> str:
        """The link of a token's page."""
        return f"{self.origin}/t/{token}"

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def serve_forever(self) -> None:
        """Serve in this thread until Ctrl-C, then call :meth:`stop` from this thread."""
        self.httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving, wake every long poll, close every open connection and free the port.

        Open keep-alive connections are closed too, so no request reaches this
        room after it returns (a browser then reconnects to whatever serves next).
        """
        self.room.close()
        if self._thread is not None:
            # A background loop is asked to end and waited for. A loop in this thread
            # has already ended (Ctrl-C), or never began if Ctrl-C came first: asking
            # would then wait forever for a loop that never runs.
            self.httpd.shutdown()
        self.httpd.server_close()
        with self.httpd.guard:
            open_now = list(self.httpd.connections)
        for conn in open_now:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
