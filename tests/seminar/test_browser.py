"""Four browsers in one seminar: the console, the projector and two teams play three turns.

Every response body each browser context receives is recorded (the pages talk
only plain HTTP: page, scripts, long polls, actions), so "team B never saw team
A's framing before the turn resolved" is checked on the bytes themselves. Any
request to anywhere but the server's own origin is aborted and fails the test.
The same game also shows that an inject without ``repeat:`` fires once (its
control is disabled with the reason, and the server refuses a direct request),
that the instructor's event text reaches the class folder's transcript word for
word, and that a made-up or near-miss token gets nothing of the game.
Debian's /usr/bin/chromium, driven by Playwright; skipped cleanly without them.
"""

from __future__ import annotations

import html
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sim.seminar import store
from sim.seminar.server import NOT_FOUND, SeminarServer
from sim.seminar.views import view_for
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, only_from
from tests.seminar.helpers import TEAM_A, TEAM_B, make_room

MOVES = {TEAM_A: "statement_of_concern", TEAM_B: "alliance_consultation"}
# "&" and "<" mean nothing to Markdown here (kept as typed in transcript.md) but must be
# escaped in HTML (report.html)
EVENT = "Moscow orders a snap readiness check of its long-range forces & says it ends in < 24 hours"
INJECT, INJECT_LABEL = "new_start_expires", "New START expires"  # no repeat: in the scenario


class Recorder:
    """Every response one browser context received, with its body read once it is complete."""

    def __init__(self) -> None:
        self.responses: list[Any] = []
        self.bodies: list[bytes] = []

    def on_response(self, response: Any) -> None:
        self.responses.append(response)

    def read(self) -> bytes:
        """All bodies received so far, joined."""
        while len(self.bodies) < len(self.responses):
            response = self.responses[len(self.bodies)]
            try:
                self.bodies.append(response.body())
            except Exception:  # a response whose body the browser dropped (navigation)
                self.bodies.append(b"")
        return b"\n".join(self.bodies)


