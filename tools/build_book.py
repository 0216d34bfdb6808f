"""Build the course website (Jupyter Book 1) offline from the committed notebooks.

Usage: ``make book`` (HTML in ``_build/book/_build/html/``, git-ignored) or
``python tools/build_book.py OUT_DIR`` (the test builds into a temporary directory).

The book is assembled in ``OUT_DIR`` from the repository, which is only read:
- ``README.md`` (the course map) is the home page. Its links to lessons that exist stay
  page links; links to anything else (planned lessons, CONTRIBUTING.md, instructors/, LICENSE)
  point at the file on GitHub, so the website has no dead internal links.
- every lesson ``notebooks/NN_*.ipynb`` present is a chapter (``book/_toc.yml`` globs them), shown with
  its committed outputs: ``execute_notebooks: off`` in ``book/_config.yml``.
- ``notebooks/glossary.md`` (the course's terms) and ``datasets/DATASHEET.md`` are appendix pages.
  The glossary's ``<a id="term"></a>`` lines give JupyterLab and GitHub their anchors; here they are
  dropped because MyST gives every heading the same id (``myst_heading_anchors`` in ``_config.yml``),
  so a lesson's link ``glossary.md#term`` resolves to ``glossary.html#term``.
Nothing is executed and nothing is downloaded.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
DEFAULT_OUT = ROOT / "_build" / "book"
BINDER = re.compile(r"https://mybinder\.org/v2/gh/([^/]+)/([^/]+)/([^/?]+)")
LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]+)\)")  # [text](target), not images
GLOSSARY = "notebooks/glossary.md"
EXTRA_PAGES = ["book/setup.md", GLOSSARY, "datasets/DATASHEET.md"]
ANCHOR_LINE = re.compile(r'^<a id="[^"]+"></a>\n\n', re.M)  # the glossary's explicit anchors


def github_base(readme: str) -> str:
    """The repository's GitHub address, read from the README's Binder badge."""
    match = BINDER.search(readme)
    if not match:
        raise ValueError("README.md has no Binder badge (https://mybinder.org/v2/gh/ORG/REPO/REF) to find the repository")
    org, repo, ref = match.groups()
    return f"https://github.com/{org}/{repo}/blob/{ref}"


def rewrite_links(text: str, pages: set[str], base: str) -> str:
    """Keep links to pages in the book; send other repository-relative links to GitHub."""

    def fix(match: re.Match) -> str:
        label, target = match.groups()
        if re.match(r"^[a-z]+:|^#", target):
            return match.group(0)
        path = target.split("#")[0].rstrip("/")
        if path in pages:
            return match.group(0)
        return f"[{label}]({base}/{target})"

    return LINK.sub(fix, text)


def assemble(source: Path) -> list[str]:
    """Copy the book's pages into `source`; return the lesson notebooks' relative paths."""
    if source.exists():
        shutil.rmtree(source)
    (source / "notebooks").mkdir(parents=True)
    lessons = []
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        shutil.copy2(nb, source / "notebooks" / nb.name)
        lessons.append(f"notebooks/{nb.name}")
    for page in EXTRA_PAGES:
        (source / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / page, source / page)
    glossary = (ROOT / GLOSSARY).read_text(encoding="utf-8")
    (source / GLOSSARY).write_text(ANCHOR_LINE.sub("", glossary), encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme = rewrite_links(readme, set(lessons) | set(EXTRA_PAGES), github_base(readme))
    (source / "README.md").write_text(readme, encoding="utf-8")
    shutil.copy2(BOOK / "_config.yml", source / "_config.yml")
    shutil.copy2(BOOK / "_toc.yml", source / "_toc.yml")
    return lessons


def build(out: Path) -> Path:
    """Assemble and build the book under `out`; return the HTML folder."""
    source = out / "source"
    lessons = assemble(source)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    start = time.perf_counter()
    subprocess.run(
        [str(jupyter_book), "build", str(source), "--path-output", str(out), "--builder", "html"],
        check=True,
    )
    html = out / "_build" / "html"
    missing = [p for p in lessons + [GLOSSARY] if not (html / p).with_suffix(".html").exists()]
    if missing:
        raise SystemExit(f"the book has no page for {missing}")
    print(f"book: {len(lessons)} lessons and the glossary in {time.perf_counter() - start:.1f} s -> {html / 'index.html'}")
    return html


if __name__ == "__main__":
    build(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else DEFAULT_OUT)
