"""Figures: images and scenes, embeddings, bars, training curves, waveforms and spectrograms."""

from .audio import plot_spectrogram, plot_waveform
from .figures import (
    plot_bars,
    plot_embedding_map,
    plot_history,
    project_2d,
    show_images,
    show_scene,
    spread_labels,
)

__all__ = [
    "plot_bars",
    "plot_embedding_map",
    "plot_history",
    "plot_spectrogram",
    "plot_waveform",
    "project_2d",
    "show_images",
    "show_scene",
    "spread_labels",
]
