"""Write the sound world's labelled event set as WAV files, in ESC-50's layout.

    python data_scripts/make_sound_events.py OUT_DIR [--per-class N] [--seed S]

``OUT_DIR/audio/<fold>-<index>-A-<class id>.wav`` holds the one-second 16 kHz clips and
``OUT_DIR/meta/esc50.csv`` their fold, class id and class name, so that any tool written for
ESC-50 (``course_utils.datasets.esc50.read_esc50`` among them) reads the set unchanged.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from course_utils.core.audio import write_wav
from course_utils.core.files import atomic_write
from course_utils.worlds.sound_events import make_sound_events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the sound-event set as WAV files.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--per-class", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.per_class < 1:
        parser.error(f"--per-class must be at least 1 (got {args.per_class})")
    events = make_sound_events(args.per_class, seed=args.seed)
    (args.out_dir / "meta").mkdir(parents=True, exist_ok=True)
    rows = []
    for index, (wave, label, fold) in enumerate(zip(events.waves, events.labels, events.folds)):
        name = f"{fold + 1}-{index}-A-{label}.wav"
        write_wav(args.out_dir / "audio" / name, wave, events.sample_rate)
        rows.append({"filename": name, "fold": fold + 1, "target": label, "category": events.classes[label],
                     "esc10": False, "src_file": index, "take": "A"})

    def write_table(partial: str) -> None:
        with open(partial, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)

    atomic_write(args.out_dir / "meta" / "esc50.csv", write_table)  # a failure keeps the old table
    print(f"{len(rows)} clips of {len(events.classes)} classes in {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
