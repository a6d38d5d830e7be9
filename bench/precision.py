"""fp32 against bf16 autocast on this CPU: training and inference images/s of the default digits model, ViT-Ti/16 and
ViT-S/16 at 224 px, and what `precision='auto'` chooses for each.

A measurement, not a test. Training: `vitcars.learner.precision_speeds` (a copy of the model, AdamW steps on a fixed
random batch, warm-up excluded, the fastest step) — the same measurement `precision='auto'` makes before a run.
Inference: the fastest of three forward passes under `torch.inference_mode`. Large steps on a CPU allocate gigabytes
and page-fault erratically (the same fp32 step of ViT-S/16 took 12 s and 25 s), hence the fastest step, not the mean. One process, every core this process may use, the two precisions interleaved, median of
--repeats. Writes bench/results/precision_cpu.{json,md}.
"""
import argparse, json, platform, statistics, time
from datetime import datetime, timezone
from pathlib import Path

import torch

from vitcars.benchmark import make_step, time_step
from vitcars.config import ViTConfig, preset_config
from vitcars.learner import BF16_MARGIN, choose_precision, native_bf16, precision_speeds
from vitcars.runs import available_cpus
from vitcars.models import create_model

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--batch', type=int, default=32, help='batch size of the 224-px models (the digits model uses its config\'s)')
p.add_argument('--repeats', type=int, default=3)
args = p.parse_args()
torch.set_num_threads(available_cpus())

models = {'digits_quick (32 px)': ViTConfig.from_yaml('configs/experiment_configs/digits_quick.yaml'),
          'vit_tiny_patch16_224': preset_config('vit_tiny_patch16_224', batch_size=args.batch),
          'vit_small_patch16_224': preset_config('vit_small_patch16_224', batch_size=args.batch)}
rows = []
for name, cfg in models.items():
    torch.manual_seed(0)
    model = create_model(cfg)
    train = {'fp32': [], 'bf16': []}; infer = {'fp32': [], 'bf16': []}
    steps = {k: make_step(model, 'infer', cfg.batch_size, cfg.img_hw, cfg.num_classes, 'cpu', d) for k, d in (('fp32', None), ('bf16', torch.bfloat16))}
    for _ in range(args.repeats):
        s = precision_speeds(model, cfg, torch.device('cpu'), seconds=1.0 if cfg.image_size == 224 else 0.5)
        for k in train: train[k].append(s[k])
        for k, st in steps.items(): infer[k].append(cfg.batch_size / min(time_step(st, steps=1, warmup=1 if j == 0 else 0) for j in range(3)))
    med = lambda d: {k: round(statistics.median(v), 1) for k, v in d.items()}
    t, i = med(train), med(infer)
    choice = choose_precision(cfg.override(precision='auto'), torch.device('cpu'), model)
    rows.append(dict(model=name, batch=cfg.batch_size, train=t, infer=i, train_ratio=round(t['bf16'] / t['fp32'], 2),
                     infer_ratio=round(i['bf16'] / i['fp32'], 2), auto=choice['precision']))
    print(json.dumps(rows[-1]), flush=True)
out = dict(date=datetime.now(timezone.utc).isoformat(timespec='seconds'), machine=platform.processor() or platform.machine(),
           threads=torch.get_num_threads(), native_bf16=native_bf16(), margin=BF16_MARGIN, rows=rows)
res = Path(__file__).parent / 'results'; res.mkdir(exist_ok=True)
(res / 'precision_cpu.json').write_text(json.dumps(out, indent=1) + '\n')
md = [f"# fp32 and bf16 autocast on the CPU ({out['threads']} threads, native bf16: {'yes' if out['native_bf16'] else 'no'})", '',
      f"Measured {out['date']} with `python bench/precision.py`; images/s, median of {args.repeats}. `auto` is what "
      f"`precision='auto'` chose for the model at that batch (bf16 when it trains at least {BF16_MARGIN}x faster). The 224-px "
      "models are the presets with vitcars' default regularisation (dropout and attention dropout 0.1; with attention dropout "
      "PyTorch's CPU attention leaves its flash kernel, which is why their absolute rates are low).", '',
      '| model | batch | train fp32 | train bf16 | bf16/fp32 | infer fp32 | infer bf16 | bf16/fp32 | auto |', '|---|---:|---:|---:|---:|---:|---:|---:|---|']
md += [f"| {r['model']} | {r['batch']} | {r['train']['fp32']} | {r['train']['bf16']} | {r['train_ratio']}x | {r['infer']['fp32']} | "
       f"{r['infer']['bf16']} | {r['infer_ratio']}x | {r['auto']} |" for r in rows]
(res / 'precision_cpu.md').write_text('\n'.join(md) + '\n')
print('\n'.join(md))
