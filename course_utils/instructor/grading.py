"""Student versions and automatic grading with nbgrader.

    python -m course_utils.instructor.grading release [--out build/nbgrader] [--student-dir D] [NOTEBOOK ...]
    python -m course_utils.instructor.grading autograde [--out build/nbgrader] NOTEBOOK [STUDENT ...]
    python -m course_utils.instructor.grading export [--out build/nbgrader] [--to grades.csv]

``release`` makes an nbgrader course folder whose assignments are the notebooks (one
assignment per notebook, named by its file stem), writes the student versions to
``release/<assignment>/``, and publishes them to the checkout's ``student/`` folder, whose
"Open in Colab" badges open the student version, not the instructor's. ``autograde`` grades the submissions in
``submitted/<student>/<assignment>/`` one student at a time, each in its own fresh
checkpoint, data and results folders (under ``grading_runs/<assignment>/<student>/``), so no
submission can resume a model that another one trained. ``export`` writes the gradebook as
CSV with nbgrader's own ``nbgrader export``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..session.colab import COURSE_REPOSITORY
from ..session.paths import course_root
from .publish import STUDENT_FOLDER, colab_badge_url

COURSE_ID = "captioning-and-speaking"

CONFIG = '''c = get_config()  # noqa: F821  (nbgrader provides it)
c.CourseDirectory.course_id = "{course_id}"
c.CourseDirectory.root = r"{root}"
# Grading runs every cell; a notebook in smoke mode needs seconds, so this is generous.
c.ExecutePreprocessor.timeout = 900
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
'''


def course_notebooks() -> list[Path]:
    return sorted((course_root() / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def make_course_folder(root: Path, notebooks: list[Path]) -> Path:
    """An nbgrader course folder with ``source/<stem>/<notebook>`` for each notebook."""
    root = Path(root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(CONFIG.format(course_id=COURSE_ID, root=root))
    for notebook in notebooks:
        folder = root / "source" / notebook.stem
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(notebook, folder / notebook.name)
    return root


def nbgrader(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run an nbgrader command in the course folder; raise with its output when it fails."""
    command = [sys.executable, "-m", "nbgrader", *args]
    # nbgrader starts `alembic` by name to create its gradebook: put this environment's
    # scripts first on PATH, also when the virtual environment is not activated.
    scripts = str(Path(sys.executable).parent)
    path = os.pathsep.join([scripts, os.environ.get("PATH", "")])
    done = subprocess.run(command, cwd=root, capture_output=True, text=True,
                          env={**os.environ, "PATH": path, **(env or {})})
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[2:])} failed ({done.returncode}):\n"
                           f"{done.stdout}\n{done.stderr}")
    return done


def point_badge_to_student_version(path: Path) -> None:
    """The released notebook's Colab badge opens the published student version."""
    text = path.read_text(encoding="utf-8")
    instructor = colab_badge_url(COURSE_REPOSITORY, path.name)
    path.write_text(text.replace(instructor, colab_badge_url(COURSE_REPOSITORY, path.name, STUDENT_FOLDER)),
                    encoding="utf-8")


def release(root: Path, notebooks: list[Path]) -> list[Path]:
    """Generate the student version of each notebook; return their paths."""
    make_course_folder(root, notebooks)
    released = []
    for notebook in notebooks:
        nbgrader(root, "generate_assignment", notebook.stem, "--force")
        path = Path(root) / "release" / notebook.stem / notebook.name
        point_badge_to_student_version(path)
        released.append(path)
    return released


def publish_student_versions(released: list[Path], folder: Path) -> list[Path]:
    """Copy the released student versions into ``folder`` (the checkout's ``student/``)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy2(path, folder / path.name)) for path in released]


def submitted_students(root: Path, assignment: str) -> list[str]:
    """The students with a submission of ``assignment`` in ``root/submitted``."""
    return sorted(p.parent.name for p in (Path(root) / "submitted").glob(f"*/{assignment}") if p.is_dir())


@dataclass
class Grading:
    """What ``autograde`` did: each graded student's run folder, and why any others were not graded."""

    runs: dict[str, Path] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


