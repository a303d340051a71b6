"""The course as a learner meets it: JupyterLab in a real (headless Chromium) browser.

Starts the ``jupyter lab`` that requirements.txt installs on 127.0.0.1 (a free port, a token, isolated
settings), opens notebooks in Debian's Chromium through Selenium + chromedriver (no browser download),
runs every cell through the UI's *Run → Run All Cells* menu, waits for the kernel to go idle, and checks
that no cell shows an error and that the figures rendered. Where a notebook shows widgets (02's convolution
stepper), it checks they rendered, moves each slider with the arrow keys on its handle, and checks that the
widget's value, text and figure changed; on each convolution stepper it also clicks the other padding (the map is
recomputed and still equals tf.nn.conv2d) and the play button (the slider moves on its own); on 04's playground it
presses play (the network trains: epoch, losses and figure move) and picks another data set. Screenshots go to
``artifacts/browser/``.

Skips with a one-line reason where Chromium or chromedriver is absent; CI installs both (``.ci/run``).
Override the notebooks with ``CNNKIT_BROWSER_NOTEBOOKS="02_convolution.ipynb,09_music_genres.ipynb"``. The default
is the notebooks with widgets: every notebook already runs top to bottom under nbval, so a notebook without widgets
adds only time here. Where a notebook's CPU defaults train for minutes, the copy JupyterLab opens gets smaller
settings in a cell after its ``parameters`` cell (papermill's ``injected-parameters`` idiom, :data:`QUICK`): the
widgets do not depend on them, and its results are nbval's to check.
"""
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "artifacts" / "browser"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
DEFAULT_NOTEBOOKS = "02_convolution.ipynb,04_dense_layers.ipynb"
#: smaller settings for the copies JupyterLab runs (the committed notebooks are untouched)
QUICK = {"04_dense_layers.ipynb": "N_IMAGES = 600\nSHIFT_SEEDS = (0, 1)\nMAX_EPOCHS = 6"}
NOTEBOOKS = [n.strip() for n in os.environ.get("CNNKIT_BROWSER_NOTEBOOKS", DEFAULT_NOTEBOOKS).split(",") if n.strip()]
SERVER_START_S = 90       # bound on the server coming up
NOTEBOOK_RUN_S = 600      # bound on one notebook running all its cells
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1400,1000"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None,
                       reason="Chromium/chromedriver not installed (apt-get install chromium chromium-driver)"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port):
    """True when nothing listens on ``port`` any more: a connection is refused.

    (A test ``bind`` would also fail for the minute that closed connections spend in TIME_WAIT.)
    """
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return False
    except OSError:
        return True


def inject_parameters(path, overrides):
    """Insert ``overrides`` as a code cell right after the notebook's ``parameters`` cell (papermill's idiom)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    at = next(i for i, c in enumerate(nb["cells"]) if "parameters" in c.get("metadata", {}).get("tags", []))
    nb["cells"].insert(at + 1, {"cell_type": "code", "execution_count": None, "id": "injected-parameters",
                                "metadata": {"tags": ["injected-parameters"]}, "outputs": [],
                                "source": "# Parameters injected by the browser test\n" + overrides})
    path.write_text(json.dumps(nb), encoding="utf-8")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server over a copy of notebooks/ (so autosave never touches the committed files)."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    for name, overrides in QUICK.items():
        inject_parameters(root / "notebooks" / name, overrides)
    settings = root / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # render every cell (no virtual scrolling), so every output is in the page to be checked
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    news = root / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(root / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"), JUPYTER_CONFIG_DIR=str(root / "config"),
               JUPYTER_RUNTIME_DIR=str(root / "runtime"), TF_CPP_MIN_LOG_LEVEL="3")
    log = open(root / "server.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--expose-app-in-browser", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.news_url=None"] + (["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_S
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"jupyter lab did not start within {SERVER_START_S} s:\n"
                            + (root / "server.log").read_text()[-2000:])
            time.sleep(0.5)
    yield {"url": url, "token": token, "root": root}
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)
    log.close()
    deadline = time.monotonic() + 10
    while not port_is_free(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert port_is_free(port), f"port {port} still in use after the server stopped"


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={tmp_path / 'chromium-profile'}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(120)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def wait_for(predicate, timeout, what, *, progress=None):
    """Poll ``predicate`` until it returns something truthy; on time-out say which step it was on.

    ``progress`` (optional) returns a short description of where things stand, for the failure message.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(1)
    where = f" (last seen: {progress()})" if progress else ""
    raise AssertionError(f"timed out after {timeout} s waiting for {what}{where}")


