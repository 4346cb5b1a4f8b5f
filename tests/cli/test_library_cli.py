"""`sim list` and `sim new`: the library on the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import sim
from sim.cli.library import entries, format_entries, new_variant
from sim.errors import UsageError
from tests.conftest import FLAGSHIP


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(FLAGSHIP, folder / FLAGSHIP.name)
    shutil.copy(FLAGSHIP.parent / "variant.schema.json", folder / "variant.schema.json")
    return folder


def test_list_shows_id_title_turns_actors(library: Path) -> None:
    (library / "broken.yaml").write_text("metadata: {title: B}\nactors: 3\n")
    rows = entries(sorted(library.glob("*.yaml")))
    assert [r.id for r in rows] == ["broken", "dec2025_joint_drill"]
    flagship = rows[1]
    assert (flagship.turns, flagship.actors, flagship.extends) == (30, 9, None)
    text = format_entries(rows)
    assert "dec2025_joint_drill     30       9  December 2025" in text
    assert "broken" in text and "BROKEN: " in text and "actors: expected a mapping" in text


def test_new_writes_a_valid_variant_that_runs_like_the_original(library: Path) -> None:
    path = new_variant("my-copy", str(library / FLAGSHIP.name), library)
    assert path == library / "my-copy.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=./variant.schema.json\n")
    assert "extends: dec2025_joint_drill.yaml" in text
    assert "#       restraint: 0.45" in text  # a commented suggestion with the current value
    variant = sim.load_scenario(path)
    original = sim.load_scenario(library / FLAGSHIP.name)
    assert variant.metadata.title.endswith("(variant: my-copy)")
    assert variant.actors == original.actors and variant.injects == original.injects
    a = sim.run(variant, seed=5, turns=8)
    b = sim.run(original, seed=5, turns=8)
    assert a.events.equals(b.events)
    # uncommenting a suggestion changes the run
    edited = text.replace(
        "# actors:\n#   russia:\n#     posture:\n#       restraint: 0.45",
        "actors:\n  russia:\n    posture:\n      restraint: 0.95",
    )
    path.write_text(edited)
    assert sim.load_scenario(path).actors["russia"].posture.restraint.value == 0.95


def test_new_refuses_bad_names_and_existing_files(library: Path) -> None:
    with pytest.raises(UsageError, match="not a usable scenario name"):
        new_variant("My Copy", str(library / FLAGSHIP.name), library)
    new_variant("again", str(library / FLAGSHIP.name), library)
    with pytest.raises(UsageError, match="already exists"):
        new_variant("again", str(library / FLAGSHIP.name), library)


def test_new_from_a_bundled_id_writes_here_and_extends_by_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sim new` never writes into the installed scenarios folder; the variant names its parent
    as bundled:ID, so it loads from any folder."""
    monkeypatch.chdir(tmp_path)
    bundled_before = sorted(p.name for p in FLAGSHIP.parent.iterdir())
    path = new_variant("mine", FLAGSHIP.stem)
    assert path == Path.cwd() / "mine.yaml"
    assert f"extends: bundled:{FLAGSHIP.stem}" in path.read_text()
    assert sorted(p.name for p in FLAGSHIP.parent.iterdir()) == bundled_before
    variant, original = sim.load_scenario(path), sim.load_scenario(FLAGSHIP)
    assert variant.actors == original.actors
    other = tmp_path / "class"
    other.mkdir()
    assert new_variant("mine", FLAGSHIP.stem, other).parent == other


def test_new_refuses_a_parent_file_in_another_folder(library: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with pytest.raises(UsageError, match="in another folder"):
        new_variant("x", str(library / FLAGSHIP.name), elsewhere)
    assert list(elsewhere.iterdir()) == []
