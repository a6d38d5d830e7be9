"""Process the docs notebooks for Quarto exactly as `nbdev-proc-nbs` does, also where Quarto is not installed.

`nbdev-proc-nbs` starts by downloading Quarto when it is missing; processing the notebooks does not need it, so here
that step is skipped. Fails (exit 1) if any notebook does not process or a page the site links to is missing.
"""
import shutil, sys
from pathlib import Path
from unittest import mock

import nbdev.quarto as quarto
from nbdev.config import get_config

cfg = get_config()
with mock.patch.object(quarto, '_ensure_quarto', lambda: None) if not shutil.which('quarto') else mock.MagicMock():
    quarto.nbdev_proc_nbs.__wrapped__(n_workers=0)
proc = cfg.config_path / '_proc'
nbs = sorted(p.relative_to(cfg.nbs_path) for p in cfg.nbs_path.glob('*.ipynb'))
missing = [str(p) for p in nbs if not (proc / p).exists()]
for f in ('_quarto.yml', 'nbdev.yml', 'sidebar.yml'):
    if not (proc / f).exists(): missing.append(f)
if missing: sys.exit(f"not produced by nbdev-proc-nbs: {missing}")
print(f"{len(nbs)} notebooks processed into {proc}")
