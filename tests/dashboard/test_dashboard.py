"""The live-play dashboard: its session logic, and the real page in headless Chromium.

The browser test starts ``serve()`` as a subprocess on a free loopback port,
drives the page with Playwright (Debian's /usr/bin/chromium, never a
downloaded browser) and fails on any request that leaves the machine, any
console error and any page error. It is skipped only when solara or
playwright cannot be imported or Chromium is missing.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, only_from

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = "dec2025_joint_drill"
START_TIMEOUT = 60.0
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}

needs_solara = pytest.mark.skipif(
    importlib.util.find_spec("solara") is None,
    reason="solara is not installed (pip install -e '.[dashboard]')",
)


def _session() -> Any:
    from sim.dashboard.app import scenario_choices
    from sim.dashboard.session import Session

    choices, start = scenario_choices(FLAGSHIP)
    return Session(choices, start, seed=7)


# ---------------------------------------------------------------- session (no browser)


@needs_solara
def test_choices_are_the_bundled_files_only() -> None:
    from sim.dashboard.app import scenario_choices
    from sim.paths import bundled

    choices, start = scenario_choices(None)
    assert start == FLAGSHIP
    assert set(choices) == {p.stem for p in bundled()}
    session = _session()
    from sim.errors import UsageError

    with pytest.raises(UsageError):
        session.select("/etc/passwd")


@needs_solara
def test_session_human_move_inject_and_posture() -> None:
    session = _session()
    assert session.turn == 0 and session.last is None
    move_id, label = session.allowed_moves("china")[0]
    session.choose_move("china", move_id)
    later = next(k for k, inj in session.spec.injects.items() if (inj.when.turn or 0) > 3)
    session.fire_inject(later)
    summary = session.step()
    assert summary is not None and summary["turn"] == 1
    china = next(line for line in summary["moves"] if line["actor"] == "china")
    assert (china["move"], china["label"], china["by"]) == (move_id, label, "player")
    assert china["source"] == "human"  # as in events.csv
    assert later in {inj["inject"] for inj in summary["injects"]}
    assert session.pending_moves == {} and session.pending_injects == []

    before = session.figures_png()
    session.step()
    after = session.figures_png()
    assert all(before[k] != after[k] for k in before)

    session.set_posture("china", "resolve", 0.95)
    assert session.changes_pending
    session.reset(11)
    assert session.turn == 0 and session.seed == 11 and not session.changes_pending
    assert session.spec.actors["china"].posture.resolve.value == pytest.approx(0.95)
    assert session.posture("china")["resolve"] == pytest.approx(0.95)

    # the same seed and choices replay the same turn
    a, b = _session(), _session()
    assert a.step() == b.step()


@needs_solara
def test_an_inject_that_may_not_fire_again_says_why_instead_of_failing() -> None:
    session = _session()
    key = "new_start_expires"  # scheduled for turn 9, does not repeat
    assert not session.spec.injects[key].repeat
    assert session.why_not_fire(key) is None
    assert session.fire_inject(key) is None
    assert session.fire_inject(key) is None  # asked twice before the turn: set once
    assert session.pending_injects == [key]
    assert session.why_not_fire(key) == "'new_start_expires' is already set to fire this turn"
    session.step()
    menu = {inj["inject"]: inj for inj in session.inject_menu()}
    assert menu[key]["fired"] and not menu[key]["can_fire"]
    why = menu[key]["why_not"]
    assert why == (
        f"'{key}' already fired in turn 1 and fires only once "
        "(the scenario does not set repeat: true for it)"
    )
    assert session.why_not_fire(key) == why
    assert session.fire_inject(key) == why  # the play core's sentence, not an exception
    assert session.pending_injects == []
    session.step()
    last = session.last
    assert last is not None and key not in {inj["inject"] for inj in last["injects"]}
    assert session.why_not_fire("nonesuch") == "no inject called 'nonesuch'"


@needs_solara
def test_serve_refuses_non_loopback_hosts() -> None:
    from sim.dashboard.app import serve
    from sim.errors import UsageError

    with pytest.raises(UsageError, match="loopback"):
        serve(None, host="0.0.0.0", port=0)


# ---------------------------------------------------------------- the page in a real browser


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"dashboard exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    pytest.fail(
        f"dashboard did not answer within {START_TIMEOUT:.0f} s:\n{log.read_text()[-3000:]}"
    )


def _is_local(url: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    m = re.match(r"^(?:https?|wss?)://(\[[^\]]+\]|[^/:]+)", url)
    return bool(m) and m.group(1) in LOCAL_HOSTS


def _pick(page: Any, select_class: str, text: str) -> None:
    """Open the Vuetify select with ``select_class`` and click the option reading ``text``."""
    page.locator(f".{select_class}").click()
    option = page.locator(".menuable__content__active [role=option]").filter(
        has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")
    )
    option.first.click()
    page.locator(".menuable__content__active").wait_for(state="detached", timeout=10_000)


def _sources(page: Any) -> dict[str, str]:
    from sim.play.figures import live_figures

    return {
        key: page.locator(f"img.sim-figure-{key}").get_attribute("src") for key in live_figures()
    }


@pytest.mark.slow
def test_dashboard_in_chromium(tmp_path: Path, artifacts: Path) -> None:
    if importlib.util.find_spec("solara") is None:
        pytest.skip("solara is not installed (pip install -e '.[dashboard]')")
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    session = _session()
    _, move_label = session.allowed_moves("china")[0]
    inject_id, inject = next(
        (k, inj) for k, inj in session.spec.injects.items() if (inj.when.turn or 0) > 5
    )

    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "server.log"
    env = dict(os.environ)
    env.update(
        SOLARA_TELEMETRY_MIXPANEL_ENABLE="false",
        # should the server ever miss a bundled asset, it must not fetch it from outside
        SOLARA_ASSETS_CDN="http://127.0.0.1:9/npm/",
        MPLBACKEND="Agg",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    code = (
        f"from sim.dashboard.app import serve; raise SystemExit(serve({FLAGSHIP!r}, port={port}))"
    )
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    outside: list[str] = []
    errors: list[str] = []
    try:
        _wait_until_up(url, proc, log)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": 1600, "height": 1000})
                only_from(context, _is_local, outside)
                page = context.new_page()
                page.on(
                    "websocket", lambda ws: None if _is_local(ws.url) else outside.append(ws.url)
                )
                page.on(
                    "console",
                    lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None,
                )
                page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
                page.set_default_timeout(30_000)

                page.goto(url)
                turn = page.locator(".sim-turn")
                expect(turn).to_have_text(re.compile(r"^Turn 0 of \d+$"), timeout=45_000)
                expect(page.locator("img.sim-figure-perception_gap")).to_be_visible()
                at_start = _sources(page)

                # three plain turns
                for n in (1, 2, 3):
                    page.locator(".sim-step").click()
                    expect(turn).to_have_text(re.compile(rf"^Turn {n} of "))
                expect(turn).to_have_text(re.compile(r"^Turn 3 of 30$"))
                expect(page.locator(".sim-move-line")).to_have_count(len(session.actors()))
                at_three = _sources(page)
                for key in at_start:
                    assert at_three[key] != at_start[key], f"figure {key} did not change"
                    assert at_three[key].startswith("data:image/png;base64,")

                # a person chooses China's move
                expect(page.locator(".sim-human-actor")).to_contain_text("China")
                _pick(page, "sim-human-move", move_label)
                expect(page.locator(".sim-pending")).to_contain_text(
                    f"{session.game.voice('china')} will play {move_label}"
                )
                page.locator(".sim-step").click()
                expect(turn).to_have_text(re.compile(r"^Turn 4 of "))
                china = page.locator(".sim-move-line.sim-actor-china")
                expect(china).to_contain_text(f"China: {move_label}")
                expect(china).to_contain_text("chosen by you")
                expect(page.locator(".sim-move-line.sim-you")).to_have_count(1)

                # an instructor fires an inject by hand
                _pick(page, "sim-inject", inject.label)
                page.locator(".sim-fire").click()
                expect(page.locator(".sim-pending")).to_contain_text(inject.label)
                page.locator(".sim-step").click()
                expect(turn).to_have_text(re.compile(r"^Turn 5 of "))
                expect(page.locator(f".sim-inject-line.sim-inject-{inject_id}")).to_contain_text(
                    f"Inject fired: {inject.label}"
                )
                # it does not repeat: the control is disabled and says why
                expect(page.locator(".sim-fire")).to_be_disabled()
                expect(page.locator(".sim-inject-why")).to_contain_text(
                    f"'{inject_id}' already fired in turn 5 and fires only once"
                )

                # Play steps by itself; Pause stops it
                page.locator(".sim-play").click()
                expect(turn).to_have_text(re.compile(r"^Turn (7|8|9|1\d) of "), timeout=20_000)
                page.locator(".sim-play").click()
                expect(page.locator(".sim-play")).to_have_text(re.compile("play", re.I))
                stopped = turn.inner_text()
                page.wait_for_timeout(1500)
                assert turn.inner_text() == stopped

                page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)

                # Reset goes back to turn 0
                page.locator(".sim-reset").click()
                expect(turn).to_have_text(re.compile(r"^Turn 0 of "))
            finally:
                browser.close()
        assert not outside, f"requests left the machine: {outside}"
        assert not errors, "\n".join(errors)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
