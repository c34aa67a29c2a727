"""The bottom layer: plain building blocks that know nothing of notebooks.

Audio constants and files, atomic writes and array caches, the seed table of the
synthetic worlds, text vocabularies, metrics, and the labelled-clip container that
both the sound world and real sound datasets fill.
"""

from .audio import HOP, N_FFT, N_MELS, SAMPLE_RATE, WINDOW, read_wav, write_wav
from .metrics import corpus_bleu, read_word_pairs, spearman, word_similarity
from .vocab import Vocabulary, frequent_words, tag_targets

__all__ = [
    "HOP",
    "N_FFT",
    "N_MELS",
    "SAMPLE_RATE",
    "WINDOW",
    "Vocabulary",
    "corpus_bleu",
    "frequent_words",
    "read_wav",
    "read_word_pairs",
    "spearman",
    "tag_targets",
    "word_similarity",
    "write_wav",
]
