"""Fetch a registry dataset: resume, verify, extract safely, never leave half a file.

Layout under ``data_dir/<name>/``:
``<filename>``          the verified download
``<filename>.part``     an unfinished download, resumed on the next call
``<filename>.sha256``   the locally pinned hash, for entries that publish none
``extracted/``          the archive's contents, written only after a full extraction
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from .registry import DatasetEntry, lookup

CHUNK = 1 << 20


class DownloadError(RuntimeError):
    """A dataset could not be fetched or did not verify."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pin_path(target: Path) -> Path:
    """Where the sha256 of the first good download is pinned, for entries that publish none."""
    return target.with_name(target.name + ".sha256")


def _expected_hash(entry: DatasetEntry, target: Path) -> str | None:
    if entry.sha256:
        return entry.sha256
    pin = _pin_path(target)
    return pin.read_text().strip() if pin.is_file() else None


def _verify(entry: DatasetEntry, path: Path, target: Path) -> str | None:
    """None when ``path`` (the download ``target`` or its unfinished ``.part``) is the right file,
    else what is wrong with it. Both are checked against the target's pinned hash."""
    size = path.stat().st_size
    if entry.size is not None and size != entry.size:
        return f"size {size} bytes, expected {entry.size}"
    expected = _expected_hash(entry, target)
    if expected is not None:
        actual = sha256_of(path)
        if actual != expected:
            return f"sha256 {actual}, expected {expected}"
    return None


# Write errors that free space or another folder cure, not a retry.
_DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


def _disk_error(path: Path, error: OSError) -> DownloadError:
    return DownloadError(
        f"could not write {path} ({error.strerror or error}). Free some disk space there, or point "
        "COURSE_DATA_DIR at a folder with room and write access, and run the cell again "
        "(an interrupted download resumes)."
    )


def _download(url: str, part: Path, size: int | None, timeout: float) -> None:
    """Append to ``part`` from ``url``, resuming where it stopped when the server allows.

    A body shorter than the server announced (a dropped connection) raises ``ConnectionError``
    and stays in ``part``, to be resumed; a write that fails for lack of room or rights raises
    :class:`DownloadError`.
    """
    have = part.stat().st_size if part.exists() else 0
    if size is not None and have >= size:  # an over-long leftover can't be resumed
        part.unlink()
        have = 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        resumed = have and getattr(response, "status", 200) == 206
        announced = response.headers.get("Content-Length")
        received = 0
        with open(part, "ab" if resumed else "wb") as out:
            # urllib ends a body that stops early without an error: count it against the announcement.
            while chunk := response.read(CHUNK):
                received += len(chunk)
                try:
                    out.write(chunk)
                except OSError as error:
                    raise (_disk_error(part, error) if error.errno in _DISK_ERRORS else error) from error
    if announced is not None and received < int(announced):
        raise ConnectionError(f"the connection closed after {received:,} of {int(announced):,} bytes")


