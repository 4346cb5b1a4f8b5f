"""An OS lock on a folder that dies with the process that took it.

The lock is a POSIX record lock (``fcntl`` ``F_SETLK``, through
:func:`fcntl.lockf`) on the file :data:`LOCK_FILE` inside the folder. Unlike
``flock``, a record lock belongs to the process alone: worker processes forked
while it is held do not share it, so it is released the moment its holder
ends, however it ends (even by SIGKILL), whatever its workers are doing.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from sim.files.problems import FILE_MODE, _problem, explain

LOCK_FILE = ".sim-lock"
"""The file inside a locked folder that carries the lock (empty; listed in its manifest)."""

_HELD: set[str] = set()
"""Folders this process holds locked (real paths)."""


@contextlib.contextmanager
def locked(folder: str | Path, what: str = "folder") -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` for the block; it dies with this process.

    Re-entrant within one process: an inner ``locked`` of a folder this
    process already holds does nothing.

    Raises:
        FileProblem: another process holds it, or the lock file cannot be made.
    """
    import fcntl

    key = os.path.realpath(folder)
    if key in _HELD:
        yield
        return
    path = Path(folder) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE)
    except OSError as exc:
        raise _problem(folder, f"cannot lock the {what}: {explain(exc)}") from None
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise _problem(folder, f"cannot lock the {what}: {explain(exc)}") from None
            raise _problem(
                folder,
                f"another sim process is writing this {what}: wait for it to finish, "
                "or choose another --out",
            ) from None
        _HELD.add(key)
        try:
            yield
        finally:
            _HELD.discard(key)
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)
