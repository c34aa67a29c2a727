"""The synthetic worlds: generated, deterministic data that stands in for real datasets.

The shape world (scenes, captions, tags, questions, ten human answers, pointing questions), the
sound world (shape timbres, everyday sounds, sounding scenes, an event set, voices), the faces
world (identities whose pictures vary and whose voices carry part of their face; talking faces
and their mixtures) and a relational text corpus.
Every stream is seeded through ``course_utils.core.seeds``; every set is cached on disk.
"""

from .faces import CLASS_NAMES, NOT_IN_THE_VOICE, VOICE_LINKS, Faces, make_faces
from .relational_text import FAMILIES, analogy_questions, relational_corpus
from .shape_datasets import TAGS, ImageCaptionDataset, ImageQuestionDataset, ImageTagsDataset, image_tensor
from .shape_text import lore_corpus
from .shape_world import ShapeWorld, load_shape_world
from .shapes import COLOURS, GRID, HELD_OUT, SHAPES, SIZES
from .sound_events import EVENT_CLASSES, make_sound_events
from .sounding_scenes import PLACES, labelled_pictures, make_sounding_scenes
from .sounds import REGISTER_HZ, make_sound
from .talking_faces import Mixtures, TalkingFaces, make_mixtures, make_talking_faces
from .vqa import HUMAN_ANSWERS, PointingQuestion, human_answers, pointing_questions, referred_objects

__all__ = [
    "CLASS_NAMES",
    "COLOURS",
    "EVENT_CLASSES",
    "FAMILIES",
    "Faces",
    "GRID",
    "HUMAN_ANSWERS",
    "HELD_OUT",
    "NOT_IN_THE_VOICE",
    "PLACES",
    "PointingQuestion",
    "REGISTER_HZ",
    "SHAPES",
    "SIZES",
    "TAGS",
    "VOICE_LINKS",
    "ImageCaptionDataset",
    "ImageQuestionDataset",
    "ImageTagsDataset",
    "Mixtures",
    "ShapeWorld",
    "TalkingFaces",
    "analogy_questions",
    "human_answers",
    "image_tensor",
    "labelled_pictures",
    "load_shape_world",
    "lore_corpus",
    "make_faces",
    "make_mixtures",
    "make_sound",
    "make_sound_events",
    "make_sounding_scenes",
    "make_talking_faces",
    "pointing_questions",
    "referred_objects",
    "relational_corpus",
]
