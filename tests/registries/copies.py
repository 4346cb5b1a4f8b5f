"""A copy of the ``sim`` package to extend in a test, and ``python`` children that import it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"


def copy_sim(dest: Path) -> Path:
    """Copy the checkout's ``sim`` package under ``dest`` (no caches); return ``dest``."""
    shutil.copytree(REPO / "sim", dest / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def add_file(root: Path, relative: str, text: str) -> Path:
    """Write ``text`` (dedented) to ``root / relative``."""
    path = root / relative
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def python(
    root: Path, *args: str, cwd: Path, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGS`` with only the copy at ``root`` on the path for ``sim``."""
    env = {**os.environ, "PYTHONPATH": str(root), "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def sim(root: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m sim ARGS`` on the copy at ``root``."""
    return python(root, "-m", "sim", *args, cwd=cwd)


def check(done: subprocess.CompletedProcess[str]) -> str:
    """The child's stdout, after asserting it succeeded (its stderr shown if not)."""
    assert done.returncode == 0, done.stderr
    return done.stdout


def assert_import_stops(
    root: Path, cwd: Path, registry: str, name: str, module: str = "sim.model.engine"
) -> None:
    """Importing ``module`` from the copy at ``root`` fails, naming ``registry`` and ``name``."""
    done = python(root, "-c", f"import {module}", cwd=cwd)
    assert done.returncode != 0
    assert f"{registry} out of step" in done.stderr
    assert name in done.stderr.splitlines()[-1]
