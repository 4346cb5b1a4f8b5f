"""An OS lock on a folder (``flock``) that dies with the process that took it."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from sim.files.problems import _problem, explain

_HELD: dict[str, int] = {}
"""Folders this process holds locked, and the descriptor of each lock."""


def _forget_locks_in_child() -> None:
    # A forked child shares the lock; closing its copy leaves the lock with the
    # parent alone, so the lock still dies with the process that took it.
    for fd in _HELD.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


@contextlib.contextmanager
def locked(folder: str | Path, what: str = "folder") -> Iterator[None]:
    """Hold an exclusive OS lock (``flock``) on ``folder``; it dies with its holder.

    Re-entrant within one process: an inner ``locked`` of a folder this
    process already holds does nothing.

    Raises:
        FileProblem: another process holds it.
    """
    import fcntl

    key = os.path.realpath(folder)
    if key in _HELD:
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise _problem(folder, f"cannot open the {what}: {explain(exc)}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _problem(
                folder,
                f"another sim process is writing this {what}: wait for it to finish, "
                "or choose another --out",
            ) from None
        _HELD[key] = fd
        try:
            yield
        finally:
            _HELD.pop(key, None)
    finally:
        if key not in _HELD:
            with contextlib.suppress(OSError):
                os.close(fd)
