"""Shape world scenes: 1-4 coloured shapes on a 3x3 grid, rendered with NumPy in bulk.

A scene is a row of the object table (shape, colour, size, grid row, grid column for
up to four objects); images, boxes and masks are all computed from that table, so a
scene is cheap to store and exactly reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..core.seeds import stream

SHAPES = ("circle", "square", "triangle", "cross", "diamond")
COLOURS = ("red", "green", "blue", "yellow", "magenta", "cyan")
SIZES = ("small", "large")
RGB = np.array([[220, 40, 40], [40, 180, 60], [50, 80, 230], [235, 215, 40], [210, 50, 210],
                [40, 210, 220]], dtype=np.float32)
GRID = 3
MAX_OBJECTS = 4
# Colour-shape pairs that never occur in training splits (for zero-shot tests).
HELD_OUT = (("blue", "triangle"), ("yellow", "circle"), ("magenta", "square"), ("green", "cross"))
_HELD_OUT_IDS = {(COLOURS.index(c), SHAPES.index(s)) for c, s in HELD_OUT}
NOISY_SHARE = 0.5  # share of scenes on a noisy background, the rest on a plain one
RADIUS = {0: 0.16, 1: 0.28}  # half-extent as a share of the image side, per size id


@dataclass
class Scenes:
    """A batch of scenes. Object arrays have shape (N, MAX_OBJECTS); unused slots hold -1."""

    shape: np.ndarray
    colour: np.ndarray
    size: np.ndarray
    row: np.ndarray
    col: np.ndarray
    noisy: np.ndarray  # (N,) bool: noisy or plain background
    image_size: int
    seed: int

    def __len__(self) -> int:
        return len(self.shape)

    @property
    def count(self) -> np.ndarray:
        return (self.shape >= 0).sum(axis=1)

    def objects(self, i: int) -> list[dict]:
        """The objects of scene ``i`` with named attributes, grid cell and box."""
        boxes = self.boxes[i]
        return [{"shape": SHAPES[self.shape[i, k]], "colour": COLOURS[self.colour[i, k]],
                 "size": SIZES[self.size[i, k]], "row": int(self.row[i, k]),
                 "col": int(self.col[i, k]), "box": boxes[k].tolist()}
                for k in range(MAX_OBJECTS) if self.shape[i, k] >= 0]

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Pixel centres (x, y) of every object slot, jittered within its cell."""
        cell = self.image_size / GRID
        rng = stream(self.seed, "scene jitter")
        jitter = rng.uniform(-0.12, 0.12, size=(2, *self.shape.shape)) * cell
        return (self.col + 0.5) * cell + jitter[0], (self.row + 0.5) * cell + jitter[1]

    def radii(self) -> np.ndarray:
        cell = self.image_size / GRID
        return np.where(self.size == 1, RADIUS[1], RADIUS[0]) * cell * 1.5

    @cached_property
    def boxes(self) -> np.ndarray:
        """(N, MAX_OBJECTS, 4) boxes x0, y0, x1, y1 in pixels (zeros for unused slots)."""
        x, y = self.centres()
        r = self.radii()
        boxes = np.stack([x - r, y - r, x + r, y + r], axis=-1).clip(0, self.image_size)
        return np.where((self.shape >= 0)[..., None], boxes, 0.0)

    def masks(self, index: np.ndarray | slice = slice(None)) -> np.ndarray:
        """(n, MAX_OBJECTS, H, W) boolean masks of the objects of the chosen scenes."""
        x, y = self.centres()
        return shape_masks(self.shape[index], x[index], y[index], self.radii()[index], self.image_size)

    def images(self, index: np.ndarray | slice = slice(None)) -> np.ndarray:
        """(n, H, W, 3) uint8 images of the chosen scenes."""
        masks = self.masks(index)
        colours = RGB[np.maximum(self.colour[index], 0)]  # (n, K, 3)
        n = masks.shape[0]
        background = np.full((n, self.image_size, self.image_size, 3), 30.0, dtype=np.float32)
        noisy = np.flatnonzero(self.noisy[index])
        # One noise stream per scene, so a scene looks the same in any batch.
        first = np.arange(len(self))[index][noisy] if len(noisy) else []
        for row, scene in zip(noisy, first):
            rng = stream(self.seed, "scene background noise", int(scene))
            background[row] += 25 + 28 * rng.standard_normal(background.shape[1:], dtype=np.float32)
        covered = masks.any(axis=1)[..., None]
        painted = np.einsum("nkhw,nkc->nhwc", masks.astype(np.float32), colours)
        return np.where(covered, painted, background).clip(0, 255).astype(np.uint8)


