"""Run the notebooks headless (nbclient; the kernel starts in the notebook's folder) and time them.

    python tools/run_notebooks.py [NOTEBOOK ...]   # current DL7_* mode; executed copies in runs/<scale>-<data>/
    python tools/run_notebooks.py --store          # THE stored run: lesson scale, the data at hand (DL7_DATA, default
                                                   # auto: real files in the cache, else stand-ins); every output
                                                   # into the notebooks, their wall times into notebooks/timings.json
    python tools/run_notebooks.py --store --scale quick NOTEBOOK   # a fast store while editing (no times)
    python tools/run_notebooks.py --scale quick --times            # record the quick-mode times
    python tools/run_notebooks.py --smoke [--steps 30]  # full sizes, each fit 1 epoch of <= 30 steps: no result
    python tools/run_notebooks.py --seed 1 NOTEBOOK     # another random seed (spread between seeds); not stored

Stored: the scale, DL7_DATA and where each data set came from (metadata dl7.stored_run), each code cell's source
sha1 (metadata dl7.source_sha1: tests/test_repo.py fails on a stale output), counts 1..n (nbval --nbval-lax
compares the cells tagged nbval-check-output), no timing metadata, progress bars at their last state.
A failing cell: exit status 1, the notebook untouched.  Times are kept with the speed probe of the same run.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from utils.settings import REPO_ROOT, SCALES, TIMINGS_FILE, get_settings, record_times, speed_probe

RUNS = REPO_ROOT / "runs"  # executed copies (gitignored)
INLINE = "module://matplotlib_inline.backend_inline"  # plots as image/png outputs (MPLBACKEND=Agg would drop them)
SMOKE_PATCH = """# inserted by tools/run_notebooks.py --smoke: each fit is one epoch of at most {steps} steps
import keras as _k
_fit, _n = _k.Model.fit, {steps}
def _smoke_fit(self, *args, **kw):
    kw.update(epochs=1, **{{k: min(kw.get(k) or _n, _n) for k in ("steps_per_epoch", "validation_steps")}})
    return _fit(self, *args, **kw)
