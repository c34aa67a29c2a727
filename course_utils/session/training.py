"""One small training loop: progress bar, mixed precision on CUDA, checkpoint and resume.

A Colab session that disconnects loses at most one epoch: every epoch ends by
writing a checkpoint, and calling :func:`fit` again with the same ``name`` and the
same training continues after the last saved epoch. A checkpoint of a different
training (an edited loss, another model size) is set aside, never resumed: see
:mod:`course_utils.session.checkpoints`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import torch
from tqdm.auto import tqdm
from tqdm.notebook import tqdm_notebook

from .batching import check_batch_size
from .checkpoints import load_checkpoint, rng_state, save_checkpoint, set_rng_state, training_fingerprint

StepResult = torch.Tensor | Mapping[str, torch.Tensor]


class History:
    """Per-epoch records: ``{"epoch": 1, "loss": 0.7, ...}``."""

    def __init__(self, records: list[dict] | None = None):
        self.records: list[dict] = list(records or [])

    def append(self, record: dict) -> None:
        self.records.append(dict(record))

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, metric: str) -> list[float]:
        return [r[metric] for r in self.records if metric in r]

    @property
    def last(self) -> dict:
        return self.records[-1] if self.records else {}

    def metrics(self) -> list[str]:
        names: list[str] = []
        for record in self.records:
            names += [k for k in record if k not in ("epoch", *names)]
        return names

    def plot(self, title: str | None = None):
        """Curves of every recorded metric against the epoch."""
        from ..plots.figures import plot_history

        return plot_history(self, title=title)


def _autocast(device: torch.device, enabled: bool):
    if enabled and device.type == "cuda":
        dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return torch.autocast(device_type="cuda", dtype=dtype)
    return contextlib.nullcontext()


class _ProgressView:
    """A training run's progress: a live bar for each epoch and, in a notebook, one line that
    takes the bar's place when the run ends, so that a saved notebook or an exported page says
    what ran (a bar's widget would be an empty gap there)."""

    def __init__(self, name: str, enabled: bool):
        self.name, self.enabled, self.handle = name, enabled, None

    def epoch_bar(self, batches: Iterable, epoch: int, epochs: int):
        description = f"{self.name} epoch {epoch}/{epochs}"
        if not (self.enabled and issubclass(tqdm, tqdm_notebook)):  # no notebook front end, or no bar
            return tqdm(batches, desc=description, disable=not self.enabled, leave=False)
        from IPython.display import display

        bar = tqdm(batches, desc=description, display=False)
        if self.handle is None:
            self.handle = display(bar.container, display_id=True)
        else:
            self.handle.update(bar.container)
        return bar

    def finish(self, line: str) -> None:
        if self.handle is not None:
            self.handle.update({"text/plain": line}, raw=True)


def _step_scalars(result) -> dict[str, torch.Tensor]:
    """The step's loss (and other scalars) as a dict, or an error that says what a step returns."""
    if isinstance(result, torch.Tensor):
        return {"loss": result}
    if isinstance(result, Mapping) and isinstance(result.get("loss"), torch.Tensor):
        return dict(result)
    raise TypeError(f"the step returned {type(result).__name__} {result!r:.60}; it must return the loss "
                    "tensor (not loss.item(), which cannot be differentiated) or a dict with the loss "
                    "tensor under 'loss'")


def adam_one_cycle(model: torch.nn.Module, epochs: int, examples: int, batch_size: int, peak: float = 3e-3):
    """Adam and a one-cycle learning rate for ``epochs`` epochs of ``examples`` in batches of
    ``batch_size``: a warm-up to ``peak``, then annealing to nearly 0 by the last batch. Step the
    schedule after every batch (``fit`` does, given ``scheduler=``)."""
    check_batch_size(batch_size)
    optimiser = torch.optim.Adam(model.parameters(), lr=peak)
    steps = epochs * -(-examples // batch_size)  # batches per epoch, the last one partial
    return optimiser, torch.optim.lr_scheduler.OneCycleLR(optimiser, peak, total_steps=steps)


def fit(
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    batches: Iterable | Callable[[int], Iterable],
    step: Callable[[torch.nn.Module, object], StepResult],
    epochs: int,
    *,
    name: str,
    checkpoint_dir: Path | str | None = None,
    device: torch.device | str = "cpu",
    evaluate: Callable[[torch.nn.Module], Mapping[str, float]] | None = None,
    scheduler: torch.optim.lr_scheduler.LRScheduler | None = None,
    mixed_precision: bool = True,
    progress: bool = True,
    identity: Mapping | None = None,
) -> History:
    """Train ``model`` for ``epochs`` epochs and return its :class:`History`.

    ``batches`` is an iterable re-read every epoch (a DataLoader) or a function
    ``epoch -> iterable``. ``step(model, batch)`` returns the loss, or a dict
    with ``"loss"`` and other scalars to average over the epoch. ``evaluate``
    runs after each epoch (in ``eval`` mode) and its numbers join the history.
    Mixed precision applies on CUDA only. ``identity`` holds further facts that make this
    training what it is (run mode, seed); with the model, optimiser and code they decide
    whether a saved checkpoint may be resumed.
    """
    device = torch.device(device)
    model.to(device)
    use_amp = mixed_precision and device.type == "cuda"
    scaler = torch.amp.GradScaler("cuda", enabled=use_amp and not torch.cuda.is_bf16_supported())
    history = History()
    first_epoch = 1
    path = Path(checkpoint_dir) / f"{name}.pt" if checkpoint_dir is not None else None

    code = [step, *([batches] if callable(batches) else []), *([evaluate] if evaluate else [])]
    identity = {**(identity or {}), "amp": use_amp}
    fingerprint = training_fingerprint(model, optimizer, code, identity, scheduler)
    saved = load_checkpoint(path, fingerprint, device, name, epochs) if path is not None else None
    if saved is not None:
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        if scheduler is not None and saved.get("scheduler") is not None:
            scheduler.load_state_dict(saved["scheduler"])
        scaler.load_state_dict(saved["scaler"])
        set_rng_state(saved["rng"])
        history = History(saved["history"])
        first_epoch = saved["epoch"] + 1
        print(f"[{name}] resumed from {path} after epoch {saved['epoch']} of {epochs}")

    view = _ProgressView(name, progress)
    for epoch in range(first_epoch, epochs + 1):
        started = time.perf_counter()
        model.train()
        epoch_batches = batches(epoch) if callable(batches) else batches
        # Sums stay on the device: reading a number back after every batch would make the CPU
        # wait for the GPU each step.
        sums: dict[str, torch.Tensor] = {}
        count = 0
        bar = view.epoch_bar(epoch_batches, epoch, epochs)
        for batch in bar:
            with _autocast(device, use_amp):
                result = step(model, batch)
            scalars = _step_scalars(result)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(scalars["loss"]).backward()
            scaler.step(optimizer)
            scaler.update()
            if scheduler is not None:
                scheduler.step()
            for key, value in scalars.items():
                sums[key] = sums[key] + value.detach().float() if key in sums else value.detach().float()
            count += 1
            if count % 50 == 0:
                bar.set_postfix(loss=f"{float(sums['loss']) / count:.4f}")
        if count == 0:
            if epoch > first_epoch and iter(epoch_batches) is epoch_batches:
                raise ValueError(f"[{name}] epoch {epoch} had no batches: `batches` is a one-shot iterator "
                                 "(a generator), used up by the first epoch. Pass a list, a DataLoader or "
                                 "a function epoch -> batches.")
            raise ValueError(f"[{name}] epoch {epoch} had no batches; is the dataset empty?")
        record = {"epoch": epoch, **{k: float(v) / count for k, v in sums.items()}}
        record["seconds"] = time.perf_counter() - started
        if evaluate is not None:
            model.eval()
            with torch.no_grad():
                record.update({k: float(v) for k, v in evaluate(model).items()})
        history.append(record)
        if path is not None:
            save_checkpoint(path, {
                "model": model.state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict() if scheduler is not None else None,
                "scaler": scaler.state_dict(),
                "rng": rng_state(),
                "history": history.records,
                "epoch": epoch,
                "fingerprint": fingerprint,
            })
    if first_epoch <= epochs:
        trained = history.records[first_epoch - 1:]
        seconds = sum(record["seconds"] for record in trained)
        view.finish(f"{name}: epochs {first_epoch}-{epochs} of {epochs} trained, {count} batches each, "
                    f"{seconds:.1f} s; last epoch's loss {trained[-1]['loss']:.4g}")
    model.eval()
    return history
