"""What the seminar tests share: a small room on the flagship, and views as text."""

from __future__ import annotations

import json
from typing import Any

from sim.paths import resolve_scenario
from sim.play.core import PlaySession
from sim.seminar.room import Absent, Room

FLAGSHIP = "dec2025_joint_drill"
TEAM_A, TEAM_B = "china", "united_states"


def make_room(
    seed: int = 11, absent: Absent = "quiet", teams: tuple[str, ...] = (TEAM_A, TEAM_B)
) -> Room:
    """A room on the flagship with two teams."""
    return Room(PlaySession(resolve_scenario(FLAGSHIP), list(teams), seed=seed), absent=absent)


def text(view: Any) -> str:
    """A view as the bytes a page would get (JSON text)."""
    return json.dumps(view)


def without_version(view: dict[str, Any]) -> dict[str, Any]:
    """A view with its version counter taken out (it changes on every change)."""
    return {k: v for k, v in view.items() if k != "version"}
