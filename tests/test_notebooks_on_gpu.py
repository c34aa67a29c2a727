"""Every notebook in smoke mode on the GPU: catches device mix-ups (a tensor left on the CPU,
a float16 overflow) that a CPU-only run cannot see. Skipped where there is no CUDA GPU."""

import json

import pytest
import torch
from helpers import NOTEBOOKS

from course_utils.instructor import runner

pytestmark = [
    pytest.mark.cuda,
    pytest.mark.notebooks,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU"),
]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_on_the_gpu_in_smoke_mode(notebook, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DEVICE", "cuda")
    out = tmp_path / "build"
    code = runner.main([notebook.stem, "--mode", "smoke", "--out", str(out)])
    assert code == 0, (out / "results.txt").read_text()
    record = json.loads((out / "results" / f"{notebook.stem}.json").read_text())
    assert record["device"].startswith("cuda") and record["peak_gpu_memory_mb"] > 0
