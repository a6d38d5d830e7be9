"""Sweep workers on this machine: the same small grid run with one worker (all the cores to each trial) and with N workers
(the cores divided between them), in turn, each from scratch. The sweep engine's claim is that N workers finish no later
than one; this measures it. Results: bench/results/sweep_workers_cpu.{json,md}.

    python bench/sweep_workers.py [--workers 2] [--trials 6] [--epochs 8] [--repeats 2]
"""
import argparse, json, platform, shutil, tempfile, time
from pathlib import Path

import vitcars  # noqa: F401
from vitcars.runs import available_cpus, project_path
from vitcars.sweep import run_sweep

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument('--workers', type=int, default=2)
ap.add_argument('--trials', type=int, default=6, help='grid points (seeds of the quick digits run)')
ap.add_argument('--epochs', type=int, default=8)
ap.add_argument('--repeats', type=int, default=2, help='alternating repeats of each setting')
ap.add_argument('--name', default='sweep_workers_cpu')
a = ap.parse_args()

cores = available_cpus()
spec = dict(name='bench', base=dict(dataset='digits', config='configs/experiment_configs/digits_quick.yaml', epochs=a.epochs,
                                    keep_checkpoints='none', cache='memory'),
            params=dict(learning_rate=[2e-3]), seeds=list(range(a.trials)))
times = {1: [], a.workers: []}
for r in range(a.repeats):
    for w in ([1, a.workers] if r % 2 == 0 else [a.workers, 1]):             # alternate the order: drift hits both alike
        tmp = Path(tempfile.mkdtemp())
        t0 = time.perf_counter()
        table = run_sweep(spec, workers=w, runs_dir=tmp, progress=False)
        times[w].append(time.perf_counter() - t0)
        assert (table['state'] == 'COMPLETE').all(), table
        shutil.rmtree(tmp)
        print(f"workers={w}: {times[w][-1]:.1f} s", flush=True)
best = {w: min(t) for w, t in times.items()}
res = dict(machine=platform.processor() or platform.machine(), cores=cores, trials=a.trials, epochs=a.epochs, workers=a.workers,
           seconds=times, speedup=best[1] / best[a.workers])
out = project_path('bench/results'); out.mkdir(parents=True, exist_ok=True)
(out / f'{a.name}.json').write_text(json.dumps(res, indent=1) + '\n')
(out / f'{a.name}.md').write_text(
    f"# Sweep workers ({cores} cores)\n\nThe same grid — {a.trials} trials of the quick digits run, {a.epochs} epochs each — run whole by one "
    f"worker ({cores} threads per trial) and by {a.workers} workers ({max(1, cores // a.workers)} thread(s) per trial), alternating, "
    f"{a.repeats} times each (`bench/sweep_workers.py`).\n\n| workers | threads per trial | wall seconds (each run) | best |\n|---|---|---|---|\n"
    + ''.join(f"| {w} | {max(1, cores // w)} | {', '.join(f'{t:.0f}' for t in times[w])} | {best[w]:.0f} |\n" for w in times)
    + f"\n{a.workers} workers finish the sweep in {1 / res['speedup']:.2f}× the time of one ({res['speedup']:.2f}× faster).\n")
print((out / f'{a.name}.md').read_text())
