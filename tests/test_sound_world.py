"""The sound world: sounds, the labelled event set, sounding scenes, voices, WAV files."""

import copy

import numpy as np
import pytest
from helpers import cache_only

from course_utils.core.audio import (
    PCM_FULL_SCALE,
    SAMPLE_RATE,
    from_pcm16,
    read_wav,
    resample,
    to_pcm16,
    write_wav,
)
from course_utils.core.seeds import stream
from course_utils.worlds import sound_events, sounding_scenes
from course_utils.worlds.shapes import COLOURS, SHAPES, SIZES
from course_utils.worlds.sound_events import EVENT_CLASSES, Difficulty, make_sound_events, random_clip
from course_utils.worlds.sounding_scenes import PLACES, make_sounding_scenes, soundtrack
from course_utils.worlds.sounds import (
    AMBIENCES,
    REGISTER_HZ,
    SHAPE_SOUNDS,
    SOUNDS,
    make_sound,
    mix_at_snr,
    plan_ambience,
    plan_placed_sound,
    plan_sound,
    render_all,
    sound_length,
)
from course_utils.worlds.voices import ACCENT_GLIDE, ACCENT_REACH, Speaker, speak


def dominant_frequency(wave):
    spectrum = np.abs(np.fft.rfft(wave * np.hanning(len(wave))))
    return np.fft.rfftfreq(len(wave), 1 / SAMPLE_RATE)[spectrum.argmax()]


def test_colour_sets_the_register_and_sounds_are_deterministic():
    rng = np.random.default_rng(0)
    reed_red = make_sound("square", 0.5, REGISTER_HZ["red"], rng)
    assert abs(dominant_frequency(reed_red) - REGISTER_HZ["red"]) < 5  # a reed's loudest partial is F0
    low, high = (make_sound("diamond", 0.5, REGISTER_HZ[colour], np.random.default_rng(1))
                 for colour in ("red", "blue"))
    assert dominant_frequency(high) > 2 * dominant_frequency(low)
    again = make_sound("square", 0.5, REGISTER_HZ["red"], np.random.default_rng(0))
    assert np.array_equal(reed_red, again) and np.abs(reed_red).max() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="unknown sound"):
        make_sound("hexagon", 0.5, 200.0, rng)


def test_mix_at_snr_sets_the_power_ratio():
    rng = np.random.default_rng(2)
    signal, noise = rng.standard_normal(8000), 3 * rng.standard_normal(8000)
    mixed = mix_at_snr(signal, noise, 10.0)
    assert 10 * np.log10(np.mean(signal**2) / np.mean((mixed - signal) ** 2)) == pytest.approx(10.0)


def test_event_set_is_balanced_deterministic_and_cached(tmp_path, monkeypatch):
    events = make_sound_events(4, seed=3, data_dir=tmp_path)
    assert len(EVENT_CLASSES) >= 10 and events.waves.shape == (4 * len(EVENT_CLASSES), SAMPLE_RATE)
    assert np.bincount(events.labels).tolist() == [4] * len(EVENT_CLASSES)
    assert set(events.folds.tolist()) == {0, 1, 2, 3, 4}
    assert np.abs(events.waves).max() <= 0.5 + 1e-6
    with monkeypatch.context() as patch:
        patch.setattr(sound_events, "cached_npz", cache_only)
        cached = make_sound_events(4, seed=3, data_dir=tmp_path)
    assert np.array_equal(cached.waves, events.waves)
    assert not np.array_equal(make_sound_events(4, seed=4).waves, events.waves)
    for cache in (tmp_path / "sound_world").glob("*.npz"):
        cache.write_bytes(b"broken")  # a corrupted cache is made again
    assert np.array_equal(make_sound_events(4, seed=3, data_dir=tmp_path).waves, events.waves)


