"""Section 4: parsing a 400,000-line glove.6B.100d.txt, a naive line loop against fast parsers.

The file is synthetic (the real one is an 822 MB download): written once into the cache by
``utils.standins.write_glove_txt``, in the real format (word, then 100 numbers, single spaces,
no header), with the awkward tokens of the real file (a lone double quote, "null", "nan", "n/a",
"#", "1,000") that trip a careless CSV parser.

Each parser runs in a fresh subprocess (``python -m benchmarks.glove PARSER FILE``), which
reports its time, its peak resident memory (``ru_maxrss``) and its memory right after the
imports, so the peaks are honest and independent of each other.
"""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from .common import REPO, Context, Section, current_rss_bytes, fmt_mb, fmt_s, md_table, peak_rss_bytes

LINES = 400000
DIM = 100
SPECIAL = ['"', "'", "null", "nan", "NaN", "n/a", "NA", "#", "1,000", "-", "...", "<unk>", "'s", "true", "None"]


def glove_file(folder: Path, lines: int = LINES, dim: int = DIM) -> Path:
    """The synthetic glove.6B.<dim>d.txt with ``lines`` lines, written once into ``folder``."""
    from utils import standins

    path = Path(folder) / f"glove.synthetic.{lines}x{dim}d.txt"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    words, vectors = standins.synthetic_glove(dim)
    words = list(dict.fromkeys(SPECIAL + words))
    extra = lines - len(words)
    if extra > 0:  # rare words of the real file: names, numbers, misspellings
        words += [f"{words[k % len(words)].strip(SPECIAL_CHARS) or 'w'}{k}" for k in range(extra)]
    words = words[:lines]
    rng = np.random.default_rng(400)
    vectors = np.concatenate([vectors, rng.normal(0, 0.4, size=(max(0, lines - len(vectors)), dim))])[:lines]
    standins.write_glove_txt(path, words, vectors.astype(np.float32))
    return path


SPECIAL_CHARS = "\"'#.,-<>"


# --- the parsers (each returns {word: float32 vector}) ---------------------------------------------

def parse_loop(path):
    """The lecture's loop, as the book writes it in Python: split each line, one small array per word."""
    embeddings_index = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            values = line.split()
            word = values[0]
            coefs = np.asarray(values[1:], dtype="float32")
            embeddings_index[word] = coefs
    return embeddings_index


def parse_pandas_notebook(path):
    """The 7.1 notebook's parser: pandas' C parser (float64), then float32 rows in a dict."""
    import pandas as pd

    glove = pd.read_csv(path, sep=" ", header=None, index_col=0, dtype={0: str}, quoting=csv.QUOTE_NONE,
                        keep_default_na=False, na_filter=False)
    return dict(zip(glove.index, glove.to_numpy(dtype="float32")))


def parse_pandas_float32(path):
    """pandas' C parser straight to float32 (half the memory of float64), rows in a dict."""
    import pandas as pd

    with open(path, encoding="utf-8") as f:
        dim = len(f.readline().rstrip("\n").split(" ")) - 1
    glove = pd.read_csv(path, sep=" ", header=None, index_col=0, quoting=csv.QUOTE_NONE, na_filter=False,
                        engine="c", dtype={0: str, **{k: np.float32 for k in range(1, dim + 1)}})
    return dict(zip(glove.index, glove.to_numpy()))


PARSERS = {
    "loop": ("naive line loop (the lecture's R, the book's Python): `split()` + `np.asarray(values[1:], "
             "'float32')` per line", parse_loop),
    "pandas_notebook": ("7.1 notebook: `pd.read_csv(sep=' ', quoting=QUOTE_NONE, na_filter=False)` (float64) "
                        "-> float32", parse_pandas_notebook),
    "pandas_float32": ("`pd.read_csv(..., engine='c', dtype=float32)`", parse_pandas_float32),
}


def digest(index: dict) -> str:
    """A fingerprint of a parsed file: words in order and all the vectors."""
    h = hashlib.sha256()
    for word, vector in index.items():
        h.update(word.encode("utf-8") + b"\0")
        h.update(np.ascontiguousarray(vector, dtype=np.float32).tobytes())
    return h.hexdigest()[:16]


def _worker(name: str, path: str) -> None:
    import pandas  # noqa: F401  (imported before the baseline, so the baseline is the same for all)

    baseline = current_rss_bytes()
    t0 = time.perf_counter()
    index = PARSERS[name][1](path)
    seconds = time.perf_counter() - t0
    peak = peak_rss_bytes()
    print(json.dumps({"seconds": seconds, "peak": peak, "baseline": baseline, "words": len(index),
                      "dim": len(next(iter(index.values()))), "digest": digest(index)}))


def run_parser(name: str, path: Path, timeout: float = 1800) -> dict:
    proc = subprocess.run([sys.executable, "-m", "benchmarks.glove", name, str(path)], cwd=REPO,
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"parser {name} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def section(ctx: Context) -> Section:
    lines = 2000 if ctx.quick else LINES
    t0 = time.perf_counter()
    existed = (Path(ctx.cache_dir) / f"glove.synthetic.{lines}x{DIM}d.txt").is_file()
    path = glove_file(ctx.cache_dir, lines)
    made = "" if existed else f" (written now in {time.perf_counter() - t0:.0f} s)"
    ctx.log(f"glove: {path}{made}, {path.stat().st_size / 2**20:.0f} MB")
    rows, results = [], {}
    for name in PARSERS:
        r = run_parser(name, path)
        results[name] = r
        ctx.log(f"  {name}: {r['seconds']:.1f} s, peak {fmt_mb(r['peak'])}")
    ref = results["loop"]
    for name, (label, _fn) in PARSERS.items():
        r = results[name]
        extra = None if r["peak"] is None or r["baseline"] is None else r["peak"] - r["baseline"]
        target = "yes" if r["seconds"] < 10 else "**no**"
        rows.append([label, fmt_s(r["seconds"]), f"{ref['seconds'] / r['seconds']:.1f}x", target,
                     fmt_mb(r["peak"]), fmt_mb(extra), f"{r['words']:,} x {r['dim']}",
                     "reference" if name == "loop" else ("identical" if r["digest"] == ref["digest"]
                                                         else "DIFFERENT")])
    ctx.results["glove"] = results
    table = md_table(["parser", "time", "speed-up", "< 10 s?", "peak RSS", "peak RSS above the imports",
                      "words x dim", "result vs the loop"], rows)
    notes = [
        f"Synthetic glove.6B.{DIM}d.txt in the real format: {lines:,} lines, {path.stat().st_size / 2**20:.0f} MB "
        "(the real file: 400,000 lines, 331 MB). Each parser in its own subprocess: time of the parse into "
        "{word: float32 vector}; peak RSS of that process (VmHWM on Linux, ru_maxrss elsewhere), and the same "
        "minus its RSS after importing NumPy and pandas.",
        "'Identical': same words in the same order and bit-identical float32 vectors as the loop's.",
    ]
    if ctx.quick:
        notes.insert(0, f"SMOKE RUN (--quick): a {lines:,}-line file, not 400,000.")
    return Section("glove", f"4. GloVe parsing: {lines:,} lines x {DIM}d", table, notes)


if __name__ == "__main__":
    _worker(sys.argv[1], sys.argv[2])
