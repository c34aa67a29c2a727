"""Flickr8k: photos with five captions each, in its standard train / dev / test split."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .download import fetch

SPLIT_FILES = {"train": "Flickr_8k.trainImages.txt", "val": "Flickr_8k.devImages.txt",
               "test": "Flickr_8k.testImages.txt"}
CAPTIONS_FILE = "Flickr8k.token.txt"


@dataclass(frozen=True)
class CaptionedImage:
    image: Path
    captions: tuple[str, ...]


def _find(folder: Path, name: str) -> Path:
    matches = sorted(folder.rglob(name))
    if not matches:
        raise FileNotFoundError(f"{name} is not in {folder}; the archive is incomplete. Delete the "
                                f"folder and fetch it again.")
    return matches[0]


def read_flickr8k(images_dir: Path, text_dir: Path, split: str) -> list[CaptionedImage]:
    """Items of ``split`` from extracted folders (the captions file is ``name.jpg#k<TAB>text``)."""
    if split not in SPLIT_FILES:
        raise ValueError(f"split must be one of {tuple(SPLIT_FILES)}, not {split!r}")
    captions = defaultdict(list)
    for line in _find(text_dir, CAPTIONS_FILE).read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            key, text = line.split("\t", 1)
            captions[key.split("#")[0]].append(text.strip().lower())
    names = [n.strip() for n in _find(text_dir, SPLIT_FILES[split]).read_text().splitlines() if n.strip()]
    folder = _find(images_dir, names[0]).parent
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
