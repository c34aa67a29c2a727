"""Notebooks with a real-dataset switch turned on, run on fixture archives (no network)."""

import json

import nbformat
import pytest
from esc50_fixture import install_esc50
from flickr8k_fixture import install_flickr8k
from helpers import ROOT
from nbclient import NotebookClient

CASES = {
    "02_joint_embedding": ("USE_FLICKR8K", lambda d: install_flickr8k(d, counts=(40, 4, 12)),
                           ("flickr8k_t2i_R@1", "flickr8k_t2i_R@10"), "flickr8k_arrays/train-n40-64px.npz"),
    "03_captioning_attention": ("USE_FLICKR8K", lambda d: install_flickr8k(d, counts=(40, 4, 12)),
                                ("flickr8k_sat_bleu4", "flickr8k_show_tell_bleu4"),
                                "flickr8k_arrays/train-n40-64px.npz"),
    "07_soundnet": ("USE_ESC50", lambda d: install_esc50(d, clips_per_class=10),
                    ("esc50_student_svm_accuracy", "esc50_mfcc_svm_accuracy"),
                    "esc50_arrays/esc50-16000hz.npz"),
}
# The scores that the fixture makes certain to be well above chance: ESC-50's three classes are tones told
# apart by their pitch (chance 1/3; both scored 1.0). The Flickr8k scores have no such floor: a smoke run
# trains on 40 photos for an epoch, too little to beat chance for sure (its BLEU-4 scores were 0).
ABOVE_CHANCE = {"07_soundnet": {"esc50_student_svm_accuracy": 0.5, "esc50_mfcc_svm_accuracy": 0.8}}


@pytest.mark.parametrize("stem", sorted(CASES))
def test_notebook_runs_on_its_real_dataset(stem, tmp_path, monkeypatch):
    switch, install, metrics, cache = CASES[stem]
    for variable in ("COURSE_DATA_DIR", "COURSE_CHECKPOINT_DIR", "COURSE_RESULTS_DIR"):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))  # the kernel inherits these
    install(tmp_path / "course_data_dir")
    notebook = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
    switches = [cell for cell in notebook.cells if f"{switch} = False" in cell.source]
    assert len(switches) == 1, f"{stem} should have one '{switch} = False' line"
    switches[0].source = switches[0].source.replace(f"{switch} = False", f"{switch} = True")
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    printed = "".join(o.get("text", "") for cell in notebook.cells for o in cell.get("outputs", []))
    assert "skipped: set" not in printed
    record = json.loads((tmp_path / "course_results_dir" / f"{stem}.json").read_text())
    scores = {name: record["metrics"][name] for name in metrics}
    assert all(0.0 <= score <= 1.0 for score in scores.values()), scores
    floors = ABOVE_CHANCE.get(stem, {})
    assert all(scores[name] >= floor for name, floor in floors.items()), (floors, scores)
    assert (tmp_path / "course_data_dir" / cache).is_file()
