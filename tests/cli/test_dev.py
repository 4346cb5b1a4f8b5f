"""`./dev` runs a command where it was typed, so a student's own folder works."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import REPO


def test_dev_validates_and_runs_a_scenario_in_the_callers_folder(tmp_path: Path) -> None:
    shutil.copy(REPO / "scenarios" / "jervis_spiral.yaml", tmp_path / "mine.yaml")
    dev = str(REPO / "dev")
    done = subprocess.run(
        [dev, "sim", "validate", "mine.yaml"], cwd=tmp_path, capture_output=True, text=True,
        check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("mine.yaml: ok")
    done = subprocess.run(
        [dev, "sim", "run", "mine.yaml", "--turns", "2", "--no-figures", "--quiet"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [p.name for p in (tmp_path / "runs").iterdir()] == ["mine-seed1976"]
    assert not (REPO / "runs" / "mine-seed1976").exists()
