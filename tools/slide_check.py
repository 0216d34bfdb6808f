"""Check that lessons present well as RISE slides: short code lines and screens that fit.

Usage::

    python tools/slide_check.py notebooks/01_privacy_basics.ipynb      # list long code lines
    python tools/slide_check.py --fix notebooks/01_privacy_basics.ipynb  # rewrap them
    python tools/slide_check.py --screens notebooks/01_privacy_basics.ipynb  # + measure the deck

* **Long lines.** A code line over ``LINE_LIMIT`` (90) characters does not fit a slide at
  1280x720. ``--fix`` breaks them inside brackets at commas (then inside string literals, as
  implicitly concatenated parts) and moves trailing comments above, filling lines compactly
  (a slide has little height to spare); it checks the syntax tree is unchanged. Lines it
  cannot break (a long string outside brackets) are listed for a manual fix. Re-execute the notebook afterwards (``make outputs NB=...``).
* **Screens.** ``--screens`` runs the browser test ``tests/test_browser.py::
  test_notebook_presents_as_rise_slides`` for the given notebooks: it opens each as a RISE deck at
  1280x720, visits every slide and sub-slide, and lists the screens whose content is taller
  than the visible area, with the cell to make a ``"subslide"``. A single cell taller than a
  screen has to be split in two at a statement boundary (for example the printout, then the
  figure; never inside the code that draws one figure), the second half a ``"subslide"``,
  and the notebook re-executed.

The measuring code (``measure_deck``) is shared with ``tests/test_browser.py``.
"""
from __future__ import annotations

import argparse
import ast
import io
import json
import re
import subprocess
import sys
import textwrap
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE_LIMIT = 90
VIEWPORT = {"width": 1280, "height": 720}


# ---------------------------------------------------------------------------------------------
# Long code lines
# ---------------------------------------------------------------------------------------------


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def long_code_lines(path: Path, limit: int = LINE_LIMIT) -> list[tuple[int, int, int, str]]:
    """``(cell index, line number from 1, length, line)`` for every code line over ``limit``."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    found = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        for number, line in enumerate(_source(cell).split("\n"), start=1):
            if len(line) > limit:
                found.append((index, number, len(line), line))
    return found


OPEN, CLOSE = "([{", ")]}"
STRING_PREFIX = re.compile(r"^([rRbBuUfF]*)(['\"])(.*)\2$", re.S)


def _comment_lines(indent: str, comment: str, limit: int) -> list[str]:
    text = comment.lstrip("#").strip()
    return [indent + "# " + part for part in textwrap.wrap(text, max(limit - len(indent) - 2, 20))]


MAX_ALIGN = 40  # continuation lines align under their bracket unless it is further right than this


def _string_pieces(token: str, align: int) -> list:
    """A one-line string literal as text pieces with break markers after its spaces.

    A marker ``(align, close, reopen)`` is a place where the literal may be cut into two
    implicitly concatenated literals. f-string replacement fields are never cut; a
    triple-quoted literal comes back whole.
    """
    match = STRING_PREFIX.match(token)
    if not match or token.endswith(("'''", '"""')):
        return [token]
    prefix, quote, body = match.groups()
    fstring = "f" in prefix.lower()
    pieces: list = [prefix + quote]
    start, depth, i = 0, 0, 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            i += 2
            continue
        if fstring and body[i:i + 2] in ("{{", "}}"):
            i += 2
            continue
        if fstring and char == "{":
            depth += 1
        elif fstring and char == "}":
            depth -= 1
        elif char == " " and depth == 0 and 0 < i and i + 1 < len(body) and body[i + 1] != " ":
            pieces += [body[start:i + 1], (align, quote, prefix + quote)]
            start = i + 1
        i += 1
    pieces += [body[start:] + quote]
    return pieces


