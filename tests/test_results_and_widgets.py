import json
import types

import pytest
import torch

from course_utils.session import paths, widgets
from course_utils.session.results import (
    load_results,
    meets,
    record_results,
    results_table,
    target_verdict,
)


def fake_course(mode="default"):
    return types.SimpleNamespace(notebook="99_example", mode=mode, seed=0, device=torch.device("cpu"),
                                 elapsed=lambda: 12.345)


def test_targets():
    assert meets(0.85, ">= 0.8") and not meets(0.75, ">= 0.8") and meets(3, "< 4")
    with pytest.raises(ValueError, match="look like"):
        meets(1, "at least 0.8")


def test_record_is_written_and_tabulated(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    record = record_results(fake_course(), {"accuracy": 0.91, "recall": 0.4},
                            targets={"accuracy": ">= 0.9", "recall": ">= 0.5"},
                            paper={"accuracy": "0.95"})
    assert json.loads((tmp_path / "99_example.json").read_text()) == record
    assert record["seconds"] == 12.3 and record["peak_memory_mb"] > 10
    assert load_results(tmp_path) == {"99_example": record}
    table = results_table(record)
    assert "accuracy" in table and ">= 0.9 ok" in table and ">= 0.5 MISSED" in table
    assert "0.95" in table


def test_a_long_metric_name_keeps_its_value_in_the_column(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    long_name = "end_to_end_minus_frozen_relational_accuracy"
    record = record_results(fake_course(), {"accuracy": 0.91, long_name: 0.25})
    header, short_row, long_row = results_table(record).splitlines()[:3]
    ours_column_end = header.index("ours") + len("ours")
    assert short_row[:ours_column_end].rstrip().endswith("0.91")
    assert long_row[:ours_column_end].rstrip().endswith("0.25")


def test_a_run_outside_the_course_runner_records_nothing(tmp_path, monkeypatch):
    """JupyterLab, Colab or nbgrader runs leave the course table alone."""
    monkeypatch.delenv("COURSE_RESULTS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    before = {p: p.stat().st_mtime for p in paths.results_dir().glob("*.json")}
    record = record_results(fake_course(), {"accuracy": 0.91})
    assert record["metrics"] == {"accuracy": 0.91} and paths.recording_results_dir() is None
    assert {p: p.stat().st_mtime for p in paths.results_dir().glob("*.json")} == before
    assert not (paths.results_dir() / "99_example.json").exists()


def test_smoke_runs_are_not_judged_against_targets(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    targets = {"accuracy": ">= 0.9", "recall": ">= 0.9"}
    record = record_results(fake_course("smoke"), {"accuracy": 0.1, "recall": 0.95}, targets=targets)
    # Neither "MISSED" nor "ok": not judged at all.
    assert target_verdict(record, "accuracy") == target_verdict(record, "recall") == ""
    for row in results_table(record).splitlines()[1:3]:
        assert not {"ok", "MISSED"} & set(row.split()), row
    judged = record_results(fake_course("default"), {"accuracy": 0.1, "recall": 0.95}, targets=targets)
    assert [target_verdict(judged, name) for name in targets] == ["MISSED", "ok"]


def test_targets_need_recorded_metrics(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_RESULTS_DIR", str(tmp_path))
    with pytest.raises(KeyError, match="bleu"):
        record_results(fake_course(), {"accuracy": 1.0}, targets={"bleu": ">= 0.5"})


def test_static_fallback_draws_the_default_values(monkeypatch, capsys):
    import ipywidgets

    monkeypatch.setenv("COURSE_WIDGETS", "static")
    calls = []
    result = widgets.interactive(lambda word, k: calls.append((word, k)) or "drawn",
                                 word=ipywidgets.Text(value="queen"),
                                 k=ipywidgets.IntSlider(value=8, min=3, max=20))
    assert calls == [("queen", 8)] and result == "drawn"
    assert "static view" in capsys.readouterr().out


def test_front_end_detection(monkeypatch):
    monkeypatch.setenv("COURSE_WIDGETS", "live")
    assert widgets.widget_front_end_present()
    monkeypatch.delenv("COURSE_WIDGETS")
    assert not widgets.widget_front_end_present()  # plain pytest: no kernel, no front end
