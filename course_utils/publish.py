"""Move the course to another repository address in every place that names it.

    python -m course_utils.publish https://github.com/OWNER/REPO
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from . import COURSE_REPOSITORY
from .paths import course_root

_ADDRESS = re.compile(r"^https://github\.com/[\w.-]+/[\w.-]+$")


def colab_badge_url(repository: str, notebook_name: str) -> str:
    """The "Open in Colab" link of a notebook in ``notebooks/`` of ``repository``."""
    path = repository.removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{path}/blob/main/notebooks/{notebook_name}"


def files_naming_the_repository(root: Path) -> list[Path]:
    return [root / "README.md", root / "course_utils" / "__init__.py",
            *sorted((root / "notebooks").glob("*.ipynb"))]


def publish(new_address: str, root: Path | None = None) -> list[Path]:
    new_address = new_address.rstrip("/")
    if not _ADDRESS.match(new_address):
        raise ValueError(f"{new_address!r} is not a GitHub address like https://github.com/OWNER/REPO")
    root = root or course_root()
    old_path = COURSE_REPOSITORY.removeprefix("https://github.com/")
    new_path = new_address.removeprefix("https://github.com/")
    changed = []
    for path in files_naming_the_repository(root):
        text = path.read_text(encoding="utf-8")
        updated = text.replace(COURSE_REPOSITORY, new_address).replace(
            f"colab.research.google.com/github/{old_path}/", f"colab.research.google.com/github/{new_path}/")
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            changed.append(path)
    return changed


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for changed_path in publish(sys.argv[1]):
        print(f"updated {changed_path}")
