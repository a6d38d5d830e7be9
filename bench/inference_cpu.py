"""Inference on the CPU: PyTorch eager fp32 and bf16 autocast, torch.compile, ONNX Runtime fp32 and dynamic int8, side by side.

A measurement, not a test. Three models — the quick start's trained digits run (results/digits_quick, 32 px) and our ViT
with the architectures of ViT-Ti/16 and ViT-S/16 at 224 px (random weights: speed does not depend on them) — each in five
forms, measured in this one process on the same inputs, the forms interleaved round after round so that all see the same
machine noise. Latency at batch 1: every call timed on its own, median and 90th percentile over all rounds; throughput at
batch 32: the median round. Ratios are against PyTorch eager fp32 measured in the same run. ONNX Runtime's threads do not
spin between calls (vitcars.export.ort_session), so they leave the cores to the next form. Accuracy (digits only, its 360
test images): each form's top-1 against the labels, to show what int8 and bf16 cost. Memory: the weights' size in each form
(MB); peak activation memory is bench/memory_guidance.py's subject, not measured here.

Writes bench/results/inference_cpu.json and .md.   Usage: python bench/inference_cpu.py [--threads 2] [--repeats 5]
"""
import argparse, json, platform, statistics, tempfile, time, warnings
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import onnxruntime
import torch

from vitcars.config import ViTConfig, preset_config
from vitcars.data import load_image_dataset
from vitcars.export import export_onnx, ort_session
from vitcars.loading import dataloaders, eval_dataloader
from vitcars.models import create_model
from vitcars.quantize import quantize_onnx_dynamic
from vitcars.runs import load_run_model, project_path, read_config

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--threads', type=int, default=2)
p.add_argument('--repeats', type=int, default=5)
p.add_argument('--calls', type=int, default=10, help='single-image calls timed per round at batch 1')
p.add_argument('--name', default='inference_cpu')
args = p.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)
warnings.filterwarnings('ignore')
tmp = Path(tempfile.mkdtemp())

def forms(model, name, hw):
    "The five forms of `model` as callables on a float32 numpy batch, and each form's weights in MB."
    model = model.eval()
    fp32 = export_onnx(model, tmp / f'{name}.onnx')
    int8 = quantize_onnx_dynamic(fp32, tmp / f'{name}_int8.onnx')
    compiled = torch.compile(model)
    s32, s8 = ort_session(fp32, args.threads), ort_session(int8, args.threads)
    def bf16(x):
        with torch.autocast('cpu', dtype=torch.bfloat16): return model(x).float()
    run = {'PyTorch eager fp32': lambda x: model(torch.from_numpy(x)), 'PyTorch eager bf16 autocast': lambda x: bf16(torch.from_numpy(x)),
           'torch.compile fp32': lambda x: compiled(torch.from_numpy(x)),
           'ONNX Runtime fp32': lambda x: torch.from_numpy(s32.run(['logits'], {'images': x})[0]),
           'ONNX Runtime dynamic int8': lambda x: torch.from_numpy(s8.run(['logits'], {'images': x})[0])}
    mb = sum(t.numel() * t.element_size() for t in model.state_dict().values()) / 2**20
    sizes = {'PyTorch eager fp32': mb, 'PyTorch eager bf16 autocast': mb, 'torch.compile fp32': mb,
             'ONNX Runtime fp32': fp32.stat().st_size / 2**20, 'ONNX Runtime dynamic int8': int8.stat().st_size / 2**20}
    return run, sizes

def measure(run, hw):
    "Per form: single-call latencies at batch 1 (all rounds) and per-round seconds at batch 32."
    x1 = np.random.default_rng(0).standard_normal((1, 3, *hw), dtype=np.float32)
    x32 = np.random.default_rng(1).standard_normal((32, 3, *hw), dtype=np.float32)
    lat, thr = {k: [] for k in run}, {k: [] for k in run}
    with torch.inference_mode():
        for f in run.values(): f(x1); f(x32); f(x1)                 # warm up (and compile) every form at both shapes
        names = list(run)
        for r in range(args.repeats):
            for k in names[r % len(names):] + names[:r % len(names)]:
                for _ in range(args.calls):
                    t0 = time.perf_counter(); run[k](x1); lat[k].append(time.perf_counter() - t0)
                t0 = time.perf_counter(); run[k](x32); thr[k].append(time.perf_counter() - t0)
    return lat, thr

