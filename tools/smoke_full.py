"""Check that notebooks run in FULL mode (the lecture's sizes), with every training cut short.

    python tools/smoke_full.py [--steps 30] [notebooks/7.2-*.ipynb ...]

Runs each notebook headless with DL7_SCALE=full (DL7_DATA as set, default synthetic) after
injecting, right after the settings cell, a patch of ``keras.Model.fit`` that trains one
epoch of at most ``--steps`` batches (and validates on at most ``--steps`` batches).
Everything else (loading, tokenizing, windows, models, evaluation) runs at full size.
The notebooks are not changed; executed copies go to runs/smoke-full/.  This is the
developer's "one short epoch of each training" check, not a result run: its accuracies
mean nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent

PATCH = '''
# injected by tools/smoke_full.py: one short epoch per training (not part of the notebook)
import keras as _k
import numpy as _np

_SMOKE_STEPS = {steps}
_original_fit = _k.Model.fit


def _short(a, n):
    return a[:n] if isinstance(a, _np.ndarray) else a


def _smoke_fit(self, x=None, y=None, **kw):
    kw["epochs"] = 1
    if kw.get("steps_per_epoch"):
        kw["steps_per_epoch"] = min(kw["steps_per_epoch"], _SMOKE_STEPS)
    if kw.get("validation_steps"):
        kw["validation_steps"] = min(kw["validation_steps"], _SMOKE_STEPS)
    n = _SMOKE_STEPS * (kw.get("batch_size") or 32)
    x, y = _short(x, n), _short(y, n)
    if isinstance(kw.get("validation_data"), tuple):
        kw["validation_data"] = tuple(_short(a, n) for a in kw["validation_data"])
    return _original_fit(self, x, y, **kw)


_k.Model.fit = _smoke_fit
print("smoke_full: fit patched to 1 epoch x <=", _SMOKE_STEPS, "steps")
'''


def run(path: Path, steps: int) -> float:
    nb = nbformat.read(path, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "settings" in c.metadata.get("tags", []))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(PATCH.format(steps=steps)))
    t0 = time.perf_counter()
    try:
        NotebookClient(nb, timeout=3600, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        out = REPO / "runs" / "smoke-full"
        out.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out / path.name)
    return time.perf_counter() - t0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("notebooks", nargs="*")
    args = parser.parse_args(argv)
    os.environ["DL7_SCALE"] = "full"
    os.environ.setdefault("DL7_DATA", "synthetic")
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    paths = [Path(p).resolve() for p in args.notebooks] or sorted((REPO / "notebooks").glob("7.*.ipynb"))
    for p in paths:
        print(f"{p.name}: full mode ({os.environ['DL7_DATA']}), fit cut to 1 epoch x {args.steps} steps ...",
              flush=True)
        print(f"{p.name}: ok in {run(p, args.steps):.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
