"""Small display helpers for notebook cells: Markdown tables and audio players."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from ..core.audio import SAMPLE_RATE, mono_wave


def markdown_table(header: Sequence[str], rows: Iterable[Sequence], title: str = "") -> str:
    """A Markdown table; cells are written with ``str`` (format numbers before passing them)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"a row of {len(row)} cells in a table of {len(header)} columns: {row}")
        lines.append("| " + " | ".join(str(cell) for cell in row) + " |")
    return (f"{title}\n\n" if title else "") + "\n".join(lines)


def show_table(header: Sequence[str], rows: Iterable[Sequence], title: str = "") -> None:
    """Show a Markdown table (with an optional title line above it) in the notebook."""
    from IPython.display import Markdown, display

    display(Markdown(markdown_table(header, rows, title)))


def player(wave, sample_rate: int = SAMPLE_RATE, normalize: bool = False):
    """A notebook audio player; ``normalize=False`` keeps loudness comparable between players."""
    from IPython.display import Audio

    wave = mono_wave(wave, "player")
    if not normalize:
        wave = np.clip(wave, -1.0, 1.0)
    return Audio(wave, rate=sample_rate, normalize=normalize)
