"""Training-step memory per model size: the figures behind SETUP.md's GPU memory guidance.

A measurement, not a test. For each preset (as a user gets it: ViTConfig's default dropouts), the peak memory of a
full AdamW training step (fp32, 224 px, 196 classes) is measured at two batch sizes, with and without gradient
checkpointing, with vitcars.benchmark.peak_memory (on a CPU: resident state plus the measured peak growth of a
steady-state step; with --device cuda: the allocator's peak). It is then split as peak = fixed + batch * per_image.
The fixed part is the fit's intercept, but at least 16 bytes per parameter (weights, gradients and two AdamW moments
in fp32): at small batches the peak can fall in the optimiser step instead of the backward pass, which pulls the
intercept down. Writes bench/results/memory_guidance_<device>.{json,md}; --render-only rebuilds the .md from the .json.
"""
import argparse, json, math, platform
from datetime import datetime, timezone
from pathlib import Path

import torch
import yaml

from vitcars.benchmark import peak_memory
from vitcars.config import preset_config
from vitcars.models import create_model

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--presets', nargs='+', help="preset names, optionally with overrides: 'vit_base_patch16_224:attention_dropout=0'",
               default=['vit_tiny_patch16_224', 'vit_small_patch16_224', 'vit_base_patch16_224', 'vit_base_patch16_224:attention_dropout=0',
                        'vit_large_patch16_224', 'hvit_small_patch8_224'])
p.add_argument('--batches', nargs=2, type=int, default=[4, 12])
p.add_argument('--device', default='cpu')
p.add_argument('--gpu-gb', nargs='+', type=float, default=[16, 24, 40, 80])
p.add_argument('--render-only', action='store_true', help='rebuild the table from the saved JSON without measuring')
args = p.parse_args()
out = Path(__file__).parent / 'results' / f'memory_guidance_{args.device}'

def parse(entry: str):
    "'name:field=value,field=value' -> (name, overrides); values are read as YAML scalars."
    name, _, rest = entry.partition(':')
    return name, {k: yaml.safe_load(v) for k, v in (kv.split('=') for kv in rest.split(',') if kv)}

def measure() -> tuple[dict, list[dict]]:
    rows = []
    for entry in args.presets:
        name, overrides = parse(entry)
        cfg = preset_config(name, num_classes=196, **overrides)
        spec = dict(lib='vitcars', config=cfg.to_dict())
        params = sum(p.numel() for p in create_model(cfg).parameters())
        for ckpt in (False, True):
            peaks = {b: peak_memory(spec, 'train', b, cfg.img_hw, 196, args.device, grad_checkpointing=ckpt) / 2**20 for b in args.batches}
            rows.append(dict(model=entry, grad_checkpointing=ckpt, params=params, peak_mb=peaks))
            print(json.dumps(rows[-1]), flush=True)
    meta = dict(date=datetime.now(timezone.utc).isoformat(timespec='seconds'), torch=torch.__version__, device=args.device,
                machine=platform.machine(), batches=args.batches)
    return meta, rows

def derive(row: dict) -> dict:
    (b1, m1), (b2, m2) = sorted((int(b), m) for b, m in row['peak_mb'].items())
    per_image = (m2 - m1) / (b2 - b1)
    fixed = max(m1 - b1 * per_image, 16 * row['params'] / 2**20)
    return dict(per_image_mb=per_image, fixed_mb=fixed,
                max_batch={f"{g:g}GB": max(0, math.floor((g * 1024 * 0.9 - fixed) / per_image)) for g in args.gpu_gb})

if args.render_only: meta, rows = (d := json.loads(out.with_suffix('.json').read_text()))['meta'], d['rows']
else:
    meta, rows = measure()
    out.with_suffix('.json').write_text(json.dumps(dict(meta=meta, rows=rows), indent=1))
b1, b2 = meta['batches']
lines = [f"# Training-step memory per model size ({meta['device']}, fp32, 224 px, AdamW, 196 classes)", '',
         f"Measured {meta['date']}, torch {meta['torch']}. Fixed and per-image parts from peak = fixed + batch x per-image "
         f"fitted on batches {b1} and {b2} (fixed at least 16 bytes per parameter); max batch leaves 10% of the GPU's memory free.", '',
         f"| model | params (M) | grad. checkpointing | peak MB at {b1} | peak MB at {b2} | fixed (MB) | per image (MB) | "
         + ' | '.join(f"max batch {g:g} GB" for g in args.gpu_gb) + ' |',
         '|---|---:|---|---:|---:|---:|---:|' + '---:|' * len(args.gpu_gb)]
for r in rows:
    d, peaks = derive(r), [m for _, m in sorted((int(b), m) for b, m in r['peak_mb'].items())]
    lines.append(f"| {r['model']} | {r['params'] / 1e6:.1f} | {'yes' if r['grad_checkpointing'] else 'no'} | {peaks[0]:,.0f} | {peaks[1]:,.0f} | "
                 f"{d['fixed_mb']:,.0f} | {d['per_image_mb']:,.1f} | " + ' | '.join(str(v) for v in d['max_batch'].values()) + ' |')
out.with_suffix('.md').write_text('\n'.join(lines) + '\n')
print('\n'.join(lines))
