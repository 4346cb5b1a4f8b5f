"""The ``sim`` command line.

Commands:
    sim run [SCENARIO] [--seed N] [--turns N] [--out DIR] [--set path=value ...] [--report]
    sim report RUN_DIR
    sim validate FILE...
    sim schema [--variant | --markdown]
    sim ensemble SCENARIO --runs N [--workers W] [--seed S] [--out DIR] [--resume]
    sim sweep SCENARIO --param path=start:stop:steps [...] --runs N [--outcome NAME]
    sim sensitivity SCENARIO --method morris|sobol --params path=low:high [...] --outcome NAME
    sim play SCENARIO --human ACTOR [--human ACTOR ...] [--resume FILE] [--moves FILE]
    sim dashboard [SCENARIO] [--port N]
    sim list
    sim compare A B [--runs N] [--seed N] [--turns N] [--out DIR]
    sim new NAME --from SCENARIO

Errors caused by input (a broken scenario, a bad argument, an existing output
folder) print a message and exit with status 2, never a traceback. Heavy
libraries are imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import contextlib
import shlex
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from sim.cli import args as types
from sim.cli.signals import exit_status, interruption, quiet_abandoned_pool
from sim.cli.signals import install as install_signal_handlers
from sim.errors import ScenarioError, SimError, UsageError

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so errors share one exit path."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _root_seed(
    given: int | None, scenario_seed: int | None, fallback: int | None = None
) -> tuple[int, str]:
    """The root seed and how it was chosen: 'given', 'scenario', or 'generated'.

    With no seed given and none in the scenario, ``fallback`` is used if set
    (sweeps and sensitivity analyses default to 0), else a new seed is drawn.
    """
    if given is not None:
        return given, "given"
    if scenario_seed is not None:
        return scenario_seed, "scenario"
    if fallback is not None:
        return fallback, "default"
    from sim.model.mesa_model import new_seed

    return new_seed(), "generated"


FORCE_HELP = (
    "replace --out if it is a folder that sim wrote (its manifest.json lists every file in it); "
    "anything else is refused"
)


def _many_run_options(parser: argparse.ArgumentParser, out_help: str) -> None:
    """--workers, --seed, --turns, --out and --force, as sweep and sensitivity take them."""
    parser.add_argument("--workers", type=types.workers, default=1, help="processes (default 1)")
    parser.add_argument("--seed", type=types.seed, help="root seed (default: the scenario's, or 0)")
    parser.add_argument("--turns", type=types.turns, help="turns per run (default: the scenario's)")
    parser.add_argument("--out", type=Path, help=out_help)
    parser.add_argument("--force", action="store_true", help=FORCE_HELP)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every command."""
    parser = _Parser(
        prog="sim",
        description="Tabletop strategy-dialogue simulation: signals, perceptions and "
        "responses in a crisis. Models no weapons performance.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    run = sub.add_parser(
        "run",
        help="run a scenario and write a run folder",
        description="Run a scenario (default: the flagship) and write a run folder with "
        "metrics, events, transcript and figures.",
    )
    run.add_argument(
        "scenario", nargs="?", help="scenario file or bundled id (default: the flagship)"
    )
    run.add_argument(
        "--seed", type=types.seed, help="root seed (default: the scenario's, or a new one)"
    )
    run.add_argument("--turns", type=types.turns, help="number of turns (default: the scenario's)")
    run.add_argument("--out", type=Path, help="run folder to create (default: runs/<id>-seed<N>)")
    run.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="change one value, e.g. --set actors.china.posture.resolve=0.9 (repeatable)",
    )
    run.add_argument("--force", action="store_true", help=FORCE_HELP)
    run.add_argument("--no-figures", action="store_true", help="skip figures (faster)")
    run.add_argument("--quiet", action="store_true", help="print only the run folder's path")
    run.add_argument(
        "--report", action="store_true", help="also write report.html (one self-contained page)"
    )

    validate = sub.add_parser(
        "validate", help="check scenario files", description="Check scenario files for errors."
    )
    validate.add_argument("files", nargs="+", type=Path, help="scenario files")

    ens = sub.add_parser(
        "ensemble",
        help="run many replicates of a scenario",
        description="Run N replicates (seeds spawned from --seed with SeedSequence.spawn) in "
        "chunks, in parallel, resumably; write per-replicate summaries, statistics and fan "
        "charts. Results do not depend on --workers.",
    )
    ens.add_argument("scenario", nargs="?", help="scenario file or bundled id (default: flagship)")
    ens.add_argument("--runs", type=types.runs, required=True, help="number of replicates")
    ens.add_argument("--workers", type=types.workers, default=1, help="processes (default 1)")
    ens.add_argument(
        "--seed", type=types.seed, help="root seed (default: the scenario's, or a new one)"
    )
    ens.add_argument("--turns", type=types.turns, help="turns per run (default: the scenario's)")
    ens.add_argument("--out", type=Path, help="ensemble folder (default: runs/<id>-ensemble-...)")
    ens.add_argument("--resume", action="store_true", help="continue an interrupted ensemble")
    ens.add_argument(
        "--traces",
        action="store_true",
        help="also keep every actor's tension and rung per turn, as chunks/traces-<k>.parquet "
        "(.csv without pyarrow)",
    )
    ens.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")
    ens.add_argument("--quiet", action="store_true", help="no progress bar")
    where = ens.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run on a Dask cluster (needs the dask extra)",
    )
    where.add_argument(
        "--dask-local",
        type=types.workers,
        metavar="N",
        help="start a local Dask cluster of N worker processes on 127.0.0.1 (dask extra)",
    )

    swp = sub.add_parser(
        "sweep",
        help="run a grid over scenario values",
        description="Vary one or more values over a grid (each point runs the same replicate "
        "seeds) and plot the response: a line with bands for one parameter, a heat map for two.",
    )
    swp.add_argument("scenario", nargs="?", help="scenario file or bundled id (default: flagship)")
    swp.add_argument(
        "--param",
        dest="params",
        action="append",
        required=True,
        metavar="PATH=START:STOP:STEPS",
        help="e.g. actors.russia.posture.restraint=0:1:6 (repeatable; or PATH=a,b,c)",
    )
    swp.add_argument("--runs", type=types.runs, default=20, help="replicates per grid point")
    swp.add_argument(
        "--outcome", default="final_mean_tension", help="outcome to plot (a summary column)"
    )
    swp.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE")
    _many_run_options(swp, "sweep folder (default: runs/<id>-sweep-...)")

    sens = sub.add_parser(
        "sensitivity",
        help="which postures matter most (Morris or Sobol, needs SALib)",
        description="Global sensitivity analysis with SALib: Morris screening (mu*, sigma) or "
        "Sobol indices (S1, ST) of an outcome over parameter ranges, with confidence intervals.",
    )
    sens.add_argument("scenario", nargs="?", help="scenario file or bundled id (default: flagship)")
    sens.add_argument("--method", choices=["morris", "sobol"], default="morris")
    sens.add_argument(
        "--params",
        nargs="+",
        action="extend",
        required=True,
        metavar="PATH=LOW:HIGH",
        help="parameters and ranges, e.g. actors.russia.posture.restraint=0.1:0.9",
    )
    sens.add_argument("--outcome", default="final_mean_tension", help="a summary column")
    sens.add_argument(
        "--samples",
        type=types.runs,
        default=16,
        help="Morris trajectories, or Sobol base samples (a power of 2); default 16",
    )
    sens.add_argument("--replicates", type=types.runs, default=5, help="seeds averaged per sample")
    _many_run_options(sens, "folder (default: runs/<id>-<method>-...)")

    report = sub.add_parser(
        "report",
        help="write report.html for a run folder",
        description="Write RUN_DIR/report.html: one self-contained page (figures, transcript, "
        "debrief, sources, manifest) that loads nothing from outside and prints cleanly.",
    )
    report.add_argument("run_dir", type=Path, help="a run folder made by 'sim run'")
    sub.add_parser(
        "list",
        help="list the bundled scenarios",
        description="List the bundled scenarios: id, turns, actors, title, what happens.",
    )
    new = sub.add_parser(
        "new",
        help="write your own editable variant of a scenario",
        description="Write NAME.yaml in --dir (default: the current folder) that extends "
        "SCENARIO, with commented suggestions of the fields most worth changing. A bundled "
        "SCENARIO is named 'bundled:ID' in the file; a scenario file must be in --dir.",
    )
    new.add_argument("name", help="name of the new scenario, e.g. my-restrained-russia")
    new.add_argument(
        "--from", dest="parent", required=True, help="scenario to start from (file or id)"
    )
    new.add_argument(
        "--dir", type=Path, default=None, help="folder to write NAME.yaml in (default: here)"
    )

    cmp = sub.add_parser(
        "compare",
        help="compare two scenarios or run folders",
        description="Show what differs between A and B in the inputs (the resolved scenarios) "
        "and in the outcomes (headline metrics, an overlay figure). With --runs N, both run on "
        "the same N replicate seeds.",
    )
    cmp.add_argument("a", help="scenario file, bundled id, or run folder")
    cmp.add_argument("b", help="scenario file, bundled id, or run folder")
    cmp.add_argument("--runs", type=types.turns, default=1, help="replicate seeds per side")
    cmp.add_argument("--seed", type=types.seed, help="root seed (default: A's seed)")
    cmp.add_argument("--turns", type=types.turns, help="turns per run (default: each scenario's)")
    cmp.add_argument("--out", type=Path, help="folder for compare.md and the figure")
    cmp.add_argument("--force", action="store_true", help=FORCE_HELP)

    schema = sub.add_parser(
        "schema",
        help="print the JSON Schema of scenario files",
        description="Print the JSON Schema of scenario files (for editors).",
    )
    flavour = schema.add_mutually_exclusive_group()
    flavour.add_argument(
        "--variant", action="store_true", help="the schema for files that use 'extends'"
    )
    flavour.add_argument(
        "--markdown", action="store_true", help="the format reference as Markdown instead"
    )
    from sim.play.terminal import add_arguments as add_play_arguments  # light import

    play = sub.add_parser(
        "play",
        help="play a scenario: people choose some states' moves (hot-seat)",
        description="Play a scenario turn by turn: each state named with --human is played "
        "by a person who sees the crisis as that state perceives it; the model plays the "
        "rest; an instructor may fire injects or add events. Saved after every turn; "
        "writes a run folder at the end.",
    )
    add_play_arguments(play)

    dash = sub.add_parser(
        "dashboard",
        help="play a scenario live in the browser",
        description="Serve a live-play dashboard on 127.0.0.1: step, play, reset, change "
        "postures, choose a state's move, fire injects. Needs the 'dashboard' extra; works "
        "offline.",
    )
    dash.add_argument(
        "scenario", nargs="?", help="scenario file or bundled id (default: the flagship)"
    )
    dash.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765)")
    return parser


