"""Shared fixtures: small scenario files written into a temporary folder."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")

settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parent.parent
FLAGSHIP = REPO / "scenarios" / "dec2025_joint_drill.yaml"

# Browser tests: Debian's Chromium, driven by Playwright (never `playwright install`).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = REPO / "test-artifacts"  # screenshots and PDFs kept for a person to look at

SMALL = """\
metadata:
  title: Small test scenario
  sources:
    - key: s1
      title: A source
turns: 12
seed: 5
actors:
  red:
    name: Red
    posture:
      threat_sensitivity: 0.7
      resolve: {value: 0.6, basis: {source: s1, part: intro, reasoning: our words}}
  blue:
    name: Blue
    voice: Blue City
  green:
    name: Green
    policy: tit_for_tat
relationships:
  red:
    blue: {alignment: -0.6, label: rivals}
  blue:
    green: {alignment: 0.5, channels: {hotline: 0.5}}
injects:
  drill:
    label: Red holds a drill
    when: {turn: 1}
    effects:
      - move: {actor: red, move: joint_missile_defence_drill}
"""


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a YAML file (dedented) into the test's folder and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture
def small(write: Callable[[str, str], Path]) -> Path:
    """A valid three-actor scenario file."""
    return write("small.yaml", SMALL)
