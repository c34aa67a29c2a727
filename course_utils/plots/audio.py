"""Pictures of sound: waveforms and spectrograms with their axes in seconds and hertz."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..core.arrays import as_numpy
from ..core.audio import HOP, SAMPLE_RATE, mono_wave


def plot_waveform(wave, sample_rate: int = SAMPLE_RATE, title: str = "", ax=None, start: float = 0.0):
    """Amplitude against time in seconds (``start``: the time of the first sample)."""
    wave = mono_wave(wave, "plot_waveform")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 2))
    ax.plot(start + np.arange(len(wave)) / sample_rate, wave, linewidth=0.6)
    ax.set(xlabel="time (s)", ylabel="amplitude", title=title)
    ax.margins(x=0)
    return ax


def plot_spectrogram(values, sample_rate: int = SAMPLE_RATE, hop: int = HOP, title: str = "", ax=None,
                     frequencies=None, decibels: bool = True, colorbar: bool = True):
    """A (frequency bins, frames) array as an image: time in seconds across, frequency up.

    ``frequencies`` gives each row's centre in Hz (a mel filterbank's centres, say); by default
    the rows are the linear STFT bins from 0 Hz to the Nyquist frequency. ``decibels`` shows
    ``10 log10`` of a power (values are clipped 80 dB below the peak).
    """
    values = as_numpy(values)
    if np.iscomplexobj(values):
        raise TypeError("plot_spectrogram draws a power or a magnitude, not complex STFT values: pass "
                        "stft(x).abs() ** 2 (or .abs() with decibels=False)")
    if values.ndim != 2:
        raise ValueError(f"plot_spectrogram takes one (frequency bins, frames) array, not {values.shape}")
    values = values.astype(np.float64)
    if decibels:
        values = 10 * np.log10(np.maximum(values, values.max() * 1e-8 + 1e-20))
        values = np.maximum(values, values.max() - 80)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3))
    seconds = values.shape[1] * hop / sample_rate
    if frequencies is None:
        image = ax.imshow(values, origin="lower", aspect="auto", extent=(0, seconds, 0, sample_rate / 2),
                          cmap="magma")
    else:  # unevenly spaced rows (mel): draw each row at its own frequency
        edges_t = np.arange(values.shape[1] + 1) * hop / sample_rate
        centres = np.asarray(frequencies, dtype=np.float64)
        edges_f = np.concatenate([[centres[0] - (centres[1] - centres[0]) / 2],
                                  (centres[1:] + centres[:-1]) / 2,
                                  [centres[-1] + (centres[-1] - centres[-2]) / 2]])
        image = ax.pcolormesh(edges_t, edges_f, values, cmap="magma", shading="flat")
    ax.set(xlabel="time (s)", ylabel="frequency (Hz)", title=title)
    if colorbar:
        plt.colorbar(image, ax=ax, label="dB" if decibels else "")
    return ax
