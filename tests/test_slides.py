"""Slides: slide metadata that follows the lecture, and the static decks of tools/make_slides.py."""

from __future__ import annotations

import base64
import json
import re
import shutil
import struct
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


# --- layout: every slide fits a 1280x720 projector (make_slides' model, calibrated in Chromium) -------

def _slides(path: Path):
    return make_slides.slide_layout(_read_notebook(path), path.parent)


@pytest.mark.skipif(not ALL_NOTEBOOKS, reason="no notebooks yet")
@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.name)
def test_every_slide_fits_the_projector(path):
    bad = [f"#/{r['index']} ({r['title'][:50]}): {r['height']} px high, widest code line {r['widest']} characters"
           for r in _slides(path) if not r["fits"]]
    assert not bad, (f"{path.name}: slides that do not fit 1280x720 (height <= 720 px, code lines <= "
                     f"{make_slides.L['code_chars']} characters); split them into sub-slides:\n  " + "\n  ".join(bad))


@pytest.mark.skipif(not ALL_NOTEBOOKS, reason="no notebooks yet")
@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.name)
def test_title_slide_has_no_code(path):
    _, first = make_slides.slides(_read_notebook(path))[0]
    assert [c.cell_type for c in first] == ["markdown"] * len(first), \
        f"{path.name}: the title slide carries a code cell (make the settings cell a subslide)"


def _md(text, kind="-"):
    return nbformat.v4.new_markdown_cell(text, metadata={"slideshow": {"slide_type": kind}})


def _code(lines, kind="-", outputs=()):
    return nbformat.v4.new_code_cell("\n".join(lines), metadata={"slideshow": {"slide_type": kind}},
                                     outputs=list(outputs))


def _layout(*cells):
    return make_slides.slide_layout(nbformat.v4.new_notebook(cells=list(cells)))


def test_layout_model_budget_of_a_slide():
    title = "## 7.2. Рекуррентные нейронные сети\n### Подзаголовок слайда"
    code = [f"x{i} = layers.Dense(32)(x{i - 1})  # строка кода" for i in range(22)]
    fits, = _layout(_md(title, "slide"), _code(code))
    assert fits["fits"] and 600 < fits["height"] <= 720, fits  # ~22 code lines and a title fit
    too_long, = _layout(_md(title, "slide"), _code(code + code[:6]))
    assert not too_long["fits"] and too_long["height"] > 720
    wide, = _layout(_md(title, "slide"), _code(["y = 1  # " + "ж" * 100]))
    assert wide["widest"] == 109 and not wide["fits"]

    def plot(width, height):
        png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I4sII", 13, b"IHDR", width, height) + b"\0" * 20
        return {"output_type": "display_data", "metadata": {}, "data": {"image/png": base64.b64encode(png).decode()}}

    no_plot = _layout(_md(title, "slide"), _code(code[:6]))[0]["height"]
    for size, shown in (((1000, 340), 340), ((2480, 400), 200), ((600, 900), 340)):  # as is, width / height capped
        with_plot, = _layout(_md(title, "slide"), _code(code[:6], outputs=[plot(*size)]))
        assert with_plot["height"] - no_plot == pytest.approx(shown + make_slides.L["plot_gap"], abs=1), size


def test_layout_groups_slides_like_reveal():
    cells = [_md("# T", "slide"), _code(["print(1)"], "subslide"), _md("a", "fragment"), _md("n", "notes"),
             _md("## S", "slide"), _md("s", "skip"), _md("## U", "subslide")]
    groups = make_slides.slides(nbformat.v4.new_notebook(cells=cells))
    assert [(i, [c.source for c in cs]) for i, cs in groups] == [
        ("0/0", ["# T"]), ("0/1", ["print(1)", "a"]), ("1/0", ["## S"]), ("1/1", ["## U"])]
    hidden = _layout(_md("# T", "slide"), _code(["x"] * 40, "skip"), _md("x\n" * 40, "notes"))
    assert hidden[0]["fits"], "skip and notes cells are not on the slide"


def test_layout_model_reads_markdown():
    base = _layout(_md("## Заголовок", "slide"))[0]["height"]
    details = "<details><summary>R (из лекции)</summary>\n\n```r\n" + "x <- 1\n" * 30 + "```\n\n</details>"
    assert _layout(_md("## Заголовок\n\n" + details, "slide"))[0]["height"] - base < 40  # collapsed: one line
    long_text = "## Заголовок\n\n" + "слово " * 300
    assert _layout(_md(long_text, "slide"))[0]["height"] - base > 20 * 31  # ~1800 characters wrap to 20+ lines
    assert _layout(_md("## Заголовок\n\n$$a = b$$\n\n$$c = d$$", "slide"))[0]["height"] - base >= 2 * 40


# --- the decks and pages of tools/make_slides.py ------------------------------------------------------

@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """A snapshot of every notebook (with its figures) and the decks made by tools/make_slides.py from it."""
    if not ALL_NOTEBOOKS:
        pytest.skip("no notebooks yet")
    if not all(make_slides.sources()):
        pytest.skip("reveal.js / MathJax packages not installed (requirements-dev.txt)")
    folder = tmp_path_factory.mktemp("slides")
    (folder / "nb").mkdir()
    if (NOTEBOOKS / "figures").is_dir():
        shutil.copytree(NOTEBOOKS / "figures", folder / "nb" / "figures")
    copies = []
    for path in ALL_NOTEBOOKS:
        nbformat.write(_read_notebook(path), folder / "nb" / path.name)
        copies.append(folder / "nb" / path.name)
    assert make_slides.main([*map(str, copies), "--out", str(folder / "out")]) == 0
    return {p.name: (p, folder / "out" / f"{p.stem}.slides.html", folder / "out" / f"{p.stem}.html") for p in copies}


