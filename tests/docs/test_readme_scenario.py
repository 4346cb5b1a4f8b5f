"""README's "Scenario files in one minute" example is a scenario that loads and runs."""

from __future__ import annotations

from pathlib import Path

import sim
from tests.conftest import REPO


def test_the_one_minute_scenario_loads_and_runs(tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Scenario files in one minute") :]
    block = section[section.index("```yaml\n") + len("```yaml\n") : section.index("```\n", 10)]
    path = tmp_path / "mine.yaml"
    path.write_text(block, encoding="utf-8")
    result = sim.run(path)
    assert result.turns == 20 and set(result.actor_ids) == {"red", "blue"}
    assert result.compiled.move_ids[int(result.records[0].move[0])] == "live_fire_exercise"
