"""Each notebook's key numbers, recorded for the course's results table."""

from __future__ import annotations

import json
import operator
import sys
from pathlib import Path

import torch

from . import paths

_COMPARISONS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}


def meets(value: float, target: str) -> bool:
    """Whether ``value`` meets a target written like ``">= 0.8"``."""
    sign, _, number = target.strip().partition(" ")
    if sign not in _COMPARISONS:
        raise ValueError(f"target {target!r} must look like '>= 0.8' (one of {list(_COMPARISONS)})")
    return _COMPARISONS[sign](value, float(number))


def peak_memory_mb() -> float:
    """Peak resident memory of this process (the notebook's kernel), in MiB."""
    try:
        import resource
    except ImportError:  # Windows: psutil (installed with Jupyter) knows the peak working set
        import psutil

        info = psutil.Process().memory_info()
        return getattr(info, "peak_wset", info.rss) / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


def record_results(course, metrics: dict[str, float], targets: dict[str, str] | None = None,
                   paper: dict[str, str] | None = None) -> dict:
    """This notebook's metrics, targets, run time and peak memory, written for the course table
    when the course runner runs it (``COURSE_RESULTS_DIR``); return the record.

    ``targets`` apply in ``default`` and ``full`` mode (``smoke`` runs are too small
    to reach them). ``paper`` holds the published numbers shown next to ours.
    """
    targets = targets or {}
    unknown = set(targets) - set(metrics)
    if unknown:
        raise KeyError(f"targets for metrics that were not recorded: {sorted(unknown)}")
    record = {
        "notebook": course.notebook,
        "mode": course.mode,
        "seed": course.seed,
        "device": str(course.device),
        "seconds": round(course.elapsed(), 1),
        "peak_memory_mb": round(peak_memory_mb(), 1),
        "metrics": {k: float(v) for k, v in metrics.items()},
        "targets": dict(targets),
        "paper": dict(paper or {}),
    }
    if course.device.type == "cuda":
        record["peak_gpu_memory_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    folder = paths.recording_results_dir()
    if folder is not None:  # a course run (the runner); other runs only show the table
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{course.notebook}.json").write_text(json.dumps(record, indent=2))
    return record


def target_verdict(record: dict, metric: str) -> str:
    """"ok" or "MISSED" for a metric with a target; "" without one or in smoke mode."""
    target = record.get("targets", {}).get(metric)
    if not target or record.get("mode") == "smoke":
        return ""
    return "ok" if meets(record["metrics"][metric], target) else "MISSED"


def results_table(record: dict) -> str:
    """A small text table of one notebook's metrics, targets and paper numbers."""
    width = max([28, *map(len, record["metrics"])])  # the longest name keeps its value in the column
    lines = [f"{'metric':<{width}} {'ours':>10}  {'target':>8}  {'paper':>10}"]
    for name, value in record["metrics"].items():
        target = record["targets"].get(name, "")
        verdict = target_verdict(record, name)
        mark = f" {verdict}" if verdict else ""
        paper = record["paper"].get(name, "")
        lines.append(f"{name:<{width}} {value:>10.4g}  {target:>8}{mark}  {paper:>10}")
    lines.append(f"run time {record['seconds']:.0f} s, peak memory {record['peak_memory_mb']:.0f} MiB"
                 f" ({record['mode']} mode, {record['device']})")
    return "\n".join(lines)


def load_results(folder: Path | None = None) -> dict[str, dict]:
    folder = folder or paths.results_dir()
    return {p.stem: json.loads(p.read_text()) for p in sorted(Path(folder).glob("*.json"))}
