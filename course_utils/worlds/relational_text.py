"""A generated relational corpus for word embeddings, with its analogy questions.

The corpus makes the distributional hypothesis literal: each word is seen with *topic*
words (what it is about: paris and france both come with seine and wine) and *form* words
(what kind of word it is: paris and berlin both come with city and mayor). Vectors learnt
from it add up, so analogies such as paris - france + germany = berlin work on a
laptop-sized corpus.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """A relation: ``rows`` of word pairs that share topics, two columns that share forms."""

    name: str
    columns: tuple[str, str]
    forms: tuple[tuple[str, ...], tuple[str, ...]]  # context words of each column
    rows: tuple[tuple[str, str, tuple[str, ...]], ...]  # (word in column 0, in column 1, topics)


FAMILIES = (
    Family("capital", ("country", "capital"),
           (("country", "nation", "border", "flag", "president"),
            ("city", "capital", "mayor", "streets", "downtown")),
           (("france", "paris", ("seine", "wine", "baguette")),
            ("germany", "berlin", ("rhine", "beer", "pretzel")),
            ("italy", "rome", ("pasta", "vatican", "tiber")),
            ("spain", "madrid", ("flamenco", "paella", "tapas")),
            ("japan", "tokyo", ("sushi", "kimono", "samurai")),
            ("china", "beijing", ("dragon", "panda", "mandarin")),
            ("russia", "moscow", ("vodka", "kremlin", "tsar")),
            ("egypt", "cairo", ("nile", "pyramid", "pharaoh")),
            ("greece", "athens", ("olives", "acropolis", "aegean")),
            ("england", "london", ("thames", "tea", "cricket")),
            ("canada", "ottawa", ("maple", "hockey", "moose")),
            ("india", "delhi", ("curry", "ganges", "bollywood")))),
    Family("gender", ("male", "female"),
           (("he", "his", "him", "himself"), ("she", "her", "hers", "herself")),
           (("king", "queen", ("throne", "crown", "royal")),
            ("prince", "princess", ("castle", "heir", "knight")),
            ("man", "woman", ("adult", "person", "grown")),
            ("boy", "girl", ("child", "playground", "toy")),
            ("father", "mother", ("parent", "family", "home")),
            ("son", "daughter", ("baby", "born", "cradle")),
            ("brother", "sister", ("sibling", "twin", "older")),
            ("husband", "wife", ("married", "wedding", "spouse")),
            ("uncle", "aunt", ("relative", "cousin", "visit")),
            ("grandfather", "grandmother", ("elderly", "grandchild", "retired")),
            ("actor", "actress", ("stage", "film", "role")),
            ("waiter", "waitress", ("restaurant", "tray", "tips")))),
    Family("plural", ("singular", "plural"),
           (("a", "one", "this", "single"), ("many", "several", "these", "two")),
           (("dog", "dogs", ("bark", "leash", "puppy")),
            ("cat", "cats", ("meow", "whiskers", "purr")),
            ("car", "cars", ("engine", "wheel", "drive")),
            ("apple", "apples", ("fruit", "orchard", "juice")),
            ("house", "houses", ("roof", "door", "brick")),
            ("tree", "trees", ("forest", "leaf", "branch")),
            ("bird", "birds", ("wing", "feather", "nest")),
            ("book", "books", ("page", "read", "library")),
            ("horse", "horses", ("saddle", "gallop", "stable")),
            ("ship", "ships", ("sail", "ocean", "harbour")),
            ("shoe", "shoes", ("foot", "lace", "heel")),
            ("flower", "flowers", ("bloom", "petal", "garden")))),
    Family("comparative", ("base", "comparative"),
           (("very", "quite", "rather", "so"), ("than", "more", "even", "much")),
           (("big", "bigger", ("size", "huge", "giant")),
            ("small", "smaller", ("tiny", "little", "miniature")),
            ("fast", "faster", ("speed", "race", "quick")),
            ("slow", "slower", ("snail", "crawl", "lazy")),
            ("tall", "taller", ("height", "giraffe", "tower")),
            ("strong", "stronger", ("muscle", "power", "lift")),
            ("warm", "warmer", ("sun", "summer", "heat")),
            ("cold", "colder", ("ice", "winter", "snow")),
            ("long", "longer", ("length", "road", "journey")),
            ("young", "younger", ("youth", "teenage", "fresh")),
            ("hard", "harder", ("rock", "difficult", "stone")),
            ("cheap", "cheaper", ("price", "bargain", "discount")))),
)

FILLERS = ("the", "and", "of", "is", "in", "with", "was", "to")


def relational_corpus(n_sentences: int, seed: int = 0, topics_per_sentence: int = 2,
                      forms_per_sentence: int = 2, fillers_per_sentence: int = 2
                      ) -> list[list[str]]:
    """Sentences that each hold one family word among its topic, form and filler words."""
    if n_sentences < 1:
        raise ValueError(f"n_sentences must be at least 1, not {n_sentences}")
    rng = random.Random(seed)
    sentences = []
    for _ in range(n_sentences):
        family = rng.choice(FAMILIES)
        *pair, topics = rng.choice(family.rows)
        column = rng.randrange(2)
        words = [pair[column]]
        words += rng.sample(topics, topics_per_sentence)
        words += rng.sample(family.forms[column], forms_per_sentence)
        words += rng.choices(FILLERS, k=fillers_per_sentence)
        rng.shuffle(words)
        sentences.append(words)
    return sentences


def analogy_questions(families=FAMILIES) -> list[tuple[str, str, str, str, str]]:
    """``(family, a, b, c, d)`` meaning a : b :: c : d, for every ordered pair of rows."""
    questions = []
    for family in families:
        for a_row in family.rows:
            for c_row in family.rows:
                if a_row is c_row:
                    continue
                questions.append((family.name, a_row[0], a_row[1], c_row[0], c_row[1]))
                questions.append((family.name, a_row[1], a_row[0], c_row[1], c_row[0]))
    return questions
