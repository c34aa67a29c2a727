"""Work split into chunks and run on every core, with the same result as one loop."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def concatenate_chunks(function: Callable[[slice], np.ndarray], count: int, chunk: int) -> np.ndarray:
    """``function(slice)`` over ``range(count)`` in chunks of ``chunk``, concatenated in order.

    The chunks run in threads, one per core: NumPy releases the interpreter lock in its array
    operations, so they run in parallel. ``function`` must not share a random generator between
    chunks (draw from one stream per item instead), so the result is the same on any machine.
    """
    slices = [slice(start, min(start + chunk, count)) for start in range(0, count, chunk)]
    if len(slices) <= 1:
        return function(slices[0]) if slices else function(slice(0, 0))
    with ThreadPoolExecutor(max_workers=min(len(slices), os.cpu_count() or 1)) as pool:
        return np.concatenate(list(pool.map(function, slices)))
