"""The VQA additions to the shape world: ten human answers with declared disagreement, and
grounded multiple-choice questions whose right box really is the object the question singles out."""

import collections
import re

import numpy as np
import pytest

from course_utils.worlds.shape_text import relations
from course_utils.worlds.shape_world import load_shape_world
from course_utils.worlds.vqa import (
    CARELESS,
    HUMAN_ANSWERS,
    MISCOUNT,
    PEOPLE,
    SYNONYMS,
    human_answers,
    pointing_questions,
)


@pytest.fixture(scope="module")
def world():
    return load_shape_world("train", 1500, seed=0)


@pytest.fixture(scope="module")
def answers(world):
    return human_answers(world.questions, seed=0)


def test_ten_answers_per_question_deterministic_from_the_seed(world, answers):
    assert [len(a) for a in answers] == [len(q) for q in world.questions]
    assert all(len(ten) == PEOPLE for scene in answers for ten in scene)
    assert human_answers(world.questions[:50], seed=0) == answers[:50]
    assert human_answers(world.questions[:50], seed=1) != answers[:50]
    assert {word for scene in answers for ten in scene for word in ten} <= set(HUMAN_ANSWERS)


def pairs(world, answers, kinds=None):
    return [(answer, kind, ten) for qs, hs in zip(world.questions, answers)
            for (_, answer, kind), ten in zip(qs, hs) if kinds is None or kind in kinds]


def test_synonyms_are_used_as_often_as_declared(world, answers):
    for canonical, variants in SYNONYMS.items():
        said = [word for answer, _, ten in pairs(world, answers) if answer == canonical for word in ten]
        assert len(said) > 500, canonical
        for synonym, share in variants.items():
            observed = said.count(synonym) / len(said)
            assert abs(observed - share * (1 - CARELESS)) < 0.05, (canonical, synonym, observed)


def test_counts_are_sometimes_one_off_never_more(world, answers):
    numbers = ("zero", "one", "two", "three", "four")
    off = collections.Counter()
    total = 0
    for answer, _, ten in pairs(world, answers, kinds={"count"}):
        for word in ten:
            total += 1
            off[abs(numbers.index(word) - numbers.index(answer))] += 1
    assert off[1] / total == pytest.approx(MISCOUNT * (1 - CARELESS), abs=0.03)
    assert (off[0] + off[1]) / total > 1 - 2 * CARELESS  # larger errors come only from careless people


def test_the_true_answer_is_what_most_people_say(world, answers):
    agreeing = [collections.Counter(ten).most_common(1)[0][0] == answer
                for answer, _, ten in pairs(world, answers)]
    assert np.mean(agreeing) > 0.97


@pytest.fixture(scope="module")
def pointing(world):
    return pointing_questions(world, seed=0)


def test_pointing_questions_single_out_the_right_box(world, pointing):
    assert len(pointing) > 0.9 * len(world)
    kinds = collections.Counter(q.kind for q in pointing)
    assert kinds["which"] > 0 and kinds["which_relational"] > 0
    for q in pointing:
        objects = world.scenes.objects(q.scene)
        assert q.boxes.shape == (4, 4) and 0 <= q.answer < 4
        assert len({tuple(box) for box in q.boxes.tolist()}) == 4, "four different candidates"
        (target,) = [o for o in objects if np.allclose(o["box"], q.boxes[q.answer])]
        named = re.fullmatch(r"which is the (\w+) (\w+) \?", q.question)
        if named:
            assert (target["colour"], target["shape"]) == named.groups()
            assert sum((o["colour"], o["shape"]) == named.groups() for o in objects) == 1
        else:
            relation, colour = re.fullmatch(r"which object is (.+) the (\w+) object \?", q.question).groups()
            (reference,) = [o for o in objects if o["colour"] == colour]
            related = [o for o in objects if o is not reference and relation in relations(o, reference)]
            assert related == [target]


def test_pointing_answers_are_spread_over_the_four_places(pointing):
    counts = np.bincount([q.answer for q in pointing], minlength=4) / len(pointing)
    assert counts.min() > 0.2


def test_relational_questions_refer_to_the_objects_that_answer_them(world):
    from course_utils.worlds.vqa import referred_objects

    checked = collections.Counter()
    for scene, questions in enumerate(world.questions[:400]):
        objects = world.scenes.objects(scene)
        for question, answer, kind in questions:
            found = referred_objects(objects, question)
            if not kind.endswith("relational"):
                assert found is None, question
                continue
            reference, target = found
            assert target is not reference
            assert target[kind.removesuffix("_relational")] == answer, question
            if kind == "shape_relational":
                assert reference["colour"] in question
                assert any(r in question for r in relations(target, reference))
            else:
                assert reference["shape"] in question
            checked[kind] += 1
    assert checked["shape_relational"] > 50 and checked["colour_relational"] > 50
