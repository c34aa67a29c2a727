"""Talking faces: the mouth follows the voice, the crops track the mouth, mixtures keep their sources."""

import numpy as np
import pytest
from helpers import cache_only, lowest_pitch_heard

from course_utils.core.audio import SAMPLE_RATE
from course_utils.worlds import talking_faces
from course_utils.worlds.talking_faces import (
    MOUTH_CROP,
    crop_mouths,
    make_mixtures,
    make_talking_faces,
    mouth_centres,
)


@pytest.fixture(scope="module")
def clips():
    return make_talking_faces(60, "train", seconds=1.0, seed=0)


def lip_pixels(mouths):
    """Lip-coloured pixels per crop (much redder than green, unlike every skin tone)."""
    m = mouths.astype(int)
    return ((m[..., 0] - m[..., 1]) > 70).sum(axis=(-2, -1))


def test_shapes_and_determinism(clips):
    assert clips.waves.shape == (60, SAMPLE_RATE) and clips.waves.dtype == np.float32
    assert clips.mouths.shape == (60, 25, *MOUTH_CROP, 3) and clips.mouth_opening.shape == (60, 25)
    assert clips.views["yaw"].shape == (60, 25) and clips.views["background"].shape == (60, 25, 3)
    again = make_talking_faces(60, "train", seconds=1.0, seed=0)
    assert np.array_equal(again.mouths, clips.mouths) and np.array_equal(again.waves, clips.waves)
    other = make_talking_faces(60, "test", seconds=1.0, seed=0)
    assert not np.allclose(other.identities["jaw"], clips.identities["jaw"])


def test_the_mouth_opens_with_the_voice_and_the_crop_tracks_it(clips):
    lips = lip_pixels(clips.mouths)
    assert (lips > 0).mean() > 0.95  # the mouth is inside its crop in (almost) every frame
    within_clip = [np.corrcoef(lips[i], clips.mouth_opening[i])[0, 1] for i in range(len(clips))]
    assert np.median(within_clip) > 0.9
    # The envelope per frame is the loudness of the sound in that frame.
    loudness = np.abs(clips.waves).reshape(60, 25, -1).mean(-1)
    assert np.median([np.corrcoef(loudness[i], clips.mouth_opening[i])[0, 1] for i in range(60)]) > 0.8
    # The stored crops are the crops of the drawn video.
    frames = clips.frames(3)
    views = {name: values[3] for name, values in clips.views.items()}
    identity = {name: np.repeat(values[3], 25) for name, values in clips.identities.items()}
    assert np.array_equal(crop_mouths(frames, mouth_centres(identity, views)), clips.mouths[3])
    # The head moves a little between frames.
    assert 0 < np.ptp(clips.views["dx"], axis=1).mean() < 4


def test_a_crop_that_leaves_the_picture_repeats_its_edge():
    pictures = np.random.default_rng(0).integers(0, 256, (2, 64, 64, 3), dtype=np.uint8)
    crops = crop_mouths(pictures, np.array([[2.0, 60.0], [32.0, 32.0]]))  # (x, y) near a corner; the centre
    padded = np.pad(pictures[0], ((16, 16), (16, 16), (0, 0)), mode="edge")
    assert np.array_equal(crops[0], padded[16 + 60 - 8:16 + 60 + 8, 16 + 2 - 12:16 + 2 + 12])
    assert np.array_equal(crops[1], pictures[1, 24:40, 20:44])


def test_another_intonation_changes_the_voices_not_the_people(tmp_path):
    falling = make_talking_faces(4, "test", seconds=0.5, seed=1, data_dir=tmp_path)
    for intonation in ("free", "accented"):
        other = make_talking_faces(4, "test", seconds=0.5, seed=1, data_dir=tmp_path, intonation=intonation)
        assert not np.array_equal(falling.waves, other.waves)
        assert np.array_equal(falling.identities["jaw"], other.identities["jaw"])
    assert len(list((tmp_path / "faces_world").glob("*.npz"))) == 3  # cached apart
    with pytest.raises(ValueError, match="intonation"):
        make_talking_faces(4, "test", seconds=0.5, intonation="sung", data_dir=tmp_path)


def test_voices_follow_the_faces_world_rules(clips):
    heard = np.array([lowest_pitch_heard(w) for w in clips.waves])
    assert np.corrcoef(clips.identities["jaw"], np.log(heard))[0, 1] < -0.8


def test_mixtures_add_two_different_voices_at_the_asked_ratio(clips):
    mix = make_mixtures(clips, 40, seed=1, loudness_db=6.0)
    assert (mix.pairs[:, 0] != mix.pairs[:, 1]).all() and mix.noise is None
    assert np.allclose(mix.sources.sum(axis=1), mix.mixture, atol=1e-6)
    measured = 10 * np.log10(np.mean(mix.sources[:, 0] ** 2, 1) / np.mean(mix.sources[:, 1] ** 2, 1))
    assert np.allclose(measured, mix.loudness_db, atol=1e-3) and np.abs(mix.loudness_db).max() <= 6.0
    assert np.abs(mix.mixture).max() <= 0.9 + 1e-6
    # Each source is its clip's wave, scaled.
    first = clips.waves[mix.pairs[:, 0]]
    assert abs(np.corrcoef(first[0], mix.sources[0, 0])[0, 1] - 1) < 1e-6
    noisy = make_mixtures(clips, 40, seed=1, noise_snr_db=5.0)
    assert np.allclose(noisy.sources.sum(axis=1) + noisy.noise, noisy.mixture, atol=1e-6)
    snr = 10 * np.log10(np.mean(noisy.sources.sum(1) ** 2, 1) / np.mean(noisy.noise**2, 1))
    assert np.allclose(snr, 5.0, atol=1e-3)
    assert np.array_equal(make_mixtures(clips, 40, seed=1, loudness_db=6.0).mixture, mix.mixture)


def test_cache_is_reused_and_rebuilt_when_corrupt(tmp_path, monkeypatch):
    made = make_talking_faces(3, "test", seconds=0.4, seed=2, data_dir=tmp_path)
    (cache,) = (tmp_path / "faces_world").glob("talking*.npz")
    with monkeypatch.context() as patch:
        patch.setattr(talking_faces, "cached_npz", cache_only)
        reused = make_talking_faces(3, "test", seconds=0.4, seed=2, data_dir=tmp_path)
    assert np.array_equal(reused.mouths, made.mouths) and np.array_equal(reused.waves, made.waves)
    cache.write_bytes(b"broken")
    rebuilt = make_talking_faces(3, "test", seconds=0.4, seed=2, data_dir=tmp_path)
    assert np.array_equal(rebuilt.mouths, made.mouths) and np.load(cache)["waves"].shape == (3, 6400)


def test_bad_requests_say_what_is_wrong(clips):
    with pytest.raises(ValueError, match="split must be one of"):
        make_talking_faces(2, "val")
    with pytest.raises(ValueError, match="at least one video frame"):
        make_talking_faces(2, seconds=0.01)
    with pytest.raises(ValueError, match="at least two clips"):
        make_mixtures(make_talking_faces(1, seconds=0.2), 3, seed=0)
