"""Every random stream of the synthetic worlds, derived from one seed through one table.

A world never draws from a global generator: each kind of randomness has its own stream,
named here, so that adding a new stream never shifts the numbers of an existing one and
two worlds made from the same seed never share a stream by accident.
"""

from __future__ import annotations

import numpy as np

# Scene sets sampled with ``sample_scenes(n, seed + offset)``: far apart, so no scene is shared.
SCENE_SEED_OFFSETS = {
    "shapes train": 0,
    "shapes val": 1_000_003,
    "shapes test": 2_000_003,
    "sounding videos": 3_000_007,
    "labelled pictures": 4_000_037,
}

# Streams drawn with ``numpy.random.default_rng([seed, tag, ...])``.
STREAM_TAGS = {
    "sound events": 3,
    "scene jitter": 7,
    "scene background noise": 11,
    "place backdrops": 17,
    "soundtracks": 23,
    "picture places": 29,
    "human answers": 31,
    "pointing questions": 37,
    "face identities": 41,
    "face views": 43,
    "face voices": 47,
    "talking faces": 53,
    "talking voices": 59,
    "talking views": 61,
    "speech mixtures": 67,
}

# The labelled pictures' backdrops are drawn from the next seed, so they differ from the videos'.
PICTURE_BACKDROP_SEED_OFFSET = 1


def scene_seed(seed: int, scene_set: str) -> int:
    """The seed of one named scene set (see ``SCENE_SEED_OFFSETS``)."""
    return seed + SCENE_SEED_OFFSETS[scene_set]


def stream(seed: int, name: str, *more: int) -> np.random.Generator:
    """The generator of one named stream (see ``STREAM_TAGS``); ``more`` splits it further."""
    return np.random.default_rng([seed, STREAM_TAGS[name], *more])
