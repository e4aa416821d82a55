"""Section 1: wall time of each notebook in quick mode (DL7_SCALE=quick, DL7_DATA=synthetic),
executed headless through nbclient exactly as ``tools/run_notebooks.py`` does (its ``run``)."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import tempfile
import time
from pathlib import Path

from .common import REPO, Context, Section, fmt_s, md_table

QUICK_ENV = {"DL7_SCALE": "quick", "DL7_DATA": "synthetic", "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "2"}


def _runner():
    """tools/run_notebooks.py as a module (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("run_notebooks", REPO / "tools" / "run_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def environment(values: dict):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _tiny_notebook(folder: Path) -> Path:
    """A one-cell notebook for the smoke run: the same machinery, no training."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import os, sys\nprint('smoke', os.environ['DL7_SCALE'], os.environ['DL7_DATA'], sys.version_info[:2])")]
    path = folder / "smoke.ipynb"
    nbformat.write(nb, path)
    return path


def section(ctx: Context) -> Section:
    from nbclient.exceptions import CellExecutionError

    runner = _runner()
    with contextlib.ExitStack() as stack:
        work = Path(ctx.work_dir) if ctx.work_dir else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        work.mkdir(parents=True, exist_ok=True)
        out_dir = work / "executed-notebooks"
        notes = []
        with environment(QUICK_ENV):
            if ctx.quick:
                paths = [_tiny_notebook(work)]
                notes.append("SMOKE RUN (--quick): a generated one-cell notebook through the same runner, "
                             "not the course notebooks (they take minutes).")
            else:
                paths = sorted((REPO / "notebooks").glob("*.ipynb"))
                from utils.data import prepare_standins
                from utils.settings import get_settings

                t0 = time.perf_counter()
                times = prepare_standins(get_settings())
                notes.append(f"Stand-ins prepared before timing, {time.perf_counter() - t0:.1f} s "
                             f"({', '.join(f'{k}: {v:.1f} s' for k, v in times.items())}); the first run on a "
                             "fresh clone pays this once more.")
            rows, total = [], 0.0
            for p in paths:
                ctx.log(f"notebooks: running {p.name} (quick, synthetic)")
                try:
                    seconds = runner.run(p, out_dir, timeout=1800)
                    status = "ok"
                except CellExecutionError as exc:
                    seconds, status = None, f"FAILED: {str(exc).strip().splitlines()[0][:100]}"
                except Exception as exc:  # a dead kernel, a timeout: report it, keep going
                    seconds, status = None, f"FAILED: {type(exc).__name__}: {str(exc)[:100]}"
                rows.append([p.name, fmt_s(seconds), status])
                total += seconds or 0.0
                ctx.log(f"  {p.name}: {fmt_s(seconds)} {status}")
    if len(rows) > 1:
        rows.append(["**all notebooks**", fmt_s(total), "target: < 5 min"])
    ctx.results["notebooks"] = rows
    missing = [n for n in ("7.1", "7.2", "7.3") if not list((REPO / "notebooks").glob(f"{n}-*.ipynb"))]
    if missing and not ctx.quick:
        notes.append(f"Not written yet, so not timed: {', '.join(missing)}.")
    notes.append("Wall time of `NotebookClient(...).execute()` (tools/run_notebooks.py), kernel start included; "
                 "DL7_SCALE=quick, DL7_DATA=synthetic, stand-ins already in the cache.")
    table = md_table(["notebook", "wall time (quick, synthetic)", "status"], rows)
    return Section("notebooks", "1. Notebook wall time in quick mode (headless, nbclient)", table, notes)
