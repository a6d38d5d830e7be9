"""Write the architecture figures the README embeds, from `vitcars.viz` (see nbs/04b_diagram.ipynb).

usage: python tools/make_diagrams.py [--out FOLDER]   (default FOLDER: nbs/images)
Writes architecture_vit_b16.png (the ViTConfig defaults, ViT-B/16 at 224 px), architecture_hierarchical.png
(configs/experiment_configs/hierarchical_small.yaml, the hierarchical model for Stanford Cars) and attention_head.png
(one head of ViT-B/16). Each is written atomically; an unchanged figure gives the same bytes.
"""
import argparse
from pathlib import Path

from vitcars.config import ViTConfig
from vitcars.viz import architecture_diagram, attention_head_diagram, save_diagram

root = Path(__file__).resolve().parents[1]
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument('--out', type=Path, default=root / 'nbs' / 'images', help='folder to write the PNGs to')
out = parser.parse_args().out

b16 = ViTConfig()
hierarchical = ViTConfig.from_yaml(root / 'configs' / 'experiment_configs' / 'hierarchical_small.yaml')
figures = {'architecture_vit_b16.png': architecture_diagram(b16, name='ViT-B/16'),
           'architecture_hierarchical.png': architecture_diagram(hierarchical, name='Hierarchical ViT (hierarchical_small.yaml)'),
           'attention_head.png': attention_head_diagram(b16)}
for name, fig in figures.items(): print(save_diagram(fig, out / name))
