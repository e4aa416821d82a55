"""JupyterLab as the README's first command starts it: Russian menus and no news pop-up, from the project's own files.

The defaults come from tools/jupyter_settings (installed into the environment by requirements.txt) and the language
pack of requirements.txt.  The server runs here with every per-user Jupyter folder moved to a fresh temporary
folder, so what it shows cannot come from the user's ~/.jupyter; it listens on 127.0.0.1 only and nothing asks
the network.  Timeouts are generous: a loaded machine is slow, not wrong.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.nbtools import REPO

SETTINGS = REPO / "tools" / "jupyter_settings"
TOKEN = "dl7-test-token"
CHROMIUM = Path("/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 30):
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


@contextlib.contextmanager
def _jupyter_lab(folder: str, home: Path):
    """`jupyter lab <folder>` from the repository root on a free port, every per-user Jupyter folder under ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JUPYTERLAB", "IPYTHON"))}
    env.update(HOME=str(home), USERPROFILE=str(home), JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_DATA_DIR=str(home / "data"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "lab-user-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "lab-workspaces"), IPYTHONDIR=str(home / "ipython"),
               LANG="C.UTF-8", LC_ALL="C.UTF-8")  # an English system: Russian must come from the project's settings
    port = _free_port()
    command = [sys.executable, "-m", "jupyter", "lab", folder, "--no-browser", f"--port={port}",
               "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
               "--ServerApp.allow_root=True"]
    log = (home / "server.log").open("w", encoding="utf-8")
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                _get(f"{url}/api/status", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("jupyter lab did not start:\n" + (home / "server.log").read_text()[-3000:])
                time.sleep(1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`jupyter lab notebooks` from the repository root (README command 1), isolated from the user's settings."""
    with _jupyter_lab("notebooks", tmp_path_factory.mktemp("jupyter-home")) as url:
        yield url


def _effective(url: str, plugin: str) -> dict:
    """The values JupyterLab uses for a plugin: the user's settings over the schema's (overridden) defaults."""
    answer = _get(f"{url}/lab/api/settings/{plugin}")
    defaults = {k: v.get("default") for k, v in answer["schema"]["properties"].items()}
    return {**defaults, **answer.get("settings", {})}


def test_settings_package_is_what_requirements_install():
    lines = (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "-e ./tools/jupyter_settings" in [line.split("#")[0].strip() for line in lines]
    assert any(line.startswith("jupyterlab-language-pack-ru-RU~=") for line in lines)
    overrides = json.loads((SETTINGS / "overrides.json").read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/translation-extension:plugin"] == {"locale": "ru_RU"}
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert 'shared-data]\n"overrides.json" = "share/jupyter/lab/settings/overrides.d/' in \
        (SETTINGS / "pyproject.toml").read_text(encoding="utf-8")


def test_menus_are_russian(lab):
    assert _effective(lab, "@jupyterlab/translation-extension:plugin")["locale"] == "ru_RU"
    packs = _get(f"{lab}/lab/api/translations/")["data"]
    assert "ru_RU" in packs, f"the language pack of requirements.txt is not installed: {sorted(packs)}"
    strings = json.dumps(_get(f"{lab}/lab/api/translations/ru_RU")["data"], ensure_ascii=False)
    assert "Файл" in strings and "Редактировать" in strings  # the File and Edit menus


def test_no_news_pop_up_and_no_update_check(lab):
    notification = _effective(lab, "@jupyterlab/apputils-extension:notification")
    assert notification["fetchNews"] == "false"  # "none" (the default) asks the pop-up question
    assert notification["checkForUpdates"] is False


def _offline_page(browser, base: str, outside: list):
    """A 1280x720 page that may load only from ``base``: any other request is recorded in ``outside`` and aborted."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else
               (outside.append(r.request.url), r.abort()))
    return page


def test_the_browser_shows_russian_menus_and_no_pop_up(lab, tmp_path):
    """The same server in headless Chromium (if it is installed): the menu bar reads «Файл», no toast is shown."""
    if not CHROMIUM.is_file():
        pytest.skip("Chromium (/usr/bin/chromium) is not installed")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    outside = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = _offline_page(browser, lab, outside)
            page.goto(f"{lab}/lab?token={TOKEN}", timeout=180_000)
            page.wait_for_selector("#jp-MainMenu .lm-MenuBar-itemLabel", timeout=180_000)
            page.wait_for_timeout(3000)  # a pop-up would show by now: the news question comes right after start
            menus = page.locator("#jp-MainMenu .lm-MenuBar-itemLabel").all_inner_texts()
            toasts = page.locator(".Toastify__toast").all_inner_texts()
            page.screenshot(path=str(tmp_path / "jupyterlab.png"))
        finally:
            browser.close()
    assert menus[:3] == ["Файл", "Редактировать", "Просмотр"], menus
    assert not toasts, f"a notification is shown: {toasts}"
    assert not outside, f"JupyterLab asked the network: {outside[:3]}"


# --- live RISE (jupyterlab-rise) at 1280 x 720: notebook metadata "rise" and notebooks/rise.css ----------------

# the slide fills the window (RISE's width/height "100%"; a fixed 1280 x 720 with scaling breaks RISE's layout on a
# larger screen), no margin, top-aligned, no reveal.js arrows over the slide, a theme that fetches no fonts
RISE = {"theme": "white", "center": False, "margin": 0, "controls": False}


def test_notebooks_carry_the_rise_settings_and_rise_css_is_beside_them():
    for path in sorted((REPO / "notebooks").glob("*.ipynb")):
        rise = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("rise", {})
        assert {k: rise.get(k) for k in RISE} == RISE, f"{path.name}: metadata.rise = {rise}"
        assert not {"width", "height"} & set(rise), f"{path.name}: metadata.rise = {rise}"
    css = (REPO / "notebooks" / "rise.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css  # nothing from the network
    for rule in ("--jp-code-font-size: 20px", "--jp-content-font-size1: 23px", "details[open]", "overflow: auto",
                 "max-height: 60%",
                 "text-transform: none", ".jp-Notebook-footer { display: none; }"):
        assert rule in css, rule


LIVE = """() => { const s = document.querySelector('.reveal .slides section.present:not(.stack)');
  const style = sel => { const e = s.querySelector(sel); return e && getComputedStyle(e); };
  const family = c => c && c.fontFamily.split(',')[0].replace(/"/g, '').trim();
  const h = style('h1, h2, h3'), p = style('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li');
  const code = style('.jp-InputArea .cm-content'), out = style('.jp-OutputArea-output pre');
  const idle = [...document.querySelectorAll('*')].filter(e => { const c = getComputedStyle(e);
    return ['auto', 'scroll'].includes(c.overflowY) && e.scrollHeight > e.clientHeight + 1 && e.clientHeight > 50; });
  return {heading: family(h), text: family(p), text_px: p && parseFloat(p.fontSize),
          code_px: code && parseFloat(code.fontSize),
          out_ratio: out && parseFloat(out.lineHeight) / parseFloat(out.fontSize),
          scrolling: idle.map(e => e.tagName + '.' + [...e.classList].join('.'))}; }"""


@pytest.mark.skipif(not CHROMIUM.is_file(), reason="Chromium (/usr/bin/chromium) is not installed")
def test_live_rise_fits_a_1280x720_projector(tmp_path):
    """7.2 in RISE ("Open as Reveal Slideshow": /rise/<path>) on a copy of the notebooks: one font for headings
    and text, the decks' sizes, output lines tall enough for underscores, no scrollbar where nothing scrolls, and
    an opened R block, hint or solution is a panel inside the slide that scrolls by itself."""
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    sys.path.insert(0, str(REPO / "tools"))
    import make_slides
    import nbformat

    shown = tmp_path / "nb"  # a copy: presenting must not touch the notebooks others are editing
    shown.mkdir()
    for item in (REPO / "notebooks").iterdir():
        if item.suffix in (".ipynb", ".css") or item.name == "figures":
            (shutil.copytree if item.is_dir() else shutil.copyfile)(item, shown / item.name)
    name = next(p.name for p in shown.glob("7.2-*.ipynb"))
    groups = make_slides.slides(nbformat.read(shown / name, as_version=4))

    def first(test):
        return next(index for index, cells in groups if any(test(c) for c in cells))

    wanted = {"heading": first(lambda c: c.cell_type == "markdown" and c.source.startswith("## ")),
              "output": first(lambda c: c.cell_type == "code" and any(o.get("text") for o in c.outputs)),
              "details": first(lambda c: c.cell_type == "markdown" and "<details>" in c.source)}
    outside, seen = [], {}
    (tmp_path / "home").mkdir()
    with _jupyter_lab(str(shown), tmp_path / "home") as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM))
        try:
            page = _offline_page(browser, url, outside)
            page.goto(f"{url}/rise/{name}?token={TOKEN}", timeout=180_000)
            page.wait_for_selector(".reveal .slides section.present", timeout=180_000)
            for what, index in wanted.items():
                h, v = index.split("/")
                page.evaluate(f"() => {{ location.hash = '#/slide-{h}-{v}'; }}")
                page.wait_for_function(f"() => document.querySelector('section.present:not(.stack)')?.id === "
                                       f"'slide-{h}-{v}'", timeout=60_000)
                page.wait_for_timeout(1500)
                seen[what] = page.evaluate(LIVE)
            page.evaluate("() => document.querySelectorAll('section.present details').forEach(d => d.open = true)")
            page.wait_for_timeout(1000)
            opened = page.evaluate("""() => [...document.querySelectorAll('section.present details[open]')].map(d =>
                ({bottom: d.getBoundingClientRect().bottom, height: d.getBoundingClientRect().height,
                  scrolls: getComputedStyle(d).overflowY}))""")
            page.screenshot(path=str(tmp_path / "rise-details.png"))
        finally:
            browser.close()
    assert not outside, f"RISE asked the network: {outside[:3]}"
    heading, output = seen["heading"], seen["output"]
    assert heading["heading"] == heading["text"], heading  # one font: no Latin in the theme's font beside Cyrillic
    assert heading["text_px"] == 23 and output["code_px"] == 20, (heading, output)
    assert output["out_ratio"] >= 1.25, output  # the theme's 1.2 cuts "_" off the last line
    assert all(not s["scrolling"] for s in seen.values()), seen  # these slides fit: no scrollbar
    # an opened block is a panel inside the slide, at most 60 % of its height, that scrolls by itself
    assert opened and all(d["bottom"] <= 720 and d["height"] <= 0.6 * 720 + 1 and d["scrolls"] == "auto"
                          for d in opened), opened
