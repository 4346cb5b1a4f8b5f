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


def _check_name(name: str) -> None:
    """Refuse a scenario name that is not lower-case letters, digits, '-' and '_'."""
    if not _NAME.match(name):
        raise UsageError(
            f"'{name}' is not a usable scenario name: use lower case letters, digits, '-' and "
            "'_' (e.g. my-scenario)"
        )


def _folder(folder: str | Path | None, option: str) -> Path:
    """The folder to write into (default: the current one); it must exist."""
    where = Path.cwd() if folder is None else Path(folder)
    if not where.is_dir():
        raise UsageError(f"{display_path(where)}: no such folder: create it, or choose {option}")
    return where


def _fresh(folder: Path, name: str) -> Path:
    """``<folder>/<name>.yaml``, which must not exist yet (sim new never replaces a file)."""
    target = folder / f"{name}.yaml"
    if target.exists() or target.is_symlink():
        raise UsageError(f"{display_path(target)} already exists: choose another name")
    return target


def new_variant(name: str, parent_arg: str, folder: Path | None = None) -> Path:
    """Write ``<folder>/<name>.yaml`` that ``extends:`` the parent scenario.

    The file holds a title and commented suggestions taken from the parent
    (current values and where they come from), so a student can uncomment a
    line, change a number and rerun. Its first line points the editor at
    ``./variant.schema.json``, written beside it when the folder has none. It
    never writes into the installed project: ``folder`` defaults to the current
    folder, and a bundled parent is named ``bundled:ID`` (see
    :mod:`sim.scenario.refs`).

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
    _check_name(name)
    parent = resolve_scenario(parent_arg)
    folder = _folder(folder, "--dir")
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
    target = _fresh(folder, name)
    loaded = read_scenario(parent)
    text = _variant_text(name, extends, loaded.scenario, VARIANT_MODELINE)
    parse(decode(text.encode()), str(target))  # it must be valid YAML before it is written
    _write_with_schema(target, text, variant=True)
    return target


def _write_with_schema(target: Path, text: str, *, variant: bool) -> None:
    """Write ``target`` (never replacing it) and the schema its modeline names beside it.

    The schema file is written only when the folder has none (an existing one is
    left alone), before the scenario; if the scenario cannot be written, a schema
    written here is removed again, so a failure leaves the folder as it was.
    """
    schema = target.with_name("variant.schema.json" if variant else "scenario.schema.json")
    wrote_schema = False
    if not (schema.exists() or schema.is_symlink()):
        from sim.scenario.jsonschema import schema_text

        files.write_atomic(schema, schema_text(variant=variant), replace=False)
        wrote_schema = True
    try:
        files.write_atomic(target, text, replace=False)
    except BaseException:
        if wrote_schema:
            schema.unlink(missing_ok=True)
        raise


#: The first line of a scenario written by ``sim new NAME`` (without ``--from``):
#: the schema sits beside the file (:func:`new_scenario` writes it there if absent),
#: so the relative path works in any folder.
SCENARIO_MODELINE = "# yaml-language-server: $schema=./scenario.schema.json"

#: The first line of a variant written by ``sim new NAME --from ID`` (its schema is
#: written beside it in the same way).
VARIANT_MODELINE = "# yaml-language-server: $schema=./variant.schema.json"

#: Default actor ids of ``sim new NAME``.
DEFAULT_ACTORS = ("red", "blue")

_ACTOR_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def parse_actor_ids(text: str | None) -> tuple[str, ...]:
    """The actor ids of ``--actors a,b,c`` (default ``red,blue``).

    Raises:
        UsageError: fewer than 2 or more than 12 ids, a repeated id, or an id that
            is not lower case letters, digits and '_' starting with a letter.
    """
    if text is None:
        return DEFAULT_ACTORS
    ids = tuple(part.strip() for part in text.split(","))
    bad = [i for i in ids if not _ACTOR_ID.match(i)]
    if bad:
        shown = ", ".join(repr(i) for i in bad)
        raise UsageError(
            f"--actors: {shown} is not a usable actor id: use lower case letters, digits and "
            "'_', starting with a letter (e.g. --actors red,blue,green)"
        )
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise UsageError(f"--actors: {', '.join(repeated)} is given twice: each id once")
    if not 2 <= len(ids) <= 12:
        raise UsageError(f"--actors: give 2 to 12 actor ids separated by commas, not {len(ids)}")
    return ids


def new_scenario(name: str, folder: Path | None = None, actors: str | None = None) -> Path:
    """Write ``<folder>/<name>.yaml``: a minimal, commented scenario that runs as it is.

    The file teaches the format: every block says what it is for and points to
    docs/scenario-format.md; one posture value, the relationship and the
    expectation carry an example basis; it loads no domain library (the neutral
    core applies). Its first line points the editor at ``./scenario.schema.json``,
    which is written beside it when the folder has none (an existing one is left
    alone).

    Args:
        name: The new scenario's name (its file is ``<name>.yaml``).
        folder: Where to write (default: the current folder).
        actors: ``--actors`` as given (``a,b,c``), or None for ``red,blue``.

    Raises:
        UsageError: bad name or actor ids, no such folder, or the file exists.
        FileProblem: the file cannot be written there.
    """
    _check_name(name)
    ids = parse_actor_ids(actors)
    folder = _folder(folder, "--out")
    target = _fresh(folder, name)
    text = _scenario_text(name, ids)
    parse(decode(text.encode()), str(target))  # it must be valid YAML before it is written
    _write_with_schema(target, text, variant=False)
    return target


def _bundled_libraries() -> list[str]:
    """``library:ID`` for each domain move library bundled with sim, by id."""
    folder = refs.NAMESPACES["library"].folder()
    return [refs.qualified("library", p.stem) for p in sorted(folder.glob("*.yaml"))]


def _display_name(actor_id: str) -> str:
    return " ".join(word.capitalize() for word in actor_id.split("_") if word)


def _scenario_text(name: str, ids: tuple[str, ...]) -> str:
    """The text of a scenario written from nothing (see :func:`new_scenario`)."""
    first, second = ids[0], ids[1]
    a, b = _display_name(first), _display_name(second)
    lines = [
        SCENARIO_MODELINE,
        f"# {name}: a scenario of your own, written by `sim new`. It runs as it is:",
        f"#   sim validate {name}.yaml",
        f"#   sim run {name}.yaml",
        f"#   sim check {name}.yaml",
        "# Every key, its range and its default: docs/scenario-format.md (or `sim schema",
        "# --markdown`). The line above points your editor at scenario.schema.json beside",
        "# this file, for autocompletion; keep the two files together.",
        "",
        "# What the scenario is and where its numbers come from (docs/scenario-format.md,",
        "# 'Metadata' and 'SourceRef').",
        "metadata:",
        f"  title: {json.dumps(f'{a} and {b}: a scenario of my own')}",
        "  summary: >-",
        f"    {a} and {b} watch each other warily; {a} holds an exercise early on. Replace",
        "    this paragraph with what happens in your scenario and why it matters.",
        "  turn_meaning: about a week of crisis diplomacy",
        "  # Every basis below cites one of these keys. Replace my-source with your article",
        "  # and cite its paragraphs as ¶N in `part` (e.g. '¶4: the exercise was announced').",
        "  sources:",
        "    - key: my-source",
        "      title: The article or book your scenario rests on (replace me)",
        "      note: Cite its paragraphs as ¶N in each basis's part.",
        "    - key: assumption",
        '      title: "Modelling assumption: a choice of ours, not taken from any source"',
        "      note: For values no source gives; say why in the reasoning.",
        "",
        "turns: 20",
        "seed: 1  # the default root seed: the same seed gives the same run",
        "",
        "# The states or blocs, by id (docs/scenario-format.md, 'Actor' and 'Posture').",
        "# `name` is shown in figures and tables, `voice` in the transcript ('Red City",
        "# says...'). A posture value is a number in [0, 1] (0.5 is middling), or",
        "# {value, basis} to say where it comes from. Values not written take the defaults.",
        "actors:",
    ]
    for index, aid in enumerate(ids):
        display = _display_name(aid)
        lines += [
            f"  {aid}:",
            f"    name: {json.dumps(display)}",
            f"    voice: {json.dumps(f'{display} City')}",
            "    posture:",
        ]
        if index == 0:
            lines += [
                "      # One value with its basis, as an example: the other posture values",
                "      # rely on the defaults (0.5).",
                "      threat_sensitivity:",
                "        value: 0.6",
                "        basis:",
                "          source: my-source",
                "          part: \"¶2: the government's reaction to last year's exercise\"",
                f"          reasoning: {a} read a routine exercise as a threat once before, so",
                "            it reads others' moves a little more darkly than a middling state.",
            ]
        else:
            lines += [
                "      # The values not written here rely on the defaults (0.5).",
                "      restraint: 0.6",
            ]
    lines += [
        "",
        "# Pairs, each declared once (docs/scenario-format.md,",
        "# 'Relationship' and 'Channel'): alignment from -1 (open rivalry) to 1 (closest",
        "# partnership), and dialogue channels. Pairs not listed have alignment 0.",
        "relationships:",
        f"  {first}:",
        f"    {second}:",
        "      alignment: -0.4",
        "      channels: {hotline: 0.5}",
        "      basis:",
        "        source: assumption",
        "        part: the rivalry as the scenario sets it up",
        "        reasoning: Wary rivals who still keep a line open; replace with what your",
        "          source says about the pair.",
        "",
        "# Moves: no `libraries:` line, so the neutral core library applies (signals any",
        "# region can use; docs/scenario-format.md, 'The core move library'). To load a",
        "# domain library bundled with sim, or a file of your own beside this one:",
        *[f"# libraries: [{ref}]" for ref in _bundled_libraries()],
        "# libraries: [my_moves.yaml]",
        "# Your own moves go under `moves:` (see 'Move'); `moves: {explicit_threat: null}`",
        "# drops a move.",
        "",
        "# Events the scenario imposes, scheduled or when conditions hold",
        "# (docs/scenario-format.md, 'Inject', 'Trigger' and 'Effect').",
        "injects:",
        "  opening_exercise:",
        f"    label: {a} holds a staff exercise",
        "    when: {turn: 2}",
        f"    effects: [{{move: {{actor: {first}, move: command_post_exercise}}}}]",
        "",
        "# Questions for the debrief, asked always or only when something happened",
        "# (docs/scenario-format.md, 'DebriefPrompt' and 'Condition').",
        "debrief:",
        f"  - prompt: How did {b} read {a}'s exercise, and did {a} mean it that way?",
        "",
        "# Stylised facts the runs must show; `sim check` measures the share of runs in",
        "# which each holds (docs/scenario-format.md, from 'MoveShareFact' on).",
        "expectations:",
        "  no_threats_in_the_main:",
        "    kind: move_share",
        "    label: explicit threats stay rare",
        f"    actors: [{', '.join(ids)}]",
        "    moves: [explicit_threat]",
        "    at_most: 0.25",
        "    share: 0.9",
        "    basis:",
        "      source: assumption",
        "      part: what a wary rivalry looks like",
        "      reasoning: Rivals with a working hotline seldom issue open threats; the",
        "        thresholds are our judgement, not a figure from a source.",
        "",
    ]
    return "\n".join(lines)


def _line(text: str) -> str:
    """Text for one line of a YAML comment: line breaks folded into spaces."""
    return " ".join(text.split())


def _variant_text(name: str, extends: str, s: Scenario, modeline: str) -> str:
    tense = sorted(s.actors, key=lambda a: -s.actors[a].initial_tension.value)[:2]
    seed, _ = root_seed(None, s.seed, fallback=1)  # the seed the suggested commands use
    original = extends.removeprefix("bundled:")
    title = json.dumps(f"{_line(s.metadata.title)} (variant: {name})", ensure_ascii=False)
    lines = [
        modeline,
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
