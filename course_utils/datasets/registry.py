"""Registry: dataset name -> where to fetch it, how big it is, how to check it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DatasetEntry:
    name: str
    urls: tuple[str, ...]  # the first that answers wins; later ones are mirrors
    filename: str  # the downloaded file's name
    size: int | None  # bytes of the downloaded file; None: not published
    sha256: str | None  # None: not published; pinned locally on first download
    archive: str | None  # "zip", "tar" or None for a plain file
    offline_alternative: str  # what to use instead without a network
    description: str = ""


REGISTRY: dict[str, DatasetEntry] = {
    "text8": DatasetEntry(
        name="text8",
        urls=("http://mattmahoney.net/dc/text8.zip",),
        filename="text8.zip",
        size=31_344_016,
        # The publisher gives no checksum; the downloader checks the size, pins the
        # sha256 of the first download next to it, and checks that pin afterwards.
        sha256=None,
        archive="zip",
        offline_alternative=(
            "the offline corpus: set CORPUS = 'offline' in the knobs cell of notebook 01 "
            "(gensim's bundled text plus the generated relational corpus)"
        ),
        description="First 10^8 characters of English Wikipedia, lower-cased (Matt Mahoney).",
    ),
    # Flickr8k (Hodosh et al. 2013): 8,091 photos with five captions each and the standard
    # 6,000 / 1,000 / 1,000 split. Two archives, as the copy most courses use publishes them.
    "flickr8k_images": DatasetEntry(
        name="flickr8k_images",
        urls=("https://github.com/jbrownlee/Datasets/releases/download/Flickr8k/Flickr8k_Dataset.zip",),
        filename="Flickr8k_Dataset.zip",
        size=None,
        sha256=None,
        archive="zip",
        offline_alternative=("the shape world: set USE_FLICKR8K = False in the knobs cell of notebook 02 "
                             "or 03"),
        description="Flickr8k photos (about 1 GB).",
    ),
    "flickr8k_text": DatasetEntry(
        name="flickr8k_text",
        urls=("https://github.com/jbrownlee/Datasets/releases/download/Flickr8k/Flickr8k_text.zip",),
        filename="Flickr8k_text.zip",
        size=None,
        sha256=None,
        archive="zip",
        offline_alternative=("the shape world: set USE_FLICKR8K = False in the knobs cell of notebook 02 "
                             "or 03"),
        description="Flickr8k captions (five per photo) and the train/dev/test split lists.",
    ),
    # ESC-50 (Piczak 2015): 2,000 five-second clips at 44.1 kHz, 50 classes, five folds.
    "esc50": DatasetEntry(
        name="esc50",
        urls=("https://github.com/karolpiczak/ESC-50/archive/master.zip",
              "https://github.com/karoldvl/ESC-50/archive/master.zip"),
        filename="ESC-50-master.zip",
        size=None,
        sha256=None,
        archive="zip",
        offline_alternative=("the sound world's events: set USE_ESC50 = False in the knobs cell of "
                             "notebook 07"),
        description="ESC-50 environmental sound classification (about 600 MB).",
    ),
}


def lookup(name: str) -> DatasetEntry:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(
            f"no dataset named {name!r} in the registry; known: {', '.join(sorted(REGISTRY))}"
        ) from None
