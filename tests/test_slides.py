"""Slides: slide metadata that follows the lecture, and the static decks of tools/make_slides.py."""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from pathlib import Path

import nbformat
import pytest

from tests.nbtools import NOTEBOOKS, REPO

sys.path.insert(0, str(REPO / "tools"))
import make_slides  # noqa: E402

LECTURE = REPO.parent / "shared" / "lecture" / "lecture-2.7-deep-learning-in-R.txt"




def _read_notebook(path: Path):
    """A notebook that another process may be writing right now: retry once on a half-written file."""
    for attempt in range(2):
        try:
            return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        except (json.JSONDecodeError, nbformat.reader.NotJSONError):
            if attempt:
                raise
            time.sleep(1)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().replace("ё", "е")
    text = re.sub(r"[`*_#]", "", text)
    return re.sub(r"\s+", " ", text).strip(" .:")


def lecture_sections() -> dict[str, tuple[str, list[str]]]:
    """'7.1' -> (section title, the titles of its slides in order), from the lecture's text."""
    lines = LECTURE.read_text(encoding="utf-8").splitlines()
    titles = {}
    for line in lines:
        m = re.match(r"^(7\.[123])\. \S", line)
        if m and m.group(1) not in titles:
            titles[m.group(1)] = line.strip()
    subtitles: dict[str, list[str]] = {k: [] for k in titles}
    outline_end = max(i for i, line in enumerate(lines) if line.strip() == titles["7.3"] and i < 40)
    for i, line in enumerate(lines):
        key = next((k for k, t in titles.items() if line.strip() == t), None)
        if key is None or i <= outline_end:
            continue
        following = [x.strip() for x in lines[i + 1:i + 8] if x.strip()]
        if not following:
            continue
        first = following[0]
        # a slide title: a short line of words (not code, a formula, a bullet or a paragraph)
        if re.match(r"^[А-ЯЁа-яё]", first) and len(first) <= 100 and first not in titles.values():
            if len(following) > 1 and following[1].startswith("("):
                first += " " + following[1]
            if not subtitles[key] or subtitles[key][-1] != first:
                subtitles[key].append(first)
    return {k: (titles[k], subtitles[k]) for k in titles}


SECTIONS = lecture_sections() if LECTURE.is_file() else {}


def test_lecture_parsing_finds_the_slide_titles():
    if not SECTIONS:
        pytest.skip("the lecture text (../shared/lecture) is not here")
    assert list(SECTIONS) == ["7.1", "7.2", "7.3"]
    assert SECTIONS["7.2"] == ("7.2. Рекуррентные нейронные сети", ["РЕКУРРЕНТНЫЙ УРОВЕНЬ В KERAS", "СЛОИ LSTM И GRU"])
    assert "Прямое кодирование на уровне слов с использованием хеширования (упрощенный пример)" in SECTIONS["7.1"][1]
    assert len(SECTIONS["7.3"][1]) == 3


def _slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "")


ALL_NOTEBOOKS = sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.skipif(not ALL_NOTEBOOKS, reason="no notebooks yet")
@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_has_slide_metadata(path):
    nb = _read_notebook(path)
    missing = [i for i, c in enumerate(nb.cells) if not _slide_type(c)]
    assert not missing, f"{path.name}: cells without slideshow.slide_type: {missing}"


@pytest.mark.parametrize("section", ["7.1", "7.2", "7.3"])
def test_slide_titles_follow_the_lecture(section):
    if not SECTIONS:
        pytest.skip("the lecture text (../shared/lecture) is not here")
    found = sorted(NOTEBOOKS.glob(f"{section}-*.ipynb"))
    if not found:
        pytest.skip(f"notebooks/{section}-*.ipynb does not exist yet")
    assert len(found) == 1, found
    title, subtitles = SECTIONS[section]
    cells = _read_notebook(found[0]).cells
    assert _slide_type(cells[0]) == "slide" and cells[0].source.startswith(f"# {title}"), \
        f"the first cell is the title slide '# {title}'"
    headings = []  # (cell index, heading) of every slide and sub-slide, in order
    for i, c in enumerate(cells):
        st = _slide_type(c)
        if st == "slide":
            first = c.source.lstrip().splitlines()[0] if c.source.strip() else ""
            assert c.cell_type == "markdown" and re.match(r"^#{1,3} ", first), \
                f"cell {i}: a slide starts with its title (a markdown heading)"
            assert _norm(first).startswith(_norm(title)), \
                f"cell {i}: slide title {first!r} does not name the lecture section {title!r}"
        if st in ("slide", "subslide") and c.cell_type == "markdown":
            headings += [(i, _norm(line)) for line in c.source.splitlines() if line.startswith("#")]
    pos = 0
    for sub in subtitles:  # the lecture's slide titles, as a subsequence of the notebook's, in order
        hit = next((k for k in range(pos, len(headings)) if _norm(sub) in headings[k][1]), None)
        assert hit is not None, (f"lecture slide {sub!r} has no slide or sub-slide heading "
                                 f"after cell {headings[pos - 1][0] if pos else 0}")
        pos = hit + 1


def test_notebooks_are_in_lecture_order():
    names = [p.name for p in ALL_NOTEBOOKS if re.match(r"7\.\d-", p.name)]
    assert names == sorted(names, key=lambda n: [int(x) for x in n.split("-")[0].split(".")])


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """A snapshot of every notebook and its deck made by tools/make_slides.py from that snapshot."""
    if not ALL_NOTEBOOKS:
        pytest.skip("no notebooks yet")
    folder = tmp_path_factory.mktemp("slides")
    copies = []
    for path in ALL_NOTEBOOKS:
        nb = _read_notebook(path)
        copy = folder / "nb" / path.name
        copy.parent.mkdir(exist_ok=True)
        nbformat.write(nb, copy)
        copies.append(copy)
    out = folder / "out"
    assert make_slides.main([*map(str, copies), "--out", str(out)]) == 0
    return {p.name: (p, out / (p.stem + ".slides.html")) for p in copies}


@pytest.mark.skipif(not ALL_NOTEBOOKS, reason="no notebooks yet")
@pytest.mark.parametrize("name", [p.name for p in ALL_NOTEBOOKS])
def test_html_export_has_one_slide_per_slide_cell(decks, name):
    notebook, deck = decks[name]
    html = deck.read_text(encoding="utf-8")
    nb = nbformat.read(notebook, as_version=4)
    n_slide_cells = sum(_slide_type(c) == "slide" for c in nb.cells)
    assert n_slide_cells == make_slides.expected_slides(nb)  # the first cell is a slide
    assert make_slides.count_slides(html) == n_slide_cells
    assert 'class="reveal"' in html
    if make_slides.reveal_source():  # offline deck: nothing from the network
        assert 'src="reveal.js/dist/reveal.js"' in html and (deck.parent / "reveal.js" / "dist" / "reveal.js").is_file()
        assert "require.min.js" not in html and "unpkg.com" not in html
        if make_slides.mathjax_source():
            assert (deck.parent / "mathjax" / "MathJax.js").is_file() and "cdnjs" not in html


def test_slide_counter_counts_only_top_level_sections():
    html = "<div class='slides'><section><section>a</section><section>b</section></section><section>c</section></div>"
    assert make_slides.count_slides(html) == 2
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("x", metadata={"slideshow": {"slide_type": t}})
                                         for t in ("-", "slide", "subslide", "skip", "slide")])
    assert make_slides.expected_slides(nb) == 3