def test_sounding_scenes_pair_pictures_with_their_sounds(monkeypatch):
    drawn = []  # the random stream as each soundtrack began to be drawn, in the order they were

    def drawing(objects, place, clip, rng):
        drawn.append(copy.deepcopy(rng))
        return soundtrack(objects, place, clip, rng)

    with monkeypatch.context() as patch:
        patch.setattr(sounding_scenes, "soundtrack", drawing)
        scenes = make_sounding_scenes(12, seed=0)
    assert scenes.images.shape == (12, 64, 64, 3) and scenes.waves.shape == (12, SAMPLE_RATE)
    assert set(scenes.places) == set(PLACES) and scenes.place.max() < len(PLACES)
    assert scenes.sounding[:, 0].all() and not (scenes.sounding & (scenes.scenes.shape < 0)).any()
    assert [sound.__name__ for sound in SHAPE_SOUNDS.values()] == list(EVENT_CLASSES[:5])
    assert np.abs(scenes.waves).max() <= 0.5 + 1e-6
    assert len(drawn) == 12 and len(set(scenes.place)) == len(PLACES)
    # The picture shows its place: a grey street, a green garden or a brown home around the objects.
    uncovered = ~scenes.scenes.masks(slice(None)).any(axis=1)
    for image, place, free in zip(scenes.images, scenes.place, uncovered):
        red, green, blue = image[free].astype(float).mean(axis=0)
        shown = "garden" if green > red + 30 else "home" if red > blue + 30 else "street"
        assert shown == scenes.places[place]
    # The soundtrack is what its own scene's sounding objects and place give, drawn from the same
    # point of the stream: its objects' sounds in their colours' registers and one of its place's sounds.
    heard = []

    def hearing(kind, duration, pitch, clip, rng):
        heard.append((kind, pitch))
        return plan_placed_sound(kind, duration, pitch, clip, rng)

    monkeypatch.setattr(sounding_scenes, "plan_placed_sound", hearing)
    table = scenes.scenes
    for i, rng in enumerate(drawn):
        objects = [(table.shape[i, k], table.colour[i, k], table.size[i, k])
                   for k in np.flatnonzero(scenes.sounding[i])]
        place = scenes.places[scenes.place[i]]
        heard.clear()
        assert np.array_equal(soundtrack(objects, place, SAMPLE_RATE, rng)(), scenes.waves[i]), i
        *from_objects, (place_sound, _) = heard
        assert place_sound in PLACES[place] and [kind for kind, _ in from_objects] == [
            SHAPES[shape] for shape, _, _ in objects]
        for (_, pitch), (_, colour, size) in zip(from_objects, objects):
            register = REGISTER_HZ[COLOURS[colour]] * (0.5 if SIZES[size] == "large" else 1.0)
            assert abs(pitch / register - 1) <= 0.03 + 1e-9, (i, pitch, register)


def test_every_sound_draws_all_its_random_numbers_before_it_is_made():
    """Drawing and making are split so that sounds can be made on every core: making a sound must
    not touch the stream, and must give the same wave however often and wherever it runs."""
    rng = np.random.default_rng(7)
    plans = [(plan_sound(kind, 0.43, 180.0, rng), sound_length(0.43)) for kind in SOUNDS]
    plans += [(plan_ambience(4000, kind, rng), 4000) for kind in AMBIENCES]
    state = rng.bit_generator.state
    waves = [render() for render, _ in plans]
    assert rng.bit_generator.state == state  # making the sounds drew nothing more
    assert [len(wave) for wave in waves] == [length for _, length in plans]
    assert all(np.array_equal(render(), wave) for (render, _), wave in zip(plans, waves))
    assert all(np.array_equal(make_sound(kind, 0.43, 180.0, np.random.default_rng(3)),
                              plan_sound(kind, 0.43, 180.0, np.random.default_rng(3))()) for kind in SOUNDS)
    with pytest.raises(ValueError, match="ambience is one of"):
        plan_ambience(100, "thunder", rng)


def test_sound_sets_made_on_every_core_equal_one_loop():
    rng = stream(0, "sound events")
    clips = [random_clip(label % len(EVENT_CLASSES), SAMPLE_RATE, rng, Difficulty()) for label in range(24)]
    objects = [(label % 5, label % 6, label % 2) for label in range(3)]
    clips += [soundtrack(objects[:1 + k % 3], place, SAMPLE_RATE, rng)
              for k, place in enumerate(tuple(PLACES) * 4)]
    one_loop = np.stack([clip() for clip in clips]).astype(np.float32)
    assert np.array_equal(render_all(clips, SAMPLE_RATE), one_loop)
    assert render_all([], SAMPLE_RATE).shape == (0, SAMPLE_RATE)


