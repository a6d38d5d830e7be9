"""Check the built docs site (`_docs/`) for what a reader should never meet, and the notebooks for stale outputs.

Fails (exit 1), naming the page and what was found, on:
- a raw progress-bar dump in an output (`12.50% [5/40 ...]`, block characters, `it/s]`);
- a warning, an error or a traceback in an output (any stderr output counts: the docs show results, not noise);
- a path of the machine that built the site (`/work/`, `/root/`, `/home/...`, `/tmp/`, `site-packages`, a venv);
- a figure that did not render (`<Figure size ...>` text instead of the image, or an image file that is missing);
- fewer cells with output on a page than its notebook has (a page that lost what the notebook shows);
- a notebook cell that ends in a bare expression (a name, a subscript, a comparison: something that displays) but has
  no stored output: the notebook was not re-run since the cell was written;
- an output line so long that it is a dump rather than a result (over 1,500 characters; shorter ones wrap).

Usage: python tools/check_site.py [DOCS_DIR] [NBS_DIR]     (defaults: _docs, nbs)
"""
from __future__ import annotations

import ast, json, re, sys
from pathlib import Path

from bs4 import BeautifulSoup

PROGRESS = re.compile(r'\d+\.\d+% \[\d+/\d+|[█▉▊▋▌▍▎▏]{3,}|\d+it/s\]|\bit/s\]')
PROBLEM = re.compile(r'Traceback \(most recent call last\)|\b\w+Warning:|^\s*warn\(', re.M)
ERROR = re.compile(r'\b\w+Error:')                     # in stderr only: a printed message may quote an error on purpose
MACHINE = re.compile(r'(?<![\w.])(/work/|/root/|/home/\w+|/tmp/|/var/folders/)|site-packages')
FIGURE_TEXT = re.compile(r'<Figure size \d+x\d+ with \d+ Axes>')
LONG = 1500                                             # the stylesheet wraps long lines; this is a dump
# cells whose output nbdev does not render
HIDDEN = re.compile(r'^#\|\s*(hide\b|include:\s*false|output:\s*false|eval:\s*false|hide_input)', re.M)


def page_name(nb: Path) -> str:
    "The HTML page nbdev makes of a notebook: its name without the numeric prefix (`13a_gradcam` -> `gradcam.html`)."
    return re.sub(r'^\d+[a-z]?_', '', nb.stem) + '.html'


def rendered_cells(nb: dict) -> list[dict]:
    return [c for c in nb['cells'] if c['cell_type'] == 'code' and not HIDDEN.search(''.join(c['source']))]


def displays(source: str) -> bool:
    "Whether a cell's last statement is a bare expression that always displays a value (not a call, which may return None)."
    try: tree = ast.parse(source)
    except SyntaxError: return False                      # cell magics and the like
    if not tree.body or source.rstrip().endswith(';'): return False
    last = tree.body[-1]
    return isinstance(last, ast.Expr) and isinstance(last.value, (ast.Name, ast.Attribute, ast.Subscript, ast.Tuple,
                                                                 ast.List, ast.Dict, ast.Compare, ast.BinOp, ast.JoinedStr))


def check_notebook(path: Path) -> list[str]:
    nb, found = json.loads(path.read_text()), []
    for i, c in enumerate(rendered_cells(nb)):
        src = ''.join(c['source'])
        if displays(src) and not c.get('outputs'):
            found.append(f"{path.name}: code cell {i + 1} (`{src.strip().splitlines()[-1][:60]}`) displays a value but has no "
                         f"stored output: re-run the notebook (python tools/run_nbs.py {path.as_posix()}, or papermill for a run)")
    return found


def check_page(html: Path, nb: Path | None) -> list[str]:
    soup, found = BeautifulSoup(html.read_text(), 'html.parser'), []
    name = html.name
    outputs = soup.select('div.cell-output')
    for o in outputs:
        text = o.get_text()
        kind = ' '.join(c for c in o.get('class', []) if c.startswith('cell-output-')) or 'cell-output'
        snippet = lambda m: text[max(0, m.start() - 40):m.end() + 40].replace('\n', ' ')
        if 'cell-output-stderr' in o.get('class', []): found.append(f"{name}: stderr output: {text.strip()[:160]!r}")
        if m := PROGRESS.search(text): found.append(f"{name}: progress-bar dump in an output: {snippet(m)!r}")
        if m := PROBLEM.search(text): found.append(f"{name}: warning or traceback in an output ({kind}): {snippet(m)!r}")
        elif 'stderr' in kind and (m := ERROR.search(text)): found.append(f"{name}: an error in an output: {snippet(m)!r}")
        if m := MACHINE.search(text): found.append(f"{name}: a path of the build machine in an output: {snippet(m)!r}")
        if m := FIGURE_TEXT.search(text): found.append(f"{name}: a figure that did not render: {m.group()!r}")
        for line in text.splitlines():
            if len(line) > LONG: found.append(f"{name}: an output line of {len(line)} characters: {line[:80]!r}..."); break
    for img in soup.select('main img, #quarto-document-content img'):
        src = img.get('src', '')
        if src.startswith(('http:', 'https:', 'data:')): continue
        target = (html.parent / src.split('#')[0].split('?')[0]).resolve()
        if not target.exists(): found.append(f"{name}: image {src!r} is missing")
        elif not target.is_relative_to(html.parent.resolve()):
            found.append(f"{name}: image {src!r} lies outside the site, so the published page cannot show it: display it from a code cell")
    main = soup.select_one('main') or soup
    for code in main.select('div.cell > div.sourceCode, div.cell > details, .cell-code'): code.decompose()   # the code is not output
    if m := MACHINE.search(main.get_text()): found.append(f"{name}: a path of the build machine on the page: "
                                                          f"{main.get_text()[max(0, m.start() - 40):m.end() + 40]!r}")
    if nb is not None:
        want = sum(1 for c in rendered_cells(json.loads(nb.read_text())) if c.get('outputs'))
        have = len({id(o.find_parent('div', class_='cell')) for o in outputs})
        if have < want: found.append(f"{name}: {have} cells with output on the page, {want} in {nb.name}")
    return found


def main(docs: Path, nbs: Path) -> list[str]:
    if not docs.is_dir(): sys.exit(f"{docs} does not exist: build the site first (python tools/build_site.py)")
    pages = {page_name(nb): nb for nb in sorted(nbs.glob('*.ipynb'))}
    found = [f for nb in pages.values() for f in check_notebook(nb)]
    htmls = sorted(p for p in docs.glob('*.html') if p.name != '404.html')
    for html in htmls: found += check_page(html, pages.get(html.name))
    missing = sorted(set(pages) - {h.name for h in htmls})
    found += [f"{p}: no page was built for {pages[p].name}" for p in missing]
    print(f"checked {len(htmls)} pages and {len(pages)} notebooks")
    return found


if __name__ == '__main__':
    args = sys.argv[1:]
    found = main(Path(args[0] if args else '_docs'), Path(args[1] if len(args) > 1 else 'nbs'))
    for f in found: print(f"site: {f}")
    print(f"{len(found)} problem(s) found")
    sys.exit(1 if found else 0)
