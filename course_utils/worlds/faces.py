"""The faces world: cartoon faces (64x64) of identities that each speak with their own voice.

An identity is a set of face attributes (head size and shape, jaw, brows, eyes, mouth, skin
tone, hair). Each picture of it varies what a camera varies: pose (a turn and a tilt of the
head), expression (smile, open mouth, raised brows), lighting and background. Each identity
speaks with a source-filter voice (``voices``) made from its face attributes by the rules in
``VOICE_LINKS``, and from nothing else: the voice carries the head size (through the vocal
tract's length) and the jaw (through the pitch), and nothing about skin tone, hair or eyes.
A model that guesses a face from a voice can recover only what is really in the voice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.audio import SAMPLE_RATE, from_pcm16, to_pcm16
from ..core.files import cached_npz, settings_cache_path
from ..core.parallel import concatenate_chunks
from ..core.seeds import stream
from .voices import Speaker, speak

FACE_SIZE = 64
FORMAT_VERSION = 3
SPLITS = ("train", "test")
SKIN_TONES = {"light": (240, 205, 180), "medium": (215, 165, 125), "tan": (175, 120, 80),
              "dark": (110, 70, 45)}
HAIR_COLOURS = {"black": (30, 25, 25), "brown": (105, 65, 35), "blonde": (225, 195, 110),
                "red": (185, 75, 35)}
EYE_COLOURS = {"brown": (90, 55, 30), "blue": (60, 110, 200), "green": (60, 140, 80)}
# Continuous attributes in [0, 1]. Head size and jaw come in two clear groups (below 0.4 or
# above 0.6), so "small or large head" and "narrow or broad jaw" are well defined.
TWO_GROUPS = ("head_size", "jaw")
CONTINUOUS = ("head_size", "head_shape", "jaw", "brows", "eye_size", "mouth_width", "hair_length")
CATEGORICAL = {"skin_tone": tuple(SKIN_TONES), "hair_colour": tuple(HAIR_COLOURS),
               "eye_colour": tuple(EYE_COLOURS)}

# The one place that says what a voice knows about a face. A speaker is made from these two
# attributes and a little noise; every other attribute leaves the voice unchanged.
VOICE_LINKS = {
    "head_size": "vocal-tract length: 12.5 cm for the smallest head to 18 cm for the largest "
                 "(a longer tract lowers every formant)",
    "jaw": "pitch: the lowest F0 falls from 230 Hz for the narrowest jaw to 95 Hz for the broadest",
}
NOT_IN_THE_VOICE = ("head_shape", "brows", "eye_size", "mouth_width", "hair_length", "skin_tone",
                    "hair_colour", "eye_colour")


def speaker_of(head_size: float, jaw: float, rng) -> Speaker:
    """The voice of a face: tract length from the head size, pitch from the jaw (``VOICE_LINKS``)."""
    tract = 12.5 + 5.5 * head_size + rng.normal(0, 0.2)
    low = float(np.exp(np.log(230) - jaw * np.log(230 / 95) + rng.normal(0, 0.04)))
    return Speaker((low, low * rng.uniform(1.3, 1.5)), float(tract))


def attribute_classes(identities: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each identity's attributes as classes: small/large head, narrow/broad jaw, tone, colours."""
    classes = {name: (identities[name] > 0.5).astype(np.int64) for name in TWO_GROUPS}
    classes.update({name: identities[name].astype(np.int64) for name in CATEGORICAL})
    return classes


CLASS_NAMES = {"head_size": ("small", "large"), "jaw": ("narrow", "broad"), **CATEGORICAL}


