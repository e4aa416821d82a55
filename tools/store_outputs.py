"""Execute notebooks in quick synthetic mode and store outputs by the output policy.

    python tools/store_outputs.py notebooks/7.1-*.ipynb

Cells marked ``# NBVAL_CHECK_OUTPUT`` keep the outputs of this run (nbval compares them
in CI) and a stable execution count; every other cell is stored without outputs or count.
Run it after editing a notebook, then commit the notebook.  (DESIGN.md section 5.)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent


def apply_output_policy(nb) -> None:
    """Checked cells keep their outputs and get their position among the code cells as the
    execution count (nbval refuses a stored output without one); the rest are cleared."""
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        number += 1
        cell.metadata.pop("execution", None)
        if "NBVAL_CHECK_OUTPUT" in cell.source:
            cell.execution_count = number
            for out in cell.outputs:
                if "execution_count" in out:
                    out["execution_count"] = number
                if "metadata" in out:
                    out["metadata"] = {}
        else:
            cell.execution_count = None
            cell.outputs = []


def store(path: Path, timeout: int = 900) -> float:
    os.environ.update(DL7_SCALE="quick", DL7_DATA="synthetic", MPLBACKEND="Agg")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - t0
    apply_output_policy(nb)
    nbformat.write(nb, path)
    return seconds


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        p = Path(arg).resolve()
        print(f"{p.name}: {store(p):.1f} s (quick, synthetic); outputs stored by the policy")
