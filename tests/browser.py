"""JupyterLab in headless Chromium, driven by selenium: what a student sees after Run All Cells.

Used by ``tests/test_browser.py``. The server runs on 127.0.0.1 with a token, on copies of the
notebooks (JupyterLab saves what it runs), with every cell of a notebook kept in the page
(``windowingMode: none``) so that the page can be read whole.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
# The notebook in front: the others stay open, hidden, in their tabs.
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
PROMPT = f"{NOTEBOOK} .jp-CodeCell .jp-InputPrompt"
PICTURE = f"{NOTEBOOK} .jp-OutputArea-output img"
INTERACT = f"{NOTEBOOK} .widget-interact"


def comes_true(condition, timeout: float) -> bool:
    """Poll ``condition()`` every half second for up to ``timeout`` seconds; whether it came true."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.5)
    return True


def wait_until(condition, timeout: float, failure: str) -> None:
    """Poll ``condition()`` every half second; fail with ``failure`` after ``timeout`` seconds."""
    assert comes_true(condition, timeout), failure


def unless_redrawn(look):
    """``look()``, or None while JupyterLab redraws what it reads: JupyterLab replaces a cell's
    output elements when it draws them again, and an element found earlier is then stale."""
    from selenium.common.exceptions import StaleElementReferenceException

    try:
        return look()
    except (StaleElementReferenceException, IndexError):
        return None


