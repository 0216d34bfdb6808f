"""Every lesson opens and renders in JupyterLab in a real (headless) browser.

A notebook can pass nbval and still fail to open or render in JupyterLab. This suite starts
JupyterLab from the pinned environment on a free loopback port with a random token, opens
every notebook in notebooks/ in headless Chromium (Debian's `chromium`, driven by the pip
`playwright` package), and checks that each shows all its cells, its committed text outputs
and its images, with no JavaScript page errors. Then it shuts JupyterLab down and checks the
port is free and no notebook changed on disk.

JupyterLab's runtime, config, data, settings, workspace and checkpoint folders live in a
temporary directory, so nothing is written inside the repository. Settings used: `windowingMode: none`
(otherwise cells outside the viewport are rendered lazily) and autosave off.

Without /usr/bin/chromium the suite skips locally and FAILS when CI=true, so CI cannot pass
by skipping. `.ci/run` installs chromium.
"""
from __future__ import annotations

import hashlib
import html.parser
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import slide_check  # noqa: E402  (tools/slide_check.py: measures the deck's screens)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
STARTUP_TIMEOUT_S = 90
RENDER_TIMEOUT_MS = 60_000
IN_CI = os.environ.get("CI", "").lower() in {"true", "1", "yes"}

pytestmark = pytest.mark.browser


