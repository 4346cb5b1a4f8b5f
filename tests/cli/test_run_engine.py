"""``sim run`` drives the engine without Mesa, and writes what the Mesa-hosted model would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import sim
from sim.outputs.run_folder import write_run_folder
from tests.conftest import REPO, sim_env

COMPARED = ("metrics.csv", "events.csv", "links.csv", "injects.csv", "transcript.md", "debrief.md")


def python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=sim_env(MPLBACKEND="Agg"),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("scenario", "seed", "turns"),
    [("dec2025_joint_drill", 3, None), ("jervis_spiral", 11, 17), ("axelrod_noise", 0, 5)],
)
def test_sim_run_writes_the_files_of_the_mesa_model(
    scenario: str, seed: int, turns: int | None, tmp_path: Path
) -> None:
    args = ["run", scenario, "--seed", str(seed), "--out", "cli", "--no-figures"]
    args += ["--turns", str(turns)] if turns is not None else []
    code = (
        "import sys\n"
        "from sim.cli.main import main\n"
        f"status = main({args!r})\n"
        "assert status == 0, status\n"
        "assert 'mesa' not in sys.modules, 'sim run imported Mesa'\n"
    )
    done = python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    model = sim.EscalationModel(REPO / "scenarios" / f"{scenario}.yaml", rng=seed, turns=turns)
    write_run_folder(model.run(), tmp_path / "api", figures=False)
    for name in COMPARED:
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "api" / name).read_bytes()


def test_sim_run_report_uses_the_finished_run_instead_of_replaying_it(tmp_path: Path) -> None:
    code = (
        "import sim.outputs.report.minutes as minutes\n"
        "def replay(*args, **kwargs):\n"
        "    raise AssertionError('the report replayed the run')\n"
        "minutes.replay = replay\n"
        "from sim.cli.main import main\n"
        "status = main(['run', 'richardson_stable', '--turns', '4', '--out', 'r',\n"
        "               '--no-figures', '--report', '--quiet'])\n"
        "assert status == 0, status\n"
    )
    done = python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r" / "report.html").is_file()
