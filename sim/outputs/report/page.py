"""The report page: the data of each section, and the templates that write it.

The templates are in ``sim/outputs/templates/`` (``report.html.j2`` and one
per section, ``macros.html.j2``, ``report.css``); they are loaded with a
:class:`jinja2.PackageLoader`, autoescaping every value and failing on any
name a template uses that the data does not give (``StrictUndefined``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.model.outcomes import OUTCOME
from sim.outputs.debrief import SECTION_IDS as DEBRIEF_IDS
from sim.outputs.inline import Data, Line, TurnLink, line
from sim.outputs.report.figures import FigureView, figure_views
from sim.outputs.report.folder import Headline, as_text, dig, headline, number, read_csv
from sim.outputs.report.minutes import VERBATIM_NOTE, folder_minutes
from sim.outputs.report.sources import (
    NOTES_TITLE,
    SOURCES_TITLE,
    file_hashes,
    reproducibility,
    sources,
)
from sim.outputs.transcript import SECTION_IDS as TRANSCRIPT_IDS

if TYPE_CHECKING:
    import jinja2

    from sim.model.results import RunResult
    from sim.outputs.report.minutes import Minutes

NO_WEAPONS = (
    "This simulator models how states signal, how others perceive the signals and how "
    "action and counter-action escalate or calm a crisis. It models no weapons "
    "performance: no ranges, interception rates, yields or damage. Systems named in a "
    "move only label what a signal shows."
)


@dataclass
class Section:
    """One section of the page and its entry in the table of contents."""

    id: str
    title: str
    template: str
    sub: list[tuple[str, str]] = field(default_factory=list)
    turns: list[tuple[str, str]] = field(default_factory=list)
    major: bool = False


@cache
def environment() -> jinja2.Environment:
    """The templates' environment: autoescaped, strict about undefined names."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("sim.outputs", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def _turn_ref(turn: int | str, linked: bool) -> Line:
    """``turn N`` linking to the transcript's turn when the page has it."""
    text = f"turn {turn}"
    return line(TurnLink(int(turn), line(text))) if linked else line(text)


def _run_rows(
    h: Headline,
    seed: Any,
    turns: Any,
    manifest: dict[str, Any],
    meta: dict[str, Any],
    names: dict[str, str],
    actor_ids: list[str],
    linked: bool,
) -> list[tuple[str, Line]]:
    """The "This run" numbers: seed, turns, actors and the headline numbers."""
    rows: list[tuple[str, Line]] = [
        ("Seed", line(f"{as_text(seed)} ({as_text(manifest.get('seed_source', 'recorded'))})")),
        ("Turns", line(as_text(turns))),
    ]
    if meta.get("turn_meaning"):
        rows.append(("One turn", line(Data(as_text(meta["turn_meaning"])))))
    rows.append(("Actors", line(Data(", ".join(names.get(a, a) for a in actor_ids)))))
    if h.peak_tension is not None:
        who = Data(names.get(h.peak_actor, h.peak_actor))
        where = line(", ", _turn_ref(h.peak_turn or 0, linked), ")")
        rows.append(("Peak tension", line(f"{number(h.peak_tension)} (", who, where)))
        rows.append(
            (
                "Mean tension",
                line(
                    f"{number(h.final_mean_tension)} at the end; highest "
                    f"{number(h.peak_mean_tension)}, in ",
                    _turn_ref(h.peak_mean_turn or 0, linked),
                ),
            )
        )
        rows.append(("Mean tension at the start", line(f"{number(h.start_mean_tension)}")))
    if h.mean_abs_gap is not None:
        rows.append(("Mean perception gap", line(number(h.mean_abs_gap))))
    rows.append(("Counter-actions", line(str(h.links))))
    rows.append(("Miscalculations", line(str(h.miscalculations))))
    if h.miscalculation_rate is not None:
        rows.append(("Miscalculations per move", line(f"{h.miscalculation_rate:.3f}")))
    chain = str(h.longest_chain)
    if h.longest_chain_turn is not None:
        chain += f" counter-actions, first reached in turn {h.longest_chain_turn}"
    rows.append(("Longest chain", line(chain)))
    if h.norms_start is not None:
        rows.append(
            (
                "Norms regime",
                line(f"{number(h.norms_start)} after turn 1 → {number(h.norms_end)}"),
            )
        )
    return rows


