"""Shared helpers for the 'Captioning and Speaking' course notebooks."""

from .modes import RUN_MODES
from .results import record_results, results_table
from .setup import Course, setup_notebook
from .training import History, fit
from .widgets import interactive

# Where the course is published. Every notebook's setup cell and "Open in Colab"
# badge carry this address; tests keep them equal, and
# `python -m course_utils.publish NEW_ADDRESS` moves them all at once.
COURSE_REPOSITORY = "https://github.com/captioning-and-speaking/course"

__all__ = [
    "COURSE_REPOSITORY",
    "RUN_MODES",
    "Course",
    "History",
    "fit",
    "interactive",
    "record_results",
    "results_table",
    "setup_notebook",
]
