"""Seminar turn latency: from the last team's submission to every page holding the new turn.

A real ``sim seminar`` server (loopback, free port, session folder saved after
every change as in class) serves the flagship (9 actors) to two teams. Four
clients long-poll their views as the pages do (console, projector, team A,
team B), each over its own keep-alive connection, sending the digest of the
view it holds. Every turn team A submits and the benchmark waits until the
console shows it (only the console and team A's own page change: the others'
polls wake, find their view unchanged and wait on); then team B submits (the
last submission: the turn resolves) and the clock runs until every one of the
four long polls has returned the view of the new turn.

Next to it, in the same run, the baseline: one turn of the play core alone
(``PlaySession.choose`` twice, then ``resolve``), one save of the session folder
alone, and the page weight (bytes of
the HTML, scripts and style sheet a phone downloads once). Target: under
200 ms per turn.

Run::

    ./dev python benchmarks/seminar_latency.py [--turns 20] [--seed 7]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from sim.paths import resolve_scenario
from sim.play.core import PlaySession
from sim.seminar import store
from sim.seminar.room import Room
from sim.seminar.server import SeminarServer, page_weight

TEAMS = ("china", "united_states")
MOVES = ("statement_of_concern", "alliance_consultation", "hold", "reassurance_statement")


class Poller(threading.Thread):
    """One page's long-poll loop: the view it holds, and when it first held each one."""

    def __init__(self, port: int, token: str, seen: threading.Condition) -> None:
        super().__init__(daemon=True)
        self.port, self.token, self.seen = port, token, seen
        self.view: dict[str, Any] = {}
        self.arrived: list[tuple[float, dict[str, Any]]] = []
        self.stop = False

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self.stop:
            conn.request("GET", f"/api/{self.token}/view?after={self.view.get('version', '')}")
            answer = conn.getresponse()
            data = json.loads(answer.read())
            now = time.perf_counter()
            with self.seen:
                if data.get("version") != self.view.get("version"):
                    self.arrived.append((now, data))
                self.view = data
                self.seen.notify_all()


def submit(conn: http.client.HTTPConnection, token: str, move: str, text: str) -> None:
    body = json.dumps({"move": move, "text": text})
    conn.request("POST", f"/api/{token}/submit", body, {"Content-Type": "application/json"})
    answer = conn.getresponse()
    answer.read()
    if answer.status != 200:
        raise SystemExit(f"submit refused: {answer.status}")


def wait_all(pollers: list[Poller], holds: Any, seen: threading.Condition) -> float:
    """Wait until every poller's view satisfies ``holds``; return when the last one got it."""
    with seen:
        if not seen.wait_for(lambda: all(holds(p.view) for p in pollers), timeout=30):
            raise SystemExit("a page never got its view")
    return max(min(t for t, v in p.arrived if holds(v)) for p in pollers)


def seminar_turns(turns: int, seed: int, folder: Path) -> list[float]:
    """Milliseconds from the last submission to every page updated, per turn."""
    session = PlaySession(resolve_scenario("dec2025_joint_drill"), list(TEAMS), seed=seed)
    room = Room(session)
    store.prepare(folder)
    room.on_change = store.saver(folder)
    store.save(room, folder)
    server = SeminarServer(room, lambda: "run")
    server.start()
    seen = threading.Condition()
    roles = ["console", "projector", *(f"team:{t}" for t in TEAMS)]
    pollers = [Poller(server.port, room.tokens[r], seen) for r in roles]
    for p in pollers:
        p.start()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    out: list[float] = []
    try:
        wait_all(pollers, lambda v: "version" in v, seen)
        for turn in range(turns):
            a, b = (room.tokens[f"team:{t}"] for t in TEAMS)
            submit(conn, a, MOVES[turn % len(MOVES)], f"turn {turn}: our words")
            wait_all(pollers[:1], lambda v: v["teams"][0]["submitted"], seen)
            start = time.perf_counter()
            submit(conn, b, MOVES[(turn + 1) % len(MOVES)], f"turn {turn}: theirs")
            done = wait_all(pollers, lambda v, t=turn: v["played"] == t + 1, seen)
            out.append((done - start) * 1000)
    finally:
        for p in pollers:
            p.stop = True
        server.stop()
    return out


def core_turns(turns: int, seed: int) -> list[float]:
    """Milliseconds of one turn of the play core alone (two choices and resolve)."""
    session = PlaySession(resolve_scenario("dec2025_joint_drill"), list(TEAMS), seed=seed)
    out: list[float] = []
    for turn in range(turns):
        start = time.perf_counter()
        session.choose(TEAMS[0], MOVES[turn % len(MOVES)])
        session.choose(TEAMS[1], MOVES[(turn + 1) % len(MOVES)])
        session.resolve()
        out.append((time.perf_counter() - start) * 1000)
    return out


def save_times(turns: int, seed: int, folder: Path) -> list[float]:
    """Milliseconds of one save of the session folder (play.json and room.json, flushed)."""
    room = Room(PlaySession(resolve_scenario("dec2025_joint_drill"), list(TEAMS), seed=seed))
    store.prepare(folder)
    out: list[float] = []
    for _ in range(turns):
        start = time.perf_counter()
        store.save(room, folder)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        seminar = seminar_turns(args.turns, args.seed, Path(tmp) / "a")
        saves = save_times(args.turns, args.seed, Path(tmp) / "b")
    core = core_turns(args.turns, args.seed)
    report: dict[str, Any] = {
        "turns": args.turns,
        "actors": 9,
        "teams": len(TEAMS),
        "seminar_ms": {"median": statistics.median(seminar), "max": max(seminar)},
        "core_resolve_ms": {"median": statistics.median(core), "max": max(core)},
        "save_ms": {"median": statistics.median(saves), "max": max(saves)},
        "page_weight_bytes": page_weight(),
    }
    print(
        f"seminar turn, last submission -> all 4 pages updated: "
        f"median {report['seminar_ms']['median']:.1f} ms, max {report['seminar_ms']['max']:.1f} ms "
        f"over {args.turns} turns (target < 200 ms)"
    )
    print(
        f"baseline, PlaySession choose x2 + resolve alone:      "
        f"median {report['core_resolve_ms']['median']:.1f} ms, "
        f"max {report['core_resolve_ms']['max']:.1f} ms"
    )
    print(
        f"of which the save, store.save alone:                   "
        f"median {report['save_ms']['median']:.1f} ms, max {report['save_ms']['max']:.1f} ms"
    )
    print(f"page weight (HTML + JS + CSS): {report['page_weight_bytes']} bytes")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
