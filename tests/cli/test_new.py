"""``sim new NAME`` without ``--from``: a scenario from nothing that validates, runs and checks."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import sim
from sim.cli.library import SCENARIO_MODELINE
from sim.cli.main import main
from sim.scenario.jsonschema import schema_text
from tests.conftest import FLAGSHIP
from tests.outputs.test_neutral_text import flagship_words


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_from_nothing_validates_runs_and_checks_without_warnings(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "my-scenario"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Wrote my-scenario.yaml: edit it")
    assert sorted(p.name for p in here.iterdir()) == ["my-scenario.yaml", "scenario.schema.json"]
    text = (here / "my-scenario.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=./scenario.schema.json"
    assert text.splitlines()[0] == SCENARIO_MODELINE
    # the schema the modeline names sits beside the file, so the editor finds it anywhere
    assert (here / "scenario.schema.json").read_text(encoding="utf-8") == schema_text()

    assert main(["validate", "my-scenario.yaml"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("my-scenario.yaml: ok - Red and Blue: a scenario of my own")
    assert "(2 actors, 12 moves, 1 inject, 20 turns)" in captured.out
    assert captured.err == ""  # no warning

    assert main(["run", "my-scenario.yaml", "--out", "run", "--no-figures"]) == 0
    captured = capsys.readouterr()
    assert "warning" not in captured.err.lower()
    transcript = (here / "run" / "transcript.md").read_text(encoding="utf-8")
    assert "Red holds a staff exercise" in transcript

    assert main(["check", "my-scenario.yaml", "--runs", "20"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("no_threats_in_the_main "))
    assert "1.000 (20/20)" in row and row.endswith("holds")
    assert out.rstrip().endswith("all 1 facts hold")


def test_the_file_teaches_each_block_with_one_example_basis(here: Path) -> None:
    assert main(["new", "mine"]) == 0
    path = here / "mine.yaml"
    text = path.read_text(encoding="utf-8")
    s = sim.load_scenario(path)
    assert list(s.actors) == ["red", "blue"]
    assert [(a.name, a.voice) for a in s.actors.values()] == [
        ("Red", "Red City"),
        ("Blue", "Blue City"),
    ]
    assert [src.key for src in s.metadata.sources] == ["my-source", "assumption"]
    assert "¶N" in (s.metadata.sources[0].note or "")
    assert s.metadata.title and s.metadata.summary and s.metadata.turn_meaning
    # exactly one posture value carries a basis; the rest are defaults
    with_basis = [
        (aid, field)
        for aid, actor in s.actors.items()
        for field in type(actor.posture).model_fields
        if getattr(actor.posture, field).basis is not None
    ]
    assert with_basis == [("red", "threat_sensitivity")]
    basis = s.actors["red"].posture.threat_sensitivity.basis
    assert basis is not None and basis.source == "my-source" and basis.part.startswith("¶2: ")
    assert s.actors["red"].posture.resolve.value == 0.5  # a default
    assert s.relationships["red"]["blue"].alignment == -0.4
    assert s.relationships["red"]["blue"].basis is not None
    # no domain library: the neutral core applies, and the comment shows how to load one
    assert "\nlibraries:" not in text
    assert "# libraries: [library:" in text and "# libraries: [my_moves.yaml]" in text
    assert list(s.injects) == ["opening_exercise"] and len(s.debrief) == 1
    assert list(s.expectations) == ["no_threats_in_the_main"]
    assert s.expectations["no_threats_in_the_main"].basis is not None
    # every block says where its reference is
    for key in ("metadata:", "actors:", "relationships:", "injects:", "debrief:", "expectations:"):
        before = text[: text.index(f"\n{key}\n")]
        comment = before[before.rindex("\n\n") :]
        assert "docs/scenario-format.md" in comment, key


def test_actors_option_sets_the_ids(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "three", "--actors", "north,south,east_bloc"]) == 0
    text = (here / "three.yaml").read_text(encoding="utf-8")
    for aid in ("north:", "south:", "east_bloc:"):
        assert f"\n  {aid}\n" in text
    s = sim.load_scenario(here / "three.yaml")
    assert list(s.actors) == ["north", "south", "east_bloc"]
    assert s.actors["east_bloc"].name == "East Bloc"
    assert list(s.relationships) == ["north"] and list(s.relationships["north"]) == ["south"]
    fact = s.expectations["no_threats_in_the_main"]
    assert getattr(fact, "actors", None) == ["north", "south", "east_bloc"]
    capsys.readouterr()
    assert main(["validate", "three.yaml"]) == 0
    assert capsys.readouterr().err == ""


def test_never_overwrites(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "taken.yaml").write_text("keep me\n", encoding="utf-8")
    (here / "scenario.schema.json").write_text("{}\n", encoding="utf-8")
    assert main(["new", "taken"]) == 2
    assert capsys.readouterr().err == "sim: taken.yaml already exists: choose another name\n"
    assert (here / "taken.yaml").read_text(encoding="utf-8") == "keep me\n"
    # a schema already in the folder is left alone
    assert main(["new", "other"]) == 0
    assert (here / "scenario.schema.json").read_text(encoding="utf-8") == "{}\n"
    assert sorted(p.name for p in here.iterdir()) == [
        "other.yaml",
        "scenario.schema.json",
        "taken.yaml",
    ]


@pytest.mark.parametrize(
    ("actors", "message"),
    [
        ("Red,blue", "'Red' is not a usable actor id"),
        ("red,2nd", "'2nd' is not a usable actor id"),
        ("red,,blue", "'' is not a usable actor id"),
        ("red-team,blue", "'red-team' is not a usable actor id"),
        ("red", "give 2 to 12 actor ids separated by commas, not 1\n"),
        (",".join(f"a{i}" for i in range(13)), "separated by commas, not 13\n"),
        ("red,blue,red", "red is given twice"),
    ],
)
def test_bad_actor_ids_are_refused(
    here: Path, capsys: pytest.CaptureFixture[str], actors: str, message: str
) -> None:
    assert main(["new", "bad", "--actors", actors]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sim: --actors: ") and message in err
    assert list(here.iterdir()) == []


def test_twelve_actors_are_the_most(here: Path) -> None:
    ids = [f"a{i}" for i in range(12)]
    assert main(["new", "many", "--actors", ",".join(ids)]) == 0
    assert list(sim.load_scenario(here / "many.yaml").actors) == ids


def test_out_folder_and_its_old_spelling(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (here / "class").mkdir()
    assert main(["new", "one", "--out", "class"]) == 0
    assert main(["new", "two", "--dir", "class"]) == 0
    assert sorted(p.name for p in (here / "class").iterdir()) == [
        "one.yaml",
        "scenario.schema.json",
        "two.yaml",
    ]
    capsys.readouterr()
    assert main(["new", "three", "--out", "nowhere"]) == 2
    assert "nowhere: no such folder" in capsys.readouterr().err


def test_actors_are_refused_with_from(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "v", "--from", FLAGSHIP.stem, "--actors", "a,b"]) == 2
    assert "--actors is for a scenario from nothing" in capsys.readouterr().err
    assert list(here.iterdir()) == []


def test_written_text_speaks_of_no_flagship_world(here: Path) -> None:
    assert main(["new", "neutral"]) == 0
    text = (here / "neutral.yaml").read_text(encoding="utf-8")
    # only the commented library reference names a domain (as a library id)
    lines = [line for line in text.splitlines() if not line.startswith("# libraries: [library:")]
    assert flagship_words("\n".join(lines)) == []


def test_through_dev_from_a_folder_of_ones_own(tmp_path: Path) -> None:
    """The student's first step, as the README shows it: ``./dev sim new`` in their folder."""
    from tests.conftest import REPO

    dev = str(REPO / "dev")
    done = subprocess.run(
        [dev, "sim", "new", "my-scenario"], cwd=tmp_path, capture_output=True, text=True,
        check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "my-scenario.yaml").is_file()
    done = subprocess.run(
        [dev, "sim", "validate", "my-scenario.yaml"], cwd=tmp_path, capture_output=True,
        text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("my-scenario.yaml: ok") and done.stderr == ""


def test_a_variant_gets_its_schema_beside_it_too(here: Path) -> None:
    assert main(["new", "mine", "--from", "richardson_stable"]) == 0
    assert sorted(p.name for p in here.iterdir()) == ["mine.yaml", "variant.schema.json"]
    text = (here / "mine.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=./variant.schema.json"
    assert (here / "variant.schema.json").read_text(encoding="utf-8") == schema_text(variant=True)
    assert "extends: bundled:richardson_stable" in text
    assert sim.load_scenario(here / "mine.yaml").id == "mine"
