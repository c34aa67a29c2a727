"""The sound world: a sound for each kind of thing, made from a few lines of signal maths.

Every sound is a function ``(duration_s, pitch_hz, rng) -> wave`` at 16 kHz. The five
shapes of the shape world each have a timbre family (a circle whistles, a square buzzes
like a reed, a triangle rings like a bell, a cross rattles, a diamond is plucked) and a
shape's colour sets its register. Seven more everyday kinds (siren, engine, rain, ...)
complete the labelled sound-event set of :mod:`course_utils.worlds.sound_events`.
"""

from __future__ import annotations

import numpy as np

from ..core.audio import SAMPLE_RATE

NYQUIST = SAMPLE_RATE / 2


def _time(duration: float) -> np.ndarray:
    return np.arange(int(round(duration * SAMPLE_RATE))) / SAMPLE_RATE


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


def band_noise(n: int, low: float, high: float, rng) -> np.ndarray:
    """White noise kept between ``low`` and ``high`` Hz (an FFT mask), unit RMS."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    frequencies = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
    spectrum[(frequencies < low) | (frequencies > high)] = 0
    noise = np.fft.irfft(spectrum, n)
    return noise / (np.sqrt(np.mean(noise**2)) + 1e-12)


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

def whistle(duration, pitch, rng):
    """Circle: a near-pure tone with a slow vibrato."""
    t = _time(duration)
    vibrato = 1 + 0.012 * np.sin(2 * np.pi * rng.uniform(4, 6) * t)
    wave = harmonics(t, _phase(2 * pitch * vibrato, len(t)), [1.0, 0.08])
    return wave * envelope(len(t), 0.04, 0.06)


def reed(duration, pitch, rng):
    """Square: odd harmonics (a band-limited square wave), steady like a clarinet."""
    t = _time(duration)
    amplitudes = [1 / k if k % 2 else 0.0 for k in range(1, 16)]
    return 0.7 * harmonics(t, _phase(pitch, len(t)), amplitudes) * envelope(len(t), 0.02, 0.04)


def bell(duration, pitch, rng):
    """Triangle: inharmonic partials that ring and fade (higher ones faster)."""
    t = _time(duration)
    ratios, decays = (1.0, 2.76, 5.40, 8.93), (3.0, 5.0, 9.0, 14.0)
    wave = sum(np.sin(2 * np.pi * min(r * 2 * pitch, NYQUIST * 0.9) * t) * np.exp(-d * t) / (i + 1)
               for i, (r, d) in enumerate(zip(ratios, decays)))
    return wave * envelope(len(t), 0.002, 0.03)


def rattle(duration, pitch, rng):
    """Cross: a quick train of noise bursts, their band set by the register."""
    n = len(_time(duration))
    length = int(0.012 * SAMPLE_RATE)
    burst = band_noise(length, 0, NYQUIST, rng) * fading(length, 6)
    times = np.cumsum(rng.uniform(0.03, 0.07, size=int(duration / 0.03) + 1))
    clicks = _bursts(n, times[times < duration], burst)
    centre = 6 * pitch
    spectrum = np.fft.rfft(clicks)
    frequencies = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
    spectrum *= np.exp(-0.5 * ((frequencies - centre) / (0.5 * centre)) ** 2)
    wave = np.fft.irfft(spectrum, n)
    return wave / (np.abs(wave).max() + 1e-12)


def pluck(duration, pitch, rng):
    """Diamond: a plucked string, bright at first, its upper harmonics dying fastest."""
    t = _time(duration)
    amplitudes = [1 / k for k in range(1, 13)]
    decays = [2.0 + 1.5 * k for k in range(1, 13)]
    return 0.8 * harmonics(t, _phase(pitch, len(t)), amplitudes, decays) * envelope(len(t), 0.003, 0.02)


# --- everyday sounds ---------------------------------------------------------------------------

def siren(duration, pitch, rng):
    """A tone that glides up and down a fifth, a few times a second."""
    t = _time(duration)
    glide = pitch * 2 * (1.25 + 0.25 * np.sin(2 * np.pi * rng.uniform(1.0, 3.0) * t))
    return 0.8 * harmonics(t, _phase(glide, len(t)), [1.0, 0.3, 0.1]) * envelope(len(t), 0.03, 0.05)


def engine(duration, pitch, rng):
    """A low buzzing pulse with a throbbing firing rate, plus rumble."""
    t = _time(duration)
    base = pitch / 6
    throb = 1 + 0.5 * np.sin(2 * np.pi * base / 4 * t)
    wave = harmonics(t, _phase(base, len(t)), [1 / k**0.7 for k in range(1, 30)]) * throb
    wave = wave / (np.abs(wave).max() + 1e-12) + 0.2 * band_noise(len(t), 30, 400, rng) / 3
    return 0.8 * wave * envelope(len(t), 0.05, 0.05)


def rain(duration, pitch, rng):
    """Many small random drops on a hiss."""
    n = len(_time(duration))
    drop_length = int(0.004 * SAMPLE_RATE)
    drop = np.sin(2 * np.pi * 12 * pitch / SAMPLE_RATE * np.arange(drop_length)) * fading(drop_length, 5)
    times = rng.uniform(0, duration, size=int(duration * 250))
    wave = _bursts(n, times, drop) * 0.5 + 0.15 * band_noise(n, 2000, 7000, rng)
    return 0.8 * wave / (np.abs(wave).max() + 1e-12) * envelope(n, 0.05, 0.05)


def clock(duration, pitch, rng):
    """Regular sharp ticks."""
    n = len(_time(duration))
    tick_length = int(0.006 * SAMPLE_RATE)
    tick = band_noise(tick_length, 6 * pitch, min(16 * pitch, NYQUIST), rng) * fading(tick_length, 8)
    period = rng.uniform(0.08, 0.16)
    times = np.arange(rng.uniform(0, period), duration, period)
    wave = _bursts(n, times, tick)
    return wave / (np.abs(wave).max() + 1e-12)


def chirp(duration, pitch, rng):
    """Bird-like chirps: short fast upward glides."""
    n = len(_time(duration))
    length = int(rng.uniform(0.04, 0.08) * SAMPLE_RATE)
    s = np.arange(length) / SAMPLE_RATE
    start = min(8 * pitch, 4500)
    glide = start * (1 + 8 * s)  # rises by about half within 60 ms
    note = np.sin(_phase(glide, length)) * np.sin(np.pi * np.arange(length) / length) ** 2
    times = np.cumsum(rng.uniform(0.1, 0.2, size=int(duration / 0.1) + 1)) - 0.08
    return _bursts(n, times[(times >= 0) & (times < duration)], note)


def knock(duration, pitch, rng):
    """A few dull knocks: low resonances that die within tens of milliseconds."""
    n = len(_time(duration))
    length = int(0.08 * SAMPLE_RATE)
    s = np.arange(length) / SAMPLE_RATE
    hit = (np.sin(2 * np.pi * pitch / 2 * s) + 0.5 * np.sin(2 * np.pi * pitch * 1.6 * s)) * np.exp(-60 * s)
    hit += 0.3 * band_noise(length, 200, 3000, rng) * np.exp(-200 * s)
    times = np.cumsum(rng.uniform(0.12, 0.25, size=int(duration / 0.12) + 1)) - 0.1
    wave = _bursts(n, times[(times >= 0) & (times < duration)], hit)
    return wave / (np.abs(wave).max() + 1e-12)


def alarm(duration, pitch, rng):
    """Beep-beep: two tones a fourth apart, alternating several times a second."""
    t = _time(duration)
    rate = rng.uniform(4, 8)
    high = (np.floor(2 * rate * t) % 2).astype(bool)
    frequency = np.where(high, 4 * pitch * 4 / 3, 4 * pitch)
    gate = np.sin(np.pi * (2 * rate * t % 1)) ** 0.3
    return 0.7 * harmonics(t, _phase(frequency, len(t)), [1.0, 0.5]) * gate * envelope(len(t), 0.01, 0.02)


SHAPE_SOUNDS = {"circle": whistle, "square": reed, "triangle": bell, "cross": rattle, "diamond": pluck}
EVERYDAY_SOUNDS = {"siren": siren, "engine": engine, "rain": rain, "clock": clock, "chirp": chirp,
                   "knock": knock, "alarm": alarm}
SOUNDS = {fn.__name__: fn for fn in (*SHAPE_SOUNDS.values(), *EVERYDAY_SOUNDS.values())}
# A colour sets the register: the pitch (Hz) of every sound an object of that colour makes.
REGISTER_HZ = {"red": 131.0, "yellow": 175.0, "green": 233.0, "cyan": 311.0, "blue": 415.0, "magenta": 554.0}
PITCH_RANGE_HZ = (110.0, 660.0)


def make_sound(kind: str, duration: float, pitch: float, rng) -> np.ndarray:
    """One sound of ``kind`` (a shape, a timbre family or an everyday sound), peak 1."""
    name = SHAPE_SOUNDS[kind].__name__ if kind in SHAPE_SOUNDS else kind
    if name not in SOUNDS:
        raise ValueError(f"unknown sound {kind!r}; known: {', '.join([*SHAPE_SOUNDS, *SOUNDS])}")
    wave = SOUNDS[name](duration, pitch, rng)
    return (wave / (np.abs(wave).max() + 1e-12)).astype(np.float32)


def ambience(n: int, kind: str, rng) -> np.ndarray:
    """Background sound, unit RMS: ``"hiss"`` (broad noise), ``"hum"`` (mains hum) or ``"wind"``."""
    t = np.arange(n) / SAMPLE_RATE
    if kind == "hiss":
        wave = band_noise(n, 100, 7500, rng)
    elif kind == "hum":
        base = rng.choice([50.0, 60.0])
        wave = harmonics(t, _phase(base, n), [1.0, 0.6, 0.4, 0.3, 0.2]) + 0.2 * band_noise(n, 50, 2000, rng)
    elif kind == "wind":
        gust = 1 + 0.8 * np.sin(2 * np.pi * rng.uniform(0.2, 0.6) * t + rng.uniform(0, 2 * np.pi))
        wave = band_noise(n, 80, 1200, rng) * gust
    else:
        raise ValueError(f"ambience is one of 'hiss', 'hum', 'wind', not {kind!r}")
    return (wave / (np.sqrt(np.mean(wave**2)) + 1e-12)).astype(np.float32)


AMBIENCES = ("hiss", "hum", "wind")


def place_randomly(sound: np.ndarray, clip: int, rng) -> np.ndarray:
    """A ``clip``-sample wave holding ``sound`` (cut to fit) at a random onset, silence elsewhere."""
    sound = sound[:clip]
    wave = np.zeros(clip, dtype=np.float32)
    onset = rng.integers(0, clip - len(sound) + 1)
    wave[onset:onset + len(sound)] = sound
    return wave


def mix_at_snr(signal: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """``signal + noise`` with the noise scaled to ``snr_db`` below the signal's power."""
    signal_power = np.mean(signal**2) + 1e-12
    noise_power = np.mean(noise**2) + 1e-12
    return signal + noise * np.sqrt(signal_power / noise_power / 10 ** (snr_db / 10))
