"""Real datasets: a registry of what to fetch, and a careful downloader."""

from .download import DownloadError, fetch
from .registry import REGISTRY, DatasetEntry, lookup

__all__ = ["REGISTRY", "DatasetEntry", "DownloadError", "fetch", "lookup"]
