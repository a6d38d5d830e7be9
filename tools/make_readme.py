"""Write README.md from nbs/index.ipynb (what `nbdev-readme` does with Quarto, for machines without it).

usage: python tools/make_readme.py [--check]   (--check: exit 1 if README.md is not what index.ipynb gives)
Markdown cells are copied (image links relative to nbs/ made relative to the repository), code cells become ```python
blocks with nbdev directives removed, text outputs follow as plain blocks, and image outputs are written as PNG files
under nbs/images/readme/ and shown (not their `<Figure size ...>` text); cells marked `#| hide` are left out.
"""
import base64, json, re, sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]
nb = json.loads((root / 'nbs' / 'index.ipynb').read_text())
src = lambda c: ''.join(c['source'])
figures = root / 'nbs' / 'images' / 'readme'
parts, images = ['<!-- Generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, not this file. -->'], {}
# a markdown image or link to a file beside the notebooks points into nbs/ from the repository's root
local = re.compile(r'(!?\[[^\]]*\]\()(?!https?:|#|/|\.\./)([^)\s]+)\)')
for c in nb['cells']:
    text = src(c).strip()
    lines = text.splitlines()
    if any(l.strip() in ('#| hide', '#|hide') for l in lines): continue
    if c['cell_type'] == 'markdown': parts.append(local.sub(lambda m: f"{m[1]}nbs/{m[2]})", text)); continue
    if c['cell_type'] != 'code': continue
    code = '\n'.join(l for l in lines if not l.startswith('#|')).strip()
    if code: parts.append(f"```python\n{code}\n```")
    for o in c.get('outputs', []):
        data = o.get('data', {})
        if 'image/png' in data:
            name = f"output-{len(images) + 1}.png"
            images[name] = base64.b64decode(''.join(data['image/png']))
            parts.append(f"![output of the cell above](nbs/images/readme/{name})"); continue
        out = ''.join(o.get('text') or data.get('text/plain', '')).rstrip()
        if out: parts.append(f"```\n{out}\n```")
readme = '\n\n'.join(parts) + '\n'
path = root / 'README.md'
if '--check' in sys.argv:
    stale = [n for n, b in images.items() if not (figures / n).exists() or (figures / n).read_bytes() != b]
    if not path.exists() or path.read_text() != readme: sys.exit('README.md differs from what nbs/index.ipynb gives')
    if stale: sys.exit(f"README.md's figures {stale} differ from the notebook's outputs")
else:
    figures.mkdir(parents=True, exist_ok=True)
    for old in figures.glob('output-*.png'):
        if old.name not in images: old.unlink()
    for n, b in images.items(): (figures / n).write_bytes(b)
    path.write_text(readme)
