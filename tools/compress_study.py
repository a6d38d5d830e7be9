"""The compression study on the digits, through the notebooks a user runs: the quick start's run compressed every way.

1. A smaller ViT student (2 blocks, width 64) is distilled from the quick start's run by `nbs/10_train.ipynb`
   (`-p teacher results/digits_quick -p distill hard`), 60 epochs like its teacher.
2. `nbs/40_compress.ipynb` compresses `results/digits_quick`: pruning a quarter and half of every block's heads and MLP
   units (Taylor importance), 50% and 90% unstructured sparsity, PyTorch dynamic int8, ONNX Runtime fp32, dynamic and
   static int8 — with the student beside.
3. The two pruned variants are fine-tuned by `10_train` (`-p pretrained <variant folder>`, 20 epochs, lr 5e-4, as in
   `tools/prune_study.py`) — and the unpruned model the same way, the control for the extra training — and `40_compress`
   runs again with the three beside (the variants already evaluated are read back;
   the timing of every model is measured again, side by side, with nothing else running).

Writes results/compress_digits/: compression.json, the figures, and a folder per variant (config, eval.json,
robustness.json, predictions.npz; the model files are deleted at the end, as are the training runs' weights).

Usage: python tools/compress_study.py [--out results/compress_digits]
"""
from __future__ import annotations

import argparse, os, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from study import ROOT, slim, train

CONFIG = 'configs/experiment_configs/digits_quick.yaml'
SOURCE = 'results/digits_quick'
PRUNED = ('pruned-h0.25-m0.25', 'pruned-h0.5-m0.5')


def compress(out: Path, log: Path, tag: str, **params):
    args = [sys.executable, '-m', 'papermill', 'nbs/40_compress.ipynb', str(log / f'compress_{tag}.ipynb'), '--log-output',
            '-p', 'run', SOURCE, '-p', 'out', str(out), '-p', 'prune_heads', ','.join(p.split('-')[1][1:] for p in PRUNED),
            '-p', 'sparsity', '0.5,0.9', '-p', 'quantize', 'torch_dynamic,ort_fp32,ort_dynamic,ort_static', '-p', 'num_threads', '2',
            '-p', 'repeats', '7']
    for k, v in params.items(): args += ['-p', k, str(v)]
    r = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    if r.returncode: raise RuntimeError(f"40_compress ({tag}) failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    print(f"40_compress ({tag}) done", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default='results/compress_digits')
    a = ap.parse_args()
    out = (ROOT / a.out).resolve(); runs = out / 'runs'; runs.mkdir(parents=True, exist_ok=True)
    log = Path(tempfile.mkdtemp(prefix='compress_'))
    student = dict(config=CONFIG, epochs=60, num_layers=2, hidden_dim=64, teacher=SOURCE, distill='hard')
    m = train('student_hard', runs, student, log)
    print(f"student distilled from {SOURCE}: test accuracy {m['accuracy']:.4f}, {m['params']:,} parameters", flush=True)
    compress(out, log, 'first', distilled_from=runs / 'student_hard')
    def finetune(p):   # each pruned variant, and the unpruned model as the control: the same extra training without pruning
        start = ROOT / SOURCE if p == 'unpruned' else out / p
        return p, train(p, runs, dict(config=CONFIG, pretrained=start, epochs=20, learning_rate=5e-4, warmup_epochs=1), log)
    with ThreadPoolExecutor(2) as ex:
        for p, m in ex.map(finetune, ('unpruned',) + PRUNED): print(f"{p} fine-tuned: test accuracy {m['accuracy']:.4f}", flush=True)
    compress(out, log, 'final', distilled_from=runs / 'student_hard', finetuned=','.join(str(runs / p) for p in ('unpruned',) + PRUNED))
    for f in runs.iterdir(): slim(f)
    for f in out.iterdir():
        for name in ('model.safetensors', 'model_int8.pt', 'model.onnx'):
            if f.is_dir(): (f / name).unlink(missing_ok=True)
    print(f"written: {out}", flush=True)


if __name__ == '__main__':
    main()
