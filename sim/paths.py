"""Where bundled scenarios live, and how a scenario name becomes a file."""

from __future__ import annotations

import os
from pathlib import Path

from sim.errors import UsageError
from sim.names import did_you_mean, suggestions

FLAGSHIP = "dec2025_joint_drill.yaml"
"""File name of the flagship scenario (run by ``sim run`` with no argument)."""


def scenarios_dir() -> Path:
    """The bundled scenario folder: ``$SIM_SCENARIOS``, else ``scenarios/`` of the checkout."""
    env = os.environ.get("SIM_SCENARIOS")
    if env:
        return Path(env)
    beside = Path(__file__).resolve().parent.parent / "scenarios"
    if beside.is_dir():
        return beside
    return Path.cwd() / "scenarios"


def bundled() -> list[Path]:
    """Bundled scenario files, sorted by name."""
    folder = scenarios_dir()
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


_LOCAL_MAX = 500  # scenario files of the current folder compared with a misspelt name


def resolve_scenario(name: str | Path | None) -> Path:
    """Turn a command-line scenario argument into a file path.

    ``None`` is the flagship; an existing path is used as is; otherwise a
    bundled scenario id (with or without ``.yaml``) is looked up.

    Raises:
        UsageError: nothing matches (with a did-you-mean).
    """
    if name is None:
        path = scenarios_dir() / FLAGSHIP
        if not path.is_file():
            raise UsageError(f"the flagship scenario {path} is missing; pass a scenario file")
        return path
    path = Path(name)
    if path.exists():
        return path
    stem = path.name.removesuffix(".yaml")
    candidate = scenarios_dir() / f"{stem}.yaml"
    if candidate.is_file() and path.parent == Path("."):
        return candidate
    ids = [p.stem for p in bundled()]
    if path.parent != Path("."):  # a path into a folder: not an id
        raise UsageError(f"{name}: no such file: check the path")
    # A name close to a file here or to a bundled id gets that one suggested.
    here = {p.stem: p.name for p in sorted(Path(".").glob("*.yaml"))[:_LOCAL_MAX]}
    close_here = [path.stem] if path.stem in here else suggestions(path.stem, here)
    hint = f"; did you mean '{here[close_here[0]]}'?" if close_here else did_you_mean(stem, ids)
    if hint:
        raise UsageError(f"{name}: no such file or bundled scenario{hint}")
    if path.suffix in (".yaml", ".yml"):  # meant as a file
        raise UsageError(f"{name}: no such file: check the path")
    listed = f" (bundled: {', '.join(ids)})" if ids else ""
    raise UsageError(f"{name}: no such file or bundled scenario{listed}")
