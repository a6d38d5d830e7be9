"""vitcars ViT vs timm VisionTransformer: images/s and peak memory at identical configurations.

A measurement, not a test. Each vitcars model is built with `vitcars.vit.from_timm` from the timm model it is
compared with, so architecture and weights are identical. The two libraries' timings are interleaved (timm, vitcars,
timm, vitcars, ...) so that both see the same machine noise, and each figure is the median of `--repeats` timings.
Writes bench/results/<name>.json and .md with the ratios vitcars / timm (> 1: vitcars faster or, for memory, larger).

CPU (the issue's rows):    python bench/vit_vs_timm.py
GPU (ViT-B/16 bf16 train): python bench/vit_vs_timm.py --device cuda --dtype bf16 --presets vit_base_patch16_224 \
                              --batch 256 --tasks train --modes eager compile --peak-tflops 989 --name vit_vs_timm_gpu
"""
import argparse, json, platform, statistics, time
from datetime import datetime, timezone
from pathlib import Path

import timm
import torch

from vitcars.benchmark import make_step, peak_memory, time_step
from vitcars.counts import count_flops
from vitcars.pretrained import from_timm, timm_config

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--presets', nargs='+', default=['vit_tiny_patch16_224', 'vit_small_patch16_224'])
p.add_argument('--batch', type=int, default=32)
p.add_argument('--tasks', nargs='+', default=['infer', 'train'], choices=['infer', 'train'])
p.add_argument('--modes', nargs='+', default=['eager', 'compile'], choices=['eager', 'compile'])
p.add_argument('--device', default='cpu')
p.add_argument('--dtype', default='fp32', choices=['fp32', 'bf16', 'fp16'])
p.add_argument('--repeats', type=int, default=5, help='timings per library and row (median reported)')
p.add_argument('--steps', type=int, default=2, help='steps per timing')
p.add_argument('--no-memory', action='store_true')
p.add_argument('--memory-repeats', type=int, default=3, help='peak-memory measurements per library and row (median reported)')
p.add_argument('--peak-tflops', type=float, default=None, help="the device's peak dense FLOP/s in TFLOP/s at --dtype")
p.add_argument('--name', default='vit_vs_timm_cpu')
args = p.parse_args()
amp = {'fp32': None, 'bf16': torch.bfloat16, 'fp16': torch.float16}[args.dtype]
out = Path(__file__).parent / 'results'
out.mkdir(exist_ok=True)

rows = []
for name in args.presets:
    torch.manual_seed(0)
    ref = timm.create_model(name, pretrained=False)
    cfg = timm_config(ref)
    img = cfg.img_hw
    specs = {'timm': dict(lib='timm', name=name), 'vitcars': dict(lib='vitcars', config=cfg.to_dict())}
    for mode in args.modes:
        for task in args.tasks:
            models = {'timm': timm.create_model(name, pretrained=False)}
            models['vitcars'] = from_timm(models['timm'])
            if mode == 'compile': models = {k: torch.compile(m) for k, m in models.items()}
            steps = {k: make_step(m, task, args.batch, img, cfg.num_classes, args.device, amp) for k, m in models.items()}
            t0 = time.time()
            for s in steps.values(): time_step(s, steps=1, warmup=2, device=args.device)   # compile and warm up both first
            times = {k: [] for k in steps}
            for _ in range(args.repeats):
                for k, s in steps.items(): times[k].append(time_step(s, steps=args.steps, warmup=0, device=args.device))
            ips = {k: args.batch / statistics.median(v) for k, v in times.items()}
            row = dict(model=name, mode=mode, task=task, batch=args.batch, device=args.device, dtype=args.dtype,
                       timm_img_s=ips['timm'], vitcars_img_s=ips['vitcars'], speed_ratio=ips['vitcars'] / ips['timm'],
                       timm_spread=[min(times['timm']), max(times['timm'])],
                       vitcars_spread=[min(times['vitcars']), max(times['vitcars'])])
            if args.peak_tflops:
                flops = count_flops(cfg) * (3 if task == 'train' else 1)    # backward ~ 2x forward
                row['vitcars_frac_of_peak'] = flops * ips['vitcars'] / (args.peak_tflops * 1e12)
                row['timm_frac_of_peak'] = flops * ips['timm'] / (args.peak_tflops * 1e12)
            if not args.no_memory:   # median of --memory-repeats fresh-process measurements: RSS figures vary by a few %
                mem = {k: statistics.median(peak_memory(sp, task, args.batch, img, cfg.num_classes, args.device,
                                                        compile=mode == 'compile', amp_dtype=amp) / 2**20
                                            for _ in range(args.memory_repeats)) for k, sp in specs.items()}
                row.update(timm_peak_mb=mem['timm'], vitcars_peak_mb=mem['vitcars'], memory_ratio=mem['vitcars'] / mem['timm'])
            rows.append(row)
            print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}), f"({time.time() - t0:.0f}s)", flush=True)
            del models, steps

meta = dict(date=datetime.now(timezone.utc).isoformat(timespec='seconds'), torch=torch.__version__, timm=timm.__version__,
            machine=platform.machine(), processor=platform.processor() or platform.machine(),
            cpu_threads=torch.get_num_threads(),
            gpu=torch.cuda.get_device_name() if torch.cuda.is_available() else None, args=vars(args))
(out / f'{args.name}.json').write_text(json.dumps(dict(meta=meta, rows=rows), indent=1))
lines = [f"# vitcars vs timm — {args.device}, {args.dtype}, batch {args.batch}", '',
         f"Measured {meta['date']} with torch {meta['torch']}, timm {meta['timm']}, {meta['cpu_threads']} CPU threads"
         + (f", GPU {meta['gpu']}" if meta['gpu'] else '') + f". Median of {args.repeats} interleaved timings of {args.steps} steps.",
         'Spread: the fastest and slowest of the timings, in images/s, to show how much a ratio can move between runs. '
         'Peak memory: weights and optimiser state plus the measured peak growth of a steady-state step '
         f"(vitcars.benchmark.peak_memory), median of {args.memory_repeats} fresh processes.", '',
         '| model | mode | task | timm img/s (spread) | vitcars img/s (spread) | speed vitcars/timm | timm peak MB | vitcars peak MB | memory vitcars/timm |',
         '|---|---|---|---:|---:|---:|---:|---:|---:|']
spread = lambda t: f"{args.batch / max(t):.1f}–{args.batch / min(t):.1f}"
for r in rows:
    lines.append(f"| {r['model']} | {r['mode']} | {r['task']} | {r['timm_img_s']:.1f} ({spread(r['timm_spread'])}) | "
                 f"{r['vitcars_img_s']:.1f} ({spread(r['vitcars_spread'])}) | {r['speed_ratio']:.3f} | "
                 f"{r.get('timm_peak_mb', float('nan')):,.0f} | {r.get('vitcars_peak_mb', float('nan')):,.0f} | "
                 f"{r.get('memory_ratio', float('nan')):.3f} |")
if args.peak_tflops:
    lines += ['', f"Fraction of the device's peak {args.dtype} FLOP/s ({args.peak_tflops:g} TFLOP/s), counting a training step "
              "as 3x the forward FLOPs of vitcars.vit.count_flops:", '']
    lines += [f"- {r['model']} {r['mode']} {r['task']}: vitcars {r['vitcars_frac_of_peak']:.1%}, timm {r['timm_frac_of_peak']:.1%}" for r in rows]
(out / f'{args.name}.md').write_text('\n'.join(lines) + '\n')
print('\n'.join(lines))
