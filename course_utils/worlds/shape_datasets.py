"""torch Datasets over the shape world: image-tags, image-caption, image-question-answer."""

from __future__ import annotations

import numpy as np
import torch
from torch.utils.data import Dataset

from ..core.vocab import Vocabulary
from .shape_text import ANSWERS
from .shape_world import ShapeWorld
from .shapes import COLOURS, SHAPES, SIZES

TAGS = (*COLOURS, *SHAPES, *SIZES)


def image_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8 (N, H, W, 3) -> float (N, 3, H, W) in [0, 1]."""
    return torch.from_numpy(np.ascontiguousarray(images)).permute(0, 3, 1, 2).float().div_(255)


class ImageTagsDataset(Dataset):
    """(image, multi-hot tag vector over ``TAGS``)."""

    def __init__(self, world: ShapeWorld):
        self.images = image_tensor(world.images)
        self.targets = torch.zeros(len(world), len(TAGS))
        for i, scene_tags in enumerate(world.tags):
            self.targets[i, [TAGS.index(t) for t in scene_tags]] = 1.0

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i):
        return self.images[i], self.targets[i]


class ImageCaptionDataset(Dataset):
    """(image, caption ids with ``<start>``/``<end>``, padded; image index) for every caption."""

    def __init__(self, world: ShapeWorld, vocabulary: Vocabulary, max_length: int | None = None,
                 captions_per_image: int | None = None):
        self.images = image_tensor(world.images)
        chosen = [caps[:captions_per_image] for caps in world.captions]
        self.image_index = torch.tensor([i for i, caps in enumerate(chosen) for _ in caps])
        texts = [c for caps in chosen for c in caps]
        self.captions = vocabulary.encode_batch(texts, add_start_end=True, length=max_length)

    def __len__(self) -> int:
        return len(self.captions)

    def __getitem__(self, i):
        index = self.image_index[i]
        return self.images[index], self.captions[i], index


class ImageQuestionDataset(Dataset):
    """(image, question ids, answer id over ``ANSWERS``) for every question of every scene."""

    def __init__(self, world: ShapeWorld, vocabulary: Vocabulary, kinds: tuple[str, ...] | None = None,
                 max_length: int | None = None):
        self.images = image_tensor(world.images)
        rows = [(i, q, a, k) for i, qs in enumerate(world.questions) for q, a, k in qs
                if kinds is None or k in kinds]
        self.image_index = torch.tensor([r[0] for r in rows])
        self.questions = vocabulary.encode_batch([r[1] for r in rows], length=max_length)
        self.answers = torch.tensor([ANSWERS.index(r[2]) for r in rows])
        self.kinds = [r[3] for r in rows]

    def __len__(self) -> int:
        return len(self.answers)

    def __getitem__(self, i):
        return self.images[self.image_index[i]], self.questions[i], self.answers[i]
