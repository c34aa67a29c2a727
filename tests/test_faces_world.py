"""The faces world: deterministic, cached, and its voices carry exactly the declared face attributes."""

import numpy as np
import pytest
from helpers import cache_only, lowest_pitch_heard

from course_utils.core.audio import SAMPLE_RATE
from course_utils.worlds import faces as faces_world
from course_utils.worlds.faces import (
    CATEGORICAL,
    CLASS_NAMES,
    CONTINUOUS,
    FACE_SIZE,
    NOT_IN_THE_VOICE,
    SKIN_TONES,
    VOICE_LINKS,
    canonical_views,
    make_faces,
    render_faces,
    sample_identities,
    sample_views,
)


@pytest.fixture(scope="module")
def faces():
    return make_faces(400, "train", pictures=2, utterances=1, seconds=0.5, seed=0)


def test_every_attribute_is_declared_once_as_in_or_not_in_the_voice():
    declared = list(VOICE_LINKS) + list(NOT_IN_THE_VOICE)
    assert sorted(declared) == sorted([*CONTINUOUS, *CATEGORICAL]) and len(set(declared)) == len(declared)
    assert set(CLASS_NAMES) == {"head_size", "jaw", *CATEGORICAL}


def test_shapes_ranges_and_determinism(faces):
    assert faces.images.shape == (400, 2, FACE_SIZE, FACE_SIZE, 3) and faces.images.dtype == np.uint8
    assert faces.canonical.shape == (400, FACE_SIZE, FACE_SIZE, 3)
    assert faces.waves.shape == (400, 1, SAMPLE_RATE // 2) and faces.waves.dtype == np.float32
    assert 0.45 < np.abs(faces.waves).max() <= 0.51
    for name in ("head_size", "jaw"):  # two groups with a gap, so small/large is well defined
        values = faces.identities[name]
        assert not ((values > 0.4) & (values < 0.6)).any() and 0.35 < (values > 0.5).mean() < 0.65
    again = make_faces(400, "train", pictures=2, utterances=1, seconds=0.5, seed=0)
    assert np.array_equal(again.images, faces.images) and np.array_equal(again.waves, faces.waves)
    other = make_faces(400, "test", pictures=2, utterances=1, seconds=0.5, seed=0)
    assert not np.allclose(other.identities["head_size"], faces.identities["head_size"])
    # Two pictures of one person differ (pose, expression, light, background).
    assert (faces.images[:, 0] != faces.images[:, 1]).mean() > 0.3


def test_voices_carry_the_declared_attributes_and_nothing_else(faces):
    ids = faces.identities
    assert np.corrcoef(ids["head_size"], faces.tract_cm)[0, 1] > 0.95
    assert np.corrcoef(ids["jaw"], np.log(faces.pitch_hz))[0, 1] < -0.95
    heard = np.array([lowest_pitch_heard(w[0]) for w in faces.waves])
    assert np.corrcoef(ids["jaw"], np.log(heard))[0, 1] < -0.8  # in the sound, not only the settings
    for name in NOT_IN_THE_VOICE:
        for voice in (faces.tract_cm, np.log(faces.pitch_hz)):
            assert abs(np.corrcoef(ids[name], voice)[0, 1]) < 0.15, name
    assert abs(np.corrcoef(ids["head_size"], ids["jaw"])[0, 1]) < 0.15  # the two links are independent


def test_the_pictures_show_the_attributes(faces):
    # The head's width on the canonical picture grows with the head size.
    row = faces.canonical[:, FACE_SIZE // 2 + 4].astype(int)  # a row through the cheeks
    width = (np.abs(row - row[:, :1]).sum(-1) > 30).sum(axis=1)  # pixels unlike the backdrop
    assert np.corrcoef(faces.identities["head_size"], width)[0, 1] > 0.8
    # The jaw shows in the lower face: under the mouth, a broad jaw makes the face wider than at
    # the eyes (a square jaw), a narrow one tapers to a point; in between, the wider the broader.
    tones = np.array(list(SKIN_TONES.values()))[faces.identities["skin_tone"].astype(int)]
    radius = 15 + 7 * faces.identities["head_size"]

    def skin_width(v):  # skin pixels on the row at height v of the head (0 = centre, 1 = chin)
        rows = np.round(FACE_SIZE / 2 + 1 + v * radius - 0.5).astype(int)
        pixels = faces.canonical[np.arange(len(rows)), rows].astype(int)
        return (np.abs(pixels - tones[:, None]).sum(-1) < 6).sum(axis=1)

    taper = skin_width(0.8) / skin_width(0.0)
    broad = faces.identities["jaw"] > 0.5
    assert taper[broad].mean() > taper[~broad].mean() + 0.5
    assert ((taper > 1.0) == broad).mean() > 0.9
    assert np.corrcoef(taper, faces.identities["jaw"])[0, 1] > 0.8  # exact values show, not only groups
    # A cheek pixel of the canonical face has the identity's skin tone.
    tones = np.array(list(SKIN_TONES.values()))
    cheek = faces.canonical[:, FACE_SIZE // 2 + 4, FACE_SIZE // 2 - 9].astype(int)
    assert (np.abs(cheek - tones[faces.identities["skin_tone"].astype(int)]).sum(-1) < 6).mean() > 0.95


def test_canonical_faces_share_pose_and_backdrop_and_a_turn_changes_the_picture():
    ids = sample_identities(3, seed=5)
    frontal = render_faces(ids, canonical_views(3))
    assert (frontal[:, :2] == frontal[0, :2]).all()  # the same grey backdrop above every head
    turned = canonical_views(3)
    turned["yaw"] = turned["yaw"] + 0.6
    assert (render_faces(ids, turned) != frontal).any(axis=-1).sum(axis=(1, 2)).min() > 20


def test_drawing_some_pixels_gives_those_pixels_of_the_whole_picture():
    ids, views = sample_identities(5, seed=3), sample_views(5, np.random.default_rng(3))
    whole = render_faces(ids, views)
    rng = np.random.default_rng(4)
    rows = np.sort(rng.integers(0, FACE_SIZE, (5, 7)), axis=1)
    columns = rng.integers(0, FACE_SIZE, (5, 9))
    columns[:, 0] = [0, FACE_SIZE - 1, 0, FACE_SIZE - 1, 5]  # the picture's edges too
    part = render_faces(ids, views, rows, columns)
    assert part.shape == (5, 7, 9, 3)
    assert np.array_equal(part, whole[np.arange(5)[:, None, None], rows[:, :, None], columns[:, None, :]])


def test_cache_is_reused_and_rebuilt_when_corrupt(tmp_path, monkeypatch):
    made = make_faces(6, "test", pictures=1, utterances=1, seconds=0.25, seed=2, data_dir=tmp_path)
    (cache,) = (tmp_path / "faces_world").glob("*.npz")
    with monkeypatch.context() as patch:
        patch.setattr(faces_world, "cached_npz", cache_only)
        reused = make_faces(6, "test", pictures=1, utterances=1, seconds=0.25, seed=2, data_dir=tmp_path)
    assert np.array_equal(reused.images, made.images) and np.array_equal(reused.waves, made.waves)
    cache.write_bytes(b"broken")
    rebuilt = make_faces(6, "test", pictures=1, utterances=1, seconds=0.25, seed=2, data_dir=tmp_path)
    assert np.array_equal(rebuilt.waves, made.waves) and np.load(cache)["images"].shape[0] == 6


def test_bad_requests_say_what_is_wrong():
    with pytest.raises(ValueError, match="split must be one of"):
        make_faces(3, "validation")
    with pytest.raises(ValueError, match="at least 1"):
        make_faces(0)
