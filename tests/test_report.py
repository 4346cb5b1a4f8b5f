"""The HTML report: self-contained, complete, safe Markdown, and it renders in Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sim.errors import RunFolderError
from sim.outputs.report import figure_id, inline_svg, markdown_to_html, write_report

from .conftest import CHROMIUM, CHROMIUM_ARGS, REPO


def _make_run(folder: Path, *extra: str) -> Path:
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "sim", "run", "--seed", "3", "--turns", "8"]
    subprocess.run(
        [*cmd, "--out", str(folder), *extra],
        check=True,
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return folder


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _make_run(tmp_path_factory.mktemp("report") / "run")


@pytest.fixture(scope="module")
def report(run_dir: Path) -> Path:
    return write_report(run_dir)


@pytest.fixture(scope="module")
def page(report: Path) -> str:
    return report.read_text(encoding="utf-8")


# -- the file -----------------------------------------------------------------------------


def test_report_is_written_into_the_run_folder(run_dir: Path, report: Path) -> None:
    assert report == run_dir / "report.html"
    assert report.is_file()
    assert report.stat().st_size > 10_000
    assert not [p for p in run_dir.iterdir() if p.name.startswith(".report.html")]


def test_no_external_references(page: str) -> None:
    targets = re.findall(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]*)""", page, flags=re.I)
    assert targets, "expected in-page links and data URIs"
    bad = [t for t in targets if not (t.startswith("#") or t.startswith("data:"))]
    assert bad == []
    lowered = page.lower()
    assert "<script" not in lowered
    assert "@import" not in lowered
    assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", lowered)
    assert "<link" not in lowered
    assert "<iframe" not in lowered


def test_every_anchor_link_has_a_target(page: str) -> None:
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    assert len(ids) == len(re.findall(r'\sid="([^"]+)"', page)), "duplicate ids"
    links = set(re.findall(r'\shref="#([^"]+)"', page))
    assert links - ids == set()


def test_every_figure_appears(run_dir: Path, page: str) -> None:
    files = sorted((run_dir / "figures").iterdir())
    assert {f.stem for f in files} >= {"tension", "rungs", "perception_gap"}
    for f in files:
        assert f"figures/{f.name}" in page
    for stem in {f.stem for f in files}:
        m = re.search(rf'<figure id="{figure_id(stem)}"[^>]*>(.*?)</figure>', page, flags=re.S)
        assert m, stem
        assert "<svg" in m.group(1) or '<img src="data:image/' in m.group(1)


def test_title_seed_summary_and_sources(run_dir: Path, page: str) -> None:
    import yaml

    scenario = yaml.safe_load((run_dir / "scenario.resolved.yaml").read_text(encoding="utf-8"))
    meta = scenario["metadata"]
    assert f"<h1>{meta['title']}</h1>" in page
    assert "seed 3" in page
    assert "Seed</dt><dd>3 " in page
    assert "no weapons performance" in page.lower()
    for source in meta.get("sources", []):
        assert f'id="source-{source["key"]}"' in page
    for actor in scenario["actors"].values():
        for param in actor.get("posture", {}):
            assert f"<td>{param.replace('_', ' ')}</td>" in page
    # Headline numbers come from the tables.
    assert "Peak tension" in page
    assert "Miscalculations" in page
    assert "Longest chain" in page
    # The transcript's turn anchors resolve in the report.
    assert 'id="turn-8"' in page
    assert 'id="debrief-from-this-run"' in page


def test_report_is_deterministic(run_dir: Path, report: Path) -> None:
    first = report.read_bytes()
    assert write_report(run_dir).read_bytes() == first


