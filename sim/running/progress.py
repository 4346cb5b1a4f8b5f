"""Progress on stderr for the many-run commands, drawn by tqdm.

One look for every progress bar: ``[#####.....] 150/300 runs  998.09 runs/s
ETA 00:01``, redrawn at most every 0.2 s on a terminal and every 2 s
elsewhere (a log then gets a line now and then, not thousands). Off when
``enabled`` is false (``--quiet``, or ``progress=False`` from Python).
"""

from __future__ import annotations

import sys
from typing import IO, Any

from tqdm import tqdm  # type: ignore[import-untyped]  # no stubs installed

BAR_FORMAT = "[{bar:30}] {n_fmt}/{total_fmt} runs  {rate_fmt}  ETA {remaining}"
"""What the bar shows (the ``[###...]`` opening is what logs and tests look for)."""


class _Bar(tqdm):  # type: ignore[misc]
    """tqdm without its monitor thread.

    The ensemble forks workers, and forking a process that runs other threads
    can deadlock the child.
    """

    monitor_interval = 0


def progress_bar(
    total: int, done: int = 0, *, enabled: bool = True, stream: IO[str] | None = None
) -> Any:
    """A progress bar of ``total`` runs, ``done`` of them already finished.

    Use it as a context manager; ``update(n)`` counts ``n`` more. When not
    ``enabled`` it draws nothing.
    """
    stream = stream if stream is not None else sys.stderr
    tty = bool(getattr(stream, "isatty", lambda: False)())
    return _Bar(
        total=total,
        initial=done,
        file=stream,
        disable=not enabled,
        ascii=".#",
        unit=" runs",
        bar_format=BAR_FORMAT,
        mininterval=0.2 if tty else 2.0,
        dynamic_ncols=False,
    )