def autograde(root: Path, assignment: str, students: list[str] | None = None,
              env: dict | None = None) -> Grading:
    """Grade each student's submission alone, in fresh folders; a submission that cannot be graded
    is reported in ``failures`` and the others are still graded.

    Training in a notebook checkpoints and resumes by name, and generated data is cached: a
    shared folder would let one submission resume a model trained by another, so every student
    gets empty checkpoint, data and results folders (emptied again on a re-run). A re-run grades
    again (nbgrader's ``--force``): a resubmission, or a run that was stopped, is never left with
    its old grade.
    """
    root = Path(root)
    if not (root / "release" / assignment).is_dir():
        raise ValueError(f"{assignment!r} has not been released in {root}: run `python -m "
                         f"course_utils.instructor.grading release {assignment}` first")
    grading = Grading()
    for student in students or submitted_students(root, assignment):
        problem = submission_problem(root, assignment, student)
        if problem:
            grading.failures[student] = problem
            continue
        run = root / "grading_runs" / assignment / student
        shutil.rmtree(run, ignore_errors=True)
        folders = {"COURSE_CHECKPOINT_DIR": run / "checkpoints", "COURSE_DATA_DIR": run / "data",
                   "COURSE_RESULTS_DIR": run / "results"}
        for folder in folders.values():
            folder.mkdir(parents=True)
        try:
            nbgrader(root, "autograde", assignment, "--student", student, "--create", "--force",
                     env={**(env or {}), **{k: str(v) for k, v in folders.items()}})
        except RuntimeError as error:  # one broken submission must not stop the class's grading
            last = [line for line in str(error).splitlines() if line.strip()][-3:]
            grading.failures[student] = ("nbgrader could not grade it; check it with `nbgrader validate` "
                                         "(a renamed notebook or invalid JSON, say): "
                                         + " / ".join(last))
            continue
        grading.runs[student] = run
    return grading


def submission_problem(root: Path, assignment: str, student: str) -> str | None:
    """Why ``student``'s submission of ``assignment`` cannot be graded, or None."""
    if not student or Path(student).name != student or student in (".", ".."):
        return f"{student!r} is not a student's name (a folder name in {root / 'submitted'})"
    if not (root / "submitted" / student / assignment).is_dir():
        return f"no submission in {root / 'submitted' / student / assignment}"
    return None


def export_grades(root: Path, target: Path) -> Path:
    """Every student's score per assignment as CSV (nbgrader's ``export``), from the gradebook."""
    root = Path(root).resolve()
    if not (root / "gradebook.db").is_file():
        raise ValueError(f"no gradebook in {root}: grade the submissions first (autograde)")
    nbgrader(root, "export", "--to", str(Path(target).resolve()))
    return Path(target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make student versions of the notebooks, or grade them.")
    parser.add_argument("command", choices=["release", "autograde", "export"])
    parser.add_argument("names", nargs="*",
                        help="release: notebook stems (default: all); autograde: NOTEBOOK [STUDENT ...]")
    parser.add_argument("--out", type=Path, default=course_root() / "build" / "nbgrader")
    parser.add_argument("--to", type=Path, default=Path("grades.csv"),
                        help="export: the CSV file to write (default: grades.csv here)")
    parser.add_argument("--student-dir", type=Path, default=course_root() / STUDENT_FOLDER,
                        help="release: where the student versions are published (their badges point there)")
    args = parser.parse_args(argv)
    if args.command == "export":
        try:
            print(f"grades: {export_grades(args.out, args.to)}")
        except ValueError as error:
            parser.error(str(error))
        return 0
    if args.command == "autograde":
        if not args.names:
            parser.error("autograde needs the notebook (assignment) to grade")
        assignment, *students = args.names
        try:
            grading = autograde(args.out, assignment, students or None)
        except ValueError as error:
            parser.error(str(error))
        if not grading.runs and not grading.failures:
            parser.error(f"no submissions of {assignment} in {args.out / 'submitted'}")
        for student in grading.runs:
            print(f"graded {student}: {assignment}")
        for student, problem in grading.failures.items():
            print(f"NOT graded {student}: {problem}")
        return 1 if grading.failures else 0
    notebooks = course_notebooks()
    unknown = [name for name in args.names if name not in {p.stem for p in notebooks}]
    if unknown:
        parser.error(f"no notebook named {', '.join(unknown)}; notebooks: "
                     f"{', '.join(p.stem for p in notebooks)}")
    notebooks = [p for p in notebooks if not args.names or p.stem in args.names]
    for path in publish_student_versions(release(args.out, notebooks), args.student_dir):
        print(f"student version: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
