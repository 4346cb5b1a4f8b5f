"""The scenario library on the command line: ``sim list`` and ``sim new``."""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from sim import files
from sim.errors import ScenarioError, UsageError
from sim.paths import bundled, resolve_scenario, scenarios_dir
from sim.running.seeds import root_seed
from sim.scenario import refs
from sim.scenario.loader import display_path, read_scenario
from sim.scenario.schema import Scenario
from sim.scenario.yamlsafe import decode, parse


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of ``sim list``."""

    id: str
    title: str
    line: str
    turns: int
    actors: int
    extends: str | None
    error: str | None = None


def first_sentence(text: str, limit: int = 90) -> str:
    """The first sentence of ``text``, cut to ``limit`` characters."""
    text = " ".join(text.split())
    match = re.match(r"(.+?[a-z0-9)\]][.!?])(\s+[A-Z\"(]|$)", text)
    sentence = match.group(1) if match else text
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def entries(paths: list[Path] | None = None) -> list[Entry]:
    """Describe every bundled scenario (a broken one is listed with its error)."""
    out = []
    for path in paths if paths is not None else bundled():
        try:
            loaded = read_scenario(path)
        except ScenarioError as exc:
            out.append(Entry(path.stem, "", "", 0, 0, None, str(exc.diagnostics[0])))
            continue
        s = loaded.scenario
        files = loaded.scenario_files
        parent = files[1].name if len(files) > 1 else None
        out.append(
            Entry(
                s.id,
                s.metadata.title,
                first_sentence(s.metadata.summary),
                s.turns,
                len(s.actors),
                parent,
            )
        )
    return out


def format_entries(rows: list[Entry], width: int = 100) -> str:
    """The library as a plain-text table."""
    if not rows:
        return "no scenarios found (set SIM_SCENARIOS to the folder that holds them)\n"
    id_width = max(len(r.id) for r in rows)
    lines = [f"{'id':<{id_width}}  turns  actors  title / what happens"]
    for r in rows:
        if r.error:
            lines.append(f"{r.id:<{id_width}}  {'':>5}  {'':>6}  BROKEN: {r.error}")
            continue
        variant = f"  (variant of {r.extends})" if r.extends else ""
        lines.append(f"{r.id:<{id_width}}  {r.turns:>5}  {r.actors:>6}  {r.title}{variant}")
        if r.line:
            indent = " " * (id_width + 17)
            lines += textwrap.wrap(
                r.line, width=width, initial_indent=indent, subsequent_indent=indent
            )
    return "\n".join(lines) + "\n"


_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")


def new_variant(name: str, parent_arg: str, folder: Path | None = None) -> Path:
    """Write ``<folder>/<name>.yaml`` that ``extends:`` the parent scenario.

    The file holds a title and commented suggestions taken from the parent
    (current values and where they come from), so a student can uncomment a
    line, change a number and rerun. It never writes into the installed
    project: ``folder`` defaults to the current folder, and a bundled parent
    is named ``bundled:ID`` (see :mod:`sim.scenario.refs`).

    Args:
        name: The new scenario's name (its file is ``<name>.yaml``).
        parent_arg: The parent: a bundled id or a scenario file.
        folder: Where to write (default: the current folder).

    Raises:
        UsageError: bad name, the file exists, or the parent is a file in
            another folder (a variant may only extend a sibling or a bundled id).
        ScenarioError: the parent scenario does not load.
        FileProblem: the file cannot be written there.
    """
    if not _NAME.match(name):
        raise UsageError(
            f"'{name}' is not a usable scenario name: use lower case letters, digits, '-' and "
            "'_' (e.g. my-scenario)"
        )
    parent = resolve_scenario(parent_arg)
    folder = Path.cwd() if folder is None else Path(folder)
    if not folder.is_dir():
        raise UsageError(f"{display_path(folder)}: no such folder: create it, or choose --dir")
    if parent.resolve().parent == scenarios_dir().resolve() and refs.ID.match(parent.stem):
        extends = refs.qualified("bundled", parent.stem)
    elif parent.resolve().parent == folder.resolve():
        extends = parent.name
    else:
        raise UsageError(
            f"{display_path(parent)} is in another folder: a variant may only extend a file "
            "in its own folder or a bundled scenario; copy the parent into "
            f"{display_path(folder)} first, or give --dir {display_path(parent.parent)}"
        )
    target = folder / f"{name}.yaml"
    if target.exists() or target.is_symlink():
        raise UsageError(f"{display_path(target)} already exists: choose another name")
    loaded = read_scenario(parent)
    text = _variant_text(name, extends, loaded.scenario, _schema_for(folder))
    parse(decode(text.encode()), str(target))  # it must be valid YAML before it is written
    files.write_atomic(target, text, replace=False)
    return target


def _schema_for(folder: Path) -> str:
    if (folder / "variant.schema.json").exists():
        return "# yaml-language-server: $schema=./variant.schema.json\n"
    return ""


def _line(text: str) -> str:
    """Text for one line of a YAML comment: line breaks folded into spaces."""
    return " ".join(text.split())


def _variant_text(name: str, extends: str, s: Scenario, modeline: str) -> str:
    tense = sorted(s.actors, key=lambda a: -s.actors[a].initial_tension.value)[:2]
    seed, _ = root_seed(None, s.seed, fallback=1)  # the seed the suggested commands use
    original = extends.removeprefix("bundled:")
    title = json.dumps(f"{_line(s.metadata.title)} (variant: {name})", ensure_ascii=False)
    lines = [
        modeline.rstrip("\n"),
        f"# {name}: a variant of {original} ({_line(s.metadata.title)}).",
        "# Everything not written here comes from the original. Uncomment a line, change",
        "# the number, and rerun; compare with the original using the same seed:",
        f"#   sim run {name}.yaml --seed {seed}",
        f"#   sim run {original} --seed {seed}",
        "# Same seed, same random numbers: the differences come from your changes.",
        "",
        f"extends: {extends}",
        "",
        "metadata:",
        f"  title: {title}",
        "",
        "# --- Fields most worth changing ---------------------------------------------",
        "# Postures (0-1) of the most alarmed actors:",
        "# actors:",
    ]
    for aid in tense:
        posture = s.actors[aid].posture
        lines.append(f"#   {aid}:")
        lines.append("#     posture:")
        for field in ("restraint", "resolve", "threat_sensitivity", "deterrent_anxiety"):
            value = getattr(posture, field)
            why = f"  # {_line(first_sentence(value.basis.reasoning, 70))}" if value.basis else ""
            lines.append(f"#       {field}: {value.value:g}{why}")
    rivals = [
        (a, b, rel)
        for a, inner in s.relationships.items()
        for b, rel in inner.items()
        if rel.alignment < 0
    ]
    rivals.sort(key=lambda t: t[2].alignment)
    if rivals:
        a, b, rel = rivals[0]
        lines += [
            "#",
            f"# Dialogue channels between {_line(s.actors[a].name)} and "
            f"{_line(s.actors[b].name)} "
            f"(alignment {rel.alignment:g}):",
            "# relationships:",
            f"#   {a}:",
            f"#     {b}:",
            "#       channels: {hotline: 0.8, strategic_dialogue: 0.6, pre_notification: 0.5}",
        ]
    if s.injects:
        lines += ["#", "# Remove a scenario event by setting it to null:", "# injects:"]
        for key, inject in s.injects.items():
            lines.append(f"#   {key}: null   # {_line(inject.label)}")
    lines += [
        "#",
        "# The regime of shared norms and transparency (0-1):",
        f"# norms: {{strength: {min(1.0, s.norms.strength + 0.3):.2f}}}"
        f"   # now {s.norms.strength:g}",
        "",
    ]
    return "\n".join(line for line in lines if line or line == "") + "\n"
