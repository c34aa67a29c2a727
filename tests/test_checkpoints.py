"""A checkpoint is resumed only by the training that wrote it, and is read without running code."""

import random

import numpy as np
import pytest
import torch

from course_utils.session.checkpoints import rng_state, set_rng_state
from course_utils.session.training import fit

# Cells of a notebook, as a student writes them: the step calls a loss function of the notebook.
CELLS = """
import torch

SCALE = {scale}


def loss_of(prediction, target):
    return {loss}


def step(model, batch):
    inputs, targets = batch
    return SCALE * loss_of(model(inputs).squeeze(-1), targets)
"""
SQUARED, ABSOLUTE = "((prediction - target) ** 2).mean()", "(prediction - target).abs().mean()"


def notebook(loss=SQUARED, scale=1.0) -> dict:
    """Run the cells in a namespace named like a notebook's (``__main__``); return it."""
    namespace = {"__name__": "__main__"}
    exec(CELLS.format(loss=loss, scale=scale), namespace)  # noqa: S102  (the test's own code)
    return namespace


def train(tmp_path, cells, epochs=2, width=3):
    torch.manual_seed(0)
    x = torch.randn(64, width)
    y = x.sum(dim=1)
    model = torch.nn.Linear(width, 1)
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
])
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


def test_another_model_size_or_run_mode_is_not_resumed(tmp_path, capsys):
    train(tmp_path, notebook(), epochs=1)
    train(tmp_path, notebook(), epochs=1, width=4)
    assert "set aside" in capsys.readouterr().out


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


def test_random_states_round_trip():
    random.seed(1)
    np.random.seed(1)
    torch.manual_seed(1)
    state = rng_state()
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    set_rng_state(state)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == first
