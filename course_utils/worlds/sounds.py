"""The sound world: a sound for each kind of thing, made from a few lines of signal maths.

Every sound is a function ``(duration_s, pitch_hz, rng) -> render`` at 16 kHz: it draws its
random numbers from ``rng`` at once and returns a function that makes the wave from them later.
Drawing is cheap and has to follow one random stream in order; making the waves is the costly
part, and split this way it runs on every core (:func:`render_all`) with the same result as one
loop. :func:`make_sound` does both for one sound.

The five shapes of the shape world each have a timbre family (a circle whistles, a square buzzes
like a reed, a triangle rings like a bell, a cross rattles, a diamond is plucked) and a shape's
colour sets its register. Seven more everyday kinds (siren, engine, rain, ...) complete the
labelled sound-event set of :mod:`course_utils.worlds.sound_events`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..core.audio import SAMPLE_RATE
from ..core.parallel import concatenate_chunks

NYQUIST = SAMPLE_RATE / 2
Render = Callable[[], np.ndarray]


def _time(duration: float) -> np.ndarray:
    return np.arange(sound_length(duration)) / SAMPLE_RATE


def sound_length(duration: float) -> int:
    """The number of samples of every sound that lasts ``duration`` seconds."""
    return int(round(duration * SAMPLE_RATE))


@dataclass(frozen=True)
class WhiteNoise:
    """``n`` samples of white noise, kept as the random stream's state before they were drawn: a
    few hundred bytes instead of the samples, from which any process draws the same samples."""

    state: dict
    n: int

    def samples(self) -> np.ndarray:
        generator = np.random.Generator(getattr(np.random, self.state["bit_generator"])())
        generator.bit_generator.state = self.state
        return generator.standard_normal(self.n)


def white_noise(n: int, rng) -> WhiteNoise:
    """Draws ``n`` samples of white noise from ``rng`` (moving it on as drawing them does)."""
    state = rng.bit_generator.state
    rng.standard_normal(n)
    return WhiteNoise(state, n)


def envelope(n: int, attack: float, release: float) -> np.ndarray:
    """Linear attack and release (seconds) around a flat sustain, for ``n`` samples."""
    ramp_up = np.clip(np.arange(n) / max(attack * SAMPLE_RATE, 1), 0, 1)
    ramp_down = np.clip((n - 1 - np.arange(n)) / max(release * SAMPLE_RATE, 1), 0, 1)
    return ramp_up * ramp_down


def harmonics(t: np.ndarray, phase: np.ndarray, amplitudes, decays=None) -> np.ndarray:
    """Sum of harmonics k = 1..K of the running ``phase`` (radians), dropping those above Nyquist.

    ``decays`` (1/s per harmonic) make each harmonic die away at its own rate (plucks, bells).
    """
    frequency = np.gradient(phase) * SAMPLE_RATE / (2 * np.pi)
    wave = np.zeros_like(t)
    # sin(k x) by the recurrence sin(k x) = 2 cos(x) sin((k-1) x) - sin((k-2) x): one sine, not K.
    twice_cos, previous, current = 2 * np.cos(phase), np.zeros_like(phase), np.sin(phase)
    for k, amplitude in enumerate(amplitudes, start=1):
        if amplitude:
            partial = amplitude * current * (k * frequency < NYQUIST * 0.95)
            wave += partial * np.exp(-decays[k - 1] * t) if decays is not None else partial
        previous, current = current, twice_cos * current - previous
    return wave


def _phase(frequency: np.ndarray | float, n: int) -> np.ndarray:
    """The running phase of a (possibly time-varying) frequency in Hz."""
    return 2 * np.pi * np.cumsum(np.broadcast_to(frequency, (n,))) / SAMPLE_RATE


def band_noise(noise: WhiteNoise, low: float, high: float) -> np.ndarray:
    """White noise kept between ``low`` and ``high`` Hz (an FFT mask), unit RMS."""
    n = noise.n
    spectrum = np.fft.rfft(noise.samples())
    frequencies = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
    spectrum[(frequencies < low) | (frequencies > high)] = 0
    filtered = np.fft.irfft(spectrum, n)
    return filtered / (np.sqrt(np.mean(filtered**2)) + 1e-12)


def fading(n: int, depth: float) -> np.ndarray:
    """An exponential fade over ``n`` samples, ending at exp(-depth)."""
    return np.exp(-np.linspace(0, depth, n))


def _bursts(n: int, times: np.ndarray, burst: np.ndarray) -> np.ndarray:
    """``burst`` added at each onset in ``times`` (seconds)."""
    wave = np.zeros(n)
    for onset in (times * SAMPLE_RATE).astype(int):
        end = min(onset + len(burst), n)
        if 0 <= onset < n:
            wave[onset:end] += burst[:end - onset]
    return wave


# --- the shapes' timbre families -------------------------------------------------------------

def whistle(duration, pitch, rng) -> Render:
    """Circle: a near-pure tone with a slow vibrato."""
    vibrato_rate = rng.uniform(4, 6)

    def render():
        t = _time(duration)
        vibrato = 1 + 0.012 * np.sin(2 * np.pi * vibrato_rate * t)
        wave = harmonics(t, _phase(2 * pitch * vibrato, len(t)), [1.0, 0.08])
        return wave * envelope(len(t), 0.04, 0.06)
    return render


def reed(duration, pitch, rng) -> Render:
    """Square: odd harmonics (a band-limited square wave), steady like a clarinet."""
    def render():
        t = _time(duration)
        amplitudes = [1 / k if k % 2 else 0.0 for k in range(1, 16)]
        return 0.7 * harmonics(t, _phase(pitch, len(t)), amplitudes) * envelope(len(t), 0.02, 0.04)
    return render


def bell(duration, pitch, rng) -> Render:
    """Triangle: inharmonic partials that ring and fade (higher ones faster)."""
    def render():
        t = _time(duration)
        ratios, decays = (1.0, 2.76, 5.40, 8.93), (3.0, 5.0, 9.0, 14.0)
        wave = sum(np.sin(2 * np.pi * min(r * 2 * pitch, NYQUIST * 0.9) * t) * np.exp(-d * t) / (i + 1)
                   for i, (r, d) in enumerate(zip(ratios, decays)))
        return wave * envelope(len(t), 0.002, 0.03)
    return render


def rattle(duration, pitch, rng) -> Render:
    """Cross: a quick train of noise bursts, their band set by the register."""
    length = int(0.012 * SAMPLE_RATE)
    noise = white_noise(length, rng)
    gaps = rng.uniform(0.03, 0.07, size=int(duration / 0.03) + 1)

    def render():
        n = sound_length(duration)
        burst = band_noise(noise, 0, NYQUIST) * fading(length, 6)
        times = np.cumsum(gaps)
        clicks = _bursts(n, times[times < duration], burst)
        centre = 6 * pitch
        spectrum = np.fft.rfft(clicks)
        frequencies = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
        spectrum *= np.exp(-0.5 * ((frequencies - centre) / (0.5 * centre)) ** 2)
        wave = np.fft.irfft(spectrum, n)
        return wave / (np.abs(wave).max() + 1e-12)
    return render


def pluck(duration, pitch, rng) -> Render:
    """Diamond: a plucked string, bright at first, its upper harmonics dying fastest."""
    def render():
        t = _time(duration)
        amplitudes = [1 / k for k in range(1, 13)]
        decays = [2.0 + 1.5 * k for k in range(1, 13)]
        return 0.8 * harmonics(t, _phase(pitch, len(t)), amplitudes, decays) * envelope(len(t), 0.003, 0.02)
    return render


# --- everyday sounds ---------------------------------------------------------------------------

def siren(duration, pitch, rng) -> Render:
    """A tone that glides up and down a fifth, a few times a second."""
    glide_rate = rng.uniform(1.0, 3.0)

    def render():
        t = _time(duration)
        glide = pitch * 2 * (1.25 + 0.25 * np.sin(2 * np.pi * glide_rate * t))
        return 0.8 * harmonics(t, _phase(glide, len(t)), [1.0, 0.3, 0.1]) * envelope(len(t), 0.03, 0.05)
    return render


def engine(duration, pitch, rng) -> Render:
    """A low buzzing pulse with a throbbing firing rate, plus rumble."""
    rumble = white_noise(sound_length(duration), rng)

    def render():
        t = _time(duration)
        base = pitch / 6
        throb = 1 + 0.5 * np.sin(2 * np.pi * base / 4 * t)
        wave = harmonics(t, _phase(base, len(t)), [1 / k**0.7 for k in range(1, 30)]) * throb
        wave = wave / (np.abs(wave).max() + 1e-12) + 0.2 * band_noise(rumble, 30, 400) / 3
        return 0.8 * wave * envelope(len(t), 0.05, 0.05)
    return render


def rain(duration, pitch, rng) -> Render:
    """Many small random drops on a hiss."""
    times = rng.uniform(0, duration, size=int(duration * 250))
    hiss = white_noise(sound_length(duration), rng)

    def render():
        n = sound_length(duration)
        drop_length = int(0.004 * SAMPLE_RATE)
        drop = np.sin(2 * np.pi * 12 * pitch / SAMPLE_RATE * np.arange(drop_length)) * fading(drop_length, 5)
        wave = _bursts(n, times, drop) * 0.5 + 0.15 * band_noise(hiss, 2000, 7000)
        return 0.8 * wave / (np.abs(wave).max() + 1e-12) * envelope(n, 0.05, 0.05)
    return render


def clock(duration, pitch, rng) -> Render:
    """Regular sharp ticks."""
    tick_length = int(0.006 * SAMPLE_RATE)
    noise = white_noise(tick_length, rng)
    period = rng.uniform(0.08, 0.16)
    first = rng.uniform(0, period)

    def render():
        tick = band_noise(noise, 6 * pitch, min(16 * pitch, NYQUIST)) * fading(tick_length, 8)
        wave = _bursts(sound_length(duration), np.arange(first, duration, period), tick)
        return wave / (np.abs(wave).max() + 1e-12)
    return render


def chirp(duration, pitch, rng) -> Render:
    """Bird-like chirps: short fast upward glides."""
    length = int(rng.uniform(0.04, 0.08) * SAMPLE_RATE)
    gaps = rng.uniform(0.1, 0.2, size=int(duration / 0.1) + 1)

    def render():
        s = np.arange(length) / SAMPLE_RATE
        start = min(8 * pitch, 4500)
        glide = start * (1 + 8 * s)  # rises by about half within 60 ms
        note = np.sin(_phase(glide, length)) * np.sin(np.pi * np.arange(length) / length) ** 2
        times = np.cumsum(gaps) - 0.08
        return _bursts(sound_length(duration), times[(times >= 0) & (times < duration)], note)
    return render


def knock(duration, pitch, rng) -> Render:
    """A few dull knocks: low resonances that die within tens of milliseconds."""
    length = int(0.08 * SAMPLE_RATE)
    noise = white_noise(length, rng)
    gaps = rng.uniform(0.12, 0.25, size=int(duration / 0.12) + 1)

    def render():
        s = np.arange(length) / SAMPLE_RATE
        hit = (np.sin(2 * np.pi * pitch / 2 * s)
               + 0.5 * np.sin(2 * np.pi * pitch * 1.6 * s)) * np.exp(-60 * s)
        hit += 0.3 * band_noise(noise, 200, 3000) * np.exp(-200 * s)
        times = np.cumsum(gaps) - 0.1
        wave = _bursts(sound_length(duration), times[(times >= 0) & (times < duration)], hit)
        return wave / (np.abs(wave).max() + 1e-12)
    return render


def alarm(duration, pitch, rng) -> Render:
    """Beep-beep: two tones a fourth apart, alternating several times a second."""
    rate = rng.uniform(4, 8)

    def render():
        t = _time(duration)
        high = (np.floor(2 * rate * t) % 2).astype(bool)
        frequency = np.where(high, 4 * pitch * 4 / 3, 4 * pitch)
        gate = np.sin(np.pi * (2 * rate * t % 1)) ** 0.3
        return 0.7 * harmonics(t, _phase(frequency, len(t)), [1.0, 0.5]) * gate * envelope(len(t), 0.01, 0.02)
    return render


SHAPE_SOUNDS = {"circle": whistle, "square": reed, "triangle": bell, "cross": rattle, "diamond": pluck}
EVERYDAY_SOUNDS = {"siren": siren, "engine": engine, "rain": rain, "clock": clock, "chirp": chirp,
                   "knock": knock, "alarm": alarm}
SOUNDS = {fn.__name__: fn for fn in (*SHAPE_SOUNDS.values(), *EVERYDAY_SOUNDS.values())}
# A colour sets the register: the pitch (Hz) of every sound an object of that colour makes.
REGISTER_HZ = {"red": 131.0, "yellow": 175.0, "green": 233.0, "cyan": 311.0, "blue": 415.0, "magenta": 554.0}
PITCH_RANGE_HZ = (110.0, 660.0)


def plan_sound(kind: str, duration: float, pitch: float, rng) -> Render:
    """Draws one sound of ``kind`` (a shape, a timbre family or an everyday sound); its render
    gives the wave, peak 1, ``sound_length(duration)`` samples."""
    name = SHAPE_SOUNDS[kind].__name__ if kind in SHAPE_SOUNDS else kind
    if name not in SOUNDS:
        raise ValueError(f"unknown sound {kind!r}; known: {', '.join([*SHAPE_SOUNDS, *SOUNDS])}")
    render_sound = SOUNDS[name](duration, pitch, rng)

    def render():
        wave = render_sound()
        return (wave / (np.abs(wave).max() + 1e-12)).astype(np.float32)
    return render


def make_sound(kind: str, duration: float, pitch: float, rng) -> np.ndarray:
    """One sound of ``kind`` (a shape, a timbre family or an everyday sound), peak 1."""
    return plan_sound(kind, duration, pitch, rng)()


AMBIENCES = ("hiss", "hum", "wind")


def plan_ambience(n: int, kind: str, rng) -> Render:
    """Draws ``n`` samples of background sound: ``"hiss"`` (broad noise), ``"hum"`` (mains hum) or
    ``"wind"``; its render gives the wave at unit RMS."""
    if kind not in AMBIENCES:
        raise ValueError(f"ambience is one of 'hiss', 'hum', 'wind', not {kind!r}")
    base = rng.choice([50.0, 60.0]) if kind == "hum" else None
    if kind == "wind":
        gust_rate, gust_phase = rng.uniform(0.2, 0.6), rng.uniform(0, 2 * np.pi)
    noise = white_noise(n, rng)

    def render():
        t = np.arange(n) / SAMPLE_RATE
        if kind == "hiss":
            wave = band_noise(noise, 100, 7500)
        elif kind == "hum":
            hum = harmonics(t, _phase(base, n), [1.0, 0.6, 0.4, 0.3, 0.2])
            wave = hum + 0.2 * band_noise(noise, 50, 2000)
        else:
            gust = 1 + 0.8 * np.sin(2 * np.pi * gust_rate * t + gust_phase)
            wave = band_noise(noise, 80, 1200) * gust
        return (wave / (np.sqrt(np.mean(wave**2)) + 1e-12)).astype(np.float32)
    return render


def ambience(n: int, kind: str, rng) -> np.ndarray:
    """Background sound, unit RMS: ``"hiss"`` (broad noise), ``"hum"`` (mains hum) or ``"wind"``."""
    return plan_ambience(n, kind, rng)()


def place_randomly(sound: Render, length: int, clip: int, rng) -> Render:
    """Draws a random onset for a sound of ``length`` samples (cut to fit) in a ``clip``-sample
    wave; its render gives that wave, silent elsewhere."""
    length = min(length, clip)
    onset = rng.integers(0, clip - length + 1)

    def render():
        wave = np.zeros(clip, dtype=np.float32)
        wave[onset:onset + length] = sound()[:clip]
        return wave
    return render


def plan_placed_sound(kind: str, duration: float, pitch: float, clip: int, rng) -> Render:
    """Draws one sound of ``kind`` (as ``plan_sound``), then a random onset for it in a
    ``clip``-sample wave; its render gives that wave."""
    return place_randomly(plan_sound(kind, duration, pitch, rng), sound_length(duration), clip, rng)


def mix_at_snr(signal: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """``signal + noise`` with the noise scaled to ``snr_db`` below the signal's power."""
    signal_power = np.mean(signal**2) + 1e-12
    noise_power = np.mean(noise**2) + 1e-12
    return signal + noise * np.sqrt(signal_power / noise_power / 10 ** (snr_db / 10))


def render_all(renders: list[Render], samples: int) -> np.ndarray:
    """(len(renders), samples) float32: every drawn wave made, in chunks on every core (forked
    processes where the system allows: making sounds is many small steps that hold Python's lock)."""
    if not renders:
        return np.zeros((0, samples), dtype=np.float32)
    chunk = -(-len(renders) // (4 * (os.cpu_count() or 1)))  # about four chunks a core

    def make(part: slice) -> np.ndarray:
        return np.stack([renders[i]() for i in range(part.start, part.stop)]).astype(np.float32)

    return concatenate_chunks(make, len(renders), chunk, processes=True)