def _shape_mask(shape_id: int, dx, dy, r) -> np.ndarray:
    ax, ay = np.abs(dx), np.abs(dy)
    if shape_id == 0:  # circle
        return dx * dx + dy * dy <= r * r
    if shape_id == 1:  # square
        return np.maximum(ax, ay) <= 0.85 * r
    if shape_id == 2:  # triangle, apex up
        return (dy <= 0.8 * r) & (dy >= -r) & (ax <= (dy + r) * 0.58)
    if shape_id == 3:  # cross
        return ((ax <= r / 3) & (ay <= r)) | ((ay <= r / 3) & (ax <= r))
    return ax + ay <= r  # diamond


def shape_masks(shape, cx, cy, radius, image_size) -> np.ndarray:
    """Masks for arrays of objects (any leading shape; shape -1 is empty), on the pixel grid."""
    shape = np.asarray(shape)
    flat = shape.reshape(-1)
    cx, cy, r = (np.asarray(a, dtype=np.float32).reshape(-1) for a in (cx, cy, radius))
    coords = np.arange(image_size, dtype=np.float32) + 0.5
    masks = np.zeros((len(flat), image_size, image_size), dtype=bool)
    for shape_id in range(len(SHAPES)):
        chosen = np.flatnonzero(flat == shape_id)  # each shape's formula only on its objects
        if len(chosen):
            dx = coords[None, None, :] - cx[chosen, None, None]
            dy = coords[None, :, None] - cy[chosen, None, None]
            masks[chosen] = _shape_mask(shape_id, dx, dy, r[chosen, None, None])
    return masks.reshape(*shape.shape, image_size, image_size)


def sample_scenes(n: int, seed: int, allow_held_out: bool, image_size: int = 64,
                  noisy_share: float = NOISY_SHARE, objects: tuple[int, int] = (1, MAX_OBJECTS)) -> Scenes:
    """Draw ``n`` scene layouts (no pixels yet); held-out pairs only if ``allow_held_out``; each
    scene has between ``objects[0]`` and ``objects[1]`` objects."""
    fewest, most = objects
    if not 1 <= fewest <= most <= MAX_OBJECTS:
        raise ValueError(f"objects must be (fewest, most) with 1 <= fewest <= most <= {MAX_OBJECTS}, "
                         f"not {objects}")
    rng = np.random.default_rng(seed)
    count = rng.integers(fewest, most + 1, size=n)
    # Distinct grid cells per scene: the first `count` of a random permutation of the 9 cells.
    cells = np.argsort(rng.random((n, GRID * GRID)), axis=1)[:, :MAX_OBJECTS]
    shape = rng.integers(0, len(SHAPES), size=(n, MAX_OBJECTS))
    colour = rng.integers(0, len(COLOURS), size=(n, MAX_OBJECTS))
    if not allow_held_out:
        # Redraw the colour of held-out pairs until none is left (a few rounds suffice).
        for _ in range(20):
            banned = np.zeros_like(shape, dtype=bool)
            for c, s in _HELD_OUT_IDS:
                banned |= (colour == c) & (shape == s)
            if not banned.any():
                break
            colour[banned] = rng.integers(0, len(COLOURS), size=int(banned.sum()))
    size = rng.integers(0, len(SIZES), size=(n, MAX_OBJECTS))
    unused = np.arange(MAX_OBJECTS)[None, :] >= count[:, None]
    for array in (shape, colour, size):
        array[unused] = -1
    row, col = np.where(unused, -1, cells // GRID), np.where(unused, -1, cells % GRID)
    noisy = rng.random(n) < noisy_share
    return Scenes(shape, colour, size, row, col, noisy, image_size, seed)


def has_held_out(scenes: Scenes) -> np.ndarray:
    """(N,) whether each scene holds a held-out colour-shape pair."""
    found = np.zeros(len(scenes), dtype=bool)
    for c, s in _HELD_OUT_IDS:
        found |= ((scenes.colour == c) & (scenes.shape == s)).any(axis=1)
    return found
