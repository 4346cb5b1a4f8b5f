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


def view(server: SeminarServer, token: str, after: str = "") -> tuple[int, Any]:
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


def poll_in_background(server: SeminarServer, token: str, after: str) -> list[Any]:
    """Start a long poll in a thread; the list gets (answered at, view) when it answers."""
    answers: list[Any] = []

    def wait() -> None:
        status, got = view(server, token, after)
        answers.append((time.perf_counter(), status, got))

    threading.Thread(target=wait, daemon=True).start()
    return answers


def wait_for(answers: list[Any], seconds: float) -> bool:
    deadline = time.perf_counter() + seconds
    while not answers and time.perf_counter() < deadline:
        time.sleep(0.01)
    return bool(answers)


def test_a_long_poll_answers_only_when_its_own_roles_view_changes(served: Any) -> None:
    """No timing side channel: team B's page cannot tell that team A has submitted."""
    server, room = served  # polls answer anyway after 3 s
    a, b, console = (room.tokens[r] for r in (f"team:{TEAM_A}", f"team:{TEAM_B}", "console"))
    _, b_first = view(server, b)
    _, c_first = view(server, console)
    _, p_first = view(server, room.tokens["projector"])
    assert b_first["role"] == "team" and b_first["team"] == TEAM_B
    assert isinstance(b_first["version"], str) and len(b_first["version"]) == 24
    b_poll = poll_in_background(server, b, b_first["version"])
    c_poll = poll_in_background(server, console, c_first["version"])
    p_poll = poll_in_background(server, room.tokens["projector"], p_first["version"])
    time.sleep(0.3)
    assert not b_poll and not c_poll and not p_poll  # nothing changed: all wait
    start = time.perf_counter()
    assert post(server, a, "submit", {"move": "hold", "text": CANARY})[0] == 200
    # the console sees who submitted, at once
    assert wait_for(c_poll, 1.0)
    done, status, got = c_poll[0]
    assert status == 200 and done - start < 1.0
    assert [t["submitted"] for t in got["teams"]] == [True, False]
    assert got["version"] != c_first["version"] and CANARY not in json.dumps(got)
    # team B's and the projector's polls were woken, found their view unchanged, and wait on
    time.sleep(1.0)
    assert not b_poll and not p_poll
    # the turn resolves (B's own submission): B's poll answers with the new turn
    start = time.perf_counter()
    assert post(server, b, "submit", {"move": "hold"})[0] == 200
    assert wait_for(b_poll, 1.0) and wait_for(p_poll, 1.0)
    done, status, got = b_poll[0]
    assert status == 200 and done - start < 1.0
    assert got["played"] == 1 and got["version"] != b_first["version"]
    assert p_poll[0][2]["played"] == 1


def test_a_poll_that_times_out_answers_the_same_view_after_its_own_wait(served: Any) -> None:
    """The timeout runs from the poll's own start, whatever others do meanwhile."""
    server, room = served  # polls answer anyway after 3 s
    b = room.tokens[f"team:{TEAM_B}"]
    _, first = view(server, b)
    start = time.perf_counter()
    answers = poll_in_background(server, b, first["version"])
    time.sleep(0.5)
    post(server, room.tokens[f"team:{TEAM_A}"], "submit", {"move": "hold"})
    post(server, room.tokens[f"team:{TEAM_A}"], "withdraw", {})
    assert wait_for(answers, 5.0)
    done, status, got = answers[0]
    assert status == 200 and got == first
    assert 2.9 < done - start < 3.8


def test_a_regenerated_link_gets_nothing_even_mid_poll(served: Any) -> None:
    server, room = served
    old = room.tokens[f"team:{TEAM_A}"]
    _, first = view(server, old)
    answers: list[Any] = []
    waiter = threading.Thread(target=lambda: answers.append(view(server, old, first["version"])))
    waiter.daemon = True
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
        # a page that held the view before the restart gets the same view (same digest):
        # its long poll goes on waiting for a real change
        status, now = view(again, tokens["console"])
        assert status == 200 and now == before
        assert [t["submitted"] for t in now["teams"]] == [True, False]
        status, _ = post(again, tokens[f"team:{TEAM_B}"], "submit", {"move": "hold"})
        assert status == 200 and back.session.played == 1
        assert back.session.inputs[0].framings == {TEAM_A: {"text": CANARY, "claims": None}}
    finally:
        again.stop()


def test_the_consoles_finish_writes_the_class_folder(served: Any, tmp_path: Path) -> None:
    """The run folder, its report and handout, and one brief per team, in the session folder."""
    server, room = served
    assert post(server, room.tokens["console"], "finish", {})[0] == 400  # nothing played yet
    post(server, room.tokens[f"team:{TEAM_A}"], "submit", {"move": "hold", "text": CANARY})
    post(server, room.tokens[f"team:{TEAM_B}"], "submit", {"move": "hold"})
    status, body = post(server, room.tokens["console"], "finish", {})
    assert (status, json.loads(body)) == (200, {"ok": True, "folder": "run"})
    run = tmp_path / "run"
    report = (run / "report.html").read_text(encoding="utf-8")
    handout = (run / "handout.html").read_text(encoding="utf-8")
    assert CANARY in report  # the team's own words, in the full report's transcript
    assert "Class handout" in handout and report != handout
    listed = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    assert "handout.html" in json.dumps(listed)
    for team, name in ((TEAM_A, "China"), (TEAM_B, "United States")):
        brief = (tmp_path / "briefs" / f"brief-{team}.html").read_text(encoding="utf-8")
        assert name in brief
    assert sorted(p.name for p in (tmp_path / "briefs").glob("*.html")) == [
        f"brief-{TEAM_A}.html",
        f"brief-{TEAM_B}.html",
    ]
    # finishing again replaces the class folder (nothing refuses to overwrite sim's own files)
    assert post(server, room.tokens["console"], "finish", {})[0] == 200


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


def test_stop_returns_when_the_loop_never_began() -> None:
    """Ctrl-C between printing the links and entering the loop: stop must not wait for it."""
    server = SeminarServer(make_room(), lambda: "run")
    stopped = threading.Event()
    waiter = threading.Thread(target=lambda: (server.stop(), stopped.set()), daemon=True)
    waiter.start()
    assert stopped.wait(timeout=10)
