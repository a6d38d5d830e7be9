"""Where the time of a training run goes: the default digits run end to end against the model's own training step.

A measurement, not a test. The reference is the model alone: fused AdamW steps (PyTorch's fastest) of the digits_quick
model (label-smoothed cross-entropy) on batches that are already tensors, as many images as one epoch, in a plain PyTorch loop. Against it:
  - end to end: `vit_learner` + `fit_run` exactly as nbs/10_train.ipynb trains (images of the training split x epochs /
    the epochs' time, validation and checkpoints included — the figure a run records as train_images_per_second),
    with the loading paths: the default (`cache='auto'`: decoded once, in memory) and decoding every image each epoch
    (`cache=False`, the default before); and with fastai's own AdamW in place of `ForEachOptimizer`;
  - the pieces: the training loader alone, one validation pass, one checkpoint, one optimiser step (fastai's AdamW and
    `ForEachOptimizer`, on the same gradients).
One process, every core it may use; timings interleaved, median of --repeats. Writes bench/results/train_throughput_cpu.{json,md}.
"""
import argparse, json, platform, statistics, tempfile, time
from datetime import datetime, timezone
from pathlib import Path

import torch
import torch.nn.functional as F
from fastai.data.core import DataLoaders, TfmdDL
from fastai.torch_core import set_seed

from vitcars.config import ViTConfig
from vitcars.data import load_image_dataset
from functools import partial
from fastai.optimizer import Adam
from vitcars.learner import fit_run, save_checkpoint, vit_learner
from vitcars.loading import dataloaders
from vitcars.runs import available_cpus
from vitcars.models import create_model

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument('--config', default='configs/experiment_configs/digits_quick.yaml')
p.add_argument('--epochs', type=int, default=4, help='epochs per end-to-end measurement')
p.add_argument('--repeats', type=int, default=3)
args = p.parse_args()
torch.set_num_threads(int(__import__("os").environ.get("BENCH_THREADS", 0)) or available_cpus())
cfg = ViTConfig.from_yaml(args.config).override(precision='fp32')
ds = load_image_dataset('digits')
tmp = Path(tempfile.mkdtemp())

def model_only() -> float:
    "Images/s of the bare training step on one epoch's worth of preloaded batches."
    dls = dataloaders(ds, cfg)
    batches = [(x.as_subclass(torch.Tensor).clone(), y.as_subclass(torch.Tensor).clone()) for x, y in dls.train]
    torch.manual_seed(0)
    model = create_model(cfg).train()
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.learning_rate, weight_decay=cfg.weight_decay, fused=True)   # the fastest PyTorch has
    def epoch():
        for x, y in batches:
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(x), y, label_smoothing=cfg.label_smoothing).backward(); opt.step()
    epoch()                                                                           # warm-up
    t0 = time.perf_counter()
    for _ in range(args.epochs - 1): epoch()                                          # as many epochs as end_to_end times
    return (args.epochs - 1) * sum(len(y) for _, y in batches) / (time.perf_counter() - t0)

def end_to_end(cache='auto', fastai_adam: bool = False) -> float:
    "Train images/s of `fit_run` as a run records it (epochs after the first)."
    set_seed(0)
    dls = dataloaders(ds, cfg, cache=cache)
    learn = vit_learner(dls, cfg)
    if fastai_adam: learn.opt_func = partial(Adam, mom=cfg.momentum, sqr_mom=cfg.adam_beta2, eps=cfg.adam_eps)
    run = tmp / f'run_{time.perf_counter_ns()}'
    with learn.no_bar(): rows = fit_run(learn, args.epochs, run, log=False)
    t = sum(r['epoch_time'] for r in rows[1:])                                       # the first epoch warms up
    return len(dls.train_ds) * (len(rows) - 1) / t

def step_seconds(opt, steps: int = 20) -> float:
    "Seconds per optimiser step on the gradients the parameters hold."
    opt.step()
    t0 = time.perf_counter()
    for _ in range(steps): opt.step()
    return (time.perf_counter() - t0) / steps

