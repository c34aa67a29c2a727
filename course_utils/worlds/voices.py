"""Synthetic voices by the source-filter model of speech.

The source is the glottis: a train of pulses at the pitch F0, with a falling spectrum.
The filter is the vocal tract: resonances (formants) whose frequencies depend on the vowel
and scale inversely with the tract's length, so a longer tract sounds "bigger". A speaker
is a pitch range plus a tract length; an utterance is a string of syllables, each a vowel
under a rise-and-fall loudness envelope. The envelope is kept: at 25 frames per second it
becomes the mouth opening of a talking face.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import lfilter

from ..core.audio import SAMPLE_RATE

# Formants F1-F3 (Hz) of five vowels for a 17.5 cm adult tract (Peterson and Barney, 1952).
VOWEL_FORMANTS = {"a": (730, 1090, 2440), "e": (530, 1840, 2480), "i": (270, 2290, 3010),
                  "o": (570, 840, 2410), "u": (300, 870, 2240)}
FORMANT_BANDWIDTHS = (80.0, 100.0, 140.0)
REFERENCE_TRACT_CM = 17.5
FPS = 25  # video frames per second, for mouth openings


@dataclass(frozen=True)
class Speaker:
    pitch_hz: tuple[float, float]  # lowest and highest F0 of the speaker's intonation (accents reach beyond)
    tract_cm: float  # vocal-tract length: about 17 cm for men, 14.5 for women, 12 for children

    @property
    def formant_scale(self) -> float:
        return REFERENCE_TRACT_CM / self.tract_cm


def random_speaker(rng) -> Speaker:
    """A speaker whose pitch and tract length go together loosely, as in people."""
    size = rng.uniform(0, 1)  # 0: small (child-like), 1: large
    tract = 12.0 + 6.0 * size + rng.normal(0, 0.5)
    low = float(np.exp(np.log(260) - size * np.log(2.6) + rng.normal(0, 0.1)))
    return Speaker((low, low * rng.uniform(1.3, 1.7)), float(np.clip(tract, 11.0, 19.0)))


def glottal_source(f0: np.ndarray, rng) -> np.ndarray:
    """Pulses at the running pitch ``f0`` (Hz per sample), smoothed to a -12 dB/octave tilt, plus breath."""
    phase = np.cumsum(f0) / SAMPLE_RATE
    pulses = np.diff(np.floor(phase), prepend=0.0)  # 1 where a new glottal cycle starts
    smooth = lfilter([1.0], [1.0, -0.97], lfilter([1.0], [1.0, -0.9], pulses))
    source = smooth - smooth.mean()
    return source / (np.abs(source).max() + 1e-12) + 0.03 * rng.standard_normal(len(f0))


def resonator(frequency: float, bandwidth: float) -> tuple[np.ndarray, np.ndarray]:
    """A two-pole resonance at ``frequency`` Hz as (b, a) filter coefficients, unit gain at 0 Hz."""
    radius = np.exp(-np.pi * bandwidth / SAMPLE_RATE)
    a = np.array([1.0, -2 * radius * np.cos(2 * np.pi * frequency / SAMPLE_RATE), radius**2])
    return np.array([a.sum()]), a


def vocal_tract(source: np.ndarray, vowel: str, speaker: Speaker) -> np.ndarray:
    """The source through the vowel's three formants, scaled to the speaker's tract."""
    wave = source
    for formant, bandwidth in zip(VOWEL_FORMANTS[vowel], FORMANT_BANDWIDTHS):
        frequency = min(formant * speaker.formant_scale, 0.45 * SAMPLE_RATE)
        wave = lfilter(*resonator(frequency, bandwidth * speaker.formant_scale), wave)
    return wave


@dataclass
class Utterance:
    wave: np.ndarray  # (samples,) float32, peak about 0.5
    envelope: np.ndarray  # (samples,) loudness envelope in [0, 1]
    vowels: list[str]
    f0: np.ndarray  # (samples,) pitch contour in Hz

    def mouth_opening(self, fps: int = FPS) -> np.ndarray:
        """(frames,) the mean envelope per video frame: how open the mouth is."""
        per_frame = SAMPLE_RATE // fps
        frames = len(self.envelope) // per_frame
        return self.envelope[:frames * per_frame].reshape(frames, per_frame).mean(axis=1)


INTONATIONS = ("falling", "free", "accented")


@dataclass(frozen=True)
class Syllable:
    start: int  # first sample
    end: int  # one past the last sample (the utterance's end cuts the last syllable short)
    length: int  # samples the syllable would last if not cut: its loudness shape spans them
    vowel: str


def syllable_plan(n: int, rng, syllables_per_second: float) -> list[Syllable]:
    """Syllables of random length and vowel, with short pauses between them, filling ``n`` samples."""
    syllables = []
    start = int(rng.uniform(0.0, 0.15) * SAMPLE_RATE)
    while start < n:
        length = int(rng.uniform(0.6, 1.4) / syllables_per_second * SAMPLE_RATE)
        end = min(start + length, n)
        syllables.append(Syllable(start, end, length, str(rng.choice(list(VOWEL_FORMANTS)))))
        start = end + int(rng.uniform(0.02, 0.12) * SAMPLE_RATE)  # a short pause
    return syllables


def free_contour(t: np.ndarray, rng) -> np.ndarray:
    """(samples,) an utterance's own pitch contour in [0, 1] at the times ``t`` (seconds): a fall from a
    random height to a random end, with rises and falls at a random pace and phase."""
    seconds = max(float(t[-1]), 1e-9) if len(t) else 1.0
    start, end = rng.uniform(0.5, 1.0), rng.uniform(0.0, 0.4)
    rate, phase = rng.uniform(0.8, 2.5), rng.uniform(0, 2 * np.pi)
    return np.clip(start + (end - start) * t / seconds + 0.35 * np.sin(2 * np.pi * rate * t + phase), 0, 1)


ACCENT_REACH = 0.5  # how far beyond the speaker's range, in ranges, an accented syllable may go
ACCENT_GLIDE = 0.1  # how far, in ranges, an accented syllable's pitch may glide either way from its centre


def accented_contour(syllables: list[Syllable], n: int, rng) -> np.ndarray:
    """(n,) a contour of pitch accents, in units of the speaker's range (0 its lowest pitch, 1 its highest):
    every syllable centred at a height of its own, from half a range below to half a range above (about
    an octave, as lively speech spans), gliding up or down by up to a tenth of a range either way; in the
    pauses the pitch moves straight from one syllable's end to the next one's start."""
    times, heights = [0], []
    for syllable in syllables:
        level, glide = rng.uniform(-ACCENT_REACH, 1 + ACCENT_REACH), rng.uniform(-ACCENT_GLIDE, ACCENT_GLIDE)
        times += [syllable.start, syllable.end - 1]
        heights += [level - glide, level + glide]
    heights = [heights[0] if heights else 0.5] + heights
    return np.interp(np.arange(n), times + [n], heights + [heights[-1]])


def speak(speaker: Speaker, seconds: float, rng, syllables_per_second: float = 4.0,
          intonation: str = "falling") -> Utterance:
    """``seconds`` of speech: syllables of random vowels with gaps, on a pitch contour that falls the
    same way in every utterance (``"falling"``), is the utterance's own (``"free"``: two voices with
    similar ranges then cross in pitch, as real voices do) or gives each syllable a height of its
    own, over about an octave (``"accented"``: similar voices swap places in pitch from one syllable
    to the next)."""
    if intonation not in INTONATIONS:
        raise ValueError(f"intonation must be one of {INTONATIONS}, not {intonation!r}")
    n = int(seconds * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    low, high = speaker.pitch_hz
    if intonation == "accented":  # the syllables first: the contour follows them
        syllables = syllable_plan(n, rng, syllables_per_second)
        f0 = low + (high - low) * accented_contour(syllables, n, rng)
        source = glottal_source(f0, rng)
    else:
        if intonation == "falling":  # from high to low over the utterance, with a slow wobble
            f0 = low + (high - low) * (1 - t / max(seconds, 1e-9)) * (0.8 + 0.2 * np.sin(2 * np.pi * 1.3 * t))
        else:
            f0 = low + (high - low) * free_contour(t, rng)
        source = glottal_source(f0, rng)
        syllables = syllable_plan(n, rng, syllables_per_second)
    wave, envelope = np.zeros(n), np.zeros(n)
    for syllable in syllables:
        start, end = syllable.start, syllable.end
        shape = np.sin(np.pi * np.arange(end - start) / syllable.length) ** 1.5  # rise and fall
        wave[start:end] += vocal_tract(source[start:end], syllable.vowel, speaker) * shape
        envelope[start:end] = np.maximum(envelope[start:end], shape)
    vowels = [syllable.vowel for syllable in syllables]
    wave = 0.5 * wave / (np.abs(wave).max() + 1e-12)
    return Utterance(wave.astype(np.float32), envelope.astype(np.float32), vowels, f0.astype(np.float32))
