"""Slides (reveal.js, 1280x720) and HTML pages of the notebooks, with nothing loaded from the network.

    python tools/make_slides.py [NOTEBOOK ...] [--out slides]  # slides/<name>.slides.html and <name>.html
    python tools/make_slides.py --check        # every slide in headless Chromium (network blocked): the slides that
                                               # do not fit 1280x720 and those with text under the arrows or the
                                               # slide number; without Chromium an estimate of the heights only
    python tools/make_slides.py --browser DIR  # the same check, plus PNGs and measurements.json in DIR
Exit 1 if anything is wrong.  Beside the decks: reveal.js/ (PyPI: pyreveal), theme dl7.css, mathjax/
(jupyter-server-mathjax).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import copy
import importlib.util
import io
import json
import re
import shutil
import struct
import sys
import tempfile
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "slides_templates"
WIDTH, HEIGHT = 1280, 720
# Layout model (px) of dl7.css, fitted to Chromium's rendering of the decks (--browser: measurements.json):
# 150 slides with outputs: no cell estimated lower than measured; per slide 1.00-1.25 times the measured.
L = dict(top=6, cell=4, code_line=26, code_box=14, code_chars=100, out_line=23.4, out_box=12, out_chars=110,
         text_line=31.05, text_chars=82, code_w=0.9, math_line=2, gap=8, details=31, math=70, tall_math=12,
         h1=48, h1_chars=44, h2=33.6, h2_chars=68, h3=31.2, h3_chars=70, table_row=40, img_max=340, img_width=1240,
         fig_gap=16, plot_gap=8, html_line=21, cell_pad=19, table_chars=110, out_max_lines=9)


def _package(module: str, inner: str, *files: str) -> Path | None:
    """``inner`` in an installed package if it holds ``files`` (found without importing the package)."""
    spec = importlib.util.find_spec(module)
    root = Path(list(spec.submodule_search_locations)[0]) / inner if spec and spec.submodule_search_locations else None
    return root if root and all((root / f).is_file() for f in files) else None


def sources() -> tuple[Path | None, Path | None]:
    """The reveal.js folder of pyreveal and the MathJax folder of jupyter-server-mathjax (None: not installed)."""
    return (_package("pyreveal", "revealjs/dist", "reveal.js", "reveal.css", "plugin/notes.js"),
            _package("jupyter_server_mathjax", "static", "MathJax.js"))


def install_assets(out: Path) -> None:
    reveal, mathjax = sources()
    if not (reveal and mathjax):
        raise SystemExit("Нужны пакеты pyreveal (reveal.js) и jupyter-server-mathjax (MathJax) из requirements-dev.txt:"
                         " python -m pip install -r requirements-dev.txt")
    for src, dst in ((reveal / "reveal.js", "dist/reveal.js"), (reveal / "plugin/notes.js", "plugin/notes/notes.js"),
                     (reveal / "reveal.css", "dist/reveal.css"),
                     (TEMPLATES / "reveal_offline/static/dl7.css", "dist/theme/dl7.css")):
        (out / "reveal.js" / dst).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, out / "reveal.js" / dst)
    if not (out / "mathjax" / "MathJax.js").is_file():
        shutil.copytree(mathjax, out / "mathjax", dirs_exist_ok=True)


def prepare(nb, folder: Path):
    """A copy as shown: markdown images as data URIs (nbconvert's embed_images cuts <details>)."""
    def embed(m):
        path, kind = folder / m.group(2), {".svg": "svg+xml", ".png": "png"}.get(Path(m.group(2)).suffix)
        return f"{m.group(1)}data:image/{kind};base64,{base64.b64encode(path.read_bytes()).decode()})" \
            if kind and path.is_file() else m.group(0)

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = re.sub(r"(!\[[^\]]*\]\()([^)\s]+)\)", embed, cell.source)
    return nb


def slides(nb) -> list[tuple[str, list]]:
    """[(reveal.js index "h/v", cells)]: a slide or subslide cell with its "-"/fragment cells."""
    out: list[tuple[str, list]] = []
    for cell in nb.cells:
        kind = cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")
        if kind in ("skip", "notes"):
            continue
        if kind in ("slide", "subslide") or not out:
            h, v = map(int, out[-1][0].split("/")) if out else (-1, 0)
            out.append((f"{h + 1}/0" if kind == "slide" or not out else f"{h}/{v + 1}", []))
        out[-1][1].append(cell)
    return out


def _lines(lines, chars: float) -> int:
    return sum(max(1, -(-len(line.rstrip()) // int(chars))) for line in lines)


def _image(width: float, height: float) -> float:
    return height * min(1.0, L["img_width"] / width, L["img_max"] / height)


def _figure(path: Path) -> float:
    text = path.read_text(encoding="utf-8", errors="replace")[:3000] if path.suffix == ".svg" and path.is_file() else ""
    size = [re.search(rf'<svg[^>]*\s{k}="([\d.]+)', text) for k in ("width", "height")]
    return _image(*(float(m.group(1)) for m in size)) if all(size) else L["img_max"]


def _markdown(src: str, folder: Path) -> float:
    h = L["details"] * len(re.findall(r"<details>.*?</details>", src, flags=re.S))
    src = re.sub(r"<details>.*?</details>", "", src, flags=re.S)
    h += sum(L["math"] + L["tall_math"] * bool(re.search(r"\\(left|big|frac|sum)", f))
             for f in re.findall(r"\$\$.*?\$\$", src, flags=re.S))
    h += sum(L["code_line"] * len(f.splitlines()) + L["code_box"] for f in re.findall(r"```.*?\n(.*?)```", src, re.S))
    h += sum(_figure(folder / f) + L["fig_gap"] for f in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", src))
    src = re.sub(r"\$\$.*?\$\$|```.*?```|!\[[^\]]*\]\([^)]*\)", "", src, flags=re.S)
    src = re.sub(r"`([^`\n]*)`", lambda m: "c" * round(len(m.group(1)) * L["code_w"] + 1), src)  # code: narrower
    src = re.sub(r"\[([^\]]*)\]\([^)]*\)|\*\*?|\\[a-zA-Z]+|<[^>]+>", r"\1", re.sub(r"(?m)^(\s*)\* ", r"\1- ", src))
    blocks: list[str] = []  # headings, list items, table rows, paragraphs
    for s in (line.strip() for line in src.splitlines()):
        if not s or not blocks or re.match(r"#|[-+] |\d+\. |\|", s) or blocks[-1][:1] in ("#", "|"):
            blocks.append(s)
        elif not re.match(r"\|?\s*:?-{3,}", s):
            blocks[-1] += " " + s
    previous = ""
    for block in filter(None, blocks):
        level = min(len(block) - len(block.lstrip("#")), 3)
        kind = "h" if level else "|" if block[0] == "|" else "-" if re.match(r"[-+] |\d+\. ", block) else "p"
        if kind == "h":
            h += L[f"h{level}"] * _lines([block.lstrip("# ")], L[f"h{level}_chars"])
        else:
            h += L["table_row"] if kind == "|" else \
                (L["text_line"] + L["math_line"] * ("$" in block)) * _lines([block], L["text_chars"])
        h += L["gap"] * (kind in "hp" or previous != kind)  # after a heading or paragraph, around a list or table
        previous = kind
    return h


def _output(out) -> float:
    data = out.get("data", {})
    if "image/png" in data:
        return _image(*struct.unpack(">II", base64.b64decode(data["image/png"][:44])[16:24])) + L["plot_gap"]
    html = data.get("text/html", "")  # a table: its cells wrap in about equal columns; or rich text in <pre>
    rows = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
            for r in re.findall(r"<tr.*?</tr>", html, re.S)]
    if any(rows):
        return L["out_box"] + sum(L["cell_pad"] + L["html_line"] * max(_lines([c], L["table_chars"] / len(r))
                                                                       for c in r) for r in rows if r)
    text = re.sub(r"\x1b\[[\d;]*m", "", out.get("text", "") or data.get("text/plain", ""))  # no ANSI colours
    line = L["html_line"] if html else L["out_line"]
    if not text:
        return 0
    if html:
        return line * _lines(text.rstrip("\n").splitlines(), L["out_chars"]) + L["out_box"]
    # a text output shows at most out_max_lines lines and scrolls inside its box beyond them (dl7.css)
    return line * min(_lines(text.rstrip("\n").splitlines(), L["out_chars"]), L["out_max_lines"]) + L["out_box"]


def cell_height(cell, folder: Path) -> float:
    if cell.cell_type != "code":
        return L["cell"] + _markdown(cell.source, folder)
    code = cell.source.splitlines() or [""]
    return L["cell"] + L["code_line"] * _lines(code, L["code_chars"]) + L["code_box"] + sum(map(_output, cell.outputs))


def slide_layout(nb, folder: Path = REPO / "notebooks") -> list[dict]:
    """Per slide: reveal.js index "h/v", title, estimated height (px), widest code line (characters), fits."""
    rows = []
    for index, cells in slides(nb):
        height = L["top"] + sum(cell_height(c, folder) for c in cells)
        code = [s for c in cells if c.cell_type == "code" for s in c.source.splitlines()]
        widest = max(map(len, code), default=0)
        heads = [s for c in cells if c.cell_type == "markdown" for s in c.source.splitlines() if s.startswith("#")]
        title = next((s for s in heads if s.startswith("###")), heads[0] if heads else cells[0].source.strip()[:60])
        rows.append(dict(index=index, title=title.lstrip("# ").split("\n")[0], height=round(height), widest=widest,
                         fits=height <= HEIGHT and widest <= L["code_chars"]))
    return rows


MEASURE = """() => { const covered = COVERED; const s = Reveal.getCurrentSlide(), top = s.getBoundingClientRect().top;
  const q = x => [...s.querySelectorAll(x)];
  const wide = q('.jp-InputArea pre').map(p => { p.style.whiteSpace = 'pre'; const w = p.scrollWidth - p.clientWidth;
                                                 p.style.whiteSpace = ''; return w; });
  return {height: Math.round(Math.max(0, ...[...s.children].map(c => c.getBoundingClientRect().bottom - top))),
    over_width: Math.max(0, ...wide), math: q('.MathJax').length, figures: q('.jp-RenderedMarkdown img').length,
    raw_tex: /\\$\\$|\\\\(text|frac|tanh)\\b/.test(q('.jp-RenderedMarkdown').map(e => e.innerText).join(' ')),
    plots: q('.jp-RenderedImage img').length, broken: q('img').filter(i => !i.complete || !i.naturalWidth).length,
    code_lines: q('.jp-InputArea pre').map(p => p.innerText.split('\\n').length).reduce((a, b) => a + b, 0),
    cells: Object.fromEntries(q('.jp-Cell').map(c => [c.id.slice(8), c.getBoundingClientRect().height])),
    corner: ['dl7-corner-top', 'dl7-corner-none'].find(c => document.querySelector('.reveal').classList.contains(c))
            || 'bottom', covered: covered(s)}; }"""
# What the arrows and the slide number cover: every visible text line, picture and formula of the slide whose box
# meets the box of a shown arrow or of the slide number (written apart from the deck's own corner(), which this checks).
COVERED = """s => { const parts = [...document.querySelectorAll('.reveal .controls button, .reveal .slide-number')]
    .filter(e => { const c = getComputedStyle(e);
                   return c.display !== 'none' && c.visibility !== 'hidden' && +c.opacity > 0; })
    .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
  const meets = b => b.width > 0 && parts.some(p => b.left < p.right && b.right > p.left && b.top < p.bottom
                                                  && b.bottom > p.top);
  const hidden = e => e.closest('.fragment:not(.visible)') || getComputedStyle(e).visibility === 'hidden';
  const found = [], walker = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || hidden(n.parentElement)) continue;
    const r = document.createRange(); r.selectNodeContents(n);
    if ([...r.getClientRects()].some(meets)) found.push(n.textContent.trim().slice(0, 40));
  }
  for (const e of s.querySelectorAll('img, svg, .MathJax_Display'))
    if (!hidden(e) && meets(e.getBoundingClientRect())) found.push('<' + e.tagName.toLowerCase() + '>');
  return found; }"""
MEASURE = MEASURE.replace("COVERED", COVERED)
SETTLED = """() => window.Reveal && Reveal.isReady() && (!window.MathJax || MathJax.isReady &&
  !MathJax.Hub.queue.pending && !MathJax.Hub.queue.running && !MathJax.Hub.queue.queue.length)"""


def find_chromium() -> str | None:
    """Chromium or Chrome of the OS (Playwright cannot download its own here), or None."""
    names = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
    return next((found for name in names if (found := shutil.which(name))), None)


def browser_check(decks: list[Path], shots: Path | None, chromium: str = "/usr/bin/chromium") -> int:
    """Every slide of the decks in headless Chromium with the network blocked, all fragments shown: the slides
    that do not fit, with text under the arrows or the slide number, raw TeX or broken pictures. Returns 0 or 1;
    with ``shots``, screenshots of some slides and measurements.json go there."""
    from playwright.sync_api import sync_playwright
    blocked, errors, rows, failed = [], [], [], 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium)
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else
                   (blocked.append(r.request.url), r.abort()))
        page.on("pageerror", lambda e: errors.append(str(e)))

        def show(h, v) -> None:  # reveal.js fires "slidechanged" (MathJax rerenders) a moment later: wait for it
            page.evaluate(f"() => Reveal.slide({h}, {v}, 999)")
            page.wait_for_timeout(400)
            page.wait_for_function(SETTLED, timeout=60_000)
            page.evaluate("() => new Promise(done => window.MathJax && MathJax.Hub ? MathJax.Hub.Queue(done) : done())")
            page.wait_for_timeout(100)

        for deck in decks:
            page.goto(deck.as_uri() + "?transition=none")
            page.wait_for_function(SETTLED, timeout=60_000)
            mine = []
            for h, v in page.evaluate("() => Reveal.getSlides().map(Reveal.getIndices).map(i => [i.h, i.v || 0])"):
                show(h, v)
                mine.append({"deck": deck.name[:3], "index": f"{h}/{v}", **page.evaluate(MEASURE)})
            for what in ("math", "figures", "plots", "code_lines", "covered") if shots else ():
                longest = sorted(mine, key=lambda r: -r["code_lines"]) if what == "code_lines" else mine
                if r := next((r for r in longest if r[what]), None):  # the first of each, the longest code
                    show(*r["index"].split("/"))
                    page.screenshot(path=str(shots / f"{r['deck']}-{what}-{r['index'].replace('/', '.')}.png"))
            tall = [r for r in mine if r["height"] > HEIGHT or r["over_width"]]
            covered = [r for r in mine if r["covered"]]
            bad = [r for r in mine if r in tall or r in covered or r["raw_tex"] or r["broken"]]
            moved = sum(r["corner"] != "bottom" for r in mine)
            print(f"{deck.name}: {len(mine)} слайдов с подслайдами; не помещаются {len(tall)}, накрыты кнопками или "
                  f"номером слайда {len(covered)}, самый высокий {max(r['height'] for r in mine)} px; кнопки убраны "
                  f"из нижнего угла на {moved}; формул {sum(r['math'] for r in mine)}, рисунков "
                  f"{sum(r['figures'] for r in mine)}, графиков {sum(r['plots'] for r in mine)}")
            print("".join(f"  #/{r['index']}: высота {r['height']} px, шире на {r['over_width']} px, под кнопками "
                          f"{r['covered'][:2] or 'ничего'}, сырой TeX {r['raw_tex']}, не загрузилось картинок "
                          f"{r['broken']}\n" for r in bad), end="")
            rows += mine
            failed += len(bad)
        browser.close()
    if shots:
        (shots / "measurements.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    tall = sum(r["height"] > HEIGHT or r["over_width"] > 0 for r in rows)
    covered = sum(bool(r["covered"]) for r in rows)
    print(f"Итого: слайдов {len(rows)}, не помещаются {tall}, накрыты кнопками или номером {covered}. "
          f"Запросов в сеть (заблокированы): {len(blocked)} {blocked[:3]}; ошибок JavaScript: {errors[:3]}")
    return int(bool(blocked or errors or failed))


def estimate(paths: list[Path]) -> int:
    bad = [f"{path.name[:3]} #/{r['index']:<5} {r['height']:>5} px {r['widest']:>4} симв.  {r['title'][:60]}"
           for path in paths for r in slide_layout(nbformat.read(path, as_version=4), path.parent) if not r["fits"]]
    print(f"Не помещаются в {WIDTH}x{HEIGHT} (оценка высоты; строки кода до {L['code_chars']} символов):\n"
          + "\n".join(bad) if bad else "Все слайды помещаются (оценка высоты).")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python tools/make_slides.py", description=__doc__.splitlines()[0])
    p.add_argument("notebooks", nargs="*", type=Path, help="ноутбуки (по умолчанию notebooks/*.ipynb)")
    p.add_argument("--out", type=Path, default=REPO / "slides", help="папка (по умолчанию slides/)")
    p.add_argument("--check", action="store_true",
                   help=f"проверить в Chromium, что слайды помещаются в {WIDTH}x{HEIGHT} и кнопки ничего не закрывают")
    p.add_argument("--browser", type=Path, metavar="DIR", help="то же, плюс снимки и замеры — в DIR")
    p.add_argument("--chromium", help="путь к Chromium или Chrome (по умолчанию ищется в PATH)")
    args = p.parse_args(argv)
    paths = args.notebooks or sorted((REPO / "notebooks").glob("*.ipynb"))
    chromium = args.chromium or find_chromium()
    if args.check and not (chromium and importlib.util.find_spec("playwright") and all(sources())):
        print("Chromium, Playwright или пакеты слайдов (requirements-dev.txt) не найдены: только оценка высоты "
              "без браузера; кнопки, закрывающие текст, так не проверить (apt-get install chromium).")
        return estimate(paths)
    if args.check:
        with tempfile.TemporaryDirectory(prefix="dl7-slides-") as folder:
            with contextlib.redirect_stdout(io.StringIO()):
                build(paths, Path(folder))
            return browser_check([Path(folder) / f"{path.stem}.slides.html" for path in paths], None, chromium)
    out = (args.browser / "slides" if args.browser else args.out).resolve()
    build(paths, out)
    if args.browser:
        if not chromium:
            raise SystemExit("Chromium не найден: установите его (apt-get install chromium) или укажите --chromium")
        return browser_check([out / f"{path.stem}.slides.html" for path in paths], args.browser.resolve(), chromium)
    print("Откройте .slides.html в браузере: стрелки и пробел — листать, «s» — окно докладчика, «Esc» — обзор.")
    return 0


def build(paths: list[Path], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    install_assets(out)
    from nbconvert import HTMLExporter, SlidesExporter
    common = dict(extra_template_basedirs=[str(TEMPLATES)], extra_template_paths=[str(TEMPLATES)],
                  mathjax_url="mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe")
    deck = SlidesExporter(template_name="reveal_offline", reveal_url_prefix="reveal.js", reveal_theme="dl7",
                          reveal_width=str(WIDTH), reveal_height=str(HEIGHT), exclude_input_prompt=True,
                          exclude_output_prompt=True, **common)
    page = HTMLExporter(template_name="html_offline", **common)
    for path in paths:
        nb = prepare(nbformat.read(path, as_version=4), path.resolve().parent)
        resources = {"metadata": {"name": path.stem, "path": str(path.resolve().parent)}}
        (out / f"{path.stem}.slides.html").write_text(deck.from_notebook_node(nb, resources=resources)[0], "utf-8")
        (out / f"{path.stem}.html").write_text(page.from_notebook_node(nb, resources=resources)[0], "utf-8")
        print(f"{out / path.stem}.slides.html ({len(slides(nb))} слайдов с подслайдами) и .html")


if __name__ == "__main__":
    sys.exit(main())
