"""The ESC-50 loader on a fixture archive in the published layout, served locally."""

import hashlib
import io

import numpy as np
import pytest
import soundfile
from helpers import zip_bytes
from http_fixture import FileServer

from course_utils.datasets import DatasetEntry
from course_utils.datasets.esc50 import load_esc50, read_esc50

CATEGORIES = {0: "dog", 1: "rooster", 10: "rain"}


def wav_bytes(frequency, seconds=0.5, rate=44_100):
    t = np.arange(int(seconds * rate)) / rate
    buffer = io.BytesIO()
    soundfile.write(buffer, 0.4 * np.sin(2 * np.pi * frequency * t), rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def esc50_archive():
    """Two clips per class and fold 1-5 spread over them, as ESC-50-master/{meta,audio}."""
    rows, members = ["filename,fold,target,category,esc10,src_file,take"], {}
    for i, (target, category) in enumerate(sorted(CATEGORIES.items()) * 2):
        name = f"{i % 5 + 1}-{1000 + i}-A-{target}.wav"
        rows.append(f"{name},{i % 5 + 1},{target},{category},{target != 1},{1000 + i},A")
        members[f"ESC-50-master/audio/{name}"] = wav_bytes(200 + 100 * target)
    members["ESC-50-master/meta/esc50.csv"] = "\n".join(rows) + "\n"
    return zip_bytes(members)


def test_clips_labels_and_folds_through_the_registry(tmp_path):
    archive = esc50_archive()
    with FileServer() as server:
        server.files["/esc.zip"] = archive
        entry = DatasetEntry("esc50", (server.url("/esc.zip"),), "ESC-50-master.zip", len(archive),
                             hashlib.sha256(archive).hexdigest(), "zip", "the sound world")
        events = load_esc50(tmp_path, dataset=entry)
    assert events.classes == ("dog", "rooster", "rain")
    assert events.waves.shape == (6, 8000) and events.sample_rate == 16_000  # resampled from 44.1 kHz
    assert events.labels.tolist() == [0, 1, 2, 0, 1, 2] and events.folds.tolist() == [0, 1, 2, 3, 4, 0]
    spectrum = np.abs(np.fft.rfft(events.waves[2]))
    assert np.fft.rfftfreq(8000, 1 / 16_000)[spectrum.argmax()] == pytest.approx(1200, abs=4)
    assert (tmp_path / "esc50_arrays" / "esc50-16000hz.npz").is_file()
    esc10 = read_esc50(tmp_path / "esc50" / "extracted", esc10_only=True)
    assert esc10.classes == ("dog", "rain") and len(esc10) == 4


def test_missing_metadata_is_a_clear_error(tmp_path):
    (tmp_path / "ESC-50-master" / "audio").mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match="fetch it again"):
        read_esc50(tmp_path)
