"""sim.files: bounded reads, atomic writes, and replacing only what the tool wrote."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from sim import files

NAMES = st.lists(
    st.from_regex(r"[a-z]{1,8}(/[a-z]{1,8}){0,2}\.(csv|md|png)", fullmatch=True),
    min_size=1,
    max_size=8,
    unique=True,
)


def build(folder: Path, names: list[str], *, force: bool = False) -> None:
    with files.output_folder(folder, force=force) as stage:
        for name in names:
            (stage.path / name).parent.mkdir(parents=True, exist_ok=True)
            (stage.path / name).write_text(name)
        stage.manifest = {"kind": "test"}


def clash(names: list[str]) -> bool:
    """True when one name is a folder of another (a/b.csv and a/b.csv/c.md cannot both exist)."""
    return any(b.startswith(a + "/") for a in names for b in names)


@given(names=NAMES)
@hyp_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_folder_lists_exactly_what_was_written_and_can_be_replaced(
    names: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    if clash(names):
        return
    root = tmp_path_factory.mktemp("f")
    folder = root / "out"
    build(folder, names)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tool"] == files.TOOL and manifest["kind"] == "test"
    assert sorted(manifest["outputs"]) == sorted([*names, "manifest.json"])
    assert files.owned_files(folder) == sorted([*names, "manifest.json"])
    build(folder, ["new.csv"], force=True)
    assert sorted(p.name for p in folder.rglob("*")) == ["manifest.json", "new.csv"]
    assert sorted(p.name for p in root.iterdir()) == ["out"]


@given(names=NAMES, extra=st.from_regex(r"[a-z]{1,8}(/[a-z]{1,8})?\.(txt|docx)", fullmatch=True))
@hyp_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_unlisted_file_makes_force_refuse_and_nothing_is_touched(
    names: list[str], extra: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if clash([*names, extra]):
        return
    folder = tmp_path_factory.mktemp("f") / "out"
    build(folder, names)
    (folder / extra).parent.mkdir(parents=True, exist_ok=True)
    (folder / extra).write_text("a student's work")
    before = sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
    with pytest.raises(files.FileProblem, match="did not write"):
        build(folder, ["new.csv"], force=True)
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) == before
    assert (folder / extra).read_text() == "a student's work"


def test_a_failed_block_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), files.output_folder(tmp_path / "out") as stage:
        (stage.path / "half.csv").write_text("half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_never_replaces_a_link_folder_or_device(tmp_path: Path) -> None:
    (tmp_path / "real").write_text("keep")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "dir").mkdir()
    for target, words in [
        (tmp_path / "link", "symbolic link"),
        (tmp_path / "dir", "is a folder"),
        (Path("/dev/null"), "device"),
    ]:
        with pytest.raises(files.FileProblem, match=words):
            files.write_atomic(target, "x")
    with pytest.raises(files.FileProblem, match="already exists"):
        files.write_atomic(tmp_path / "real", "x", replace=False)
    assert (tmp_path / "real").read_text() == "keep"
    files.write_atomic(tmp_path / "real", "new")
    assert (tmp_path / "real").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir", "link", "real"]


def test_read_json_refuses_duplicates_nan_depth_and_huge_numbers(tmp_path: Path) -> None:
    cases = {
        '{"a": 1, "a": 2}': "given twice",
        '{"a": NaN}': "not a save file",
        "[" * 100 + "]" * 100: "nesting deeper than 64",
        '{"a": ' + "9" * 5000 + "}": "not a save file",
        '{"a": }': "1:7: not valid JSON",
        '"\\x"': "not valid JSON",
    }
    for text, words in cases.items():
        path = tmp_path / "x.json"
        path.write_text(text)
        with pytest.raises(files.FileProblem, match=words):
            files.read_json(path, limit=files.SAVE_LIMIT, what="save file")


def test_json_depth_ignores_brackets_inside_strings() -> None:
    assert files.json_depth('{"a": "[[[[", "b": [1, [2]]}') == 3
    assert files.json_depth('"\\"[["') == 0


def test_inside_refuses_links_out_but_follows_links_within(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    (run / "a.md").write_text("in")
    (run / "b.md").symlink_to(run / "a.md")
    (run / "c.md").symlink_to(tmp_path / "secret.txt")
    (tmp_path / "secret.txt").write_text("secret")
    assert files.read_inside(run, "b.md") == b"in"
    for name in ("c.md", "../secret.txt"):
        with pytest.raises(files.FileProblem, match="leads out of its folder"):
            files.read_inside(run, name)


def test_clean_leftovers_takes_only_the_tools_own_dead_staging(tmp_path: Path) -> None:
    dead = 2**22 + 7
    old = tmp_path / f".run.old-{dead}"  # a replaced run folder whose deletion was cut short
    build(old, ["a.csv"])
    (old / "essay.md").write_text("dropped in later")
    ours = tmp_path / f".run.partial-{dead}"
    ours.mkdir()
    (ours / files.STAGING_MARK).write_bytes(b"")
    alive = tmp_path / f".run.partial-{os.getppid()}"  # a writer still at work
    alive.mkdir()
    (alive / files.STAGING_MARK).write_bytes(b"")
    stranger = tmp_path / f".notes.partial-{dead}"  # not made by the tool: no staging mark
    stranger.mkdir()
    (stranger / "essay.md").write_text("mine")
    removed = files.clean_leftovers(tmp_path)
    assert removed == [ours.name]
    assert alive.exists() and (stranger / "essay.md").exists()
    assert sorted(p.name for p in old.iterdir()) == ["essay.md"]  # only the listed files went


def test_clean_leftovers_removes_an_empty_unmarked_staging_folder_only(tmp_path: Path) -> None:
    """A process killed between creating its staging folder and marking it leaves it empty."""
    dead = 2**22 + 9
    empty = tmp_path / f".run.partial-{dead}"
    empty.mkdir()
    holding = tmp_path / f".other.partial-{dead}"  # unmarked and not empty: not provably ours
    holding.mkdir()
    (holding / "essay.md").write_text("mine")
    assert files.clean_leftovers(tmp_path) == [empty.name]
    assert (holding / "essay.md").read_text() == "mine"


def test_explain_says_what_to_do() -> None:
    import errno

    for code in (errno.ENOSPC, errno.EROFS, errno.ENAMETOOLONG, errno.ENOTDIR, errno.EACCES):
        text = files.explain(OSError(code, os.strerror(code)))
        assert ": " in text and text[0].islower()


def test_temporaries_are_only_the_ones_writing_names(tmp_path: Path) -> None:
    from sim.files.writing import _temp_beside

    fd, made = _temp_beside(tmp_path / "summary.csv")  # as a killed writer leaves it
    os.close(fd)
    for name in (".notes.tmp", ".draft.tmp.md", "summary.tmp.csv"):  # a user's own files
        (tmp_path / name).write_text("mine")
    assert files.temporaries(tmp_path) == [made]
