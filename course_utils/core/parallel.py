"""Work split into chunks and run on every core, with the same result as one loop."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np

# The function that forked worker processes run: set just before they are forked, so that they
# inherit it (a closure cannot be sent to a process, but a forked child has its parent's memory).
_forked_function: Callable[[slice], np.ndarray] | None = None


def concatenate_chunks(function: Callable[[slice], np.ndarray], count: int, chunk: int,
                       processes: bool = False) -> np.ndarray:
    """``function(slice)`` over ``range(count)`` in chunks of ``chunk``, concatenated in order.

    The chunks run in threads, one per core: NumPy releases the interpreter lock in its array
    operations, so they run in parallel. Work that holds the lock (many small filters, Python
    loops) asks for ``processes``: worker processes forked from this one, on Linux; elsewhere it
    falls back to threads. ``function`` must not share a random generator between chunks (draw
    from one stream per item instead), so the result is the same on any machine.
    """
    slices = [slice(start, min(start + chunk, count)) for start in range(0, count, chunk)]
    if len(slices) <= 1:
        return function(slices[0]) if slices else function(slice(0, 0))
    workers = min(len(slices), os.cpu_count() or 1)
    if processes and workers > 1 and can_fork():
        return np.concatenate(_in_forked_processes(function, slices, workers))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return np.concatenate(list(pool.map(function, slices)))


def can_fork() -> bool:
    """Forking is safe enough for NumPy work on Linux (as PyTorch's data loaders do); macOS and
    Windows start processes afresh, which cannot inherit a closure."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _run_forked(part: slice) -> np.ndarray:
    return _forked_function(part)


def _in_forked_processes(function, slices: list[slice], workers: int) -> list[np.ndarray]:
    global _forked_function
    _forked_function = function
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_run_forked, slices))
    finally:
        _forked_function = None
