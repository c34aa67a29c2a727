"""Batches for training and inference: seeded shuffles, and a model run over a set in pieces."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator, Sequence

import torch
from torch import nn


def epoch_generator(seed: int, epoch: int) -> torch.Generator:
    """The random generator of one epoch: the same seed and epoch always give the same draws,
    so a resumed run sees the batches it would have seen, and no global generator is touched."""
    return torch.Generator().manual_seed(seed * 1000 + epoch)


def copy_to_device(tensor: torch.Tensor, device) -> torch.Tensor:
    """``tensor.to(device)``, but a copy from the CPU to a GPU does not make the CPU wait.

    A copy from ordinary (pageable) memory waits until the GPU has finished all the work queued
    before it, so the CPU cannot prepare the next step while the GPU computes this one. A copy
    from pinned memory is queued like any other GPU work (PyTorch keeps the pinned source until
    the copy is done). For small tensors drawn on the CPU during training: random draws, indices.
    """
    device = torch.device(device)
    if device.type == "cuda" and tensor.device.type == "cpu":
        return tensor.pin_memory().to(device, non_blocking=True)
    return tensor.to(device)


def shuffled_batches(count: int, batch_size: int, generator: torch.Generator,
                     into: Sequence[torch.Tensor] = ()) -> Iterator[torch.Tensor]:
    """Index tensors of a random order of ``range(count)``, ``batch_size`` at a time (the last may
    be smaller).

    ``into``: the tensors that the batches will index. When they all live on one device (a GPU),
    the indices are put there, once an epoch; the order is still drawn on the CPU, so the batches
    are the same on every device. (Indices on the CPU would be copied to the GPU at every batch, and
    each such copy makes the CPU wait until the GPU has finished all the work it was given.)
    """
    check_batch_size(batch_size)
    order = torch.randperm(count, generator=generator)
    devices = {tensor.device for tensor in into}
    if len(devices) == 1:
        order = copy_to_device(order, devices.pop())
    for start in range(0, count, batch_size):
        yield order[start:start + batch_size]


@torch.no_grad()
def encode_in_batches(function: Callable[[torch.Tensor], torch.Tensor], inputs: torch.Tensor, device,
                      batch_size: int = 512) -> torch.Tensor:
    """``function`` over ``inputs`` batch by batch, without gradients; results as float on the CPU.

    ``function`` is a module or a bound method of one (``model.pool5``); that module is put in
    eval mode first, so batch norm and dropout behave as at test time.
    """
    check_batch_size(batch_size)
    if not isinstance(inputs, torch.Tensor):
        raise TypeError(f"encode_in_batches takes a tensor, not {type(inputs).__name__}: wrap a NumPy "
                        "array as torch.from_numpy(array)")
    if len(inputs) == 0:
        raise ValueError("encode_in_batches was given no inputs (an empty tensor): check the selection "
                         "that made them")
    owner = getattr(function, "__self__", function)
    if isinstance(owner, nn.Module):
        owner.eval()
    return torch.cat([function(inputs[i:i + batch_size].to(device)).float().cpu()
                      for i in range(0, len(inputs), batch_size)])


def check_batch_size(batch_size: int) -> None:
    """A batch size of 0 would fail inside ``range`` and a negative one would silently give no
    batches at all: both are refused with a message that names the setting."""
    if not isinstance(batch_size, numbers.Integral) or batch_size < 1:
        raise ValueError(f"batch_size must be a whole number of at least 1, not {batch_size!r}")
