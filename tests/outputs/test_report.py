"""The HTML report: self-contained, complete, written from the run's data, shown in Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import sim
from sim.errors import RunFolderError
from sim.outputs.inline import Code, Data, Emphasis, Strong, TurnLink, line
from sim.outputs.report import figure_id, render_report, write_report
from sim.outputs.report.page import environment
from sim.outputs.transcript import build_transcript
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, REPO


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


def test_transcript_and_debrief_come_from_the_run_not_the_markdown(page: str) -> None:
    """The report writes the minutes as HTML from their data: no Markdown left in it."""
    body = re.search(r'<section id="transcript".*?</section>', page, flags=re.S)
    assert body and "verbatim" not in body.group(0)
    text = re.sub(r"<code>.*?</code>", "", body.group(0))
    assert "**" not in text and "](#turn-" not in text
    assert '<h3 id="turning-points">Turning points</h3>' in page
    assert '<h4 id="turn-1">Turn 1</h4>' in page
    assert '<a href="#turn-' in text
    for tag in ("ul", "ol", "li", "strong", "em", "table", "p"):
        opened = text.count(f"<{tag}>") + text.count(f"<{tag} ")
        assert opened == text.count(f"</{tag}>"), tag


def test_the_report_says_what_the_markdown_says(run_dir: Path, page: str) -> None:
    """Every line of transcript.md, markup taken away, is in the report's transcript."""
    import html

    def words(markup: str) -> str:
        markup = re.sub(r"</?(?:a|strong|em|code)\b[^>]*>", "", markup)  # inline: no break
        return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", markup)).split())

    shown = words(re.search(r'<section id="transcript".*?</section>', page, flags=re.S).group(0))
    for raw in (run_dir / "transcript.md").read_text(encoding="utf-8").splitlines()[1:]:
        plain = re.sub(r"\[(.*?)\]\(#[^)]*\)", r"\1", raw)
        plain = re.sub(r"^\s*(?:[-#|]+\s*)+|\*", "", plain).strip(" |")
        if plain and not set(plain) <= set("-:| "):
            for cell in plain.split(" | "):
                assert " ".join(cell.split()) in shown, cell


def test_a_result_given_gives_the_same_page(tmp_path: Path, run_dir: Path, page: str) -> None:
    result = sim.run(REPO / "scenarios" / "dec2025_joint_drill.yaml", seed=3, turns=8)
    assert render_report(run_dir, result=result) == page


def test_an_edited_transcript_is_shown_as_written_and_escaped(
    tmp_path: Path, run_dir: Path
) -> None:
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
    assert "transcript.md is shown as written" in page
    assert '<pre class="verbatim">' in page
    # the debrief still matches its data, and no link points at a turn that is not there
    assert '<h3 id="debrief-from-this-run">' in page
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    assert set(re.findall(r'\shref="#([^"]+)"', page)) - ids == set()


@pytest.mark.parametrize(
    "extra",
    [("jervis_spiral", "--set", "dynamics.miscalculation_threshold=0.1"), ("axelrod_noise",)],
)
def test_other_scenarios_and_overrides_are_replayed(tmp_path: Path, extra: tuple[str, ...]) -> None:
    """The replay reads the resolved scenario (with its overrides), seed and turns."""
    from sim.cli.main import main

    run = tmp_path / "run"
    args = ["run", extra[0], *extra[1:], "--seed", "11", "--turns", "5"]
    assert main([*args, "--no-figures", "--quiet", "--out", str(run)]) == 0
    page = render_report(run)
    assert "shown as written" not in page
    assert '<h4 id="turn-5">Turn 5</h4>' in page


def test_a_folder_that_cannot_be_replayed_shows_its_files(tmp_path: Path, run_dir: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    (copy / "play.json").write_text("{}", encoding="utf-8")  # moves chosen by people
    page = render_report(copy)
    assert "transcript.md is shown as written" in page
    assert "debrief.md is shown as written" in page


def test_a_folder_without_figures(tmp_path: Path, run_dir: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    shutil.rmtree(copy / "figures")
    page = write_report(copy).read_text(encoding="utf-8")
    assert "no figures" in page


def test_not_a_run_folder(tmp_path: Path) -> None:
    with pytest.raises(RunFolderError, match="not a run folder"):
        write_report(tmp_path)


# -- figures and templates ------------------------------------------------------------------


def test_figures_are_images_not_inline_svg(tmp_path: Path, run_dir: Path) -> None:
    """A figure is an <img> of its own file: a script in an SVG never becomes part of the page."""
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    (copy / "figures" / "tension.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)" width="10" height="10">'
        b"<script>alert(1)</script></svg>"
    )
    page = render_report(copy)
    assert "<svg" not in page and "<script" not in page.lower()
    m = re.search(r'<figure id="fig-tension"[^>]*>\s*<img src="data:image/svg\+xml;base64,', page)
    assert m, "the SVG is embedded as an image"


def test_an_unreadable_figure_falls_back_to_its_bitmap(tmp_path: Path, run_dir: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    (copy / "figures" / "rungs.svg").write_bytes(b"not an svg at all")
    page = render_report(copy)
    figure = re.search(r'<figure id="fig-rungs".*?</figure>', page, flags=re.S)
    assert figure and '<img src="data:image/png;base64,' in figure.group(0)
    assert "<code>figures/rungs.png</code>; also <code>figures/rungs.svg</code>" in figure.group(0)


def test_templates_autoescape_and_refuse_unknown_names() -> None:
    import jinja2

    env = environment()
    assert env.autoescape is True
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ nothing_given }}").render()
    inline = env.get_template("macros.html.j2").module.inline  # type: ignore[attr-defined]
    spans = line(
        Strong(line("Event:")),
        " ",
        Data('<b>"x"</b> & **y**'),
        " ",
        Emphasis(line(Code("<c>"))),
        " ",
        TurnLink(3, line("turn 3")),
    )
    assert str(inline(spans)) == (
        "<strong>Event:</strong> &lt;b&gt;&#34;x&#34;&lt;/b&gt; &amp; **y** "
        '<em><code>&lt;c&gt;</code></em> <a href="#turn-3">turn 3</a>'
    )


def test_the_css_is_a_file_inlined_with_print_rules(page: str) -> None:
    from importlib.resources import files

    css = (files("sim.outputs") / "templates" / "report.css").read_text(encoding="utf-8")
    assert "@media print" in css and "@page" in css
    assert css.strip() in page


def test_a_transcript_of_no_turns(tmp_path: Path) -> None:
    minutes = build_transcript(sim.run(REPO / "scenarios" / "axelrod_noise.yaml", seed=1, turns=0))
    assert minutes.turns == () and minutes.turning_points is None
    assert len(minutes.ending) == 2


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


def test_a_played_games_report_writes_its_debrief_from_data(tmp_path: Path) -> None:
    from sim.play.core import PlaySession
    from sim.play.folder import write_play_folder
    from tests.conftest import FLAGSHIP

    session = PlaySession(FLAGSHIP, ["japan"], seed=3, turns=2)
    for _ in range(2):
        session.choose("japan", session.choices("japan")[0]["move"])
        session.resolve()
    report = write_play_folder(session, tmp_path / "played", command=["sim", "play"])
    assert report is not None
    page = report.read_text(encoding="utf-8")
    assert 'id="debrief-from-this-run"' in page  # from the game's data, not the file
    assert "debrief.md is shown as written" not in page
    # transcript.md holds who played what, which the transcript's data does not:
    # shown as written, with the note saying why
    assert "transcript.md is shown as written" in page
    assert "Played by people" in page
