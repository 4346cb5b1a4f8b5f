"""Where bundled scenarios live, and how a scenario name becomes a file."""

from __future__ import annotations

import os
from pathlib import Path

from sim.errors import UsageError
from sim.names import did_you_mean

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
    if path.parent != Path("."):  # a path into a folder: not an id
        raise UsageError(f"{name}: no such file: check the path")
    ids = [p.stem for p in bundled()]
    hint = did_you_mean(stem, ids) or (f" (bundled: {', '.join(ids)})" if ids else "")
    raise UsageError(f"{name}: no such file or bundled scenario{hint}")
