"""How busy the GPU is while a notebook runs: ``nvidia-smi`` read a few times a second.

The course runner starts one :class:`GpuMonitor` per notebook. Each sample is the driver's
"utilization.gpu": the share of the last sample period in which a kernel was running. Their
mean over a stretch of time is the GPU's share of busy time in it. Without ``nvidia-smi`` (no
NVIDIA GPU) the monitor records nothing and every figure is ``None``.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field

SAMPLE_PERIOD_MS = 200


def gpu_name() -> str | None:
    """The first NVIDIA GPU's name, or None where there is none."""
    if shutil.which("nvidia-smi") is None:
        return None
    try:
        done = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                              capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    names = done.stdout.strip().splitlines()
    return names[0].strip() if names else None


@dataclass
class GpuMonitor:
    """Samples ``(time, utilisation %, memory used MiB)`` of GPU 0 between ``start`` and ``stop``."""

    samples: list[tuple[float, float, float]] = field(default_factory=list)
    _process: subprocess.Popen | None = None
    _reader: threading.Thread | None = None

    def start(self) -> GpuMonitor:
        if shutil.which("nvidia-smi") is None:
            return self
        self._process = subprocess.Popen(
            ["nvidia-smi", "--id=0", "--query-gpu=utilization.gpu,memory.used",
             "--format=csv,noheader,nounits", f"-lms={SAMPLE_PERIOD_MS}"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def _read(self) -> None:
        for line in self._process.stdout:
            parts = [p.strip() for p in line.split(",")]
            try:
                self.samples.append((time.time(), float(parts[0]), float(parts[1])))
            except (ValueError, IndexError):
                continue  # "[N/A]" or a partial line

    def stop(self) -> GpuMonitor:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._reader.join(timeout=10)
        return self

    def busy_share(self, start: float | None = None, end: float | None = None) -> float | None:
        """Mean utilisation (0..1) of the samples between two ``time.time()`` instants."""
        chosen = [u for t, u, _ in self.samples
                  if (start is None or t >= start) and (end is None or t <= end)]
        return sum(chosen) / len(chosen) / 100 if chosen else None

    def peak_memory_mib(self) -> float | None:
        """The most device memory in use (every process, the CUDA context included)."""
        return max((m for _, _, m in self.samples), default=None)
