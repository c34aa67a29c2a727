"""Real text for word embeddings: gensim's bundled corpora, and text8 through the registry."""

from __future__ import annotations

import re
from pathlib import Path

from .download import fetch

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def tokenize(text: str) -> list[str]:
    """Lower-case words; punctuation and digits dropped."""
    return _WORD.findall(text.lower())


def gensim_corpus(name: str) -> list[list[str]]:
    """A corpus shipped inside gensim (one document per line), tokenised."""
    from gensim.test.utils import datapath

    with open(datapath(name), encoding="utf-8") as f:
        return [tokens for line in f if (tokens := tokenize(line))]


def gensim_file(name: str) -> Path:
    from gensim.test.utils import datapath

    return Path(datapath(name))


def load_text8(data_dir: Path | str, max_words: int | None = None,
               sentence_length: int = 1000, dataset="text8") -> list[list[str]]:
    """The first ``max_words`` words of text8 (fetched through the registry), in chunks."""
    folder = fetch(dataset, data_dir)
    path = folder / "text8"
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from the extracted archive; delete "
                                f"{folder} and fetch text8 again.")
    words: list[str] = []
    with open(path, encoding="utf-8") as f:
        tail = ""
        while max_words is None or len(words) < max_words:
            chunk = f.read(1 << 20)
            if not chunk:
                words += tail.split()
                break
            pieces = (tail + chunk).split(" ")
            tail = pieces.pop()
            words += [p for p in pieces if p]
    if max_words is not None:
        words = words[:max_words]
    return [words[i:i + sentence_length] for i in range(0, len(words), sentence_length)]