def missing_browser() -> str | None:
    """Why the browser test cannot run here, or None when it can."""
    if not (CHROMIUM and CHROMEDRIVER):
        return ("needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; "
                ".ci/run installs them)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "needs selenium (pip install -e '.[test]')"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def jupyterlab(root: Path, environment: dict[str, str], timeout: float = 60):
    """A JupyterLab server on ``root``; yields its base address with the token."""
    settings = root.parent / "lab-settings" / "@jupyterlab"
    for extension, file, values in [("notebook-extension", "tracker", {"windowingMode": "none"}),
                                    ("apputils-extension", "notification", {"fetchNews": "false"})]:
        (settings / extension).mkdir(parents=True, exist_ok=True)
        (settings / extension / f"{file}.jupyterlab-settings").write_text(json.dumps(values))
    port, token = _free_port(), secrets.token_hex(16)
    env = {**environment, "JUPYTERLAB_SETTINGS_DIR": str(settings.parent),
           "JUPYTER_RUNTIME_DIR": str(root.parent / "runtime"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root.parent / "workspaces")}  # no earlier session's tabs
    log = open(root.parent / "jupyterlab.log", "w")  # noqa: SIM115  (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--allow-root"],  # CI runs as root
        env=env, stdout=log, stderr=subprocess.STDOUT)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{address}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start: "
                                       + (root.parent / "jupyterlab.log").read_text()[-2000:]) from None
                time.sleep(0.5)
        yield address, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def chromium(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # This machine has no network: without these, Chromium keeps trying to reach its services.
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1400,1000", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def prompts(driver) -> list[str]:
    # textContent, not text: cells scrolled out of view are not rendered, and show no text.
    return [e.get_attribute("textContent").strip() for e in driver.find_elements("css selector", PROMPT)]


def kernel_idle(address: str, token: str, notebook: str) -> bool:
    """Whether the kernel of ``notebook`` (a path under the server's root) has started and is idle."""
    with urllib.request.urlopen(f"{address}/api/sessions?token={token}", timeout=5) as answer:
        sessions = json.load(answer)
    return any(s["path"] == notebook and s["kernel"]["execution_state"] == "idle" for s in sessions)


def run_all_cells(driver, address: str, token: str, notebook: str, timeout: float) -> list[str]:
    """Run All Cells from the Run menu once the notebook's kernel is idle; wait until no cell runs
    or waits; return the cells' prompts."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, 60)
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, PROMPT)))
    wait.until(lambda d: kernel_idle(address, token, notebook))
    from_menu(driver, "Run", "runmenu:run-all")
    WebDriverWait(driver, 30).until(lambda d: any("*" in p for p in prompts(d)))
    WebDriverWait(driver, timeout, poll_frequency=1).until(lambda d: not any("*" in p for p in prompts(d)))
    return prompts(driver)


def from_menu(driver, menu: str, command: str) -> None:
    """Click ``menu`` in JupyterLab's menu bar, then its item that runs ``command``."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    label = f"//div[contains(@class, 'lm-MenuBar-itemLabel') and text()='{menu}']"
    driver.find_element(By.XPATH, label).click()
    item = (By.CSS_SELECTOR, f'li[data-command="{command}"]')
    WebDriverWait(driver, 30).until(ready.element_to_be_clickable(item)).click()


def save(driver) -> None:
    from_menu(driver, "File", "docmanager:save")


def picture_of(interact) -> str:
    """The figure an interactive control set draws, as its image data."""
    images = interact.find_elements("css selector", "img")
    return images[-1].get_attribute("src") if images else ""


def nth_interact(driver, index: int):
    """The ``index``-th interactive control set of the page, found afresh (see ``unless_redrawn``)."""
    return driver.find_elements("css selector", INTERACT)[index]


def picture_of_nth_interact(driver, index: int) -> str | None:
    """``picture_of`` the ``index``-th control set, or None while JupyterLab is redrawing it."""
    return unless_redrawn(lambda: picture_of(nth_interact(driver, index)))


def move_first_slider(driver, index: int, tries: int = 3) -> None:
    """One step right on the first slider of the ``index``-th control set, by its keyboard handle.
    A key pressed before the handle has the focus, or while JupyterLab redraws the output, is lost,
    so the step is tried again until the slider's readout shows a new value."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.keys import Keys

    def readout() -> str | None:
        return unless_redrawn(
            lambda: nth_interact(driver, index).find_element("css selector", ".widget-readout").text)

    wait_until(lambda: readout() is not None, 30, "the controls' readout was not drawn")
    before = readout()
    for _ in range(tries):
        try:
            handle = nth_interact(driver, index).find_element("css selector", ".noUi-handle")
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", handle)
            handle.click()
            handle.send_keys(Keys.ARROW_RIGHT)
        except StaleElementReferenceException:
            continue
        if comes_true(lambda: readout() not in (None, before), 10):
            return
    raise AssertionError(f"the slider did not move from {before} in {tries} tries")


def error_outputs(path: Path) -> list[str]:
    """'cell N: Name: value' for every error output of a saved notebook."""
    cells = json.loads(path.read_text())["cells"]
    return [f"cell {i}: {o.get('ename')}: {o.get('evalue')}" for i, cell in enumerate(cells)
            for o in cell.get("outputs", []) if o.get("output_type") == "error"]


# What a stray value looks like when a cell ends in an expression it did not mean to show.
STRAY_REPR = re.compile(r"<function |<[\w.]+ (object )?at 0x[0-9a-f]+>|^\[?<matplotlib\.|^Text\(|"
                        r"^<Figure size")


def stray_reprs(cells: list[dict]) -> list[str]:
    """'cell N: text' for every shown value that is an object's repr rather than a result."""
    found = []
    for i, cell in enumerate(cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if output.get("output_type") == "execute_result" and set(data) == {"text/plain"}:
                text = "".join(data["text/plain"])
                if STRAY_REPR.search(text):
                    found.append(f"cell {i}: {text[:80]}")
    return found


def widget_views(cells: list[dict]) -> list[str]:
    """'cell N' for every output that only a live widget front end can show (a gap in a page)."""
    return [f"cell {i}" for i, cell in enumerate(cells) for output in cell.get("outputs", [])
            if "application/vnd.jupyter.widget-view+json" in output.get("data", {})]


def course_environment(scratch: Path) -> dict[str, str]:
    """The tests' environment for a server's kernels: smoke mode, fresh folders, live widgets."""
    env = {k: v for k, v in os.environ.items() if k != "COURSE_WIDGETS"}
    env.update(COURSE_MODE="smoke", COURSE_DEVICE="cpu", COURSE_DATA_DIR=str(scratch / "data"),
               COURSE_CHECKPOINT_DIR=str(scratch / "checkpoints"))
    env.pop("COURSE_RESULTS_DIR", None)
    return env