@pytest.mark.skipif(not ALL_NOTEBOOKS, reason="no notebooks yet")
@pytest.mark.parametrize("name", [p.name for p in ALL_NOTEBOOKS])
def test_decks_are_offline_and_complete(decks, name):
    notebook, deck, page = decks[name]
    html = deck.read_text(encoding="utf-8")
    nb = nbformat.read(notebook, as_version=4)
    assert _count_sections(html) == len({index.split("/")[0] for index, _ in make_slides.slides(nb)})
    assert "width: 1280" in html and "height: 720" in html and 'src="reveal.js/dist/reveal.js"' in html
    for text in (html, page.read_text(encoding="utf-8")):
        remote = r"""\bsrc=["']?(https?:)?//|<link[^>]*href=["']?(https?:)?//|@import\s+(url\()?["']?https?:"""
        assert not re.search(remote, text), "something loaded from the network"  # links (<a href>) may point out
        assert "NBVAL_CHECK_OUTPUT" not in text and 'src="figures/' not in text
        assert not re.search(r"</summary>\s*</details>", text), "a <details> block lost its content (R code shown)"
        assert 'src="mathjax/MathJax.js?config=' in text and '"STIX-Web"' in text and "require.min.js" not in text
    n_figures = sum(c.source.count("](figures/") for c in nb.cells if c.cell_type == "markdown")
    assert html.count('src="data:image/svg+xml;base64,') == n_figures
    out = deck.parent
    for asset in ("reveal.js/dist/reveal.js", "reveal.js/dist/reveal.css", "reveal.js/plugin/notes/notes.js",
                  "mathjax/MathJax.js", "mathjax/fonts/HTML-CSS/STIX-Web"):
        assert (out / asset).exists(), asset
    theme = (out / "reveal.js/dist/theme/dl7.css").read_text(encoding="utf-8")
    assert "@import" not in theme and "url(" not in theme  # system fonts only, nothing remote


def _count_sections(html: str) -> int:
    """Top-level <section> elements of a reveal.js deck (a slide with its sub-slides counts once)."""
    depth = top = 0
    for closing in re.findall(r"<(/?)section\b", html):
        top += not closing and depth == 0
        depth += -1 if closing else 1
    return top


def test_slide_counter_counts_only_top_level_sections():
    html = "<div class='slides'><section><section>a</section><section>b</section></section><section>c</section></div>"
    assert _count_sections(html) == 2


def test_figures_are_embedded(tmp_path):
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "f.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="900" height="300"/>')
    nb = nbformat.v4.new_notebook(cells=[_code(["print(1)"]),
                                         _md("![рисунок](figures/f.svg)\n\n<details><summary>R</summary>\n\nx\n\n</details>")])
    shown = make_slides.prepare(nb, tmp_path)
    assert shown.cells[0].source == "print(1)"
    assert shown.cells[1].source.startswith("![рисунок](data:image/svg+xml;base64,")


# --- nothing under the arrows or the slide number (static decks), checked in headless Chromium --------------

CHROMIUM = make_slides.find_chromium()


def _corner_notebook(path: Path) -> None:
    """Slides with text in the bottom right corner, where reveal.js puts its arrows and the slide number."""
    lines = "\n\n".join(f"Строка {i}" for i in range(1, 16))  # short lines on the left push the next one down
    bottom = '<p style="text-align: right">Текст в правом нижнем углу</p>'
    top = '<p style="text-align: right">Текст в правом верхнем углу</p>'
    cells = [_md("# Заголовок", "slide"), _md(f"## Текст в нижнем углу\n\n{lines}\n\n{bottom}", "slide"),
             _md(f"## Оба угла\n\n{top}\n\n{lines}\n\n{bottom}", "slide"), _md("## Короткий слайд\n\nТекст.", "slide")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_check_finds_text_under_the_controls_and_the_decks_move_them(tmp_path, capsys):
    pytest.importorskip("playwright")
    if not all(make_slides.sources()):
        pytest.skip("reveal.js / MathJax packages not installed (requirements-dev.txt)")
    notebook = tmp_path / "corner.ipynb"
    _corner_notebook(notebook)
    # the decks as built: the arrows and the number leave the corner (top right, or hidden): nothing covered
    assert make_slides.main([str(notebook), "--check"]) == 0
    out = capsys.readouterr().out
    assert "Итого: слайдов 4, не помещаются 0, накрыты кнопками или номером 0." in out, out
    assert make_slides.main([str(notebook), "--browser", str(tmp_path / "shots")]) == 0
    rows = json.loads((tmp_path / "shots" / "measurements.json").read_text(encoding="utf-8"))
    assert [r["corner"] for r in rows] == ["bottom", "dl7-corner-top", "dl7-corner-none", "bottom"]
    # a deck whose script leaves the controls where they are: the check names the covered text and fails
    deck = tmp_path / "shots" / "slides" / "corner.slides.html"
    html = deck.read_text(encoding="utf-8")
    assert "function corner() {" in html
    deck.write_text(html.replace("function corner() {", "function corner() { return;"), encoding="utf-8")
    capsys.readouterr()
    assert make_slides.browser_check([deck], None, CHROMIUM) == 1
    out = capsys.readouterr().out
    assert "накрыты кнопками или номером 2." in out and "под кнопками ['Текст в правом нижнем углу']" in out, out
    assert "Текст в правом верхнем углу" not in out and "Строка" not in out
