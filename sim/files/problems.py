"""What the files package calls its problems, its limits and its marker."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from sim.errors import RunFolderError

TOOL = "strategy-dialogue-sim"
"""The marker in every manifest this tool writes (its ``tool`` field)."""

MANIFEST = "manifest.json"
"""Name of the manifest in every output folder."""

STAGING_MARK = ".sim-staging"
"""File written first into every staging folder: proof that the tool made it."""

# Limits per kind of file read, in bytes. A scenario is text a person wrote; a
# run folder's tables grow with actors x turns (a 1,000-actor, 100-turn run's
# metrics.csv is a few hundred MB).
SCENARIO_LIMIT = 1_000_000
MOVES_LIMIT = 1_000_000
SAVE_LIMIT = 16_000_000
MANIFEST_LIMIT = 4_000_000
RUN_INPUT_LIMIT = 768 * 1024 * 1024
JSON_DEPTH = 64
"""Deepest nesting of JSON arrays and objects accepted (as for YAML)."""


def _file_mode() -> int:
    """The mode a plain ``open()`` would give a new file: 0o666 less this process's umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()
"""Mode of every file written atomically (temporary files start private, at 0o600)."""


class FileProblem(RunFolderError):
    """A file or folder cannot be read, written or replaced (exit status 2).

    Attributes:
        path: The path as the user should read it.
        why: What is wrong and what to do, without the path.
    """

    def __init__(self, message: str, path: str = "", why: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.why = why or message


# ------------------------------------------------------------------ messages


_ADVICE = {
    errno.ENOSPC: "no space left on the device: free some space, or write somewhere else",
    errno.EDQUOT: "the disk quota is used up: free some space, or write somewhere else",
    errno.EROFS: "the file system is read-only: write somewhere else",
    errno.EACCES: "permission denied: choose a place you can write to, or fix its permissions",
    errno.EPERM: "not permitted: choose a place you can write to",
    errno.ENAMETOOLONG: "a name in the path is too long: choose a shorter one",
    errno.ENOTDIR: "a part of the path is a file, not a folder: choose another path",
    errno.ELOOP: "too many levels of symbolic links: give the real path",
    errno.EISDIR: "is a folder, not a file: give a file's path",
    errno.ENOENT: "no such file or folder: check the path",
    errno.EEXIST: "already exists: choose another name",
    errno.EXDEV: "the staging folder is on another file system: choose another path",
    errno.EMFILE: "too many open files: close some programs and try again",
    errno.EIO: "input/output error from the device: check the disk",
}


def explain(exc: OSError) -> str:
    """Why an OS call failed and what to do, in one phrase (no traceback, no errno)."""
    if exc.errno in _ADVICE:
        return _ADVICE[exc.errno]
    return (exc.strerror or str(exc)).lower()


def shown(path: str | Path) -> str:
    """A path as the user should read it: relative to the current folder when inside it."""
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def _problem(path: str | Path, why: str) -> FileProblem:
    return FileProblem(f"{shown(path)}: {why}", shown(path), why)
