"""Download and verify every real data set into the cache before class; or generate the stand-ins.

    python tools/prepare_data.py                      # all real data sets (GloVe: 100d, as in the lecture)
    python tools/prepare_data.py --skip glove         # without the 822 MB GloVe archive
    python tools/prepare_data.py --glove-dims 50 100  # which glove.6B.<d>d.txt to extract
    python tools/prepare_data.py --no-download        # only the table of what the cache holds
    python tools/prepare_data.py --standins both      # also generate the offline stand-ins (quick, full)
    python tools/prepare_data.py --no-download --standins both   # stand-ins only (no network needed)

The cache is DL7_DATA_DIR (default <repo>/data).  DL7_MIRROR (http://... or file:///...) replaces
the official hosts: files are then taken from there by their official names (a classroom mirror,
a USB stick).  Every file is verified (sha256 / md5 / size) by utils.download.fetch; a verified
file is never fetched again, an archive is extracted once into the layout the loaders of
utils.data read, so that a later run finds everything with no download attempt.

Exit code: 0 when everything asked for is in the cache, 1 when a data set failed (the message
says what to do), 2 for invalid settings or arguments.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from utils import data, download  # noqa: E402
from utils.download import DataError  # noqa: E402
from utils.settings import Settings, SettingsError, get_settings  # noqa: E402

MB = 1_000_000


@dataclass(frozen=True)
class Dataset:
    key: str  # the name used by --skip
    title: str  # Russian, for the tables
    files: tuple[str, ...]  # official file names (keys of utils.data.REMOTES)


DATASETS = (
    Dataset("imdb", "IMDB (последовательности чисел)", ("imdb.npz", "imdb_word_index.json")),
    Dataset("aclimdb", "«Сырые» отзывы IMDB (aclImdb)", ("aclImdb_v1.tar.gz",)),
    Dataset("glove", "GloVe 6B", ("glove.6B.zip",)),
    Dataset("jena", "Погода в Йене", ("jena_climate_2009_2016.csv.zip",)),
)
BY_KEY = {d.key: d for d in DATASETS}
DEFAULT_GLOVE_DIMS = (100,)  # the lecture uses glove.6B.100d.txt

# Approximate sizes on disk of what the archives are extracted into (bytes), for the disk check
# of tools/check_env.py.  The archives' own sizes are in utils.data.REMOTES.
#   aclImdb: 100,000 review files + bag-of-words files: ~0.23 GB of text, ~0.5 GB on a disk
#            with 4 KiB blocks (each small file takes a block);
#   glove.6B.<d>d.txt: the file sizes listed by the Stanford NLP site (171 / 347 / 693 / 1,038 MB);
#   jena_climate_2009_2016.csv: 43 MB.
#   imdb_word_index.json has no size in REMOTES: 1.6 MB.
EXTRACTED_BYTES = {"aclimdb": 500 * MB, "jena": 43 * MB}
GLOVE_TXT_BYTES = {50: 171 * MB, 100: 347 * MB, 200: 693 * MB, 300: 1038 * MB}
UNSIZED_BYTES = {"imdb_word_index.json": 2 * MB}


# --- where the loaders of utils.data look for each data set ------------------------------------

def extracted_paths(key: str, s: Settings, glove_dims=DEFAULT_GLOVE_DIMS) -> list[Path]:
    """What the loaders use instead of the archive (the archive is then not needed)."""
    if key == "aclimdb":
        return [s.data_dir / data.ACLIMDB_DIR / "train"]
    if key == "glove":
        return [s.data_dir / data.GLOVE_DIR / f"glove.6B.{d}d.txt" for d in glove_dims]
    if key == "jena":
        return [s.data_dir / data.JENA_DIR / data.JENA_CSV]
    return []


def _exists(path: Path) -> bool:
    return path.is_dir() if path.name == "train" else path.is_file()


def cached_state(key: str, s: Settings, glove_dims=DEFAULT_GLOVE_DIMS) -> str | None:
    """'проверен' / 'распакован' when the loaders will use the real files with no download, else None."""
    ds = BY_KEY[key]
    extracted = extracted_paths(key, s, glove_dims)
    if extracted and all(_exists(p) for p in extracted):
        return "распакован"
    if not extracted and all(download.is_verified(s.data_dir / f, data.REMOTES[f]) for f in ds.files):
        return "проверен"
    return None


def disk_usage(path: Path) -> int:
    """Bytes of a file or of a folder tree (apparent sizes)."""
    if path.is_file():
        return path.stat().st_size
    if not path.is_dir():
        return 0
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.stat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def dataset_bytes(key: str, s: Settings) -> int:
    """Bytes in the cache that belong to a data set: its archives and what was extracted from them."""
    ds = BY_KEY[key]
    total = sum(disk_usage(s.data_dir / f) for f in ds.files)
    extra = {"aclimdb": s.data_dir / data.ACLIMDB_DIR, "glove": s.data_dir / data.GLOVE_DIR,
             "jena": s.data_dir / data.JENA_DIR}.get(key)
    return total + (disk_usage(extra) if extra else 0)


def bytes_needed(key: str, s: Settings, glove_dims=DEFAULT_GLOVE_DIMS) -> int:
    """About how many bytes the download (and extraction) of a data set still needs."""
    if cached_state(key, s, glove_dims):
        return 0
    ds = BY_KEY[key]
    need = 0
    for f in ds.files:
        if not (s.data_dir / f).is_file():
            r = data.REMOTES[f]
            need += r.size or UNSIZED_BYTES.get(f, 0)
    for p in extracted_paths(key, s, glove_dims):
        if not _exists(p):
            if key == "glove":
                need += GLOVE_TXT_BYTES[int(p.name.split(".")[2][:-1])]
            else:
                need += EXTRACTED_BYTES.get(key, 0)
    return need


def human(n: float) -> str:
    """Bytes in decimal units, as download sites state them: 17.5 МБ, 1.86 ГБ."""
    if n >= 1e9:
        return f"{n / 1e9:.2f} ГБ"
    if n >= 1e6:
        return f"{n / 1e6:.1f} МБ"
    if n >= 1e3:
        return f"{n / 1e3:.0f} КБ"
    return f"{n:.0f} Б"


# --- preparing one data set ------------------------------------------------------------------------

def _fetch_all(ds: Dataset, s: Settings) -> list[Path]:
    return [download.fetch(data.REMOTES[f], s.data_dir) for f in ds.files]


def prepare(key: str, s: Settings, glove_dims=DEFAULT_GLOVE_DIMS) -> str:
    """Download, verify and extract one data set; return what was done (for the table)."""
    ds = BY_KEY[key]
    before = cached_state(key, s, glove_dims)
    if before:
        return f"уже в кэше ({before})"
    had = {f: (s.data_dir / f).is_file() for f in ds.files}
    if key == "aclimdb":
        data.fetch_aclimdb(s)
    elif key == "glove":
        for d in glove_dims:
            data.fetch_glove(d, s)
    elif key == "jena":
        data.fetch_jena(s)
    else:
        _fetch_all(ds, s)
    fetched = [f for f in ds.files if not had[f]]
    return "скачан и проверен" if fetched else "проверен, распакован"


# --- the command ---------------------------------------------------------------------------------

def print_table(s: Settings, rows: dict[str, str], glove_dims) -> int:
    """The table of what the cache holds; returns the total bytes of the real data sets."""
    print(f"\nКэш данных: {s.data_dir}")
    print(f"{'набор данных':<34} {'состояние':<44} {'на диске':>10}")
    print("-" * 90)
    total = 0
    for ds in DATASETS:
        size = dataset_bytes(ds.key, s)
        total += size
        state = rows.get(ds.key) or (f"в кэше ({st})" if (st := cached_state(ds.key, s, glove_dims)) else "нет")
        print(f"{ds.title:<34} {state[:44]:<44} {human(size) if size else '-':>10}")
    print("-" * 90)
    print(f"{'Итого реальных данных':<79} {human(total):>10}")
    synthetic = disk_usage(s.data_dir / "synthetic") + disk_usage(s.data_dir / "glove-offline")
    if synthetic:
        print(f"{'Офлайн-заменители (synthetic/, glove-offline/)':<79} {human(synthetic):>10}")
    return total


def make_standins(s: Settings, which: str) -> None:
    scales = ("quick", "full") if which == "both" else (which,)
    for scale in scales:
        print(f"\nОфлайн-заменители, масштаб {scale}: {data.synthetic_dir(Settings(scale, 'synthetic', s.data_dir))}")
        t0 = time.perf_counter()
        times = data.prepare_standins(Settings(scale=scale, data="synthetic", data_dir=s.data_dir))
        for name, seconds in times.items():
            print(f"  {name:<32} {seconds:6.1f} с")
        print(f"  {'всего':<32} {time.perf_counter() - t0:6.1f} с")


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="python tools/prepare_data.py",
        description="Скачать и проверить реальные наборы данных в кэш (DL7_DATA_DIR, по умолчанию data/) "
                    "до занятия; по желанию — сгенерировать офлайн-заменители.")
    p.add_argument("--skip", action="append", default=[], metavar="НАБОР",
                   help="не скачивать этот набор: " + ", ".join(BY_KEY) + " (можно через запятую или повторять; "
                        "например --skip glove, чтобы не качать 822 МБ GloVe)")
    p.add_argument("--glove-dims", nargs="+", type=int, default=list(DEFAULT_GLOVE_DIMS), metavar="D",
                   help="какие файлы glove.6B.<D>d.txt распаковать: 50 100 200 300 (по умолчанию 100, как в лекции)")
    p.add_argument("--no-download", action="store_true", help="ничего не скачивать, только показать, что есть в кэше")
    p.add_argument("--standins", nargs="?", const="both", choices=("quick", "full", "both"),
                   help="сгенерировать офлайн-заменители для этого масштаба (без значения: both)")
    args = p.parse_args(argv)
    skip = {k.strip().lower() for item in args.skip for k in item.split(",") if k.strip()}
    unknown = skip - set(BY_KEY)
    if unknown:
        p.error(f"неизвестный набор в --skip: {', '.join(sorted(unknown))}; есть: {', '.join(BY_KEY)}")
    bad_dims = [d for d in args.glove_dims if d not in data.GLOVE_DIMS]
    if bad_dims:
        p.error(f"--glove-dims: в GloVe 6B есть размерности {data.GLOVE_DIMS}, а не {bad_dims}")
    args.skip = skip
    args.glove_dims = tuple(dict.fromkeys(args.glove_dims))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        s = get_settings()
    except SettingsError as exc:
        print(f"Ошибка настроек: {exc}", file=sys.stderr)
        return 2
    mirror = os.environ.get("DL7_MIRROR", "").strip()
    failed: dict[str, str] = {}
    rows: dict[str, str] = {}
    if not args.no_download:
        print(f"Источник: {'зеркало DL7_MIRROR = ' + mirror if mirror else 'официальные адреса'}")
        print(f"Кэш: {s.data_dir}")
        for ds in DATASETS:
            if ds.key in args.skip:
                rows[ds.key] = "пропущен (--skip)"
                if st := cached_state(ds.key, s, args.glove_dims):
                    rows[ds.key] = f"пропущен (--skip), в кэше ({st})"
                continue
            print(f"\n== {ds.title}: {', '.join(ds.files)}", flush=True)
            try:
                rows[ds.key] = prepare(ds.key, s, args.glove_dims)
            except DataError as exc:
                failed[ds.key] = str(exc)
                rows[ds.key] = "ОШИБКА (см. выше)"
                print(f"ОШИБКА: {exc}", file=sys.stderr, flush=True)
            else:
                print(rows[ds.key])
    if args.standins:
        try:
            make_standins(s, args.standins)
        except DataError as exc:
            failed["standins"] = str(exc)
            print(f"ОШИБКА при генерации заменителей: {exc}", file=sys.stderr)
    print_table(s, rows, args.glove_dims)
    if failed:
        print(f"\nНе готово: {', '.join(failed)}. Причина и что сделать — в сообщениях выше. Ноутбуки в режиме "
              "DL7_DATA=auto возьмут для этих наборов офлайн-заменители.", file=sys.stderr)
        return 1
    if not args.no_download:
        print("\nГотово. Папку кэша можно скопировать на компьютеры без сети (или указать её в DL7_DATA_DIR): "
              "ноутбуки возьмут файлы из неё, ничего не скачивая.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nПрервано. Недокачанные файлы (*.part) удалены; запустите команду ещё раз.", file=sys.stderr)
        sys.exit(130)
