"""The exercises at the end of every notebook (issue 19, DESIGN.md section 5), whatever their content.

Each exercise: a heading "### Упражнение 7.x.N" with its statement; a stub code cell tagged "exercise"; a check
cell calling ``check.ex_7_x_N(...)`` (utils.exercises.nb7x) tagged nbval-check-output, so that nbval compares its
«не решено» with the stored one; a collapsed hint and a collapsed solution with the code for the stub.
Here: the structure; every solution, put into its stub cell, passes its check in a real run of the notebook
(quick, synthetic); the stored run shows every stub unsolved; the handout has no solution and the same code.
"""

import re
import shutil
import sys

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbtools import NOTEBOOKS, REPO, is_checked, notebook

sys.path.insert(0, str(REPO / "tools"))
import make_handout  # noqa: E402

PREFIXES = ("7.1-", "7.2-", "7.3-")
HEADING = re.compile(r"^###\s+Упражнение (7\.\d)\.(\d+)", re.M)
FENCE = re.compile(r"```python\n(.*?)```", re.S)


def exercises(nb) -> list[dict]:
    """Each exercise's cells by role: statement, stub, check, hint, solution (indices into nb.cells)."""
    heads = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and HEADING.search(c.source)]
    found = []
    for k, i in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(nb.cells)
        section, n = HEADING.search(nb.cells[i].source).groups()
        roles = {"statement": i, "name": f"ex_{section.replace('.', '_')}_{n}", "number": f"{section}.{n}"}
        for j in range(i + 1, end):
            c = nb.cells[j]
            if c.cell_type == "code" and "exercise" in c.metadata.get("tags", []):
                roles.setdefault("stub", j)
            elif c.cell_type == "code" and f"check.{roles['name']}(" in c.source:
                roles.setdefault("check", j)
            elif c.cell_type == "markdown" and re.match(r"\s*<details>\s*<summary>\s*Подсказка", c.source):
                roles.setdefault("hint", j)
            elif make_handout.is_solution(c):
                roles.setdefault("solution", j)
        found.append(roles)
    return found


def solution_code(cell) -> str:
    blocks = FENCE.findall(cell.source)
    assert len(blocks) == 1, f"a solution holds one ```python block: {cell.source[:80]!r}"
    return blocks[0]


@pytest.fixture(scope="module", params=PREFIXES)
def nb(request):
    return nbformat.read(notebook(request.param), as_version=4)


def test_every_notebook_ends_with_at_least_four_complete_exercises(nb):
    section = nb.cells[0].source.split()[1].rstrip(".")  # "# 7.1. ..." -> "7.1"
    slide = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
             and re.search(r"^##.*Упражнения\s*$", c.source, re.M)]  # "## 7.x. <section>: Упражнения", "### Упражнения"
    assert len(slide) == 1 and nb.cells[slide[0]].metadata["slideshow"]["slide_type"] == "slide"
    found = exercises(nb)
    assert len(found) >= 4
    assert [e["number"] for e in found] == [f"{section}.{n}" for n in range(1, len(found) + 1)]
    assert min(e["statement"] for e in found) > slide[0]
    for e in found:
        assert {"stub", "check", "hint", "solution"} <= set(e), f"{e['number']}: {sorted(e)}"
        assert e["statement"] < e["stub"] < e["check"] < e["hint"] < e["solution"], e
        stub, check = nb.cells[e["stub"]], nb.cells[e["check"]]
        assert "..." in stub.source, f"{e['number']}: the stub shows where to write (...)"
        assert is_checked(check), f"{e['number']}: nbval compares the check's «не решено»"
        assert solution_code(nb.cells[e["solution"]]).strip() != stub.source.strip()


def test_the_stored_run_shows_every_stub_unsolved(nb):
    for e in exercises(nb):
        outputs = nb.cells[e["check"]].outputs
        text = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
        assert text.startswith("⏳ не решено"), f"{e['number']}: stored check output {text!r}"
        assert not any(o.output_type == "error" for o in outputs)


def _run(nb, monkeypatch):
    monkeypatch.setenv("DL7_DATA", "synthetic")
    monkeypatch.setenv("DL7_SCALE", "quick")
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"a cell failed:\n{exc}", pytrace=False)
    return nb


def check_line(cell) -> str:
    return "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)


def test_every_solution_put_into_its_stub_passes_its_check(nb, monkeypatch):
    solved = nbformat.from_dict(nb)
    found = exercises(solved)
    for e in found:
        solved.cells[e["stub"]].source = solution_code(solved.cells[e["solution"]])
    _run(solved, monkeypatch)
    for e in found:
        assert check_line(solved.cells[e["check"]]).startswith("✅ Верно"), (e["number"],
                                                                            check_line(solved.cells[e["check"]]))


def test_the_handout_has_no_solution_and_the_same_code(nb, tmp_path):
    copy = make_handout.handout(nb)
    nbformat.validate(copy)
    solutions = [solution_code(nb.cells[e["solution"]]) for e in exercises(nb)]
    text = "\n".join(c.source for c in copy.cells)
    assert not any(make_handout.is_solution(c) for c in copy.cells) and "<summary>Решение" not in text
    assert not any(code.strip() in text for code in solutions if len(code.strip()) > 20)
    assert [c.source for c in copy.cells if c.cell_type == "code"] == [c.source for c in nb.cells
                                                                         if c.cell_type == "code"]
    assert len(exercises(copy)) == len(exercises(nb)) and all("hint" in e for e in exercises(copy))


def test_the_handout_command_writes_copies_that_run(tmp_path, monkeypatch):
    """One notebook's handout really executed (quick); the others have the same code cells as their originals,
    which nbval runs (test above)."""
    out = REPO / "handout-test-tmp"
    try:
        assert make_handout.main(["--out", str(out), str(notebook("7.2-"))]) == 0
        copy = nbformat.read(out / notebook("7.2-").name, as_version=4)
        assert (out / "figures").is_dir()
        monkeypatch.setenv("DL7_DATA", "synthetic")
        monkeypatch.setenv("DL7_SCALE", "quick")
        client = NotebookClient(copy, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(out)}})
        client.execute()
        checks = [check_line(copy.cells[e["check"]]) for e in exercises(copy)]
        assert checks and all(line.startswith("⏳ не решено") for line in checks), checks
    finally:
        shutil.rmtree(out, ignore_errors=True)
