import random

import numpy as np
import pytest
import torch

from course_utils.core.vocab import Vocabulary
from course_utils.worlds.shape_datasets import (
    TAGS,
    ImageCaptionDataset,
    ImageQuestionDataset,
    ImageTagsDataset,
)
from course_utils.worlds.shape_text import ANSWERS, questions, relations
from course_utils.worlds.shape_world import load_shape_world
from course_utils.worlds.shapes import COLOURS, HELD_OUT, RGB, SHAPES, sample_scenes, shape_masks


@pytest.fixture(scope="module")
def world():
    return load_shape_world("train", 300, seed=1)


def test_deterministic_and_cached(tmp_path):
    first = load_shape_world("val", 50, seed=3, data_dir=tmp_path)
    cached = list((tmp_path / "shape_world").glob("*.npz"))
    assert len(cached) == 1
    again = load_shape_world("val", 50, seed=3, data_dir=tmp_path)
    fresh = load_shape_world("val", 50, seed=3)
    assert np.array_equal(first.images, again.images) and np.array_equal(first.images, fresh.images)
    assert first.captions == again.captions == fresh.captions
    assert first.questions == again.questions
    assert not np.array_equal(first.images, load_shape_world("val", 50, seed=4).images)


def test_corrupted_cache_is_regenerated(tmp_path, capsys):
    first = load_shape_world("val", 20, seed=0, data_dir=tmp_path)
    path = next((tmp_path / "shape_world").glob("*.npz"))
    path.write_bytes(b"not an npz file")
    again = load_shape_world("val", 20, seed=0, data_dir=tmp_path)
    assert "unreadable" in capsys.readouterr().out
    assert np.array_equal(first.images, again.images)


def test_held_out_pairs_never_in_training_splits():
    for split in ("train", "val"):
        assert not load_shape_world(split, 2000, seed=0).held_out.any()
    test = load_shape_world("test", 2000, seed=0)
    assert test.held_out.mean() > 0.1
    found = {(o["colour"], o["shape"]) for i in np.flatnonzero(test.held_out) for o in test.scenes.objects(i)}
    assert set(HELD_OUT) <= found


def test_pixels_match_the_object_table(world):
    for i in range(30):
        masks = world.scenes.masks(np.array([i]))[0]
        for k, obj in enumerate(world.scenes.objects(i)):
            mask = masks[k]
            assert mask.sum() > 20, "every object is visible"
            colour = world.images[i][mask].astype(float).mean(axis=0)
            assert np.abs(colour - RGB[COLOURS.index(obj["colour"])]).max() < 1
            x0, y0, x1, y1 = obj["box"]
            ys, xs = np.nonzero(mask)
            assert xs.min() >= x0 - 1 and xs.max() <= x1 + 1 and ys.min() >= y0 - 1 and ys.max() <= y1 + 1
        assert not (masks.sum(axis=0) > 1).any(), "objects do not overlap"


def test_shapes_are_told_apart_by_their_masks():
    masks = shape_masks(np.arange(len(SHAPES)), [32] * 5, [32] * 5, [20] * 5, 64)
    areas = masks.reshape(len(SHAPES), -1).sum(axis=1)
    assert len(set(areas.tolist())) == len(SHAPES)
    assert abs(areas[0] - np.pi * 400) / (np.pi * 400) < 0.05  # the circle's area


def test_captions_tags_and_questions_are_true(world):
    for i in range(len(world)):
        objects = world.scenes.objects(i)
        assert len(world.captions[i]) == 5
        for caption in world.captions[i]:
            for obj in objects:
                assert f"{obj['colour']} {obj['shape']}" in caption
        assert set(world.tags[i]) == {o[k] for o in objects for k in ("colour", "shape", "size")}
        for question, answer, kind in world.questions[i]:
            assert answer in ANSWERS
            if kind == "colour":
                shape = question.split()[-2]
                assert [o["colour"] for o in objects if o["shape"] == shape] == [answer]


