"""Flickr8k: photos with five captions each, in its standard train / dev / test split."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from ..core.files import cached_npz
from .download import fetch, find_extracted

SPLIT_FILES = {"train": "Flickr_8k.trainImages.txt", "val": "Flickr_8k.devImages.txt",
               "test": "Flickr_8k.testImages.txt"}
CAPTIONS_FILE = "Flickr8k.token.txt"


@dataclass(frozen=True)
class CaptionedImage:
    image: Path
    captions: tuple[str, ...]


def read_flickr8k(images_dir: Path, text_dir: Path, split: str) -> list[CaptionedImage]:
    """Items of ``split`` from extracted folders (the captions file is ``name.jpg#k<TAB>text``)."""
    if split not in SPLIT_FILES:
        raise ValueError(f"split must be one of {tuple(SPLIT_FILES)}, not {split!r}")
    captions = defaultdict(list)
    for line in find_extracted(text_dir, CAPTIONS_FILE).read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            key, text = line.split("\t", 1)
            captions[key.split("#")[0]].append(text.strip().lower())
    split_list = find_extracted(text_dir, SPLIT_FILES[split]).read_text()
    names = [n.strip() for n in split_list.splitlines() if n.strip()]
    folder = find_extracted(images_dir, names[0]).parent
    items = []
    for name in names:
        path = folder / name
        if not path.is_file() or name not in captions:
            raise FileNotFoundError(f"{name} of the {split} split has no image or no captions in "
                                    f"{images_dir}; delete the folder and fetch it again.")
        items.append(CaptionedImage(path, tuple(captions[name])))
    return items


def load_flickr8k(data_dir: Path | str, split: str, images_dataset="flickr8k_images",
                  text_dataset="flickr8k_text") -> list[CaptionedImage]:
    """Fetch (once) and read Flickr8k through the dataset registry."""
    return read_flickr8k(fetch(images_dataset, data_dir), fetch(text_dataset, data_dir), split)


@dataclass
class CaptionedPhotos:
    """Photos as arrays with their captions, shaped like the shape world (``images``, ``captions``)."""

    split: str
    images: np.ndarray  # (N, S, S, 3) uint8
    captions: list[list[str]]  # five per photo: lower-case words separated by single spaces

    def __len__(self) -> int:
        return len(self.images)


def normalise_caption(text: str) -> str:
    """Lower-case words only: "A dog runs , fast ." -> "a dog runs fast"."""
    return " ".join(re.findall(r"[a-z]+", text.lower()))


def photo_array(path: Path, size: int) -> np.ndarray:
    """The photo's central square, resized to ``size`` x ``size``, as (size, size, 3) uint8."""
    with Image.open(path) as photo:
        photo = photo.convert("RGB")
        side = min(photo.size)
        left, top = (photo.width - side) // 2, (photo.height - side) // 2
        square = photo.crop((left, top, left + side, top + side))
        return np.asarray(square.resize((size, size), Image.Resampling.BICUBIC), dtype=np.uint8)


def load_flickr8k_photos(data_dir: Path | str, split: str, n: int | None = None, image_size: int = 64,
                         images_dataset="flickr8k_images", text_dataset="flickr8k_text") -> CaptionedPhotos:
    """The first ``n`` photos of ``split`` (all by default) at ``image_size``, cached as arrays."""
    if n is not None and n < 1:  # [:0] would give nothing, [:-1] all but the last, without a word
        raise ValueError(f"n must be at least 1 (or None for every photo), not {n}")
    items = load_flickr8k(data_dir, split, images_dataset, text_dataset)[:n]
    cache = Path(data_dir) / "flickr8k_arrays" / f"{split}-n{len(items)}-{image_size}px.npz"

    def make():
        captions = [[normalise_caption(c) for c in item.captions] for item in items]
        return {"images": np.stack([photo_array(item.image, image_size) for item in items]),
                "captions": np.array(json.dumps(captions))}

    arrays = cached_npz(cache, make)
    return CaptionedPhotos(split, arrays["images"], json.loads(str(arrays["captions"])))
