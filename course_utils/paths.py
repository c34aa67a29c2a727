"""Where the course keeps data, checkpoints and results."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

_PACKAGE_DIR = Path(__file__).resolve().parent


def course_root() -> Path:
    """The checkout the package runs from, or the home folder for an installed package."""
    checkout = _PACKAGE_DIR.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "notebooks").is_dir():
        return checkout
    if Path("/content").is_dir():  # Colab's working area
        return Path("/content/course")
    return Path.home() / "course"


def _folder(variable: str, default_name: str) -> Path:
    value = os.environ.get(variable)
    return Path(value).expanduser() if value else course_root() / default_name


def data_dir() -> Path:
    """Downloaded and generated datasets (``COURSE_DATA_DIR`` overrides)."""
    return _folder("COURSE_DATA_DIR", "data")


def checkpoint_dir() -> Path:
    """Training checkpoints (``COURSE_CHECKPOINT_DIR`` overrides)."""
    return _folder("COURSE_CHECKPOINT_DIR", "checkpoints")


def results_dir() -> Path:
    """Per-notebook result records for the course table (``COURSE_RESULTS_DIR`` overrides)."""
    return _folder("COURSE_RESULTS_DIR", "build/results")


def save_npz_atomically(path: Path, arrays: dict) -> None:
    """Write ``arrays`` to ``path`` via a temporary file, so a crash never leaves half a cache."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, suffix=".partial.npz")
    os.close(handle)
    try:
        np.savez(partial, **arrays)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def settings_cache_path(data_dir: Path | str | None, folder: str, prefix: str, settings) -> Path | None:
    """Where a generated set made from ``settings`` is cached: one file per distinct setting."""
    if data_dir is None:
        return None
    digest = hashlib.sha256(repr(settings).encode()).hexdigest()[:16]
    return Path(data_dir) / folder / f"{prefix}-{digest}.npz"


def cached_npz(path: Path | None, make, check=None) -> dict:
    """The arrays saved at ``path``, or ``make()``'s arrays (then saved there).

    A cache that cannot be read, or that ``check(arrays)`` rejects, is made again and replaced.
    ``path=None`` always makes the arrays and keeps nothing.
    """
    if path is not None and path.is_file():
        try:
            with np.load(path) as stored:
                arrays = {name: stored[name] for name in stored.files}
            if check is None or check(arrays):
                return arrays
            print(f"cache {path.name} does not match what was asked for; making it again")
        except (OSError, ValueError, KeyError) as error:
            print(f"cache {path.name} is unreadable ({error}); making it again")
    arrays = make()
    if path is not None:
        save_npz_atomically(path, arrays)
    return arrays
