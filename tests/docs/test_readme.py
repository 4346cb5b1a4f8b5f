"""The README's worked example and quickstart stay true."""

from __future__ import annotations

import re

import numpy as np

import sim
from tests.conftest import FLAGSHIP, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_quickstart_block_is_exactly_two_commands() -> None:
    block = README.split("## Quickstart", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    assert block.strip().splitlines() == ["./dev sim run", "./dev test"]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "./dev test" in ci


def test_worked_example_lines_and_numbers_come_from_the_real_run() -> None:
    result = sim.run(FLAGSHIP, seed=2025)
    text = " ".join(sim.transcript(result).split())
    excerpt = README.split("and the opening of its transcript", 1)[1].split("```text", 1)[1]
    excerpt = excerpt.split("```", 1)[0]
    for line in (
        "Beijing and Moscow** hold a China-Russia joint missile-defence drill together, "
        "hosted by Russia (rung 5, joint demonstration)",
        "Canberra reads Beijing's part as a coercive signal — more hostile than meant "
        "(perceived 0.68 vs meant 0.45, gap +0.23).",
        "Seoul reads Moscow's part as pressure — more hostile than meant (perceived 0.58 vs "
        "meant 0.45, gap +0.13).",
    ):
        assert line in " ".join(excerpt.split()) and line in text
    summary = result.summary()
    claim = re.search(r"(\d+) counter-actions, (\d+) of\s+them miscalculations", README)
    assert claim is not None
    assert (int(claim.group(1)), int(claim.group(2))) == (
        summary["chain_links"],
        summary["miscalculations"],
    )
    mean = result.arrays.tension.mean(axis=1)  # (T + 1,): the start, then each turn
    told = re.search(
        r"mean tension peaks at (\d\.\d\d) in turn (\d+) and ends below where it started"
        r"\s+\((\d\.\d\d),\s+down from (\d\.\d\d)\)",
        README,
    )
    assert told is not None
    peak = int(np.argmax(mean))
    assert told.groups() == (f"{mean[peak]:.2f}", str(peak), f"{mean[-1]:.2f}", f"{mean[0]:.2f}")
