"""Text about shape-world scenes: captions with paraphrases, tag sets, questions with answers.

Everything is generated from the scene's object table by a small grammar, so every
sentence is true of its picture.
"""

from __future__ import annotations

import random

from .shapes import COLOURS, SHAPES, SIZES, Scenes

POSITIONS = {(0, 0): "top left", (0, 1): "top", (0, 2): "top right", (1, 0): "left",
             (1, 1): "centre", (1, 2): "right", (2, 0): "bottom left", (2, 1): "bottom",
             (2, 2): "bottom right"}
SIZE_WORDS = {"small": ("small", "little"), "large": ("large", "big")}
NUMBERS = ("zero", "one", "two", "three", "four")
PLURALS = {"circle": "circles", "square": "squares", "triangle": "triangles", "cross": "crosses",
           "diamond": "diamonds"}
RELATIONS = ("left of", "right of", "above", "below")
ANSWERS = (*COLOURS, *SHAPES, *SIZES, "yes", "no", *NUMBERS)


def reading_order(objects: list[dict]) -> list[dict]:
    return sorted(objects, key=lambda o: (o["row"], o["col"]))


def relations(a: dict, b: dict) -> list[str]:
    """Every relation word that holds from ``a`` to ``b`` (grid cells, not pixels)."""
    found = []
    if a["col"] < b["col"]:
        found.append("left of")
    if a["col"] > b["col"]:
        found.append("right of")
    if a["row"] < b["row"]:
        found.append("above")
    if a["row"] > b["row"]:
        found.append("below")
    return found


def phrase(obj: dict, rng: random.Random | None = None) -> str:
    size = SIZE_WORDS[obj["size"]][rng.randrange(2)] if rng else obj["size"]
    return f"a {size} {obj['colour']} {obj['shape']}"


def canonical_caption(objects: list[dict], noisy: bool) -> str:
    """The one caption that the captioning models are expected to reproduce best."""
    return _caption(reading_order(objects), noisy, None, template=0)


def _caption(objects: list[dict], noisy: bool, rng: random.Random | None, template: int) -> str:
    o = objects
    say = [phrase(x, rng) for x in o]
    pick = (lambda options: options[rng.randrange(len(options))]) if rng else (lambda options: options[0])
    if len(o) == 1:
        where = POSITIONS[(o[0]["row"], o[0]["col"])]
        options = [f"{say[0]} at the {where}", f"there is {say[0]} at the {where}",
                   f"{say[0]} on a {'noisy' if noisy else 'plain'} background"]
    elif len(o) == 2:
        options = [f"{say[0]} {pick(relations(o[0], o[1]))} {say[1]}",
                   f"{say[1]} {pick(relations(o[1], o[0]))} {say[0]}",
                   f"there is {say[0]} and {say[1]}"]
    elif len(o) == 3:
        options = [f"{say[0]} {pick(relations(o[0], o[1]))} {say[1]} and {say[2]}",
                   f"{say[0]} , {say[1]} and {say[2]}",
                   f"three shapes : {say[0]} , {say[1]} and {say[2]}"]
    else:
        options = [f"{say[0]} {pick(relations(o[0], o[1]))} {say[1]} and "
                   f"{say[2]} {pick(relations(o[2], o[3]))} {say[3]}",
                   f"{say[0]} , {say[1]} , {say[2]} and {say[3]}",
                   f"four shapes : {say[0]} , {say[1]} , {say[2]} and {say[3]}"]
    return options[template % len(options)]


def captions(objects: list[dict], noisy: bool, rng: random.Random, count: int = 5) -> list[str]:
    """``count`` captions: the canonical one first, then paraphrases."""
    ordered = reading_order(objects)
    result = [canonical_caption(objects, noisy)]
    for _ in range(count - 1):
        result.append(_caption(ordered, noisy, rng, template=rng.randrange(3)))
    return result


def tags(objects: list[dict]) -> list[str]:
    """The attribute words present: colours, shapes and sizes, sorted."""
    return sorted({o[key] for o in objects for key in ("colour", "shape", "size")})


def _unique(objects, key, value):
    matches = [o for o in objects if o[key] == value]
    return matches[0] if len(matches) == 1 else None


