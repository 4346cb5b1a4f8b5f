"""The run manifest: everything needed to reproduce a run."""

from __future__ import annotations

import hashlib
import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = ("strategy-dialogue-sim", "mesa", "numpy", "pandas", "pydantic", "PyYAML", "matplotlib")


def package_versions() -> dict[str, str]:
    """Installed versions of this package and its core dependencies."""
    out: dict[str, str] = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_manifest(
    *,
    seed: int,
    seed_source: str,
    scenario_id: str,
    title: str,
    files: list[Path],
    scenario_hash: str,
    turns: int,
    overrides: list[str],
    command: list[str],
    outputs: list[str],
) -> dict[str, Any]:
    """Assemble the manifest written as ``manifest.json`` in a run folder.

    Args:
        seed: Root seed used.
        seed_source: 'given' (command line or API), 'scenario' (its ``seed:``)
            or 'generated' (picked fresh and recorded here).
        scenario_id: Scenario identifier.
        title: Scenario title.
        files: Scenario files read (the file itself first, then what it extends).
        scenario_hash: SHA-256 of the resolved scenario.
        turns: Turns played.
        overrides: ``--set`` overrides applied.
        command: The command line.
        outputs: Files written, relative to the run folder.
    """
    from sim.scenario.loader import display_path

    shown = [display_path(p) for p in files]
    return {
        "tool": "strategy-dialogue-sim",
        "seed": seed,
        "seed_source": seed_source,
        "reproduce": "sim run "
        + (shown[0] if shown else "SCENARIO")
        + f" --seed {seed} --turns {turns}"
        + "".join(f" --set {o}" for o in overrides),
        "scenario": {
            "id": scenario_id,
            "title": title,
            "resolved_sha256": scenario_hash,
            "files": [
                {"path": name, "sha256": file_sha256(p)}
                for name, p in zip(shown, files, strict=True)
            ],
        },
        "turns": turns,
        "overrides": overrides,
        "command": command,
        "versions": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            **package_versions(),
        },
        "outputs": outputs,
        "created_utc": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
