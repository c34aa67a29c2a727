import os

import numpy as np
import pytest

from course_utils.core.parallel import can_fork, concatenate_chunks
from course_utils.core.seeds import PICTURE_BACKDROP_SEED_OFFSET
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


def test_pictures_with_backdrops_are_the_same_in_parallel_chunks():
    scenes, place, pictures = labelled_pictures(1100, seed=2)
    covered = scenes.masks().any(axis=1)[..., None]
    backdrops = place_backdrops(place, scenes.image_size, 2 + PICTURE_BACKDROP_SEED_OFFSET)
    one_pass = np.where(covered, scenes.images(), backdrops).clip(0, 255).astype(np.uint8)
    assert np.array_equal(pictures, one_pass)
