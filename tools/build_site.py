"""Build the docs site with `nbdev-docs` and fail on anything Quarto warns about.

`nbdev-docs` renders the pages in parallel Quarto processes and keeps their messages to itself unless one fails, so a
page can build with a warning nobody sees (math that cannot be converted, a missing image, a broken cross-reference).
This runs the same `nbdev-docs`, keeps every Quarto process's messages, prints the warnings, and exits 1 if there are
any. Quarto must be on PATH (`bash ../shared/tools/quarto/build.sh` builds one and prints its path).

Usage: python tools/build_site.py            (then: python tools/check_site.py)
"""
import re, shutil, subprocess, sys

import nbdev.quarto as quarto
import nbdev.quarto_render as quarto_render

messages: list[str] = []


def _quarto(path, *args):
    "nbdev's Quarto call, keeping stderr (where Quarto writes its warnings)."
    res = subprocess.run(['quarto', *map(str, args)], cwd=path, capture_output=True, text=True)
    messages.append(res.stderr)
    if res.returncode: raise RuntimeError(res.stderr or res.stdout or f'Quarto exited with status {res.returncode}')
    return res.stdout


def warnings_in(text: str) -> list[str]:
    "Quarto's WARN/ERROR lines, each with the line after it (where Quarto names the file or the math)."
    lines = re.sub(r'\x1b\[[0-9;]*m', '', text).splitlines()
    return [' | '.join(lines[i:i + 2]).strip() for i, l in enumerate(lines) if re.match(r'\s*\[?(WARN|WARNING|ERROR)\b', l)]


if __name__ == '__main__':
    if not shutil.which('quarto'): sys.exit("quarto is not on PATH: run `bash ../shared/tools/quarto/build.sh` and put the folder "
                                            "of the path it prints on PATH")
    quarto_render._quarto = _quarto
    if hasattr(quarto, '_quarto'): quarto._quarto = _quarto
    quarto.nbdev_docs.__wrapped__()
    found = sorted({w for m in messages for w in warnings_in(m)})
    for w in found: print(f"quarto: {w}")
    print(f"site built: {len(found)} Quarto warning(s)")
    sys.exit(1 if found else 0)
