"""The instructor flow with the real nbgrader and its sqlite gradebook."""

import csv
import shutil

import nbformat
import pytest
from helpers import NOTEBOOKS

from course_utils.instructor.grading import autograde, export_grades, make_course_folder, release
from course_utils.instructor.publish import STUDENT_FOLDER, colab_badge_url
from course_utils.session.colab import COURSE_REPOSITORY
from course_utils.session.paths import course_root

# Grading runs the notebooks; smoke mode keeps that to seconds.
SMOKE = {"COURSE_MODE": "smoke", "COURSE_WIDGETS": "static"}


def graded_cells(nb):
    return [c for c in nb.cells if "nbgrader" in c.metadata]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("nbgrader-course")
    released = release(root, NOTEBOOKS)
    return root, released


def test_student_versions_hold_no_solutions(course):
    root, released = course
    for instructor_path, student_path in zip(NOTEBOOKS, released, strict=True):
        assert student_path.name == instructor_path.name
        instructor = nbformat.read(instructor_path, as_version=4)
        student = nbformat.read(student_path, as_version=4)
        solutions = [c for c in graded_cells(instructor) if c.metadata.nbgrader["solution"]]
        for original in solutions:
            released_cell = next(c for c in student.cells if c.metadata.get("nbgrader", {}).get(
                "grade_id") == original.metadata.nbgrader["grade_id"])
            assert "raise NotImplementedError()" in released_cell.source
            body = original.source.split("### BEGIN SOLUTION")[1].split("### END SOLUTION")[0]
            for line in body.strip().splitlines():
                if line.strip():
                    assert line.strip() not in released_cell.source
        text = "".join(c.source for c in student.cells)
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text


def test_student_badges_open_the_student_versions(course):
    root, released = course
    for student_path in released:
        badge_cell = nbformat.read(student_path, as_version=4).cells[0].source
        assert colab_badge_url(COURSE_REPOSITORY, student_path.name, STUDENT_FOLDER) in badge_cell
        assert colab_badge_url(COURSE_REPOSITORY, student_path.name) not in badge_cell


def test_published_student_versions_are_the_current_release(course):
    """student/ is what the badges open: it must be what `make student` makes from notebooks/ now."""
    root, released = course
    published = course_root() / STUDENT_FOLDER
    assert sorted(p.name for p in published.glob("*.ipynb")) == sorted(p.name for p in released)
    for student_path in released:
        assert (published / student_path.name).read_text() == student_path.read_text(), (
            f"{STUDENT_FOLDER}/{student_path.name} is out of date: run `make student` and commit it")


def test_autograde_and_export(course):
    root, released = course
    for instructor_path, student_path in zip(NOTEBOOKS, released, strict=True):
        assignment = instructor_path.stem
        for student, notebook in [("instructor", instructor_path), ("untouched", student_path)]:
            folder = root / "submitted" / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy2(notebook, folder / instructor_path.name)
        stale = root / "grading_runs" / assignment / "untouched" / "checkpoints" / "left-over.pt"
        stale.parent.mkdir(parents=True, exist_ok=True)
        stale.touch()
        grading = autograde(root, assignment, env=SMOKE)
        runs = grading.runs
        assert not grading.failures
        # Each submission ran alone, in fresh folders: nothing left over, nothing shared.
        assert set(runs) == {"instructor", "untouched"} and not stale.exists()
        assert runs["instructor"] != runs["untouched"]
        for run in runs.values():  # the notebook's setup made its folder in the student's own tree
            assert (run / "checkpoints" / assignment).is_dir()
    # A resubmission is graded again: first the solutions, then the untouched student version.
    # Broken submissions (not JSON, a renamed notebook) are reported, and the others still graded.
    # Test cells emptied by a student are put back as released: they earn nothing (score 0 below).
    assignment, notebook = NOTEBOOKS[0].stem, NOTEBOOKS[0].name
    for student in ("broken", "renamed", "resubmits", "empties-tests"):
        (root / "submitted" / student / assignment).mkdir(parents=True)
    (root / "submitted" / "broken" / assignment / notebook).write_text("{ not json")
    shutil.copy2(NOTEBOOKS[0], root / "submitted" / "renamed" / assignment / f"my-{notebook}")
    emptied = nbformat.read(released[0], as_version=4)
    for cell in graded_cells(emptied):
        if not cell.metadata.nbgrader["solution"] and cell.metadata.nbgrader.get("grade"):
            cell.source = "pass"
    nbformat.write(emptied, root / "submitted" / "empties-tests" / assignment / notebook)
    for version in (NOTEBOOKS[0], released[0]):
        shutil.copy2(version, root / "submitted" / "resubmits" / assignment / notebook)
        grading = autograde(root, assignment, ["broken", "resubmits"], env=SMOKE)
        assert list(grading.runs) == ["resubmits"] and list(grading.failures) == ["broken"]
    assert "nbgrader validate" in grading.failures["broken"]
    grading = autograde(root, assignment, ["renamed", "empties-tests"], env=SMOKE)
    assert list(grading.runs) == ["empties-tests"] and list(grading.failures) == ["renamed"]
    assert "nbgrader validate" in grading.failures["renamed"]
    grades = root / "grades.csv"
    export_grades(root, grades)
    rows = list(csv.DictReader(grades.open()))
    assert {r["assignment"] for r in rows} == {p.stem for p in NOTEBOOKS}
    for row in rows:
        max_score = float(row["max_score"])
        assert max_score >= 3
        if row["student_id"] == "instructor":
            assert float(row["score"]) == max_score, row
        else:
            assert float(row["score"]) == 0, row


def test_autograde_refuses_what_it_cannot_grade_and_deletes_nothing(course, tmp_path):
    root, _ = course
    assignment = NOTEBOOKS[0].stem
    submission = root / "submitted" / "zed" / assignment
    submission.mkdir(parents=True, exist_ok=True)
    (submission / "work.txt").write_text("a student's work")
    grading = autograde(root, assignment, [str(root / "submitted" / "zed"), "..", "nobody"])
    assert not grading.runs and set(grading.failures) == {str(root / "submitted" / "zed"), "..", "nobody"}
    assert "is not a student's name" in grading.failures[".."]
    assert "no submission in" in grading.failures["nobody"]
    assert (submission / "work.txt").read_text() == "a student's work"
    shutil.rmtree(submission.parent)  # the other tests' grading of every submission stays as it was
    with pytest.raises(ValueError, match="has not been released"):
        autograde(tmp_path, assignment)
    with pytest.raises(ValueError, match="no gradebook"):
        export_grades(tmp_path, tmp_path / "grades.csv")


def test_course_folder_layout(tmp_path):
    root = make_course_folder(tmp_path / "c", NOTEBOOKS[:1])
    assert (root / "nbgrader_config.py").is_file()
    assert (root / "source" / NOTEBOOKS[0].stem / NOTEBOOKS[0].name).is_file()
