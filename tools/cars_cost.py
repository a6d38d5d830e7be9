"""Estimate what the Stanford Cars sweeps (configs/sweeps/cars_*.yaml) cost in GPU hours; writes results/sweeps/cars_cost.json and .md.

An estimate, not a measurement (no GPU has been lent to the project yet): vitcars.studies.sweep_cost counts each configuration's
forward FLOPs and assumes a sustained rate. Run: python tools/cars_cost.py [--tflops 300]"""
import argparse, json
from pathlib import Path

import vitcars
from vitcars.runs import project_path, write_json
from vitcars.studies import sweep_cost
from vitcars.sweep import load_spec

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--tflops', type=float, default=300.0, help='assumed sustained TFLOPS (300: about 30%% of an H100 dense bf16 peak)')
    a = ap.parse_args()
    out, lines = {}, []
    for p in sorted(project_path('configs/sweeps').glob('cars_*.yaml')):
        spec = load_spec(p)
        splits = 8 if spec.evaluate else 1                 # evaluated trials: the clean test split and the seven corrupted copies
        df = sweep_cost(spec, tflops=a.tflops, eval_splits=splits)
        out[spec.name] = dict(description=spec.description, trials=int(df['seeds'].sum()), gpu_hours=float(df['gpu_hours'].sum()),
                              configs=json.loads(df.to_json(orient='records')))
        lines.append(f"| `{p.name}` | {spec.description} | {int(df['seeds'].sum())} | {df['gflops'].min():.1f}–{df['gflops'].max():.1f} | {df['gpu_hours'].sum():.1f} |")
    write_json(project_path('results/sweeps/cars_cost.json'), dict(tflops=a.tflops, train_images=8144, eval_images=8041, sweeps=out))
    md = ["# Stanford Cars sweeps: estimated GPU hours", "",
          f"An estimate from counted forward FLOPs (three forward passes per training image, one per validation image each epoch, "
          f"plus the final evaluation), at an assumed sustained {a.tflops:g} TFLOPS — about 30% of an H100's dense bf16 peak. "
          "Not measured: no GPU has been lent to the project yet. Data loading at 224 px and smaller models' lower utilisation "
          "can make the real figure several times larger. Written by `python tools/cars_cost.py`.", "",
          "| spec | study | trials | forward GFLOPs / image | GPU hours (estimate) |", "|---|---|---|---|---|", *lines, ""]
    project_path('results/sweeps/cars_cost.md').write_text('\n'.join(md))
    print('\n'.join(md))

if __name__ == '__main__': main()
