"""Talking faces: a face of the faces world saying an utterance, as 25 fps video with its sound.

The mouth opens with the utterance's loudness envelope (one value per video frame), the head
moves a little, and the light and background stay as they were when the clip started. The
sound is the identity's own voice (``faces.speaker_of``), so a voice still says nothing about
skin tone or hair. Mixtures are made as "Looking to listen" (Ephrat et al. 2018) made its
training data: two clean clips added at a loudness ratio, optionally over background noise,
with the clean sources kept as the targets.

Shapes: P clips, T video frames, S sound samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..core.audio import SAMPLE_RATE, from_pcm16, to_pcm16
from ..core.files import cached_npz, settings_cache_path
from ..core.parallel import concatenate_chunks
from ..core.seeds import stream
from .faces import FACE_SIZE, render_faces, sample_identities, sample_views, speaker_of
from .sounds import AMBIENCES, ambience
from .voices import FPS, INTONATIONS, speak

FORMAT_VERSION = 3
SPLITS = ("train", "test")
MOUTH_CROP = (16, 24)  # height, width in pixels, centred on the mouth
MOTION = {"yaw": 0.12, "roll": 0.05, "dx": 1.0, "dy": 0.8}  # how far the head sways while talking


@dataclass
class TalkingFaces:
    """Clips of talking faces: identities, per-frame settings, mouth crops and sound."""

    identities: dict[str, np.ndarray]  # attribute -> (P,)
    views: dict[str, np.ndarray]  # setting -> (P, T) per frame, or (P, T, 3) for the background
    mouths: np.ndarray  # (P, T, 16, 24, 3) uint8: the mouth region of every frame, tracked
    mouth_opening: np.ndarray  # (P, T) the utterance's envelope per frame, in [0, 1]
    waves: np.ndarray  # (P, S) float32 at 16 kHz
    fps: int = FPS
    sample_rate: int = SAMPLE_RATE

    def __len__(self) -> int:
        return len(self.waves)

    def frames(self, clip: int) -> np.ndarray:
        """(T, 64, 64, 3) uint8: the whole video of one clip (drawn when asked, not stored)."""
        frames = self.views["yaw"].shape[1]
        identity = {name: np.repeat(values[clip], frames) for name, values in self.identities.items()}
        return render_faces(identity, {name: values[clip] for name, values in self.views.items()})


def mouth_centres(identities: dict[str, np.ndarray], views: dict[str, np.ndarray]) -> np.ndarray:
    """(M, 2) pixel (x, y) of the mouth in each picture, from the same geometry as ``render_faces``."""
    radius = 15 + 7 * identities["head_size"]
    across, down = 0.25 * views["yaw"] * radius, 0.47 * radius  # in the head's own axes
    cos, sin = np.cos(views["roll"]), np.sin(views["roll"])
    x = FACE_SIZE / 2 + views["dx"] + cos * across - sin * down
    y = FACE_SIZE / 2 + 1 + views["dy"] + sin * across + cos * down
    return np.stack([x, y], axis=1)


def mouth_window(centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (M, 16) rows and (M, 24) columns of the crops around ``centres`` (M, 2); a crop that leaves
    the picture repeats its edge pixels."""
    height, width = MOUTH_CROP
    top = np.round(centres[:, 1]).astype(int) - height // 2
    left = np.round(centres[:, 0]).astype(int) - width // 2
    rows = np.clip(top[:, None] + np.arange(height)[None, :], 0, FACE_SIZE - 1)
    columns = np.clip(left[:, None] + np.arange(width)[None, :], 0, FACE_SIZE - 1)
    return rows, columns


