"""What visual question answering adds to the shape world: ten human answers per question,
and grounded multiple-choice questions in the style of Visual7W.

Real VQA data has ten answers per question from ten people, who do not always agree: they use
synonyms ("pink" for magenta), miscount, or answer carelessly. The VQA accuracy rewards an answer
by how many people gave it, so this disagreement is what makes the metric matter. How people
disagree is declared here, in one place, and tested on generated data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.seeds import stream
from .shape_text import NUMBERS, RELATIONS, relations
from .shapes import COLOURS, GRID, SHAPES, SIZES

PEOPLE = 10  # answers per question, as in the VQA dataset
# Other words people use for a canonical answer, with the share of people who use each.
SYNONYMS = {
    "magenta": {"pink": 0.3, "purple": 0.1},
    "cyan": {"turquoise": 0.25},
    "large": {"big": 0.3},
    "small": {"little": 0.2},
    "cross": {"plus": 0.2},
    "diamond": {"rhombus": 0.15},
}
MISCOUNT = 0.1  # share of people whose count is one off (either way, never below zero)
CARELESS = 0.04  # share of people who give another answer of the same kind at random
KIND_ANSWERS = {"colour": COLOURS, "shape": SHAPES, "size": SIZES, "count": NUMBERS, "exist": ("yes", "no")}
# Every word a person may answer: the answer vocabulary of a VQA model.
HUMAN_ANSWERS = tuple(dict.fromkeys([*COLOURS, *SHAPES, *SIZES, "yes", "no", *NUMBERS,
                                     *(word for variants in SYNONYMS.values() for word in variants)]))


def answer_kind(kind: str) -> str:
    """The kind of word a question of ``kind`` is answered with ("shape_relational" -> "shape")."""
    return kind.removesuffix("_relational")


def one_person(answer: str, kind: str, rng: np.random.Generator) -> str:
    """What one person answers to a question whose true answer is ``answer``."""
    choices = KIND_ANSWERS[answer_kind(kind)]
    if rng.random() < CARELESS:
        return str(rng.choice([c for c in choices if c != answer]))
    if answer_kind(kind) == "count" and rng.random() < MISCOUNT:
        index = NUMBERS.index(answer) + (1 if answer == NUMBERS[0] or rng.random() < 0.5 else -1)
        return NUMBERS[min(index, len(NUMBERS) - 1)]
    draw, threshold = rng.random(), 0.0
    for synonym, share in SYNONYMS.get(answer, {}).items():
        threshold += share
        if draw < threshold:
            return synonym
    return answer


def human_answers(questions: list[list[tuple[str, str, str]]], seed: int) -> list[list[tuple[str, ...]]]:
    """Ten answers for every ``(question, answer, kind)`` of every scene, deterministic from ``seed``."""
    def ten_people(scene: int, q: int, answer: str, kind: str) -> tuple[str, ...]:
        rng = stream(seed, "human answers", scene, q)  # one stream per question: any subset is reproducible
        return tuple(one_person(answer, kind, rng) for _ in range(PEOPLE))

    return [[ten_people(scene, q, answer, kind) for q, (_, answer, kind) in enumerate(scene_questions)]
            for scene, scene_questions in enumerate(questions)]


def referred_objects(objects: list[dict], question: str) -> tuple[dict, dict] | None:
    """The (reference, answer) objects of a relational question about a scene's ``objects``:
    "what shape is left of the red object ?" refers to the red object and the one left of it,
    "what colour is the object nearest to the circle ?" to the circle and its nearest neighbour.
    None for a question of another kind."""
    words = question.removesuffix(" ?").split()
    if question.startswith("what shape is ") and words[3] != "the":  # "... is left of the red object"
        relation, colour = " ".join(words[3:-3]), words[-2]
        (reference,) = [o for o in objects if o["colour"] == colour]
        (answer,) = [o for o in objects if o is not reference and relation in relations(o, reference)]
        return reference, answer
    if question.startswith("what colour is the object nearest to the "):
        (reference,) = [o for o in objects if o["shape"] == words[-1]]
        others = [o for o in objects if o is not reference]
        answer = min(others, key=lambda o: (o["row"] - reference["row"]) ** 2
                     + (o["col"] - reference["col"]) ** 2)
        return reference, answer
    return None


@dataclass(frozen=True)
class PointingQuestion:
    """A Visual7W-style "which" question: the answer is one of four candidate boxes."""

    scene: int
    question: str
    kind: str  # "which" (named by its attributes) or "which_relational"
    boxes: np.ndarray  # (4, 4) candidate boxes x0, y0, x1, y1 in pixels
    answer: int  # index of the right box


def cell_box(row: int, col: int, image_size: int) -> list[float]:
    """The box of a whole grid cell: the candidate for "nothing there"."""
    cell = image_size / GRID
    return [col * cell, row * cell, (col + 1) * cell, (row + 1) * cell]


def pointing_questions(world, seed: int) -> list[PointingQuestion]:
    """Grounded multiple-choice questions about ``world``'s scenes, four candidate boxes each.

    The candidates are the boxes of the scene's objects, filled up to four with the boxes of
    empty grid cells (as Visual7W's candidates are the boxes of other things in the picture).
    A question names one object by its colour and shape, or by a relation to a uniquely
    coloured object; only objects that the question singles out are asked about.
    """
    asked = []
    image_size = world.images.shape[1]
    for scene in range(len(world)):
        rng = stream(seed, "pointing questions", scene)
        objects = world.scenes.objects(scene)
        named = [(f"which is the {o['colour']} {o['shape']} ?", o, "which") for o in objects
                 if sum(p["colour"] == o["colour"] and p["shape"] == o["shape"] for p in objects) == 1]
        for reference in objects:
            if sum(p["colour"] == reference["colour"] for p in objects) != 1:
                continue
            for relation in RELATIONS:
                related = [o for o in objects if o is not reference and relation in relations(o, reference)]
                if len(related) == 1:
                    question = f"which object is {relation} the {reference['colour']} object ?"
                    named.append((question, related[0], "which_relational"))
        if not named:
            continue
        question, target, kind = named[rng.integers(len(named))]
        taken = {(o["row"], o["col"]) for o in objects}
        empty = [cell for cell in np.ndindex(GRID, GRID) if cell not in taken]
        others = [o["box"] for o in objects if o is not target]
        decoys = others + [cell_box(*empty[i], image_size) for i in rng.permutation(len(empty))]
        boxes = [target["box"], *decoys[:3]]
        order = rng.permutation(4)
        asked.append(PointingQuestion(scene, question, kind, np.array(boxes, dtype=np.float32)[order],
                                      int(np.flatnonzero(order == 0)[0])))
    return asked
