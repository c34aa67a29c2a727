"""Test-wide settings, applied before any notebook kernel starts (kernels inherit them)."""

import os
import tempfile


def pytest_configure(config):
    os.environ.setdefault("COURSE_MODE", "smoke")
    scratch = tempfile.mkdtemp(prefix="course-tests-")
    # Each test run starts from nothing: no cached data, no checkpoints to resume from.
    for variable, name in [("COURSE_DATA_DIR", "data"), ("COURSE_CHECKPOINT_DIR", "checkpoints"),
                           ("COURSE_RESULTS_DIR", "results")]:
        os.environ[variable] = os.path.join(scratch, name)