def headline_note(h: Headline) -> str:
    """What the headline numbers are: the outcome table's definitions, over the turns played."""
    if h.final_turn is None:
        return ""
    return (
        f"Peak tension ({OUTCOME['peak_tension'].label}) and the highest mean tension "
        f"({OUTCOME['peak_mean_tension'].label}) are taken over the turns played "
        f"(1–{h.final_turn}); the starting state counts in neither and has its own line. "
        "Each number here is defined as in an ensemble's summary.csv and in sim compare."
    )


def _minutes_sections(minutes: Minutes) -> list[Section]:
    t, d = minutes.transcript, minutes.debrief
    transcript = Section("transcript", "Transcript", "transcript.html.j2", major=True)
    if t is not None:
        if t.turning_points is not None:
            transcript.sub.append((TRANSCRIPT_IDS["turning_points"], "Turning points"))
        if t.turns:
            transcript.sub.append((TRANSCRIPT_IDS["turn_by_turn"], "Turn by turn"))
        transcript.sub.append((TRANSCRIPT_IDS["ending"], "Where it ended"))
        transcript.turns = [(turn.anchor, str(turn.number)) for turn in t.turns]
    debrief = Section("debrief", "Debrief", "debrief.html.j2", major=True)
    if d is not None:
        debrief.sub.append((DEBRIEF_IDS["generated"], "From this run"))
        if d.prompts:
            debrief.sub.append((DEBRIEF_IDS["scenario"], "From the scenario"))
    return [transcript, debrief]


@dataclass(frozen=True)
class Heading:
    """What the top of a page for a run folder says, read from its manifest and scenario."""

    meta: dict[str, Any]
    actor_ids: list[str]
    names: dict[str, str]
    title: str
    subtitle: str
    seed: Any
    turns: Any


def run_heading(
    run_dir: Path, manifest: dict[str, Any], scenario: dict[str, Any], kind: str
) -> Heading:
    """The title and subtitle (``kind`` · seed · turns · what a turn is) of a run's page."""
    meta = scenario.get("metadata") or {}
    actors = scenario.get("actors") or {}
    actor_ids = list(actors) if isinstance(actors, dict) else []
    names = {
        a: str(dig(actors, a, "name") or a) for a in actor_ids if isinstance(actors.get(a), dict)
    }
    title = str(meta.get("title") or dig(manifest, "scenario", "title") or run_dir.name)
    seed = manifest.get("seed", scenario.get("seed"))
    turns = manifest.get("turns", scenario.get("turns"))
    subtitle = f"{kind} · seed {as_text(seed)} · {as_text(turns)} turns"
    if meta.get("turn_meaning"):
        subtitle += f" · one turn is {as_text(meta['turn_meaning'])}"
    return Heading(meta, actor_ids, names, title, subtitle, seed, turns)


def render_page(
    run_dir: Path,
    manifest: dict[str, Any],
    scenario: dict[str, Any],
    *,
    report_name: str,
    result: RunResult | None = None,
    figures: list[FigureView] | None = None,
) -> str:
    """The whole page for a run folder whose manifest and resolved scenario are read.

    ``figures``: the figures to show (redrawn with a focus); None: the folder's.
    """
    head = run_heading(run_dir, manifest, scenario, "Run report")
    meta, actor_ids, names = head.meta, head.actor_ids, head.names
    title, subtitle, seed, turns = head.title, head.subtitle, head.seed, head.turns

    minutes = folder_minutes(run_dir, manifest, result)
    linked = minutes.transcript is not None
    h = headline(run_dir, actor_ids)
    inject_labels = _inject_labels(scenario)
    injects = [
        (
            _inject_turn(row.get("turn", ""), linked),
            as_text(
                inject_labels.get(row.get("inject") or "") or row.get("label") or row.get("inject")
            ),
        )
        for row in read_csv(run_dir, "injects.csv")
    ]
    if figures is None:
        figures = figure_views(run_dir)
    objectives = meta.get("learning_objectives")
    scenario_files = dig(manifest, "scenario", "files")
    versions = manifest.get("versions")
    sections = [
        Section("summary", "Summary", "summary.html.j2"),
        Section("figures", "Figures", "figures.html.j2", sub=[(f.id, f.title) for f in figures]),
        *_minutes_sections(minutes),
    ]
    facts = stylised_facts(run_dir, minutes)
    if facts is not None:
        sections.append(Section(FACTS_ID, FACTS_TITLE, "facts.html.j2", major=True))
    found = sources(scenario, names)
    sections.append(
        Section(
            "sources",
            "Sources and parameters",
            "sources.html.j2",
            sub=[
                ("sources-list", SOURCES_TITLE),
                ("notes", NOTES_TITLE),
                ("posture", "Actor postures and their basis"),
                *([("other-values", "Other sourced values")] if found.others else []),
                *([("dynamics", "Model dynamics")] if found.dynamics else []),
            ],
            major=True,
        )
    )
    sections.append(Section("reproducibility", "Reproducibility", "reproducibility.html.j2"))
    context = {
        "title": title,
        "seed": as_text(seed),
        "subtitle": subtitle,
        "no_weapons": NO_WEAPONS,
        "sections": sections,
        "summary": as_text(meta.get("summary")) if meta.get("summary") else "",
        "objectives": [as_text(o) for o in objectives] if isinstance(objectives, list) else [],
        "run_rows": _run_rows(h, seed, turns, manifest, meta, names, actor_ids, linked),
        "headline_note": headline_note(h),
        "injects": injects,
        "figures": figures,
        "minutes": minutes,
        "transcript_note": VERBATIM_NOTE.format(name="transcript.md"),
        "debrief_note": VERBATIM_NOTE.format(name="debrief.md"),
        "sources": found,
        "titles": {"sources": SOURCES_TITLE, "notes": NOTES_TITLE},
        "facts": facts,
        "reproduce_rows": reproducibility(manifest),
        "scenario_files": [
            (as_text(f.get("path")), as_text(f.get("sha256")))
            for f in scenario_files
            if isinstance(f, dict)
        ]
        if isinstance(scenario_files, list)
        else [],
        "versions": [(as_text(k), as_text(v)) for k, v in versions.items()]
        if isinstance(versions, dict)
        else [],
        "hashes": file_hashes(run_dir, manifest, report_name),
    }
    return environment().get_template("report.html.j2").render(context)


