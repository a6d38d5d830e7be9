"""The pruning study on the digits: half the heads and MLP units removed, then fine-tuned through the training notebook.

The quick start's trained run (`results/digits_quick`, 98.6%) is pruned with `vitcars.prune.prune_vit` — half of every
block's heads and half of its MLP units, by magnitude and by Taylor importance (on six training batches) — and each
pruned model is saved as a run folder. Each is then fine-tuned by `nbs/10_train.ipynb` (`-p pretrained <pruned run>`),
and so is the unpruned model for the same epochs (the control: the same extra training without pruning), for each seed.
Finally the CPU inference speed of the pruned and unpruned models is measured side by side in this process (batch 1 and
32, interleaved rounds, median). Writes results/prune_digits/: summary.json, summary.md.

Usage: python tools/prune_study.py [--seeds 0,1,2] [--epochs 20] [--out results/prune_digits]
"""
from __future__ import annotations

import argparse, json, statistics, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from study import ROOT, markdown_table, paired_summary, slim, train

from vitcars.counts import count_flops, count_params
from vitcars.data import load_image_dataset
from vitcars.loading import dataloaders, eval_dataloader
from vitcars.prune import prune_vit
from vitcars.runs import load_run_model, read_config, save_weights, write_config

CONFIG = 'configs/experiment_configs/digits_quick.yaml'
SOURCE = 'results/digits_quick'


def speed(models: dict, repeats: int = 7) -> dict:
    "Images/s of each model at batch 1 and 32, timed in interleaved rounds (median)."
    out = {}
    for b in (1, 32):
        x = torch.randn(b, 3, 32, 32)
        steps = max(1, 32 // b)
        times = {k: [] for k in models}
        with torch.inference_mode():
            for m in models.values(): m(x)
            for _ in range(repeats):
                for k, m in models.items():
                    t0 = time.perf_counter()
                    for _ in range(steps): m(x)
                    times[k].append((time.perf_counter() - t0) / steps)
        for k, t in times.items(): out.setdefault(k, {})[f'images_per_s_batch{b}'] = b / statistics.median(t)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seeds', default='0,1,2'); ap.add_argument('--epochs', type=int, default=20)
    ap.add_argument('--lr', type=float, default=5e-4); ap.add_argument('--out', default='results/prune_digits')
    ap.add_argument('--workers', type=int, default=2)
    a = ap.parse_args()
    seeds, out = [int(s) for s in a.seeds.split(',')], (ROOT / a.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    cfg, info = read_config(ROOT / SOURCE)
    model = load_run_model(ROOT / SOURCE)
    dls = dataloaders(load_image_dataset('digits'), cfg, cache=False, device='cpu')
    batches = [(x.as_subclass(torch.Tensor), y.as_subclass(torch.Tensor)) for x, y in eval_dataloader(dls, 'train', bs=64)][:6]
    test_x, test_y = [torch.cat(t).as_subclass(torch.Tensor) for t in zip(*[(x, y) for x, y in eval_dataloader(dls, 'test', bs=128)])]
    models = {'unpruned': model.eval()}
    starts = {'unpruned': str(ROOT / SOURCE)}
    before = {}
    for crit in ('magnitude', 'taylor'):
        pruned = prune_vit(model, heads=0.5, mlp=0.5, importance=crit, batches=batches).eval()
        folder = out / f'pruned_{crit}'; folder.mkdir(exist_ok=True)
        write_config(folder / 'config.yaml', pruned.cfg, dict(dataset='digits', seed=0, source=SOURCE, pruned=dict(heads=0.5, mlp=0.5, importance=crit)))
        save_weights(pruned, folder / 'model.safetensors')
        models[f'pruned, {crit}'], starts[f'pruned, {crit}'] = pruned, str(folder)
    with torch.no_grad():
        for k, m in models.items(): before[k] = (m(test_x).argmax(1) == test_y).float().mean().item()
    log = Path(tempfile.mkdtemp(prefix='prune_'))
    slug = {'unpruned': 'unpruned', 'pruned, magnitude': 'magnitude', 'pruned, taylor': 'taylor'}
    def run(job):
        name, s = job
        m = train(f'finetune_{slug[name]}_seed-{s}', out, dict(config=CONFIG, pretrained=starts[name], epochs=a.epochs, seed=s,
                                                                 learning_rate=a.lr, warmup_epochs=1), log)
        slim(out / f'finetune_{slug[name]}_seed-{s}')
        print(f"{name} seed {s}: {m['accuracy']:.4f}", flush=True)
        return name, s, m
    with ThreadPoolExecutor(a.workers) as ex: done = list(ex.map(run, [(n, s) for s in seeds for n in models]))
    acc = {n: [m['accuracy'] for k, s, m in sorted(done, key=lambda d: d[1]) if k == n] for n in models}
    rows = paired_summary(acc, 'unpruned')
    torch.set_num_threads(2)
    fast = speed(models)
    for n, r in rows.items():
        c = models[n].cfg
        r.update(before_finetune=before[n], params=count_params(c), mflops=count_flops(c) / 1e6, **fast[n],
                 speedup_batch1=fast[n]['images_per_s_batch1'] / fast['unpruned']['images_per_s_batch1'],
                 speedup_batch32=fast[n]['images_per_s_batch32'] / fast['unpruned']['images_per_s_batch32'])
    (out / 'summary.json').write_text(json.dumps(dict(source=SOURCE, epochs=a.epochs, learning_rate=a.lr, seeds=seeds, rows=rows), indent=1) + '\n')
    lines = [f"# Structured pruning on the digits: half the heads and MLP units, then {a.epochs} epochs of fine-tuning (seeds {', '.join(map(str, seeds))})", '',
             f"Start: {SOURCE} (test accuracy {before['unpruned']:.4f}). Every model, pruned or not, is fine-tuned {a.epochs} more epochs by 10_train "
             f"(lr {a.lr}, one warmup epoch); differences are paired by seed against the unpruned model fine-tuned the same way. "
             "Speed: CPU inference, 2 threads, interleaved rounds, median, measured after the training in this process.", '',
             '| model | parameters | MFLOPs/image | accuracy before fine-tuning | images/s batch 1 (speed-up) | images/s batch 32 (speed-up) |',
             '|---|---:|---:|---:|---:|---:|']
    for n, r in rows.items():
        lines.append(f"| {n} | {r['params']:,} | {r['mflops']:.1f} | {r['before_finetune']:.4f} | {r['images_per_s_batch1']:.0f} ({r['speedup_batch1']:.2f}) | "
                     f"{r['images_per_s_batch32']:.0f} ({r['speedup_batch32']:.2f}) |")
    lines += ['', 'After fine-tuning:', ''] + markdown_table(rows, 'unpruned')
    (out / 'summary.md').write_text('\n'.join(lines) + '\n')
    print((out / 'summary.md').read_text())


if __name__ == '__main__':
    main()
