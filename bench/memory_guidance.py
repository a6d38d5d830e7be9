"""Training-step memory per model size: the figures behind SETUP.md's GPU memory guidance.

A measurement, not a test. For each preset, the peak memory of a full AdamW training step (fp32, 224 px) is measured
at two batch sizes, with and without gradient checkpointing, and split into a fixed part (weights, gradients,
optimiser state, workspace) and a per-image part (activations): peak = fixed + batch * per_image. On a CPU the figure
is the measuring process's peak RSS growth (vitcars.benchmark.peak_memory); on a GPU (--device cuda) it is the
allocator's peak. Writes bench/results/memory_guidance_<device>.{json,md}.
"""
import argparse, json, math, platform
from datetime import datetime, timezone
from pathlib import Path

import torch

from vitcars.benchmark import peak_memory
from vitcars.config import preset_config
from vitcars.vit import create_model

p = argparse.ArgumentParser(description=__doc__)
p.add_argument('--presets', nargs='+', default=['vit_tiny_patch16_224', 'vit_small_patch16_224', 'vit_base_patch16_224',
                                                'vit_large_patch16_224', 'hvit_small_patch8_224'])
p.add_argument('--batches', nargs=2, type=int, default=[4, 12])
p.add_argument('--device', default='cpu')
p.add_argument('--gpu-gb', nargs='+', type=float, default=[16, 24, 40, 80])
args = p.parse_args()
out = Path(__file__).parent / 'results'

rows = []
for name in args.presets:
    cfg = preset_config(name, num_classes=196)
    spec = dict(lib='vitcars', config=cfg.to_dict())
    for ckpt in (False, True):
        b1, b2 = args.batches
        m1, m2 = (peak_memory(spec, 'train', b, cfg.img_hw, 196, args.device, grad_checkpointing=ckpt) / 2**20 for b in (b1, b2))
        per_image = (m2 - m1) / (b2 - b1)
        fixed = m1 - b1 * per_image
        row = dict(model=name, grad_checkpointing=ckpt, params_m=sum(p.numel() for p in create_model(cfg).parameters()) / 1e6,
                   peak_mb={b1: m1, b2: m2}, fixed_mb=fixed, per_image_mb=per_image,
                   max_batch={f"{g:g}GB": max(0, math.floor((g * 1024 * 0.9 - fixed) / per_image)) for g in args.gpu_gb})
        rows.append(row)
        print(json.dumps(row), flush=True)

meta = dict(date=datetime.now(timezone.utc).isoformat(timespec='seconds'), torch=torch.__version__, device=args.device,
            machine=platform.machine(), args=vars(args))
(out / f'memory_guidance_{args.device}.json').write_text(json.dumps(dict(meta=meta, rows=rows), indent=1))
lines = [f"# Training-step memory per model size ({args.device}, fp32, 224 px, AdamW, 196 classes)", '',
         f"Measured {meta['date']}, torch {meta['torch']}; peak = fixed + batch x per-image, fitted on batches {args.batches}. "
         "Max batch leaves 10% of the GPU's memory free.", '',
         '| model | params (M) | grad. checkpointing | fixed (MB) | per image (MB) | ' + ' | '.join(f"max batch {g:g} GB" for g in args.gpu_gb) + ' |',
         '|---|---:|---|---:|---:|' + '---:|' * len(args.gpu_gb)]
for r in rows:
    lines.append(f"| {r['model']} | {r['params_m']:.1f} | {'yes' if r['grad_checkpointing'] else 'no'} | {r['fixed_mb']:,.0f} | "
                 f"{r['per_image_mb']:,.1f} | " + ' | '.join(str(v) for v in r['max_batch'].values()) + ' |')
(out / f'memory_guidance_{args.device}.md').write_text('\n'.join(lines) + '\n')
print('\n'.join(lines))
