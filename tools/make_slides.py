"""Export every notebook to a static reveal.js slide deck that works with no network.

    python tools/make_slides.py                       # notebooks/*.ipynb -> slides/<name>.slides.html
    python tools/make_slides.py notebooks/7.2-*.ipynb # some notebooks only
    python tools/make_slides.py --out /some/folder    # another output folder
    python tools/make_slides.py --cdn                 # nbconvert's stock deck (reveal.js etc. from CDNs)

Open slides/<name>.slides.html in a browser; arrows or space move, "s" opens the speaker view.
The slides follow the cells' ``slideshow.slide_type`` metadata (the same that RISE uses live).

Offline: nbconvert's stock deck loads jQuery, require.js, reveal.js and MathJax from CDNs.  This
script instead copies reveal.js (from the PyPI package ``sphinx-revealjs``, which ships its
``dist/`` files) and MathJax 2 (from ``jupyter-server-mathjax``) into ``slides/reveal.js/`` and
``slides/mathjax/`` and renders with ``tools/slides_templates/reveal_offline``, a small template
that extends nbconvert's ``reveal`` one and loads reveal.js with plain <script> tags instead of
require.js.  The folder ``slides/`` can be copied as a whole to the presenting machine.
Without those packages it falls back to the CDN (and says so).  The same as one command:

    jupyter nbconvert --to slides --output-dir slides \\
        --TemplateExporter.extra_template_basedirs=tools/slides_templates --template reveal_offline \\
        --SlidesExporter.reveal_url_prefix=reveal.js \\
        --HTMLExporter.mathjax_url="mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe" \\
        notebooks/*.ipynb
    (after copying <sphinx_revealjs>/_static/revealjs to slides/reveal.js and
     <jupyter_server_mathjax>/static to slides/mathjax)
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import time
from html.parser import HTMLParser
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "slides_templates"
OFFLINE_TEMPLATE = "reveal_offline"
REVEAL_DIR = "reveal.js"  # next to the decks
MATHJAX_DIR = "mathjax"
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"  # the configuration nbconvert uses, both in MathJax 2.7


def _package_dir(module: str) -> Path | None:
    """The folder of an installed package, found without importing it (sphinx_revealjs imports Sphinx)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def reveal_source() -> Path | None:
    root = _package_dir("sphinx_revealjs")
    path = root / "_static" / "revealjs" if root else None
    return path if path and (path / "dist" / "reveal.js").is_file() else None


def mathjax_source() -> Path | None:
    root = _package_dir("jupyter_server_mathjax")
    path = root / "static" if root else None
    return path if path and (path / "MathJax.js").is_file() else None


def _copy_once(src: Path, dst: Path, stamp: str, ignore=None) -> None:
    """Copy the folder ``src`` to ``dst`` unless ``dst`` already holds the copy named by ``stamp``."""
    marker = dst / ".copied-from"
    if marker.is_file() and marker.read_text(encoding="utf-8") == stamp:
        return
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, ignore=ignore)
    marker.write_text(stamp, encoding="utf-8")


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def install_assets(out: Path) -> dict[str, str | None]:
    """Copy reveal.js and MathJax next to the decks; return the URLs for the exporter (None: use the CDN)."""
    urls: dict[str, str | None] = {"reveal": None, "mathjax": None}
    reveal = reveal_source()
    if reveal:
        _copy_once(reveal, out / REVEAL_DIR, f"sphinx-revealjs {_version('sphinx-revealjs')} {reveal}",
                   ignore=shutil.ignore_patterns("*.map", "*.esm.js", "*.scss", "css", "highlight", "markdown"))
        urls["reveal"] = REVEAL_DIR
    mathjax = mathjax_source()
    if mathjax:
        _copy_once(mathjax, out / MATHJAX_DIR, f"jupyter-server-mathjax {_version('jupyter-server-mathjax')} {mathjax}")
        urls["mathjax"] = f"{MATHJAX_DIR}/MathJax.js?config={MATHJAX_CONFIG}"
    return urls