def _cmd_run(args: argparse.Namespace, argv: Sequence[str]) -> int:
    from sim.files import check_target
    from sim.model.mesa_model import EscalationModel
    from sim.outputs.run_folder import default_folder, write_run_folder
    from sim.paths import resolve_scenario
    from sim.scenario.loader import display_path, read_scenario

    started = time.perf_counter()
    path = resolve_scenario(args.scenario)
    loaded = read_scenario(path, args.overrides)
    scenario = loaded.scenario
    seed, source = _root_seed(args.seed, scenario.seed)
    if args.out is not None:
        check_target(args.out, force=args.force)
    model = EscalationModel(scenario, rng=seed, turns=args.turns, collect=False)
    result = model.run()
    ran = time.perf_counter() - started
    folder = args.out if args.out is not None else default_folder(Path("runs"), scenario.id, seed)
    write_run_folder(
        result,
        folder,
        loaded=loaded,
        seed_source=source,
        overrides=list(args.overrides),
        command=["sim", *argv],
        force=args.force,
        figures=not args.no_figures,
    )
    report_path = None
    if args.report:
        from sim.outputs.report import write_report

        report_path = write_report(Path(folder))
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
        f"  mean perception gap {s['mean_abs_gap']:.2f}; action-counteraction links "
        f"{s['chain_links']}, miscalculations {s['miscalculations']}, longest chain "
        f"{s['longest_chain']}"
    )
    if report_path is not None:
        print(f"  report: {display_path(report_path)} (opens offline, prints cleanly)")
    print(f"Wrote {display_path(folder)}/ (open transcript.md and figures/ first)")
    return 0


