"""The exercises at the end of every notebook (issue 19, DESIGN.md section 5), whatever their content.

Each exercise: a heading "### Упражнение 7.x.N" with its statement; a stub code cell tagged "exercise"; a check
cell calling ``check.ex_7_x_N(...)`` (utils.exercises.nb7x) tagged nbval-check-output, so that nbval compares its
«не решено» with the stored one; a collapsed hint and a collapsed solution with the code for the stub.
Here: the structure (at least six exercises per notebook); every solution, put into its stub cell, passes its
check in a real run of the notebook (quick, synthetic; a reading exercise whose check says the quick run cannot
judge is fine there); the stored run shows every stub unsolved; the handout has no solution and the same code; the
verdict marks are characters of ordinary text fonts, and no exercise text or check message holds an emoji.
"""

import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbtools import NOTEBOOKS, REPO, is_checked, notebook

from utils.exercises import CANNOT_JUDGE, MARKS, UNSOLVED

sys.path.insert(0, str(REPO / "tools"))
import make_handout  # noqa: E402

PREFIXES = ("7.1-", "7.2-", "7.3-")
HEADING = re.compile(r"^###\s+Упражнение (7\.\d)\.(\d+)", re.M)
FENCE = re.compile(r"```python\n(.*?)```", re.S)
# checks that read the length of the run: in quick mode they may say they cannot judge, instead of «верно»
JUDGED_BY_RUN = {"7.1.6", "7.3.2", "7.3.3", "7.3.6"}


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


def test_every_notebook_ends_with_at_least_six_complete_exercises(nb):
    section = nb.cells[0].source.split()[1].rstrip(".")  # "# 7.1. ..." -> "7.1"
    slide = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
             and re.search(r"^##.*Упражнения\s*$", c.source, re.M)]  # "## 7.x. <section>: Упражнения", "### Упражнения"
    assert len(slide) == 1 and nb.cells[slide[0]].metadata["slideshow"]["slide_type"] == "slide"
    found = exercises(nb)
    assert len(found) >= 6
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
        assert text.startswith(MARKS[UNSOLVED]), f"{e['number']}: stored check output {text!r}"
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
        line = check_line(solved.cells[e["check"]])
        allowed = (MARKS["верно"],) + ((MARKS[CANNOT_JUDGE],) if e["number"] in JUDGED_BY_RUN else ())
        assert line.startswith(allowed), (e["number"], line)


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
        assert checks and all(line.startswith(MARKS[UNSOLVED]) for line in checks), checks
    finally:
        shutil.rmtree(out, ignore_errors=True)


# --- marks that render everywhere (issue 25, item 5) ---------------------------------------------------------

# the Unicode ranges of characters with Emoji_Presentation=Yes (emoji-data.txt, Unicode 15): a text font draws
# a box or a colour-emoji font takes over for them
EMOJI_PRESENTATION = [(0x231A, 0x231B), (0x23E9, 0x23EC), (0x23F0, 0x23F0), (0x23F3, 0x23F3), (0x25FD, 0x25FE),
                      (0x2614, 0x2615), (0x2648, 0x2653), (0x267F, 0x267F), (0x2693, 0x2693), (0x26A1, 0x26A1),
                      (0x26AA, 0x26AB), (0x26BD, 0x26BE), (0x26C4, 0x26C5), (0x26CE, 0x26CE), (0x26D4, 0x26D4),
                      (0x26EA, 0x26EA), (0x26F2, 0x26F3), (0x26F5, 0x26F5), (0x26FA, 0x26FA), (0x26FD, 0x26FD),
                      (0x2705, 0x2705), (0x270A, 0x270B), (0x2728, 0x2728), (0x274C, 0x274C), (0x274E, 0x274E),
                      (0x2753, 0x2755), (0x2757, 0x2757), (0x2795, 0x2797), (0x27B0, 0x27B0), (0x27BF, 0x27BF),
                      (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55), (0x1F000, 0x1FAFF)]
FONTS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",  # apt fonts-dejavu-core
         "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"]  # Arial's metrics and repertoire


def emoji_in(text: str) -> list[str]:
    return [c for c in text if any(lo <= ord(c) <= hi for lo, hi in EMOJI_PRESENTATION)]


def test_the_emoji_ranges_catch_the_old_marks():
    assert emoji_in("✅ Верно ❌ ⏳") == ["✅", "❌", "⏳"] and not emoji_in("+ × … ? ✓ «»—")


def test_the_marks_and_the_checks_hold_no_emoji():
    assert not emoji_in("".join(MARKS.values()))
    for path in sorted((REPO / "utils" / "exercises").glob("*.py")):
        assert not emoji_in(path.read_text(encoding="utf-8")), path.name


def test_the_marks_are_in_dejavu_sans_and_liberation_sans():
    ttlib = pytest.importorskip("fontTools.ttLib")
    fonts = [f for f in FONTS if Path(f).exists()]
    if not fonts:
        pytest.skip("no DejaVu Sans or Liberation Sans here (apt-get install fonts-dejavu-core fonts-liberation)")
    for font in fonts:
        cmap = ttlib.TTFont(font).getBestCmap()
        missing = [c for c in "".join(MARKS.values()) if ord(c) not in cmap]
        assert not missing, (font, missing)


def test_the_exercise_sections_hold_no_emoji(nb):
    start = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
                 and re.search(r"^##.*Упражнения\s*$", c.source, re.M))
    for cell in nb.cells[start:]:
        assert not emoji_in(cell.source), cell.source[:80]