def test_relational_questions():
    objects = [{"shape": "circle", "colour": "red", "size": "small", "row": 0, "col": 0},
               {"shape": "square", "colour": "blue", "size": "large", "row": 0, "col": 2},
               {"shape": "cross", "colour": "green", "size": "small", "row": 2, "col": 2}]
    assert relations(objects[0], objects[1]) == ["left of"]
    asked = {q: a for q, a, _ in questions(objects, random.Random(0))}
    assert asked["what shape is left of the blue object ?"] == "circle"
    assert asked["what shape is below the blue object ?"] == "cross"
    assert asked["what colour is the object nearest to the circle ?"] == "blue"
    assert asked["what colour is the object nearest to the cross ?"] == "blue"


def test_vocabulary_round_trip():
    vocab = Vocabulary.build(["a red circle", "a blue square", "a red square"])
    assert vocab.itos[:4] == ["<pad>", "<start>", "<end>", "<unk>"] and vocab.pad_id == 0
    assert vocab.itos[4:6] == ["a", "red"]
    ids = vocab.encode("a red triangle", add_start_end=True)
    assert ids[0] == vocab.start_id and ids[-1] == vocab.end_id and ids[3] == vocab.unknown_id
    assert vocab.decode(ids) == "a red <unk>"
    batch = vocab.encode_batch(["a red circle", "a square"], add_start_end=True)
    assert batch.shape == (2, 5) and batch[1, -1] == vocab.pad_id
    assert vocab.decode(batch[1]) == "a square"
    with pytest.raises(ValueError, match="longer than 2"):
        vocab.encode_batch(["a red circle"], length=2)


def test_datasets(world):
    tags = ImageTagsDataset(world)
    image, target = tags[0]
    assert image.shape == (3, 64, 64) and image.dtype == torch.float32
    assert 0 <= image.min() <= image.max() <= 1
    assert {TAGS[i] for i in torch.nonzero(target).flatten().tolist()} == set(world.tags[0])
    vocab = Vocabulary.build(c for caps in world.captions for c in caps)
    captions = ImageCaptionDataset(world, vocab)
    assert len(captions) == 5 * len(world)
    image, caption, index = captions[7]
    assert index == 1 and vocab.decode(caption) == world.captions[1][2]
    qa = ImageQuestionDataset(world, Vocabulary.build(q for qs in world.questions for q, _, _ in qs))
    assert len(qa) == sum(map(len, world.questions))
    _, question, answer = qa[0]
    assert ANSWERS[answer] == world.questions[0][0][1]


def test_ten_thousand_scenes_are_generated_in_bulk():
    scenes = sample_scenes(10_000, seed=0, allow_held_out=True)
    assert scenes.shape.shape == (10_000, 4) and set(np.unique(scenes.count)) == {1, 2, 3, 4}


def test_one_object_scenes_on_plain_backgrounds_are_cached_apart(tmp_path):
    usual = load_shape_world("train", 200, seed=0, data_dir=tmp_path)
    single = load_shape_world("train", 200, seed=0, data_dir=tmp_path, objects=(1, 1), noisy_share=0.0)
    assert (single.scenes.count == 1).all() and not single.scenes.noisy.any()
    assert set(usual.scenes.count) == {1, 2, 3, 4} and usual.scenes.noisy.any()
    names = sorted(p.name for p in (tmp_path / "shape_world").glob("*.npz"))
    # The usual world keeps its cache name; the variant's name says how it differs.
    assert names == ["shapes-v1-train-n200-seed0-64px-objects1to1-noisy0.npz",
                     "shapes-v1-train-n200-seed0-64px.npz"]
    again = load_shape_world("train", 200, seed=0, data_dir=tmp_path, objects=(1, 1), noisy_share=0.0)
    assert np.array_equal(again.images, single.images) and again.captions == single.captions


def test_a_training_split_may_hold_the_held_out_pairs_when_asked(tmp_path):
    usual = load_shape_world("val", 500, seed=0, data_dir=tmp_path)
    every_pair = load_shape_world("val", 500, seed=0, data_dir=tmp_path, allow_held_out=True)
    assert not usual.held_out.any() and every_pair.held_out.any()
    assert not load_shape_world("test", 500, seed=0, allow_held_out=False).held_out.any()
    assert len(list((tmp_path / "shape_world").glob("*-heldout1.npz"))) == 1


@pytest.mark.parametrize("objects", [(0, 2), (3, 2), (1, 5)])
def test_impossible_object_counts_are_refused(objects):
    with pytest.raises(ValueError, match="objects must be"):
        sample_scenes(10, seed=0, allow_held_out=False, objects=objects)
