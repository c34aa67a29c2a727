"""The course's audio settings, in one place, and audio files (WAV through ``soundfile``).

Every notebook and world takes its sample rate and STFT settings from here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .arrays import as_numpy
from .files import atomic_write

SAMPLE_RATE = 16_000  # the course's audio rate: the sound world is made at it, real sets resampled to it
# Short-time analysis, as speech front ends do it: 25 ms windows every 10 ms, FFT size the next power of 2.
WINDOW = 400
HOP = 160
N_FFT = 512
N_MELS = 64
PCM_FULL_SCALE = 32767  # the largest 16-bit sample: generated sounds are stored as 16-bit (half the disk)


def to_pcm16(wave: np.ndarray) -> np.ndarray:
    """A wave in [-1, 1] as 16-bit samples, rounded to the nearest step."""
    return np.round(np.asarray(wave) * PCM_FULL_SCALE).astype(np.int16)


def from_pcm16(samples: np.ndarray) -> np.ndarray:
    """16-bit samples as a float32 wave in [-1, 1], made in one array (a set of waves can take 600 MB)."""
    wave = samples.astype(np.float32)
    wave /= PCM_FULL_SCALE
    return wave


def mono_wave(wave, caller: str) -> np.ndarray:
    """``wave`` as a float32 array of shape (samples,), or an error that says what to pass instead.

    Catches the two usual slips: a (channels, samples) or (samples, channels) array, as audio
    readers return, and integer PCM samples, which as floats would all be far beyond [-1, 1].
    """
    wave = as_numpy(wave)
    if wave.ndim != 1:
        raise ValueError(f"{caller} takes one mono wave of shape (samples,), not {wave.shape}: pass one "
                         "channel (wave[0]) or their mean over the channel axis")
    if not np.issubdtype(wave.dtype, np.floating):
        raise TypeError(f"{caller} takes a float wave in [-1, 1], not {wave.dtype} samples: convert 16-bit "
                        "PCM with from_pcm16 (or divide by 32768)")
    return wave.astype(np.float32, copy=False)


def write_wav(path: Path | str, wave: np.ndarray, sample_rate: int = SAMPLE_RATE) -> Path:
    """Write a mono float wave in [-1, 1] as 16-bit PCM; written to a temporary file first."""
    import soundfile

    wave = mono_wave(wave, "write_wav")
    return atomic_write(path, lambda partial: soundfile.write(partial, np.clip(wave, -1.0, 1.0), sample_rate,
                                                              subtype="PCM_16", format="WAV"), ".wav")


def resample(wave: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Band-limited resampling (torchaudio's sinc interpolation)."""
    if from_rate == to_rate:
        return np.asarray(wave, dtype=np.float32)
    import torch
    import torchaudio.functional

    resampled = torchaudio.functional.resample(torch.from_numpy(np.asarray(wave, dtype=np.float32)),
                                               from_rate, to_rate)
    return resampled.numpy()


def read_wav(path: Path | str, sample_rate: int | None = SAMPLE_RATE) -> tuple[np.ndarray, int]:
    """A WAV (or FLAC/OGG) file as a mono float32 wave, resampled to ``sample_rate`` unless None."""
    import soundfile

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no audio file at {path}")
    try:
        wave, rate = soundfile.read(path, dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError) as error:
        raise ValueError(f"{path} is not a readable audio file ({error}); fetch or write it again") from None
    wave = wave.mean(axis=1)  # mono
    if sample_rate is not None and rate != sample_rate:
        return resample(wave, rate, sample_rate), sample_rate
    return wave, rate
