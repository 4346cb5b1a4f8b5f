"""The scenario library on the command line: ``sim list`` and ``sim new``."""

from __future__ import annotations

import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from sim.errors import ScenarioError, UsageError
from sim.paths import bundled, resolve_scenario
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
        parent = loaded.files[1].name if len(loaded.files) > 1 else None
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
    line, change a number and rerun.

    Raises:
        UsageError: bad name, the file exists, or the parent is in another folder.
        ScenarioError: the parent scenario does not load.
    """
    if not _NAME.match(name):
        raise UsageError(
            f"'{name}' is not a usable scenario name: use lower case letters, digits, '-' and "
            "'_' (e.g. my-restrained-russia)"
        )
    parent = resolve_scenario(parent_arg)
    folder = parent.parent if folder is None else folder
    if folder.resolve() != parent.parent.resolve():
        raise UsageError(
            f"a variant must sit in the same folder as {parent.name} ({parent.parent}); "
            "drop --dir or copy the parent there first"
        )
    target = folder / f"{name}.yaml"
    if target.exists():
        raise UsageError(f"{display_path(target)} already exists: choose another name")
    loaded = read_scenario(parent)
    text = _variant_text(name, parent.name, loaded.scenario, _schema_for(parent))
    parse(decode(text.encode()), str(target))  # it must be valid YAML before it is written
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)
    return target


def _schema_for(parent: Path) -> str:
    folder = parent.parent
    if (folder / "variant.schema.json").exists():
        return "# yaml-language-server: $schema=./variant.schema.json\n"
    return ""


def _variant_text(name: str, parent_file: str, s: Scenario, modeline: str) -> str:
    tense = sorted(s.actors, key=lambda a: -s.actors[a].initial_tension.value)[:2]
    lines = [
        modeline.rstrip("\n"),
        f"# {name}: a variant of {parent_file} ({s.metadata.title}).",
        "# Everything not written here comes from the original. Uncomment a line, change",
        "# the number, and rerun; compare with the original using the same seed:",
        f"#   ./dev sim run scenarios/{name}.yaml --seed {s.seed if s.seed is not None else 1}",
        f"#   ./dev sim run scenarios/{parent_file} --seed {s.seed if s.seed is not None else 1}",
        "# Same seed, same random numbers: the differences come from your changes.",
        "",
        f"extends: {parent_file}",
        "",
        "metadata:",
        f'  title: "{s.metadata.title} (variant: {name})"',
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
            why = f"  # {first_sentence(value.basis.reasoning, 70)}" if value.basis else ""
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
            f"# Dialogue channels between {s.actors[a].name} and {s.actors[b].name} "
            f"(alignment {rel.alignment:g}):",
            "# relationships:",
            f"#   {a}:",
            f"#     {b}:",
            "#       channels: {hotline: 0.8, strategic_dialogue: 0.6, pre_notification: 0.5}",
        ]
    if s.injects:
        lines += ["#", "# Remove a scenario event by setting it to null:", "# injects:"]
        for key, inject in s.injects.items():
            lines.append(f"#   {key}: null   # {inject.label}")
    lines += [
        "#",
        "# The arms-control / transparency regime (0-1):",
        f"# norms: {{strength: {min(1.0, s.norms.strength + 0.3):.2f}}}"
        f"   # now {s.norms.strength:g}",
        "",
    ]
    return "\n".join(line for line in lines if line or line == "") + "\n"
