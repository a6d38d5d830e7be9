"""int8 on the CPU: latency and throughput of ViT-S/16 at 224 px, fp32 vs the int8 variants of vitcars.quantize.

A measurement, not a test. One model (our ViT with vit_small_patch16_224's architecture, random weights: speed does not
depend on them) in five forms, measured side by side in this one process on the same images: PyTorch fp32, PyTorch
dynamic int8, ONNX Runtime fp32 and ONNX Runtime dynamic and static (QDQ) int8 of the same export. For each batch size
(1 and 32) the forms are timed in turn, round after round (interleaved, so all see the same machine noise); each
figure is the median over --repeats rounds. Ratios are against PyTorch fp32 measured in the same run. Threads: all
forms use --threads (PyTorch's intra-op threads and ONNX Runtime's intra-op threads alike). ONNX Runtime's threads do not
spin between calls (vitcars.export.ort_session's default): spinning threads hold the cores after a call and slow whatever is
timed next, the PyTorch forms included (with spinning on, an earlier run of this script had PyTorch fp32 slower and ONNX
Runtime dynamic int8 at 2.0x where it is now at 2.1-2.4x, and PyTorch dynamic int8 at 1.6-1.8x where it is now 2.1-2.5x).
Accuracy is not measured here (random weights): nbs/39_quantize.ipynb measures it on a trained model.

Writes bench/results/quantize_cpu.json and .md.   Usage: python bench/quantize_cpu.py [--threads 2] [--repeats 7]
"""
import argparse, json, platform, statistics, tempfile, time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import onnxruntime
import torch

from vitcars.export import export_onnx, ort_session
from vitcars.models import vit_small_patch16_224
from vitcars.quantize import quantize_onnx_dynamic, quantize_onnx_static, quantize_torch_dynamic

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--threads', type=int, default=2)
p.add_argument('--batches', type=int, nargs='+', default=[1, 32])
p.add_argument('--repeats', type=int, default=7)
p.add_argument('--calibration', type=int, default=64, help='images for the static quantization (random: speed only)')
p.add_argument('--name', default='quantize_cpu')
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)
model = vit_small_patch16_224(num_classes=196).eval()
tmp = Path(tempfile.mkdtemp())
fp32 = export_onnx(model, tmp / 'fp32.onnx')
files = {'ONNX Runtime fp32': fp32, 'ONNX Runtime dynamic int8': quantize_onnx_dynamic(fp32, tmp / 'dyn.onnx'),
         'ONNX Runtime static int8 (QDQ)': quantize_onnx_static(fp32, tmp / 'static.onnx', torch.randn(args.calibration, 3, 224, 224))}
qtorch = quantize_torch_dynamic(model)
sessions = {k: ort_session(f, threads=args.threads) for k, f in files.items()}
runners = {'PyTorch fp32': lambda x: model(torch.from_numpy(x)), 'PyTorch dynamic int8': lambda x: qtorch(torch.from_numpy(x)),
           **{k: (lambda x, s=s: s.run(['logits'], {'images': x})) for k, s in sessions.items()}}
sizes = {'PyTorch fp32': sum(t.numel() * t.element_size() for t in model.state_dict().values()) / 2**20,
         **{k: f.stat().st_size / 2**20 for k, f in files.items()}}

rows = []
for b in args.batches:
    x = np.random.default_rng(0).standard_normal((b, 3, 224, 224), dtype=np.float32)
    steps = max(1, 8 // b)                               # a timing covers several calls at batch 1
    times = {k: [] for k in runners}
    with torch.inference_mode():
        for f in runners.values(): f(x)                  # warm up every form first
        for _ in range(args.repeats):
            for k, f in runners.items():
                t0 = time.perf_counter()
                for _ in range(steps): f(x)
                times[k].append((time.perf_counter() - t0) / steps)
    ref = statistics.median(times['PyTorch fp32'])
    for k, t in times.items():
        med = statistics.median(t)
        rows.append(dict(form=k, batch=b, ms_per_batch=med * 1e3, images_per_s=b / med, speedup_vs_torch_fp32=ref / med,
                         spread_ms=[min(t) * 1e3, max(t) * 1e3], size_mb=sizes.get(k)))

meta = dict(measured=datetime.now(timezone.utc).isoformat(timespec='seconds'), torch=torch.__version__, onnxruntime=onnxruntime.__version__,
            threads=args.threads, repeats=args.repeats, cpu=platform.processor() or platform.machine(), model='vit_small_patch16_224 (vitcars), 224 px')
out = Path(__file__).parent / 'results'; out.mkdir(exist_ok=True)
(out / f'{args.name}.json').write_text(json.dumps(dict(meta=meta, rows=rows), indent=1) + '\n')
lines = [f"# int8 on the CPU — ViT-S/16 at 224 px", '',
         f"Measured {meta['measured']} with torch {meta['torch']}, onnxruntime {meta['onnxruntime']}, {args.threads} threads, "
         f"median of {args.repeats} interleaved rounds (spread: fastest and slowest). Speed-up: PyTorch fp32's time over the form's, same run.", '',
         '| form | batch | ms per batch (spread) | images/s | speed-up vs PyTorch fp32 | weights MB |', '|---|---:|---:|---:|---:|---:|']
for r in rows:
    lines.append(f"| {r['form']} | {r['batch']} | {r['ms_per_batch']:.1f} ({r['spread_ms'][0]:.1f}–{r['spread_ms'][1]:.1f}) | {r['images_per_s']:.1f} | "
                 f"{r['speedup_vs_torch_fp32']:.2f} | {r['size_mb']:.1f} |" if r['size_mb'] is not None else
                 f"| {r['form']} | {r['batch']} | {r['ms_per_batch']:.1f} ({r['spread_ms'][0]:.1f}–{r['spread_ms'][1]:.1f}) | {r['images_per_s']:.1f} | "
                 f"{r['speedup_vs_torch_fp32']:.2f} | — |")
(out / f'{args.name}.md').write_text('\n'.join(lines) + '\n')
print('\n'.join(lines))