def make_exporter(urls: dict[str, str | None]):
    from nbconvert import SlidesExporter

    if urls["reveal"] is None:  # nbconvert's stock deck: everything from CDNs
        return SlidesExporter()
    kwargs = {"template_name": OFFLINE_TEMPLATE, "extra_template_basedirs": [str(TEMPLATES)],
              "reveal_url_prefix": urls["reveal"]}
    if urls["mathjax"]:
        kwargs["mathjax_url"] = urls["mathjax"]
    return SlidesExporter(**kwargs)


def export(nb, exporter, target: Path) -> Path:
    """Write the deck of the notebook node ``nb`` to ``target``."""
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": target.name.split(".slides")[0]}})
    target.write_text(body, encoding="utf-8")
    return target


# --- slide counting (used in the printout and in tests/test_classroom.py) --------------------

def slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def expected_slides(nb) -> int:
    """Top-level slides the deck should have: one per "slide" cell; the first shown cell always opens one."""
    shown = [c for c in nb["cells"] if slide_type(c) not in ("skip", "notes")]
    if not shown:
        return 0
    return (slide_type(shown[0]) != "slide") + sum(slide_type(c) == "slide" for c in shown)


class _SectionCounter(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0
        self.top = 0

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.top += self.depth == 0
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self.depth -= 1


def count_slides(html: str) -> int:
    """Top-level <section> elements of a reveal.js deck (a slide with sub-slides counts once)."""
    parser = _SectionCounter()
    parser.feed(html)
    return parser.top


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python tools/make_slides.py",
                                description="Статические слайды reveal.js из ноутбуков (работают без сети).")
    p.add_argument("notebooks", nargs="*", type=Path, help="ноутбуки (по умолчанию notebooks/*.ipynb)")
    p.add_argument("--out", type=Path, default=REPO / "slides", help="папка для слайдов (по умолчанию slides/)")
    p.add_argument("--cdn", action="store_true", help="стандартные слайды nbconvert: reveal.js и MathJax из интернета")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    paths = args.notebooks or sorted((REPO / "notebooks").glob("*.ipynb"))
    if not paths:
        print("Нет ноутбуков в notebooks/.", file=sys.stderr)
        return 1
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    urls = {"reveal": None, "mathjax": None} if args.cdn else install_assets(out)
    if urls["reveal"] is None:
        print("ВНИМАНИЕ: слайды будут загружать reveal.js, require.js и MathJax из интернета (CDN): без сети "
              "они не покажутся.\n  Для показа без сети: python -m pip install sphinx-revealjs jupyter-server-mathjax "
              "и запустите эту команду ещё раз.")
    elif urls["mathjax"] is None:
        print("ВНИМАНИЕ: reveal.js лежит рядом со слайдами, но MathJax будет загружаться из интернета: без сети "
              "формулы останутся в виде TeX.\n  Для формул без сети: python -m pip install jupyter-server-mathjax")
    else:
        print(f"reveal.js и MathJax скопированы в {out / REVEAL_DIR} и {out / MATHJAX_DIR}: слайды работают без сети.")
    exporter = make_exporter(urls)
    failed = 0
    for path in paths:
        t0 = time.perf_counter()
        target = out / (path.stem + ".slides.html")
        try:
            nb = nbformat.read(path, as_version=4)
            export(nb, exporter, target)
        except Exception as exc:  # one broken notebook must not stop the others
            failed += 1
            print(f"ОШИБКА {path.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        n = count_slides(target.read_text(encoding="utf-8"))
        print(f"{target}  ({n} слайдов, {time.perf_counter() - t0:.1f} с)")
    print("\nОткройте файл .slides.html в браузере: стрелки и пробел — листать, «s» — окно докладчика, "
          "«Esc» — обзор слайдов.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
