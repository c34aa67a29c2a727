"""The ESC-50 loader on a fixture archive in the published layout, served locally."""

import hashlib

import numpy as np
import pytest
from esc50_fixture import esc50_archive
from http_fixture import FileServer

from course_utils.datasets import DatasetEntry
from course_utils.datasets.esc50 import load_esc50, read_esc50


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