def _cmd_ensemble(args: argparse.Namespace, argv: Sequence[str]) -> int:
    from sim import files
    from sim.outputs.ensemble_folder import write_ensemble_outputs
    from sim.paths import resolve_scenario
    from sim.running.ensemble import EnsembleSpec, open_folder, replicates_done, run_ensemble
    from sim.scenario.loader import display_path, read_scenario

    path = resolve_scenario(args.scenario)
    loaded = read_scenario(path, args.overrides)
    scenario = loaded.scenario
    root, source = _root_seed(args.seed, scenario.seed)
    turns = args.turns or scenario.turns
    spec = EnsembleSpec(scenario, args.runs, root, turns, traces=args.traces)
    out = args.out or Path("runs") / f"{scenario.id}-ensemble-seed{root}-n{args.runs}"
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        executor, workers = None, args.workers
        if args.scheduler or args.dask_local:  # reach the cluster before writing anything
            from sim.running.distributed import dask_executor

            executor, workers = stack.enter_context(dask_executor(args.scheduler, args.dask_local))
        open_folder(out, resume=args.resume)
        stack.enter_context(files.locked(out, "ensemble folder"))
        again = ["sim", *argv]
        again += ["--seed", str(root)] if args.seed is None else []
        again += ["--out", str(out)] if args.out is None else []
        again += [] if args.resume else ["--resume"]

        def kept(what: str) -> str:
            return (
                f"sim: {what}; {replicates_done(spec, out)} of {args.runs} replicates are "
                f"saved in {display_path(out)}/. Finish them with:\n  {shlex.join(again)}"
            )

        try:
            run_ensemble(
                spec,
                out,
                workers=workers,
                executor=executor,
                resume=True,
                progress=not args.quiet,
            )
            elapsed = time.perf_counter() - started
            write_ensemble_outputs(
                spec,
                out,
                files_read=loaded.files,
                seed_source=source,
                overrides=list(args.overrides),
                command=["sim", *argv],
            )
        except KeyboardInterrupt as exc:
            quiet_abandoned_pool()
            print("\n" + kept(interruption(exc)), file=sys.stderr)
            return exit_status(exc)
        except files.FileProblem as exc:  # a full or read-only disk: what is done is kept
            print(kept(str(exc).removeprefix("sim: ")), file=sys.stderr)
            return EXIT_USAGE
    title = scenario.metadata.title
    stats = _stats_text(out)
    if args.scheduler:
        where = f"on the Dask cluster at {args.scheduler}"
    elif args.dask_local:
        where = f"on a local Dask cluster of {args.dask_local} workers"
    else:
        where = f"{args.workers} worker(s)"
    print(
        f"{title}: {args.runs} runs of {turns} turns, root seed {root}, "
        f"{where}, {elapsed:.1f} s ({args.runs / elapsed:,.0f} runs/s)"
    )
    print(stats)
    shown = "summary.csv, stats.csv, fan_tension.png" + (", chunks/traces-*" if spec.traces else "")
    print(f"Wrote {display_path(out)}/ ({shown})")
    return 0