models = {}
digits_run = project_path('results/digits_quick')
cfg, _ = read_config(digits_run)
models['digits (quick start, 32 px)'] = (load_run_model(digits_run), cfg.img_hw)
for preset in ('vit_tiny_patch16_224', 'vit_small_patch16_224'):
    models[f'{preset} (ours, random weights)'] = (create_model(preset_config(preset, num_classes=196)), (224, 224))

rows, accuracy = [], {}
for label, (model, hw) in models.items():
    slug = label.split()[0]
    run, sizes = forms(model, slug, hw)
    if slug == 'digits':                                            # what each form answers on the digits' test split
        dls = dataloaders(load_image_dataset('digits'), cfg, cache=False, device='cpu')
        xs, ys = zip(*[(x.as_subclass(torch.Tensor), y.as_subclass(torch.Tensor)) for x, y in eval_dataloader(dls, 'test', bs=120)])
        with torch.inference_mode():
            for k, f in run.items():
                pred = torch.cat([f(x.numpy()).argmax(1) for x in xs])
                accuracy[k] = float((pred == torch.cat(ys)).float().mean())
    lat, thr = measure(run, hw)
    ref_lat, ref_thr = statistics.median(lat['PyTorch eager fp32']), statistics.median(thr['PyTorch eager fp32'])
    for k in run:
        med = statistics.median(lat[k])
        rows.append(dict(model=label, form=k, latency_ms_median=med * 1e3, latency_ms_p90=float(np.percentile(lat[k], 90)) * 1e3,
                         latency_speedup=ref_lat / med, images_per_s_b32=32 / statistics.median(thr[k]),
                         throughput_speedup=ref_thr / statistics.median(thr[k]), weights_mb=sizes[k],
                         digits_accuracy=accuracy.get(k) if slug == 'digits' else None))
    print(f"{label}: done", flush=True)

meta = dict(measured=datetime.now(timezone.utc).isoformat(timespec='seconds'), torch=torch.__version__, onnxruntime=onnxruntime.__version__,
            threads=args.threads, repeats=args.repeats, calls=args.calls, cpu=platform.processor() or platform.machine(),
            bf16_native=bool(getattr(torch.backends.mkldnn, 'is_available', lambda: False)()), gpu='none lent: no GPU rows')
out = Path(__file__).parent / 'results'; out.mkdir(exist_ok=True)
(out / f'{args.name}.json').write_text(json.dumps(dict(meta=meta, rows=rows), indent=1) + '\n')
lines = ["# Inference on the CPU — eager, bf16, compile, ONNX Runtime fp32 and int8", '',
         f"Measured {meta['measured']} with torch {meta['torch']}, onnxruntime {meta['onnxruntime']}, {args.threads} threads; "
         f"batch 1: {args.repeats} interleaved rounds of {args.calls} single calls (median and 90th percentile); batch 32: median of "
         f"{args.repeats} rounds. Ratios: PyTorch eager fp32's time over the form's, same model, same run. No GPU was lent: no GPU rows.", '',
         '| model | form | batch 1 ms (median / p90) | × eager | batch 32 images/s | × eager | weights MB | digits test accuracy |',
         '|---|---|---:|---:|---:|---:|---:|---:|']
for r in rows:
    acc = f"{r['digits_accuracy']:.4f}" if r['digits_accuracy'] is not None else '—'
    lines.append(f"| {r['model']} | {r['form']} | {r['latency_ms_median']:.2f} / {r['latency_ms_p90']:.2f} | {r['latency_speedup']:.2f} | "
                 f"{r['images_per_s_b32']:.1f} | {r['throughput_speedup']:.2f} | {r['weights_mb']:.1f} | {acc} |")
(out / f'{args.name}.md').write_text('\n'.join(lines) + '\n')
print('\n'.join(lines))
