"""The seminar's HTTP server, for real on a free loopback port (urllib, no browser)."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sim.seminar import store
from sim.seminar.room import Room
from sim.seminar.server import BODY_LIMIT, NOT_FOUND, SeminarServer
from tests.seminar.helpers import TEAM_A, TEAM_B, make_room

CANARY = "CANARY-http-5d1a"


def request(
    server: SeminarServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One request with exactly the headers given (Host defaults to the server's own)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        sent = {"Host": f"127.0.0.1:{server.port}", **(headers or {})}
        if body is not None:
            sent.setdefault("Content-Length", str(len(body)))
        for name, value in sent.items():
            conn.putheader(name, value)
        conn.endheaders()
        if body is not None:
            conn.send(body)
        answer = conn.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        conn.close()


def post(server: SeminarServer, token: str, action: str, data: Any, **headers: str) -> Any:
    status, _, body = request(
        server,
        "POST",
        f"/api/{token}/{action}",
        json.dumps(data).encode(),
        {"Content-Type": "application/json", **headers},
    )
    return status, body


def view(server: SeminarServer, token: str, after: int = 0) -> tuple[int, Any]:
    status, _, body = request(server, "GET", f"/api/{token}/view?after={after}")
    return status, (json.loads(body) if status == 200 else body)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[SeminarServer, Room]]:
    room = make_room()
    room.on_change = store.saver(tmp_path)
    store.save(room, tmp_path)
    server = SeminarServer(
        room, lambda: store.finish(room, tmp_path, ["sim"], figures=False), poll_seconds=3
    )
    server.start()
    try:
        yield server, room
    finally:
        server.stop()


def test_each_link_opens_its_page_with_the_security_headers(served: Any) -> None:
    server, room = served
    for token in room.tokens.values():
        status, headers, body = request(server, "GET", f"/t/{token}")
        assert status == 200 and body.startswith(b"<!doctype html>")
        assert headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store"
    assert b"<script>" not in body  # no inline script: the CSP allows files only
    for name in ("seminar.js", "chart.js", "seminar.css"):
        status, headers, _ = request(server, "GET", f"/static/{name}")
        assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"


def test_a_wrong_token_or_path_gets_the_same_empty_404(served: Any) -> None:
    server, room = served
    real = room.tokens["console"]
    for path in (
        "/t/nope",
        f"/t/{real[:-1]}",
        "/api/nope/view",
        "/",
        "/t/",
        "/static/x.js",
        f"/api/{real}/nothing",
        f"/t/{real}/x",
        "/favicon.ico",
    ):
        status, _, body = request(server, "GET", path)
        assert (status, body) == (404, NOT_FOUND), path
    status, body = post(server, "nope", "close", {})
    assert (status, body) == (404, NOT_FOUND)


def test_a_role_may_take_only_its_own_actions(served: Any) -> None:
    server, room = served
    team = room.tokens[f"team:{TEAM_A}"]
    projector = room.tokens["projector"]
    for token, action in (
        (team, "close"),
        (team, "reveal"),
        (projector, "close"),
        (projector, "submit"),
        (room.tokens["console"], "submit"),
    ):
        status, body = post(server, token, action, {"move": "hold"})
        assert (status, body) == (404, NOT_FOUND), action
    assert room.session.played == 0 and not room.submissions


def test_host_and_origin_are_checked_on_every_request(served: Any) -> None:
    server, room = served
    page = f"/t/{room.tokens['console']}"
    for host in ("evil.example:80", f"evil.example:{server.port}", "127.0.0.1", "10.0.0.1:1"):
        assert request(server, "GET", page, headers={"Host": host})[0] == 400, host
    assert request(server, "GET", page, headers={"Host": f"localhost:{server.port}"})[0] == 200
    status, _ = post(server, room.tokens["console"], "close", {}, Origin="http://evil.example")
    assert status == 403 and room.session.played == 0
    status, _ = post(server, room.tokens["console"], "close", {}, Origin=server.origin)
    assert status == 200 and room.session.played == 1


def test_bodies_are_bounded_and_must_be_json(served: Any) -> None:
    server, room = served
    token = room.tokens[f"team:{TEAM_A}"]
    big = json.dumps({"move": "hold", "text": "x" * BODY_LIMIT}).encode()
    status, _, _ = request(
        server, "POST", f"/api/{token}/submit", big, {"Content-Type": "application/json"}
    )
    assert status == 413
    status, _, _ = request(
        server,
        "POST",
        f"/api/{token}/submit",
        b"move=hold",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 415
    status, _, body = request(
        server, "POST", f"/api/{token}/submit", b"[1]", {"Content-Type": "application/json"}
    )
    assert status == 400 and b"JSON object" in body
    status, body = post(server, token, "submit", {"move": "no_such_move"})
    assert status == 400 and b"may not choose" in body
    assert not room.submissions


def test_a_long_poll_answers_as_soon_as_something_changes(served: Any) -> None:
    server, room = served
    b = room.tokens[f"team:{TEAM_B}"]
    status, first = view(server, b)
    assert status == 200 and first["role"] == "team" and first["team"] == TEAM_B
    answers: list[tuple[float, Any]] = []

    def wait() -> None:
        answers.append((time.perf_counter(), view(server, b, first["version"])[1]))

    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(0.5)
    assert not answers  # still waiting: nothing changed
    start = time.perf_counter()
    post(server, room.tokens[f"team:{TEAM_A}"], "submit", {"move": "hold", "text": CANARY})
    waiter.join(timeout=5)
    done, got = answers[0]
    assert got["version"] > first["version"]
    assert done - start < 1.0
    assert CANARY not in json.dumps(got)


def test_a_regenerated_link_gets_nothing_even_mid_poll(served: Any) -> None:
    server, room = served
    old = room.tokens[f"team:{TEAM_A}"]
    _, first = view(server, old)
    answers: list[Any] = []
    waiter = threading.Thread(target=lambda: answers.append(view(server, old, first["version"])))
    waiter.start()
    time.sleep(0.3)
    _, body = post(server, room.tokens["console"], "regenerate", {"team": TEAM_A})
    waiter.join(timeout=5)
    assert answers[0] == (404, NOT_FOUND)
    new = json.loads(body)["link"].removeprefix("/t/")
    assert request(server, "GET", f"/t/{old}")[0] == 404
    assert view(server, new)[0] == 200


def test_a_restarted_server_keeps_every_link_and_this_turns_submissions(tmp_path: Path) -> None:
    room = make_room()
    room.on_change = store.saver(tmp_path)
    store.save(room, tmp_path)
    server = SeminarServer(room, lambda: "run", poll_seconds=1)
    server.start()
    tokens = dict(room.tokens)
    post(server, tokens[f"team:{TEAM_A}"], "submit", {"move": "hold", "text": CANARY})
    _, before = view(server, tokens["console"])
    kept = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)  # keep-alive
    kept.request("GET", f"/api/{tokens['console']}/view")
    assert kept.getresponse().read()
    server.stop()
    assert request_fails(server)
    # an open keep-alive connection is closed too: the old room takes no more requests
    with pytest.raises((OSError, http.client.HTTPException)):
        kept.request(
            "POST",
            f"/api/{tokens[f'team:{TEAM_B}']}/submit",
            b'{"move": "hold"}',
            {"Content-Type": "application/json"},
        )
        kept.getresponse().read()
    assert room.session.played == 0

    back = store.load(tmp_path)
    back.on_change = store.saver(tmp_path)
    again = SeminarServer(back, lambda: "run", poll_seconds=1)
    again.start()
    try:
        for token in tokens.values():
            assert request(again, "GET", f"/t/{token}")[0] == 200
        # a page that saw version V before the restart gets the new view at once
        t0 = time.perf_counter()
        status, now = view(again, tokens["console"], before["version"])
        assert status == 200 and time.perf_counter() - t0 < 0.5
        assert now["version"] > before["version"]
        assert [t["submitted"] for t in now["teams"]] == [True, False]
        status, _ = post(again, tokens[f"team:{TEAM_B}"], "submit", {"move": "hold"})
        assert status == 200 and back.session.played == 1
        assert back.session.inputs[0].framings == {TEAM_A: {"text": CANARY, "claims": None}}
    finally:
        again.stop()


def request_fails(server: SeminarServer) -> bool:
    try:
        request(server, "GET", "/")
    except OSError:
        return True
    return False


def test_an_ipv6_address_is_served_and_named_in_brackets() -> None:
    import socket

    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")
    room = make_room()
    try:
        server = SeminarServer(room, lambda: "run", host="::1", poll_seconds=1)
    except OSError:
        pytest.skip("::1 cannot be bound here")
    server.start()
    try:
        url = server.url(room.tokens["console"])
        assert url.startswith("http://[::1]:")
        conn = http.client.HTTPConnection("::1", server.port, timeout=10)
        conn.request("GET", url.split(f":{server.port}")[1])
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        server.stop()
