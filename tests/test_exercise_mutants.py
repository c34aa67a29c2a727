"""Every exercise's tests reject plausible wrong answers: the mutants of exercise_mutants.py.

For one notebook, in one kernel: run the cells in order; once an exercise's test cell has
passed, run each mutant of its solution followed by the test cell (hidden tests included), which
must fail; then run the true solution and the test cell again, so later cells see the right
function. Stops after the last exercise. COURSE_NOTEBOOKS_DIR points it at another copy of the
notebooks (a patched one, say).
"""

import os
import time
from pathlib import Path

import nbformat
import pytest
from exercise_mutants import MUTANTS
from helpers import ROOT, read_notebook, source
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

FOLDER = Path(os.environ.get("COURSE_NOTEBOOKS_DIR", ROOT / "notebooks"))
NOTEBOOKS = sorted(FOLDER.glob("[0-9][0-9]_*.ipynb"))
CELL_TIMEOUT = 120  # seconds per mutant or test cell: a mutant that loops fails, it does not hang
NOTEBOOK_CELL_TIMEOUT = 600  # the notebook's own cells (smoke mode: seconds each)


def solution_cells(cells) -> dict[int, str]:
    """Index -> grade_id of each solution cell (its test cell follows it)."""
    return {i: c["metadata"]["nbgrader"]["grade_id"] for i, c in enumerate(cells)
            if c["metadata"].get("nbgrader", {}).get("solution")}


def mutated(text: str, mutant) -> str:
    assert text.count(mutant.find) == 1, f"{mutant.description}: {mutant.find!r} must occur exactly once"
    return text.replace(mutant.find, mutant.replace)


def test_every_exercise_has_mutants():
    known = set()
    for path in NOTEBOOKS:
        cells = read_notebook(path)["cells"]
        for index, grade_id in solution_cells(cells).items():
            known.add(grade_id)
            assert len(MUTANTS.get(grade_id, [])) >= 3, f"{path.stem}: {grade_id} needs at least 3 mutants"
            for mutant in MUTANTS[grade_id]:
                mutated(source(cells[index]), mutant)
    assert set(MUTANTS) <= known, f"mutants of unknown exercises: {sorted(set(MUTANTS) - known)}"


def execute_as(client: NotebookClient, index: int, text: str) -> None:
    """Execute ``text`` in the kernel as cell ``index`` of the client's notebook.

    The cell takes that place in the notebook first: a display that a later message updates (a
    training's progress line) is looked up there.
    """
    cell = nbformat.v4.new_code_cell(text)
    client.nb.cells[index] = cell
    client.execute_cell(cell, index)


def runs(client: NotebookClient, index: int, text: str) -> bool:
    """Execute ``text`` in the kernel as cell ``index``; True if it raised nothing."""
    client.timeout = CELL_TIMEOUT
    try:
        execute_as(client, index, text)
    except (CellExecutionError, CellTimeoutError):
        return False
    return True


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercise_tests_catch_mutants(path, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_MODE", "smoke")  # the kernel inherits these
    monkeypatch.setenv("COURSE_WIDGETS", "static")
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    for variable in ("COURSE_DATA_DIR", "COURSE_CHECKPOINT_DIR", "COURSE_RESULTS_DIR"):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    cells = read_notebook(path)["cells"]
    exercises = solution_cells(cells)
    # The client runs a copy of our notebook, whose cells execute_as replaces one by one
    client = NotebookClient(nbformat.read(path, as_version=4), kernel_name="python3",
                            interrupt_on_timeout=True, resources={"metadata": {"path": str(path.parent)}})
    started, count, survivors = time.perf_counter(), 0, []
    with client.setup_kernel():
        for index in range(max(exercises) + 2):  # up to the last exercise's test cell
            if cells[index]["cell_type"] != "code":
                continue
            client.timeout = NOTEBOOK_CELL_TIMEOUT  # the notebook's own cell: raises if it fails
            execute_as(client, index, source(cells[index]))
            if index - 1 not in exercises:
                continue
            grade_id, solution, tests = exercises[index - 1], source(cells[index - 1]), source(cells[index])
            for mutant in MUTANTS[grade_id]:
                count += 1
                assert runs(client, index - 1, mutated(solution, mutant)), f"broken: {mutant.description}"
                if runs(client, index, tests):
                    survivors.append(f"{grade_id}: {mutant.description}")
            assert runs(client, index - 1, solution) and runs(client, index, tests), f"{grade_id} not back"
    print(f"\n{path.stem}: {count} mutants, {count - len(survivors)} caught, "
          f"{time.perf_counter() - started:.0f} s")
    assert not survivors, "mutants the tests do not catch:\n" + "\n".join(survivors)
