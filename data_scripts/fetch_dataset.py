"""Download a registry dataset into the course's data folder, verified and extracted.

    python data_scripts/fetch_dataset.py --list
    python data_scripts/fetch_dataset.py text8 [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course_utils.datasets import REGISTRY, DownloadError, fetch
from course_utils.session.paths import data_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fetch a dataset of the course registry.")
    parser.add_argument("name", nargs="?", choices=sorted(REGISTRY))
    parser.add_argument("--data-dir", type=Path, default=None, help="default: the course data folder")
    parser.add_argument("--list", action="store_true", help="list the registry and exit")
    args = parser.parse_args(argv)
    if args.list or not args.name:
        for entry in REGISTRY.values():
            size = f"{entry.size / 2**20:8.1f} MiB" if entry.size else f"{'size ?':>12}"
            print(f"{entry.name:<16} {size}  {entry.description}")
        return 0
    try:
        path = fetch(args.name, args.data_dir or data_dir())
    except DownloadError as error:
        print(error, file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
