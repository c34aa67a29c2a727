"""Figures shared by the notebooks."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from ..core.arrays import as_numpy

_NOT_CURVES = {"epoch", "seconds"}


def plot_history(history, title: str | None = None):
    """One panel per metric of a training :class:`~course_utils.training.History`.

    A validation metric ``val_NAME`` shares the panel of the training metric ``NAME``.
    """
    recorded = history.metrics()
    names = [m for m in recorded if m not in _NOT_CURVES and not (m.startswith("val_") and m[4:] in recorded)]
    if not names:
        raise ValueError("the history holds no epoch to plot: train first (or check that fit ran its epochs)")
    fig, axes = plt.subplots(1, len(names), figsize=(4 * len(names), 3), squeeze=False)
    epochs = history["epoch"]
    for ax, name in zip(axes[0], names):
        curves = [(name, "training")] + ([(f"val_{name}", "validation")] if f"val_{name}" in recorded else [])
        for metric, label in curves:
            values = history[metric]
            ax.plot(epochs[-len(values):], values, marker="o", label=label)
        if len(curves) > 1:
            ax.legend(fontsize=8)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(name)
        ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def project_2d(vectors: np.ndarray) -> np.ndarray:
    """PCA to two dimensions (centred SVD)."""
    centred = np.asarray(vectors, dtype=np.float64) - np.mean(vectors, axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ vt[:2].T


def plot_embedding_map(vectors: np.ndarray, labels: list[str], groups: list[str] | None = None,
                       title: str = "", ax=None, arrows: list[tuple[int, int]] = ()):
    """Words (or items) placed by PCA of their vectors, coloured by group.

    ``arrows`` are index pairs ``(from, to)`` drawn as arrows, to show offsets
    such as man -> woman.
    """
    points = project_2d(vectors)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 6))
    groups = groups or [""] * len(labels)
    for group in dict.fromkeys(groups):
        idx = [i for i, g in enumerate(groups) if g == group]
        ax.scatter(points[idx, 0], points[idx, 1], s=18, label=group or None)
    for a, b in arrows:
        ax.annotate("", xy=points[b], xytext=points[a],
                    arrowprops={"arrowstyle": "->", "color": "gray", "alpha": 0.6})
    spread_labels(ax, [ax.text(x, y, label, fontsize=8) for (x, y), label in zip(points, labels)], points)
    if any(groups):
        ax.legend(fontsize=8, loc="best")
    ax.set_title(title)
    ax.set_xticks([])
    ax.set_yticks([])
    return ax


def spread_labels(ax, texts, points=None):
    """Move text labels apart so that none overlaps another (or the points), with a thin line
    from a moved label back to its point."""
    from adjustText import adjust_text

    if texts:
        x, y = (None, None) if points is None else (np.asarray(points)[:, 0], np.asarray(points)[:, 1])
        adjust_text(texts, x=x, y=y, ax=ax, arrowprops={"arrowstyle": "-", "color": "gray", "lw": 0.5})


def plot_bars(values: dict[str, float], title: str = "", ax=None, xlabel: str = ""):
    """Horizontal bars, largest on top (neighbour lists, probabilities)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 0.3 * len(values) + 1))
    names = list(values)[::-1]
    ax.barh(names, [values[n] for n in names])
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    return ax


def _channels_last(image: np.ndarray) -> np.ndarray:
    """An (H, W), (H, W, C) or (C, H, W) picture (C = 1, 3 or 4) as imshow takes it."""
    if image.ndim == 3 and image.shape[0] in (1, 3, 4) and image.shape[-1] not in (1, 3, 4):
        image = image.transpose(1, 2, 0)
    if image.ndim == 3 and image.shape[-1] == 1:
        image = image[..., 0]
    if image.ndim not in (2, 3) or (image.ndim == 3 and image.shape[-1] not in (3, 4)):
        raise ValueError(f"show_images takes pictures of shape (H, W, C) or (C, H, W) with C = 1, 3 or 4, "
                         f"not {image.shape}; pass a batch as a sequence of such pictures")
    return image


def show_images(images, titles=None, boxes=None, columns: int = 8, size: float = 1.8,
                title_size: int = 7, title: str | None = None, wrap: int | None = None):
    """A grid of images (uint8 HWC or float CHW), each with an optional title and boxes.

    ``wrap`` breaks titles into lines of at most that many characters (long captions); a title's
    own line breaks are kept.
    """
    import textwrap

    if titles is not None and wrap:  # each line of a title wrapped apart: its own line breaks stay
        titles = ["\n".join(part for line in t.split("\n") for part in textwrap.wrap(line, wrap) or [""])
                  for t in titles]

    images = [_channels_last(as_numpy(img)) for img in images]
    rows = (len(images) + columns - 1) // columns
    title_lines = max((t.count("\n") + 1 for t in titles), default=1) if titles is not None else 1
    suptitle_room = 0.35 if title else 0.0  # inches above the images' own titles
    height = rows * (size + 0.2 + 0.15 * title_lines) + suptitle_room
    fig, axes = plt.subplots(rows, columns, figsize=(columns * size, height), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for k, (ax, image) in enumerate(zip(axes.flat, images)):
        ax.imshow(image)
        if titles is not None:
            ax.set_title(titles[k], fontsize=title_size)
        for x0, y0, x1, y1 in (boxes[k] if boxes is not None else []):
            ax.add_patch(plt.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, color="white", lw=0.8))
    if title:
        fig.suptitle(title, fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 1 - suptitle_room / height))  # the suptitle keeps clear of the titles
    return fig


def show_scene(world, index: int):
    """One shape-world scene with its object boxes and, beside it, its captions."""
    import textwrap

    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3), gridspec_kw={"width_ratios": [1, 1.6]})
    left.imshow(world.images[index])
    for obj in world.scenes.objects(index):
        x0, y0, x1, y1 = obj["box"]
        left.add_patch(plt.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, color="white", lw=1))
    left.axis("off")
    right.axis("off")
    lines = [textwrap.fill(c, 60) for c in world.captions[index]]
    right.text(0, 1, "\n".join(f"- {c}" for c in lines) + "\n\ntags: " + ", ".join(world.tags[index]),
               va="top", fontsize=8, family="monospace")
    fig.tight_layout()
    return fig
