"""Write ``sim check`` tables into teaching notes: one command regenerates them all.

A teaching note (``docs/teaching/*.md``, ``scenarios/NOTES-*.md``) is written
by hand except for the blocks between a marker and ``<!-- end generated -->``::

    <!-- generated: check SCENARIO -->
    <!-- end generated -->

The marker names a scenario: a path relative to the note's folder, else a
path relative to the current folder or a bundled id (as ``sim check`` takes
it). It may pin the check with ``runs=N`` and ``seed=S``
(``<!-- generated: check my_scenario.yaml runs=500 seed=7 -->``). The block's
body is this module's output: the ``sim check`` table of the scenario as
Markdown (fact, basis, required share, measured share k/n, 95% Wilson
interval, verdict) and, under it, the root seed and the runs. Refresh every
note (or the files named) with::

    ./dev python -m sim.outputs.check_tables [--runs N] [--workers W] [--check] [FILE...]

``--runs`` is the number of runs where the marker pins none (default
:data:`~sim.running.check_defaults.DEFAULT_RUNS`); the seed is the marker's, else the
check's own default (the scenario's ``seed``, else 2005). ``--check`` writes
nothing: it re-renders each block with the runs and seed its table records and
exits 1 if any note is stale. Files are rewritten atomically (:mod:`sim.files`)
and only when they change. The command exits 1 if a fact fails in any table
(the tables are still written), as ``sim check`` does. Markers in the format
of :mod:`sim.scenario.model_tables` (``<!-- generated: posture -->``) are
left alone: a check block's name is ``check`` followed by a scenario.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sim import files
from sim.outputs.facts import scenario_facts
from sim.outputs.inline import Code, Data, line, to_markdown

if TYPE_CHECKING:
    from sim.running.check import CheckResult
    from sim.scenario.schema import Scenario

__all__ = [
    "BLOCK",
    "NOTES",
    "Marker",
    "main",
    "markdown_table",
    "markers",
    "recorded",
    "refresh",
    "render",
]

BLOCK = re.compile(
    r"(?P<open><!-- generated: check (?P<args>[^`<>\n]+?) -->\n)(?P<body>.*?)"
    r"(?P<close><!-- end generated -->)",
    re.DOTALL,
)
"""A check block: the marker (with its arguments), the generated body, the end marker."""

RECORD = re.compile(r"^Root seed (?P<seed>\d+); (?P<runs>\d+) runs? of (?P<turns>\d+) turns?")
"""The line under a table that records its root seed and runs."""

NOTES = ("docs/teaching/*.md", "scenarios/NOTES-*.md")
"""The teaching notes refreshed when no file is named (relative to the current folder)."""

Table = Callable[[str, Path, int, "int | None", int], str]
"""``table(scenario, folder, runs, seed, workers)``: a block's body."""


@dataclass(frozen=True)
class Marker:
    """A check block's marker: the scenario it names and what it pins."""

    scenario: str
    runs: int | None = None
    seed: int | None = None


def parse_marker(args: str) -> Marker:
    """``SCENARIO [runs=N] [seed=S]`` as a :class:`Marker`.

    Raises:
        ValueError: an argument other than ``runs=`` or ``seed=``, or not a whole number.
    """
    scenario, *options = args.split()
    pinned: dict[str, int] = {}
    for option in options:
        key, _, value = option.partition("=")
        if key not in ("runs", "seed") or not value.isdigit():
            raise ValueError(
                f"check block for {scenario}: '{option}' is not runs=N or seed=S "
                "(write <!-- generated: check SCENARIO runs=N seed=S -->)"
            )
        pinned[key] = int(value)
    return Marker(scenario, pinned.get("runs"), pinned.get("seed"))


def markers(text: str) -> list[Marker]:
    """The check blocks' markers in ``text``, in order."""
    return [parse_marker(m.group("args")) for m in BLOCK.finditer(text)]


def recorded(body: str) -> tuple[int, int] | None:
    """``(seed, runs)`` recorded under a generated table, or None (an empty block)."""
    for text in body.splitlines():
        m = RECORD.match(text)
        if m:
            return int(m.group("seed")), int(m.group("runs"))
    return None


def _cell(text: str) -> str:
    return to_markdown(line(Data(text))) if text else "—"


