"""What CPU thread contention costs: training steps of the default digits model, one run alone and two runs at once.

A measurement, not a test. Each run is a separate process doing `--steps` AdamW training steps of the model of
configs/experiment_configs/digits_quick.yaml on a batch of real digits (the quick start's model and batch), after a
warm-up, with `torch.set_num_threads(threads)`. Settings: one run alone with every core; one run alone with 1 thread;
two runs at once, each with every core (what two default runs did before `num_threads`); two runs at once with the
cores divided between them (`-p num_threads` = cores / runs). Reported: seconds per run (the median of --repeats) and
each setting's slowdown against one run alone with every core. Writes bench/results/threads_cpu.{json,md}.
"""
import argparse, json, os, platform, statistics, subprocess, sys, time
from datetime import datetime, timezone
from pathlib import Path

CHILD = r'''
import sys, time, torch, torch.nn.functional as F
from vitcars.config import ViTConfig
from vitcars.models import create_model
from vitcars.test_utils import digits_tensors
torch.set_num_threads(int(sys.argv[1])); steps = int(sys.argv[2])
cfg = ViTConfig.from_yaml('configs/experiment_configs/digits_quick.yaml')
torch.manual_seed(0)
model = create_model(cfg).train()
x, y = digits_tensors(32)
x, y = x[:cfg.batch_size], y[:cfg.batch_size]
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
def step():
    opt.zero_grad(set_to_none=True); F.cross_entropy(model(x), y).backward(); opt.step()
for _ in range(5): step()
print('ready', flush=True); sys.stdin.readline()                 # all runs start timing together
t0 = time.perf_counter()
for _ in range(steps): step()
print(time.perf_counter() - t0, flush=True)
'''

def run_together(threads: list[int], steps: int) -> list[float]:
    "Start one process per entry of `threads`, let them all warm up, then time `steps` steps in all of them at once."
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}                 # each child sets its own threads
    ps = [subprocess.Popen([sys.executable, '-c', CHILD, str(t), str(steps)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           text=True, env=env) for t in threads]
    for p in ps: assert p.stdout.readline().strip() == 'ready'
    for p in ps: p.stdin.write('go\n'); p.stdin.flush()
    return [float(p.stdout.readline()) for p in ps]

if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--steps', type=int, default=41)
    p.add_argument('--repeats', type=int, default=3)
    args = p.parse_args()
    from vitcars.runs import available_cpus
    cores = available_cpus()
    settings = {f'1 run, {cores} threads': [cores], '1 run, 1 thread': [1],
                f'2 runs at once, {cores} threads each': [cores, cores],
                f'2 runs at once, {max(1, cores // 2)} thread(s) each': [max(1, cores // 2)] * 2}
    times = {k: [] for k in settings}
    for _ in range(args.repeats):                                  # interleaved, so drift hits every setting alike
        for k, threads in settings.items(): times[k].append(max(run_together(threads, args.steps)))
    med = {k: statistics.median(v) for k, v in times.items()}
    ref = med[f'1 run, {cores} threads']
    rows = [dict(setting=k, seconds=round(v, 3), per_step_ms=round(1000 * v / args.steps, 2), slowdown=round(v / ref, 2),
                 spread=[round(min(times[k]), 3), round(max(times[k]), 3)]) for k, v in med.items()]
    out = dict(date=datetime.now(timezone.utc).isoformat(timespec='seconds'), machine=platform.processor() or platform.machine(),
               cores=cores, steps=args.steps, repeats=args.repeats, rows=rows)
    res = Path(__file__).parent / 'results'; res.mkdir(exist_ok=True)
    (res / 'threads_cpu.json').write_text(json.dumps(out, indent=1) + '\n')
    md = [f"# CPU threads: one run alone and two at once ({cores} cores, {args.steps} training steps of the digits model, batch 32)",
          '', f"Measured {out['date']} with `python bench/threads.py`; median of {args.repeats}; for two runs, the slower of the pair.", '',
          '| setting | seconds | ms per step | slowdown vs one run alone | spread (s) |', '|---|---:|---:|---:|---|']
    md += [f"| {r['setting']} | {r['seconds']} | {r['per_step_ms']} | {r['slowdown']}x | {r['spread'][0]}-{r['spread'][1]} |" for r in rows]
    (res / 'threads_cpu.md').write_text('\n'.join(md) + '\n')
    print('\n'.join(md))
