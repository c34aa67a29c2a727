"""Notebooks 02 and 03 with their Flickr8k switch on, run on fixture archives (no network)."""

import json

import nbformat
import pytest
from flickr8k_fixture import install_flickr8k
from helpers import ROOT
from nbclient import NotebookClient

SWITCH = "USE_FLICKR8K = False"


@pytest.mark.parametrize("stem, metrics", [
    ("02_joint_embedding", ("flickr8k_t2i_R@1", "flickr8k_t2i_R@10")),
    ("03_captioning_attention", ("flickr8k_sat_bleu4", "flickr8k_show_tell_bleu4")),
])
def test_notebook_runs_on_flickr8k(stem, metrics, tmp_path, monkeypatch):
    for variable in ("COURSE_DATA_DIR", "COURSE_CHECKPOINT_DIR", "COURSE_RESULTS_DIR"):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))  # the kernel inherits these
    install_flickr8k(tmp_path / "course_data_dir", counts=(40, 4, 12))
    notebook = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    switches = [cell for cell in notebook.cells if SWITCH in cell.source]
    assert len(switches) == 1, f"{stem} should have one '{SWITCH}' cell"
    switches[0].source = switches[0].source.replace(SWITCH, "USE_FLICKR8K = True")
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = "".join(o.get("text", "") for o in switches[0].outputs)
    assert "Flickr8k skipped" not in outputs
    record = json.loads((tmp_path / "course_results_dir" / f"{stem}.json").read_text())
    for name in metrics:
        assert 0.0 <= record["metrics"][name] <= 1.0, (name, record["metrics"])
    assert (tmp_path / "course_data_dir" / "flickr8k_arrays" / "train-n40-64px.npz").is_file()
