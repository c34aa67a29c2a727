"""Shuffled batches and copies to the training device: the same batches on every device, and on a
GPU no copy per batch that makes the CPU wait for it."""

import pytest
import torch

from course_utils import copy_to_device, epoch_generator, shuffled_batches
from course_utils.session import batching

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def test_batches_cover_every_index_once_in_an_order_fixed_by_seed_and_epoch():
    batches = list(shuffled_batches(10, 4, epoch_generator(0, 1)))
    assert [len(b) for b in batches] == [4, 4, 2]
    assert sorted(torch.cat(batches).tolist()) == list(range(10))
    again = torch.cat(list(shuffled_batches(10, 4, epoch_generator(0, 1))))
    assert torch.equal(torch.cat(batches), again)
    assert not torch.equal(torch.cat(list(shuffled_batches(10, 4, epoch_generator(0, 2)))), again)


def test_batches_into_tensors_on_the_cpu_are_the_batches_without_them():
    data = torch.arange(30.0).view(10, 3)
    plain = list(shuffled_batches(10, 3, epoch_generator(1, 4)))
    into = list(shuffled_batches(10, 3, epoch_generator(1, 4), into=(data, data[:, 0])))
    assert all(torch.equal(a, b) and b.device.type == "cpu" for a, b in zip(plain, into, strict=True))


def test_copy_to_device_on_the_cpu_is_a_plain_to():
    tensor = torch.arange(5)
    assert copy_to_device(tensor, "cpu") is tensor


def test_batches_into_tensors_on_another_device_go_there_once_an_epoch(monkeypatch):
    """The placement that the GPU tests below check, on any machine: "meta" tensors (shapes without
    data) live on a device of their own."""
    copies = []

    def copying(tensor, device):
        copies.append(torch.device(device))
        return copy_to_device(tensor, device)

    monkeypatch.setattr(batching, "copy_to_device", copying)
    data = torch.empty(20, 2, device="meta")
    plain = list(shuffled_batches(20, 6, epoch_generator(2, 3)))
    there = list(shuffled_batches(20, 6, epoch_generator(2, 3), into=(data, data[:, 0])))
    assert all(b.device.type == "meta" for b in there) and [len(b) for b in there] == [6, 6, 6, 2]
    assert copies == [torch.device("meta")]  # the whole order at once, not one copy per batch
    mixed = list(shuffled_batches(20, 6, epoch_generator(2, 3), into=(data, torch.zeros(20))))
    assert all(b.device.type == "cpu" for b in mixed) and len(copies) == 1  # CPU indices can index both
    assert torch.equal(torch.cat(mixed), torch.cat(plain))


@pytest.mark.cuda
@needs_cuda
def test_batches_into_gpu_tensors_are_on_the_gpu_and_the_same_as_on_the_cpu():
    data = torch.arange(40.0, device="cuda").view(20, 2)
    plain = list(shuffled_batches(20, 6, epoch_generator(2, 3)))
    on_gpu = list(shuffled_batches(20, 6, epoch_generator(2, 3), into=(data,)))
    assert all(b.device.type == "cuda" for b in on_gpu)
    assert torch.equal(torch.cat(plain), torch.cat(on_gpu).cpu())
    mixed = list(shuffled_batches(20, 6, epoch_generator(2, 3), into=(data, torch.zeros(20))))
    assert all(b.device.type == "cpu" for b in mixed)  # CPU indices can index both


@pytest.mark.cuda
@needs_cuda
def test_a_training_epoch_of_batches_never_makes_the_cpu_wait_for_the_gpu():
    data, gains = torch.randn(512, 8, device="cuda"), torch.rand(512, 1)
    copied = copy_to_device(gains, "cuda")
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")  # any copy or read that waits for the GPU raises
    try:
        for chosen in shuffled_batches(len(data), 64, epoch_generator(0, 1), into=(data,)):
            batch = data[chosen] * copy_to_device(gains[:len(chosen)], "cuda")
    finally:
        torch.cuda.set_sync_debug_mode("default")
    assert torch.equal(copied.cpu(), gains) and batch.shape == (64, 8)
