"""SIGTERM and SIGHUP end a command as Ctrl-C does: cleanly, saying what was kept.

Without handlers, those signals kill Python at once: no ``finally`` runs, so a
staging folder would be left behind (it is cleaned up the next time, but the
user is told nothing). With :func:`install`, they raise :class:`Interrupted`,
a ``KeyboardInterrupt``, so every write in progress is undone by the same code
that handles Ctrl-C.
"""

from __future__ import annotations

import errno
import signal
import sys
from types import FrameType

CAUGHT = (signal.SIGTERM, signal.SIGHUP)


class Interrupted(KeyboardInterrupt):
    """A command stopped by a signal other than Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


def install() -> None:
    """Make SIGTERM and SIGHUP raise :class:`Interrupted` in this process (main thread only)."""
    for signum in CAUGHT:
        signal.signal(signum, _raise)


def interruption(exc: BaseException) -> str:
    """How the command was stopped, in words: 'interrupted' or 'stopped by SIGTERM'."""
    if isinstance(exc, Interrupted):
        return f"stopped by {signal.Signals(exc.signum).name}"
    return "interrupted"


def exit_status(exc: BaseException) -> int:
    """The shell's status for a command ended by this signal: 128 + its number (130 for Ctrl-C)."""
    return 128 + (exc.signum if isinstance(exc, Interrupted) else signal.SIGINT)


def quiet_abandoned_pool() -> None:
    """Drop the noise an abandoned worker pool makes while the interpreter exits.

    After an interruption the ensemble's workers are left to stop by
    themselves. When they die of the same signal first, CPython's
    ``concurrent.futures`` exit hook writes to the pool's closed wake-up pipe
    and prints "Exception ignored on threading shutdown" with a traceback
    (EBADF): nothing is wrong, and the user has already been told what is
    kept. Only that error is dropped; any other still reaches the usual hook.
    """
    previous = sys.unraisablehook

    def hook(unraisable: sys.UnraisableHookArgs) -> None:
        error = unraisable.exc_value
        if isinstance(error, OSError) and error.errno == errno.EBADF:
            return
        previous(unraisable)

    sys.unraisablehook = hook
