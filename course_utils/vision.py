"""A small CNN for 64x64 shape-world images that keeps a 3x3 grid of region features.

It is the course's stand-in for an ImageNet backbone: cheap enough to train on a laptop
CPU in seconds per epoch, and its 3x3 grid lines up with the shape world's grid, so
attention over regions (captioning, localisation) has something meaningful to point at.
"""

from __future__ import annotations

import torch
from torch import nn


class GridEncoder(nn.Module):
    """(B, 3, 64, 64) images -> (B, channels, 3, 3) region features."""

    def __init__(self, channels: int = 128, width: int = 32, grid: int = 3):
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

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        if images.ndim != 4 or images.shape[1] != 3:
            raise ValueError(f"expected images of shape (batch, 3, height, width), got {tuple(images.shape)}")
        return self.layers(images)

    @property
    def flat_size(self) -> int:
        """Length of the flattened grid, for a linear layer on top."""
        return self.channels * self.grid * self.grid


@torch.no_grad()
def encode_in_batches(module: nn.Module, inputs: torch.Tensor, device, batch_size: int = 512) -> torch.Tensor:
    """Run ``module`` over ``inputs`` in eval mode, batch by batch; results on the CPU."""
    module.eval()
    return torch.cat([module(inputs[i:i + batch_size].to(device)).float().cpu()
                      for i in range(0, len(inputs), batch_size)])


def train_tagger(encoder: GridEncoder, images: torch.Tensor, tags: torch.Tensor, epochs: int, course,
                 batch_size: int = 128, learning_rate: float = 3e-3, name: str = "tagger"):
    """Train ``encoder`` with a linear layer on top to tag images; return (tagger, history).

    ``tags`` is a multi-hot (N, T) tensor; the loss is binary cross-entropy per tag. The
    run checkpoints under ``course.checkpoint_dir`` and resumes like every ``fit``.
    """
    from .training import fit

    tagger = nn.Sequential(encoder, nn.Flatten(), nn.Linear(encoder.flat_size, tags.shape[1]))

    def batches(epoch):
        order = torch.randperm(len(images))
        for start in range(0, len(order), batch_size):
            chosen = order[start:start + batch_size]
            yield images[chosen], tags[chosen]

    def step(model, batch):
        inputs, targets = (t.to(course.device) for t in batch)
        return nn.functional.binary_cross_entropy_with_logits(model(inputs), targets)

    history = fit(tagger, torch.optim.Adam(tagger.parameters(), lr=learning_rate), batches, step, epochs,
                  name=f"{name}-{course.mode}", checkpoint_dir=course.checkpoint_dir, device=course.device)
    return tagger, history
