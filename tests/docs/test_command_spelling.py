"""Every command the README, the docs and the scenarios' headers show is one that exists.

One spelling everywhere: ``./dev sim <command>`` in the checkout (``sim
<command>`` in the reference tables and in files written for a student's own
folder); never ``PYTHONPATH=. python -m sim``, and ``python -m sim`` only where
the README says how to run without bash. Each command shown must be a real
``sim`` subcommand and each ``--option`` after it one that subcommand takes,
so a renamed command or option fails here until every mention follows.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from sim.cli.main import build_parser
from tests.conftest import REPO

SHOWN = re.compile(
    r"(?:^|(?<=\./dev )|(?<=/dev )|(?<=`)|(?<=python -m )|(?<=^# )|(?<=^#   )|(?<=^  ))"
    r"sim ([a-z][a-z_-]*)([^`\n|]*)",
    re.MULTILINE,
)
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")


def documents() -> list[Path]:
    docs = sorted((REPO / "docs").rglob("*.md"))
    yamls = sorted((REPO / "scenarios").glob("*.yaml")) + sorted((REPO / "docs").rglob("*.yaml"))
    return [REPO / "README.md", *docs, *yamls]


def subcommands() -> dict[str, set[str]]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {
        name: {opt for a in sub._actions for opt in a.option_strings}
        for name, sub in action.choices.items()
    }


def shown(text: str) -> list[tuple[int, str, list[str]]]:
    """``(line, command, options)`` for each command ``text`` shows."""
    out = []
    for m in SHOWN.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        out.append((line, m.group(1), OPTION.findall(m.group(2))))
    return out


def test_the_pattern_finds_commands_in_each_form() -> None:
    text = (
        "./dev sim run --seed 1\n`sim check SCENARIO [--runs N]`\n# sim validate x.yaml\n"
        "python -m sim list\nsim new mine --actors a,b\n"
    )
    assert shown(text) == [
        (1, "run", ["--seed"]),
        (2, "check", ["--runs"]),
        (3, "validate", []),
        (4, "list", []),
        (5, "new", ["--actors"]),
    ]


def problems(text: str, readme: bool = False) -> list[str]:
    """What ``text`` spells wrong: an old spelling, a command or an option that does not exist."""
    commands = subcommands()
    wrong = []
    if "PYTHONPATH=" in text or (not readme and re.search(r"python -m sim ", text)):
        wrong.append("spell commands `./dev sim ...`")
    for line, command, options in shown(text):
        if command not in commands:
            wrong.append(f"line {line}: 'sim {command}' is no command")
            continue
        wrong += [
            f"line {line}: 'sim {command}' takes no {opt}"
            for opt in options
            if opt not in commands[command]
        ]
    return wrong


def test_a_wrong_command_or_option_is_caught() -> None:
    text = "./dev sim rn\n`sim check x --run 5`\nPYTHONPATH=. python -m sim run\n"
    assert problems(text) == [
        "spell commands `./dev sim ...`",
        "line 1: 'sim rn' is no command",
        "line 2: 'sim check' takes no --run",
    ]


@pytest.mark.parametrize("path", documents(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_command_shown_exists_with_its_options(path: Path) -> None:
    assert problems(path.read_text(encoding="utf-8"), readme=path.name == "README.md") == []


def test_files_written_for_a_students_folder_show_real_commands(tmp_path: Path) -> None:
    from sim.cli.main import main

    assert main(["new", "mine", "--out", str(tmp_path)]) == 0
    assert main(["new", "variant", "--from", "richardson_stable", "--out", str(tmp_path)]) == 0
    commands = subcommands()
    for name in ("mine.yaml", "variant.yaml"):
        found = shown((tmp_path / name).read_text(encoding="utf-8"))
        assert found, name
        assert all(c in commands for _, c, _ in found), found
