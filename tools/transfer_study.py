"""The transfer study on the digits, through the training notebook a user runs: pretrain, then fine-tune in each regime.

A small ViT (configs/experiment_configs/digits_transfer.yaml) is pretrained on the digits 0-4 by `nbs/10_train.ipynb`;
then, for each seed, the digits 5-9 with ten labelled training images a class (`-p train_per_class 10`, another draw
per seed) are learnt from it in each fine-tuning regime, and by the same model from scratch for as many epochs. Every
run is a papermill run of `nbs/10_train.ipynb` into `results/transfer_digits/` (or `--out`); this script only chooses
the parameters, runs two at a time (one CPU thread each), and summarises their `metrics.json`:

- `summary.json` / `summary.md`: per regime the test accuracy of every seed, mean and std, and the paired difference
  from training from scratch (mean, 95% t-interval and paired t-test over the seeds: the same draw and split per seed);
- `transfer.png`: the accuracies, seed by seed.

Usage: python tools/transfer_study.py [--seeds 0,1,2,3,4] [--epochs 12] [--out results/transfer_digits] [--workers 2]
A run folder that has finished is not run again (delete it to redo it); fine-tuned runs keep only config.yaml, split.json, history.csv
and metrics.json (`--keep-weights` keeps everything).
"""
from __future__ import annotations

import argparse, json, shutil, sys, tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from study import ROOT, dot_plot, markdown_table, paired_summary, slim, train

CONFIG = 'configs/experiment_configs/digits_transfer.yaml'
PRETRAIN = dict(config=CONFIG, epochs=8)
FINETUNE = dict(config=CONFIG, classes='5,6,7,8,9', train_per_class=10, batch_size=10, learning_rate=0.003)
REGIMES = {                                   # name: (run-folder slug, parameters of 10_train)
    'from scratch': ('scratch', dict(pretrained='')),
    'linear probe (train_blocks 0, lr 0.01)': ('probe', dict(train_blocks=0, learning_rate=0.01)),
    'last block (train_blocks 1)': ('last_block', dict(train_blocks=1)),
    'full': ('full', {}),
    'full, layer decay 0.5': ('llrd', dict(layer_decay=0.5)),
    'head first (freeze_epochs 3)': ('head_first', dict(freeze_epochs=3)),
    'gradual unfreezing (every 3 epochs)': ('gradual', dict(gradual_unfreeze=3)),
    'full, best 3 epochs averaged (top_k 3)': ('top3', dict(top_k=3)),
    'full, SWA over the last 4 epochs': ('swa', dict(swa_epochs=4)),
}


def write_report(out: Path, rows: dict, seeds: list[int], pre: dict, epochs: int):
    "summary.json, summary.md and transfer.png in `out`."
    (out / 'summary.json').write_text(json.dumps(dict(pretrain=pre, epochs=epochs, seeds=seeds, regimes=rows), indent=1) + '\n')
    lines = [f"# Transfer on the digits: pretrained on 0-4, fine-tuned on 5-9 with 10 labels a class ({epochs} epochs, seeds {', '.join(map(str, seeds))})", '',
             f"Pretraining (digits 0-4, {pre['epochs']} epochs): test accuracy {pre['accuracy']:.3f}. Test split of the fine-tuning: the "
             f"{pre['test_images']} test images of the digits 5-9. Differences are paired by seed (the same ten images a class and the same "
             f"validation split); with {len(seeds)} seeds the t-interval is wide, and a p-value above 0.05 is no evidence either way.", '']
    (out / 'summary.md').write_text('\n'.join(lines + markdown_table(rows, 'from scratch')) + '\n')
    dot_plot(rows, 'from scratch', out / 'transfer.png', 'test accuracy on the digits 5-9 (dots: seeds; bar: mean)',
             'Fine-tuning regimes vs training from scratch, 10 labels a class')


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seeds', default='0,1,2,3,4'); ap.add_argument('--epochs', type=int, default=12)
    ap.add_argument('--out', default='results/transfer_digits'); ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--keep-weights', action='store_true')
    a = ap.parse_args()
    seeds, out = [int(s) for s in a.seeds.split(',')], (ROOT / a.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    log = Path(tempfile.mkdtemp(prefix='transfer_'))
    pre = train('pretrain_0-4', out, PRETRAIN, log)
    shutil.rmtree(out / 'pretrain_0-4' / 'checkpoints', ignore_errors=True)
    jobs = [(name, slug, s, p) for s in seeds for name, (slug, p) in REGIMES.items()]
    def run(job):
        name, slug, s, p = job
        params = FINETUNE | dict(epochs=a.epochs, seed=s, pretrained=str(out / 'pretrain_0-4')) | p
        if not params['pretrained']: del params['pretrained']
        m = train(f'{slug}_seed-{s}', out, params, log)
        if not a.keep_weights: slim(out / f'{slug}_seed-{s}')
        print(f"{slug}_seed-{s}: {m['accuracy']:.3f}", flush=True)
        return name, s, m
    with ThreadPoolExecutor(a.workers) as ex: done = list(ex.map(run, jobs))
    acc = {name: [m['accuracy'] for n, s, m in sorted(done, key=lambda d: d[1]) if n == name] for name in REGIMES}
    test_images = json.loads((out / f"scratch_seed-{seeds[0]}" / 'metrics.json').read_text())['images']
    pre_info = dict(accuracy=pre['accuracy'], epochs=pre['epochs'], test_images=test_images)
    write_report(out, paired_summary(acc, 'from scratch'), seeds, pre_info, a.epochs)
    print((out / 'summary.md').read_text())


if __name__ == '__main__':
    main()
