"""The project's own exception types.

Every error a user can cause derives from :class:`SimError`. The command line
prints its message and exits with status 2, never a traceback. Scenario
problems are collected into one :class:`ScenarioError` holding every
:class:`Diagnostic` found, so a student sees all of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass


class SimError(Exception):
    """Base class for errors caused by input or usage (exit status 2)."""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in a scenario file.

    Attributes:
        file: Path of the file as the user named it (relative where possible).
        line: 1-based line number, or 0 when the problem has no place in a file.
        column: 1-based column number, or 0 when unknown.
        path: Dotted field path inside the scenario, e.g. ``actors.china.posture``;
            empty for whole-file problems.
        message: What is wrong and what to do about it.
    """

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}"
        if self.path:
            return f"{where}: {self.path}: {self.message}"
        return f"{where}: {self.message}"


class ScenarioError(SimError):
    """A scenario file could not be loaded; holds every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


class RunFolderError(SimError):
    """A run folder cannot be written (it exists, or the place is not writable)."""


class UsageError(SimError):
    """A command-line or API argument is malformed (for example ``--set``)."""
