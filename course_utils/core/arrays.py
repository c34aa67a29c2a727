"""Arrays as NumPy sees them, whatever the caller passes."""

from __future__ import annotations

import numpy as np


def as_numpy(values) -> np.ndarray:
    """``values`` as a NumPy array: a torch tensor (on any device, with or without gradients) is
    detached and copied to the CPU first; anything else goes through ``np.asarray``."""
    if hasattr(values, "detach"):
        values = values.detach().cpu().numpy()
    return np.asarray(values)
