"""Checkpoints that belong to one training.

A checkpoint is resumed only by the training that wrote it. Its *fingerprint* covers the
model (its layers, their settings and its starting weights), the optimiser and its settings,
the learning-rate schedule, the run mode and seed, and what trains it: the step and batch
functions, the model's own classes, and every function, default argument, plain setting and
piece of data (tensors and arrays, by a digest of their values) they use, followed through
the notebook. A student who fixes a loss function, changes a setting or feeds other data and
re-runs the training cell therefore trains afresh, while a session that disconnected and runs
the same cells again resumes where it stopped.

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

_PLAIN_SETTINGS = (bool, int, float, complex, str, bytes, type(None))
_DATA_SAMPLE = 1 << 16  # elements of a tensor or array that its digest reads, evenly spaced


def _is_course_code(value) -> bool:
    """Code of the notebook (``__main__``) or of this package, which training depends on."""
    module = getattr(value, "__module__", None) or ""
    return module == "__main__" or module.startswith("course_utils")


def _stable(value):
    """``value`` as text that is the same in every kernel (sets are sorted, not hash-ordered)."""
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_stable(v) for v in value)) + "}"
    if isinstance(value, (tuple, list)):
        return type(value).__name__ + "(" + ", ".join(_stable(v) for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(f"{_stable(k)}: {_stable(v)}" for k, v in value.items())) + "}"
    return repr(value)


def _plain(value) -> bool:
    """A setting written as plain values: numbers, strings, and containers of them."""
    if isinstance(value, _PLAIN_SETTINGS):
        return True
    if isinstance(value, (tuple, list, set, frozenset)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return False


def data_digest(data) -> str:
    """Shape, type and a hash of (a sample of) a tensor's or array's values.

    Floating values are rounded to half precision first, so that the last bits of a
    computation (a GPU may differ there from run to run) do not count as other data.
    """
    tensor = torch.as_tensor(data).detach()
    flat = tensor.reshape(-1)
    if len(flat) > _DATA_SAMPLE:
        # Integer steps: a float32 linspace rounds its last index past the end for large tensors.
        flat = flat[torch.arange(_DATA_SAMPLE, device=flat.device) * (len(flat) - 1) // (_DATA_SAMPLE - 1)]
    if flat.is_floating_point():
        flat = flat.to(torch.float16)
    values = flat.cpu().contiguous().view(torch.uint8).numpy().tobytes() if flat.numel() else b""
    return f"{tuple(tensor.shape)}:{tensor.dtype}:{hashlib.sha256(values).hexdigest()[:16]}"


def _code_objects(code: types.CodeType):
    yield code
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _code_objects(constant)


class _CodeWalk:
    """Collects what a training depends on, following names from function to function: code,
    plain settings, and the data (tensors and arrays) the code reads."""

    def __init__(self):
        self.parts: list[str] = []
        self.seen: set[int] = set()

    def visit(self, value, name: str = "") -> None:
        if _plain(value):
            self.parts.append(f"{name}={_stable(value)}")
            return
        if id(value) in self.seen:
            return
        self.seen.add(id(value))
        if isinstance(value, (torch.Tensor, np.ndarray)):
            self.parts.append(f"{name}:{data_digest(value)}")
        elif isinstance(value, types.MethodType):
            self.visit(value.__func__, name)
            self.visit(value.__self__, name)
        elif isinstance(value, types.FunctionType) and _is_course_code(value):
            self._visit_function(value)
        elif isinstance(value, type) and _is_course_code(value):
            self.parts.append(f"class {value.__qualname__}")
            for member_name, member in sorted(vars(value).items()):
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if isinstance(member, property):
                    member = member.fget
                if isinstance(member, types.FunctionType):
                    self._visit_function(member)
                elif _plain(member) and not member_name.startswith("__"):
                    self.parts.append(f"{value.__qualname__}.{member_name}={_stable(member)}")
        elif isinstance(value, torch.nn.Module):
            self.parts.append(f"{name}:{value!r}")  # its layers and their settings
            self.parts += [f"{name}.{key}:{data_digest(w)}" for key, w in value.state_dict().items()]
            self.visit(type(value))
        elif _is_course_code(type(value)) and hasattr(value, "__dict__"):
            # An object of the notebook's or the package's: its fields too, or only those its class
            # names in ``fingerprint_fields`` (a Course's start time, say, is no part of a training).
            self.visit(type(value))
            fields = getattr(type(value), "fingerprint_fields", None)
            for field, member in sorted(vars(value).items()):
                if fields is None or field in fields:
                    self.visit(member, f"{name}.{field}")

    def _visit_function(self, function: types.FunctionType) -> None:
        cells = zip(function.__code__.co_freevars, function.__closure__ or ())
        closure = {name: cell.cell_contents for name, cell in cells if _cell_is_set(cell)}
        for default in (*(function.__defaults__ or ()), *(function.__kwdefaults__ or {}).values()):
            self.visit(default, f"{function.__qualname__} default")
        for code in _code_objects(function.__code__):
            constants = [c for c in code.co_consts if not isinstance(c, types.CodeType)]
            self.parts.append(f"{code.co_qualname if hasattr(code, 'co_qualname') else code.co_name}:"
                              f"{code.co_code.hex()}:{_stable(constants)}:{code.co_names}")
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
                         identity: Mapping | None = None, scheduler=None) -> str:
    """A short hash of everything that makes a training what it is (see the module's docstring)."""
    walk = _CodeWalk()
    for function in code:
        walk.visit(function)
    walk.visit(model, "model")
    for module in model.modules():
        walk.visit(type(module))
    settings = [{k: v for k, v in group.items() if k != "params"} | {"parameters": len(group["params"])}
                for group in optimizer.param_groups]
    schedule = scheduler.state_dict() if scheduler is not None else {}
    description = _stable([
        sorted((name, tuple(tensor.shape)) for name, tensor in model.state_dict().items()), repr(model),
        type(optimizer).__name__, settings, type(scheduler).__name__,
        {k: v for k, v in schedule.items() if _plain(v)}, dict(identity or {}), walk.parts,
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


def _free_stale_name(path: Path) -> Path:
    """``NAME.stale.pt``, or the first of ``NAME.stale-2.pt``, ``-3``, ... that does not exist yet."""
    candidate, number = path.with_name(f"{path.stem}.stale.pt"), 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}.stale-{number}.pt")
    return candidate


def load_checkpoint(path: Path, fingerprint: str, device, label: str,
                    epochs: int | None = None) -> dict | None:
    """The checkpoint at ``path`` if it belongs to the training with ``fingerprint`` (and has not
    gone past ``epochs``), else None.

    A checkpoint of another training (or one that cannot be read safely) is not deleted: it is
    renamed to ``NAME.stale.pt`` (``NAME.stale-2.pt`` and on when that is taken, so an earlier
    one set aside is never overwritten) with a one-line message, and training starts afresh.
    """
    if not path.is_file():
        return None
    try:
        saved = torch.load(path, map_location=device, weights_only=True)
        reason = None if saved.get("fingerprint") == fingerprint else (
            "was made by a different training (model, optimiser, settings, data or code changed)")
        if reason is None and epochs is not None and saved["epoch"] > epochs:
            reason = f"has {saved['epoch']} epochs, more than the {epochs} asked for"
    except Exception as error:  # any file that cannot be read safely is set aside the same way
        saved, reason = None, f"cannot be read safely ({type(error).__name__})"
    if reason is None:
        return saved
    stale = _free_stale_name(path)
    path.replace(stale)
    print(f"[{label}] the checkpoint {path.name} {reason}: set aside as {stale.name}; training afresh")
    return None
