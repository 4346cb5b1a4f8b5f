"""Running ensembles on a Dask cluster (the optional ``dask`` extra).

:func:`run_ensemble` takes any ``concurrent.futures.Executor``; a Dask
client provides one, so the same ensemble runs on a cluster with results
identical to the local run (each chunk's replicates and seeds are fixed by
the ensemble, not by where it runs).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any

from sim.errors import UsageError

_SCHEDULER = re.compile(r"^(tcp|tls)://[^\s/]+:\d{1,5}/?$")
"""A scheduler address this command accepts."""


@contextmanager
def dask_executor(
    scheduler: str | None, local_workers: int | None
) -> Iterator[tuple[Executor, int]]:
    """An executor on a Dask cluster: an existing scheduler, or a local cluster on 127.0.0.1.

    Args:
        scheduler: Address such as ``tcp://10.0.0.5:8786``, or None.
        local_workers: Start a local cluster of this many single-threaded worker processes.

    Yields:
        The executor, and how many tasks the cluster runs at once (its worker
        threads when connected, at least 1): pass it as ``run_ensemble``'s
        ``workers`` so that every thread has chunks to work on.

    Raises:
        UsageError: Dask is not installed, or the scheduler cannot be reached.
    """
    try:
        dd: Any = importlib.import_module("dask.distributed")  # untyped: used through Any
    except ImportError:
        raise UsageError(
            "Dask is not installed: pip install -e '.[dask]' (or ./dev pip install "
            "'dask[distributed]')"
        ) from None
    if scheduler is not None and not _SCHEDULER.match(scheduler):
        raise UsageError(
            f"--scheduler {scheduler!r}: not a Dask scheduler address: write it as "
            "tcp://HOST:PORT (or tls://HOST:PORT), as `dask scheduler` prints it"
        )
    cluster: Any = None
    client: Any
    try:
        if scheduler:
            client = dd.Client(scheduler, timeout=20)
        else:
            cluster = dd.LocalCluster(
                n_workers=local_workers or 1,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            client = dd.Client(cluster)
    except (OSError, ValueError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise UsageError(
            f"cannot reach the Dask scheduler {scheduler}: {exc}: check that it is running "
            "and the address is right"
        ) from None
    try:
        executor: Executor = client.get_executor()
        yield executor, max(1, sum(client.nthreads().values()))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