def _fill(pieces: list, first_prefix: str, fallback_prefix: str, limit: int) -> list[str]:
    """Greedy fill: join text pieces, breaking only at markers, keeping lines within ``limit``.

    A marker is ``(align, "", "")`` (a break) or ``(align, close, reopen)`` (inside a string
    literal: close it at the end of the line, reopen it on the next). The next line starts at
    column ``align`` (under the bracket the break is in) when that bracket is on the first
    line and not too far right, else with ``fallback_prefix``.
    """
    chunks: list[tuple] = []  # (marker before the chunk, text)
    marker, current = None, ""
    for piece in pieces:
        if isinstance(piece, tuple):
            chunks.append((marker, current))
            marker, current = piece, ""
        else:
            current += piece
    chunks.append((marker, current))
    lines, line = [], first_prefix + chunks[0][1].lstrip()
    for number, (marker, chunk) in enumerate(chunks[1:], start=1):
        after = chunks[number + 1][0] if number + 1 < len(chunks) else None
        close = after[1] if after else ""
        joined = line + chunk
        if len(joined + close if close else joined.rstrip()) <= limit or not line.strip():
            line += chunk
            continue
        align, close_here, reopen = marker
        first_line = lines[0] if lines else line
        prefix = " " * align if align <= MAX_ALIGN and align < len(first_line) else fallback_prefix
        if close_here:
            lines.append(line + close_here)
            line = prefix + reopen + chunk
        else:
            lines.append(line.rstrip())
            line = prefix + chunk.lstrip()
    lines.append(line.rstrip())
    return lines


# operators a line may break before, loosest-binding first
OPERATOR_LEVELS = ({"and", "or", "if", "else"}, {"<", ">", "<=", ">=", "==", "!=", "in", "is"}, {"+", "-"},
                   {"*", "/", "@", "//", "%"})
BREAK_BEFORE = set().union(*OPERATOR_LEVELS)
WRAPPABLE = re.compile(r"^(\s*)(assert |return |[\w.]+(?:\[[^\]]*\])? (?:[-+*/]?=) )(.+)$")


def _line_tokens(line: str, depth_at_start: int) -> list | None:
    """``(type, text, start column, end column, absolute bracket depth)`` of one physical line.

    The line is tokenized as if the brackets open before it were opened just before it and
    the brackets left open were closed on the next line.
    """
    prefix = "(" * depth_at_start
    for extra in range(12):
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(prefix + line + "\n" + ")" * extra + "\n").readline))
            break
        except (tokenize.TokenError, SyntaxError, IndentationError):
            continue
    else:
        return None
    out, depth = [], depth_at_start
    for token in tokens:
        if token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER, tokenize.INDENT, tokenize.DEDENT):
            continue
        if token.start[0] != 1 or token.start[1] < len(prefix):
            continue
        if token.type == tokenize.OP and token.string in CLOSE:
            depth -= 1
        out.append((token.type, token.string, token.start[1] - len(prefix), token.end[1] - len(prefix), depth))
        if token.type == tokenize.OP and token.string in OPEN:
            depth += 1
    return out


def _candidates(line: str, tokens: list, indent: str, fallback: str, max_depth: int, opens: bool,
                operators: bool | set, strings: bool) -> list:
    """``line`` as text pieces with break markers where this level of ``_wrap_line`` may break."""
    pieces: list = []
    position = len(indent)
    opened: list[int] = []  # columns just after the brackets opened on this line
    for index, (kind, text, start, end, depth) in enumerate(tokens):
        pieces.append(line[position:start])
        position = end
        following = tokens[index + 1][1] if index + 1 < len(tokens) else ""
        align = opened[-1] if opened else len(fallback)
        if text in CLOSE and opened:
            opened.pop()
        if strings and kind == tokenize.STRING and 0 < depth <= max_depth:
            pieces += _string_pieces(text, align)
            continue
        allowed = operators if isinstance(operators, set) else BREAK_BEFORE if operators else set()
        if text in allowed and 0 < depth <= max_depth and index:
            pieces.append((align, "", ""))
        pieces.append(text)
        if text in OPEN:
            opened.append(end)
        if text == "," and 0 < depth <= max_depth:
            pieces.append((align, "", ""))
        elif opens and text in OPEN and depth < max_depth and following and following not in CLOSE:
            pieces.append((end, "", ""))
    pieces.append(line[position:])
    return pieces


