import collections
import random
import re

import numpy as np
import pytest
import torch
from helpers import cache_only

from course_utils.core.vocab import Vocabulary
from course_utils.worlds import shape_world
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


def test_deterministic_and_cached(tmp_path, monkeypatch):
    first = load_shape_world("val", 50, seed=3, data_dir=tmp_path)
    cached = list((tmp_path / "shape_world").glob("*.npz"))
    assert len(cached) == 1
    with monkeypatch.context() as patch:
        patch.setattr(shape_world, "cached_npz", cache_only)
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


# The truth of the text, worked out again from the object table, not through shape_text's own code.
NUMBER_WORDS = ("zero", "one", "two", "three", "four")
SIZE_SAID = {"small": "small", "little": "small", "large": "large", "big": "large"}
PHRASE = rf"a (?:{'|'.join(SIZE_SAID)}) (?:{'|'.join(COLOURS)}) (?:{'|'.join(SHAPES)})"
RELATION = "left of|right of|above|below"


def holds(relation, a, b):
    """Whether ``relation`` holds from object ``a`` to object ``b`` on the grid."""
    return {"left of": a["col"] < b["col"], "right of": a["col"] > b["col"],
            "above": a["row"] < b["row"], "below": a["row"] > b["row"]}[relation]


def true_answer(question, objects):
    """(answer, kind) of a question about ``objects``; every object the question names must be unique."""
    def the(key, value):
        matches = [o for o in objects if o[key] == value]
        assert len(matches) == 1, (question, objects)
        return matches[0]

    if m := re.fullmatch(r"what colour is the (\w+) \?", question):
        return the("shape", m[1])["colour"], "colour"
    if m := re.fullmatch(r"what size is the (\w+) \?", question):
        return the("shape", m[1])["size"], "size"
    if m := re.fullmatch(r"what shape is the (\w+) object \?", question):
        return the("colour", m[1])["shape"], "shape"
    if m := re.fullmatch(r"how many (\w+) are there \?", question):
        return NUMBER_WORDS[sum(o["shape"] + ("es" if o["shape"].endswith("s") else "s") == m[1]
                                for o in objects)], "count"
    if m := re.fullmatch(r"is there a (\w+) (\w+) \?", question):
        return ("yes" if any(o["colour"] == m[1] and o["shape"] == m[2] for o in objects) else "no"), "exist"
    if m := re.fullmatch(rf"what shape is ({RELATION}) the (\w+) object \?", question):
        reference = the("colour", m[2])
        related = [o for o in objects if o is not reference and holds(m[1], o, reference)]
        assert len(related) == 1, (question, objects)
        return related[0]["shape"], "shape_relational"
    if m := re.fullmatch(r"what colour is the object nearest to the (\w+) \?", question):
        reference = the("shape", m[1])
        distance = {id(o): (o["row"] - reference["row"]) ** 2 + (o["col"] - reference["col"]) ** 2
                    for o in objects if o is not reference}
        nearest = [o for o in objects if distance.get(id(o)) == min(distance.values())]
        assert len(nearest) == 1, (question, objects)
        return nearest[0]["colour"], "colour_relational"
    raise AssertionError(f"a question of no known form: {question!r}")


def check_caption(caption, objects, noisy):
    """Every object phrase names an object of the scene, and every relation said between two holds."""
    def named(phrase):
        _, size, colour, shape = phrase.split()
        attributes = (SIZE_SAID[size], colour, shape)
        found = [o for o in objects if (o["size"], o["colour"], o["shape"]) == attributes]
        assert found, (caption, objects)
        return found

    phrases = re.findall(PHRASE, caption)
    assert len(phrases) == len(objects) and all(map(named, phrases)), (caption, objects)
    for a, relation, b in re.findall(rf"(?=({PHRASE}) ({RELATION}) ({PHRASE}))", caption):
        said = [(x, y) for x in named(a) for y in named(b) if x is not y]
        assert any(holds(relation, x, y) for x, y in said), (caption, objects)
    if m := re.search(r"at the ((top|bottom)? ?(left|right)?|centre)$", caption):
        (obj,) = objects
        rows, cols = {"top": 0, "bottom": 2}, {"left": 0, "right": 2}
        where = (1, 1) if m[1] == "centre" else (rows.get(m[2], 1), cols.get(m[3], 1))
        assert (obj["row"], obj["col"]) == where, (caption, objects)
    if m := re.search(r"on a (\w+) background", caption):
        assert m[1] == ("noisy" if noisy else "plain"), (caption, noisy)
    if m := re.match(r"(\w+) shapes :", caption):
        assert NUMBER_WORDS.index(m[1]) == len(objects), (caption, objects)


def test_captions_tags_and_questions_are_true(world):
    kinds, relations_said = collections.Counter(), 0
    for i in range(len(world)):
        objects = world.scenes.objects(i)
        assert len(world.captions[i]) == 5
        for caption in world.captions[i]:
            for obj in objects:
                assert f"{obj['colour']} {obj['shape']}" in caption
            check_caption(caption, objects, bool(world.scenes.noisy[i]))
            relations_said += bool(re.search(RELATION, caption))
        assert set(world.tags[i]) == {o[k] for o in objects for k in ("colour", "shape", "size")}
        for question, answer, kind in world.questions[i]:
            assert answer in ANSWERS
            assert (answer, kind) == true_answer(question, objects), (question, objects)
            kinds[kind] += 1
    # Every kind of question is asked, and often enough for a wrong answer of any kind to be caught.
    assert min(kinds.values()) > 50 and len(kinds) == 7, kinds
    assert kinds["exist"] == 2 * len(world) and relations_said > 300


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