@dataclass
class Faces:
    """Identities with their pictures, canonical frontal faces and voices."""

    split: str
    identities: dict[str, np.ndarray]  # attribute name -> (P,) values
    images: np.ndarray  # (P, pictures, 64, 64, 3) uint8, varied pose, expression, light, background
    canonical: np.ndarray  # (P, 64, 64, 3) uint8, frontal, neutral, even light, grey background
    waves: np.ndarray  # (P, utterances, samples) float32, 16 kHz
    pitch_hz: np.ndarray  # (P,) the lowest F0 of each identity's voice
    tract_cm: np.ndarray  # (P,) vocal-tract length of each identity's voice
    sample_rate: int = SAMPLE_RATE

    def __len__(self) -> int:
        return len(self.images)

    @property
    def classes(self) -> dict[str, np.ndarray]:
        return attribute_classes(self.identities)


def sample_identities(n: int, seed: int) -> dict[str, np.ndarray]:
    """``n`` identities' attributes, drawn independently of each other."""
    rng = np.random.default_rng(seed)
    identities = {name: rng.uniform(0, 1, n) for name in CONTINUOUS}
    for name in TWO_GROUPS:  # two groups with a gap between them
        identities[name] = np.where(rng.random(n) < 0.5, rng.uniform(0.0, 0.4, n), rng.uniform(0.6, 1.0, n))
    for name, values in CATEGORICAL.items():
        identities[name] = rng.integers(0, len(values), n).astype(np.float64)
    return identities


def sample_views(n: int, rng) -> dict[str, np.ndarray]:
    """What varies between two pictures of one person: pose, expression, light, background."""
    return {"yaw": rng.uniform(-0.8, 0.8, n), "roll": rng.uniform(-0.25, 0.25, n),
            "dx": rng.uniform(-3, 3, n), "dy": rng.uniform(-3, 3, n),
            "smile": rng.uniform(-1, 1, n), "mouth_open": rng.uniform(0, 0.6, n),
            "brow_raise": rng.uniform(0, 1, n), "gain": rng.uniform(0.75, 1.15, n),
            "light_angle": rng.uniform(0, 2 * np.pi, n), "light_strength": rng.uniform(0, 0.35, n),
            "background": rng.uniform(20, 230, (n, 3))}


def canonical_views(n: int) -> dict[str, np.ndarray]:
    """The frontal face: no turn or tilt, neutral expression, even light, a grey background."""
    zeros = np.zeros(n)
    return {"yaw": zeros, "roll": zeros, "dx": zeros, "dy": zeros, "smile": zeros, "mouth_open": zeros,
            "brow_raise": zeros + 0.5, "gain": zeros + 1.0, "light_angle": zeros, "light_strength": zeros,
            "background": np.full((n, 3), 128.0)}


def _palette(table: dict, index: np.ndarray) -> np.ndarray:
    return np.array(list(table.values()), dtype=np.float32)[index.astype(int)][:, None, None, :]