def _wrap_line(line: str, depth_at_start: int, limit: int) -> list[str]:
    """One physical code line broken inside brackets to fit ``limit``, as compactly as possible.

    Tries, from the outermost bracket inwards, breaks after commas, then also after opening
    brackets, then before operators (an ``assert``, ``return`` or assignment gets parentheses
    around its expression for that), then inside string literals (as implicitly concatenated
    parts); keeps the fewest lines, preferring the earlier kind. A trailing comment moves to its
    own line above. Line ends inside brackets mean nothing to Python, so the code is the same.
    """
    indent = line[: len(line) - len(line.lstrip())]
    tokens = _line_tokens(line, depth_at_start)
    if not tokens:
        return [line]
    above: list[str] = []
    if tokens[0][0] == tokenize.COMMENT:
        return _comment_lines(indent, tokens[0][1], limit)
    if tokens[-1][0] == tokenize.COMMENT and re.match(r"#\s*(noqa|type:|pragma)", tokens[-1][1]):
        return [line]  # a directive must stay on its line: left for a manual fix
    if tokens[-1][0] == tokenize.COMMENT:
        above = _comment_lines(indent, tokens[-1][1], limit)
        line = line[: tokens[-1][2]].rstrip()
        tokens = tokens[:-1]
    if len(line) <= limit:
        return above + [line]
    fallback = indent + ("    " if depth_at_start == 0 else "")
    variants = [(line, tokens)]
    wrappable = WRAPPABLE.match(line) if depth_at_start == 0 else None
    if wrappable and not line.rstrip().endswith(":"):
        parenthesised = f"{wrappable.group(1)}{wrappable.group(2)}({wrappable.group(3)})"
        more = _line_tokens(parenthesised, 0)
        if more:
            variants.append((parenthesised, more))
    deepest = max(depth for *_, depth in tokens) + 1
    best: list[str] | None = None
    if len(variants) > 1:  # an expression broken before its loosest top-level operators reads best
        allowed: set = set()
        for level in OPERATOR_LEVELS:
            allowed = allowed | level
            pieces = _candidates(*variants[1], indent, fallback, 1, False, allowed, False)
            best = _fill(pieces, indent, fallback, limit)
            if all(len(out) <= limit for out in best):
                break
            best = None
    for strings in (False, True):
        for variant, variant_tokens in variants:
            for max_depth in range(1, deepest + 1):
                for opens, operators in ((False, False), (True, False), (True, True)):
                    pieces = _candidates(variant, variant_tokens, indent, fallback, max_depth, opens, operators,
                                         strings)
                    wrapped = _fill(pieces, indent, fallback, limit)
                    fits = all(len(out) <= limit for out in wrapped)
                    if fits and (best is None or len(wrapped) < len(best)):
                        best = wrapped
        if best:
            break
    return above + (best or [line])


def rewrap_source(source: str, limit: int = LINE_LIMIT) -> str:
    """``source`` with its lines over ``limit`` broken inside brackets (and strings), compactly.

    Only the long lines change, one at a time, and a change is kept only when the cell still
    parses to the same syntax tree (same meaning). A line this cannot break (a long string
    outside brackets, a docstring line) stays, and ``long_code_lines`` lists it.
    """
    original = _tree(source)
    done = 0
    while True:
        lines = source.split("\n")
        depth, depth_at_row, spanning = 0, {}, set()
        for token in tokenize.generate_tokens(io.StringIO(source + "\n").readline):
            (row, _), (end_row, _) = token.start, token.end
            depth_at_row.setdefault(row, depth)
            if end_row != row and token.type == tokenize.STRING:
                spanning.update(range(row, end_row + 1))
            if token.type == tokenize.OP:
                depth += 1 if token.string in OPEN else -1 if token.string in CLOSE else 0
        todo = [row for row, line in enumerate(lines, start=1)
                if row > done and len(line) > limit and row not in spanning]
        if not todo:
            return source
        row = todo[0]
        done = row
        wrapped = _wrap_line(lines[row - 1], depth_at_row.get(row, 0), limit)
        candidate = "\n".join(lines[: row - 1] + wrapped + lines[row:])
        try:
            same = _tree(candidate) == original
        except SyntaxError:
            same = False
        if same:
            source = candidate
            done = row + len(wrapped) - 1


def _tree(source: str) -> str:
    """The syntax tree without comments and layout: equal trees mean the same program."""
    return ast.dump(ast.parse(source))


