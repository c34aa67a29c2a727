"""Helpers shared by the tests."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

from course_utils.core import files
from course_utils.core.audio import SAMPLE_RATE

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TEMPLATES = sorted((ROOT / "templates").glob("*.ipynb"))  # where a new notebook starts


def cache_only(path, make, check=None):
    """``cached_npz`` that must find its arrays in the cache: making them again fails the test.
    Patched in for a world's ``cached_npz``, it shows that a second call reads the cache."""
    def made_again():
        raise AssertionError(f"{path.name} was made again, though it is cached")
    return files.cached_npz(path, made_again, check)


def read_notebook(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    """A zip archive, in memory, holding ``members`` (name -> content)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def lowest_pitch_heard(wave):
    """The F0 of the wave's second half (where the intonation is lowest), by autocorrelation."""
    half = wave[len(wave) // 2:]
    corr = np.correlate(half, half, "full")[len(half) - 1:]
    lags = np.arange(SAMPLE_RATE // 400, SAMPLE_RATE // 60)
    return SAMPLE_RATE / lags[corr[lags].argmax()]
