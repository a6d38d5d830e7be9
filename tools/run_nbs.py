"""Execute library notebooks in place so that the docs site shows what each piece does.

The site renders the outputs a notebook was committed with (it never re-runs them), so a notebook whose demonstration
cells were never run shows code without results. This runs each given notebook top to bottom in a fresh kernel, as
`nbdev-test` does (same flags: cells marked `#| eval: false` are skipped), keeps the outputs, and cleans the
notebook with nbdev's cleaner. The papermill notebooks (`10_train`, `20_evaluate`) are run with papermill instead,
which is what records a run; this tool refuses them.

Usage: python tools/run_nbs.py nbs/02_self_attention.ipynb [more notebooks...]
"""
import sys, time
from pathlib import Path

from nbdev.clean import nbdev_clean
from nbdev.test import test_nb

PAPERMILL = {'10_train.ipynb', '20_evaluate.ipynb', '22_compare.ipynb', '40_compress.ipynb'}


def run(path: Path) -> float:
    "Run `path` as nbdev-test does and, if every cell passes, write its outputs back and clean it."
    if path.name in PAPERMILL: sys.exit(f"{path} is a papermill notebook: run it with papermill (see README, 'Train and evaluate')")
    path = path.resolve()                       # nbdev runs the notebook from its own folder
    ok, secs = test_nb(path, save=True)
    if not ok: sys.exit(f"{path} failed: its outputs were not written (the error is above)")
    nbdev_clean(fname=str(path))
    return secs


if __name__ == '__main__':
    paths = [Path(p) for p in sys.argv[1:]]
    if not paths: sys.exit(__doc__)
    for p in paths:
        if not p.exists(): sys.exit(f"no such notebook: {p}")
    for p in paths: print(f"{p}: executed in {run(p):.0f}s", flush=True)
