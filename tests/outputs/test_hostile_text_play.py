"""People's own words in play mode are data, never markup: teams' framings and events' texts.

A two-turn game in which a team writes its own framing and the instructor
invents an event, both set to one markup payload, is written as a run folder.
Rendered the way GitHub would (CommonMark + tables + strikethrough + bare-URL
linkify), ``transcript.md`` must have exactly the elements of the same game
with plain words, and still show the payload to read; ``report.html`` shows it
escaped, never raw; ``play.json`` keeps it verbatim.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from sim.outputs.report import write_report
from sim.play.core import PlaySession
from sim.play.folder import write_play_folder
from tests.conftest import FLAGSHIP

markdown_it = pytest.importorskip("markdown_it")
pytest.importorskip("linkify_it")

# One line each: people's texts have their whitespace runs made one space.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "**bold** `code` ~~gone~~ _em_ &amp; &#60;b&#62;",
    "# heading | a | b |",
    "see https://evil.com/x and www.evil.com, mail a@b.com",
]
PLAIN = "plain words"

RENDER = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
RENDER.enable("linkify")
RENDER.options["linkify"] = True


def render(text: str) -> str:
    return str(RENDER.render(text))


def tags(markup: str) -> Counter[str]:
    return Counter(t.lower() for t in re.findall(r"<([A-Za-z][A-Za-z0-9]*)", markup))


def visible(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", markup)).split())


def game(folder: Path, text: str, *, report: bool = False) -> dict[str, str]:
    """Play two turns with ``text`` as a team's framing and an event's text; write the folder."""
    session = PlaySession(FLAGSHIP, ["china"], seed=31, turns=2)
    session.choose("china", "live_fire_drill", {"text": text, "claims": None})
    session.event("russia", 7, text, 0.8)
    session.resolve()
    session.choose("china", "hold")
    session.resolve()
    run = folder / "run"
    write_play_folder(session, run, command=["sim", "play"], figures=False)
    docs = {
        name: (run / name).read_text(encoding="utf-8") for name in ("transcript.md", "play.json")
    }
    if report:
        write_report(run, result=session.result())
        docs["report.html"] = (run / "report.html").read_text(encoding="utf-8")
    return docs


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return game(tmp_path_factory.mktemp("plain"), PLAIN, report=True)


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_transcript_shows_peoples_texts_as_text(
    payload: str, plain: dict[str, str], tmp_path: Path
) -> None:
    docs = game(tmp_path, payload)
    rendered = render(docs["transcript.md"])
    assert tags(rendered) == tags(render(plain["transcript.md"])), docs["transcript.md"]
    assert "<script" not in rendered and "<img" not in rendered
    assert re.findall(r'<a href="(?!#)', rendered) == []
    # both the event line and the framing line, and the list of people's moves, show it
    assert visible(rendered).count(payload) >= 3
    assert "the instructor's event" in docs["transcript.md"]
    assert "played by a team" in docs["transcript.md"]
    saved = json.loads(docs["play.json"])["inputs"][0]
    assert saved["framings"]["china"]["text"] == payload
    assert saved["events"][0]["text"] == payload


@pytest.mark.parametrize("payload", PAYLOADS[:3], ids=range(3))
def test_report_shows_peoples_texts_escaped(
    payload: str, plain: dict[str, str], tmp_path: Path
) -> None:
    page = game(tmp_path, payload, report=True)["report.html"]
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "javascript:alert(1))" not in re.findall(r'href="([^"]*)"', page)
    assert tags(page) == tags(plain["report.html"])
    assert payload in visible(page).replace("\\", "")  # shown as transcript.md says it
