"""``./dev`` replaces only a virtual environment it can recognise, never a folder of the user's."""

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
