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
from .shapes import HELD_OUT, MAX_OBJECTS, NOISY_SHARE, Scenes, has_held_out, sample_scenes

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


def _cache_path(folder: Path, split: str, n: int, seed: int, image_size: int, objects: tuple[int, int],
                noisy_share: float, allow_held_out: bool) -> Path:
    # Only what differs from the usual world enters the name, so that its caches keep their names.
    counts = "" if objects == (1, MAX_OBJECTS) else f"-objects{objects[0]}to{objects[1]}"
    noise = "" if noisy_share == NOISY_SHARE else f"-noisy{noisy_share:g}"
    pairs = "" if allow_held_out == (split == "test") else f"-heldout{int(allow_held_out)}"
    variant = f"{counts}{noise}{pairs}"
    return folder / f"shapes-v{FORMAT_VERSION}-{split}-n{n}-seed{seed}-{image_size}px{variant}.npz"


def load_shape_world(split: str, n: int, seed: int = 0, data_dir: Path | str | None = None,
                     image_size: int = 64, objects: tuple[int, int] = (1, MAX_OBJECTS),
                     noisy_share: float = NOISY_SHARE, allow_held_out: bool | None = None) -> ShapeWorld:
    """``n`` scenes of ``split``, each with ``objects[0]`` to ``objects[1]`` objects, a share
    ``noisy_share`` of them on a noisy background; generated once, then read from ``data_dir``
    (if given). Held-out colour-shape pairs occur only in the test split, unless ``allow_held_out``
    says otherwise (a judge of generated pictures, say, must know every pair)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    if n < 1 or image_size < 8 or not 0 <= noisy_share <= 1:
        raise ValueError(f"need n >= 1 scenes, image_size >= 8 pixels and 0 <= noisy_share <= 1, not n={n}, "
                         f"image_size={image_size}, noisy_share={noisy_share}")
    split_seed = scene_seed(seed, f"shapes {split}")
    objects = tuple(objects)
    allow_held_out = split == "test" if allow_held_out is None else allow_held_out
    scenes = sample_scenes(n, split_seed, allow_held_out=allow_held_out, image_size=image_size,
                           objects=objects, noisy_share=noisy_share)
    path = (_cache_path(Path(data_dir) / "shape_world", split, n, seed, image_size, objects, noisy_share,
                        allow_held_out) if data_dir else None)

    def make():
        text = dict(zip(("captions", "tags", "questions"), scene_text(scenes, split_seed)))
        return {"images": _render(scenes), "text": np.array(json.dumps(text))}

    arrays = cached_npz(path, make, check=lambda a: a["images"].shape == (n, image_size, image_size, 3))
    images, text = arrays["images"], json.loads(str(arrays["text"]))
    questions = [[tuple(q) for q in qs] for qs in text["questions"]]
    return ShapeWorld(split, scenes, images, text["captions"], text["tags"], questions)


__all__ = ["HELD_OUT", "SPLITS", "ShapeWorld", "load_shape_world"]