def _unavailable(reason: str) -> None:
    """Skip locally, fail in CI: CI must never pass by skipping the browser check."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser test must run in CI; .ci/run installs chromium)")
    pytest.skip(f"{reason}; install it with `apt-get install -y chromium` (CI installs it and fails without it)")


# ---------------------------------------------------------------------------------------------
# What the committed notebook says JupyterLab must show
# ---------------------------------------------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# JupyterLab's default order of preference among MIME types (rendermime's standard factories)
MIME_ORDER = [
    "application/javascript", "text/html", "text/markdown", "text/latex", "image/bmp", "image/png",
    "image/jpeg", "image/gif", "image/webp", "image/svg+xml", "application/pdf", "text/plain",
]


class _TextOf(html.parser.HTMLParser):
    """The visible text of an HTML fragment (no <style>/<script> content)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"style", "script"}:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in {"style", "script"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _squash(text: str) -> str:
    """Compare text without whitespace: the browser reflows tables and wraps lines."""
    return re.sub(r"\s+", "", ANSI.sub("", text))


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def expected_view(path: Path) -> dict:
    """Cell count, per-cell expected text snippets and image count from the committed notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    texts: list[tuple[int, str]] = []  # (cell index, squashed text that must appear in its outputs)
    images = 0
    for index, cell in enumerate(cells):
        for out in cell.get("outputs", []):
            kind = out["output_type"]
            if kind == "stream":
                texts.append((index, _squash(_joined(out["text"]))))
            elif kind == "error":
                texts.append((index, _squash(out["ename"])))
            elif kind in {"execute_result", "display_data"}:
                data = out.get("data", {})
                mime = next((m for m in MIME_ORDER if m in data), None)
                if mime == "image/png":
                    images += 1
                elif mime == "text/html":
                    parser = _TextOf()
                    parser.feed(_joined(data[mime]))
                    texts.append((index, _squash("".join(parser.parts))))
                elif mime == "text/plain":
                    texts.append((index, _squash(_joined(data[mime]))))
    return {
        "cells": len(cells),
        "markdown": sum(c["cell_type"] == "markdown" for c in cells),
        "code": sum(c["cell_type"] == "code" for c in cells),
        "texts": [(i, t) for i, t in texts if t],
        "images": images,
    }


# ---------------------------------------------------------------------------------------------
# JupyterLab server and browser, shared by all notebooks of the run
# ---------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _write_json(path: Path, value: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, indent=2))


def _api(base: str, token: str, path: str, method: str = "GET"):
    request = urllib.request.Request(f"{base}{path}", method=method, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        body = response.read()
    return json.loads(body) if body else None


class Lab:
    def __init__(self, base: str, token: str, proc: subprocess.Popen, log: Path) -> None:
        self.base, self.token, self.proc, self.log = base, token, proc, log

    def url(self, path: str) -> str:
        return f"{self.base}{path}?token={self.token}&reset"

    def saves(self) -> list[str]:
        """The "Saving file at" lines of the server log: JupyterLab wrote a file."""
        return [line for line in self.log.read_text(errors="replace").splitlines() if "Saving file at" in line]


def assert_untouched(lab: Lab, notebook: Path, before: str) -> None:
    saves = lab.saves()
    assert not saves, f"JupyterLab saved files while opening {notebook.name}: {saves}"
    after = hashlib.sha256(notebook.read_bytes()).hexdigest()
    assert after == before, (
        f"{notebook.name} changed on disk during the test; JupyterLab logged no save, so another "
        "process wrote it (e.g. `make outputs` running at the same time): rerun when it is done"
    )


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    jupyter = Path(sys.executable).parent / "jupyter"
    if not jupyter.exists():
        pytest.fail(f"{jupyter} is missing: run `make test`, which installs the pinned environment")
    with tempfile.TemporaryDirectory(prefix="course-lab-") as tmp:
        tmp_path = Path(tmp)
        settings = tmp_path / "lab-settings"
        # all cells attached to the DOM (the default renders off-screen cells lazily), no autosave
        _write_json(settings / "@jupyterlab/notebook-extension/tracker.jupyterlab-settings", {"windowingMode": "none"})
        _write_json(settings / "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings", {"autosave": False})
        # no network from the server: no update check, no news feed
        _write_json(tmp_path / "config/jupyter_server_config.json", {
            "LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate"},
        })
        env = dict(
            os.environ,
            JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
            JUPYTER_DATA_DIR=str(tmp_path / "data"),
            JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "workspaces"),
            IPYTHONDIR=str(tmp_path / "ipython"),
            MPLCONFIGDIR=str(tmp_path / "matplotlib"),
            JUPYTER_PLATFORM_DIRS="1",
        )
        port, token = _free_port(), secrets.token_hex(24)
        command = [
            str(jupyter), "lab", "--no-browser", f"--ServerApp.root_dir={ROOT}",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            # JupyterLab asks for a checkpoint when it opens a file: keep it out of the repository
            f"--FileCheckpoints.root_dir={tmp_path / 'checkpoints'}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        log = tmp_path / "jupyterlab.log"
        with log.open("wb") as log_file:
            proc = subprocess.Popen(command, cwd=tmp, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        try:
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
                try:
                    _api(base, token, "/api/status")
                    break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    if time.monotonic() > deadline:
                        pytest.fail(f"JupyterLab did not answer within {STARTUP_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")
                    time.sleep(0.3)
            yield Lab(base, token, proc, log)
        finally:
            try:  # shut the kernels the notebooks started down cleanly, then the server
                for kernel in _api(base, token, "/api/kernels") or []:
                    _api(base, token, f"/api/kernels/{kernel['id']}", method="DELETE")
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)  # the process group this fixture started, nothing else
                proc.wait(timeout=10)
                pytest.fail("JupyterLab did not stop within 30 s of SIGTERM")
        for _ in range(50):
            if not _port_in_use(port):
                break
            time.sleep(0.1)
        assert not _port_in_use(port), f"port {port} is still in use after JupyterLab stopped"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the pip package playwright is not installed")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _render_state(page) -> dict:
    return page.evaluate("""() => {
        const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
        if (!nb) return {cells: 0};
        const q = (sel) => nb.querySelectorAll(sel);
        return {
            cells: q('.jp-Cell').length,
            markdown: q('.jp-MarkdownCell').length,
            renderedMarkdown: q('.jp-MarkdownCell .jp-RenderedMarkdown').length,
            code: q('.jp-CodeCell').length,
            editors: q('.jp-CodeCell .jp-InputArea-editor .cm-content').length,
            pendingImages: [...q('.jp-OutputArea-output img')].filter(i => !i.complete).length,
        };
    }""")


# ---------------------------------------------------------------------------------------------
# The test: one item per notebook present
# ---------------------------------------------------------------------------------------------


def _open_page(browser, errors: list[str], viewport: dict | None = None):
    """A fresh browser context and page that records JavaScript errors into ``errors``.

    No network: only the loopback JupyterLab server is reachable (the Binder badge image is
    external and is blocked).
    """
    context = browser.new_context(viewport=viewport or {"width": 1400, "height": 1000})
    context.route(re.compile(r"^(?!http://127\.0\.0\.1:\d+/).*"), lambda route: route.abort())
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_renders_in_jupyterlab(notebook: Path, browser, lab: Lab) -> None:
    before = hashlib.sha256(notebook.read_bytes()).hexdigest()
    checkpoints = notebook.parent / ".ipynb_checkpoints"
    had_checkpoints = checkpoints.exists()
    want = expected_view(notebook)
    errors: list[str] = []
    context, page = _open_page(browser, errors)
    try:
        rel = notebook.relative_to(ROOT).as_posix()
        page.goto(lab.url(f"/lab/tree/{rel}"), wait_until="domcontentloaded")
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=RENDER_TIMEOUT_MS)
        deadline = time.monotonic() + RENDER_TIMEOUT_MS / 1000
        while True:
            state = _render_state(page)
            done = (state["cells"] == want["cells"] and state["renderedMarkdown"] == want["markdown"]
                    and state["editors"] == want["code"] and state["pendingImages"] == 0)
            if done or time.monotonic() > deadline:
                break
            time.sleep(0.25)
        assert state["cells"] == want["cells"], f"{rel}: JupyterLab shows {state['cells']} cells, the file has {want['cells']}"
        assert state["renderedMarkdown"] == want["markdown"], f"{rel}: not every markdown cell rendered: {state}"
        assert state["editors"] == want["code"], f"{rel}: not every code cell has its editor: {state}"

        outputs = page.evaluate("""() => [...document.querySelectorAll(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')].map(c => {
                const area = c.querySelector('.jp-OutputArea');
                return {
                    text: area ? area.innerText : '',
                    images: area ? [...area.querySelectorAll('.jp-OutputArea-output img')].map(
                        i => i.naturalWidth > 0 && i.naturalHeight > 0) : [],
                };
            })""")
        missing = [
            f"cell {i}: {text[:80]!r}" for i, text in want["texts"] if text not in _squash(outputs[i]["text"])
        ]
        assert not missing, f"{rel}: committed outputs not shown in JupyterLab:\n" + "\n".join(missing[:10])
        shown = [ok for cell in outputs for ok in cell["images"]]
        assert len(shown) == want["images"], f"{rel}: {len(shown)} images shown, {want['images']} image/png outputs committed"
        assert all(shown), f"{rel}: an output image did not load (zero size)"
        assert not errors, f"{rel}: JavaScript errors in the page: {errors}"
    finally:
        context.close()
    assert_untouched(lab, notebook, before)
    if not had_checkpoints and checkpoints.exists():
        pytest.fail(f"JupyterLab saved a checkpoint of {notebook.name} (opening must not save)")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_presents_as_rise_slides(notebook: Path, browser, lab: Lab) -> None:
    """jupyterlab_rise renders the lesson as a reveal.js deck that an instructor can teach from.

    At a 1280x720 projector: one top-level slide per "slide" cell; "skip" cells (the set-up
    code) hidden; "fragment" cells inside reveal's fragments (shown on the next key press);
    and no screen (slide or sub-slide) taller than the visible area. Every screen is visited
    and measured as reveal.js lays it out (``tools/slide_check.py``, which also runs this test
    for chosen notebooks with ``--screens``); the failure lists each overflowing screen and
    the cell to move to a new "subslide".
    """
    before = hashlib.sha256(notebook.read_bytes()).hexdigest()
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    kinds = [c.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") for c in cells]
    slides = kinds.count("slide") + (kinds[0] not in {"slide", "skip", "notes"} if kinds else 0)
    errors: list[str] = []
    context, page = _open_page(browser, errors, viewport=slide_check.VIEWPORT)
    try:
        page.goto(lab.url(f"/rise/{notebook.relative_to(ROOT).as_posix()}"), wait_until="domcontentloaded")
        page.wait_for_selector(".reveal .slides > section > section.present", timeout=RENDER_TIMEOUT_MS)
        count = "() => document.querySelectorAll('.reveal .slides > section').length"
        page.wait_for_function(f"({count})() >= {slides}", timeout=RENDER_TIMEOUT_MS)
        shown = page.evaluate(count)
        assert shown == slides, f"{notebook.name}: the deck has {shown} slides, the notebook marks {slides}"
        roles = page.evaluate("""() => [...document.querySelectorAll('.reveal .slides .jp-Cell')].map(c => ({
            hidden: getComputedStyle(c).display === 'none', fragment: !!c.closest('.fragment')}))""")
        assert len(roles) == len(cells), f"{notebook.name}: the deck holds {len(roles)} cells, the file {len(cells)}"
        wrong = [f"cell {i} ({kind}): hidden={role['hidden']}, in a fragment={role['fragment']}"
                 for i, (kind, role) in enumerate(zip(kinds, roles))
                 if role["hidden"] != (kind == "skip") or (kind == "fragment" and not role["fragment"])]
        assert not wrong, f"{notebook.name}: skip/fragment cells not presented as marked: {wrong}"
        screens = slide_check.measure_deck(page)
        assert len(screens) == sum(k in {"slide", "subslide"} for k in kinds[1:]) + 1, (
            f"{notebook.name}: visited {len(screens)} screens")
        overflowing = slide_check.overflow_report(screens)
        assert not overflowing, (
            f"{notebook.name}: {len(overflowing)} of {len(screens)} screens overflow 1280x720 in RISE:\n"
            + "\n".join(overflowing))
        assert not errors, f"{notebook.name}: JavaScript errors in the slideshow: {errors}"
    finally:
        context.close()
    assert_untouched(lab, notebook, before)


def test_a_glossary_link_opens_the_term_in_jupyterlab(browser, lab: Lab) -> None:
    """A lesson's relative link `glossary.md#term` opens notebooks/glossary.md rendered (Markdown
    Preview) and scrolls the term's anchor into view, without saving anything."""
    notebook = ROOT / "notebooks" / "00_welcome.ipynb"
    before = hashlib.sha256(notebook.read_bytes()).hexdigest()
    links = [m for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "markdown"
             for m in re.findall(r"\[([^\]]+)\]\(glossary\.md#([^)]+)\)", _joined(c["source"]))]
    assert links, "lesson 00 links no glossary term"
    text, anchor = links[0]
    errors: list[str] = []
    context, page = _open_page(browser, errors)
    try:
        page.goto(lab.url("/lab/tree/notebooks/00_welcome.ipynb"), wait_until="domcontentloaded")
        link = page.locator(".jp-NotebookPanel .jp-RenderedMarkdown a", has_text=text).first
        link.wait_for(timeout=RENDER_TIMEOUT_MS)
        link.scroll_into_view_if_needed()
        link.click()
        # JupyterLab 4 keeps a markdown id as data-jupyter-id (against DOM clobbering) and scrolls to
        # it; its own heading ids keep capitals ("Redaction"), so the glossary's lower-case anchors are needed
        found = """(id) => { const el = document.querySelector(
                         `.jp-MarkdownViewer [data-jupyter-id="${CSS.escape(id)}"], .jp-MarkdownViewer #${CSS.escape(id)}`);
                         if (!el) return false; const r = el.getBoundingClientRect();
                         return r.top >= 0 && r.top < window.innerHeight; }"""
        page.wait_for_function(found, arg=anchor, timeout=RENDER_TIMEOUT_MS)
        tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel").first.inner_text()
        assert "glossary.md" in tab, f"the link opened {tab!r}, not the glossary"
        assert not errors, f"JavaScript errors: {errors}"
    finally:
        context.close()
    assert_untouched(lab, notebook, before)


def test_jupyterlab_starts_with_the_course_defaults(lab: Lab) -> None:
    """overrides.json (tools/lab_settings.py, installed by make and Binder) is in effect: no news prompt."""
    notification = _api(lab.base, lab.token, "/lab/api/settings/@jupyterlab/apputils-extension:notification")
    # the server hands overrides.json to the front end as the schema's defaults (stock: "none", ask)
    properties = notification["schema"]["properties"]
    assert properties["fetchNews"]["default"] == "false", properties["fetchNews"]
    assert properties["checkForUpdates"]["default"] is False
