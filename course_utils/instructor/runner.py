"""The course runner: execute every notebook, save it as .ipynb and HTML, print one table.

    python -m course_utils.instructor.runner [--mode smoke|default|full] [NOTEBOOK ...]

A notebook that fails is reported with its failing cell and error; the others
still run, and the exit code is non-zero.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from ..session.modes import RUN_MODES
from ..session.paths import course_root
from ..session.results import load_results, target_verdict
from .gpu_monitor import GpuMonitor, gpu_name

# Wall-clock budget of one notebook per mode (the course's promise; "full" varies by GPU).
TIME_BUDGET_S = {"smoke": 30, "default": 180}
CELL_TIMEOUT_S = 1800
# Cells that take at least this long are listed in a notebook's profile.
PROFILED_CELL_S = 1.0


@dataclass
class NotebookRun:
    notebook: str
    seconds: float
    error: str | None = None
    record: dict = field(default_factory=dict)
    gpu_busy: float | None = None  # the GPU's share of busy time over the whole run (0..1)


def _first_error(nb) -> str:
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                return (f"cell {index} ({first_line[:60]!r}): "
                        f"{output.get('ename')}: {output.get('evalue')}")
    return "unknown error"


def _timestamp(iso_text: str) -> float:
    # Python before 3.11 does not read the "Z" (UTC) that Jupyter writes.
    return datetime.fromisoformat(iso_text.replace("Z", "+00:00")).timestamp()


def cell_profile(nb, monitor: GpuMonitor) -> list[tuple[int, str, float, float | None]]:
    """``(index, first line, seconds, GPU busy share)`` of each executed cell, from the times
    that the notebook client records in every cell's metadata."""
    rows = []
    for index, cell in enumerate(nb.cells):
        timing = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" not in timing or "shell.execute_reply" not in timing:
            continue
        start, end = (_timestamp(timing[key]) for key in ("iopub.execute_input", "shell.execute_reply"))
        first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        rows.append((index, first_line[:60], end - start, monitor.busy_share(start, end)))
    return rows


def format_profile(rows) -> str:
    lines = [f"{'cell':>4} {'seconds':>8} {'GPU busy':>8}  first line"]
    for index, first_line, seconds, busy in rows:
        if seconds >= PROFILED_CELL_S:
            busy_text = f"{busy:>8.0%}" if busy is not None else f"{'-':>8}"
            lines.append(f"{index:>4} {seconds:>8.1f} {busy_text}  {first_line}")
    return "\n".join(lines)


def execute(path: Path, out_dir: Path,
            cell_timeout: float = CELL_TIMEOUT_S) -> tuple[float, str | None, float | None]:
    """Run one notebook in a fresh kernel; write the executed .ipynb and .html to ``out_dir``,
    and its cells' times (with the GPU's busy share, where there is a GPU) to ``NAME.profile.txt``.

    Returns the seconds, the first error (or None) and the GPU's busy share over the run."""
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as error:  # noqa: BLE001 - a merge conflict, a truncated file: this notebook fails
        return 0.0, f"{path.name} is not a readable notebook ({type(error).__name__}); restore it " \
                    "(git checkout) or repair it", None
    client = NotebookClient(nb, timeout=cell_timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    monitor = GpuMonitor().start()
    started = time.perf_counter()
    error = None
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        error = _first_error(nb) if isinstance(exc, CellExecutionError) else f"{type(exc).__name__}: {exc}"
    finally:
        monitor.stop()
    seconds = time.perf_counter() - started
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / path.with_suffix(".profile.txt").name).write_text(
        format_profile(cell_profile(nb, monitor)) + "\n")
    nbformat.write(nb, out_dir / path.name)
    write_html_page(nb, out_dir / path.with_suffix(".html").name)
    return seconds, error, monitor.busy_share()


def write_html_page(nb, target: Path) -> None:
    """The executed notebook as a web page. A page that cannot be made (nbconvert's templates
    missing, say) is reported, not fatal: the run, its results and the saved notebook stand."""
    from nbconvert import HTMLExporter

    try:
        html, _ = HTMLExporter().from_notebook_node(nb)
    except Exception as error:  # noqa: BLE001 - any exporter failure leaves the run intact
        print(f"  no HTML page for {target.stem}: {type(error).__name__}: {error}\n"
              "  (reinstall nbconvert with `make course`'s environment to get its templates)", flush=True)
        return
    target.write_text(html, encoding="utf-8")


def format_metrics(record: dict) -> str:
    parts = []
    for name, value in record.get("metrics", {}).items():
        text = f"{name}={value:.3g}"
        verdict = target_verdict(record, name)
        if verdict:
            text += f" ({record['targets'][name]} {verdict})"
        parts.append(text)
    return ", ".join(parts)


def _number(value, width: int, form: str) -> str:
    return f"{value:>{width}{form}}" if value is not None else f"{'-':>{width}}"


