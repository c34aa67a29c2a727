import os

import numpy as np
import pytest

from course_utils.core.parallel import can_fork, concatenate_chunks
from course_utils.core.seeds import PICTURE_BACKDROP_SEED_OFFSET, stream
from course_utils.worlds.shape_world import _render
from course_utils.worlds.shapes import sample_scenes
from course_utils.worlds.sounding_scenes import labelled_pictures, place_backdrops


def test_chunks_come_back_in_order():
    result = concatenate_chunks(lambda s: np.arange(100)[s] * 2, 100, 7)
    assert result.tolist() == list(range(0, 200, 2))
    assert concatenate_chunks(lambda s: np.arange(5)[s], 5, 10).tolist() == [0, 1, 2, 3, 4]


def test_chunks_in_forked_processes_come_back_in_order_from_other_processes():
    offset = 3  # a closure, which only a forked process can run

    def double_and_tag(part):
        items = np.arange(100)[part]
        return np.stack([items * 2 + offset, np.full(len(items), os.getpid())], axis=1)

    result = concatenate_chunks(double_and_tag, 100, 7, processes=True)
    assert result[:, 0].tolist() == [2 * i + 3 for i in range(100)]
    if not can_fork() or (os.cpu_count() or 1) < 2:
        pytest.skip("no forked workers here: the chunks ran in threads")
    assert os.getpid() not in set(result[:, 1].tolist())


def test_rendering_in_parallel_chunks_draws_the_same_pixels_as_one_pass():
    scenes = sample_scenes(1200, seed=5, allow_held_out=True)  # noisy backgrounds included
    assert scenes.noisy.any()
    assert np.array_equal(_render(scenes, chunk=250), scenes.images())


def backdrops_one_by_one(place, size, seed):
    """The backdrops as first defined: one scene after another, each garden drawing its speckles in turn."""
    rng = stream(seed, "place backdrops")
    y, x = np.mgrid[:size, :size]
    street = np.where(((y % 16) < 2)[..., None], 150.0, 65.0) * np.ones(3)
    home = np.where((((x // 8) + (y // 8)) % 2 == 0)[..., None], [150.0, 120.0, 85.0], [115.0, 90.0, 65.0])
    backdrops = []
    for p in place:
        if p == 1:
            backdrops.append(np.array([35.0, 85.0, 35.0]) + 10 * rng.standard_normal((size, size, 1)))
        else:
            backdrops.append(street if p == 0 else home)
    return np.stack(backdrops).astype(np.float32)


def test_backdrops_painted_in_chunks_are_those_drawn_one_scene_after_another():
    place = np.array([1, 0, 2, 1, 1, 2, 0, 1, 2, 1])
    expected = backdrops_one_by_one(place, 32, seed=4)
    paint = place_backdrops(place, 32, seed=4)
    chunks = [paint(slice(0, 3)), paint(slice(3, 8)), paint(slice(8, 10))]
    assert np.array_equal(np.concatenate(chunks), expected)
    assert np.array_equal(paint(slice(5, 7)), expected[5:7])  # any chunk, in any order


def test_pictures_with_backdrops_are_the_same_in_parallel_chunks():
    scenes, place, pictures = labelled_pictures(1100, seed=2)
    covered = scenes.masks().any(axis=1)[..., None]
    backdrops = backdrops_one_by_one(place, scenes.image_size, 2 + PICTURE_BACKDROP_SEED_OFFSET)
    one_pass = np.where(covered, scenes.images(), backdrops).clip(0, 255).astype(np.uint8)
    assert np.array_equal(pictures, one_pass)
