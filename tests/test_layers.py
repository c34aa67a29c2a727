"""The package's layers hold (import-linter, contract in pyproject.toml); notebooks stay out of the
instructor's tools."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import NOTEBOOKS, ROOT, TEMPLATES, read_notebook, source

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """import-linter on the package found under ``root``, with ``root``'s pyproject.toml."""
    return subprocess.run([str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(root)})


def test_the_layers_contract_is_kept():
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 kept, 0 broken" in done.stdout


def test_an_import_upwards_breaks_the_contract(tmp_path):
    """The contract bites: the bottom layer importing the course runner is reported."""
    shutil.copytree(ROOT / "course_utils", tmp_path / "course_utils",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    files = tmp_path / "course_utils" / "core" / "files.py"
    files.write_text(files.read_text() + "\nfrom ..instructor import runner  # noqa: E402, F401\n")
    done = lint_imports(tmp_path)
    assert done.returncode != 0
    assert "course_utils.core.files -> course_utils.instructor.runner" in done.stdout, done.stdout


def test_notebooks_never_import_the_instructor_tools():
    for path in [*NOTEBOOKS, *TEMPLATES]:
        for cell in read_notebook(path)["cells"]:
            if cell["cell_type"] == "code":
                assert "course_utils.instructor" not in source(cell), path.name
