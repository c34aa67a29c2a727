"""The labelled sound-event set: one-second clips of twelve kinds of sound, made hard on purpose.

Each clip holds one event of its class at a random pitch, length and onset, over an
ambience at a random signal-to-noise ratio, and sometimes a quieter event of another
class on top (as in real recordings). The class is the loudest event's kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.audio import SAMPLE_RATE
from ..core.clips import LabelledClips
from ..core.files import cached_npz, settings_cache_path
from ..core.seeds import stream
from .sounds import (
    AMBIENCES,
    PITCH_RANGE_HZ,
    SHAPE_SOUNDS,
    SOUNDS,
    Render,
    mix_at_snr,
    plan_ambience,
    plan_placed_sound,
    render_all,
)

EVENT_CLASSES = tuple(SOUNDS)  # whistle, reed, bell, rattle, pluck, then the everyday sounds
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Difficulty:
    """How hard the clips are: event length, ambience level, overlapping events."""

    event_seconds: tuple[float, float] = (0.3, 1.0)
    snr_db: tuple[float, float] = (5.0, 25.0)  # event over ambience
    overlap: float = 0.35  # share of clips with a second, quieter event of another class
    overlap_below_db: tuple[float, float] = (6.0, 14.0)


def random_event(kind: str, clip: int, rng, seconds: tuple[float, float]) -> Render:
    """Draws one event of ``kind`` at a random log-uniform pitch and length, at a random onset."""
    duration = rng.uniform(*seconds)
    pitch = float(np.exp(rng.uniform(*np.log(PITCH_RANGE_HZ))))
    return plan_placed_sound(kind, duration, pitch, clip, rng)


def random_clip(label: int, clip: int, rng, difficulty: Difficulty) -> Render:
    """Draws one clip whose loudest event is of class ``label``."""
    event = random_event(EVENT_CLASSES[label], clip, rng, difficulty.event_seconds)
    second = None
    if rng.random() < difficulty.overlap:
        other = (label + rng.integers(1, len(EVENT_CLASSES))) % len(EVENT_CLASSES)
        second = random_event(EVENT_CLASSES[other], clip, rng, difficulty.event_seconds)
        second_below_db = rng.uniform(*difficulty.overlap_below_db)
    background = plan_ambience(clip, AMBIENCES[rng.integers(len(AMBIENCES))], rng)
    snr_db, gain = rng.uniform(*difficulty.snr_db), rng.uniform(0.5, 1.0)

    def render():
        wave = event()
        if second is not None:
            wave = mix_at_snr(wave, second(), second_below_db)
        wave = mix_at_snr(wave, background(), snr_db)
        return 0.5 * wave / (np.abs(wave).max() + 1e-12) * gain
    return render


def _make(n_per_class: int, seed: int, clip_seconds: float, difficulty: Difficulty) -> dict:
    rng = stream(seed, "sound events")
    clip = int(clip_seconds * SAMPLE_RATE)
    labels = np.repeat(np.arange(len(EVENT_CLASSES)), n_per_class)
    rng.shuffle(labels)
    clips = [random_clip(label, clip, rng, difficulty) for label in labels]  # all draws, in order
    return {"waves": render_all(clips, clip), "labels": labels}


def make_sound_events(n_per_class: int, seed: int = 0, clip_seconds: float = 1.0,
                      difficulty: Difficulty = Difficulty(),
                      data_dir: Path | str | None = None) -> LabelledClips:
    """``n_per_class`` clips of each of the twelve classes, shuffled; cached under ``data_dir``."""
    if n_per_class < 1 or clip_seconds <= 0:
        raise ValueError(f"need n_per_class >= 1 and clip_seconds > 0, not {n_per_class} and {clip_seconds}")
    path = settings_cache_path(data_dir, "sound_world", "events",
                               (FORMAT_VERSION, n_per_class, seed, clip_seconds, difficulty))
    arrays = cached_npz(path, lambda: _make(n_per_class, seed, clip_seconds, difficulty),
                        check=lambda a: a["labels"].shape == (n_per_class * len(EVENT_CLASSES),))
    folds = np.arange(len(arrays["labels"])) % 5  # the clips are shuffled: five interleaved folds
    return LabelledClips(arrays["waves"], arrays["labels"], EVENT_CLASSES, folds=folds)


__all__ = ["EVENT_CLASSES", "SHAPE_SOUNDS", "Difficulty", "make_sound_events"]
