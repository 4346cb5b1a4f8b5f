"""`./dev` and `sim schema --write` replace only what they made, never a file of the user's."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.conftest import REPO


def test_a_sim_venv_that_is_not_a_virtual_environment_is_left_alone(tmp_path: Path) -> None:
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "essay.txt").write_text("my essay", encoding="utf-8")
    done = subprocess.run(
        [str(REPO / "dev"), "sim", "list"],
        cwd=tmp_path,
        env={**os.environ, "SIM_VENV": str(mine)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1
    assert f"dev: {mine} exists and is not a virtual environment" in done.stderr
    assert sorted(p.name for p in mine.iterdir()) == ["essay.txt"]
    assert (mine / "essay.txt").read_text(encoding="utf-8") == "my essay"


def test_schema_write_puts_both_schemas_beside_a_handwritten_scenario(tmp_path: Path) -> None:
    from sim.cli.main import main
    from sim.scenario.jsonschema import schema_text

    assert main(["schema", "--write", str(tmp_path)]) == 0
    assert (tmp_path / "scenario.schema.json").read_text(encoding="utf-8") == schema_text()
    assert (tmp_path / "variant.schema.json").read_text(encoding="utf-8") == schema_text(
        variant=True
    )
    assert main(["schema", "--write", str(tmp_path)]) == 0  # its own files: refreshed
    mine = tmp_path / "scenario.schema.json"
    mine.write_text('{"title": "my own schema"}', encoding="utf-8")
    (tmp_path / "variant.schema.json").unlink()
    assert main(["schema", "--write", str(tmp_path)]) == 2
    assert mine.read_text(encoding="utf-8") == '{"title": "my own schema"}'
    assert not (tmp_path / "variant.schema.json").exists()  # nothing half-written
