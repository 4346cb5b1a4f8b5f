"""``sim check``: measure a scenario's stylised facts (``expectations:``) over an ensemble."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from sim.cli import options

EXIT_FAILED = 1


def add(sub: Any) -> None:
    """Add ``sim check``."""
    from sim.running.check_defaults import DEFAULT_RUNS, DEFAULT_SEED

    chk = sub.add_parser(
        "check",
        help="measure a scenario's stylised facts over an ensemble",
        description="Run the scenario's ensemble on a fixed root seed and print, for each fact "
        "in its expectations:, the share of runs where it held, the 95%% Wilson interval and a "
        "verdict (share >= required). Exit 1 if any fact fails, 0 if all hold (or there are "
        "none). Results do not depend on --workers.",
    )
    chk.add_argument("scenario", help="scenario file or bundled id")
    options.runs(chk, f"replicates (default {DEFAULT_RUNS})", default=DEFAULT_RUNS)
    options.seed(chk, f"the scenario's seed, else {DEFAULT_SEED}")
    options.workers(chk)
    options.overrides(chk)
    chk.add_argument("--json", action="store_true", help="print the result as JSON")
    chk.set_defaults(handler=handle)


def handle(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Check the facts, print the table (or JSON); 1 if any fact fails."""
    del argv
    from sim.paths import resolve_scenario
    from sim.running.check import check
    from sim.scenario.loader import read_scenario

    scenario = read_scenario(resolve_scenario(args.scenario), args.overrides).scenario
    result = check(scenario, args.runs, args.seed, workers=args.workers)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
    elif not result.facts:
        print(f"{scenario.id} states no expectations: nothing to check.")
    else:
        sys.stdout.write(table(result))
    return 0 if result.passed else EXIT_FAILED


def table(result: Any) -> str:
    """The facts as a plain-text table, then a one-line verdict."""
    head = ("fact", "label", "required", "measured", "95% Wilson", "verdict")
    rows = [
        (
            f.id,
            f.label,
            f"{f.required:.2f}",
            f"{f.share:.3f} ({f.held}/{f.runs})",
            f"[{f.low:.3f}, {f.high:.3f}]",
            "holds" if f.passed else "FAILS",
        )
        for f in result.facts
    ]
    widths = [max(len(str(r[k])) for r in (head, *rows)) for k in range(len(head))]
    lines = [
        f"{result.scenario}: {result.runs} runs of {result.turns} turns, root seed {result.seed}",
        "",
        "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    failed = [f.id for f in result.facts if not f.passed]
    lines += [
        "",
        f"{len(failed)} of {len(rows)} facts fail: {', '.join(failed)}"
        if failed
        else f"all {len(rows)} facts hold",
    ]
    return "\n".join(lines) + "\n"
