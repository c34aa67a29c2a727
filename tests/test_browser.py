"""The course in a real JupyterLab, and the course runner's pages, as a reader sees them.

The browser test runs every notebook in smoke mode with Run All Cells in headless Chromium,
checks that no cell fails, that figures and live controls render, moves one slider of each
interactive figure and waits for the figure to change, and saves a screenshot of each notebook in
``build/browser/``. It needs Debian's chromium and chromium-driver (``.ci/run`` installs them)
and is skipped, saying so, without them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import browser
import pytest

from course_utils.instructor import runner
from course_utils.session.paths import course_root

NOTEBOOKS = sorted((course_root() / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SCREENSHOTS = course_root() / "build" / "browser"

pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    reason = browser.missing_browser()
    if reason:
        pytest.skip(reason)
    scratch = tmp_path_factory.mktemp("lab")
    root = scratch / "course"
    root.mkdir()
    for notebook in NOTEBOOKS:  # copies: JupyterLab saves what it runs
        shutil.copy2(notebook, root / notebook.name)
    with browser.jupyterlab(root, browser.course_environment(scratch)) as (address, token):
        driver = browser.chromium(scratch / "profile")
        try:
            yield driver, address, token, root
        finally:
            driver.quit()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_in_jupyterlab_with_live_controls(lab, notebook):
    driver = lab[0]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        check_in_jupyterlab(*lab, notebook)
    except Exception:
        driver.save_screenshot(str(SCREENSHOTS / f"{notebook.stem}-failed.png"))
        raise


def check_in_jupyterlab(driver, address, token, root, notebook):
    driver.get(f"{address}/lab/tree/{notebook.name}?token={token}")
    prompts = browser.run_all_cells(driver, address, token, notebook.name, timeout=300)
    browser.save(driver)
    saved = root / notebook.name
    browser.wait_until(lambda: any(c.get("outputs") for c in json.loads(saved.read_text())["cells"]), 30,
                       "JupyterLab did not save the notebook")
    assert browser.error_outputs(saved) == []
    assert all(p[1:-2].isdigit() for p in prompts), f"cells that did not run: {prompts}"
    assert driver.find_elements("css selector", browser.PICTURE), "no figure rendered"
    page = driver.find_element("css selector", browser.NOTEBOOK).get_attribute("textContent")
    assert "<function " not in page and "static view" not in page
    interacts = driver.find_elements("css selector", browser.INTERACT)
    uses_controls = "interactive(" in notebook.read_text()
    assert bool(interacts) == uses_controls, "live controls expected exactly where the notebook has them"
    for index in range(len(interacts)):
        before = browser.picture_of_nth_interact(driver, index)
        assert before, "an interactive figure drew nothing"
        browser.move_first_slider(driver, index)
        browser.wait_until(lambda: browser.picture_of_nth_interact(driver, index) not in (None, before),  # noqa: B023
                           60, "moving the slider did not change the figure")
    target = (browser.nth_interact(driver, 0) if interacts
              else driver.find_elements("css selector", browser.PICTURE)[0])
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", target)
    driver.save_screenshot(str(SCREENSHOTS / f"{notebook.stem}.png"))


def test_the_course_pages_read_as_what_ran(tmp_path, monkeypatch):
    """The runner's saved notebooks and pages: no widget gaps, no stray reprs, no failed cell."""
    monkeypatch.setenv("COURSE_MODE", "smoke")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "build"
    assert runner.main(["--out", str(out)]) == 0
    for notebook in NOTEBOOKS:
        cells = json.loads((out / notebook.name).read_text())["cells"]
        assert browser.widget_views(cells) == [], notebook.stem
        assert browser.stray_reprs(cells) == [], notebook.stem
        page = (out / f"{notebook.stem}.html").read_text()
        # A widget output becomes a script of this type, an empty gap where no front end runs it.
        assert '<script type="application/vnd.jupyter.widget-view+json">' not in page, notebook.stem
        assert "&lt;function " not in page, notebook.stem
        assert Path(out / "results" / f"{notebook.stem}.json").is_file()


def test_the_page_checks_find_stray_reprs_and_widget_gaps():
    shown = [{"output_type": "execute_result", "data": {"text/plain": "<function show at 0x7f3a>"}},
             {"output_type": "execute_result", "data": {"text/plain": "[<matplotlib.lines.Line2D at 0x1>]"}},
             {"output_type": "execute_result", "data": {"text/plain": "Text(0.5, 1.0, 'title')"}},
             {"output_type": "execute_result", "data": {"text/plain": "{'n': 1}"}},
             {"output_type": "execute_result", "data": {"text/plain": "<Figure size 640x480 with 1 Axes>",
                                                        "image/png": "..."}},
             {"output_type": "display_data",
              "data": {"application/vnd.jupyter.widget-view+json": {}, "text/plain": "epoch 1/2: 0it"}}]
    cells = [{"outputs": [output]} for output in shown]
    assert [f.split(":")[0] for f in browser.stray_reprs(cells)] == ["cell 0", "cell 1", "cell 2"]
    assert browser.widget_views(cells) == ["cell 5"]
