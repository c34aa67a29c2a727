"""Image encoders.

Shapes: B batch, C channels, H x W pixels, R = grid x grid regions, N images, T tags.
"""

from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

from ..session.batching import encode_in_batches, epoch_generator, shuffled_batches


class GridEncoder(nn.Module):
    """(B, 3, 64, 64) images -> (B, channels, 3, 3) region features.

    Taught in notebook 02, section 2. The course's stand-in for an ImageNet backbone: cheap
    enough to train on a laptop CPU, and its 3x3 grid lines up with the shape world's grid,
    so attention over regions has something meaningful to point at.
    """

    def __init__(self, channels=128, width=32, grid=3):
        super().__init__()
        self.channels, self.grid = channels, grid
        self.layers = nn.Sequential(
            # 4x4 patches first, a cheap way down: 64x64 (padded by 4) -> 18x18, later 9x9, so
            # that each of the 3x3 output cells pools exactly its own 3x3 block (about one
            # grid cell of the scene) instead of overlapping its neighbours.
            nn.Conv2d(3, width, kernel_size=4, stride=4, padding=4), nn.BatchNorm2d(width), nn.ReLU(),
            nn.Conv2d(width, 2 * width, 3, padding=1), nn.BatchNorm2d(2 * width), nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(2 * width, channels, 3, padding=1), nn.BatchNorm2d(channels), nn.ReLU(),
            nn.AdaptiveAvgPool2d(grid),
        )

    def forward(self, images):
        if images.ndim != 4 or images.shape[1] != 3:
            raise ValueError(f"expected images of shape (batch, 3, height, width), got {tuple(images.shape)}")
        return self.layers(images)

    @property
    def flat_size(self):
        """Length of the flattened grid, for a linear layer on top."""
        return self.channels * self.grid * self.grid


def train_tagger(encoder, images, tags, epochs, course, batch_size=128, learning_rate=3e-3, name="tagger",
                 validation=None):
    """Train ``encoder`` with a linear layer on top to tag ``images`` (N, 3, H, W); return
    (tagger, history).

    Taught in notebook 02, section 2. ``tags`` is a multi-hot (N, T) tensor; the loss is
    binary cross-entropy per tag. The run checkpoints and resumes like every ``course.fit``.
    ``validation`` = held-out (images, tags): their loss is recorded after every epoch, only to be
    watched.
    """
    tagger = nn.Sequential(encoder, nn.Flatten(), nn.Linear(encoder.flat_size, tags.shape[1]))

    def batches(epoch):
        for chosen in shuffled_batches(len(images), batch_size, epoch_generator(course.seed, epoch),
                                       into=(images, tags)):
            yield images[chosen], tags[chosen]

    def step(model, batch):
        inputs, targets = (t.to(course.device) for t in batch)
        return F.binary_cross_entropy_with_logits(model(inputs), targets)

    def validate(model):
        if validation is None:
            return {}
        scores = encode_in_batches(model, validation[0], course.device)
        targets = validation[1].to(scores.device)
        return {"val_loss": F.binary_cross_entropy_with_logits(scores, targets).item()}

    optimizer = torch.optim.Adam(tagger.parameters(), lr=learning_rate)
    history = course.fit(tagger, optimizer, batches, step, epochs, name=name, evaluate=validate)
    return tagger, history
