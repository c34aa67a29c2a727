"""Metrics, each checked in the tests against a reference implementation."""

from __future__ import annotations

import math
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
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        try:
            pairs.append((fields[0].lower(), fields[1].lower(), float(fields[2])))
        except (IndexError, ValueError):
            raise ValueError(f"{path}, line {number}: expected 'word<TAB>word<TAB>score', got {line!r} "
                             "(a header line must start with #)") from None
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


def ngram_counts(tokens: list[str], n: int) -> dict[tuple[str, ...], int]:
    counts: dict[tuple[str, ...], int] = {}
    for i in range(len(tokens) - n + 1):
        gram = tuple(tokens[i:i + n])
        counts[gram] = counts.get(gram, 0) + 1
    return counts


def corpus_bleu(references: list[list[list[str]]], hypotheses: list[list[str]], max_n: int = 4) -> float:
    """Corpus BLEU-``max_n`` with uniform weights (Papineni et al., 2002).

    ``references[i]`` holds the tokenised references of hypothesis ``i``. Clipped n-gram
    counts and lengths are summed over the corpus; the brevity penalty uses the reference
    length closest to each hypothesis (reference: ``nltk.translate.bleu_score.corpus_bleu``).
    """
    if len(references) != len(hypotheses) or not hypotheses:
        raise ValueError(f"need one list of references per hypothesis, got {len(references)} and "
                         f"{len(hypotheses)}")
    # A string where a list of words belongs would be scored letter by letter, without an error.
    if any(isinstance(h, str) for h in hypotheses) or any(isinstance(refs, str) or any(
            isinstance(r, str) for r in refs) for refs in references):
        raise TypeError("corpus_bleu takes tokenised sentences, lists of words such as caption.split(), "
                        "not strings: hypotheses [['a', 'red', 'circle'], ...] and references "
                        "[[['a', 'red', 'circle'], ...], ...]")
    matched = [0] * max_n
    total = [0] * max_n
    hypothesis_length = reference_length = 0
    for refs, hyp in zip(references, hypotheses):
        hypothesis_length += len(hyp)
        reference_length += min((abs(len(r) - len(hyp)), len(r)) for r in refs)[1]
        for n in range(1, max_n + 1):
            counts = ngram_counts(hyp, n)
            most = {}
            for ref in refs:
                for gram, c in ngram_counts(ref, n).items():
                    most[gram] = max(most.get(gram, 0), c)
            matched[n - 1] += sum(min(c, most.get(gram, 0)) for gram, c in counts.items())
            total[n - 1] += max(len(hyp) - n + 1, 0)
    if min(matched) == 0:
        return 0.0
    log_precision = sum(math.log(m / t) for m, t in zip(matched, total)) / max_n
    if hypothesis_length > reference_length:
        brevity = 1.0
    else:
        brevity = math.exp(1 - reference_length / max(hypothesis_length, 1))
    return brevity * math.exp(log_precision)


def gaussian_statistics(features) -> tuple[np.ndarray, np.ndarray]:
    """Mean (D,) and covariance (D, D) of ``features`` (N, D), as float64; N must be at least 2."""
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2 or len(features) < 2:
        raise ValueError(f"features must be (N, D) with N >= 2, not shape {features.shape}")
    return features.mean(axis=0), np.cov(features, rowvar=False)


def frechet_distance(mean_a, cov_a, mean_b, cov_b) -> float:
    """Fréchet distance between two Gaussians (the FID when the features are a network's):

        |mean_a - mean_b|^2 + Tr(cov_a + cov_b - 2 (cov_a^1/2 cov_b cov_a^1/2)^1/2)

    The trace of the square root is the sum of the square roots of the eigenvalues of the
    symmetric matrix cov_a^1/2 cov_b cov_a^1/2, which is exact and stable for nearly singular
    covariances (a product's general matrix square root is not).
    """
    mean_a, mean_b = np.asarray(mean_a, dtype=np.float64), np.asarray(mean_b, dtype=np.float64)
    cov_a, cov_b = np.atleast_2d(cov_a).astype(np.float64), np.atleast_2d(cov_b).astype(np.float64)
    if mean_a.shape != mean_b.shape or cov_a.shape != cov_b.shape or cov_a.shape != (len(mean_a),) * 2:
        raise ValueError(f"shapes do not match: means {mean_a.shape} and {mean_b.shape}, "
                         f"covariances {cov_a.shape} and {cov_b.shape}")
    values, vectors = np.linalg.eigh(cov_a)
    root_a = (vectors * np.sqrt(values.clip(min=0))) @ vectors.T
    middle = root_a @ cov_b @ root_a
    trace_root = np.sqrt(np.linalg.eigvalsh((middle + middle.T) / 2).clip(min=0)).sum()
    return float(((mean_a - mean_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_root)
