"""Run every notebook headless, in the current mode (DL7_SCALE, DL7_DATA), and time it.

    python tools/run_notebooks.py                 # all notebooks
    python tools/run_notebooks.py notebooks/7.2-*.ipynb

Executed copies (with all outputs and plots) go to runs/<scale>-<data>/ (gitignored);
the notebooks themselves are not changed.  Prints a Markdown table of wall times.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from utils.settings import get_settings, show_settings  # noqa: E402


def run(path: Path, out_dir: Path, timeout: int = 7200) -> float:
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        out_dir.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out_dir / path.name)
    return time.perf_counter() - t0


def main(argv: list[str]) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    s = get_settings()
    show_settings(settings=s)
    paths = [Path(a).resolve() for a in argv] or sorted((REPO / "notebooks").glob("*.ipynb"))
    out_dir = REPO / "runs" / f"{s.scale}-{s.data}"
    rows, failed = [], 0
    for p in paths:
        try:
            seconds = run(p, out_dir)
            rows.append(f"| {p.name} | {seconds:.0f} | ok |")
        except CellExecutionError as exc:
            failed += 1
            rows.append(f"| {p.name} | - | FAILED: {str(exc).splitlines()[0][:80]} |")
        print(rows[-1], flush=True)
    print(f"\n| notebook ({s.scale}, {s.data}) | seconds | status |\n|---|---|---|")
    print("\n".join(rows))
    print(f"\nExecuted copies: {out_dir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
