"""Metrics, each checked in the tests against a reference implementation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np


def rank_with_ties(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n, ties sharing their average rank (as ``scipy.stats.rankdata``)."""
    values = np.asarray(values, dtype=np.float64)
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=np.float64)
    sorted_values = values[order]
    start = 0
    while start < len(values):
        end = start
        while end + 1 < len(values) and sorted_values[end + 1] == sorted_values[start]:
            end += 1
        ranks[order[start:end + 1]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(x, y) -> float:
    """Spearman rank correlation (reference: ``scipy.stats.spearmanr``)."""
    x, y = np.asarray(x), np.asarray(y)
    if x.shape != y.shape or x.ndim != 1 or len(x) < 2:
        raise ValueError(f"spearman needs two 1-D sequences of equal length >= 2, got {x.shape}, "
                         f"{y.shape}")
    return float(np.corrcoef(rank_with_ties(x), rank_with_ties(y))[0, 1])


def read_word_pairs(path: Path | str) -> list[tuple[str, str, float]]:
    """Word pairs with human scores from a tab-separated file (``#`` lines are comments)."""
    pairs = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        a, b, score = line.split("\t")[:3]
        pairs.append((a.lower(), b.lower(), float(score)))
    return pairs


def word_similarity(similarity: Callable[[str, str], float], vocabulary,
                    pairs: list[tuple[str, str, float]]) -> tuple[float, float]:
    """Spearman of model similarity vs human scores over pairs in ``vocabulary``.

    Returns ``(spearman, coverage)``, coverage being the share of pairs scored
    (reference: gensim's ``KeyedVectors.evaluate_word_pairs``).
    """
    known = [(a, b, s) for a, b, s in pairs if a in vocabulary and b in vocabulary]
    if len(known) < 2:
        raise ValueError("fewer than two word pairs are in the vocabulary; use a bigger corpus")
    model = [similarity(a, b) for a, b, _ in known]
    human = [s for _, _, s in known]
    return spearman(model, human), len(known) / len(pairs)