# JavaScript run in the page, through the application object that --expose-app-in-browser publishes
NOTEBOOK_STATE = """
const path = arguments[0];
const app = window.jupyterapp;
if (!app || !app.shell) { return {step: 'the application object (window.jupyterapp) to exist'}; }
// Find the panel by its path among the main-area widgets: in headless Chromium the window may never
// get focus, so app.shell.currentWidget can stay null while the notebook is open and running.
const panel = Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === path);
if (!panel) { return {step: `a main-area panel for ${path} (open: ` +
    Array.from(app.shell.widgets('main')).map(w => (w.context && w.context.path) || w.id).join(', ') + ')'}; }
if (!panel.content || !panel.sessionContext) { return {step: `the notebook widget of ${path}`}; }
if (!panel.sessionContext.session) { return {step: `a kernel session for ${path}`}; }
const kernel = panel.sessionContext.session.kernel;
if (!kernel) { return {step: `a kernel in the session of ${path}`}; }
const cells = panel.content.widgets.filter(c => c.model.type === 'code').map(c => ({
    count: c.model.executionCount,
    source: c.model.sharedModel.getSource().trim().length,
    outputs: c.model.outputs.toJSON().map(o => ({type: o.output_type, ename: o.ename || null,
        mimes: Object.keys(o.data || {}), name: o.name || null, text: (o.text || '').toString().slice(0, 300)})),
}));
return {step: 'open', status: kernel.status, cells: cells};
"""


def click_menu(driver, menu, label):
    """Open ``menu`` in the menu bar and click its entry ``label``, as a learner would."""
    from selenium.webdriver.common.by import By

    for item in driver.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-item"):
        if item.text.strip() == menu:
            item.click()
            break
    else:
        raise AssertionError(f"no '{menu}' menu in the JupyterLab menu bar")

    def entry():
        for e in driver.find_elements(By.CSS_SELECTOR, ".lm-Menu-item .lm-Menu-itemLabel"):
            if e.text.strip() == label:
                return e
        return None

    wait_for(entry, 10, f"'{menu} → {label}'").click()


# what a slider widget's neighbourhood shows: its value, the text and images of the widget box it sits in
WIDGET_VIEW = """
const handle = arguments[0];
const slider = handle.closest('.widget-slider');
let box = slider;
while (box.parentElement && !box.parentElement.classList.contains('jp-OutputArea-output')) { box = box.parentElement; }
const readout = slider.querySelector('.widget-readout');
return {value: readout ? readout.textContent.trim() : null,
        text: Array.from(box.querySelectorAll('.widget-html-content')).map(e => e.textContent).join(' | '),
        images: Array.from(box.querySelectorAll('img')).map(i => i.src.length + ':' + i.src.slice(-64)),
        rendered: Array.from(box.querySelectorAll('img')).every(i => i.complete && i.naturalWidth > 0)};
"""


def drive_sliders(driver, name, presses=3):
    """Move every slider of the notebook through the page (arrow keys on its handle), as a learner would,
    and check that the widget's output follows: the value, the text and the figure change."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    handles = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, ".widget-slider .noUi-handle"), 30,
                       f"a slider widget in {name}")
    for k, handle in enumerate(handles):
        before = driver.execute_script(WIDGET_VIEW, handle)
        assert before["images"] and before["rendered"], f"{name}: slider {k} shows no figure before it moves"
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", handle)
        ActionChains(driver).click(handle).perform()
        for _ in range(presses):
            ActionChains(driver).send_keys_to_element(handle, Keys.ARROW_RIGHT).perform()
            time.sleep(0.2)

        def moved():
            now = driver.execute_script(WIDGET_VIEW, handle)
            changed = (now["value"] != before["value"] and now["images"] != before["images"]
                       and now["text"] != before["text"] and now["rendered"])
            return now if changed else None

        wait_for(moved, 60, f"slider {k} of {name} to move and its output to follow",
                 progress=lambda: f"before {before}, now {driver.execute_script(WIDGET_VIEW, handle)}")
        seen = []

        def settled():          # the kernel catches up with the last key press: two equal looks, 1 s apart
            seen.append(driver.execute_script(WIDGET_VIEW, handle))
            return seen[-1] if len(seen) > 1 and seen[-1] == seen[-2] and seen[-1]["rendered"] else None

        after = wait_for(settled, 60, f"the output of slider {k} of {name} to settle")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / f"{Path(name).stem}_slider{k}.png"))
        print(f"{name}: slider {k} moved {before['value']} → {after['value']}; text '{before['text']}' → "
              f"'{after['text']}'; its figure was redrawn")


# what a convolution stepper shows (02): the slider's value, its text lines and its figure, by widget index
STEPPER_VIEW = """
const areas = Array.from(document.querySelectorAll('.jp-OutputArea-output'))
    .filter(a => a.querySelector('.widget-play'));
