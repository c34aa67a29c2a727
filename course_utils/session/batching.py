"""Batches for training and inference: seeded shuffles, and a model run over a set in pieces."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import torch
from torch import nn


def epoch_generator(seed: int, epoch: int) -> torch.Generator:
    """The random generator of one epoch: the same seed and epoch always give the same draws,
    so a resumed run sees the batches it would have seen, and no global generator is touched."""
    return torch.Generator().manual_seed(seed * 1000 + epoch)


def shuffled_batches(count: int, batch_size: int, generator: torch.Generator) -> Iterator[torch.Tensor]:
    """Index tensors of a random order of ``range(count)``, ``batch_size`` at a time (the last may
    be smaller)."""
    order = torch.randperm(count, generator=generator)
    for start in range(0, count, batch_size):
        yield order[start:start + batch_size]


@torch.no_grad()
def encode_in_batches(function: Callable[[torch.Tensor], torch.Tensor], inputs: torch.Tensor, device,
                      batch_size: int = 512) -> torch.Tensor:
    """``function`` over ``inputs`` batch by batch, without gradients; results as float on the CPU.

    ``function`` is a module or a bound method of one (``model.pool5``); that module is put in
    eval mode first, so batch norm and dropout behave as at test time.
    """
    owner = getattr(function, "__self__", function)
    if isinstance(owner, nn.Module):
        owner.eval()
    return torch.cat([function(inputs[i:i + batch_size].to(device)).float().cpu()
                      for i in range(0, len(inputs), batch_size)])