def _stats_text(out: Path) -> str:
    """The ensemble's stats.csv as an aligned text table."""
    import io

    import pandas as pd

    from sim import files

    text = files.read_inside(out, "stats.csv", what="ensemble statistics")
    stats = pd.read_csv(io.BytesIO(text)).set_index("outcome")
    return str(stats.round(3).to_string())


def _output_manifest(kind: str, seed: int, argv: Sequence[str], folder: Path) -> dict[str, object]:
    """The manifest of a sweep, sensitivity or compare folder (``outputs`` is added on writing)."""
    from sim.running.manifest import package_versions, portable_command

    return {
        "kind": kind,
        "seed": seed,
        "command": portable_command(["sim", *argv], folder),
        "versions": package_versions(),
    }


def _cmd_sweep(args: argparse.Namespace, argv: Sequence[str]) -> int:
    from sim.files import check_target, output_folder
    from sim.outputs.figures import save_figure
    from sim.outputs.run_folder import default_folder
    from sim.outputs.tables import write_csv
    from sim.paths import resolve_scenario
    from sim.running.replicates import OUTCOMES
    from sim.running.sweep import parse_param, response_figure, run_sweep
    from sim.scenario.loader import display_path, load_scenario

    axes = [parse_param(p) for p in args.params]
    if args.outcome not in OUTCOMES:
        raise UsageError(f"--outcome {args.outcome!r}: choose one of {', '.join(OUTCOMES)}")
    path = resolve_scenario(args.scenario)
    base = load_scenario(path, args.overrides)
    root, _ = _root_seed(args.seed, base.seed, fallback=0)
    if args.out is not None:
        check_target(args.out, force=args.force)
    started = time.perf_counter()
    table = run_sweep(
        path,
        axes,
        runs=args.runs,
        root_seed=root,
        turns=args.turns,
        overrides=args.overrides,
        workers=args.workers,
    )
    elapsed = time.perf_counter() - started
    folder = args.out or default_folder(Path("runs"), f"{base.id}-sweep", root)
    with output_folder(folder, force=args.force) as stage:
        write_csv(table, stage.path / "sweep.csv")
        save_figure(response_figure(table, axes, args.outcome), stage.path, "response")
        stage.manifest = _output_manifest("sweep", root, argv, folder)
    names = [a.path for a in axes]
    means = table.groupby(names)[args.outcome].mean().round(3)
    print(
        f"{base.metadata.title}: {len(table)} runs ({len(means)} grid points x {args.runs}) "
        f"in {elapsed:.1f} s; mean {args.outcome}:"
    )
    print(means.to_string())
    print(f"Wrote {display_path(folder)}/ (sweep.csv, response.png)")
    return 0