def course_table(runs: list[NotebookRun], mode: str, device: str | None = None) -> str:
    """One line per notebook: status, run time, peak memory, metrics against targets; on a GPU
    (``device`` names it) also the peak GPU memory and the GPU's share of busy time."""
    budget = TIME_BUDGET_S.get(mode)
    gpu_header = f" {'GPU MiB':>8} {'GPU busy':>8}" if device else ""
    rows = [f"{'notebook':<28} {'status':<7} {'time':>8} {'peak MiB':>9}{gpu_header}  "
            "metrics (value, target)"]
    for run in runs:
        over_budget = bool(budget) and run.seconds > budget
        status = "FAILED" if run.error else ("SLOW" if over_budget else "ok")
        memory_text = _number(run.record.get("peak_memory_mb"), 9, ".0f")
        gpu_text = (f" {_number(run.record.get('peak_gpu_memory_mb'), 8, '.0f')}"
                    f" {_number(run.gpu_busy, 8, '.0%')}") if device else ""
        detail = f"error in {run.error}" if run.error else format_metrics(run.record)
        rows.append(f"{run.notebook:<28} {status:<7} {run.seconds:>6.0f} s{memory_text}{gpu_text}  {detail}")
    if budget:
        rows.append(f"time budget per notebook in {mode} mode: {budget} s (SLOW marks a notebook over it)")
    if device:
        rows.append(f"device: {device}; GPU MiB: the most memory torch held on it; GPU busy: the "
                    "share of the run in which a kernel was running (nvidia-smi)")
    return "\n".join(rows)


def notebook_paths(folder: Path, names: list[str]) -> list[Path]:
    """The numbered notebooks in ``folder``, or those whose stem starts with one of ``names``."""
    everything = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not names:
        return everything
    chosen = []
    for name in names:
        matches = [p for p in everything if p.stem.startswith(Path(name).stem)]
        if not matches:
            raise SystemExit(f"no notebook matches {name!r}; notebooks: "
                             f"{', '.join(p.stem for p in everything)}")
        chosen += [p for p in matches if p not in chosen]  # "01 01_word2vec" runs it once
    return chosen


# Marks a folder the runner made, which a later run may empty; any other folder it leaves alone.
RUNNER_MARK = ".made-by-the-course-runner"


def runner_folder(folder: Path) -> Path:
    """``folder``, empty and marked as the runner's. A folder the runner made before (an interrupted
    run's) is emptied; one that holds anything else is refused, never deleted."""
    if folder.is_dir() and any(folder.iterdir()) and not (folder / RUNNER_MARK).exists():
        raise SystemExit(f"{folder} holds files that the course runner did not make; move them, or give "
                         "another --out")
    if folder.exists() and not folder.is_dir():
        raise SystemExit(f"{folder} is a file; move it, or give another --out")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / RUNNER_MARK).touch()
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebook stems or prefixes (default: all)")
    parser.add_argument("--mode", choices=RUN_MODES, help="run mode (default: COURSE_MODE, "
                        "else full on a GPU and default on a CPU)")
    parser.add_argument("--out", type=Path, default=course_root() / "build")
    parser.add_argument("--notebooks-dir", type=Path, default=course_root() / "notebooks")
    parser.add_argument("--cell-timeout", type=float, default=CELL_TIMEOUT_S,
                        help="seconds one cell may run before the notebook is stopped and saved")
    args = parser.parse_args(argv)
    # Absolute: the kernels run in the notebooks' folder, where a relative --out means another place.
    args.out, args.notebooks_dir = args.out.resolve(), args.notebooks_dir.resolve()
    if args.out.exists() and not args.out.is_dir():
        parser.error(f"--out {args.out} is a file; give a folder")
    if not args.notebooks_dir.is_dir():
        parser.error(f"--notebooks-dir {args.notebooks_dir} is not a folder")

    paths = notebook_paths(args.notebooks_dir, args.notebooks)
    results = args.out / "results"
    for path in paths:  # only these notebooks' records: the others' stay for the next table
        (results / f"{path.stem}.json").unlink(missing_ok=True)
    # Fresh checkpoints, so that each run trains from scratch and its time is honest; beside the
    # pages, so that their setup lines name a folder of the course, not a temporary one.
    checkpoints = runner_folder(args.out / "checkpoints")
    settings = {"COURSE_RESULTS_DIR": str(results), "COURSE_CHECKPOINT_DIR": str(checkpoints),
                "COURSE_WIDGETS": os.environ.get("COURSE_WIDGETS", "static")}  # nobody moves sliders
    if args.mode:
        settings["COURSE_MODE"] = args.mode
    mode = settings.get("COURSE_MODE") or os.environ.get("COURSE_MODE") or "auto"

    runs = []
    saved_environment = dict(os.environ)
    os.environ.update(settings)  # the kernels inherit these
    try:
        for path in paths:
            print(f"running {path.name} ...", flush=True)
            seconds, error, gpu_busy = execute(path, args.out, args.cell_timeout)
            runs.append(NotebookRun(path.stem, seconds, error, gpu_busy=gpu_busy))
            print(f"  {'FAILED: ' + error if error else 'ok'} ({seconds:.0f} s)", flush=True)
    finally:
        os.environ.clear()
        os.environ.update(saved_environment)
        shutil.rmtree(checkpoints, ignore_errors=True)
    records = {name: record for name, record in load_results(results).items()
               if name in {run.notebook for run in runs}}
    for run in runs:
        run.record = records.get(run.notebook, {})
        if not run.error and not run.record:
            run.error = "the notebook recorded no results (its results cell did not run?)"
    if records:
        mode = next(iter(records.values()))["mode"]
    seeds = sorted({record["seed"] for record in records.values() if "seed" in record})
    seed_text = f", seed {', '.join(map(str, seeds))}" if seeds else ""
    table = course_table(runs, mode, gpu_name())
    (args.out / "results.txt").write_text(table + "\n")
    print(f"\nResults ({mode} mode{seed_text}), executed notebooks and HTML in {args.out}:\n{table}")
    return 1 if any(run.error for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
