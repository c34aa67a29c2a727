"""Where the course keeps data, checkpoints and results."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parents[1]  # course_utils/


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


def shown(path: Path) -> str:
    """``path`` as a notebook prints it: relative to the course folder where it lies inside it, so
    that a saved notebook or page names no machine's folders."""
    try:
        return str(Path(path).resolve().relative_to(course_root().resolve()))
    except ValueError:
        return str(path)


def recording_results_dir() -> Path | None:
    """Where this run records its results: ``COURSE_RESULTS_DIR``, which the course runner sets.

    None in any other run (JupyterLab, Colab, nbgrader), so that a notebook run by hand never
    overwrites the course table.
    """
    value = os.environ.get("COURSE_RESULTS_DIR")
    return Path(value).expanduser() if value else None
