"""``sim run``: run a scenario once and write a run folder."""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli import options

if TYPE_CHECKING:
    from sim.model.results import RunResult
    from sim.outputs.figures import FigureFocus
    from sim.scenario.schema import Scenario


def add(sub: Any) -> None:
    """Add ``sim run``."""
    run = sub.add_parser(
        "run",
        help="run a scenario and write a run folder",
        description="Run a scenario (default: the flagship) and write a run folder with "
        "metrics, events, transcript and figures.",
    )
    options.scenario(run)
    options.seed(run)
    options.turns(run, "number of turns (default: the scenario's)")
    options.out(run, "run folder to create (default: runs/<id>-seed<N>)")
    options.overrides(run)
    options.force(run)
    run.add_argument("--no-figures", action="store_true", help="skip figures (faster)")
    run.add_argument(
        "--focus",
        metavar="ACTOR,...",
        help="draw only these actors in the figures (ids or names, separated by commas); "
        "the others are left out, not greyed; recorded in manifest.json",
    )
    run.add_argument(
        "--observer",
        metavar="ACTOR",
        help="whose beliefs the beliefs figure shows (default: the most tense actor "
        "among those drawn; the figure's title says which and why)",
    )
    options.quiet(run, "print only the run folder's path")
    run.add_argument(
        "--report", action="store_true", help="also write report.html (one self-contained page)"
    )
    run.set_defaults(handler=handle)


def handle(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Run, write the folder (and the report), print the headline numbers."""
    # Imports make many objects and no garbage: the cyclic collector's passes over
    # them cost a few percent of the command, so it pauses until they are done, and
    # what they made is moved out of its sight (gc.freeze).
    collecting = gc.isenabled()
    gc.disable()
    try:
        from sim.files import check_target
        from sim.model import compiled, engine, results  # noqa: F401  (imported with gc paused)
        from sim.outputs.run_folder import default_folder, write_run_folder
        from sim.paths import resolve_scenario
        from sim.running.seeds import root_seed
        from sim.scenario.loader import display_path, read_scenario
    finally:
        gc.freeze()
        if collecting:
            gc.enable()

    started = time.perf_counter()
    path = resolve_scenario(args.scenario)
    loaded = read_scenario(path, args.overrides)
    scenario = loaded.scenario
    seed, source = root_seed(args.seed, scenario.seed)
    focus = figure_focus(scenario, args.focus, args.observer)
    if args.out is not None:
        check_target(args.out, force=args.force)
    result = run_engine(scenario, seed, args.turns)
    ran = time.perf_counter() - started
    folder = args.out if args.out is not None else default_folder(Path("runs"), scenario.id, seed)
    from sim.outputs.figures import focused

    with focused(focus):
        write_run_folder(
            result,
            folder,
            loaded=loaded,
            seed_source=source,
            overrides=list(args.overrides),
            command=["sim", *argv],
            force=args.force,
            figures=not args.no_figures,
            focus=focus,
        )
        report_path = None
        if args.report:
            from sim.outputs.report import write_report

            report_path = write_report(Path(folder), result=result)
    if args.quiet:
        print(folder)
        return 0
    s = result.summary()
    names = {a: scenario.actors[a].name for a in scenario.actors}
    seed_note = {"given": "", "scenario": " (the scenario's)", "generated": " (new; recorded)"}
    print(f"{scenario.metadata.title}")
    print(
        f"  {len(scenario.actors)} actors, {result.turns} turns, seed {seed}{seed_note[source]}"
        f" - model and tables in {ran:.2f} s"
    )
    print(
        f"  peak tension {s['peak_tension']:.2f} ({names[str(s['peak_tension_actor'])]}, "
        f"turn {s['peak_tension_turn']}); mean tension at the end {s['final_mean_tension']:.2f}"
    )
    print(
        f"  mean perception gap {s['mean_abs_gap']:.2f}; counter-actions "
        f"{s['chain_links']}, miscalculations {s['miscalculations']} "
        f"({float(s['miscalculation_rate']):.3f} miscalculations per move), longest chain "
        f"{s['longest_chain']}"
    )
    if report_path is not None:
        print(f"  report: {display_path(report_path)} (opens offline, prints cleanly)")
    print(f"Wrote {display_path(folder)}/ (open transcript.md and figures/ first)")
    return 0


def figure_focus(scenario: Scenario, focus: str | None, observer: str | None) -> FigureFocus:
    """The figures' focus from ``--focus A,B`` and ``--observer C``, checked against the actors.

    Raises:
        UsageError: an actor named is not in the scenario (with the closest id
            or name, "did you mean"), or ``--focus`` names none.
    """
    from sim.errors import UsageError
    from sim.outputs.figures import FigureFocus, UnknownActor, check_focus

    actors = tuple(a.strip() for a in (focus or "").split(",") if a.strip())
    if focus is not None and not actors:
        raise UsageError("--focus: name at least one actor (ids or names, separated by commas)")
    ids = list(scenario.actors)
    names = [scenario.actors[a].name for a in ids]
    try:
        return check_focus(FigureFocus(actors, observer), ids, names)
    except UnknownActor as exc:
        raise UsageError(str(exc)) from None


def run_engine(scenario: Scenario, seed: int, turns: int | None) -> RunResult:
    """The run of ``EscalationModel(scenario, rng=seed, turns=turns).run()``, without Mesa.

    :class:`~sim.model.mesa_model.EscalationModel` is a thin host: its ``run``
    steps the :class:`~sim.model.engine.Engine` ``turns`` times and wraps the
    records, which is what this does. Importing Mesa (and with it SciPy and
    NetworkX) costs about half a second that a command-line run does not need.
    The Python API (``sim.run``, ``EscalationModel``) stays on Mesa; tests check
    that both give the same run folder.
    """
    from sim.model.compiled import compile_scenario
    from sim.model.engine import Engine
    from sim.model.results import RunResult

    compiled = compile_scenario(scenario)
    engine = Engine(compiled, seed)
    records = engine.run(int(turns if turns is not None else scenario.turns))
    return RunResult(scenario, compiled, seed, list(records))