def markdown_table(result: CheckResult, scenario: Scenario, name: str) -> str:
    """The check of ``scenario`` as a Markdown table, a verdict line and the seed and runs.

    Args:
        result: ``sim check``'s result (:func:`sim.running.check.check`).
        scenario: The scenario checked (for the facts' words and bases).
        name: How the note names the scenario (shown in the command under the table).
    """
    if not result.facts:
        return f"*{_cell(scenario.id)} states no expectations: nothing to check.*\n"
    views = {v.id: v for v in scenario_facts(scenario)}
    rows = [
        "| fact | basis | required | measured | 95% Wilson | verdict |",
        "|---|---|---:|---:|---|---|",
    ]
    for f in result.facts:
        v = views[f.id]
        fact = to_markdown(line(Code(f.id), ": ", Data(v.said)))
        basis = _cell(", ".join(x for x in (v.source, v.part) if x))
        rows.append(
            f"| {fact} | {basis} | {f.required:.2f} | {f.share:.3f} ({f.held}/{f.runs}) | "
            f"[{f.low:.3f}, {f.high:.3f}] | {'holds' if f.passed else '**fails**'} |"
        )
    failed = [f.id for f in result.facts if not f.passed]
    verdict = (
        f"{len(failed)} of {len(result.facts)} facts fail: {', '.join(failed)}."
        if failed
        else f"All {len(result.facts)} facts hold."
    )
    command = f"sim check {name} --runs {result.runs} --seed {result.seed}"
    runs = "run" if result.runs == 1 else "runs"
    turns = "turn" if result.turns == 1 else "turns"
    return "\n".join(
        [
            *rows,
            "",
            _cell(verdict),
            "",
            f"Root seed {result.seed}; {result.runs} {runs} of {result.turns} {turns} "
            f"({to_markdown(line(Code(command)))}). Regenerate with "
            "`./dev python -m sim.outputs.check_tables` on this file.",
            "",
        ]
    )


def scenario_path(name: str, folder: Path) -> Path:
    """The file a marker names: relative to the note's folder, else as ``sim check`` reads it."""
    from sim.paths import resolve_scenario

    beside = folder / name
    return beside if beside.is_file() else resolve_scenario(name)


def render(name: str, folder: Path, runs: int, seed: int | None, workers: int = 1) -> str:
    """A block's body: ``sim check`` of the scenario the marker names, as Markdown."""
    from sim.running.check import check
    from sim.scenario.loader import load_scenario

    scenario = load_scenario(scenario_path(name, folder))
    return markdown_table(check(scenario, runs, seed, workers=workers), scenario, name)


def refresh(
    text: str,
    folder: Path,
    *,
    runs: int | None = None,
    keep: bool = False,
    workers: int = 1,
    table: Table = render,
) -> str:
    """``text`` with every check block's body regenerated.

    Args:
        text: A note.
        folder: The note's folder (marker paths are relative to it).
        runs: Runs where the marker pins none (default ``DEFAULT_RUNS``).
        keep: Use the seed and runs each block's current table records (where
            it records them), so an up-to-date note comes back unchanged.
        workers: Processes for each check (results do not depend on it).
        table: What renders a block's body (tests pass a cached :func:`render`).
    """
    from sim.running.check_defaults import DEFAULT_RUNS

    def block(m: re.Match[str]) -> str:
        marker = parse_marker(m.group("args"))
        n = marker.runs or runs or DEFAULT_RUNS
        seed = marker.seed
        if keep and (found := recorded(m.group("body"))) is not None:
            seed, n = found
        body = table(marker.scenario, folder, n, seed, workers)
        return f"{m.group('open')}{body}{m.group('close')}"

    return BLOCK.sub(block, text)


def main(argv: Sequence[str] | None = None) -> int:
    """Refresh the check tables of the notes named (default: every teaching note)."""
    parser = argparse.ArgumentParser(
        prog="python -m sim.outputs.check_tables",
        description="Regenerate the sim check tables between <!-- generated: check SCENARIO --> "
        "and <!-- end generated --> in teaching notes.",
    )
    parser.add_argument("files", nargs="*", type=Path, help=f"notes (default: {', '.join(NOTES)})")
    parser.add_argument("--runs", type=int, default=None, help="runs where a marker pins none")
    parser.add_argument("--workers", type=int, default=1, help="processes for each check")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a note is stale"
    )
    args = parser.parse_args(argv)
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    paths = list(args.files) or sorted(p for pattern in NOTES for p in Path().glob(pattern))
    stale, failing = [], []
    for path in paths:
        text = files.read_text(path, limit=files.SCENARIO_LIMIT, what="teaching note")
        new = refresh(text, path.parent, runs=args.runs, keep=args.check, workers=args.workers)
        if any("| **fails** |" in m.group("body") for m in BLOCK.finditer(new)):
            failing.append(str(path))
        if new == text:
            continue
        stale.append(str(path))
        if not args.check:
            files.write_atomic(path, new)
            print(f"updated {path}")
    if args.check and stale:
        print(f"stale check tables: {', '.join(stale)}", file=sys.stderr)
        return 1
    if failing:
        print(f"a stated fact fails in: {', '.join(failing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