const area = areas[arguments[0]];
if (!area) { return null; }
const readout = area.querySelector('.widget-slider .widget-readout');
return {value: readout ? readout.textContent.trim() : null,
        text: Array.from(area.querySelectorAll('.widget-html-content')).map(e => e.textContent).join(' | '),
        images: Array.from(area.querySelectorAll('img')).map(i => i.src.length + ':' + i.src.slice(-64)),
        rendered: Array.from(area.querySelectorAll('img')).every(i => i.complete && i.naturalWidth > 0),
        steppers: areas.length};
"""
STEPPER_CLICK = """
const areas = Array.from(document.querySelectorAll('.jp-OutputArea-output'))
    .filter(a => a.querySelector('.widget-play'));
const area = areas[arguments[0]];
const paddings = Array.from(area.querySelectorAll('.widget-toggle-button'))
    .filter(b => ['valid', 'same'].includes(b.textContent.trim()));
const button = arguments[1] === 'play' ? area.querySelector('.widget-play button')
    : paddings.find(b => !b.classList.contains('mod-active'));     // the padding not chosen now
if (!button) { return null; }
button.scrollIntoView({block: 'center'});
button.click();
return button.textContent.trim() || 'play';
"""


def drive_stepper_controls(driver, name):
    """The convolution stepper's own controls, as a learner uses them: the other padding button recomputes the map
    (the figure changes, the slider restarts at cell 1, the check against tf.nn.conv2d still passes), and the play
    button moves the slider on its own (Play is linked to the slider in the browser)."""
    first = wait_for(lambda: driver.execute_script(STEPPER_VIEW, 0), 30, f"a convolution stepper in {name}")
    for k in range(first["steppers"]):
        before = driver.execute_script(STEPPER_VIEW, k)
        padding = driver.execute_script(STEPPER_CLICK, k, "padding")
        assert padding, f"{name}: stepper {k} has no padding buttons"

        def recomputed():
            now = driver.execute_script(STEPPER_VIEW, k)
            done = (now["value"] == "1" and now["images"] != before["images"] and now["rendered"]
                    and "✓" in now["text"])
            return now if done else None

        after = wait_for(recomputed, 60, f"stepper {k} of {name} to recompute with '{padding}' padding",
                         progress=lambda: f"before {before}, now {driver.execute_script(STEPPER_VIEW, k)}")
        assert "equal tf.nn.conv2d" in after["text"], after["text"]
        assert driver.execute_script(STEPPER_CLICK, k, "play"), f"{name}: stepper {k} has no play button"
        played = wait_for(lambda: (lambda now: now if now["value"] not in ("1", None) and now["rendered"] else None)(
            driver.execute_script(STEPPER_VIEW, k)), 60, f"the play button of stepper {k} of {name} to move its slider")
        print(f"{name}: stepper {k}: padding '{padding}' recomputed the map ('{after['text'][:60]}…'); "
              f"play moved the slider to cell {played['value']}")


# what 04's playground shows: its epoch readout, its text line and its figure (the output area with a data menu)
PLAYGROUND_VIEW = """
const area = Array.from(document.querySelectorAll('.jp-OutputArea-output'))
    .find(a => a.querySelector('.widget-play') && a.querySelector('.widget-dropdown select'));
if (!area) { return null; }
const epoch = Array.from(area.querySelectorAll('.widget-slider'))
    .find(s => (s.querySelector('.widget-label') || {}).textContent === 'epoch');
return {epoch: epoch ? epoch.querySelector('.widget-readout').textContent.trim() : null,
        text: Array.from(area.querySelectorAll('.widget-html-content')).map(e => e.textContent).join(' | '),
        images: Array.from(area.querySelectorAll('img')).map(i => i.src.length + ':' + i.src.slice(-64)),
        rendered: Array.from(area.querySelectorAll('img')).every(i => i.complete && i.naturalWidth > 0)};
"""
PLAYGROUND_ACT = """
const area = Array.from(document.querySelectorAll('.jp-OutputArea-output'))
    .find(a => a.querySelector('.widget-play') && a.querySelector('.widget-dropdown select'));
if (arguments[0] === 'play') { const b = area.querySelector('.widget-play button'); b.scrollIntoView({block: 'center'});
                               b.click(); return 'play'; }