def _cmd_sensitivity(args: argparse.Namespace, argv: Sequence[str]) -> int:
    from sim.files import check_target, output_folder
    from sim.outputs.figures import save_figure
    from sim.outputs.run_folder import default_folder
    from sim.outputs.tables import write_csv
    from sim.paths import resolve_scenario
    from sim.running.replicates import OUTCOMES
    from sim.running.sensitivity import analyse, parse_bound, tornado_figure
    from sim.scenario.loader import display_path, load_scenario

    bounds = [parse_bound(p) for p in args.params]
    if args.outcome not in OUTCOMES:
        raise UsageError(f"--outcome {args.outcome!r}: choose one of {', '.join(OUTCOMES)}")
    path = resolve_scenario(args.scenario)
    base = load_scenario(path)
    root, _ = _root_seed(args.seed, base.seed, fallback=0)
    if args.out is not None:
        check_target(args.out, force=args.force)
    started = time.perf_counter()
    indices, evaluated = analyse(
        path,
        bounds,
        method=args.method,
        outcome=args.outcome,
        samples=args.samples,
        replicates=args.replicates,
        root_seed=root,
        turns=args.turns,
        workers=args.workers,
    )
    elapsed = time.perf_counter() - started
    folder = args.out or default_folder(Path("runs"), f"{base.id}-{args.method}", root)
    with output_folder(folder, force=args.force) as stage:
        write_csv(indices, stage.path / "indices.csv")
        write_csv(evaluated, stage.path / "samples.csv")
        save_figure(tornado_figure(indices, args.method, args.outcome), stage.path, "sensitivity")
        stage.manifest = _output_manifest(f"sensitivity ({args.method})", root, argv, folder)
    print(
        f"{args.method} sensitivity of {args.outcome}: {len(evaluated)} parameter sets x "
        f"{args.replicates} seeds in {elapsed:.1f} s"
    )
    print(indices.round(3).to_string(index=False))
    print(f"Wrote {display_path(folder)}/ (indices.csv, sensitivity.png)")
    return 0