def _safe_members(names: list[str], where: str) -> None:
    for name in names:
        pure = PurePosixPath(name.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts:
            raise DownloadError(
                f"refusing to extract {where}: member {name!r} would be written outside the "
                "target folder. The archive is unsafe; delete it and fetch again."
            )


def extract(archive: Path, kind: str, destination: Path) -> Path:
    """Extract into ``destination`` via a temporary folder, so it is complete or absent."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".extract-", dir=destination.parent))
    try:
        if kind == "zip":
            with zipfile.ZipFile(archive) as z:
                _safe_members(z.namelist(), archive.name)
                z.extractall(staging)
        elif kind == "tar":
            with tarfile.open(archive) as t:
                _safe_members(t.getnames(), archive.name)
                if any(m.issym() or m.islnk() for m in t.getmembers()):
                    raise DownloadError(f"refusing to extract {archive.name}: it holds links.")
                if hasattr(tarfile, "data_filter"):  # Python >= 3.10.12 / 3.11.4
                    t.extractall(staging, filter="data")
                else:
                    t.extractall(staging)  # members were checked above
        else:
            raise ValueError(f"unknown archive kind {kind!r}")
        if destination.exists():
            shutil.rmtree(destination)
        os.replace(staging, destination)
    except OSError as error:
        if error.errno in _DISK_ERRORS:
            raise _disk_error(destination, error) from error
        raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return destination


def fetch(dataset: str | DatasetEntry, data_dir: Path | str, timeout: float = 30.0) -> Path:
    """Return the verified dataset (its extracted folder for archives), fetching if needed.

    A cached file that does not verify is fetched again, never used. Offline, or
    when no address gives the right file, raises :class:`DownloadError` naming
    the offline alternative; a good cached copy is never deleted by a failure.
    """
    entry = lookup(dataset) if isinstance(dataset, str) else dataset
    folder = Path(data_dir) / entry.name
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / entry.filename
    part = folder / (entry.filename + ".part")
    extracted = folder / "extracted"

    if target.is_file():
        problem = _verify(entry, target, target)
        if problem is None and entry.archive and not extracted.is_dir():
            problem = _extract_or_problem(entry, target, extracted)
        if problem is None:
            _pin_first_download(entry, target)  # where a run stopped between extracting and pinning
            return extracted if entry.archive else target
        print(f"[{entry.name}] cached {target.name} is corrupted ({problem}); fetching it again.")

    errors = []
    for url in entry.urls:
        try:
            _download(url, part, entry.size, timeout)
        except (urllib.error.URLError, OSError) as exc:
            errors.append(f"{url}: {exc}")
            continue
        problem = _verify(entry, part, target)
        if problem is not None:
            errors.append(f"{url}: downloaded file has {problem}")
            part.unlink()
            continue
        os.replace(part, target)
        if entry.archive:
            problem = _extract_or_problem(entry, target, extracted)
            if problem is not None:
                errors.append(f"{url}: downloaded archive is {problem}")
                continue
        _pin_first_download(entry, target)
        return extracted if entry.archive else target

    raise DownloadError(
        f"could not fetch dataset {entry.name!r}:\n  " + "\n  ".join(errors)
        + "\nCheck the network connection and try again (an interrupted download resumes). "
        "If the file keeps failing its check, the published file changed or is damaged: "
        f"please report it. Meanwhile, use {entry.offline_alternative}."
    )


def _extract_or_problem(entry: DatasetEntry, target: Path, extracted: Path) -> str | None:
    """Extract ``target``; None when that worked, else what is wrong with the archive.

    A damaged archive without a published checksum is removed with its pin (a pin of a damaged
    file, pinned before the archive was tested, would otherwise refuse every good download).
    """
    try:
        extract(target, entry.archive, extracted)
        return None
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, zlib.error) as error:
        if entry.sha256 is not None:  # the published file itself: nothing a new download cures
            raise DownloadError(f"{target} matches its published checksum but cannot be extracted "
                                f"({error}); please report it. Meanwhile, use "
                                f"{entry.offline_alternative}.") from error
        target.unlink()
        _pin_path(target).unlink(missing_ok=True)
        return f"damaged ({error})"


def _pin_first_download(entry: DatasetEntry, target: Path) -> None:
    """Without a published checksum, the first verified, extracted download's sha256 is pinned."""
    pin = _pin_path(target)
    if entry.sha256 is None and not pin.is_file():
        pin.write_text(sha256_of(target) + "\n")
        print(f"[{entry.name}] no published checksum; pinned this download's sha256 in {pin.name}")


def find_extracted(folder: Path | str, name: str) -> Path:
    """The first file called ``name`` anywhere under an extracted archive ``folder``."""
    matches = sorted(Path(folder).rglob(name))
    if not matches:
        raise FileNotFoundError(f"{name} is not in {folder}; the archive is incomplete. Delete the "
                                f"folder and fetch it again.")
    return matches[0]
