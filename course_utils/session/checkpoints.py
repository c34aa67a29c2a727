"""Checkpoints that belong to one training.

A checkpoint is resumed only by the training that wrote it. Its *fingerprint* covers the
model's parameter names and shapes, the optimiser and its settings, the run mode and seed,
and the code that trains: the step and batch functions, the model's own classes, and every
function and plain setting they use, followed through the notebook. A student who fixes a
loss function and re-runs the training cell therefore trains afresh, while a session that
disconnected and runs the same cells again resumes where it stopped.

Checkpoints are written atomically and read with ``torch.load(weights_only=True)``, which
runs no code from the file: the random-number states are stored as tensors and numbers.
"""

from __future__ import annotations

import dis
import hashlib
import random
import types
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import torch

from ..core.files import atomic_write

_PLAIN_SETTINGS = (bool, int, float, str, type(None))


def _is_course_code(value) -> bool:
    """Code of the notebook (``__main__``) or of this package, which training depends on."""
    module = getattr(value, "__module__", None) or ""
    return module == "__main__" or module.startswith("course_utils")


def _code_objects(code: types.CodeType):
    yield code
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _code_objects(constant)


class _CodeWalk:
    """Collects the code a training depends on, following names from function to function."""

    def __init__(self):
        self.parts: list[str] = []
        self.seen: set[int] = set()

    def visit(self, value, name: str = "") -> None:
        if isinstance(value, _PLAIN_SETTINGS):
            self.parts.append(f"{name}={value!r}")
            return
        if id(value) in self.seen:
            return
        if isinstance(value, types.MethodType):
            value = value.__func__
        if isinstance(value, types.FunctionType) and _is_course_code(value):
            self.seen.add(id(value))
            self._visit_function(value)
        elif isinstance(value, type) and _is_course_code(value):
            self.seen.add(id(value))
            self.parts.append(f"class {value.__qualname__}")
            for _, member in sorted(vars(value).items()):
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if isinstance(member, property):
                    member = member.fget
                if isinstance(member, types.FunctionType):
                    self._visit_function(member)

    def _visit_function(self, function: types.FunctionType) -> None:
        closure = dict(zip(function.__code__.co_freevars, (c.cell_contents for c in function.__closure__ or ()
                                                              if _cell_is_set(c))))
        for code in _code_objects(function.__code__):
            constants = [c for c in code.co_consts if not isinstance(c, types.CodeType)]
            self.parts.append(f"{code.co_qualname if hasattr(code, 'co_qualname') else code.co_name}:"
                              f"{code.co_code.hex()}:{constants!r}:{code.co_names}")
            for instruction in dis.get_instructions(code):
                name = instruction.argval
                if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME") and name in function.__globals__:
                    self.visit(function.__globals__[name], name)
                elif instruction.opname in ("LOAD_DEREF", "LOAD_CLOSURE") and name in closure:
                    self.visit(closure[name], name)


def _cell_is_set(cell) -> bool:
    try:
        cell.cell_contents  # noqa: B018  (an empty cell raises)
    except ValueError:
        return False
    return True


def training_fingerprint(model: torch.nn.Module, optimizer: torch.optim.Optimizer, code: list[Callable],
                         identity: Mapping | None = None) -> str:
    """A short hash of everything that makes a training what it is (see the module's docstring)."""
    walk = _CodeWalk()
    for function in code:
        walk.visit(function)
    for module in model.modules():
        walk.visit(type(module))
    settings = [{k: v for k, v in group.items() if k != "params"} | {"parameters": len(group["params"])}
                for group in optimizer.param_groups]
    description = repr([
        sorted((name, tuple(tensor.shape)) for name, tensor in model.state_dict().items()),
        type(optimizer).__name__, settings, sorted((identity or {}).items()), walk.parts,
    ])
    return hashlib.sha256(description.encode()).hexdigest()[:16]


def rng_state() -> dict:
    """Every global random state, as tensors and numbers (loadable with ``weights_only=True``)."""
    name, keys, position, has_gauss, cached = np.random.get_state()
    state = {"python": random.getstate(),
             "numpy": (name, torch.from_numpy(keys.astype(np.int64)), position, has_gauss, cached),
             "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    random.setstate(state["python"])
    name, keys, position, has_gauss, cached = state["numpy"]
    np.random.set_state((name, keys.numpy().astype(np.uint32), position, has_gauss, cached))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save_checkpoint(path: Path, payload: dict) -> None:
    """Write atomically, so an interrupted save never spoils the previous checkpoint."""
    atomic_write(path, lambda partial: torch.save(payload, partial))


def load_checkpoint(path: Path, fingerprint: str, device, label: str) -> dict | None:
    """The checkpoint at ``path`` if it belongs to the training with ``fingerprint``, else None.

    A checkpoint of another training (or one that cannot be read safely) is not deleted: it is
    renamed to ``NAME.stale.pt`` with a one-line message, and training starts afresh.
    """
    if not path.is_file():
        return None
    try:
        saved = torch.load(path, map_location=device, weights_only=True)
        reason = None if saved.get("fingerprint") == fingerprint else (
            "was made by a different training (model, optimiser, settings or code changed)")
    except Exception as error:  # any file that cannot be read safely is set aside the same way
        saved, reason = None, f"cannot be read safely ({type(error).__name__})"
    if reason is None:
        return saved
    stale = path.with_name(path.stem + ".stale.pt")
    path.replace(stale)
    print(f"[{label}] the checkpoint {path.name} {reason}: set aside as {stale.name}; training afresh")
    return None
