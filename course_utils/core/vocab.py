"""A word vocabulary with padding and special tokens, and a whitespace tokeniser."""

from __future__ import annotations

import collections
from collections.abc import Iterable

import torch

PAD, START, END, UNKNOWN = "<pad>", "<start>", "<end>", "<unk>"
SPECIALS = (PAD, START, END, UNKNOWN)
# Words too common to describe a picture: skipped when tags are taken from captions.
FUNCTION_WORDS = frozenset(
    "a an the and or of in on at to with is are its it his her their there this that while as by "
    "for from into up down out over two three some one".split())


def words(text: str) -> list[str]:
    """Lower-case words split on white space (the shape world's text is already tokenised)."""
    return text.lower().split()


class Vocabulary:
    """Maps words to ids: ``<pad>`` is 0, then ``<start>``, ``<end>``, ``<unk>``, then words."""

    def __init__(self, tokens: Iterable[str]):
        self.itos = list(SPECIALS) + [t for t in dict.fromkeys(tokens) if t not in SPECIALS]
        self.stoi = {t: i for i, t in enumerate(self.itos)}

    @classmethod
    def build(cls, texts: Iterable[str], min_count: int = 1) -> Vocabulary:
        """Words seen at least ``min_count`` times, most frequent first (ties alphabetical)."""
        counts = collections.Counter(w for text in texts for w in words(text))
        ranked = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
        return cls(ranked)

    def __len__(self) -> int:
        return len(self.itos)

    def __contains__(self, word: str) -> bool:
        return word in self.stoi

    pad_id = property(lambda self: self.stoi[PAD])
    start_id = property(lambda self: self.stoi[START])
    end_id = property(lambda self: self.stoi[END])
    unknown_id = property(lambda self: self.stoi[UNKNOWN])

    def encode(self, text: str, add_start_end: bool = False) -> list[int]:
        ids = [self.stoi.get(w, self.unknown_id) for w in words(text)]
        return [self.start_id, *ids, self.end_id] if add_start_end else ids

    def decode(self, ids: Iterable[int]) -> str:
        """Words up to the first ``<end>``, without padding or ``<start>``."""
        out = []
        for i in ids:
            i = int(i)
            if not 0 <= i < len(self.itos):  # a negative id would silently read from the end
                raise IndexError(f"word id {i} is outside the vocabulary of {len(self.itos)} words")
            if i == self.end_id:
                break
            if i not in (self.pad_id, self.start_id):
                out.append(self.itos[i])
        return " ".join(out)

    def encode_batch(self, texts: list[str], add_start_end: bool = False,
                     length: int | None = None) -> torch.Tensor:
        """A padded ``(len(texts), length)`` LongTensor (``length``: the longest by default)."""
        encoded = [self.encode(t, add_start_end) for t in texts]
        length = length or max(map(len, encoded))
        too_long = [t for t, e in zip(texts, encoded) if len(e) > length]
        if too_long:
            raise ValueError(f"{len(too_long)} texts are longer than {length} tokens, e.g. {too_long[0]!r}")
        batch = torch.full((len(texts), length), self.pad_id, dtype=torch.long)
        for row, ids in enumerate(encoded):
            batch[row, :len(ids)] = torch.tensor(ids, dtype=torch.long)
        return batch


def frequent_words(texts: Iterable[str], k: int, skip: frozenset[str] = FUNCTION_WORDS) -> list[str]:
    """The ``k`` most frequent words of ``texts`` outside ``skip`` (ties alphabetical): tag words."""
    counts = collections.Counter(w for text in texts for w in words(text) if w not in skip)
    return sorted(counts, key=lambda w: (-counts[w], w))[:k]


def tag_targets(captions_per_item: list[list[str]], tags: list[str]) -> torch.Tensor:
    """(N, len(tags)) multi-hot: a tag applies when any caption of the item uses the word."""
    index = {t: i for i, t in enumerate(tags)}
    targets = torch.zeros(len(captions_per_item), len(tags))
    for row, captions in enumerate(captions_per_item):
        if isinstance(captions, str):  # its letters would be read as captions, matching no tag
            raise TypeError(f"tag_targets takes a list of captions per item, not a string (item {row}: "
                            f"{captions!r}); wrap a single caption as [caption]")
        used = {index[w] for caption in captions for w in words(caption) if w in index}
        targets[row, sorted(used)] = 1.0
    return targets
