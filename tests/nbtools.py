"""Helpers for tests that read the notebooks (not the lesson: plumbing for the tests)."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

from utils import settings
from utils.settings import SCALES

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"


def notebook(prefix: str) -> Path:
    """The notebook whose file name starts with ``prefix`` (e.g. "7.1-")."""
    found = sorted(NOTEBOOKS.glob(f"{prefix}*.ipynb"))
    assert len(found) == 1, f"expected one notebooks/{prefix}*.ipynb, found {found}"
    return found[0]


def cells(path: Path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["cells"]


def text_of(path: Path, cell_type: str | None = None) -> str:
    """The sources of the notebook's cells of ``cell_type`` ("code", "markdown"; None: all), joined."""
    return "\n".join("".join(c["source"]) for c in cells(path) if cell_type in (None, c["cell_type"]))


def settings_namespace(path: Path, scale: str, monkeypatch) -> dict:
    """Execute the notebook's code cells tagged "settings" with DL7_SCALE=scale ("lesson", "full", "quick")
    and return the names they define (the constants the rest of the notebook uses).  The speed probe of
    the expected-time line is replaced by a constant: no timing in tests."""
    assert scale in SCALES, f"scale {scale!r}: one of {SCALES}"
    monkeypatch.setattr(settings, "speed_probe", lambda repeats=3: 0.1)
    monkeypatch.setenv("DL7_SCALE", scale)
    monkeypatch.setenv("DL7_DATA", "synthetic")
    monkeypatch.chdir(NOTEBOOKS)
    tagged = [c for c in cells(path) if c["cell_type"] == "code" and "settings" in c["metadata"].get("tags", [])]
    assert tagged, f"{path.name}: no code cell tagged 'settings'"
    namespace: dict = {"__name__": "__settings__"}
    for c in tagged:
        source = "".join(c["source"])
        source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
        exec(compile(source, f"{path.name}:settings", "exec"), namespace)
    assert os.environ["DL7_SCALE"] == scale
    return namespace


def code_sources(path: Path) -> list[str]:
    return ["".join(c["source"]) for c in cells(path) if c["cell_type"] == "code"]


def literal(node):
    """The value of a literal node, else its source text (a name or an expression)."""
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)


def assigned(path: Path, name: str) -> list:
    """The values assigned to ``name`` at the top level of the notebook's code cells, in order."""
    values = []
    for source in code_sources(path):
        for node in ast.parse(source).body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                values.append(literal(node.value))
    return values


def calls(path: Path, name: str) -> list[dict]:
    """Arguments of every call ``name(...)`` / ``x.name(...)`` in the notebook's code cells: keyword arguments by
    name, positional ones under the keys 0, 1, ... (literals, or source text)."""
    found = []
    for source in code_sources(path):
        for node in ast.walk(ast.parse(source)):
            func = getattr(node, "func", None)
            if isinstance(node, ast.Call) and name in (getattr(func, "attr", None), getattr(func, "id", None)):
                args = {i: literal(a) for i, a in enumerate(node.args)}
                args.update({k.arg: literal(k.value) for k in node.keywords if k.arg})
                found.append(args)
    return found


CHECK_TAG = "nbval-check-output"  # nbval compares the stored output of a cell with this tag (DESIGN.md section 5)


def is_checked(cell) -> bool:
    """Whether nbval compares this code cell's output (the cell tag; no comment marker in the source)."""
    return cell["cell_type"] == "code" and CHECK_TAG in cell["metadata"].get("tags", [])
