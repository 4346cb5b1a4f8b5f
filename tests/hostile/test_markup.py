"""Scenario text is data, never markup: hostile text through the real outputs.

Every free-text field of the schema (see ``scenario_text.py``) is set to one
markup payload; the scenario runs through ``sim run``, ``sim report`` and
``sim compare`` into a temporary folder, and each Markdown output is rendered
the way GitHub would (CommonMark + tables + strikethrough + bare-URL
linkify). The rendered HTML must have exactly the elements the same run
gives with plain words in every field, and the payload must still be there to
read as text. ``report.html`` must show the payload escaped, never raw.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.cli.main import main
from sim.outputs.inline import Data, line, to_markdown
from sim.outputs.report.page import environment

from .scenario_text import Field, base_data, fill_text, text_fields, write_yaml

markdown_it = pytest.importorskip("markdown_it")
pytest.importorskip("linkify_it")

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![i](http://e.x/a.png)",
    "<http://evil.example>",
    "www.evil.example",
    "a@b.example",
    "| a | b |\n|---|---|",
    "# heading",
    "**bold**",
    "`code`",
    "---",
    "see https://evil.com/x and evil.org",
    "www.evil.com, mail a@b.com",  # linkify knows .com, not .example
    "1. item\n> quote\n[r]: http://evil.example",
    "~~gone~~ _em_ &amp; &#60;b&#62;",
]
PLAIN_A = "plain words"
PLAIN_B = "other words"
TURNS = "6"


def gfm() -> object:
    """CommonMark with GitHub's tables, strikethrough and bare-URL autolinks."""
    md = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
    md.enable("linkify")
    md.options["linkify"] = True
    return md


RENDER = gfm()


def render(text: str) -> str:
    return str(RENDER.render(text))  # type: ignore[attr-defined]


def tags(markup: str) -> Counter[str]:
    return Counter(t.lower() for t in re.findall(r"<([A-Za-z][A-Za-z0-9]*)", markup))


def visible(markup: str) -> str:
    """The text a reader sees, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", markup)).split())


def squash(text: str) -> str:
    return " ".join(text.split())


def outputs(folder: Path, name: str, text: Callable[[Field], str]) -> dict[str, str]:
    """Write a scenario with every text field set by ``text``, run it, report on it."""
    data = base_data(turns=int(TURNS))
    assert fill_text(data, text) == text_fields()  # every text field of the schema is set
    scenario = write_yaml(folder / f"{name}.yaml", data)
    run = folder / f"{name}-run"
    assert main(["run", str(scenario), "--out", str(run), "--no-figures", "--quiet"]) == 0
    assert main(["report", str(run)]) == 0
    return {
        "scenario": str(scenario),
        "transcript.md": (run / "transcript.md").read_text(encoding="utf-8"),
        "debrief.md": (run / "debrief.md").read_text(encoding="utf-8"),
        "report.html": (run / "report.html").read_text(encoding="utf-8"),
    }


def compare_md(folder: Path, a: str, b: str) -> str:
    out = folder / "compare"
    assert main(["compare", a, b, "--turns", TURNS, "--out", str(out)]) == 0
    return (out / "compare.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The same run with plain words in every text field: the elements to expect."""
    folder = tmp_path_factory.mktemp("plain")
    docs = outputs(folder, "plain", lambda f: PLAIN_A)
    other = outputs(folder, "other", lambda f: PLAIN_B)
    docs["compare.md"] = compare_md(folder, docs["scenario"], other["scenario"])
    return docs


@pytest.fixture(scope="module")
def other_scenario(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("other")
    data = base_data(turns=int(TURNS))
    fill_text(data, lambda f: PLAIN_B)
    return str(write_yaml(folder / "other.yaml", data))


def test_every_text_field_of_the_schema_is_found() -> None:
    fields = text_fields()
    # A few that must be there, whatever else the schema grows.
    for field in [
        ("Metadata", "title"),
        ("Actor", "name"),
        ("Move", "label"),
        ("Move", "framing"),
        ("Inject", "description"),
        ("DebriefPrompt", "prompt"),
        ("Basis", "reasoning"),
    ]:
        assert field in fields
    assert ("Actor", "colour") not in fields  # identifiers and colours are not free text


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_markdown_outputs_show_scenario_text_as_text(
    payload: str,
    plain: dict[str, str],
    other_scenario: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    docs = outputs(tmp_path, "hostile", lambda f: payload)
    docs["compare.md"] = compare_md(tmp_path, docs["scenario"], other_scenario)
    capsys.readouterr()
    for name in ("transcript.md", "debrief.md", "compare.md"):
        rendered = render(docs[name])
        expected = render(plain[name])
        # Exactly the elements the tool's own Markdown makes, none from the payload.
        assert tags(rendered) == tags(expected), (name, docs[name])
        assert "<script" not in rendered and "<img" not in rendered
        assert re.findall(r'<a href="(?!#)', rendered) == [], name
        # ...and the payload is still there to read (compare.md shows values JSON-quoted).
        first_line = payload.split("\n")[0]
        wanted = squash(payload) if name != "compare.md" else squash(first_line)
        assert wanted in visible(rendered), (name, payload)
    if "alert(1)" in payload:
        for name in ("transcript.md", "debrief.md", "compare.md"):
            assert "alert(1)" in visible(render(docs[name]))


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_report_shows_scenario_text_escaped(
    payload: str,
    plain: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    page = outputs(tmp_path, "hostile", lambda f: payload)["report.html"]
    capsys.readouterr()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "javascript:alert(1))" not in re.findall(r'href="([^"]*)"', page)
    assert tags(page) == tags(plain["report.html"])
    first_line = payload.split("\n")[0]
    assert html.escape(first_line) in page  # the title, among others
    assert squash(payload) in visible(page)
    if payload.startswith("<script>"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


_MARKDOWNISH = st.lists(
    st.sampled_from([*"ab1 _*`[]()<>!#&;|~@:/.=+-\\'\"", "www.", "http://", ".org", "&amp;", "\n"]),
    max_size=20,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_MARKDOWNISH)
def test_scenario_text_reads_as_itself_in_the_markdown_and_the_report(text: str) -> None:
    """One span of scenario text: the Markdown renders back to it, the report escapes it."""
    spans = line(Data(text))
    rendered = render(to_markdown(spans))
    assert set(tags(rendered)) <= {"p"}
    assert visible(rendered) == squash(text)
    inline = environment().get_template("macros.html.j2").module.inline  # type: ignore[attr-defined]
    fragment = str(inline(spans))
    assert tags(fragment) == Counter()
    assert visible(fragment) == squash(text)