def test_transcript_text_is_escaped(tmp_path: Path, run_dir: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    transcript = copy / "transcript.md"
    transcript.write_text(
        transcript.read_text(encoding="utf-8")
        + "\n\nEvil <script>alert(1)</script> and [x](https://example.com/a) "
        "![img](http://example.com/i.png) <img src=x onerror=alert(1)>\n",
        encoding="utf-8",
    )
    page = write_report(copy).read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="https://' not in page and 'src="http://' not in page


def test_a_folder_without_figures(tmp_path: Path, run_dir: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    shutil.rmtree(copy / "figures")
    page = write_report(copy).read_text(encoding="utf-8")
    assert "no figures" in page


def test_not_a_run_folder(tmp_path: Path) -> None:
    with pytest.raises(RunFolderError, match="not a run folder"):
        write_report(tmp_path)


# -- SVG ----------------------------------------------------------------------------------


def test_inline_svg_is_sanitised_and_ids_prefixed() -> None:
    svg = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="100pt" height="50pt" onload="alert(1)">
  <style>*{fill:red} @import url(http://evil/x.css);</style>
  <script>alert(1)</script>
  <defs><clipPath id="c1"><rect width="10" height="10"/></clipPath></defs>
  <g clip-path="url(#c1)" style="fill: url(http://evil/p)"><use xlink:href="#c1"/></g>
  <image xlink:href="http://evil/i.png"/>
  <image xlink:href="data:image/png;base64,AAAA"/>
  <a href="javascript:alert(1)"><text>hi &amp; &lt;b&gt;</text></a>
</svg>"""
    out = inline_svg(svg, id_prefix="f-", label="A <label>")
    assert "script" not in out and "onload" not in out and "<style" not in out
    assert "evil" not in out and "javascript" not in out
    assert 'id="f-c1"' in out and 'clip-path="url(#f-c1)"' in out
    assert 'xlink:href="#f-c1"' in out
    assert 'xlink:href="data:image/png;base64,AAAA"' in out
    assert 'viewBox="0 0 100 50"' in out and 'width="100pt"' not in out
    assert "hi &amp; &lt;b&gt;" in out
    assert 'aria-label="A &lt;label&gt;"' in out


def test_inline_svg_rejects_non_svg() -> None:
    with pytest.raises(ValueError):
        inline_svg(b"<html></html>", id_prefix="x-", label="x")
    with pytest.raises(ValueError):
        inline_svg(b"not xml", id_prefix="x-", label="x")


# -- the Markdown renderer ------------------------------------------------------------------


def test_markdown_escapes_html() -> None:
    out = markdown_to_html('Tom & Jerry <b>bold?</b> <script>alert("x")</script> "q"')
    assert out == (
        "<p>Tom &amp; Jerry &lt;b&gt;bold?&lt;/b&gt; "
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &quot;q&quot;</p>"
    )


def test_markdown_emphasis_and_code() -> None:
    out = markdown_to_html(
        "**bold** and *it* and _it2_ and `a <b> & **c**` and snake_case_name "
        "and ***both*** and **bold with *nested* it** and 2 * 3 * 4"
    )
    assert "<strong>bold</strong>" in out
    assert "<em>it</em>" in out and "<em>it2</em>" in out
    assert "<code>a &lt;b&gt; &amp; **c**</code>" in out
    assert "snake_case_name" in out
    assert "<strong><em>both</em></strong>" in out
    assert "<strong>bold with <em>nested</em> it</strong>" in out
    assert "2 * 3 * 4" in out
    unbalanced = markdown_to_html("**open and *half")
    assert "<strong>" not in unbalanced and "<em>" not in unbalanced


def test_markdown_tags_are_balanced_on_crossing_emphasis() -> None:
    out = markdown_to_html("**a *b** c* and *x **y* z**")
    for tag in ("strong", "em"):
        assert out.count(f"<{tag}>") == out.count(f"</{tag}>")
    stack: list[str] = []
    for closing, tag in re.findall(r"<(/?)(strong|em)>", out):
        if closing:
            assert stack and stack.pop() == tag, out
        else:
            stack.append(tag)


def test_markdown_headings_ids_and_links() -> None:
    md = (
        "# Title\n\n## Turn 3\n\nsee [turn 3](#turn-3) and [out](https://x.org) "
        "and [js](javascript:void)\n\n## Turn 3\n"
    )
    out = markdown_to_html(md, id_prefix="d-", heading_offset=1, drop_title=True)
    assert "Title" not in out
    assert '<h3 id="d-turn-3">Turn 3</h3>' in out
    assert '<h3 id="d-turn-3-1">Turn 3</h3>' in out
    assert '<a href="#d-turn-3">turn 3</a>' in out
    assert 'href="https' not in out and 'href="javascript' not in out
    assert "(https://x.org)" in out
    reserved = markdown_to_html("## Summary\n", reserved={"summary"})
    assert 'id="summary-1"' in reserved


def test_markdown_nested_lists() -> None:
    md = (
        "- one **b**\n"
        "  - one.a <i>\n"
        "  - one.b\n"
        "    1. deep\n"
        "    2. deeper\n"
        "- two\n"
        "continued lazily\n"
        "\n"
        "3. three\n"
        "4. four\n"
    )
    out = markdown_to_html(md)
    expected = (
        "<ul>\n<li>one <strong>b</strong>\n<ul>\n<li>one.a &lt;i&gt;</li>\n"
        "<li>one.b\n<ol>\n<li>deep</li>\n<li>deeper</li>\n</ol></li>\n</ul></li>\n"
        "<li>two\ncontinued lazily</li>\n</ul>\n"
        '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'
    )
    assert out == expected


def test_markdown_table() -> None:
    md = (
        "| Actor | Tension | Note |\n"
        "|---|---:|:---:|\n"
        "| <b>Red</b> | 0.50 | a \\| b & **c** |\n"
        "| Blue | 0.25 |\n"
    )
    out = markdown_to_html(md)
    assert "<th>Actor</th>" in out and '<th class="right">Tension</th>' in out
    assert '<th class="center">Note</th>' in out
    assert "<td>&lt;b&gt;Red&lt;/b&gt;</td>" in out
    assert '<td class="center">a | b &amp; <strong>c</strong></td>' in out
    assert '<td class="right">0.25</td><td class="center"></td>' in out
    assert out.count("<tr>") == 3


def test_markdown_paragraphs_quotes_code_and_rules() -> None:
    md = "line one\nline two  \nline three\n\n> quoted *x*\n\n```\n<raw> & **no**\n```\n\n---\n"
    out = markdown_to_html(md)
    assert "<p>line one\nline two<br>\nline three</p>" in out
    assert "<blockquote>\n<p>quoted <em>x</em></p>\n</blockquote>" in out
    assert "<pre><code>&lt;raw&gt; &amp; **no**</code></pre>" in out
    assert out.endswith("<hr>")


def test_markdown_renders_the_real_transcript(run_dir: Path) -> None:
    text = (run_dir / "transcript.md").read_text(encoding="utf-8")
    out = markdown_to_html(text)
    assert "**" not in re.sub(r"<code>.*?</code>", "", out)
    assert '<a href="#turn-' in out or "turn-1" in out
    assert out.count("<table>") >= 1
    for tag in ("ul", "ol", "li", "strong", "em", "table", "p"):
        assert out.count(f"<{tag}>") + out.count(f"<{tag} ") == out.count(f"</{tag}>"), tag


# -- a real browser -------------------------------------------------------------------------


@pytest.mark.slow
def test_report_in_chromium(report: Path, tmp_path: Path, artifacts: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed"
    )
    requests: list[str] = []
    blocked: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})

            def route(r: Any) -> None:
                url = r.request.url
                requests.append(url)
                if url.startswith(("file:", "data:")):
                    r.continue_()
                else:
                    blocked.append(url)
                    r.abort()

            page.route("**/*", route)
            page.on(
                "console",
                lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None,
            )
            page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
            page.on("requestfailed", lambda r: errors.append(f"requestfailed: {r.url}"))
            page.goto(report.as_uri(), wait_until="load")
            assert page.title().endswith("(seed 3)")

            images = page.eval_on_selector_all(
                "img", "els => els.map(e => [e.complete, e.naturalWidth, e.alt])"
            )
            for complete, width, alt in images:
                assert complete and width > 0, alt
            boxes = page.eval_on_selector_all(
                "svg",
                "els => els.map(e => { const r = e.getBoundingClientRect();"
                " return [r.width, r.height, e.getAttribute('aria-label')]; })",
            )
            assert len(boxes) + len(images) >= 3
            for width, height, label in boxes:
                assert width > 100 and height > 50, label
            # In-page links land on real elements.
            missing = page.eval_on_selector_all(
                "a[href^='#']",
                "els => els.map(e => e.getAttribute('href').slice(1))"
                ".filter(id => !document.getElementById(id))",
            )
            assert missing == []
            page.screenshot(path=str(artifacts / "report.png"))

            page.emulate_media(media="print")
            pdf = tmp_path / "report.pdf"
            page.pdf(path=str(pdf), format="A4")
            assert pdf.read_bytes().startswith(b"%PDF")
            assert pdf.stat().st_size > 10_000
            shutil.copyfile(pdf, artifacts / "report.pdf")
            # Print has no dark backgrounds.
            background = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert background in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
        finally:
            browser.close()
    assert blocked == []
    assert requests and all(u.startswith(("file:", "data:")) for u in requests)
    assert errors == []
