"""Shared helpers for the 'Captioning and Speaking' course notebooks.

The package has layers, each a subpackage that may import only the ones below it (the tests
check this with import-linter; CONTRIBUTING.md explains it):

    instructor   the course runner, grading and publishing (notebooks never import it)
    models       models taught in one notebook and reused by later ones
    worlds       the synthetic data worlds      datasets   real datasets
    session      setup, run modes, folders, training loop, results, widgets, display helpers
    plots        figures of images, sounds, embeddings and training curves
    core         audio settings and files, caches, seeds, vocabularies, metrics

What almost every notebook needs is importable from here directly.
"""

from .session.batching import copy_to_device, encode_in_batches, epoch_generator, shuffled_batches
from .session.colab import COURSE_REPOSITORY, COURSE_VERSION
from .session.display import player, show_table
from .session.modes import RUN_MODES
from .session.notebook_setup import Course, setup_notebook
from .session.results import record_results, results_table
from .session.training import History, adam_one_cycle, fit
from .session.widgets import interactive

__all__ = [
    "COURSE_REPOSITORY",
    "COURSE_VERSION",
    "RUN_MODES",
    "Course",
    "History",
    "adam_one_cycle",
    "copy_to_device",
    "encode_in_batches",
    "epoch_generator",
    "fit",
    "interactive",
    "player",
    "record_results",
    "results_table",
    "setup_notebook",
    "show_table",
    "shuffled_batches",
]
