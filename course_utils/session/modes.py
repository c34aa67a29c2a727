"""Run modes: how big each notebook's data and models are.

``smoke``   seconds, for the tests;
``default`` minutes on a laptop CPU, reaching the notebook's targets;
``full``    a GPU: bigger data and models.
"""

from __future__ import annotations

import os

RUN_MODES = ("smoke", "default", "full")
MODE_VARIABLE = "COURSE_MODE"


class RunModeError(ValueError):
    """An unknown run mode or an inconsistent knobs table."""


def read_run_mode(device_type: str) -> str:
    """The mode named by ``COURSE_MODE``, else ``full`` on a GPU and ``default`` on a CPU."""
    requested = os.environ.get(MODE_VARIABLE, "").strip().lower()
    if not requested:
        return "full" if device_type == "cuda" else "default"
    if requested not in RUN_MODES:
        raise RunModeError(
            f"{MODE_VARIABLE}={requested!r} is not a run mode; "
            f"use one of: {', '.join(RUN_MODES)}."
        )
    return requested


def pick_knobs(table: dict[str, dict], mode: str) -> dict:
    """Return the knobs of ``mode`` from a ``{mode: {knob: value}}`` table.

    Every mode must set the same knobs, so that no size silently falls back to
    another mode's value.
    """
    if set(table) != set(RUN_MODES):
        raise RunModeError(f"the knobs table must have exactly the modes {RUN_MODES}, "
                           f"not {tuple(table)}")
    names = {m: set(knobs) for m, knobs in table.items()}
    reference = names["default"]
    for m, knob_names in names.items():
        if knob_names != reference:
            raise RunModeError(
                f"mode {m!r} sets knobs {sorted(knob_names ^ reference)} differently from "
                "'default'; every mode must set the same knobs."
            )
    if mode not in table:
        raise RunModeError(f"unknown run mode {mode!r}; use one of: {', '.join(RUN_MODES)}.")
    return dict(table[mode])
