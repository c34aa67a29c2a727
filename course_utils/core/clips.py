"""A labelled set of sound clips: what the sound world's event set and real sets like ESC-50 give."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .audio import SAMPLE_RATE


@dataclass
class LabelledClips:
    waves: np.ndarray  # (N, samples) float32
    labels: np.ndarray  # (N,) class index into ``classes``
    classes: tuple[str, ...]
    sample_rate: int = SAMPLE_RATE
    folds: np.ndarray | None = None  # (N,) fold number for cross-validation, where the set has them

    def __len__(self) -> int:
        return len(self.labels)