def test_a_seed_gives_the_same_sounds_as_before():
    """What a seed generates is part of every measured result of notebooks 06, 07 and 09: these
    numbers were recorded from the sound world before its drawing and making were split."""
    events = make_sound_events(1, seed=0)
    assert events.labels.tolist() == [9, 2, 8, 3, 7, 4, 6, 11, 1, 5, 0, 10]
    assert np.abs(events.waves[:4]).sum(axis=1) == pytest.approx([997.281, 598.725, 35.031, 295.4836],
                                                                 rel=1e-5)
    assert events.waves[0, 8000:8003] == pytest.approx([0.0098149, 0.0081833, 0.0052694], rel=1e-4)
    scenes = make_sounding_scenes(4, seed=0)
    assert np.abs(scenes.waves).sum(axis=1) == pytest.approx([1037.7024, 1678.175, 2461.8936, 2502.1309],
                                                             rel=1e-5)
    assert scenes.waves[1, 8000:8003] == pytest.approx([-0.1277063, -0.0739099, -0.0159129], rel=1e-4)


def test_free_intonation_gives_each_utterance_its_own_contour_so_similar_voices_cross():
    speaker, neighbour = Speaker((150.0, 225.0), 15.0), Speaker((160.0, 240.0), 15.0)  # similar ranges

    def contours(intonation, first_seed):
        return [speak(who, 2.0, np.random.default_rng(first_seed + k), intonation=intonation).f0
                for k, who in enumerate((speaker, neighbour))]

    crossings = {"falling": 0, "free": 0}
    for pair in range(10):
        for intonation in crossings:
            mine, theirs = contours(intonation, 2 * pair)
            assert 150.0 - 1e-3 <= mine.min() and mine.max() <= 225.0 + 1e-3  # within the speaker's range
            crossings[intonation] += int(np.any(mine > theirs) and np.any(mine < theirs))
    assert crossings == {"falling": 0, "free": crossings["free"]} and crossings["free"] >= 8
    falling = [speak(speaker, 1.0, np.random.default_rng(seed)).f0 for seed in (0, 1)]
    free = [speak(speaker, 1.0, np.random.default_rng(seed), intonation="free").f0 for seed in (0, 1)]
    assert np.array_equal(*falling) and not np.allclose(*free)  # one contour for all, or one each
    with pytest.raises(ValueError, match="intonation"):
        speak(speaker, 1.0, np.random.default_rng(0), intonation="rising")


def syllable_spans(utterance) -> list[tuple[int, int]]:
    """The (start, end) samples of each whole syllable: the runs where the loudness envelope is above 0."""
    change = np.diff((utterance.envelope > 0).astype(int))
    starts, ends = np.flatnonzero(change == 1) + 1, np.flatnonzero(change == -1) + 1
    return list(zip(starts, ends[ends > starts[0]]))


