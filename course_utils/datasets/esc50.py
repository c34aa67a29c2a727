"""ESC-50: 2,000 five-second environmental recordings in 50 classes, in five folds."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from ..core.audio import SAMPLE_RATE, read_wav
from ..core.clips import LabelledClips
from ..core.files import cached_npz
from .download import fetch, find_extracted

META_FILE = "esc50.csv"  # filename,fold,target,category,esc10,src_file,take


def read_esc50(folder: Path | str, sample_rate: int = SAMPLE_RATE, esc10_only: bool = False) -> LabelledClips:
    """The clips of an extracted ESC-50 folder, mono at ``sample_rate``, with their folds (0-4).

    ``esc10_only`` keeps the ten-class ESC-10 subset.
    """
    meta = find_extracted(folder, META_FILE)
    audio = meta.parent.parent / "audio"
    with meta.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if not esc10_only or r["esc10"] == "True"]
    if not rows:
        raise ValueError(f"{meta} lists no clips; delete the folder and fetch it again.")
    names = {int(r["target"]): r["category"] for r in rows}
    targets = sorted(names)
    waves = [read_wav(audio / r["filename"], sample_rate)[0] for r in rows]
    length = max(len(w) for w in waves)
    padded = np.zeros((len(waves), length), dtype=np.float32)
    for i, wave in enumerate(waves):
        padded[i, :len(wave)] = wave
    labels = np.array([targets.index(int(r["target"])) for r in rows])
    folds = np.array([int(r["fold"]) - 1 for r in rows])
    return LabelledClips(padded, labels, tuple(names[t] for t in targets), sample_rate, folds)


def load_esc50(data_dir: Path | str, sample_rate: int = SAMPLE_RATE, esc10_only: bool = False,
               dataset="esc50") -> LabelledClips:
    """Fetch (once) and read ESC-50 through the registry; the resampled clips are cached as arrays."""
    folder = fetch(dataset, data_dir)
    name = getattr(dataset, "name", dataset)
    path = Path(data_dir) / f"{name}_arrays" / f"{'esc10' if esc10_only else 'esc50'}-{sample_rate}hz.npz"

    def make():
        events = read_esc50(folder, sample_rate, esc10_only)
        return {"waves": events.waves, "labels": events.labels, "folds": events.folds,
                "classes": np.array(events.classes)}

    arrays = cached_npz(path, make)
    return LabelledClips(arrays["waves"], arrays["labels"], tuple(str(c) for c in arrays["classes"]),
                       sample_rate, arrays["folds"])
