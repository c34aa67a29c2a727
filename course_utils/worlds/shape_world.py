"""The shape world as datasets: images plus captions, tags and questions, cached on disk."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.files import cached_npz
from ..core.parallel import concatenate_chunks
from ..core.seeds import scene_seed
from .shape_text import scene_text
from .shapes import HELD_OUT, Scenes, has_held_out, sample_scenes

FORMAT_VERSION = 1
SPLITS = ("train", "val", "test")
# Each split has its own scene set (core.seeds), so no scene is shared; held-out pairs only in "test".


@dataclass
class ShapeWorld:
    split: str
    scenes: Scenes
    images: np.ndarray  # (N, H, W, 3) uint8
    captions: list[list[str]]
    tags: list[list[str]]
    questions: list[list[tuple[str, str, str]]]

    def __len__(self) -> int:
        return len(self.images)

    @property
    def held_out(self) -> np.ndarray:
        """(N,) whether a scene holds one of the held-out colour-shape pairs."""
        return has_held_out(self.scenes)


def _render(scenes: Scenes, chunk: int = 500) -> np.ndarray:
    return concatenate_chunks(scenes.images, len(scenes), chunk)


def _cache_path(folder: Path, split: str, n: int, seed: int, image_size: int) -> Path:
    return folder / f"shapes-v{FORMAT_VERSION}-{split}-n{n}-seed{seed}-{image_size}px.npz"


def load_shape_world(split: str, n: int, seed: int = 0, data_dir: Path | str | None = None,
                     image_size: int = 64) -> ShapeWorld:
    """``n`` scenes of ``split``; generated once, then read from ``data_dir`` (if given)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    split_seed = scene_seed(seed, f"shapes {split}")
    scenes = sample_scenes(n, split_seed, allow_held_out=split == "test", image_size=image_size)
    path = _cache_path(Path(data_dir) / "shape_world", split, n, seed, image_size) if data_dir else None

    def make():
        text = dict(zip(("captions", "tags", "questions"), scene_text(scenes, split_seed)))
        return {"images": _render(scenes), "text": np.array(json.dumps(text))}

    arrays = cached_npz(path, make, check=lambda a: a["images"].shape == (n, image_size, image_size, 3))
    images, text = arrays["images"], json.loads(str(arrays["text"]))
    questions = [[tuple(q) for q in qs] for qs in text["questions"]]
    return ShapeWorld(split, scenes, images, text["captions"], text["tags"], questions)


__all__ = ["HELD_OUT", "SPLITS", "ShapeWorld", "load_shape_world"]
