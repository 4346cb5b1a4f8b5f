"""An ASGI wrapper that answers only requests addressed to the dashboard's own address.

A web page on any site can make the browser send requests to ``127.0.0.1``:
with DNS rebinding its own host name comes to point at the loopback address,
and a page can open a WebSocket to any address. :class:`HostGuard` refuses

* every request (plain HTTP or WebSocket upgrade) whose ``Host`` header is not
  the address the server is bound to (``127.0.0.1:PORT``, ``localhost:PORT``,
  ``[::1]:PORT`` when bound there): 400 for HTTP, 403 for a WebSocket;
* every request that carries an ``Origin`` header naming another site (a
  cross-site form post, fetch or WebSocket): 403.

Plain Python (no web library), so it can be tested on its own.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

__all__ = ["HostGuard", "allowed_hosts", "url_host"]


def url_host(host: str) -> str:
    """``host`` as it appears in a URL or ``Host`` header (IPv6 addresses in brackets)."""
    try:
        if ipaddress.ip_address(host).version == 6:
            return f"[{host}]"
    except ValueError:
        pass
    return host


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The ``Host`` header values a server bound to ``host:port`` answers (lower case).

    The bound address itself and ``localhost`` (the name a person types), each
    with the port; without the port as well when it is 80 (browsers leave it out).
    """
    names = {url_host(host.lower()), "localhost"}
    values = {f"{name}:{port}" for name in names}
    if port == 80:
        values |= names
    return frozenset(values)


class HostGuard:
    """Refuse requests to other host names, and cross-site requests (see the module doc).

    Args:
        app: The ASGI application to protect.
        hosts: Accepted ``Host`` header values, e.g. from :func:`allowed_hosts`.
    """

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(h.lower() for h in hosts)
        self.origins = frozenset(f"http://{h}" for h in self.hosts)

    def problem(self, headers: Iterable[tuple[bytes, bytes]]) -> tuple[int, str] | None:
        """Why a request with these headers is refused (status, text), or None."""
        hosts: list[str] = []
        origins: list[str] = []
        for name, value in headers:
            key = name.lower()
            if key == b"host":
                hosts.append(value.decode("latin-1").strip().lower())
            elif key == b"origin":
                origins.append(value.decode("latin-1").strip().lower().rstrip("/"))
        if len(hosts) != 1 or hosts[0] not in self.hosts:
            return 400, "Invalid Host header: this server answers only its own loopback address."
        if any(origin not in self.origins for origin in origins):
            return 403, "Cross-site request refused."
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or refuse it."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        refused = self.problem(scope.get("headers") or [])
        if refused is None:
            await self.app(scope, receive, send)
            return
        status, text = refused
        if scope["type"] == "websocket":
            # Closing before accepting refuses the handshake: the server answers 403.
            await send({"type": "websocket.close", "code": 1008, "reason": ""})
            return
        body = text.encode() + b"\n"
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
