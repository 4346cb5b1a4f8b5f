"""Role briefs (``sim briefs``): content, privacy, escaping, the folder, and A4 print length."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from sim.outputs.briefs import brief, brief_name, level, render_brief, write_briefs
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, FLAGSHIP, only_from, run_sim

PAGE = re.compile(rb"/Type\s*/Page(?!s)")
FLAGSHIP_ACTORS = (
    "china",
    "russia",
    "united_states",
    "nato_europe",
    "japan",
    "south_korea",
    "australia",
    "india",
    "southeast_asia",
)


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load_scenario(FLAGSHIP)


def print_pages(paths: Sequence[Path]) -> dict[str, int]:
    """How many A4 pages each HTML file prints to in Debian's Chromium (skips without it).

    Every request other than the file itself and ``data:`` URIs is refused and
    makes the count fail: the pages must load nothing from outside.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed"
    )
    blocked: list[str] = []
    counts: dict[str, int] = {}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            only_from(page, lambda url: url.startswith(("file:", "data:")), blocked)
            for path in paths:
                page.goto(path.as_uri(), wait_until="load")
                counts[path.name] = len(PAGE.findall(page.pdf(format="A4")))
        finally:
            browser.close()
    assert blocked == []
    return counts


# -- content ----------------------------------------------------------------------------


def test_words_for_values_change_at_the_stated_bounds() -> None:
    assert [level(v) for v in (0.0, 0.2, 0.21, 0.4, 0.41, 0.6, 0.61, 0.8, 0.81, 1.0)] == [
        "very low",
        "very low",
        "low",
        "low",
        "middling",
        "middling",
        "high",
        "high",
        "very high",
        "very high",
    ]


def test_every_flagship_actor_has_objectives_and_private_knowledge(flagship: Scenario) -> None:
    assert len(flagship.actors) == 9
    for actor_id, actor in flagship.actors.items():
        assert 2 <= len(actor.objectives) <= 3, actor_id
        assert 1 <= len(actor.private_knowledge) <= 2, actor_id
        for item in [*actor.objectives, *actor.private_knowledge]:
            if item.basis.source == "assumption":
                assert item.basis.part == "Not covered by either article"
            else:
                assert re.match(r"¶\d+(, ¶\d+)*: \S", item.basis.part), item.basis.part


def test_a_brief_shows_the_actor_its_moves_and_its_bases(flagship: Scenario) -> None:
    b = brief(flagship, "china")
    assert (b.name, b.voice, b.bloc) == ("China", "Beijing", "sino russian")
    assert [o.text for o in b.objectives] == [o.text for o in flagship.actors["china"].objectives]
    assert len(b.posture) == 8 and b.tension.value == "0.30"
    resolve = b.posture[1]
    assert resolve.value == "0.65" and resolve.words == "high"
    assert resolve.basis is not None and resolve.basis.part.startswith("¶5:")
    labels = {m.label for m in b.moves}
    # the December drill is scripted only: no team is offered it; the joint patrol is China's
    assert "China-Russia joint missile-defence drill" not in labels
    patrol = next(m for m in b.moves if m.label.startswith("China-Russia joint bomber"))
    assert (patrol.rung, patrol.rung_label) == (4, "military signalling")
    assert "joint with Russia" in patrol.note
    assert [m.rung for m in b.moves] == sorted(m.rung for m in b.moves)
    # Southeast Asia's own list of seven moves, nothing else
    assert len(brief(flagship, "southeast_asia").moves) == 7


def test_private_knowledge_is_only_in_its_own_brief(flagship: Scenario) -> None:
    pages = {a: render_brief(flagship, a) for a in flagship.actors}
    for actor_id, actor in flagship.actors.items():
        for item in actor.private_knowledge:
            words = item.text[:40]
            holders = [a for a, page in pages.items() if words in page.replace("&#39;", "'")]
            assert holders == [actor_id], (actor_id, words)


def test_scenario_text_is_escaped(flagship: Scenario) -> None:
    china = flagship.actors["china"]
    evil = "<script>alert('x')</script> & <b>bold</b>"
    item = china.objectives[0].model_copy(update={"text": evil})
    changed = china.model_copy(
        update={"objectives": [item], "name": "<i>China</i>", "description": evil}
    )
    scenario = flagship.model_copy(update={"actors": {**flagship.actors, "china": changed}})
    page = render_brief(scenario, "china")
    assert "<script>" not in page and "<b>bold" not in page and "<i>China" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "&lt;i&gt;China&lt;/i&gt;" in page


def test_a_variant_replaces_the_lists(tmp_path: Path) -> None:
    variant = tmp_path / "variant.yaml"
    variant.write_text(
        "extends: bundled:dec2025_joint_drill\n"
        "metadata: {title: 'A variant'}\n"
        "actors:\n"
        "  india:\n"
        "    objectives:\n"
        "      - text: 'Stay out of it.'\n"
        "        basis: {source: assumption, part: 'Not covered by either article', "
        "reasoning: 'A test.'}\n"
        "    private_knowledge: []\n",
        encoding="utf-8",
    )
    s = load_scenario(variant)
    assert [o.text for o in s.actors["india"].objectives] == ["Stay out of it."]
    assert s.actors["india"].private_knowledge == []
    assert len(s.actors["china"].objectives) == 3  # untouched actors keep the parent's
    page = render_brief(s, "india")
    assert "Stay out of it." in page and "no private knowledge" in page


# -- the folder ---------------------------------------------------------------------------


def test_write_briefs_makes_a_folder_it_lists(flagship: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "briefs"
    written = write_briefs(flagship, out, ["japan", "china", "japan"])
    assert [p.name for p in written] == ["brief-japan.html", "brief-china.html"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"] == ["brief-china.html", "brief-japan.html", "manifest.json"]
    assert manifest["teams"] == ["japan", "china"]
    assert (out / brief_name("china")).read_text(encoding="utf-8") == render_brief(
        flagship, "china"
    )


def test_the_command_refuses_what_it_did_not_write(tmp_path: Path) -> None:
    done = run_sim("briefs", "dec2025_joint_drill", "--out", "b", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == sorted(
        ["manifest.json"] + [brief_name(a) for a in FLAGSHIP_ACTORS]
    )
    before = (tmp_path / "b" / "brief-china.html").read_bytes()
    again = run_sim("briefs", "dec2025_joint_drill", "--out", "b", "--team", "japan", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    assert (tmp_path / "b" / "brief-china.html").read_bytes() == before
    (tmp_path / "b" / "notes.txt").write_text("mine", encoding="utf-8")
    forced = run_sim("briefs", "--out", "b", "--team", "japan", "--force", cwd=tmp_path)
    assert forced.returncode == 2
    assert (tmp_path / "b" / "notes.txt").read_text(encoding="utf-8") == "mine"
    unknown = run_sim("briefs", "--team", "atlantis", "--out", "c", cwd=tmp_path)
    assert unknown.returncode == 2 and "atlantis" in unknown.stderr
    assert not (tmp_path / "c").exists()
    default = run_sim("briefs", "--team", "india", cwd=tmp_path)
    assert default.returncode == 0, default.stderr
    assert (tmp_path / "briefs" / "dec2025_joint_drill-briefs" / "brief-india.html").is_file()


# -- print --------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_flagship_brief_prints_on_one_or_two_a4_pages(
    flagship: Scenario, tmp_path: Path
) -> None:
    paths = write_briefs(flagship, tmp_path / "b")
    counts = print_pages(paths)
    assert len(counts) == 9
    assert all(1 <= n <= 2 for n in counts.values()), counts
