"""Writing files so that a crash never leaves half of one, and caching generated arrays."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

PARTIAL = ".partial"  # in the name of every file that atomic_write has not finished


def atomic_write(path: Path | str, write: Callable[[str], None], suffix: str = "") -> Path:
    """Call ``write(temporary_path)``, then move the finished file to ``path`` in one step.

    The temporary file sits in the same folder (so the move is atomic) and is removed if
    ``write`` fails: an interrupted write never replaces a good file with half of one.
    ``suffix`` is the temporary file's ending, for writers that choose a format by it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=f"{PARTIAL}{suffix}")
    os.close(handle)
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return path


def unfinished_writes(path: Path | str) -> list[Path]:
    """The temporary files that ``atomic_write(path, ...)`` calls left when the process was killed
    (a failure removes its own; a kill cannot)."""
    path = Path(path)
    return sorted(path.parent.glob(f".{path.name}.*{PARTIAL}*"))


def write_text_atomically(path: Path | str, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` whole or not at all. The file keeps the permissions it
    had, or gets the usual ones of a new file (a temporary file's are private to its owner)."""
    path = Path(path)
    if path.exists():
        mode = path.stat().st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask

    def write(partial: str) -> None:
        Path(partial).write_text(text, encoding="utf-8")
        os.chmod(partial, mode)

    return atomic_write(path, write)


def save_npz_atomically(path: Path, arrays: dict) -> None:
    """Write ``arrays`` to ``path`` as an .npz file, atomically."""
    atomic_write(path, lambda partial: np.savez(partial, **arrays), suffix=".npz")


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
        except Exception as error:  # any damage: a cut-off or altered file fails in many ways
            print(f"cache {path.name} is unreadable ({type(error).__name__}: {error}); making it again")
    arrays = make()
    if path is not None:
        save_npz_atomically(path, arrays)
    return arrays