def render_faces(faces: dict[str, np.ndarray], views: dict[str, np.ndarray],
                 rows: np.ndarray | None = None, columns: np.ndarray | None = None) -> np.ndarray:
    """(M, 64, 64, 3) uint8 pictures; ``faces`` and ``views`` hold one (M,) value per picture.

    Given ``rows`` (M, H) and ``columns`` (M, W) pixel indices, only those pixels are drawn: (M, H, W, 3),
    equal to indexing the whole picture, at a fraction of the cost (every pixel is drawn on its own).
    """
    # One (M, 1, 1) column per setting, to broadcast against the (H, W) pixel grid.
    f = {name: np.asarray(value, dtype=np.float32)[:, None, None]
         for name, value in {**faces, **views}.items() if name != "background"}
    whole = np.arange(FACE_SIZE)[None, :]
    rows = whole if rows is None else np.asarray(rows)
    columns = whole if columns is None else np.asarray(columns)
    x = columns.astype(np.float32)[:, None, :] + 0.5
    y = rows.astype(np.float32)[:, :, None] + 0.5
    radius = 15 + 7 * f["head_size"]
    cos, sin = np.cos(f["roll"]), np.sin(f["roll"])
    dx, dy = x - (FACE_SIZE / 2 + f["dx"]), y - (FACE_SIZE / 2 + 1 + f["dy"])
    u, v = (cos * dx + sin * dy) / radius, (-sin * dx + cos * dy) / radius  # head coordinates
    half_width = (0.78 - 0.12 * f["head_shape"]) * (1 - 0.12 * np.abs(f["yaw"]))
    half_height = 0.95 + 0.1 * f["head_shape"]
    # The jaw shapes the lower face, below the centre line: a narrow jaw tapers to a pointed chin
    # (a low power in the outline), a broad one widens and ends square (a high power). Bold on
    # purpose and graded all the way: it is the face's half of the pitch link, and a face network
    # must read its exact value through pose and light, not only narrow or broad.
    below = np.maximum(v / half_height, 0)  # 0 at the head's centre line, 1 at the chin
    widen = 1 + (0.4 * f["jaw"] - 0.15) * np.clip(2 * below, 0, 1)
    power = 1.2 + 3.6 * f["jaw"]  # a pointed chin (low power) to a square jaw (high power)
    upper = (u / half_width) ** 2 + (v / half_height) ** 2 <= 1
    lower = np.abs(u / (half_width * widen)) ** power + below ** power <= 1
    head = np.where(v < 0, upper, lower)
    hair_back = (((u / (half_width + 0.12)) ** 2 + ((v + 0.1) / (half_height + 0.1)) ** 2 <= 1)
                 & (v < -0.2 + 1.3 * f["hair_length"]))
    fringe = head & (v < -0.55 - 0.1 * (1 - f["hair_length"]) + 0.05 * np.abs(u) / half_width)
    uf = u - 0.25 * f["yaw"]  # the features turn with the head
    eye_w, eye_h = 0.14 + 0.06 * f["eye_size"], 0.09 + 0.04 * f["eye_size"]
    eyes = np.zeros_like(head)
    irises, pupils, brows = eyes.copy(), eyes.copy(), eyes.copy()
    brow_v = -0.34 - 0.08 * f["brow_raise"]
    for side in (-1, 1):
        du, dv = uf - side * 0.33, v + 0.12
        eyes |= (du / eye_w) ** 2 + (dv / eye_h) ** 2 <= 1
        gaze = du - 0.06 * f["yaw"]
        irises |= gaze**2 + dv**2 <= (0.75 * eye_h) ** 2
        pupils |= gaze**2 + dv**2 <= (0.35 * eye_h) ** 2
        brows |= (np.abs(du) <= 0.17) & (np.abs(v - brow_v) <= 0.025 + 0.05 * f["brows"])
    nose = (np.abs(uf) <= 0.045) & (v >= 0.0) & (v <= 0.22)
    mouth_half = 0.18 + 0.14 * f["mouth_width"]
    mouth_line = 0.45 + 0.08 * f["smile"] * (1 - (uf / mouth_half) ** 2)
    mouth = (np.abs(uf) <= mouth_half) & (np.abs(v - mouth_line) <= 0.025 + 0.1 * f["mouth_open"])

    n = len(faces["skin_tone"])
    background = np.asarray(views["background"], dtype=np.float32)[:, None, None, :]
    image = background * (0.85 + 0.3 * (y / FACE_SIZE))[..., None] * np.ones(
        (n, rows.shape[-1], columns.shape[-1], 1), dtype=np.float32)
    skin, hair = _palette(SKIN_TONES, faces["skin_tone"]), _palette(HAIR_COLOURS, faces["hair_colour"])
    layers = [(hair_back, hair), (head, skin), (fringe, hair), (nose, 0.8 * skin),
              (eyes & head, np.float32(235)),
              (irises & eyes & head, _palette(EYE_COLOURS, faces["eye_colour"])),
              (pupils & eyes & head, np.float32(15)), (brows & head, 0.6 * hair),
              (mouth & head, np.array([150, 45, 55], dtype=np.float32))]
    for mask, colour in layers:
        image = np.where(mask[..., None], colour, image)
    light = f["gain"] * (1 + f["light_strength"] * ((x - 32) * np.cos(f["light_angle"])
                                                  + (y - 32) * np.sin(f["light_angle"])) / 32)
    return (image * light[..., None]).clip(0, 255).astype(np.uint8)


