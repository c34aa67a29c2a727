"""A small ESC-50 archive in the published layout, for the loader and notebook tests."""

import io

import numpy as np
import soundfile
from helpers import zip_bytes

CATEGORIES = {0: "dog", 1: "rooster", 10: "rain"}


def wav_bytes(frequency, seconds=0.5, rate=44_100):
    t = np.arange(int(seconds * rate)) / rate
    buffer = io.BytesIO()
    soundfile.write(buffer, 0.4 * np.sin(2 * np.pi * frequency * t), rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def esc50_archive(clips_per_class=2):
    """``clips_per_class`` tones per class (its pitch names it), folds 1-5 in turn, as
    ESC-50-master/{meta/esc50.csv,audio/*.wav}."""
    rows, members = ["filename,fold,target,category,esc10,src_file,take"], {}
    for i, (target, category) in enumerate(sorted(CATEGORIES.items()) * clips_per_class):
        name = f"{i % 5 + 1}-{1000 + i}-A-{target}.wav"
        rows.append(f"{name},{i % 5 + 1},{target},{category},{target != 1},{1000 + i},A")
        members[f"ESC-50-master/audio/{name}"] = wav_bytes(200 + 100 * target + 7 * (i // 3))
    members["ESC-50-master/meta/esc50.csv"] = "\n".join(rows) + "\n"
    return zip_bytes(members)


def install_esc50(data_dir, clips_per_class=2):
    """Place the fixture archive where the registry's ESC-50 entry looks for it."""
    (data_dir / "esc50").mkdir(parents=True, exist_ok=True)
    (data_dir / "esc50" / "ESC-50-master.zip").write_bytes(esc50_archive(clips_per_class))
