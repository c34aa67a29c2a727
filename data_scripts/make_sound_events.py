"""Write the sound world's labelled event set as WAV files, in ESC-50's layout.

    python data_scripts/make_sound_events.py OUT_DIR [--per-class N] [--seed S]

``OUT_DIR/audio/<fold>-<index>-A-<class id>.wav`` holds the one-second 16 kHz clips and
``OUT_DIR/meta/esc50.csv`` their fold, class id and class name, so that any tool written for
ESC-50 (``course_utils.datasets.esc50.read_esc50`` among them) reads the set unchanged.

A set that this script wrote before is replaced whole: the new clips are written beside it and
swapped in once all of them are there, so a run that stops half-way leaves the old set as it was
(what a killed run left behind is tidied away by the next run, keeping the set its table lists).
Every clip folder it writes holds a hidden mark, so that one a first run left without its table is
known as its own. Any other ``audio`` folder or ``esc50.csv`` (ESC-50 itself, say) is refused,
never overwritten.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
from pathlib import Path

from course_utils.core.audio import write_wav
from course_utils.core.files import atomic_write, unfinished_writes
from course_utils.worlds.sound_events import EVENT_CLASSES, make_sound_events

# Hidden folders beside the set: the new clips while they are written, the old ones during the swap.
STAGED_PREFIX, SET_ASIDE_PREFIX = ".audio.partial-", ".audio.old-"
MARK = ".written-by-make_sound_events"  # inside every clip folder this script writes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the sound-event set as WAV files.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--per-class", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.per_class < 1:
        parser.error(f"--per-class must be at least 1 (got {args.per_class})")
    audio, table = args.out_dir / "audio", args.out_dir / "meta" / "esc50.csv"
    foreign = foreign_set(audio, table)
    if foreign:
        parser.error(f"{args.out_dir} already holds {foreign}, which this script did not write; "
                     "choose an empty folder, or move that set away first")
    events = make_sound_events(args.per_class, seed=args.seed)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    tidy_after_killed_run(args.out_dir, audio, table)
    staged = Path(tempfile.mkdtemp(dir=args.out_dir, prefix=STAGED_PREFIX))
    try:
        (staged / MARK).touch()
        rows = []
        for index, (wave, label, fold) in enumerate(zip(events.waves, events.labels, events.folds)):
            name = f"{fold + 1}-{index}-A-{label}.wav"
            write_wav(staged / name, wave, events.sample_rate)
            rows.append({"filename": name, "fold": fold + 1, "target": label,
                         "category": events.classes[label], "esc10": False, "src_file": index, "take": "A"})
        swap_in(staged, audio, lambda: write_table(table, rows))
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    print(f"{len(rows)} clips of {len(events.classes)} classes in {args.out_dir}")
    return 0


def foreign_set(audio: Path, table: Path) -> str | None:
    """What stands at ``audio`` or ``table`` that this script did not write, or None.

    A table of the sound world's classes is taken as this script's; an ``audio`` folder counts as
    this script's beside such a table, or alone if it holds the script's mark (a first run killed
    before its table was written)."""
    if table.exists():
        try:
            with table.open(newline="", encoding="utf-8") as handle:
                categories = {row["category"] for row in csv.DictReader(handle)}
        except (OSError, UnicodeDecodeError, KeyError, csv.Error):
            return f"a table {table} that cannot be read as this script's"
        unknown = sorted(categories - set(EVENT_CLASSES))
        if unknown:
            return f"a table {table} of other classes ({', '.join(unknown[:3])} ...)"
    elif audio.exists() and not (audio / MARK).exists():
        return f"an audio folder {audio} with no esc50.csv beside it"
    return None


def tidy_after_killed_run(out_dir: Path, audio: Path, table: Path) -> None:
    """Remove what a run killed part-way left beside the set: its unfinished clips, its unfinished
    table, a first run's clips that no table lists and, if it was killed during the swap, whichever
    of the two clip folders its table does not list (the old clips go back when the table was still
    the old one)."""
    for staged in out_dir.glob(f"{STAGED_PREFIX}*"):
        shutil.rmtree(staged)
    for unfinished_table in unfinished_writes(table):
        unfinished_table.unlink()
    if audio.exists() and not table.exists() and (audio / MARK).exists():  # a first run's, killed
        shutil.rmtree(audio)
    for old in out_dir.glob(f"{SET_ASIDE_PREFIX}*"):
        if table.exists() and listed_files(table) == clip_names(old) != clip_names(audio):
            shutil.rmtree(audio, ignore_errors=True)
            old.rename(audio)
        else:
            shutil.rmtree(old)


def listed_files(table: Path) -> set[str]:
    with table.open(newline="", encoding="utf-8") as handle:
        return {row["filename"] for row in csv.DictReader(handle)}


def clip_names(folder: Path) -> set[str]:
    return {path.name for path in folder.glob("*.wav")}


def write_table(table: Path, rows: list[dict]) -> None:
    def write(partial: str) -> None:
        with open(partial, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)

    atomic_write(table, write)


def swap_in(staged: Path, audio: Path, write_new_table) -> None:
    """Put the finished ``staged`` folder at ``audio``, then write the table that lists it.

    The old folder is kept aside until the new table is in place, and put back if writing it fails.
    """
    old = audio.with_name(SET_ASIDE_PREFIX + staged.name.removeprefix(STAGED_PREFIX))
    if audio.exists():
        audio.rename(old)
    staged.rename(audio)
    try:
        write_new_table()
    except BaseException:
        shutil.rmtree(audio, ignore_errors=True)
        if old.exists():
            old.rename(audio)
        raise
    shutil.rmtree(old, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
