"""Models taught in one notebook and reused by later ones.

The rule: a model is written in the notebook that teaches it, where the student reads and
completes it. When a later notebook needs it, the same code also lives here, its docstring
says where it is taught ("Taught in notebook 02, section 2"), and a test checks that both
definitions are the same code (their syntax trees, docstrings and comments left out).

One module per part of the lecture: ``vision`` (image encoders), ``text`` (sentence
encoders and the joint space), ``attention``, ``audio`` (the STFT, waveform encoders).
"""

from .attention import soft_attention
from .audio import (
    SoundNetStudent,
    centred_window,
    conv_block,
    frame_signal,
    istft,
    log_mel_cnn,
    stft,
    train_classifier,
)
from .text import JointSpace, SentenceEncoder, info_nce_loss
from .vision import GridEncoder, train_tagger

__all__ = [
    "GridEncoder",
    "JointSpace",
    "SentenceEncoder",
    "SoundNetStudent",
    "centred_window",
    "conv_block",
    "frame_signal",
    "info_nce_loss",
    "istft",
    "log_mel_cnn",
    "soft_attention",
    "stft",
    "train_classifier",
    "train_tagger",
]