def test_accented_intonation_gives_each_syllable_its_own_height_so_similar_voices_swap_places():
    speaker, neighbour = Speaker((150.0, 225.0), 15.0), Speaker((160.0, 240.0), 15.0)  # similar ranges
    low, high = speaker.pitch_hz
    reach = (ACCENT_REACH + ACCENT_GLIDE) * (high - low)  # a syllable's centre, and then its glide
    swapping_pairs, beyond_the_range, jumps = 0, False, []
    for pair in range(10):
        mine, theirs = (speak(who, 2.0, np.random.default_rng(100 + 2 * pair + k), intonation="accented")
                        for k, who in enumerate((speaker, neighbour)))
        assert low - reach - 1e-3 <= mine.f0.min() and mine.f0.max() <= high + reach + 1e-3
        beyond_the_range |= bool(mine.f0.min() < low or mine.f0.max() > high)
        spans = syllable_spans(mine)
        for start, end in spans:  # a syllable holds its height: glides span at most 2 x ACCENT_GLIDE
            assert np.ptp(mine.f0[start:end]) <= 2 * ACCENT_GLIDE * (high - low) + 1e-3
        heights = np.array([mine.f0[(start + end) // 2] for start, end in spans]) / (high - low)
        jumps += list(np.abs(np.diff(heights)))
        both_voiced = (mine.envelope > 0.3) & (theirs.envelope > 0.3)
        swapping_pairs += int(np.any(np.diff(np.sign(mine.f0 - theirs.f0)[both_voiced]) != 0))
    # From one syllable to the next the height jumps by two thirds of a range on average (uniform over two
    # ranges), where a contour of the whole utterance moves far less.
    assert beyond_the_range and swapping_pairs >= 8 and np.mean(jumps) > 0.5


def test_voice_pitch_and_tract_length():
    rng = np.random.default_rng(0)
    low_voice = speak(Speaker((100.0, 100.0), 17.5), 1.0, rng)
    high_voice = speak(Speaker((220.0, 220.0), 17.5), 1.0, np.random.default_rng(0))
    for utterance, pitch in ((low_voice, 100.0), (high_voice, 220.0)):
        voiced = utterance.wave[utterance.envelope > 0.5]
        lags = np.arange(SAMPLE_RATE // 400, SAMPLE_RATE // 60)
        autocorrelation = [np.dot(voiced[:-lag], voiced[lag:]) for lag in lags]
        assert SAMPLE_RATE / lags[int(np.argmax(autocorrelation))] == pytest.approx(pitch, rel=0.25)
    short_tract = speak(Speaker((120.0, 120.0), 12.0), 1.0, np.random.default_rng(0))

    def spectral_centroid(wave):
        spectrum = np.abs(np.fft.rfft(wave))
        return (spectrum * np.fft.rfftfreq(len(wave), 1 / SAMPLE_RATE)).sum() / spectrum.sum()

    long_tract = speak(Speaker((120.0, 120.0), 18.0), 1.0, np.random.default_rng(0))
    assert spectral_centroid(short_tract.wave) > 1.2 * spectral_centroid(long_tract.wave)
    mouth = low_voice.mouth_opening()
    assert mouth.shape == (25,) and 0 <= mouth.min() and mouth.max() <= 1 and mouth.std() > 0.1


def test_wav_round_trip_resampling_and_clear_errors(tmp_path):
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    tone = 0.5 * np.sin(2 * np.pi * 440 * t).astype(np.float32)
    path = write_wav(tmp_path / "tone.wav", tone)
    back, rate = read_wav(path)
    assert rate == SAMPLE_RATE and np.abs(back - tone).max() < 1e-4  # 16-bit quantisation
    at_8k, rate = read_wav(path, 8000)
    assert rate == 8000 and len(at_8k) == 8000
    assert abs(dominant_frequency(resample(at_8k, 8000, SAMPLE_RATE)) - 440) < 3
    with pytest.raises(FileNotFoundError):
        read_wav(tmp_path / "missing.wav")
    (tmp_path / "bad.wav").write_bytes(b"RIFF not really")
    with pytest.raises(ValueError, match="not a readable audio file"):
        read_wav(tmp_path / "bad.wav")
    with pytest.raises(ValueError, match="mono"):
        write_wav(tmp_path / "stereo.wav", np.zeros((2, 100)))
    assert path.read_bytes()[:4] == b"RIFF" and not list(tmp_path.glob("*.partial.wav"))


def test_16_bit_samples_round_to_the_nearest_step_and_come_back_as_float32():
    wave = np.array([-1.0, -0.5, 0.0, 0.4 / PCM_FULL_SCALE, 0.6 / PCM_FULL_SCALE, 1.0], dtype=np.float32)
    samples = to_pcm16(wave)
    assert samples.dtype == np.int16 and samples.tolist() == [-32767, -16384, 0, 0, 1, 32767]
    back = from_pcm16(samples)
    assert back.dtype == np.float32 and np.abs(back - wave).max() <= 0.5 / PCM_FULL_SCALE
    assert from_pcm16(to_pcm16(back)).tobytes() == back.tobytes()  # a stored wave is stored again unchanged
