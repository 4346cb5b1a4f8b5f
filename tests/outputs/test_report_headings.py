"""The report's headings say what each part is: the scenario's notes are the scenario's notes."""

from __future__ import annotations

import re
from pathlib import Path

import sim
from sim.outputs.report import render_report
from sim.outputs.report.page import environment
from sim.outputs.report.sources import NOTES_TITLE, SOURCES_TITLE, Sources, sources
from sim.outputs.run_folder import write_run_folder
from tests.conftest import FLAGSHIP


def _headings(page: str) -> dict[str, str]:
    """Each ``<h3>``'s id and text."""
    return dict(re.findall(r'<h3 id="([^"]+)">([^<]*)</h3>', page))


def _sources_part(found: Sources) -> str:
    template = environment().get_template("sources.html.j2")
    return template.render(sources=found, titles={"sources": SOURCES_TITLE, "notes": NOTES_TITLE})


def test_the_notes_are_headed_as_the_scenarios_notes_in_a_whole_report(tmp_path: Path) -> None:
    """A run of the flagship (whose notes say much besides where its sources disagree):
    its notes sit under "The scenario's notes", its sources under their own heading,
    and no heading claims the notes are the sources' disagreements."""
    result = sim.run(FLAGSHIP, seed=7, turns=3)
    folder = write_run_folder(result, tmp_path / "run", figures=False)
    page = render_report(folder, result=result)
    headings = _headings(page)
    assert headings["notes"] == "The scenario&#39;s notes"
    assert headings["sources-list"] == "The sources the scenario cites"
    assert "disagreements" not in headings
    assert ">Where the sources disagree<" not in page  # (the notes may say so in their text)
    first = result.scenario.metadata.notes.strip().split("\n\n")[0].strip()
    notes_at = page.index('<h3 id="notes">')
    assert page.index(first[:40], notes_at) < page.index('<h3 id="posture">')
    # The table of contents names the parts as the page does.
    assert '<a href="#notes">The scenario&#39;s notes</a>' in page


def test_a_scenario_without_notes_says_so_under_the_same_heading() -> None:
    found = sources({"metadata": {"sources": [{"key": "a", "title": "A"}]}}, {})
    part = _sources_part(found)
    assert _headings(part) == {
        "sources-list": "The sources the scenario cites",
        "notes": "The scenario&#39;s notes",
        "posture": "Actor postures and their basis",
    }
    assert "The scenario has no modelling notes (<code>metadata.notes</code>)." in part


def test_each_paragraph_of_the_notes_is_one_paragraph_under_the_heading() -> None:
    found = sources({"metadata": {"notes": "First choice.\n\nSecond <choice>."}}, {})
    assert found.notes == ["First choice.", "Second <choice>."]
    part = _sources_part(found)
    after = part.split('<h3 id="notes">The scenario&#39;s notes</h3>')[1]
    assert after.index("<p>First choice.</p>") < after.index("<p>Second &lt;choice&gt;.</p>")
