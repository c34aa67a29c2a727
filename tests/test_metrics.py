import numpy as np
import pytest
from gensim.models import Word2Vec
from scipy.linalg import sqrtm
from scipy.stats import rankdata, spearmanr

from course_utils.core.metrics import (
    frechet_distance,
    gaussian_statistics,
    rank_with_ties,
    read_word_pairs,
    spearman,
    word_similarity,
)
from course_utils.datasets.text import gensim_corpus, gensim_file


def test_ranks_match_scipy_with_ties():
    values = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])
    assert np.array_equal(rank_with_ties(values), rankdata(values))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_spearman_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 6, 40).astype(float)  # many ties
    y = x + rng.normal(0, 2, 40)
    assert spearman(x, y) == pytest.approx(spearmanr(x, y).statistic, abs=1e-12)


def test_spearman_rejects_bad_shapes():
    with pytest.raises(ValueError, match="equal length"):
        spearman([1, 2, 3], [1, 2])


def test_word_similarity_matches_gensim():
    sentences = gensim_corpus("lee_background.cor")
    model = Word2Vec(sentences, vector_size=20, min_count=3, epochs=2, workers=1, seed=1)
    wv = model.wv
    path = gensim_file("wordsim353.tsv")
    rho, coverage = word_similarity(lambda a, b: float(wv.similarity(a, b)), wv.key_to_index,
                                    read_word_pairs(path))
    pearson, reference, oov_percent = wv.evaluate_word_pairs(str(path))
    assert rho == pytest.approx(reference.statistic, abs=1e-9)
    assert coverage == pytest.approx(1 - oov_percent / 100, abs=1e-9)


def test_word_similarity_needs_known_words():
    with pytest.raises(ValueError, match="vocabulary"):
        word_similarity(lambda a, b: 0.0, {"cat"}, [("cat", "dog", 5.0), ("a", "b", 1.0)])


def test_corpus_bleu_matches_nltk():
    from nltk.translate.bleu_score import corpus_bleu as nltk_corpus_bleu

    from course_utils.core.metrics import corpus_bleu
    from course_utils.worlds.shape_world import load_shape_world

    world = load_shape_world("val", 60, seed=2)
    references = [[c.split() for c in captions] for captions in world.captions]
    # Hypotheses of varied quality: a reference, a shortened one, one from another scene.
    hypotheses = [refs[i % 5][: len(refs[i % 5]) - (i % 3)] if i % 4 else references[(i + 1) % 60][0]
                  for i, refs in enumerate(references)]
    for n in (1, 2, 3, 4):
        weights = tuple([1 / n] * n)
        assert corpus_bleu(references, hypotheses, n) == pytest.approx(
            nltk_corpus_bleu(references, hypotheses, weights=weights), abs=1e-12)
    assert corpus_bleu([[["a", "b"]]], [["c", "d"]]) == 0.0
    with pytest.raises(ValueError, match="one list of references"):
        corpus_bleu([], [["a"]])


def test_gaussian_statistics_are_the_mean_and_the_centred_covariance():
    rng = np.random.default_rng(3)
    features = rng.normal(loc=[3.0, -2.0, 0.5, 10.0], size=(200, 4)) @ rng.normal(size=(4, 4))
    mean, cov = gaussian_statistics(features)
    assert np.allclose(mean, features.mean(axis=0), rtol=0, atol=1e-12)
    assert np.allclose(cov, np.cov(features, rowvar=False), rtol=1e-12, atol=1e-12)
    centred = features - features.mean(axis=0)
    assert np.allclose(cov, centred.T @ centred / (len(features) - 1), rtol=1e-12, atol=1e-12)
    assert mean.dtype == cov.dtype == np.float64 and cov.shape == (4, 4)


def test_frechet_distance_matches_scipys_matrix_square_root():
    rng = np.random.default_rng(4)
    a = rng.normal(size=(400, 6)) @ rng.normal(size=(6, 6))
    b = rng.normal(loc=0.5, size=(300, 6)) @ rng.normal(size=(6, 6))
    (mean_a, cov_a), (mean_b, cov_b) = gaussian_statistics(a), gaussian_statistics(b)
    # The reference from NumPy's mean and covariance, not from gaussian_statistics.
    ma, mb, ca, cb = a.mean(axis=0), b.mean(axis=0), np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    reference = ((ma - mb) ** 2).sum() + np.trace(ca + cb - 2 * sqrtm(ca @ cb).real)
    assert abs(frechet_distance(mean_a, cov_a, mean_b, cov_b) - reference) < 1e-8 * max(1.0, reference)
    assert abs(frechet_distance(mean_a, cov_a, mean_a, cov_a)) < 1e-8  # a Gaussian against itself
    # One dimension: (m1 - m2)^2 + (s1 - s2)^2 with standard deviations s.
    assert abs(frechet_distance([1.0], [[4.0]], [3.0], [[9.0]]) - (4 + 1)) < 1e-12
    # Singular covariances (features that never vary). Covariances diagonal in one frame, however it is
    # turned: |m1 - m2|^2 + the sum of (s1 - s2)^2 over the axes.
    turn, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    singular, other = turn @ np.diag([4.0, 0.0, 0.0]) @ turn.T, turn @ np.diag([1.0, 4.0, 0.0]) @ turn.T
    expected = 1.0 + (2 - 1) ** 2 + (0 - 2) ** 2 + 0.0  # turned, the zero variances are only near zero
    assert frechet_distance(np.zeros(3), singular, np.eye(3)[0], other) == pytest.approx(expected, abs=1e-6)
    # One feature that varies (variance v along the first axis) against any covariance B:
    # |m1 - m2|^2 + v + Tr(B) - 2 sqrt(v B_11).
    flat = np.zeros((50, 3))
    flat[:, 0] = rng.normal(size=50)
    v, mb, cb = flat[:, 0].var(ddof=1), b[:, :3].mean(axis=0), np.cov(b[:, :3], rowvar=False)
    expected = ((mb - flat.mean(axis=0)) ** 2).sum() + v + np.trace(cb) - 2 * np.sqrt(v * cb[0, 0])
    assert frechet_distance(*gaussian_statistics(flat), *gaussian_statistics(b[:, :3])) == pytest.approx(
        expected, rel=1e-9)


def test_frechet_distance_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="shapes do not match"):
        frechet_distance(np.zeros(3), np.eye(3), np.zeros(4), np.eye(4))
    with pytest.raises(ValueError, match="N >= 2"):
        gaussian_statistics(np.zeros((1, 3)))
