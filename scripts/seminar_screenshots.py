"""Screenshots of ``sim seminar`` for the README: a team page, the console, the reveal.

Starts a seminar on the flagship (``dec2025_joint_drill``) with two teams (China
and the United States) on a free loopback port, in a temporary session folder;
plays one turn through the real pages in Debian's chromium (driven by
Playwright; never ``playwright install``): both teams choose a move and write
their own public framing, the instructor reveals the turn on the projector.
Then it saves three PNGs of 1280x720 (the pages' own viewport) into OUT_DIR:

* ``seminar-team.png``: China's page in turn 2 (what it perceives, its framing);
* ``seminar-console.png``: the console in turn 2, one team submitted;
* ``seminar-reveal.png``: the projector after *Reveal*: turn 1, meant vs framed vs read.

Every request the pages make to anywhere but the server is refused (and makes
the script fail). Run::

    ./dev python scripts/seminar_screenshots.py docs/images
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCENARIO = "dec2025_joint_drill"
#: A seed whose turn 1 has a reading marked ⚠ in the first rows of the reveal.
SEED = 2025
TEAMS = ("china", "united_states")
VIEWPORT = {"width": 1280, "height": 720}
#: Each team's move and public framing in turn 1.
TURN_1 = {
    "china": (
        "statement_of_concern",
        "Our exercises are routine and defensive; we urge all parties to avoid provocation.",
    ),
    "united_states": (
        "alliance_consultation",
        "We are consulting our allies closely and remain committed to stability in the region.",
    ),
}
#: What China starts to write in turn 2 (on its page, not submitted) for the team shot.
TURN_2_CHINA = (
    "reassurance_statement",
    "We welcome dialogue and propose a hotline between our defence ministries.",
)
NAMES = ("seminar-team.png", "seminar-console.png", "seminar-reveal.png")


def _page(browser: Any, url: str, origin: str, outside: list[str]) -> Any:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)

    def route(r: Any) -> None:
        if r.request.url.startswith(origin + "/"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(url)
    return page


def _choose(page: Any, move: str, words: str, *, send: bool = True) -> None:
    page.locator(f"input[name=move][value={move}]").check()
    page.locator("#framing").fill(words)
    if send:
        page.get_by_role("button", name="Submit").click()


def _top(page: Any, selector: str, margin: int = 0) -> None:
    """Scroll so that ``selector`` starts ``margin`` pixels below the top of the viewport."""
    page.locator(selector).evaluate(
        f"node => window.scrollTo(0, node.getBoundingClientRect().top + window.scrollY - {margin})"
    )


def shoot(out: Path) -> list[Path]:
    """Play one turn in a fresh seminar and write the three screenshots into ``out``."""
    from playwright.sync_api import expect, sync_playwright

    from sim.paths import resolve_scenario
    from sim.play.core import PlaySession
    from sim.seminar import store
    from sim.seminar.room import Room
    from sim.seminar.server import SeminarServer

    out.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "session"
        store.prepare(folder)
        room = Room(PlaySession(resolve_scenario(SCENARIO), list(TEAMS), seed=SEED))
        room.on_change = store.saver(folder)
        store.save(room, folder)
        server = SeminarServer(room, lambda: "run", poll_seconds=5)
        server.start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    pages = {
                        role: _page(browser, server.url(room.tokens[role]), server.origin, outside)
                        for role in ("console", "projector", *(f"team:{t}" for t in TEAMS))
                    }
                    for page in pages.values():
                        expect(page.locator("#turn")).to_have_text("Turn 1 of 30")
                    for team, (move, words) in TURN_1.items():
                        _choose(pages[f"team:{team}"], move, words)
                    for page in pages.values():
                        expect(page.locator("#turn")).to_have_text("Turn 2 of 30")
                    console = pages["console"]
                    console.get_by_role("button", name="Reveal last turn").click()
                    projector = pages["projector"]
                    expect(projector.locator("#reveal")).to_contain_text("Reveal: turn 1")
                    # turn 2: the United States has submitted, China is still writing
                    usa = pages["team:united_states"]
                    _choose(usa, "hold", "")
                    expect(console.locator("#controls")).to_contain_text("United States: submitted")
                    china = pages["team:china"]
                    _choose(china, *TURN_2_CHINA, send=False)
                    _top(china, "#situation", 330)  # its framing beside what it perceives
                    _top(projector, "#reveal")
                    written = []
                    for name, page in zip(NAMES, (china, console, projector), strict=True):
                        page.wait_for_timeout(200)  # the charts' last frame
                        path = out / name
                        page.screenshot(path=str(path), type="png")
                        written.append(path)
                finally:
                    browser.close()
        finally:
            server.stop()
    if outside:
        raise SystemExit(f"a page asked for something outside the server: {outside}")
    return written


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots into OUT_DIR and say where."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, metavar="OUT_DIR", help="folder for the three PNGs")
    args = parser.parse_args(argv)
    if not CHROMIUM.is_file():
        print(f"{CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 2
    for path in shoot(args.out):
        print(f"Wrote {path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
