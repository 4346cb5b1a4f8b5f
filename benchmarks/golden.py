"""Golden check: the files a run writes, for every bundled scenario with three seeds.

Run it before and after a change that should not change what runs say (the
folders are outside the checkout):

    ./dev python benchmarks/golden.py write ../golden-before     # on the old code
    ./dev python benchmarks/golden.py write ../golden-after      # on the new code
    ./dev python benchmarks/golden.py compare ../golden-before ../golden-after

``write`` runs ``python -m sim run SCENARIO --seed S --no-figures`` in a
subprocess (so it works on any version of the code, whatever its Python API)
and keeps ``metrics.csv``, ``events.csv``, ``links.csv``, ``transcript.md``
and ``debrief.md`` of each run. ``compare`` says which files differ; for a CSV
whose cells differ only in floating-point digits it prints the largest
absolute difference, so a reordered sum can be bounded (the bar is 1e-12).
Manifests are not compared: they carry versions and times.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ("metrics.csv", "events.csv", "links.csv", "transcript.md", "debrief.md")
SEEDS = (11, 2024, 90210)
BOUND = 1e-12


def scenarios() -> list[Path]:
    return sorted((ROOT / "scenarios").glob("*.yaml"))


def run_one(scenario: Path, seed: int, dest: Path) -> str:
    with tempfile.TemporaryDirectory(prefix="sim-golden-") as tmp:
        out = Path(tmp) / "run"
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "sim",
                "run",
                str(scenario),
                "--seed",
                str(seed),
                "--out",
                str(out),
                "--no-figures",
                "--quiet",
            ],
            capture_output=True,
            text=True,
            cwd=tmp,
            check=False,
        )
        if done.returncode != 0:
            return f"{scenario.stem} seed {seed}: exit {done.returncode}: {done.stderr.strip()}"
        dest.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            source = out / name
            if source.is_file():
                (dest / name).write_bytes(source.read_bytes())
    return ""


def write(folder: Path, workers: int) -> int:
    jobs = [(s, seed, folder / f"{s.stem}-seed{seed}") for s in scenarios() for seed in SEEDS]
    with ThreadPoolExecutor(workers) as pool:
        problems = [p for p in pool.map(lambda j: run_one(*j), jobs) if p]
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(jobs) - len(problems)} runs written to {folder}")
    return 1 if problems else 0


def _cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def csv_difference(a: str, b: str) -> float | None:
    """Largest absolute difference between numeric cells; None if anything else differs."""
    ra, rb = _cells(a), _cells(b)
    if len(ra) != len(rb):
        return None
    worst = 0.0
    for row_a, row_b in zip(ra, rb, strict=True):
        if len(row_a) != len(row_b):
            return None
        for x, y in zip(row_a, row_b, strict=True):
            if x == y:
                continue
            try:
                fx, fy = float(x), float(y)
            except ValueError:
                return None
            if math.isnan(fx) and math.isnan(fy):
                continue
            worst = max(worst, abs(fx - fy))
    return worst


def compare(before: Path, after: Path) -> int:
    runs = sorted(p.name for p in before.iterdir() if p.is_dir())
    identical = bounded = 0
    failed: list[str] = []
    for run in runs:
        for name in FILES:
            a, b = before / run / name, after / run / name
            if not a.exists() and not b.exists():
                continue
            if not (a.exists() and b.exists()):
                failed.append(f"{run}/{name}: present in only one folder")
                continue
            ta, tb = a.read_text(encoding="utf-8"), b.read_text(encoding="utf-8")
            if ta == tb:
                identical += 1
                continue
            diff = csv_difference(ta, tb) if name.endswith(".csv") else None
            if diff is not None and diff <= BOUND:
                bounded += 1
                print(f"{run}/{name}: last digits differ, max |diff| {diff:.3g}")
            else:
                failed.append(f"{run}/{name}: differs" + (f" by up to {diff:.3g}" if diff else ""))
    missing = sorted({p.name for p in after.iterdir() if p.is_dir()} ^ set(runs))
    failed += [f"{m}: run present in only one folder" for m in missing]
    for f in failed:
        print(f)
    print(
        f"{len(runs)} runs: {identical} files identical, {bounded} within {BOUND:g}, "
        f"{len(failed)} different"
    )
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write", help="run every bundled scenario with three seeds")
    w.add_argument("folder", type=Path)
    w.add_argument("--workers", type=int, default=2)
    c = sub.add_parser("compare", help="compare two folders written by 'write'")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "write":
        return write(args.folder, args.workers)
    return compare(args.before, args.after)


if __name__ == "__main__":
    raise SystemExit(main())
