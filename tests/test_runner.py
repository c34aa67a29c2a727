import os

import nbformat
import pytest

from course_utils.instructor import runner

RECORD = """from course_utils import setup_notebook, record_results
course = setup_notebook("{name}", gpu_helps=False)
record_results(course, {{"accuracy": {value}}}, targets={{"accuracy": ">= 0.9"}})"""


def write_notebook(path, *sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def course_folder(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    write_notebook(folder / "01_good.ipynb", RECORD.format(name="01_good", value=0.95))
    write_notebook(folder / "02_broken.ipynb", "x = 1", "print('fine')", "1 / 0",
                   RECORD.format(name="02_broken", value=1.0))
    write_notebook(folder / "03_below.ipynb", RECORD.format(name="03_below", value=0.5))
    return tmp_path


def test_runner_reports_failures_and_still_runs_the_rest(course_folder, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_MODE", "default")
    out = course_folder / "build"
    code = runner.main(["--notebooks-dir", str(course_folder / "notebooks"), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 1
    table = (out / "results.txt").read_text()
    assert table in printed
    lines = {line.split()[0]: line for line in table.splitlines()[1:] if line.startswith("0")}
    assert "ok" in lines["01_good"] and "accuracy=0.95 (>= 0.9 ok)" in lines["01_good"]
    assert "FAILED" in lines["02_broken"] and "cell 2" in lines["02_broken"]
    assert "ZeroDivisionError" in lines["02_broken"]
    assert "accuracy=0.5 (>= 0.9 MISSED)" in lines["03_below"]
    for stem in ("01_good", "02_broken", "03_below"):
        assert (out / f"{stem}.ipynb").is_file() and (out / f"{stem}.html").is_file()
    executed = nbformat.read(out / "02_broken.ipynb", as_version=4)
    assert executed.cells[1].outputs[0]["text"] == "fine\n"


def test_runner_keeps_its_results_when_no_html_page_can_be_made(course_folder, monkeypatch, capsys):
    import nbconvert

    def no_templates(self, nb):
        raise ValueError("No template sub-directory with name 'lab' found")

    monkeypatch.setattr(nbconvert.HTMLExporter, "from_notebook_node", no_templates)
    monkeypatch.setenv("COURSE_MODE", "smoke")
    out = course_folder / "build"
    code = runner.main(["01", "--notebooks-dir", str(course_folder / "notebooks"), "--out", str(out)])
    assert code == 0
    assert "no HTML page for 01_good: ValueError" in capsys.readouterr().out
    assert "01_good                      ok" in (out / "results.txt").read_text()
    assert "accuracy=0.95" in (out / "results.txt").read_text()
    assert (out / "01_good.ipynb").is_file() and not (out / "01_good.html").exists()


def test_runner_selects_notebooks_by_prefix(course_folder, monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "smoke")
    out = course_folder / "build"
    code = runner.main(["01", "--notebooks-dir", str(course_folder / "notebooks"), "--out", str(out)])
    assert code == 0
    assert [p.name for p in sorted(out.glob("*.ipynb"))] == ["01_good.ipynb"]
    with pytest.raises(SystemExit, match="no notebook matches"):
        runner.main(["07", "--notebooks-dir", str(course_folder / "notebooks"), "--out", str(out)])


def test_runner_names_the_seed_its_notebooks_ran_with(course_folder, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_MODE", "smoke")
    monkeypatch.setenv("COURSE_SEED", "3")
    out = course_folder / "build"
    assert runner.main(["01", "--notebooks-dir", str(course_folder / "notebooks"), "--out", str(out)]) == 0
    assert "Results (smoke mode, seed 3)" in capsys.readouterr().out


def test_runner_keeps_the_records_of_notebooks_it_did_not_run(course_folder, monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "smoke")
    monkeypatch.chdir(course_folder)  # a relative --out is the caller's folder, not the kernels'
    folder = ["--notebooks-dir", "notebooks", "--out", "build"]
    assert runner.main(["01", "03", *folder]) == 0
    assert runner.main(["01", *folder]) == 0
    assert sorted(p.name for p in (course_folder / "build" / "results").glob("*.json")) == [
        "01_good.json", "03_below.json"]
    table = (course_folder / "build" / "results.txt").read_text()
    assert "01_good" in table and "03_below" not in table


def test_runner_reports_an_unreadable_notebook_and_runs_each_notebook_once(course_folder, monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "smoke")
    (course_folder / "notebooks" / "04_conflict.ipynb").write_text("<<<<<<< HEAD\n{}")
    out = course_folder / "build"
    code = runner.main(["01", "01_good", "04", "--notebooks-dir", str(course_folder / "notebooks"),
                        "--out", str(out)])
    table = (out / "results.txt").read_text()
    assert code == 1 and table.count("01_good") == 1
    assert "04_conflict.ipynb is not a readable notebook" in table


def test_runner_never_empties_a_folder_it_did_not_make(course_folder, monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "smoke")
    out = course_folder / "home"
    (out / "checkpoints").mkdir(parents=True)
    (out / "checkpoints" / "model.pt").write_bytes(b"someone's model")
    (out / "results").mkdir()
    (out / "results" / "thesis.txt").write_text("someone's thesis")
    with pytest.raises(SystemExit, match="did not make"):
        runner.main(["01", "--notebooks-dir", str(course_folder / "notebooks"), "--out", str(out)])
    assert (out / "checkpoints" / "model.pt").read_bytes() == b"someone's model"
    (out / "checkpoints" / "model.pt").unlink()
    assert runner.main(["01", "--notebooks-dir", str(course_folder / "notebooks"), "--out", str(out)]) == 0
    assert (out / "results" / "thesis.txt").read_text() == "someone's thesis"


def test_runner_leaves_the_environment_as_it_was(course_folder, monkeypatch):
    import os

    monkeypatch.setenv("COURSE_MODE", "smoke")
    before = dict(os.environ)
    runner.main(["01", "--mode", "default", "--notebooks-dir", str(course_folder / "notebooks"),
                 "--out", str(course_folder / "build")])
    assert dict(os.environ) == before


def test_course_table_marks_failures_and_slow_notebooks():
    record = {"mode": "default", "peak_memory_mb": 900.0, "metrics": {"bleu": 0.7},
              "targets": {"bleu": ">= 0.6"}}
    runs = [runner.NotebookRun("01_fast", 12.0, record=record),
            runner.NotebookRun("02_slow", 200.0, record=record),
            runner.NotebookRun("03_broken", 5.0, error="cell 4 ('x'): NameError: y")]
    lines = runner.course_table(runs, "default").splitlines()
    assert lines[1].split()[:2] == ["01_fast", "ok"] and "bleu=0.7 (>= 0.6 ok)" in lines[1]
    assert lines[2].split()[:2] == ["02_slow", "SLOW"]
    assert lines[3].split()[:2] == ["03_broken", "FAILED"] and "NameError" in lines[3]
    assert "180 s" in lines[-1]


def test_course_table_shows_the_gpu_columns_only_on_a_gpu():
    record = {"mode": "full", "peak_memory_mb": 900.0, "peak_gpu_memory_mb": 2048.0,
              "metrics": {"bleu": 0.7}, "targets": {"bleu": ">= 0.6"}}
    runs = [runner.NotebookRun("01_fast", 12.0, record=record, gpu_busy=0.734)]
    on_gpu = runner.course_table(runs, "full", "NVIDIA H100 80GB HBM3").splitlines()
    assert on_gpu[0].split()[5:9] == ["GPU", "MiB", "GPU", "busy"]
    assert on_gpu[1].split()[5:7] == ["2048", "73%"]
    assert "NVIDIA H100 80GB HBM3" in on_gpu[-1]
    assert "GPU" not in runner.course_table(runs, "full", None)


def test_runner_writes_a_profile_of_the_slow_cells(course_folder, monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "smoke")
    write_notebook(course_folder / "notebooks" / "04_sleepy.ipynb", "import time; time.sleep(1.2)",
                   "x = 1", RECORD.format(name="04_sleepy", value=1.0))
    out = course_folder / "build"
    runner.main(["04", "--notebooks-dir", str(course_folder / "notebooks"), "--out", str(out)])
    lines = (out / "04_sleepy.profile.txt").read_text().splitlines()
    assert lines[0].split() == ["cell", "seconds", "GPU", "busy", "first", "line"]
    slow = [line.split() for line in lines[1:]]
    assert ["0", "import"] == [slow[0][0], slow[0][3]] and 1.2 <= float(slow[0][1]) < 5
    assert all(row[0] != "1" for row in slow), "a quick cell is not listed"


def test_gpu_monitor_averages_the_samples_of_a_stretch_of_time(tmp_path, monkeypatch):
    from course_utils.instructor import gpu_monitor

    fake = tmp_path / "nvidia-smi"  # prints two samples, as `nvidia-smi -lms` would
    fake.write_text("#!/bin/sh\ncase \"$*\" in *name*) echo 'Fake GPU 80GB';; "
                    "*) echo '20, 1000'; echo '[N/A], 1100'; echo '80, 3000';; esac\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    monitor = gpu_monitor.GpuMonitor().start()
    monitor._reader.join(timeout=10)
    monitor.stop()
    assert [s[1:] for s in monitor.samples] == [(20.0, 1000.0), (80.0, 3000.0)]
    assert monitor.busy_share() == 0.5 and monitor.peak_memory_mib() == 3000.0
    assert monitor.busy_share(start=monitor.samples[1][0] + 1) is None
    assert gpu_monitor.gpu_name() == "Fake GPU 80GB"


def test_gpu_monitor_without_a_gpu_reports_nothing(monkeypatch, tmp_path):
    from course_utils.instructor import gpu_monitor

    monkeypatch.setenv("PATH", str(tmp_path))
    monitor = gpu_monitor.GpuMonitor().start().stop()
    assert monitor.busy_share() is None and monitor.peak_memory_mib() is None
    assert gpu_monitor.gpu_name() is None


TRAIN = """import torch
from course_utils import setup_notebook, record_results
course = setup_notebook("04_train", gpu_helps=False)
model = torch.nn.Linear(2, 1)
batches = [(torch.randn(4, 2), torch.randn(4, 1)) for _ in range(3)]
history = course.fit(model, torch.optim.SGD(model.parameters(), lr=0.1), batches,
                     lambda m, b: torch.nn.functional.mse_loss(m(b[0]), b[1]), 2, name="toy")
record_results(course, {"loss": history.last["loss"]})"""


def test_a_saved_notebook_says_what_trained_where_the_progress_bar_was(tmp_path, monkeypatch):
    """A bar is a widget, an empty gap in a saved notebook or page: it must end as a line of text."""
    monkeypatch.setenv("COURSE_MODE", "smoke")
    (tmp_path / "notebooks").mkdir()
    write_notebook(tmp_path / "notebooks" / "04_train.ipynb", TRAIN)
    out = tmp_path / "build"
    assert runner.main(["--notebooks-dir", str(tmp_path / "notebooks"), "--out", str(out)]) == 0
    outputs = nbformat.read(out / "04_train.ipynb", as_version=4).cells[0].outputs
    bundles = [o.get("data", {}) for o in outputs if o["output_type"] == "display_data"]
    assert not any("application/vnd.jupyter.widget-view+json" in b for b in bundles)
    lines = [b["text/plain"] for b in bundles if "text/plain" in b]
    assert any(line.startswith("toy-smoke: epochs 1-2 of 2 trained, 3 batches each") for line in lines)
    assert "toy-smoke: epochs 1-2 of 2 trained" in (out / "04_train.html").read_text()


def test_runner_trains_in_fresh_checkpoints_beside_its_pages_and_removes_them(tmp_path, monkeypatch):
    """The setup line of a saved page names the runner's own folder, never a temporary one."""
    monkeypatch.setenv("COURSE_MODE", "smoke")
    (tmp_path / "notebooks").mkdir()
    write_notebook(tmp_path / "notebooks" / "04_train.ipynb", TRAIN)
    out = tmp_path / "build"
    stale = out / "checkpoints" / "04_train"
    stale.mkdir(parents=True)
    (stale / "toy-smoke.pt").write_bytes(b"an earlier run's checkpoint")
    (out / "checkpoints" / runner.RUNNER_MARK).touch()  # made by an earlier run, stopped half-way
    assert runner.main(["--notebooks-dir", str(tmp_path / "notebooks"), "--out", str(out)]) == 0
    setup_line = nbformat.read(out / "04_train.ipynb", as_version=4).cells[0].outputs[0]["text"]
    assert f"checkpoints={out / 'checkpoints' / '04_train'}" in setup_line
    assert "toy-smoke: epochs 1-2 of 2 trained" in (out / "04_train.html").read_text()  # not resumed
    assert not (out / "checkpoints").exists()