def rewrap_notebook(path: Path, limit: int = LINE_LIMIT) -> int:
    """Rewrap the long code lines of the notebook at ``path`` in place; return how many changed cells."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    changed = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and any(len(line) > limit for line in cell.source.split("\n")):
            new = rewrap_source(cell.source, limit)
            if new != cell.source:
                cell.source = new
                changed += 1
    if changed:
        nbformat.write(nb, path)
    return changed


# ---------------------------------------------------------------------------------------------
# Screens of the RISE deck (used by tests/test_browser.py)
# ---------------------------------------------------------------------------------------------

# Every sub-slide <section> of the deck, in order (jupyterlab_rise gives each an id slide-i-j).
SCREEN_IDS_JS = "() => [...document.querySelectorAll('.reveal .slides > section > section')].map(s => s.id)"

# The visited screen, measured as reveal.js lays it out: its slide area is `.slides` at the
# unscaled size reveal computed (the viewport less the margin), and a section whose scrollHeight
# is larger is clipped (reveal puts it at top 0 and the rest runs off the bottom). Fragments
# count as shown (hidden fragments keep their space), skipped cells do not (display: none).
MEASURE_JS = """(id) => {
    const section = document.getElementById(id);
    const slides = document.querySelector('.reveal .slides');
    const cells = [...document.querySelectorAll('.reveal .slides .jp-Cell')];
    const top = section.getBoundingClientRect().top;
    const scale = section.getBoundingClientRect().height / (section.offsetHeight || 1);
    const inside = cells.map((cell, index) => ({index, cell}))
        .filter(({cell}) => section.contains(cell) && cell.offsetParent !== null && !cell.closest('aside'))
        .map(({index, cell}) => {
            const box = cell.getBoundingClientRect();
            return {index, top: (box.top - top) / scale, bottom: (box.bottom - top) / scale,
                    markdown: cell.classList.contains('jp-MarkdownCell')};
        });
    return {id, height: section.scrollHeight, limit: slides.offsetHeight, cells: inside};
}"""


def measure_deck(page, settle_ms: int = 60) -> list[dict]:
    """Visit every screen of the RISE deck open in ``page``; measure each (see ``MEASURE_JS``).

    Returns one dict per screen: ``id`` (``slide-i-j``), ``height`` and ``limit`` in slide
    pixels, and ``cells``: the notebook cell indices shown with their top and bottom.
    """
    screens = []
    present = "(id) => document.getElementById(id).classList.contains('present')"
    for sid in page.evaluate(SCREEN_IDS_JS):
        for attempt in range(20):  # reveal may rewrite the hash of the screen it is leaving: ask again
            page.evaluate("(id) => { location.hash = '#/' + id; }", sid)
            try:
                page.wait_for_function(present, arg=sid, timeout=1_000)
                break
            except Exception:  # playwright's TimeoutError
                if attempt == 19:
                    raise
        page.wait_for_timeout(settle_ms)
        screens.append(page.evaluate(MEASURE_JS, sid))
    return screens


def split_point(screen: dict) -> int | None:
    """The cell that should start a new sub-slide so the screen's first part fits, if any.

    The first cell that runs past the bottom; when it is code whose explanation (a markdown
    cell) comes right before it on the same screen, that markdown cell, so text and code stay
    together. None when the screen fits or its first cell alone is too tall.
    """
    cells = screen["cells"]
    if screen["height"] <= screen["limit"] or not cells:
        return None
    position = next((k for k, c in enumerate(cells) if c["bottom"] > screen["limit"] + 1), None)
    if position is None or position == 0:
        return None
    if not cells[position].get("markdown", False) and position >= 2 and cells[position - 1].get("markdown", False):
        position -= 1
    return cells[position]["index"]


def overflow_report(screens: list[dict]) -> list[str]:
    """One line per screen taller than its slide area, saying which cell to move to a sub-slide."""
    lines = []
    for screen in screens:
        if screen["height"] <= screen["limit"]:
            continue
        cells = screen["cells"]
        first_out = next((c["index"] for c in cells if c["bottom"] > screen["limit"] + 1), None)
        shown = [c["index"] for c in cells]
        split = split_point(screen)
        if split is not None:
            advice = f'make cell {split} a "subslide"'
        else:
            advice = f"cell {first_out if first_out is not None else '?'} alone is too tall: shorten it or its output"
        lines.append(f"{screen['id']} (cells {shown[0] if shown else '?'}-{shown[-1] if shown else '?'}): "
                     f"{screen['height']} px > {screen['limit']} px; {advice}")
    return lines


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks (default: all of notebooks/)")
    parser.add_argument("--fix", action="store_true", help="rewrap long code lines (in place)")
    parser.add_argument("--screens", action="store_true", help="measure every screen of the RISE deck")
    args = parser.parse_args(argv)
    paths = [Path(p) for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    status = 0
    for path in paths:
        if args.fix:
            changed = rewrap_notebook(path)
            if changed:
                print(f"{path}: rewrapped {changed} code cells; re-execute it: make outputs NB={path}")
        for index, number, length, line in long_code_lines(path):
            status = 1
            print(f"{path}: cell {index} line {number}: {length} > {LINE_LIMIT} characters: {line.strip()[:60]}")
    if args.screens:
        selector = " or ".join(Path(p).stem for p in paths)
        command = [sys.executable, "-m", "pytest", "tests/test_browser.py", "-m", "browser", "-q", "-p", "no:randomly",
                   "-k", f"rise and ({selector})"]
        status |= subprocess.run(command, cwd=ROOT).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
