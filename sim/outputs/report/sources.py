"""The report's record of the scenario and the run: sources, postures, settings, files.

Everything here is plain data for the templates (``sources.html.j2``,
``reproducibility.html.j2``), read from the resolved scenario and the
manifest. Values are text; the templates escape them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim import files
from sim.outputs.inline import Code, Line, line
from sim.outputs.report.figures import slugify
from sim.outputs.report.folder import as_text, dig, sha256

__all__ = [
    "Basis",
    "SourceView",
    "Sources",
    "ValueRow",
    "file_hashes",
    "reproducibility",
    "sources",
]


@dataclass(frozen=True)
class Basis:
    """Where a value comes from: the source (and its anchor, if listed), the part, the reasoning."""

    source: str
    anchor: str | None
    part: str
    reasoning: str


@dataclass(frozen=True)
class ValueRow:
    """One sourced value: where it is, the value, its basis (None: none given)."""

    where: str
    value: str
    basis: Basis | None


@dataclass(frozen=True)
class SourceView:
    """One entry of the scenario's list of sources (``anchor`` None: not a mapping)."""

    anchor: str | None
    title: str
    key: str
    details: tuple[tuple[str, str], ...] = ()
    url: str = ""
    note: str = ""


SOURCES_TITLE = "The sources the scenario cites"
"""Heading of the list of ``metadata.sources``."""

NOTES_TITLE = "The scenario's notes"
"""Heading of ``metadata.notes``: the scenario's own modelling notes, whatever they are about."""


@dataclass
class Sources:
    """The "Sources and parameters" section's data."""

    listed: list[SourceView] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    postures: list[tuple[str, str, list[ValueRow]]] = field(default_factory=list)
    others: list[ValueRow] = field(default_factory=list)
    dynamics: list[tuple[str, str]] = field(default_factory=list)


def _basis(basis: Any, keys: set[str]) -> Basis | None:
    if not isinstance(basis, dict):
        return None
    source = str(basis.get("source", ""))
    anchor = f"source-{slugify(source)}" if source in keys else None
    return Basis(source, anchor, as_text(basis.get("part")), as_text(basis.get("reasoning")))


def sources(scenario: dict[str, Any], names: dict[str, str]) -> Sources:
    """The sources, the scenario's notes, postures and other sourced values of a scenario."""
    meta = scenario.get("metadata") or {}
    out = Sources()
    keys: set[str] = set()
    for src in meta.get("sources") or []:
        if not isinstance(src, dict):
            out.listed.append(SourceView(None, as_text(src), ""))
            continue
        key = str(src.get("key", ""))
        keys.add(key)
        details = tuple(
            (extra, as_text(src[extra]))
            for extra in ("author", "date", "publisher", "file")
            if src.get(extra)
        )
        out.listed.append(
            SourceView(
                anchor=f"source-{slugify(key)}",
                title=as_text(src.get("title") or key),
                key=key,
                details=details,
                url=as_text(src["url"]) if src.get("url") else "",
                note=as_text(src["note"]) if src.get("note") else "",
            )
        )
    notes = meta.get("notes")
    if notes:
        out.notes = [p.strip() for p in re.split(r"\n\s*\n", as_text(notes)) if p.strip()]

    actors = scenario.get("actors") or {}
    for actor, spec in actors.items() if isinstance(actors, dict) else []:
        if not isinstance(spec, dict):
            continue
        rows: list[ValueRow] = []
        posture = spec.get("posture") or {}
        for param, val in posture.items() if isinstance(posture, dict) else []:
            if isinstance(val, dict):
                rows.append(
                    ValueRow(param, as_text(val.get("value")), _basis(val.get("basis"), keys))
                )
            else:
                rows.append(ValueRow(param, as_text(val), None))
        for param, val in spec.items():
            if param != "posture" and isinstance(val, dict) and "value" in val:
                rows.append(
                    ValueRow(param, as_text(val.get("value")), _basis(val.get("basis"), keys))
                )
        if rows:
            who = str(actor)
            out.postures.append((f"posture-{slugify(who)}", names.get(who, who), rows))

    def walk(node: Any, path: list[str]) -> None:
        if isinstance(node, dict):
            if "basis" in node and path and path[0] != "actors":
                if "value" in node:
                    value = as_text(node["value"])
                else:
                    # Show a short label and the numbers beside the basis, not long prose.
                    label = node.get("label")
                    bits = [str(label)] if isinstance(label, str) and len(label) <= 60 else []
                    bits += [
                        f"{k.replace('_', ' ')} {as_text(v)}"
                        for k, v in node.items()
                        if isinstance(v, (int, float)) and not isinstance(v, bool)
                    ]
                    value = "; ".join(bits)
                where = " › ".join(
                    names.get(p, p) if k in (1, 2) and path[0] == "relationships" else p
                    for k, p in enumerate(path)
                )
                out.others.append(ValueRow(where, value, _basis(node["basis"], keys)))
            for k, v in node.items():
                if k != "basis":
                    walk(v, [*path, str(k)])
        elif isinstance(node, list):
            for k, v in enumerate(node):
                walk(v, [*path, str(k)])

    for key, value in scenario.items():
        if key not in ("actors", "metadata"):
            walk(value, [key])
    dynamics = scenario.get("dynamics")
    if isinstance(dynamics, dict):
        out.dynamics = [(str(k), as_text(v)) for k, v in dynamics.items()]
    return out


def reproducibility(manifest: dict[str, Any]) -> list[tuple[str, Line]]:
    """The seed, the command to reproduce the run, overrides, time and scenario hash."""
    rows: list[tuple[str, Line]] = [
        (
            "Seed",
            line(f"{as_text(manifest.get('seed'))} ({as_text(manifest.get('seed_source'))})"),
        ),
    ]
    if manifest.get("reproduce"):
        rows.append(("Reproduce with", line(Code(as_text(manifest["reproduce"])))))
    command = manifest.get("command")
    if isinstance(command, list) and command:
        rows.append(("Command run", line(Code(" ".join(str(c) for c in command)))))
    overrides = manifest.get("overrides")
    if isinstance(overrides, list):
        shown: list[str | Code] = []
        for k, o in enumerate(overrides):
            shown += [", "] if k else []
            shown.append(Code(as_text(o)))
        rows.append(("Overrides", line(*shown) if overrides else line("none")))
    if manifest.get("created_utc"):
        rows.append(("Run folder written", line(f"{as_text(manifest['created_utc'])} (UTC)")))
    resolved = dig(manifest, "scenario", "resolved_sha256")
    if resolved:
        rows.append(("Resolved scenario SHA-256", line(Code(as_text(resolved)))))
    return rows


def file_hashes(
    run_dir: Path, manifest: dict[str, Any], report_name: str
) -> list[tuple[str, str]] | None:
    """SHA-256 of each file the run wrote (not the manifest or the report: they change).

    None when the manifest lists no files.
    """
    outputs = manifest.get("outputs")
    if not isinstance(outputs, list) or not outputs:
        return None
    return [
        (as_text(rel), sha256(run_dir, str(rel)))
        for rel in outputs
        if rel not in (files.MANIFEST, report_name)
    ]