FACTS_ID = "stylised-facts"
FACTS_TITLE = "Stylised facts (from the sources)"

VERDICT = {True: "kept to it", False: "departed from it", None: "not decided"}
"""This run's verdict on a fact, in words."""


@dataclass(frozen=True)
class FactsView:
    """The "Stylised facts" section: one row per fact, and a line on how they were decided."""

    rows: list[tuple[str, str, str, str, str, str]]
    note: str


def stylised_facts(run_dir: Path, minutes: Minutes) -> FactsView | None:
    """The scenario's ``expectations:`` with this run's verdict on each; None if it has none.

    Rows: the fact (the author's label, else its kind's words), the kind's
    words when a label stands first ('' otherwise), the basis (source, part),
    its reasoning, the share of runs required, and whether this run kept to it.
    A fact is decided on the run itself (see :mod:`sim.outputs.facts`); without
    the folder's run (a game played by people, a folder from another version)
    it is "not decided".
    """
    from sim.outputs.facts import fact_views, scenario_facts
    from sim.scenario.facts import percent

    result = minutes.result
    if result is not None:
        views = fact_views(result)
    else:
        from sim.scenario.loader import load_scenario

        try:
            views = scenario_facts(load_scenario(run_dir / "scenario.resolved.yaml"))
        except Exception:  # a damaged or older resolved scenario: no facts to show
            return None
    if not views:
        return None
    rows = [
        (
            v.said,
            v.words if v.label else "",
            ", ".join(x for x in (v.source, v.part) if x) or "no basis given",
            v.reasoning,
            percent(v.required),
            VERDICT[v.held],
        )
        for v in views
    ]
    if result is None:
        note = (
            "This run's verdicts are not shown: the report could not replay the folder's run "
            "(a game played by people, or a folder made by another version)."
        )
    elif all(v.held is None for v in views):
        note = "This run kept only summaries of its readings, so its verdicts are not decided."
    else:
        note = (
            f"Each fact is decided on this run alone, over its {result.turns} turns; "
            "sim check measures the share of runs in which it holds."
        )
    return FactsView(rows, note)


def _inject_turn(turn: str, linked: bool) -> Line:
    """The words "Turn N", linking to the transcript's turn when the page has it."""
    text = f"Turn {turn}"
    if linked and turn.isdigit():
        return line(TurnLink(int(turn), line(text)))
    return line(text)


def _inject_labels(scenario: dict[str, Any]) -> dict[str, str]:
    """Inject labels by id, from the resolved scenario.

    injects.csv holds them too, but with a ``'`` before any that a spreadsheet
    would read as a formula (see :func:`sim.text.spreadsheet_safe`).
    """
    injects = scenario.get("injects")
    if not isinstance(injects, dict):
        return {}
    return {
        str(key): str(spec["label"])
        for key, spec in injects.items()
        if isinstance(spec, dict) and isinstance(spec.get("label"), str)
    }


__all__ = ["FACTS_ID", "NO_WEAPONS", "FactsView", "Section", "environment", "render_page"]