const select = area.querySelector('.widget-dropdown select');
select.value = arguments[0];
select.dispatchEvent(new Event('change', {bubbles: true}));
return select.value;
"""


def drive_playground(driver, name):
    """04's playground as a learner uses it: play trains on its own (the epoch and the losses move, the figure is
    redrawn), and another data set from the menu gives a new network on new points."""
    before = driver.execute_script(PLAYGROUND_VIEW)
    driver.execute_script(PLAYGROUND_ACT, "play")

    def trained():
        now = driver.execute_script(PLAYGROUND_VIEW)
        done = (now["epoch"] != before["epoch"] and now["text"] != before["text"] and now["images"] != before["images"]
                and now["rendered"])
        return now if done else None

    played = wait_for(trained, 90, f"the playground of {name} to train on play",
                      progress=lambda: f"before {before}, now {driver.execute_script(PLAYGROUND_VIEW)}")
    driver.execute_script(PLAYGROUND_ACT, "play")                   # pause it again
    chosen = driver.execute_script(PLAYGROUND_ACT, "xor")
    switched = wait_for(lambda: (lambda now: now if now["text"].startswith("xor") and now["rendered"] else None)(
        driver.execute_script(PLAYGROUND_VIEW)), 60, f"the playground of {name} to switch to {chosen}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{Path(name).stem}_playground.png"))
    print(f"{name}: playground: play trained to epoch {played['epoch']} ('{played['text'][:70]}…'); the data menu "
          f"switched to '{switched['text'][:40]}…'")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_in_jupyterlab(lab, browser, name):
    from selenium.webdriver.common.by import By

    if not (lab["root"] / "notebooks" / name).exists():
        pytest.skip(f"notebooks/{name} does not exist yet")
    started = time.monotonic()
    path = f"notebooks/{name}"
    browser.get(f"{lab['url']}/lab/tree/{path}?token={lab['token']}")

    def state():
        return browser.execute_script(NOTEBOOK_STATE, path)

    def where():
        s = state()
        return s["step"] if s["step"] != "open" else f"kernel {s['status']}, {len(s['cells'])} code cells"

    wait_for(lambda: state()["step"] == "open", 120, f"{name} and its kernel to open", progress=where)
    wait_for(lambda: state()["status"] == "idle", 120, f"the kernel of {name} to start", progress=where)
    # start from a clean page: the committed outputs must not count as this run's
    click_menu(browser, "Edit", "Clear Outputs of All Cells")
    wait_for(lambda: all(c["count"] is None and not c["outputs"] for c in state()["cells"]), 30,
             f"the outputs of {name} to clear", progress=where)
    click_menu(browser, "Run", "Run All Cells")

    def finished():
        now = state()
        code = [c for c in now["cells"] if c["source"]]
        done = now["status"] == "idle" and code and all(c["count"] is not None for c in code)
        return now if done else None

    def run_progress():
        now = state()
        code = [c for c in now["cells"] if c["source"]]
        return f"kernel {now['status']}, {sum(c['count'] is not None for c in code)} of {len(code)} cells run"

    # the kernel goes busy within moments of the click; wait for every cell to have run
    final = wait_for(finished, NOTEBOOK_RUN_S, f"{name} to run all cells and the kernel to go idle",
                     progress=run_progress)
    outputs = [o for c in final["cells"] for o in c["outputs"]]
    errors = [o for o in outputs if o["type"] == "error"]
    assert not errors, f"{name}: cells show errors: {[o['ename'] for o in errors]}"
    counts = [c["count"] for c in final["cells"] if c["source"]]
    assert counts == sorted(counts), f"{name}: cells did not run top to bottom: {counts}"

    expected_images = sum("image/png" in o["mimes"] for o in outputs)
    assert expected_images > 0, f"{name}: no figure was produced"
    rendered = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output img"),
                        30, f"the figures of {name} to render")
    assert len(rendered) >= expected_images, f"{name}: {expected_images} figures made, {len(rendered)} rendered"
    assert all(browser.execute_script("return arguments[0].naturalWidth > 0", img) for img in rendered)
    if any("application/vnd.jupyter.widget-view+json" in o["mimes"] for o in outputs):
        assert browser.find_elements(By.CSS_SELECTOR, ".jupyter-widgets"), f"{name}: widgets did not render"
        drive_sliders(browser, name)
        if browser.find_elements(By.CSS_SELECTOR, ".widget-toggle-button"):          # 02's steppers
            drive_stepper_controls(browser, name)
        if browser.execute_script(PLAYGROUND_VIEW):
            drive_playground(browser, name)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", rendered[0])
    time.sleep(0.5)
    shot = ARTIFACTS / f"{Path(name).stem}.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 0
    print(f"{name}: ran in JupyterLab in {time.monotonic() - started:.0f} s; screenshot {shot.relative_to(REPO)}")
