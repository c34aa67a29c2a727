"""A checkpoint is resumed only by the training that wrote it, and is read without running code."""

import os
import random
import subprocess
import sys

import numpy as np
import pytest
import torch

from course_utils.session.checkpoints import data_digest, rng_state, set_rng_state
from course_utils.session.training import fit

# Cells of a notebook, as a student writes them: the step calls a loss function of the notebook.
CELLS = """
import torch

SCALE = {scale}
WEIGHTS = torch.full((16,), {weight})


def loss_of(prediction, target, power={power}):
    return {loss}


def step(model, batch):
    inputs, targets = batch
    return SCALE * (WEIGHTS * loss_of(model(inputs).squeeze(-1), targets)).mean()
"""
SQUARED, ABSOLUTE = "(prediction - target).abs() ** power", "(prediction - target).abs()"


def notebook(loss=SQUARED, scale=1.0, weight=1.0, power=2) -> dict:
    """Run the cells in a namespace named like a notebook's (``__main__``); return it."""
    namespace = {"__name__": "__main__"}
    exec(CELLS.format(loss=loss, scale=scale, weight=weight, power=power), namespace)
    return namespace


def train(tmp_path, cells, epochs=2, width=3, dropout=0.0):
    torch.manual_seed(0)
    x = torch.randn(64, width)
    y = x.sum(dim=1)
    model = torch.nn.Sequential(torch.nn.Dropout(dropout), torch.nn.Linear(width, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    batches = [(x[i:i + 16], y[i:i + 16]) for i in range(0, 64, 16)]
    return fit(model, optimizer, batches, cells["step"], epochs, name="student", checkpoint_dir=tmp_path,
               progress=False, identity={"mode": "smoke", "seed": 0})


def test_the_same_training_resumes_after_a_disconnect(tmp_path, capsys):
    train(tmp_path, notebook(), epochs=2)
    history = train(tmp_path, notebook(), epochs=3)  # a new kernel runs the same cells again
    out = capsys.readouterr().out
    assert "resumed" in out and "set aside" not in out
    assert history["epoch"] == [1, 2, 3]


@pytest.mark.parametrize("change", [
    {"loss": ABSOLUTE},  # the student fixed the loss function the step calls
    {"scale": 0.5},  # a plain setting the step reads
    {"weight": 0.5},  # data (a tensor) the step reads
    {"power": 1},  # a default argument of the loss function
], ids=["loss function", "setting", "data", "default argument"])
def test_an_edited_training_sets_the_old_checkpoint_aside(tmp_path, capsys, change):
    train(tmp_path, notebook(), epochs=2)
    fresh = train(tmp_path, notebook(**change), epochs=2)
    out = capsys.readouterr().out
    assert "resumed" not in out
    assert "set aside as student.stale.pt; training afresh" in out
    assert (tmp_path / "student.stale.pt").is_file() and (tmp_path / "student.pt").is_file()
    assert fresh["epoch"] == [1, 2]
    expected = train(tmp_path / "alone", notebook(**change), epochs=2)
    assert fresh["loss"] == pytest.approx(expected["loss"])  # trained from scratch, as if alone


def test_a_second_edit_keeps_the_checkpoint_set_aside_by_the_first(tmp_path, capsys):
    train(tmp_path, notebook(), epochs=2)
    first_weights = torch.load(tmp_path / "student.pt", weights_only=True)["model"]
    train(tmp_path, notebook(scale=0.5), epochs=2)
    train(tmp_path, notebook(scale=0.25), epochs=2)
    out = capsys.readouterr().out
    assert "set aside as student.stale.pt;" in out and "set aside as student.stale-2.pt;" in out
    kept = torch.load(tmp_path / "student.stale.pt", weights_only=True)["model"]
    assert all(torch.equal(kept[name], first_weights[name]) for name in first_weights)
    assert (tmp_path / "student.stale-2.pt").is_file() and (tmp_path / "student.pt").is_file()


@pytest.mark.parametrize("change", [{"width": 4}, {"dropout": 0.1}, {"epochs": 1}],
                         ids=["model size", "layer setting", "fewer epochs than saved"])
def test_another_model_or_fewer_epochs_is_not_resumed(tmp_path, capsys, change):
    train(tmp_path, notebook(), epochs=2)
    history = train(tmp_path, notebook(), **{"epochs": 2, **change})
    assert "set aside" in capsys.readouterr().out
    assert history["epoch"] == list(range(1, change.get("epochs", 2) + 1))


# A step with a set literal: Python orders a set of strings by their hashes, which differ per process.
KERNEL = """
import torch
from course_utils.session.checkpoints import training_fingerprint

namespace = {"__name__": "__main__"}
exec("def step(model, batch):\\n    return model(batch).sum() * (2 if 'a' in {'a', 'b', 'c', 'd'} else 1)",
     namespace)
torch.manual_seed(0)
model = torch.nn.Linear(2, 1)
print(training_fingerprint(model, torch.optim.SGD(model.parameters(), lr=0.1), [namespace["step"]]))
"""


def test_the_fingerprint_is_the_same_in_every_kernel():
    prints = {subprocess.run([sys.executable, "-c", KERNEL], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2, 3)}
    assert len(prints) == 1 and len(prints.pop().strip()) == 16


class Payload:
    """Anything but tensors and numbers: a weights-only load must refuse it."""

    def __reduce__(self):
        return (print, ("code from the checkpoint ran",))


def test_checkpoints_load_with_weights_only_and_a_foreign_pickle_is_set_aside(tmp_path, capsys):
    train(tmp_path, notebook(), epochs=1)
    saved = torch.load(tmp_path / "student.pt", weights_only=True)
    assert saved["epoch"] == 1 and len(saved["fingerprint"]) == 16
    torch.save({"model": Payload()}, tmp_path / "student.pt")
    history = train(tmp_path, notebook(), epochs=1)
    out = capsys.readouterr().out
    assert "code from the checkpoint ran" not in out
    assert "cannot be read safely" in out and history["epoch"] == [1]


def test_data_digest_samples_large_data_and_sees_a_change():
    big = torch.zeros(49_152_000, dtype=torch.uint8)  # as many values as 4,000 images of 3x64x64
    digest = data_digest(big)
    big[-1] = 1  # the last value is always in the sample
    assert data_digest(big) != digest
    assert data_digest(np.zeros((2, 3))) == data_digest(torch.zeros(2, 3, dtype=torch.float64))
    assert data_digest(torch.zeros(2, 3)) != data_digest(torch.zeros(3, 2))


def test_random_states_round_trip():
    random.seed(1)
    np.random.seed(1)
    torch.manual_seed(1)
    state = rng_state()
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    set_rng_state(state)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == first


@pytest.mark.notebooks
def test_a_notebook_run_again_in_a_new_kernel_resumes_its_training(tmp_path, monkeypatch):
    """What a disconnected Colab session does: the same cells again, in a new kernel."""
    import nbformat
    from helpers import TEMPLATES
    from nbclient import NotebookClient

    for variable in ("COURSE_DATA_DIR", "COURSE_CHECKPOINT_DIR", "COURSE_RESULTS_DIR"):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    monkeypatch.setenv("COURSE_MODE", "smoke")
    printed = []
    for _ in range(2):
        notebook = nbformat.read(TEMPLATES[0], as_version=4)
        NotebookClient(notebook, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(TEMPLATES[0].parent)}}).execute()
        outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
        printed.append("".join(o.get("text", "") for o in outputs if o.output_type == "stream"))
    assert "resumed" not in printed[0]
    assert "resumed from" in printed[1] and "set aside" not in printed[1]
