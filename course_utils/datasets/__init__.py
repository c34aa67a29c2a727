"""Real datasets: a registry of what to fetch, a careful downloader, and the loaders."""

from .download import DownloadError, fetch
from .esc50 import load_esc50
from .flickr8k import load_flickr8k_photos
from .registry import REGISTRY, DatasetEntry, lookup
from .text import gensim_corpus, gensim_file, load_text8

__all__ = [
    "REGISTRY",
    "DatasetEntry",
    "DownloadError",
    "fetch",
    "gensim_corpus",
    "gensim_file",
    "load_esc50",
    "load_flickr8k_photos",
    "load_text8",
    "lookup",
]
