"""Sentence encoders and the joint image-text space.

Shapes: B batch, L words per caption, E word-embedding size, D joint-space size.
"""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F


class SentenceEncoder(nn.Module):
    """Word embeddings -> bidirectional GRU -> the last states of both directions.

    Taught in notebook 02, section 6. (B, L) word ids, 0 for padding -> (B, D).
    """

    def __init__(self, vocabulary_size, dim=256, word_dim=64):
        super().__init__()
        self.embed = nn.Embedding(vocabulary_size, word_dim, padding_idx=0)
        self.gru = nn.GRU(word_dim, dim // 2, batch_first=True, bidirectional=True)

    def forward(self, ids):
        lengths = (ids != 0).sum(dim=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(self.embed(ids), lengths, batch_first=True,
                                                   enforce_sorted=False)
        _, last = self.gru(packed)
        return torch.cat([last[0], last[1]], dim=1)


TEMPERATURE = 0.07  # CLIP's starting temperature


def info_nce_loss(images, captions, temperature=TEMPERATURE):
    """Symmetric InfoNCE (CLIP's loss) over a batch of L2-normalised pairs, row k of each a pair.

    Taught in notebook 02, section 6. ``images`` and ``captions`` are (B, D); a scalar.
    """
    logits = images @ captions.T / temperature
    targets = torch.arange(len(logits), device=logits.device)
    return (F.cross_entropy(logits, targets) + F.cross_entropy(logits.T, targets)) / 2


class JointSpace(nn.Module):
    """An image network and a sentence encoder mapped into one space of unit vectors.

    Taught in notebook 02, section 6. ``forward(images, captions)`` gives (B, D) and (B, D).
    """

    def __init__(self, image_network, vocabulary_size, dim=256):
        super().__init__()
        self.image = nn.Sequential(image_network, nn.Flatten(), nn.Linear(image_network.flat_size, dim))
        self.text = SentenceEncoder(vocabulary_size, dim)

    def forward(self, images, captions):
        return F.normalize(self.image(images), dim=1), F.normalize(self.text(captions), dim=1)
