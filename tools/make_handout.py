"""Student copies of the notebooks for homework: the exercises without their solutions.

    python tools/make_handout.py [NOTEBOOK ...] [--out handout]   # handout/<name>.ipynb (default: all notebooks)

What it strips: every markdown cell that is a collapsed solution (a cell that starts with
``<details><summary>Решение``).  Everything else stays as it is: the lesson, the stored outputs, the exercises'
statements, stubs, checks and hints, so a copy runs exactly as the original does (its code cells are the same).
The figures are copied beside the copies; like the notebooks, they find utils/ in the folder above (handout/ sits
in the repository root, as notebooks/ does).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
SOLUTION = re.compile(r"^\s*<details>\s*<summary>\s*Решение", re.I)


def is_solution(cell) -> bool:
    return cell.cell_type == "markdown" and bool(SOLUTION.match(cell.source))


def handout(nb):
    """A copy of ``nb`` without its solution cells."""
    copy = nbformat.from_dict(nb)
    copy.cells = [c for c in nb.cells if not is_solution(c)]
    return copy


def main(argv: list[str] | None = None) -> int:
    doc = __doc__.split("\n\n", 2)
    p = argparse.ArgumentParser(prog="python tools/make_handout.py", description=doc[0], epilog=doc[2],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    p.add_argument("--out", type=Path, default=REPO / "handout", help="folder of the copies (default: handout/)")
    args = p.parse_args(argv)
    paths = args.notebooks or sorted((REPO / "notebooks").glob("*.ipynb"))
    args.out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        out = handout(nb)
        removed = len(nb.cells) - len(out.cells)
        if not removed:
            print(f"{path.name}: решений не найдено", file=sys.stderr)
            return 1
        nbformat.write(out, args.out / path.name)
        print(f"{args.out / path.name}: убрано решений: {removed}")
    shutil.copytree(REPO / "notebooks" / "figures", args.out / "figures", dirs_exist_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