def crop_mouths(pictures: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """(M, 16, 24, 3) crops of ``pictures`` (M, 64, 64, 3) around ``centres`` (M, 2), edge-padded."""
    rows, columns = mouth_window(centres)
    return pictures[np.arange(len(pictures))[:, None, None], rows[:, :, None], columns[:, None, :]]


def _clip_views(n: int, frames: int, opening: np.ndarray, rng) -> dict[str, np.ndarray]:
    """Per-frame settings: a clip's first view, swaying slowly, with the mouth following ``opening``."""
    start = sample_views(n, rng)
    t = np.arange(frames) / FPS
    views = {name: np.repeat(values[:, None], frames, axis=1) for name, values in start.items()}
    for name, amount in MOTION.items():
        rate, phase = rng.uniform(0.3, 1.0, (n, 1)), rng.uniform(0, 2 * np.pi, (n, 1))
        views[name] = np.clip(views[name] * 0.5, -0.5, 0.5) if name in ("yaw", "roll") else views[name]
        views[name] = views[name] + amount * np.sin(2 * np.pi * rate * t[None, :] + phase)
    views["mouth_open"] = 0.7 * opening
    views["background"] = np.repeat(start["background"][:, None, :], frames, axis=1)
    return views


def make_talking_faces(n: int, split: str = "train", seconds: float = 2.0, seed: int = 0,
                       data_dir: Path | str | None = None, intonation: str = "falling") -> TalkingFaces:
    """``n`` clips of ``seconds``, one identity each (a split's own identities); cached in ``data_dir``.
    ``intonation``: every voice's pitch falls alike (``"falling"``), each utterance has a contour of its
    own (``"free"``) or each syllable a height of its own (``"accented"``: see ``voices.speak``)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    if n < 1 or seconds * FPS < 1:
        raise ValueError("n must be at least 1 and seconds at least one video frame long")
    if intonation not in INTONATIONS:
        raise ValueError(f"intonation must be one of {INTONATIONS}, not {intonation!r}")
    split_id = SPLITS.index(split)
    identities = sample_identities(n, int(stream(seed, "talking faces", split_id).integers(2**31)))
    frames, samples = int(round(seconds * FPS)), int(round(seconds * SAMPLE_RATE))

    # A clip's sound as 16-bit samples beside its mouth opening per frame: one record, a quarter
    # of the bytes of float64 rows for the worker processes to send back.
    record = np.dtype([("wave", np.int16, samples), ("opening", np.float64, frames)])

    def voices(chunk: slice) -> np.ndarray:
        """The chunk's sounds and mouth openings: (clips,) records."""
        rows = np.zeros(len(range(n)[chunk]), dtype=record)
        for row, i in enumerate(range(n)[chunk]):
            rng = stream(seed, "talking voices", split_id, i)  # one stream per clip, as chunks require
            speaker = speaker_of(identities["head_size"][i], identities["jaw"][i], rng)
            utterance = speak(speaker, seconds, rng, intonation=intonation)
            rows["wave"][row] = to_pcm16(utterance.wave[:samples])
            rows["opening"][row] = utterance.mouth_opening()[:frames]
        return rows

    def make():
        sounds_and_mouths = concatenate_chunks(voices, n, 100, processes=True)  # filters hold the GIL
        waves, openings = (np.ascontiguousarray(sounds_and_mouths[name]) for name in ("wave", "opening"))
        views = _clip_views(n, frames, openings, stream(seed, "talking views", split_id))
        flat_ids = {name: np.repeat(values, frames) for name, values in identities.items()}
        flat_views = {name: values.reshape(n * frames, *values.shape[2:]) for name, values in views.items()}

        def mouths(chunk: slice) -> np.ndarray:
            ids = {k: v[chunk] for k, v in flat_ids.items()}
            settings = {k: v[chunk] for k, v in flat_views.items()}
            return render_faces(ids, settings, *mouth_window(mouth_centres(ids, settings)))  # the crops only

        crops = concatenate_chunks(mouths, n * frames, 1000).reshape(n, frames, *MOUTH_CROP, 3)
        return {"waves": waves, "mouth_opening": openings, "mouths": crops,
                **{f"view_{name}": values for name, values in views.items()}}

    settings = (FORMAT_VERSION, n, seconds, seed, intonation)
    path = settings_cache_path(data_dir, "faces_world", f"talking-{split}", settings)
    arrays = cached_npz(path, make, check=lambda a: a["waves"].shape == (n, samples)
                        and a["mouths"].shape[:2] == (n, frames))
    views = {name[len("view_"):]: values for name, values in arrays.items() if name.startswith("view_")}
    return TalkingFaces(identities, views, arrays["mouths"], arrays["mouth_opening"],
                        from_pcm16(arrays["waves"]))


@dataclass
class Mixtures:
    """Two talking faces heard at once: the mixture and the clean sources it was made of."""

    pairs: np.ndarray  # (N, 2) clip indices: the two speakers
    mixture: np.ndarray  # (N, S) float32
    sources: np.ndarray  # (N, 2, S) float32, the clean voices as they are in the mixture
    loudness_db: np.ndarray  # (N,) how much louder the first speaker is than the second
    noise: np.ndarray | None  # (N, S) the background noise in the mixture, if any


def make_mixtures(clips: TalkingFaces, count: int, seed: int, loudness_db: float = 3.0,
                  noise_snr_db: float | None = None) -> Mixtures:
    """``count`` mixtures of two different clips; the first speaker is up to ``loudness_db``
    louder or quieter than the second (uniform). With ``noise_snr_db``, an ambience is added
    that far below the two voices together."""
    if len(clips) < 2:
        raise ValueError("a mixture needs at least two clips")
    rng = stream(seed, "speech mixtures", 0 if noise_snr_db is None else 1)
    first = rng.integers(0, len(clips), count)
    second = (first + rng.integers(1, len(clips), count)) % len(clips)  # never the same clip
    ratio = rng.uniform(-loudness_db, loudness_db, count)
    a, b = clips.waves[first], clips.waves[second]
    power = lambda w: np.mean(w**2, axis=1, keepdims=True) + 1e-12  # noqa: E731
    b = b * np.sqrt(power(a) / power(b) / 10 ** (ratio[:, None] / 10))
    sources = np.stack([a, b], axis=1)
    mixture = sources.sum(axis=1)
    noise = None
    if noise_snr_db is not None:
        noise = np.stack([ambience(mixture.shape[1], AMBIENCES[k], rng) for k in
                          rng.integers(0, len(AMBIENCES), count)]).astype(np.float32)
        noise *= np.sqrt(power(mixture) / power(noise) / 10 ** (noise_snr_db / 10))
        mixture = mixture + noise
    peak = np.abs(mixture).max(axis=1, keepdims=True) / 0.9
    scale = np.maximum(peak, 1.0)  # never clip: scale everything down together
    return Mixtures(np.stack([first, second], axis=1), (mixture / scale).astype(np.float32),
                    (sources / scale[:, :, None]).astype(np.float32), ratio,
                    None if noise is None else (noise / scale).astype(np.float32))


__all__ = ["Mixtures", "TalkingFaces", "make_mixtures", "make_talking_faces"]