def pieces() -> dict:
    "Seconds per epoch of the training loader alone, a validation pass and a checkpoint; seconds per optimiser step."
    set_seed(0)
    dls = dataloaders(ds, cfg)
    learn = vit_learner(dls, cfg)
    list(dls.train)
    t0 = time.perf_counter(); n = sum(len(y) for _, y in dls.train); loader = time.perf_counter() - t0
    with learn.no_bar(), learn.no_logging():
        learn.fit(1)
        t0 = time.perf_counter(); learn.validate(); valid = time.perf_counter() - t0
        t0 = time.perf_counter(); save_checkpoint(learn, tmp / 'ckpt', 1); ckpt = time.perf_counter() - t0
    x, y = dls.one_batch()
    F.cross_entropy(learn.model(x.as_subclass(torch.Tensor)), y.as_subclass(torch.Tensor)).backward()
    ours = step_seconds(learn.opt)
    theirs = step_seconds(Adam(list(learn.model.parameters()), lr=1e-9, mom=cfg.momentum, sqr_mom=cfg.adam_beta2, eps=cfg.adam_eps))
    return dict(loader=loader, validation=valid, checkpoint=ckpt, images=n, step_foreach=ours, step_fastai=theirs)

results = {k: [] for k in ('model_only', 'end_to_end', 'end_to_end_fastai_adamw', 'end_to_end_decoding_every_epoch', 'pieces')}
for _ in range(args.repeats):
    results['model_only'].append(model_only())
    results['end_to_end'].append(end_to_end())
    results['end_to_end_fastai_adamw'].append(end_to_end(fastai_adam=True))
    results['end_to_end_decoding_every_epoch'].append(end_to_end(cache=False))
    results['pieces'].append(pieces())
med = {k: statistics.median(v) for k, v in results.items() if k != 'pieces'}
pc = {k: statistics.median(r[k] for r in results['pieces']) for k in results['pieces'][0]}
ref = med['model_only']
out = dict(date=datetime.now(timezone.utc).isoformat(timespec='seconds'), machine=platform.processor() or platform.machine(),
           threads=torch.get_num_threads(), config=args.config, epochs=args.epochs, repeats=args.repeats,
           images_per_second={k: round(v, 1) for k, v in med.items()}, ratio_to_model_only={k: round(v / ref, 3) for k, v in med.items()},
           pieces_seconds_per_epoch={k: round(v, 4) for k, v in pc.items()}, model_seconds_per_epoch=round(pc['images'] / ref, 4))
res = Path(__file__).parent / 'results'; res.mkdir(exist_ok=True)
(res / 'train_throughput_cpu.json').write_text(json.dumps(out, indent=1) + '\n')
md = [f"# Training throughput of the default run ({out['threads']} threads, `{args.config}`)", '',
      f"Measured {out['date']} with `python bench/train_throughput.py`; median of {args.repeats}; end-to-end figures over epochs 2-{args.epochs}.", '',
      '| | images/s | of the model alone |', '|---|---:|---:|']
md += [f"| {k.replace('_', ' ')} | {v} | {out['ratio_to_model_only'][k]:.0%} |" for k, v in out['images_per_second'].items()]
md += ['', f"Per epoch of {int(pc['images'])} training images: the model's own steps take {out['model_seconds_per_epoch']:.3f} s; "
       f"the training loader alone {pc['loader']:.3f} s (in-memory cache), a validation pass {pc['validation']:.3f} s, a checkpoint "
       f"{pc['checkpoint']:.3f} s. One optimiser step: {1e3 * pc['step_fastai']:.2f} ms with fastai's AdamW, "
       f"{1e3 * pc['step_foreach']:.2f} ms with `ForEachOptimizer` (PyTorch's fused AdamW) ({pc['step_fastai'] / pc['step_foreach']:.1f}x faster), "
       f"for {sum(1 for _ in create_model(cfg).parameters())} parameter tensors."]
(res / 'train_throughput_cpu.md').write_text('\n'.join(md) + '\n')
print('\n'.join(md))
