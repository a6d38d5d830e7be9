"""Write README.md from nbs/index.ipynb (what `nbdev-readme` does with Quarto, for machines without it).

usage: python tools/make_readme.py [--check]   (--check: exit 1 if README.md is not what index.ipynb gives)
Markdown cells are copied, code cells become ```python blocks with nbdev directives removed, text outputs follow
as plain blocks; cells marked `#| hide` are left out.
"""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]
nb = json.loads((root / 'nbs' / 'index.ipynb').read_text())
src = lambda c: ''.join(c['source'])
parts = ['<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->']
for c in nb['cells']:
    text = src(c).strip()
    lines = text.splitlines()
    if any(l.strip() in ('#| hide', '#|hide') for l in lines): continue
    if c['cell_type'] == 'markdown': parts.append(text); continue
    if c['cell_type'] != 'code': continue
    code = '\n'.join(l for l in lines if not l.startswith('#|')).strip()
    if code: parts.append(f"```python\n{code}\n```")
    for o in c.get('outputs', []):
        out = ''.join(o.get('text') or o.get('data', {}).get('text/plain', '')).rstrip()
        if out: parts.append(f"```\n{out}\n```")
readme = '\n\n'.join(parts) + '\n'
path = root / 'README.md'
if '--check' in sys.argv:
    if not path.exists() or path.read_text() != readme: sys.exit('README.md differs from what nbs/index.ipynb gives')
else: path.write_text(readme)