_k.Model.fit = _smoke_fit
"""
SEED_PATCH = """# inserted by tools/run_notebooks.py --seed: another seed than the notebook's 42
import keras as _k
_k.utils.set_random_seed({seed})
"""


def source_sha1(source: str) -> str:
    return hashlib.sha1(source.encode("utf-8")).hexdigest()


# Run after the notebook's cells and removed again: where each data set came from, as utils.data recorded it
REPORT = (f"import json, sys\nsys.path.insert(0, {str(REPO_ROOT)!r})\nfrom utils import data as _data\n"
          "print(json.dumps(_data.SOURCES, ensure_ascii=False))")


def execute(nb, folder: Path, timeout: int, smoke_steps: int = 0, seed: int | None = None
            ) -> tuple[float, Exception | None]:
    """Run ``nb`` in place with the kernel's working folder ``folder``; (seconds, the error or None).
    ``nb.metadata.dl7_sources``: where each data set came from (removed again by prepare_for_commit)."""
    patches = ([SMOKE_PATCH.format(steps=smoke_steps)] if smoke_steps else []) + (
        [SEED_PATCH.format(seed=seed)] if seed is not None else [])
    if patches:  # right after the settings cells
        code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        at = max((i for i in code if "settings" in nb.cells[i].metadata.get("tags", [])), default=code[0])
        for patch in reversed(patches):
            nb.cells.insert(at + 1, nbformat.v4.new_code_cell(patch))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False, coalesce_streams=True,
                            resources={"metadata": {"path": str(folder)}})
    t0 = time.perf_counter()
    try:
        client.execute()
    except Exception as exc:  # a failing cell, a dead kernel, a timeout
        return time.perf_counter() - t0, exc
    finally:
        report = nb.cells.pop()
    seconds = time.perf_counter() - t0
    nb.metadata["dl7_sources"] = json.loads("".join(o.get("text", "") for o in report.outputs) or "{}")
    return seconds, None


def prepare_for_commit(nb, metadata, s) -> None:
    """Counts 1..n, the source hash of each code cell, no volatile metadata; the notebook's metadata as before,
    plus the scale and data of the stored run and the kernel's language_info (JupyterLab writes it back on save
    when it is missing, so keeping it lets a presented notebook stay byte-identical)."""
    kept = {"language_info": nb.metadata["language_info"]} if "language_info" in nb.metadata else {}
    run = {"scale": s.scale, "data": s.data, "sources": nb.metadata.get("dl7_sources", {})}
    nb.metadata = nbformat.from_dict({**metadata, **kept, "dl7": {"stored_run": run}})
    for number, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), start=1):
        cell.execution_count = number
        cell.metadata.pop("execution", None)
        cell.metadata["dl7"] = {"source_sha1": source_sha1(cell.source)}
        for out in cell.outputs:
            if "execution_count" in out:
                out["execution_count"] = number


def main(argv: list[str] | None = None) -> int:
    doc = __doc__.split("\n\n")
    p = argparse.ArgumentParser(prog="python tools/run_notebooks.py", description=doc[0], epilog=doc[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    p.add_argument("--store", action="store_true", help="write the outputs into the notebooks (DL7_DATA as set, "
                                                        "default auto; scale lesson unless --scale; at lesson scale "
                                                        "also --times)")
    p.add_argument("--scale", choices=SCALES, help="DL7_SCALE of this run (default: the environment's)")
    p.add_argument("--times", action="store_true", help="record the wall times in notebooks/timings.json")
    p.add_argument("--smoke", action="store_true", help="full sizes, every fit cut to one short epoch")
    p.add_argument("--steps", type=int, default=30, help="--smoke: steps per fit (default 30)")
    p.add_argument("--seed", type=int, help="random seed instead of the notebook's 42 (nothing is stored or timed)")
    p.add_argument("--timeout", type=int, default=3600, help="seconds per cell (default 3600)")
    args = p.parse_args(argv)
    if args.smoke and (args.store or args.times or args.scale not in (None, "full")):
        p.error("--smoke runs at full scale, cut short: nothing to store or time")
    if args.seed is not None and (args.store or args.times):
        p.error("--seed: a run with another seed is not stored or timed")
    if args.smoke or args.store:  # the stored run: the data at hand, as a student gets them (auto)
        os.environ["DL7_DATA"] = os.environ.get("DL7_DATA") or ("synthetic" if args.smoke else "auto")
    scale = "full" if args.smoke else args.scale or ("lesson" if args.store else os.environ.get("DL7_SCALE"))
    os.environ.update({"MPLBACKEND": INLINE, **({"DL7_SCALE": scale} if scale else {})})
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    s = get_settings()
    record = args.times or (args.store and s.scale == "lesson")
    paths = [p.resolve() for p in args.notebooks] or sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
    label = ("smoke-full" if args.smoke else f"{s.scale}-{s.data}") + ("" if args.seed is None else f"-seed{args.seed}")
    print(f"DL7_SCALE={s.scale}, DL7_DATA={s.data}" + (f", each fit: 1 epoch x <= {args.steps} steps" * args.smoke))
    probes = [speed_probe()] if record else []
    rows, times = [], {}
    for path in paths:
        print(f"{path.name} ...", flush=True)
        nb = nbformat.read(path, as_version=4)
        metadata = copy.deepcopy(nb.metadata)
        seconds, error = execute(nb, path.parent, args.timeout, args.steps if args.smoke else 0, args.seed)
        (RUNS / label).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, RUNS / label / path.name)
        if error:
            print(error, file=sys.stderr, flush=True)
        else:
            print(f"  {seconds:.0f} s; data: {json.dumps(nb.metadata.get('dl7_sources', {}), ensure_ascii=False)}",
                  flush=True)
        if not error and args.store:
            prepare_for_commit(nb, metadata, s)
            nbformat.write(nb, path)
        times.update({} if error else {path.stem.split("-")[0]: seconds})  # "7.1": the key of timings.json
        failed = f"FAILED: {getattr(error, 'ename', type(error).__name__)}: {getattr(error, 'evalue', '')}"[:90]
        rows.append(f"| {path.name} | {seconds:.0f} | {failed if error else 'ok'} |")
    print(f"\n| notebook ({label}) | seconds | status |\n|---|---|---|\n" + "\n".join(rows))
    print(f"Executed copies: {RUNS / label}")
    if record and times:
        probes.append(speed_probe())
        record_times(times, s.scale, min(probes), path=TIMINGS_FILE)  # the least disturbed, as speed_probe does
        print(f"Times ({s.scale}) recorded in {TIMINGS_FILE}; speed probe before/after: {probes}, kept {min(probes)}")
    return 0 if len(times) == len(paths) else 1


if __name__ == "__main__":
    sys.exit(main())
