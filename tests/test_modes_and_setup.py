from pathlib import Path

import pytest
import torch

from course_utils import setup_notebook
from course_utils.session import paths
from course_utils.session.modes import RunModeError, pick_knobs, read_run_mode

TABLE = {"smoke": {"n": 1}, "default": {"n": 10}, "full": {"n": 100}}


def test_mode_follows_the_device_when_not_set(monkeypatch):
    monkeypatch.delenv("COURSE_MODE", raising=False)
    assert read_run_mode("cuda") == "full"
    assert read_run_mode("cpu") == "default"
    assert read_run_mode("mps") == "default"


def test_mode_from_environment(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", " Smoke ")
    assert read_run_mode("cuda") == "smoke"


def test_unknown_mode_lists_the_valid_ones(monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "fast")
    with pytest.raises(RunModeError, match="smoke, default, full"):
        read_run_mode("cpu")


def test_knobs_of_the_mode():
    assert pick_knobs(TABLE, "default") == {"n": 10}


def test_knobs_must_be_the_same_in_every_mode():
    with pytest.raises(RunModeError, match="same knobs"):
        pick_knobs({**TABLE, "full": {"n": 100, "extra": 1}}, "smoke")
    with pytest.raises(RunModeError, match="exactly the modes"):
        pick_knobs({"smoke": {}, "default": {}}, "smoke")


def test_setup_seeds_and_makes_folders(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COURSE_CHECKPOINT_DIR", str(tmp_path / "ckpt"))
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    monkeypatch.setenv("COURSE_MODE", "smoke")
    monkeypatch.delenv("COURSE_SEED", raising=False)
    course = setup_notebook("99_example", seed=3)  # on the CPU: one plain line about the GPU, no warning
    first = torch.rand(3)
    setup_notebook("99_example", seed=3, gpu_helps=False)
    assert torch.equal(first, torch.rand(3))
    assert course.seed == 3 and course.mode == "smoke" and course.device.type == "cpu"
    assert course.data_dir.is_dir() and course.checkpoint_dir == tmp_path / "ckpt" / "99_example"
    assert course.checkpoint_dir.is_dir() and not course.on_colab
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and "'default' mode is the one to run" in lines[1] and "GPU" in lines[1]
    assert all("mode=smoke device=cpu seed=3" in line for line in (lines[0], lines[2]))
    assert course.knobs(TABLE) == {"n": 1}


def test_setup_line_names_folders_inside_the_course_relative_to_it(tmp_path, monkeypatch, capsys):
    root = tmp_path / "course"
    monkeypatch.setattr(paths, "course_root", lambda: root)
    monkeypatch.setenv("COURSE_CHECKPOINT_DIR", str(root / "build" / "checkpoints"))
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    setup_notebook("99_example", gpu_helps=False)
    line = capsys.readouterr().out
    assert f"data=data checkpoints={Path('build', 'checkpoints', '99_example')}" in line
    assert str(root) not in line
    assert paths.shown(Path("/elsewhere/checkpoints")) == str(Path("/elsewhere/checkpoints"))


def test_seed_override_from_environment(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", "7")
    assert setup_notebook("99_example", seed=3, gpu_helps=False).seed == 7
    seven = torch.rand(2)
    torch.manual_seed(7)
    assert torch.equal(seven, torch.rand(2))
    monkeypatch.setenv("COURSE_SEED", "seven")
    with pytest.raises(ValueError, match="COURSE_SEED"):
        setup_notebook("99_example")
