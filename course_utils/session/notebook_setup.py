"""``setup_notebook()``: the first call of every notebook."""

from __future__ import annotations

import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from . import paths
from .modes import pick_knobs, read_run_mode
from .training import History, fit

DEFAULT_SEED = 0


@dataclass
class Course:
    """What a notebook knows about where and how it runs."""

    notebook: str
    mode: str
    device: torch.device
    seed: int
    on_colab: bool
    data_dir: Path
    checkpoint_dir: Path
    started_at: float = field(default_factory=time.perf_counter)
    # What of a Course makes a training what it is (the training fingerprint reads only these).
    fingerprint_fields = ("mode", "seed")

    def knobs(self, table: dict[str, dict]) -> dict:
        """This run mode's sizes from the notebook's ``{mode: {knob: value}}`` table."""
        return pick_knobs(table, self.mode)

    def elapsed(self) -> float:
        """Seconds since ``setup_notebook()``."""
        return time.perf_counter() - self.started_at

    def fit(self, model, optimizer, batches, step, epochs: int, *, name: str, **options) -> History:
        """:func:`~course_utils.session.training.fit` in this notebook's run mode, on its device,
        with its checkpoint folder; the checkpoint is called ``NAME-MODE``.

        ``options`` go to ``fit`` as they are (``evaluate``, ``scheduler``, ``progress``, ...).
        """
        return fit(model, optimizer, batches, step, epochs, name=f"{name}-{self.mode}",
                   checkpoint_dir=self.checkpoint_dir, device=self.device,
                   identity={"mode": self.mode, "seed": self.seed}, **options)


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and torch (every device) with one number."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds CUDA and MPS generators


def pick_device() -> torch.device:
    """CUDA, then Apple's MPS, then the CPU; ``COURSE_DEVICE`` forces one."""
    forced = os.environ.get("COURSE_DEVICE")
    if forced:
        return forced_device(forced)
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def forced_device(name: str) -> torch.device:
    """The device ``COURSE_DEVICE`` names, checked here rather than at the first tensor moved to it."""
    try:
        device = torch.device(name)
    except RuntimeError:
        raise ValueError(f"COURSE_DEVICE={name!r} is not a device; use cpu, cuda or mps, or unset it to "
                         "let the course choose.") from None
    mps = getattr(torch.backends, "mps", None)
    present = {"cuda": torch.cuda.is_available, "mps": lambda: mps is not None and mps.is_available()}
    if not present.get(device.type, lambda: True)():
        raise RuntimeError(f"COURSE_DEVICE={name!r}, but PyTorch finds no {device.type} device here; unset "
                           "COURSE_DEVICE (the course then uses what there is) or set it to cpu.")
    return device


def use_fast_gpu_arithmetic() -> None:
    """TensorFloat-32 matrix products and cuDNN's autotuner: several times faster float32 training
    on recent GPUs, for about three decimal digits of precision in the products."""
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    torch.backends.cudnn.benchmark = True


def running_on_colab() -> bool:
    return "google.colab" in sys.modules


def read_seed(default: int = DEFAULT_SEED) -> int:
    value = os.environ.get("COURSE_SEED")
    if value is None or value.strip() == "":
        return default
    try:
        seed = int(value)
    except ValueError:
        raise ValueError(f"COURSE_SEED={value!r} is not an integer; unset it or give a number.") from None
    if not 0 <= seed < 2**32:  # NumPy's seeds
        raise ValueError(f"COURSE_SEED={value!r} is out of range; give a number from 0 to {2**32 - 1}.")
    return seed


def make_folder(folder: Path, variable: str) -> None:
    """Create ``folder``, or say which setting to change when it cannot be a folder."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise NotADirectoryError(f"{folder} is a file, not a folder; point {variable} at a folder (or "
                                 "unset it) and run the setup cell again.") from None
    except PermissionError:
        raise PermissionError(f"cannot create {folder}; point {variable} at a folder you can write to and "
                              "run the setup cell again.") from None


def setup_notebook(notebook: str, seed: int = DEFAULT_SEED, gpu_helps: bool = True) -> Course:
    """Seed everything, pick the device and run mode, make the folders, print one line.

    ``COURSE_SEED`` overrides ``seed``; ``COURSE_MODE`` picks the run mode.
    """
    seed = read_seed(seed)
    seed_everything(seed)
    device = pick_device()
    if device.type == "cuda":
        use_fast_gpu_arithmetic()
    mode = read_run_mode(device.type)
    course = Course(
        notebook=notebook,
        mode=mode,
        device=device,
        seed=seed,
        on_colab=running_on_colab(),
        data_dir=paths.data_dir(),
        checkpoint_dir=paths.checkpoint_dir() / notebook,
    )
    make_folder(course.data_dir, "COURSE_DATA_DIR")
    make_folder(course.checkpoint_dir, "COURSE_CHECKPOINT_DIR")
    where = "Colab" if course.on_colab else "local"
    print(
        f"[{notebook}] mode={mode} device={device} seed={seed} on={where} torch={torch.__version__} "
        f"data={paths.shown(course.data_dir)} checkpoints={paths.shown(course.checkpoint_dir)}"
    )
    if device.type == "cpu" and gpu_helps:
        # Said once, plainly: a CPU is the course's main target, not something to warn about.
        print("On the CPU, 'default' mode is the one to run; with a GPU, 'full' mode trains bigger "
              "models (on Colab: Runtime > Change runtime type > GPU).")
    return course
