"""The distillation study on the digits, through the training notebook: a small ViT with and without a CNN teacher.

A timm ResNet-18 is trained on the digits by `nbs/10_train.ipynb` (`-p model resnet18`, the quick start's recipe) and
becomes the teacher. The quick start's ViT is then trained for the same short schedule with DeiT's hard distillation
from it, with soft distillation, and without a teacher, for each seed — every run a papermill run of `10_train` into
`results/distill_digits/` (or `--out`). The summary pairs the runs by seed (the same split, initialisation and data
order): `summary.json`, `summary.md` (mean, std, paired difference from no teacher with its 95% t-interval and paired
t-test) and `distill.png`.

Usage: python tools/distill_study.py [--seeds 0,1,2,3,4] [--epochs 20] [--teacher-epochs 30] [--out results/distill_digits]
A finished run folder is not run again; student runs keep only config.yaml, split.json, history.csv and metrics.json, and the
teacher's weights (44 MB) are deleted at the end unless --keep-teacher (a rerun with new seeds then retrains nothing but needs them:
delete teacher_resnet18/ to retrain it).
"""
from __future__ import annotations

import argparse, json, shutil, sys, tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from study import ROOT, dot_plot, markdown_table, paired_summary, slim, train

CONFIG = 'configs/experiment_configs/digits_quick.yaml'
STUDENTS = {                                  # name: (run-folder slug, parameters of 10_train)
    'no teacher': ('alone', {}),
    'hard distillation (DeiT)': ('hard', dict(distill='hard')),
    'soft distillation (tau 3, alpha 0.5)': ('soft', dict(distill='soft', distill_tau=3.0, distill_alpha=0.5)),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--seeds', default='0,1,2,3,4'); ap.add_argument('--epochs', type=int, default=20)
    ap.add_argument('--teacher-epochs', type=int, default=30); ap.add_argument('--out', default='results/distill_digits')
    ap.add_argument('--workers', type=int, default=2); ap.add_argument('--keep-teacher', action='store_true')
    a = ap.parse_args()
    seeds, out = [int(s) for s in a.seeds.split(',')], (ROOT / a.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    log = Path(tempfile.mkdtemp(prefix='distill_'))
    teacher = train('teacher_resnet18', out, dict(config=CONFIG, model='resnet18', epochs=a.teacher_epochs), log)
    for p in ('checkpoints',): shutil.rmtree(out / 'teacher_resnet18' / p, ignore_errors=True)
    print(f"teacher: test accuracy {teacher['accuracy']:.4f}", flush=True)
    def run(job):
        name, slug, s, p = job
        params = dict(config=CONFIG, epochs=a.epochs, seed=s) | ({'teacher': str(out / 'teacher_resnet18')} if p else {}) | p
        m = train(f'{slug}_seed-{s}', out, params, log)
        slim(out / f'{slug}_seed-{s}')
        print(f"{slug}_seed-{s}: {m['accuracy']:.4f}", flush=True)
        return name, s, m
    jobs = [(name, slug, s, p) for s in seeds for name, (slug, p) in STUDENTS.items()]
    with ThreadPoolExecutor(a.workers) as ex: done = list(ex.map(run, jobs))
    if not a.keep_teacher: (out / 'teacher_resnet18' / 'model.safetensors').unlink(missing_ok=True)   # 44 MB: not for the repository
    acc = {name: [m['accuracy'] for n, s, m in sorted(done, key=lambda d: d[1]) if n == name] for name in STUDENTS}
    secs = {name: sum(m['train_seconds'] for n, _, m in done if n == name) / len(seeds) for name in STUDENTS}
    rows = paired_summary(acc, 'no teacher')
    for name in rows: rows[name]['train_seconds_mean'] = secs[name]
    (out / 'summary.json').write_text(json.dumps(dict(teacher=dict(model='resnet18', epochs=teacher['epochs'], accuracy=teacher['accuracy'],
                                                                   params=teacher['params']),
                                                      epochs=a.epochs, seeds=seeds, students=rows), indent=1) + '\n')
    images = teacher['images']
    student_params = json.loads((out / f'alone_seed-{seeds[0]}' / 'metrics.json').read_text())['params']
    lines = [f"# Distillation on the digits: the quick start's ViT, {a.epochs} epochs, with and without a ResNet-18 teacher (seeds {', '.join(map(str, seeds))})", '',
             f"Teacher: timm's resnet18 ({teacher['params']:,} parameters) trained {teacher['epochs']} epochs by 10_train, test accuracy "
             f"{teacher['accuracy']:.4f}. Students: digits_quick.yaml ({student_params:,} parameters). "
             f"Test split: {images} images. Differences are paired by seed; with {len(seeds)} seeds a p-value above 0.05 is no evidence either way. "
             "Training time per run (2 runs at a time, 1 thread each): " + ', '.join(f"{k} {v:.0f} s" for k, v in secs.items()) + '.', '']
    (out / 'summary.md').write_text('\n'.join(lines + markdown_table(rows, 'no teacher')) + '\n')
    dot_plot(rows, 'no teacher', out / 'distill.png', f'test accuracy on the digits (dots: seeds; bar: mean; teacher {teacher["accuracy"]:.3f})',
             f'A ViT student, {a.epochs} epochs, with and without a ResNet-18 teacher')
    print((out / 'summary.md').read_text())


if __name__ == '__main__':
    main()
