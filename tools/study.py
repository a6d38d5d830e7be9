"""What the study scripts share (tools/transfer_study.py, tools/distill_study.py): papermill runs of nbs/10_train.ipynb into a
results folder, each skipped when finished, two at a time with one CPU thread each; and paired summaries over seeds."""
from __future__ import annotations

import json, os, shutil, subprocess, sys
from pathlib import Path

import numpy as np
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]


def train(name: str, out: Path, params: dict, log: Path) -> dict:
    "One papermill run of 10_train into `out/name` (skipped if finished); its metrics.json."
    folder = out / name
    if (folder / 'metrics.json').exists(): return json.loads((folder / 'metrics.json').read_text())
    args = [sys.executable, '-m', 'papermill', 'nbs/10_train.ipynb', str(log / f'{name}.ipynb'), '--log-output',
            '-p', 'runs_dir', str(out), '-p', 'run_name', name, '-p', 'num_threads', '1', '-p', 'cache', 'memory',
            '-p', 'keep_checkpoints', 'none']
    for k, v in params.items(): args += ['-p', k, str(v)]
    r = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env={**os.environ, 'OMP_NUM_THREADS': '1'})
    if r.returncode: raise RuntimeError(f"{name} failed:\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}")
    return json.loads((folder / 'metrics.json').read_text())


def slim(folder: Path):
    "Keep only what a summary reads and what reproduces the run (config, split, history, metrics): drop weights and figures."
    for p in folder.iterdir():
        if p.name not in ('config.yaml', 'split.json', 'history.csv', 'metrics.json'): shutil.rmtree(p) if p.is_dir() else p.unlink()


def paired_summary(acc: dict[str, list[float]], reference: str) -> dict:
    "Per configuration: accuracies by seed, mean, std, and the paired difference from `reference` with its 95% t-interval and paired t-test p."
    base = np.array(acc[reference])
    rows = {}
    for name, a in acc.items():
        a = np.array(a); row = dict(accuracy=a.tolist(), mean=float(a.mean()), std=float(a.std(ddof=1)) if len(a) > 1 else 0.0)
        if name != reference and len(a) > 1:
            d = a - base
            half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
            p = float(stats.ttest_rel(a, base).pvalue) if d.std() > 0 else (0.0 if d.mean() else 1.0)
            row |= dict(diff=float(d.mean()), diff_ci95=[float(d.mean() - half), float(d.mean() + half)], p_paired_t=p)
        rows[name] = row
    return rows


def markdown_table(rows: dict, reference: str) -> list[str]:
    "The summary as a Markdown table."
    lines = [f'| configuration | test accuracy, mean ± std | by seed | vs {reference} (95% CI) | paired t p |', '|---|---|---|---|---|']
    for name, r in rows.items():
        diff = f"{r['diff']:+.3f} [{r['diff_ci95'][0]:+.3f}, {r['diff_ci95'][1]:+.3f}]" if 'diff' in r else '—'
        p = f"{r['p_paired_t']:.3f}" if 'p_paired_t' in r else '—'
        lines.append(f"| {name} | {r['mean']:.3f} ± {r['std']:.3f} | {' '.join(f'{a:.3f}' for a in r['accuracy'])} | {diff} | {p} |")
    return lines


def dot_plot(rows: dict, reference: str, path: Path, xlabel: str, title: str):
    "Accuracy per seed (dots) and mean (bar) per configuration."
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(rows) + 1))
    for i, (name, r) in enumerate(rows.items()):
        ax.scatter(r['accuracy'], [i] * len(r['accuracy']), color='C0', alpha=0.6, s=20)
        ax.plot([r['mean']] * 2, [i - 0.3, i + 0.3], color='C1' if name != reference else 'k', lw=2)
    ax.set_yticks(range(len(rows)), list(rows)); ax.invert_yaxis()
    ax.set_xlabel(xlabel); ax.grid(axis='x', alpha=0.3); ax.set_title(title)
    fig.tight_layout(); fig.savefig(path, dpi=100); plt.close(fig)