def render_in_chunks(faces: dict[str, np.ndarray], views: dict[str, np.ndarray]) -> np.ndarray:
    """``render_faces`` of every picture, 1,000 at a time on every core: the same pixels, and no
    pass over one array of them all (every pixel is drawn on its own)."""

    def draw(chunk: slice) -> np.ndarray:
        return render_faces({k: v[chunk] for k, v in faces.items()}, {k: v[chunk] for k, v in views.items()})

    return concatenate_chunks(draw, len(faces["skin_tone"]), 1000)


def _voices(identities: dict[str, np.ndarray], utterances: int, seconds: float, seed: int, split: int):
    """(waves as int16, lowest pitch, tract length) of every identity, one random stream each."""

    def speak_chunk(chunk: slice) -> np.ndarray:
        rows = []
        for i in range(len(identities["jaw"]))[chunk]:
            rng = stream(seed, "face voices", split, i)
            speaker = speaker_of(identities["head_size"][i], identities["jaw"][i], rng)
            waves = [speak(speaker, seconds, rng).wave for _ in range(utterances)]
            rows.append((to_pcm16(waves), speaker))
        return np.array(rows, dtype=object).reshape(-1, 2)

    # In processes: the many small filters of speech hold the interpreter lock, so threads would wait.
    rows = concatenate_chunks(speak_chunk, len(identities["jaw"]), 250, processes=True)
    return (np.stack(rows[:, 0]), np.array([s.pitch_hz[0] for s in rows[:, 1]]),
            np.array([s.tract_cm for s in rows[:, 1]]))


def make_faces(n: int, split: str = "train", pictures: int = 4, utterances: int = 2, seconds: float = 1.0,
               seed: int = 0, data_dir: Path | str | None = None) -> Faces:
    """``n`` identities of ``split`` with ``pictures`` pictures and ``utterances`` voices each.

    Each split draws its own identities (no person is in both). Generated once, then read
    from ``data_dir`` (if given); a cache that cannot be read is made again.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    if n < 1 or pictures < 1 or utterances < 1 or seconds <= 0:
        raise ValueError("n, pictures and utterances must be at least 1 and seconds above 0")
    split_id = SPLITS.index(split)
    identities = sample_identities(n, int(stream(seed, "face identities", split_id).integers(2**31)))
    samples = int(seconds * SAMPLE_RATE)

    def make():
        views = sample_views(n * pictures, stream(seed, "face views", split_id))
        repeated = {name: np.repeat(values, pictures) for name, values in identities.items()}
        images = render_in_chunks(repeated, views).reshape(n, pictures, FACE_SIZE, FACE_SIZE, 3)
        waves, pitch, tract = _voices(identities, utterances, seconds, seed, split_id)
        return {"images": images, "canonical": render_in_chunks(identities, canonical_views(n)),
                "waves": waves, "pitch_hz": pitch, "tract_cm": tract}

    path = settings_cache_path(data_dir, "faces_world", f"faces-{split}",
                               (FORMAT_VERSION, n, pictures, utterances, seconds, seed))
    arrays = cached_npz(path, make, check=lambda a: a["images"].shape[:2] == (n, pictures)
                        and a["waves"].shape == (n, utterances, samples))
    # Stored as 16-bit samples (half the disk); played and analysed as float32.
    waves = from_pcm16(arrays["waves"])
    return Faces(split, identities, arrays["images"], arrays["canonical"], waves, arrays["pitch_hz"],
                 arrays["tract_cm"])
