"""Move the course to another repository address, or another package version, everywhere.

    python -m course_utils.instructor.publish https://github.com/OWNER/REPO [--version TAG]

The address and the version (a tag of that repository) appear in the package, in every
notebook's setup cell (Colab installs ``git+ADDRESS@VERSION``), in the Colab badges and in
the README. Tag the repository with the new version (``git tag TAG && git push --tags``) so
that the notebooks' install line finds it.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..core.files import write_text_atomically
from ..session.colab import COURSE_REPOSITORY, COURSE_VERSION
from ..session.paths import course_root

_ADDRESS = re.compile(r"^https://github\.com/[\w.-]+/[\w.-]+$")
_VERSION = re.compile(r"^[\w.-]+$")
# The assignment as Python writes it, or inside a notebook's JSON (quotes escaped).
_VERSION_LINE = re.compile(r'(COURSE_VERSION = \\?")[^"\\]*(\\?")')


# The instructor versions (solutions, hidden tests) and the student versions that `make student`
# publishes, each folder with its own badges.
INSTRUCTOR_FOLDER, STUDENT_FOLDER = "notebooks", "student"


def colab_badge_url(repository: str, notebook_name: str, folder: str = INSTRUCTOR_FOLDER) -> str:
    """The "Open in Colab" link of a notebook in ``folder`` of ``repository``."""
    path = repository.removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{path}/blob/main/{folder}/{notebook_name}"


def files_naming_the_repository(root: Path) -> list[Path]:
    return [root / "README.md", root / "course_utils" / "session" / "colab.py",
            *(path for folder in (INSTRUCTOR_FOLDER, STUDENT_FOLDER, "templates")
              for path in sorted((root / folder).glob("*.ipynb")))]


def publish(new_address: str, root: Path | None = None, version: str = COURSE_VERSION) -> list[Path]:
    """Rewrite the address (and the version) in every file that names them; return those changed."""
    new_address = new_address.rstrip("/")
    # fullmatch: with match, "$" would let a trailing newline through into every file.
    owner_and_name = new_address.removeprefix("https://github.com/").split("/")
    if (not _ADDRESS.fullmatch(new_address) or new_address.endswith(".git")
            or any(part in (".", "..") for part in owner_and_name)):
        raise ValueError(f"{new_address!r} is not a GitHub address like https://github.com/OWNER/REPO "
                         "(without .git)")
    if not _VERSION.fullmatch(version):
        raise ValueError(f"{version!r} is not a tag or commit name (letters, digits, '.', '-', '_')")
    root = root or course_root()
    old_path = COURSE_REPOSITORY.removeprefix("https://github.com/")
    new_path = new_address.removeprefix("https://github.com/")
    # Every file is read and rewritten in memory first: one that cannot be read stops the move
    # before any file changes, so the course never names two addresses at once.
    updates = {}
    for path in files_naming_the_repository(root):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"cannot read {path} ({error}); nothing was changed. Repair or restore it "
                             "(git checkout), then publish again.") from None
        updated = text.replace(COURSE_REPOSITORY, new_address).replace(
            f"colab.research.google.com/github/{old_path}/", f"colab.research.google.com/github/{new_path}/")
        updated = _VERSION_LINE.sub(lambda match: f"{match.group(1)}{version}{match.group(2)}", updated)
        if updated != text:
            updates[path] = updated
    for path, updated in updates.items():
        write_text_atomically(path, updated)
    return list(updates)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Publish the course under another address or version.")
    parser.add_argument("address", help="https://github.com/OWNER/REPO")
    parser.add_argument("--version", default=COURSE_VERSION,
                        help=f"the tag or commit the notebooks install on Colab (now {COURSE_VERSION})")
    args = parser.parse_args(argv)
    try:
        changed = publish(args.address, version=args.version)
    except ValueError as error:
        parser.error(str(error))
    for changed_path in changed:
        print(f"updated {changed_path}")
    if args.version != COURSE_VERSION:
        print(f"Set `version` in pyproject.toml to {args.version.removeprefix('v')} as well: the package's "
              "version and the notebooks' COURSE_VERSION must agree (a test checks it).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
