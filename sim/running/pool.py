"""Local worker processes for the many-run commands.

* :func:`default_executor`: a ``concurrent.futures`` process pool for sweeps
  and sensitivity analyses, one task per job.
* :func:`run_shared`: how ensembles run locally. This process and ``W - 1``
  forked workers each take the next item from one shared counter when free,
  so none idles while items remain, and with W workers only W - 1 processes
  are started.

Both start processes through an explicit start-method *context* (``fork``
where available: fast, nothing re-imported; else ``spawn``), so the caller's
process-wide start method is never changed. Their workers watch the process
that started them and exit if it dies: a pool's idle workers otherwise wait
for work forever, outliving a killed parent.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Executor, ProcessPoolExecutor, wait
from typing import Any

WATCH_INTERVAL = 0.2
"""Seconds between a worker's checks that the process that started it is alive."""


def context() -> Any:
    """The multiprocessing context for workers: ``fork`` where available, else ``spawn``."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


def watch_parent(parent: int) -> None:
    """Pool initializer: exit within :data:`WATCH_INTERVAL` s if process ``parent`` dies.

    Work in hand is abandoned; results are written atomically (to a temporary
    name, then renamed), so what is left is a temporary file that resuming
    ignores.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_INTERVAL)
        os._exit(1)

    threading.Thread(target=watch, name="sim-watch-parent", daemon=True).start()


def default_executor(workers: int) -> Executor | None:
    """A process pool with ``workers`` processes (None for 1: run in this process).

    Its workers exit if this process dies (:func:`watch_parent`).
    """
    if workers <= 1:
        return None
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context(),
        initializer=watch_parent,
        initargs=(os.getpid(),),
    )


class Tickets:
    """Shared counters: the position of the next item to take, and the total counted so far.

    Which process takes an item depends on timing; the item's result must not.
    """

    def __init__(self, ctx: Any) -> None:
        self.next = ctx.Value("q", 0)
        self.counted = ctx.Value("q", 0)

    def take(self) -> int:
        """The position of the next item to compute (at or past the end: none left)."""
        with self.next.get_lock():
            i = int(self.next.value)
            self.next.value = i + 1
        return i

    def close(self, end: int) -> None:
        """Hand out no more items (after a failure or an interruption)."""
        with self.next.get_lock():
            self.next.value = end

    def add(self, count: int) -> None:
        """Add ``count`` to the total (e.g. replicates written)."""
        with self.counted.get_lock():
            self.counted.value += count


_TICKETS: Tickets | None = None  # in a worker of run_shared: set by _adopt


def _adopt(tickets: Tickets, parent: int) -> None:
    """Initializer of :func:`run_shared`'s workers: keep the counters, watch the parent.

    Shared counters can only reach a process as it starts, hence here.
    """
    global _TICKETS
    _TICKETS = tickets
    watch_parent(parent)


def _drain(task: Callable[[int], int], items: Sequence[int], parent: int) -> list[int]:
    """A worker's whole job: run ``task`` on items from the shared counter until none is left.

    It stops early if the process that started it has died.

    Returns:
        The items this worker completed, in order.
    """
    tickets = _TICKETS
    assert tickets is not None, "a worker of run_shared starts with _adopt"
    done: list[int] = []
    while os.getppid() == parent and (i := tickets.take()) < len(items):
        tickets.add(task(items[i]))
        done.append(items[i])
    return done


def _picklable(task: Callable[[int], int]) -> bool:
    import pickle

    try:
        pickle.dumps(task)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    return True


def run_shared(
    task: Callable[[int], int],
    items: Sequence[int],
    workers: int,
    *,
    on_item: Callable[[int], None] = lambda item: None,
    on_count: Callable[[int], None] = lambda total: None,
) -> ProcessPoolExecutor | None:
    """Run ``task(item)`` for every item, in this process and ``workers - 1`` forked ones.

    Each process takes the next item from a shared counter when it is free.
    ``task`` must be picklable (a module-level function, or a
    ``functools.partial`` of one) and return a count; it runs exactly once per
    item unless a process fails or is interrupted. Then the error is raised
    here at once: the workers finish the item in hand and take no more, but
    are not waited for (that wait can hang when a task never reached them).

    Args:
        task: Computes one item (and stores its result itself), returning a count.
        items: The items, in the order they are handed out.
        workers: Processes that compute, this one included (at least 2).
        on_item: Called here with each completed item: at once for this
            process's items, at the end for the workers' (in item order).
        on_count: Called here with the running total of counts, after each of
            this process's items and every :data:`WATCH_INTERVAL` s while it waits.

    A task that cannot be pickled runs in this process alone (None is returned).

    Returns:
        The pool, still running: shut it down (``wait=False`` lets its idle
        workers exit while the caller goes on).
    """
    if workers < 2:
        raise ValueError(f"run_shared needs at least 2 workers, not {workers}")
    if not _picklable(task):
        # Handing the executor a task it cannot pickle can deadlock CPython's
        # ProcessPoolExecutor at exit (its queue feeder thread waits on a lock
        # the manager thread holds while joining it: 1 run in 24 under load).
        # Such a task runs here, alone.
        total = 0
        for item in items:
            total += task(item)
            on_item(item)
            on_count(total)
        return None
    ctx = context()
    tickets = Tickets(ctx)
    parent = os.getpid()
    pool = ProcessPoolExecutor(
        max_workers=workers - 1, mp_context=ctx, initializer=_adopt, initargs=(tickets, parent)
    )

    def raise_failures() -> None:
        for failed in (f for f in helpers if f.done() and f.exception() is not None):
            failed.result()

    try:
        helpers = [pool.submit(_drain, task, items, parent) for _ in range(workers - 1)]
        while (i := tickets.take()) < len(items):
            tickets.add(task(items[i]))
            on_item(items[i])
            on_count(int(tickets.counted.value))
            raise_failures()
        while not all(f.done() for f in helpers):
            wait(helpers, timeout=WATCH_INTERVAL, return_when=FIRST_EXCEPTION)
            on_count(int(tickets.counted.value))
            raise_failures()
        for item in sorted(item for f in helpers for item in f.result()):
            on_item(item)
    except BaseException:
        tickets.close(len(items))
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    return pool