def questions(objects: list[dict], rng: random.Random) -> list[tuple[str, str, str]]:
    """``(question, answer, kind)`` triples; kinds ending in ``_relational`` involve relations."""
    qs = []
    for shape in sorted({o["shape"] for o in objects}):
        only = _unique(objects, "shape", shape)
        if only:
            qs.append((f"what colour is the {shape} ?", only["colour"], "colour"))
            qs.append((f"what size is the {shape} ?", only["size"], "size"))
    for colour in sorted({o["colour"] for o in objects}):
        only = _unique(objects, "colour", colour)
        if only:
            qs.append((f"what shape is the {colour} object ?", only["shape"], "shape"))
    asked = rng.choice(SHAPES)
    count = sum(o["shape"] == asked for o in objects)
    qs.append((f"how many {PLURALS[asked]} are there ?", NUMBERS[count], "count"))
    present = rng.choice(objects)
    absent_colour, absent_shape = rng.choice(COLOURS), rng.choice(SHAPES)
    exists = any(o["colour"] == absent_colour and o["shape"] == absent_shape for o in objects)
    qs.append((f"is there a {present['colour']} {present['shape']} ?", "yes", "exist"))
    qs.append((f"is there a {absent_colour} {absent_shape} ?", "yes" if exists else "no", "exist"))
    for reference in objects:
        if not _unique(objects, "colour", reference["colour"]):
            continue
        for relation in RELATIONS:
            related = [o for o in objects if o is not reference and relation in relations(o, reference)]
            if len(related) == 1:
                qs.append((f"what shape is {relation} the {reference['colour']} object ?",
                           related[0]["shape"], "shape_relational"))
    for reference in objects:
        if len(objects) < 2 or not _unique(objects, "shape", reference["shape"]):
            continue
        distances = sorted(((o["row"] - reference["row"]) ** 2 + (o["col"] - reference["col"]) ** 2, i)
                           for i, o in enumerate(objects) if o is not reference)
        if len(distances) == 1 or distances[0][0] < distances[1][0]:
            nearest = objects[distances[0][1]]
            qs.append((f"what colour is the object nearest to the {reference['shape']} ?",
                       nearest["colour"], "colour_relational"))
    return qs


def scene_text(scenes: Scenes, seed: int, captions_per_scene: int = 5):
    """Captions, tags and questions for every scene, deterministic from ``seed``."""
    rng = random.Random(seed)
    all_captions, all_tags, all_questions = [], [], []
    for i in range(len(scenes)):
        objects = scenes.objects(i)
        all_captions.append(captions(objects, bool(scenes.noisy[i]), rng, captions_per_scene))
        all_tags.append(tags(objects))
        all_questions.append(questions(objects, rng))
    return all_captions, all_tags, all_questions


# What text "knows" about the attribute words beyond the pictures: the stand-in for the
# encyclopaedic text that real word vectors are trained on. In captions every colour is used
# exactly like every other colour; these contexts are what tell their vectors apart.
LORE = {
    "red": ("fire", "blood", "cherry", "tomato", "rose"),
    "green": ("grass", "leaf", "frog", "forest", "lime"),
    "blue": ("sky", "sea", "ocean", "water", "sapphire"),
    "yellow": ("sun", "banana", "lemon", "gold", "butter"),
    "magenta": ("fuchsia", "orchid", "dye", "ink", "flamingo"),
    "cyan": ("teal", "turquoise", "lagoon", "aqua", "glacier"),
    "circle": ("round", "wheel", "ball", "coin", "ring"),
    "square": ("box", "corner", "tile", "grid", "block"),
    "triangle": ("pyramid", "slice", "tent", "wedge", "three"),
    "cross": ("plus", "intersection", "church", "junction", "sign"),
    "diamond": ("kite", "gem", "rhombus", "jewel", "card"),
    "small": ("tiny", "mini", "ant", "seed", "crumb"),
    "large": ("huge", "giant", "elephant", "mountain", "whale"),
}


def lore_corpus(n_sentences: int, seed: int = 0) -> list[list[str]]:
    """Sentences that put each attribute word among its own context words (see ``LORE``)."""
    if n_sentences < 1:
        raise ValueError(f"n_sentences must be at least 1, not {n_sentences}")
    rng = random.Random(seed)
    words = sorted(LORE)
    sentences = []
    for _ in range(n_sentences):
        word = rng.choice(words)
        sentence = [word, *rng.sample(LORE[word], 3), rng.choice(("the", "a", "is", "like"))]
        rng.shuffle(sentence)
        sentences.append(sentence)
    return sentences
