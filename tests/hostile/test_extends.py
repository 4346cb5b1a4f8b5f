"""Parents of scenarios: a sibling file, or a bundled scenario by id; never a path out."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.errors import ScenarioError
from tests.conftest import FLAGSHIP


def variant(folder: Path, extends: str, name: str = "mine.yaml") -> Path:
    path = folder / name
    path.write_text(f'extends: "{extends}"\nturns: 4\n', encoding="utf-8")
    return path


def test_a_bundled_parent_by_id_loads_from_any_folder(tmp_path: Path) -> None:
    path = variant(tmp_path, f"bundled:{FLAGSHIP.stem}")
    loaded = sim.load_scenario(path)
    assert loaded.turns == 4
    assert loaded.actors == sim.load_scenario(FLAGSHIP).actors


@pytest.mark.parametrize(
    ("extends", "message"),
    [
        ("bundled:dec2025_joint_dril", "did you mean 'bundled:dec2025_joint_drill'?"),
        ("bundled:../dec2025_joint_drill", "is not a bundled scenario id"),
        ("bundled:", "is not a bundled scenario id"),
        ("library:anything", "'library:' is not a kind of reference here"),
        ("../x.yaml", "is outside this scenario's folder"),
        (str(FLAGSHIP), "is outside this scenario's folder"),
        ("sub/x.yaml", "is outside this scenario's folder"),
        ("..", "is outside this scenario's folder"),
        ("a\\0b", "control character"),
        ("missing.yaml", "no scenario file 'missing.yaml' here"),
    ],
)
def test_a_bad_parent_is_refused_with_the_way_out(
    extends: str, message: str, tmp_path: Path
) -> None:
    path = variant(tmp_path, extends)
    with pytest.raises(ScenarioError) as caught:
        sim.load_scenario(path)
    text = str(caught.value)
    assert text.startswith(("mine.yaml:1:", f"{path}:1:")) and ": extends: " in text
    assert message in text


def test_a_sibling_file_that_looks_qualified_is_still_a_sibling(tmp_path: Path) -> None:
    """A one-letter prefix is a Windows drive, never a namespace: 'c:x.yaml' is a file name."""
    path = variant(tmp_path, "c:base.yaml")
    with pytest.raises(ScenarioError, match=r"no scenario file 'c:base\.yaml' here"):
        sim.load_scenario(path)


def test_a_cycle_through_bundled_ids_is_refused(tmp_path: Path) -> None:
    a = variant(tmp_path, "b.yaml", "a.yaml")
    variant(tmp_path, "a.yaml", "b.yaml")
    with pytest.raises(ScenarioError, match="cycle in 'extends'"):
        sim.load_scenario(a)
