"""The run manifest: everything needed to reproduce a run."""

from __future__ import annotations

import hashlib
import os
import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.outputs.figures import FigureFocus

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
    """SHA-256 of a scenario file's bytes, hex (read with the scenario's bound)."""
    from sim.files import SCENARIO_LIMIT, read_bytes

    return hashlib.sha256(read_bytes(path, limit=SCENARIO_LIMIT, what="scenario file")).hexdigest()


def relative_to(path: str | Path, folder: Path) -> str:
    """``path`` as seen from ``folder`` (POSIX), so a manifest holds no absolute path."""
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(folder))).as_posix()


def portable_command(command: list[str], folder: Path) -> list[str]:
    """The command line with every absolute path rewritten relative to ``folder``."""

    def one(arg: str) -> str:
        name, eq, value = arg.partition("=")
        if eq and value.startswith("/") and name.startswith("-"):
            return f"{name}={relative_to(value, folder)}"
        return relative_to(arg, folder) if arg.startswith("/") else arg

    return [one(arg) for arg in command]


def _scenario_argument(path: Path, folder: Path) -> str:
    """A scenario file as the manifest names it: ``bundled:ID``, else its path from ``folder``.

    ``sim run`` takes either form (a bundled id with or without ``bundled:``).
    """
    from sim.paths import scenarios_dir

    if Path(path).resolve().parent == scenarios_dir().resolve():
        return f"bundled:{Path(path).stem}"
    return relative_to(path, folder)


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
    folder: Path,
    readings: dict[str, Any] | None = None,
    figures: FigureFocus | None = None,
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
        folder: The output folder: every path in the manifest is relative to it.
            (``outputs``, the files written, is added by :mod:`sim.files`.)
        readings: Whether the run kept every reading or summarised them, with the
            threshold and the rule (:attr:`sim.model.results.RunResult.readings`);
            written as ``"readings"`` when given.
        figures: The figures' focus (``sim run --focus A,B --observer C``);
            written as ``"figures"`` (``{"focus": [...], "observer": ...}``) and
            added to ``reproduce`` when it names actors or an observer.
    """
    shown = [_scenario_argument(p, folder) for p in files]
    manifest: dict[str, Any] = {
        "tool": "strategy-dialogue-sim",
        "seed": seed,
        "seed_source": seed_source,
        "reproduce": "sim run "
        + (shown[0].removeprefix("bundled:") if shown else "SCENARIO")
        + f" --seed {seed} --turns {turns}"
        + "".join(f" --set {o}" for o in overrides)
        + _focus_arguments(figures),
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
        "command": portable_command(command, folder),
        "versions": {
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            **package_versions(),
        },
        "created_utc": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    if readings is not None:
        manifest["readings"] = readings
    if _has_focus(figures):
        assert figures is not None
        manifest["figures"] = figures.as_manifest()
    return manifest


def _has_focus(focus: FigureFocus | None) -> bool:
    return focus is not None and (bool(focus.actors) or focus.observer is not None)


def _focus_arguments(focus: FigureFocus | None) -> str:
    """`` --focus A,B --observer C`` for the ``reproduce`` line ("" without a focus).

    An actor named with a space or a comma (a display name) is quoted for a shell.
    """
    import shlex

    if focus is None or not _has_focus(focus):
        return ""
    out = ""
    if focus.actors:
        out += " --focus " + shlex.quote(",".join(focus.actors))
    if focus.observer is not None:
        out += " --observer " + shlex.quote(focus.observer)
    return out


def output_manifest(kind: str, seed: int, command: list[str], folder: Path) -> dict[str, Any]:
    """The manifest of a sweep, sensitivity or compare folder (``outputs`` is added on writing).

    Args:
        kind: What the folder holds, e.g. 'sweep' or 'sensitivity (morris)'.
        seed: The root seed.
        command: The command line (paths are made relative to ``folder``).
        folder: The output folder.
    """
    return {
        "kind": kind,
        "seed": seed,
        "command": portable_command(command, folder),
        "versions": package_versions(),
    }