@pytest.fixture
def browser() -> Iterator[Any]:
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.mark.slow
def test_four_browsers_play_private_turns_through_a_restart(
    browser: Any, tmp_path: Path, artifacts: Path
) -> None:
    from playwright.sync_api import expect

    room = make_room(seed=4242)
    assert room.session.spec.injects[INJECT].repeat is False
    room.on_change = store.saver(tmp_path)
    store.save(room, tmp_path)

    def finish() -> str:  # the console's Finish: the class folder in the session folder
        return store.finish(room, tmp_path, ["sim", "seminar"], figures=False)

    server = SeminarServer(room, finish, poll_seconds=5)
    server.start()
    outside: list[str] = []
    errors: list[str] = []
    roles = {
        "console": ("console", {"width": 1280, "height": 720}),
        "projector": ("projector", {"width": 1280, "height": 720}),
        TEAM_A: (f"team:{TEAM_A}", {"width": 1280, "height": 720}),
        TEAM_B: (f"team:{TEAM_B}", {"width": 360, "height": 740}),  # a phone
    }
    pages: dict[str, Any] = {}
    records: dict[str, Recorder] = {}

    def own(url: str) -> bool:
        return url.startswith(server.origin + "/")

    try:
        for name, (role, viewport) in roles.items():
            context = browser.new_context(viewport=viewport)
            only_from(context, own, outside)
            page = context.new_page()
            records[name] = Recorder()
            page.on("response", records[name].on_response)
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.set_default_timeout(10_000)
            page.goto(server.url(room.tokens[role]))
            pages[name] = page
        for page in pages.values():
            expect(page.locator("#turn")).to_have_text("Turn 1 of 30")

        def inject_control() -> Any:
            return pages["console"].locator("#injects li", has_text=INJECT_LABEL)

        def refused_again() -> None:
            """The fired inject's control is disabled with the reason; the server refuses it too."""
            control = inject_control()
            expect(control.get_by_role("button", name="Fire")).to_be_disabled()
            expect(control.locator(".meta")).to_contain_text("already fired in turn 2")
            why = control.locator(".meta").inner_text().strip()
            assert why == (
                f"('{INJECT}' already fired in turn 2 and fires only once "
                "(the scenario does not set repeat: true for it))"
            ), why
            token = room.tokens["console"]
            answer = pages["console"].request.post(
                f"{server.origin}/api/{token}/fire", data={"inject": INJECT}
            )
            assert answer.status == 400
            assert answer.json() == {"ok": False, "error": why[1:-1]}

        def submit(team: str, words: str) -> None:
            page = pages[team]
            page.locator(f"input[name=move][value={MOVES[team]}]").check()
            page.locator("#framing").fill(words)
            page.get_by_role("button", name="Submit").click()

        def versions(name: str) -> set[str]:
            """The versions (digests) of the views context ``name`` has received so far."""
            bodies = records[name].read().split(b"\n")
            return {json.loads(b)["version"] for b in bodies if b.startswith(b'{"role"')}

        def settled(name: str, role: str) -> set[str]:
            """Wait until context ``name`` holds its role's current view; its versions then."""
            with room.lock:
                now = view_for(room, role)["version"]
            for _ in range(200):
                if now in versions(name):
                    return versions(name)
                pages[name].wait_for_timeout(25)
            raise AssertionError(f"{name} never received its current view")

        for turn in (1, 2, 3):
            first, second = (TEAM_A, TEAM_B) if turn % 2 else (TEAM_B, TEAM_A)
            canaries = {t: f"CANARY-{t}-turn{turn}-x9" for t in (TEAM_A, TEAM_B)}
            others = (("projector", "projector"), (second, f"team:{second}"))
            quiet = {name: settled(name, role) for name, role in others}
            submit(first, canaries[first])
            expect(pages[first].locator("#pending")).to_contain_text(canaries[first])
            expect(pages["console"].locator("#controls")).to_contain_text(
                f"{room.session.name(first)}: submitted"
            )
            # the other team and the projector get nothing at all until the turn resolves
            # (not even a new view: its timing would say that someone submitted)
            pages["projector"].wait_for_timeout(300)
            for name, held in quiet.items():
                assert versions(name) == held, (name, turn)
            for name in ("projector", second, "console"):
                got = records[name].read()
                assert canaries[first].encode() not in got, (name, turn)
                assert MOVES[first].encode() not in got or name != "projector", turn
            submit(second, canaries[second])
            for page in pages.values():
                expect(page.locator("#turn")).to_have_text(f"Turn {turn + 1} of 30")
            pages["console"].get_by_role("button", name="Reveal last turn").click()
            reveal = pages["projector"].locator("#reveal")
            expect(reveal).to_contain_text(f"Reveal: turn {turn}")
            for team in (TEAM_A, TEAM_B):
                expect(reveal).to_contain_text(canaries[team])
            assert canaries[TEAM_A].encode() in records["projector"].read()
            assert canaries[TEAM_A].encode() in records[TEAM_B].read()
            if turn == 2:
                expect(pages["projector"].locator("#history")).to_contain_text(EVENT)
                # the inject fired by hand in turn 2 fired once, and cannot fire again
                fired = pages["projector"].locator("#history .inject", has_text=INJECT_LABEL)
                expect(fired).to_have_count(1)
                refused_again()
            if turn == 3:
                for name, page in pages.items():
                    page.screenshot(path=str(artifacts / f"seminar-{name}.png"), full_page=True)
            if turn == 1:  # the instructor invents an event for turn 2, in their own words
                console = pages["console"]
                console.locator("#ev-actor").select_option("russia")
                console.locator("#ev-rung").fill("5")
                console.locator("#ev-text").fill(EVENT)
                console.get_by_role("button", name="Add the event").click()
                expect(console.locator("#controls")).to_contain_text(EVENT)
                # and fires an inject that does not repeat, by its control
                inject_control().get_by_role("button", name="Fire").click()
                expect(console.locator("#controls")).to_contain_text(f"Set to fire: {INJECT_LABEL}")
                expect(inject_control().get_by_role("button", name="Fire")).to_be_disabled()
                assert EVENT.encode() not in records["projector"].read()
                assert INJECT_LABEL.encode() not in records["projector"].read()

        # the server restarts mid-turn: every page reconnects by itself, A's submission kept
        submit(TEAM_A, "before the restart")
        expect(pages["console"].locator("#controls")).to_contain_text("China: submitted")
        clean = len(errors)
        port = server.port
        server.stop()
        room = store.load(tmp_path)
        room.on_change = store.saver(tmp_path)
        server = SeminarServer(room, finish, port=port, poll_seconds=5)
        server.start()
        submit(TEAM_B, "after the restart")  # the last submission: the turn resolves
        for page in pages.values():
            expect(page.locator("#turn")).to_have_text("Turn 5 of 30", timeout=20_000)
        assert room.session.inputs[-1].framings[TEAM_A]["text"] == "before the restart", [
            (i.turn, i.framings) for i in room.session.inputs
        ]

        # a regenerated link opens nothing, at once
        pages["console"].on("dialog", lambda d: d.accept())
        pages["console"].locator("#links li", has_text="United States").get_by_role(
            "button", name="New link"
        ).click()
        expect(pages[TEAM_B].locator("#gone")).to_contain_text("This link opens nothing")
        expect(pages[TEAM_B].locator("#choose")).to_have_count(0)
        refused_again()  # after the restart too

        # a made-up token, and tokens one character off, get the same short "not found"
        def one_off(token: str) -> str:
            return token[:-1] + ("A" if token[-1] != "A" else "B")

        stranger = browser.new_context()
        only_from(stranger, own, outside)
        seen = Recorder()
        page = stranger.new_page()
        page.on("response", seen.on_response)
        page.set_default_timeout(10_000)
        strangers = ["Zx3vQm9LpW2sK7yT0bNcRe", one_off(room.tokens["console"])]
        strangers += [one_off(room.tokens[f"team:{TEAM_A}"]), one_off(room.tokens["projector"])]
        for token in strangers:
            assert room.role(token) is None
            opened = page.goto(server.url(token))
            assert opened is not None and opened.status == 404
            assert page.locator("body").inner_text().strip() == NOT_FOUND.decode().strip()
            statuses = page.evaluate(
                """async (t) => {
                    const post = (a, b) => fetch(`/api/${t}/${a}`, {method: "POST",
                        headers: {"Content-Type": "application/json"}, body: JSON.stringify(b)});
                    const answers = [await fetch(`/api/${t}/view?after=`), await post("fire",
                        {inject: "allied_md_acceleration"}), await post("submit",
                        {move: "hold", text: "a stranger's words"})];
                    for (const a of answers) await a.text();
                    return answers.map((a) => a.status);
                }""",
                token,
            )
            assert statuses == [404, 404, 404]
            seen.read()  # now: the next navigation drops this page's bodies
        got = seen.read()
        assert [r.status for r in seen.responses] == [404] * 4 * len(strangers)
        assert seen.bodies == [NOT_FOUND] * 4 * len(strangers)
        assert b'"role"' not in got and b"version" not in got
        with room.lock:
            names = [room.session.name(a) for a in room.session.actors()]
            names += list(room.session.actors())
        for word in [*names, "CANARY", EVENT]:
            assert word.encode() not in got, word
        assert room.session.pending().injects == []  # the strangers' requests changed nothing
        assert room.submissions == {}
        stranger.close()

        # Finish: the class folder's transcript keeps the event word for word, the inject once
        pages["console"].get_by_role("button", name="Finish and write the class folder").click()
        expect(pages["console"].locator("#status")).to_contain_text(
            "Written in the session folder: run/", timeout=20_000
        )
        run = tmp_path / "run"
        transcript = (run / "transcript.md").read_text(encoding="utf-8")
        assert transcript.count(f'**Moscow**: "{EVENT}" (rung 5') == 1
        for turn in (1, 2, 3):
            for team in (TEAM_A, TEAM_B):
                assert f"CANARY-{team}-turn{turn}-x9" in transcript
        assert transcript.count(f"**Event:** {INJECT_LABEL} — ") == 1
        assert transcript.count(f"inject fired by hand: {INJECT};") == 1
        report = (run / "report.html").read_text(encoding="utf-8")
        assert html.escape(EVENT) in report and EVENT not in report
        for turn in (1, 2, 3):  # the teams' framing texts too
            assert all(f"CANARY-{team}-turn{turn}-x9" in report for team in (TEAM_A, TEAM_B))
        assert (run / "injects.csv").read_text(encoding="utf-8").count(INJECT) == 1

        # projection: chart text at least 18 px; the phone page has no sideways scroll
        size = pages["projector"].evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('svg.chart .tick')).fontSize)"
        )
        assert size >= 18
        assert pages["projector"].locator("svg.chart polyline").count() == 9
        dashes = pages["projector"].evaluate(
            "() => [...document.querySelectorAll('svg.chart polyline')]"
            ".map(l => l.getAttribute('stroke-dasharray'))"
        )
        assert len(set(dashes)) == 9
        width = pages[TEAM_B].evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360
        # what the pages received were the server's answers only
        assert outside == []
        assert errors[:clean] == []  # before the restart, not one error
        # after it, only the failed polls of the restart and of the replaced link
        assert all("Failed to load resource" in e for e in errors[clean:]), errors
        saved = json.loads((tmp_path / "play.json").read_text(encoding="utf-8"))["inputs"]
        assert [turn["framings"][TEAM_A]["text"] for turn in saved] == [
            *(f"CANARY-{TEAM_A}-turn{t}-x9" for t in (1, 2, 3)),
            "before the restart",
        ]
        assert [e["text"] for e in saved[1]["events"]] == [EVENT]
        assert [turn["injects"] for turn in saved] == [[], [INJECT], [], []]
    finally:
        for page in pages.values():
            page.context.close()
        server.stop()
