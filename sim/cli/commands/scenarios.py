"""``sim validate`` and ``sim schema``: the scenario language itself."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.errors import ScenarioError, UsageError

EXIT_USAGE = 2


def add_validate(sub: Any) -> None:
    """Add ``sim validate``."""
    validate = sub.add_parser(
        "validate", help="check scenario files", description="Check scenario files for errors."
    )
    validate.add_argument(
        "files", nargs="+", type=Path, help="scenario files or bundled ids (see sim list)"
    )
    validate.set_defaults(handler=validate_files)


def validate_files(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Check each file; print one line per good file and every diagnostic of a bad one.

    A good file may also get warning lines (on stderr; the exit status is unchanged):
    a move from a domain library left open to actors the scenario never ties to it.
    """
    from sim.outputs.grammar import counted
    from sim.paths import resolve_scenario
    from sim.scenario.loader import display_path, read_scenario
    from sim.scenario.references import open_library_moves

    failed = 0
    for given in args.files:
        file = given
        if not given.exists():  # a bundled id, as `sim run` takes it
            try:
                file = resolve_scenario(given)
            except UsageError as exc:
                failed += 1
                print(exc, file=sys.stderr)  # with a did-you-mean among the bundled ids
                continue
        try:
            loaded = read_scenario(file)
        except ScenarioError as exc:
            failed += 1
            for diagnostic in exc.diagnostics:
                print(diagnostic, file=sys.stderr)
            continue
        s = loaded.scenario
        print(
            f"{display_path(given)}: ok - {s.metadata.title} "
            f"({counted(len(s.actors), 'actor')}, {counted(len(s.moves), 'move')}, "
            f"{counted(len(s.injects), 'inject')}, {counted(s.turns, 'turn')})"
        )
        for warning in open_library_moves(s, loaded.move_sources):
            print(f"{display_path(given)}: warning: {warning}", file=sys.stderr)
    if failed:
        have = "has" if failed == 1 else "have"
        print(f"{failed} of {counted(len(args.files), 'file')} {have} errors", file=sys.stderr)
        return EXIT_USAGE
    return 0


def add_schema(sub: Any) -> None:
    """Add ``sim schema``."""
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
    flavour.add_argument(
        "--write",
        metavar="DIR",
        type=Path,
        help="write scenario.schema.json and variant.schema.json into DIR (for scenarios "
        "written there; a file of that name is replaced only if sim schema wrote it)",
    )
    schema.set_defaults(handler=print_schema)


def print_schema(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """Print the JSON Schema (or the format reference as Markdown), or write both schemas."""
    if args.write is not None:
        from sim.scenario.jsonschema import write_schemas
        from sim.scenario.loader import display_path

        for path in write_schemas(args.write):
            print(f"Wrote {display_path(path)}")
        return 0
    if args.markdown:
        from sim.scenario.reference import markdown

        sys.stdout.write(markdown())
        return 0
    from sim.scenario.jsonschema import schema_text

    sys.stdout.write(schema_text(variant=args.variant))
    return 0
