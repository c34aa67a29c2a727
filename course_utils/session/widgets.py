"""ipywidgets helpers that fall back to a static figure where no widget front end is present.

Widgets need a live front end (JupyterLab, Notebook, Colab). In the tests, in
``make course`` and in exported HTML nobody can move a slider, so there the
helper draws the figure for the default values instead.
``COURSE_WIDGETS=static`` forces the fallback; ``=live`` forces widgets.
"""

from __future__ import annotations

import os
from collections.abc import Callable


def widget_front_end_present() -> bool:
    choice = os.environ.get("COURSE_WIDGETS", "").strip().lower()
    if choice in ("static", "live"):
        return choice == "live"
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    # A kernel has a connection to some front end; a plain Python or IPython terminal has none.
    return shell is not None and getattr(shell, "kernel", None) is not None


def interactive(function: Callable, **controls):
    """``ipywidgets.interact`` with a static fallback.

    Each control is a widget; its ``value`` is the default used for the static figure.
    Returns nothing when live (the controls show themselves; returning ``interact``'s value would
    print the function's repr under them), else the function's result.
    """
    if widget_front_end_present():
        import ipywidgets

        ipywidgets.interact(function, **controls)
        return None
    print("(static view: open the notebook in JupyterLab or Colab to use the controls)")
    return function(**{name: control.value for name, control in controls.items()})