def _cmd_compare(args: argparse.Namespace, argv: Sequence[str]) -> int:
    from sim.files import check_target, output_folder
    from sim.outputs.compare import compare, load_side, overlay_figure
    from sim.outputs.figures import save_figure
    from sim.outputs.run_folder import default_folder
    from sim.outputs.tables import write_csv
    from sim.scenario.loader import display_path

    if args.out is not None:
        check_target(args.out, force=args.force)
    a, b = load_side(args.a), load_side(args.b)
    result = compare(a, b, runs=args.runs, seed=args.seed, turns=args.turns)
    text = result.markdown()
    folder = args.out or default_folder(
        Path("runs"), f"compare-{a.label}-vs-{b.label}", result.seeds[0]
    )
    with output_folder(folder, force=args.force) as stage:
        (stage.path / "compare.md").write_text(text, encoding="utf-8")
        write_csv(result.outcome_table(), stage.path / "outcomes.csv")
        import pandas as pd

        diff = pd.DataFrame(result.diff, columns=["field", "A", "B"]).astype(str)
        write_csv(diff, stage.path / "input_diff.csv")
        save_figure(overlay_figure(result), stage.path, "compare_tension")
        stage.manifest = _output_manifest("compare", result.seeds[0], argv, folder)
    sys.stdout.write(text)
    print(f"Wrote {display_path(folder)}/ (compare.md, compare_tension.png)")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from sim.scenario.loader import display_path, read_scenario

    failed = 0
    for file in args.files:
        try:
            loaded = read_scenario(file)
        except ScenarioError as exc:
            failed += 1
            for diagnostic in exc.diagnostics:
                print(diagnostic, file=sys.stderr)
            continue
        s = loaded.scenario
        print(
            f"{display_path(file)}: ok - {s.metadata.title} "
            f"({len(s.actors)} actors, {len(s.moves)} moves, {len(s.injects)} injects, "
            f"{s.turns} turns)"
        )
    if failed:
        print(f"{failed} of {len(args.files)} file(s) have errors", file=sys.stderr)
        return EXIT_USAGE
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    if args.markdown:
        from sim.scenario.reference import markdown

        sys.stdout.write(markdown())
        return 0
    from sim.scenario.jsonschema import schema_text

    sys.stdout.write(schema_text(variant=args.variant))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if threading.current_thread() is threading.main_thread():
        install_signal_handlers()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.version:
            from sim import __version__

            print(f"sim {__version__}")
            return 0
        if args.command == "run":
            return _cmd_run(args, argv)
        if args.command == "validate":
            return _cmd_validate(args)
        if args.command == "schema":
            return _cmd_schema(args)
        if args.command == "report":
            from sim.outputs.report import write_report
            from sim.scenario.loader import display_path

            print(f"Wrote {display_path(write_report(args.run_dir))}")
            return 0
        if args.command == "dashboard":
            try:
                from sim.dashboard.app import serve
            except ImportError:
                raise UsageError(
                    "the dashboard needs its extra: pip install -e '.[dashboard]'"
                ) from None
            return serve(args.scenario, port=args.port)
        if args.command == "play":
            from sim.play.terminal import run_play

            return run_play(args, argv)
        if args.command == "compare":
            return _cmd_compare(args, argv)
        if args.command == "ensemble":
            return _cmd_ensemble(args, argv)
        if args.command == "sweep":
            return _cmd_sweep(args, argv)
        if args.command == "sensitivity":
            return _cmd_sensitivity(args, argv)
        if args.command == "list":
            from sim.cli.library import entries, format_entries

            sys.stdout.write(format_entries(entries()))
            return 0
        if args.command == "new":
            from sim.cli.library import new_variant
            from sim.scenario.loader import display_path

            path = new_variant(args.name, args.parent, args.dir)
            print(f"Wrote {display_path(path)}: edit it, then run it with")
            print(f"  sim run {display_path(path)}")
            return 0
        parser.print_help()
        return 0
    except ScenarioError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_USAGE
    except SimError as exc:
        print(f"sim: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        quiet_abandoned_pool()  # figures may have been drawing in forked workers
        print(f"sim: {interruption(exc)}; nothing was written", file=sys.stderr)
        return exit_status(exc)
    except BrokenPipeError:
        return 0
