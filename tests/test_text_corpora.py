import hashlib

from helpers import zip_bytes
from http_fixture import FileServer

from course_utils.datasets import DatasetEntry
from course_utils.datasets.text import gensim_corpus, load_text8, tokenize
from course_utils.worlds.relational_text import FAMILIES, analogy_questions, relational_corpus


def test_tokenize():
    assert tokenize("The Quick, brown fox's 2 dogs!") == ["the", "quick", "brown", "fox's", "dogs"]


def test_gensim_corpora_are_real_text():
    lee = gensim_corpus("lee_background.cor")
    assert len(lee) == 300 and sum(map(len, lee)) > 50_000


def test_relational_corpus_is_deterministic_and_structured():
    sentences = relational_corpus(500, seed=4)
    assert sentences == relational_corpus(500, seed=4)
    assert sentences != relational_corpus(500, seed=5)
    family_words = {w for f in FAMILIES for row in f.rows for w in row[:2]}
    for sentence in sentences:
        assert len(sentence) == 7
        assert len([w for w in sentence if w in family_words]) == 1
    # Every family word occurs, so every analogy question can be asked.
    assert family_words <= {w for s in relational_corpus(20_000, seed=0) for w in s}


def test_families_do_not_share_words():
    words = [w for f in FAMILIES for row in f.rows for w in (*row[:2], *row[2])]
    words += [w for f in FAMILIES for forms in f.forms for w in forms]
    assert len(words) == len(set(words))


def test_analogy_questions():
    questions = analogy_questions()
    assert len(questions) == sum(2 * len(f.rows) * (len(f.rows) - 1) for f in FAMILIES)
    assert ("gender", "man", "woman", "king", "queen") in questions
    assert ("capital", "paris", "france", "berlin", "germany") in questions


def test_text8_loader_on_a_fixture_in_the_real_format(tmp_path):
    text = " ".join(f"word{i % 50}" for i in range(2_500))  # text8: one line, no newline
    data = zip_bytes({"text8": " " + text})
    with FileServer() as server:
        server.files["/text8.zip"] = data
        entry = DatasetEntry("text8", (server.url("/text8.zip"),), "text8.zip", len(data),
                             hashlib.sha256(data).hexdigest(), "zip", "the offline corpus")
        sentences = load_text8(tmp_path, max_words=2_100, sentence_length=1000, dataset=entry)
    assert [len(s) for s in sentences] == [1000, 1000, 100]
    assert sentences[0][:3] == ["word0", "word1", "word2"] and sentences[2][-1] == "word49"
    everything = load_text8(tmp_path, dataset=entry)  # cached now, no server needed
    assert sum(map(len, everything)) == 2_500
