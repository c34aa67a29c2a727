"""Sounding scenes: shape-world pictures with a one-second soundtrack, the course's "videos".

A scene happens in a place (street, garden or home), drawn as the picture's backdrop and
heard as one of the place's everyday sounds. Each object sounds with its shape's timbre in
its colour's register (large objects an octave lower and louder); a quiet ambience lies
under everything. Pictures and sounds co-occur as in real video, and nothing is labelled
for the sound: a network can learn about sounds only through the pictures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.audio import SAMPLE_RATE
from ..core.files import cached_npz, settings_cache_path
from ..core.parallel import concatenate_chunks
from ..core.seeds import PICTURE_BACKDROP_SEED_OFFSET, scene_seed, stream
from .shapes import COLOURS, MAX_OBJECTS, SHAPES, Scenes, sample_scenes
from .sounds import (
    AMBIENCES,
    PITCH_RANGE_HZ,
    REGISTER_HZ,
    Render,
    mix_at_snr,
    plan_ambience,
    plan_placed_sound,
    render_all,
)

PLACES = {"street": ("engine", "siren", "alarm"), "garden": ("chirp", "rain"), "home": ("clock", "knock")}
FORMAT_VERSION = 1


@dataclass
class SoundingScenes:
    scenes: Scenes
    images: np.ndarray  # (N, H, W, 3) uint8
    waves: np.ndarray  # (N, samples) float32
    place: np.ndarray  # (N,) index into ``places``
    sounding: np.ndarray  # (N, MAX_OBJECTS) bool: which objects make their sound
    places: tuple[str, ...] = tuple(PLACES)
    sample_rate: int = SAMPLE_RATE

    def __len__(self) -> int:
        return len(self.images)


def place_backdrops(place: np.ndarray, size: int, seed: int) -> Callable[[slice], np.ndarray]:
    """A painter of backdrops: ``paint(chunk)`` gives the (len, size, size, 3) float32 backdrops of
    ``place[chunk]``, a street with lane marks, a speckled garden or a tiled home.

    Every garden's speckles are drawn here, one garden after another from one stream, so that any
    chunk is painted alike on any core (and the backdrops of all scenes are never held at once).
    """
    rng = stream(seed, "place backdrops")
    y, x = np.mgrid[:size, :size]
    street = np.where(((y % 16) < 2)[..., None], 150.0, 65.0) * np.ones(3)
    garden_base = np.array([35.0, 85.0, 35.0])
    home = np.where((((x // 8) + (y // 8)) % 2 == 0)[..., None], [150.0, 120.0, 85.0], [115.0, 90.0, 65.0])
    gardens = np.flatnonzero(place == 1)
    # One draw for all the gardens gives the same numbers as one draw per garden, in turn.
    speckles = rng.standard_normal((len(gardens), size, size, 1))
    garden_number = np.cumsum(place == 1) - 1  # which of the speckles a garden scene takes

    def paint(chunk: slice) -> np.ndarray:
        scenes = range(len(place))[chunk]
        backdrops = np.empty((len(scenes), size, size, 3), dtype=np.float32)
        for row, i in enumerate(scenes):
            if place[i] == 0:
                backdrops[row] = street
            elif place[i] == 1:
                backdrops[row] = garden_base + 10 * speckles[garden_number[i]]
            else:
                backdrops[row] = home
        return backdrops

    return paint


def soundtrack(objects: list[tuple[int, int, int]], place: str, clip: int, rng) -> Render:
    """Draws the sound of (shape, colour, size) objects in ``place``, over an ambience; its render
    gives the wave, peak about 0.5."""
    layers = []  # (gain, render of a clip-long wave)

    def add(kind, pitch, gain, seconds):
        duration = rng.uniform(*seconds)
        layers.append((gain, plan_placed_sound(kind, duration, pitch, clip, rng)))

    for shape, colour, size in objects:
        pitch = REGISTER_HZ[COLOURS[colour]] * (0.5 if size == 1 else 1.0) * rng.uniform(0.97, 1.03)
        add(SHAPES[shape], pitch, 1.0 if size == 1 else 0.6, (0.4, 1.0))
    place_sound = PLACES[place][rng.integers(len(PLACES[place]))]
    add(place_sound, float(np.exp(rng.uniform(*np.log(PITCH_RANGE_HZ)))), rng.uniform(0.4, 0.9), (0.5, 1.0))
    background = plan_ambience(clip, AMBIENCES[rng.integers(len(AMBIENCES))], rng)
    snr_db = rng.uniform(10, 25)

    def render():
        wave = np.zeros(clip, dtype=np.float32)
        for gain, layer in layers:
            wave[:] += gain * layer()
        wave = mix_at_snr(wave, background(), snr_db)
        return (0.5 * wave / (np.abs(wave).max() + 1e-12)).astype(np.float32)
    return render


def _make(scenes: Scenes, seed: int, clip_seconds: float, sounding_share: float) -> dict:
    rng = stream(seed, "soundtracks")
    n, clip = len(scenes), int(clip_seconds * SAMPLE_RATE)
    place = rng.integers(0, len(PLACES), size=n)
    sounding = (scenes.shape >= 0) & (rng.random((n, MAX_OBJECTS)) < sounding_share)
    sounding[np.arange(n), 0] = True  # every scene has at least one sounding object
    soundtracks = [soundtrack([(scenes.shape[i, k], scenes.colour[i, k], scenes.size[i, k])
                               for k in np.flatnonzero(sounding[i])], tuple(PLACES)[place[i]], clip, rng)
                   for i in range(n)]  # all draws, in order
    return {"images": scene_pictures(scenes, place, seed), "waves": render_all(soundtracks, clip),
            "place": place, "sounding": sounding}


def scene_pictures(scenes: Scenes, place: np.ndarray, seed: int) -> np.ndarray:
    """(N, H, W, 3) uint8: the scenes' objects drawn over their places' backdrops."""
    backdrops = place_backdrops(place, scenes.image_size, seed)

    def draw(chunk: slice) -> np.ndarray:
        covered = scenes.masks(chunk).any(axis=1)[..., None]
        return np.where(covered, scenes.images(chunk), backdrops(chunk)).clip(0, 255).astype(np.uint8)

    return concatenate_chunks(draw, len(scenes), 500)


def labelled_pictures(n: int, seed: int = 0) -> tuple[Scenes, np.ndarray, np.ndarray]:
    """(scenes, place, images) of ``n`` silent scenes: the labelled pictures that teachers learn from."""
    scenes = sample_scenes(n, scene_seed(seed, "labelled pictures"), allow_held_out=True)
    place = stream(seed, "picture places").integers(0, len(PLACES), size=n)
    return scenes, place, scene_pictures(scenes, place, seed + PICTURE_BACKDROP_SEED_OFFSET)


def make_sounding_scenes(n: int, seed: int = 0, clip_seconds: float = 1.0, sounding_share: float = 0.85,
                         data_dir: Path | str | None = None) -> SoundingScenes:
    """``n`` scenes with pictures and soundtracks; generated once, then read from ``data_dir``."""
    if n < 1 or clip_seconds <= 0 or not 0 <= sounding_share <= 1:
        raise ValueError(f"need n >= 1, clip_seconds > 0 and 0 <= sounding_share <= 1, not n={n}, "
                         f"clip_seconds={clip_seconds}, sounding_share={sounding_share}")
    scenes = sample_scenes(n, scene_seed(seed, "sounding videos"), allow_held_out=True)
    path = settings_cache_path(data_dir, "sound_world", "scenes",
                               (FORMAT_VERSION, n, seed, clip_seconds, sounding_share))
    arrays = cached_npz(path, lambda: _make(scenes, seed, clip_seconds, sounding_share),
                        check=lambda a: len(a["waves"]) == n)
    return SoundingScenes(scenes, arrays["images"], arrays["waves"], arrays["place"], arrays["sounding"])
