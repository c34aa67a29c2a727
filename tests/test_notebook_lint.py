"""Notebooks (and the template a new one starts from) are committed clean and follow the anatomy that
CONTRIBUTING.md describes."""

import re

import pytest
from helpers import NOTEBOOKS, TEMPLATES, read_notebook, source

SOLUTION_KEYS = {"grade", "grade_id", "locked", "schema_version", "solution", "task"}


def test_there_are_notebooks_and_a_template():
    assert NOTEBOOKS, "no notebooks/NN_name.ipynb found"
    assert TEMPLATES, "no templates/*.ipynb found"


@pytest.fixture(params=[*NOTEBOOKS, *TEMPLATES], ids=lambda p: p.stem)
def notebook(request):
    return request.param, read_notebook(request.param)["cells"]


def test_outputs_are_stripped(notebook):
    _, cells = notebook
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, f"cell {index}"


def first_index(cells, pattern):
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "code" and re.search(pattern, source(cell)):
            return index
    return None


def test_anatomy(notebook):
    path, cells = notebook
    title = source(cells[0])
    assert cells[0]["cell_type"] == "markdown" and title.startswith("# "), "title cell first"
    assert "colab-badge.svg" in title, "Open in Colab badge in the title cell"
    assert re.search(r"[Ll]ecture section \d\.\d", title), "lecture section named"
    setup = first_index(cells, rf'setup_notebook\("{path.stem}"\)')
    knobs = first_index(cells, r"course\.knobs\(\{")
    results = first_index(cells, r"record_results\(")
    assert setup == 1, "the setup cell follows the title"
    assert knobs == 2, "the knobs cell follows the setup cell"
    for mode in ("smoke", "default", "full"):
        assert f'"{mode}"' in source(cells[knobs])
    assert results is not None and results > knobs, "a results cell records the metrics"
    switches = [i for i, c in enumerate(cells) if c["cell_type"] == "code"
                and re.search(r"^(USE_[A-Z0-9_]+|CORPUS) = ", source(c), re.M)]
    assert set(switches) <= {knobs}, f"switches are set in the knobs cell, not in cells {switches}"
    assert any("Things to try" in source(c) for c in cells[results:] if c["cell_type"] == "markdown")


def test_nbgrader_exercises(notebook):
    _, cells = notebook
    graded = [(i, c["metadata"]["nbgrader"]) for i, c in enumerate(cells) if "nbgrader" in c["metadata"]]
    ids = [meta["grade_id"] for _, meta in graded]
    assert len(ids) == len(set(ids)), "grade ids are unique"
    solutions = [i for i, meta in graded if meta["solution"]]
    assert len(solutions) >= 3, "at least three exercises"
    for index, meta in graded:
        assert SOLUTION_KEYS <= set(meta) and meta["schema_version"] == 3
        text = source(cells[index])
        if meta["solution"]:
            assert not meta["grade"] and not meta["locked"]
            assert "### BEGIN SOLUTION" in text and "### END SOLUTION" in text
            following = cells[index + 1]
            follow_meta = following["metadata"].get("nbgrader", {})
            assert follow_meta.get("grade") and not follow_meta.get("solution"), \
                f"cell {index + 1} must be the tests of the solution in cell {index}"
        else:
            assert meta["grade"] and meta["locked"] and meta["points"] > 0
            assert "assert" in text
            assert "### BEGIN HIDDEN TESTS" in text and "### END HIDDEN TESTS" in text
