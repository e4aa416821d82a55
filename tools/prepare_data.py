"""Download and verify every real data set into the cache before class; or generate the stand-ins.

    python tools/prepare_data.py                      # all real data sets (GloVe: 100d, as in the lecture)
    python tools/prepare_data.py --skip glove         # without the 822 MB GloVe archive
    python tools/prepare_data.py --glove-dims 50 100  # which glove.6B.<d>d.txt to extract
    python tools/prepare_data.py --no-download        # only the table of what the cache holds
    python tools/prepare_data.py --no-download --standins both   # only the offline stand-ins (quick, full)

The cache is DL7_DATA_DIR (default <repo>/data), DL7_MIRROR (http:// or file://) replaces the official hosts.
The files land where the notebooks' loaders look (utils.data.fetch_real).  Exit status 0: all asked for is in the
cache; 1: a data set failed (the message says what to do); 2: invalid settings or arguments.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from utils import data, download
from utils.data import BY_KEY, DATASETS, DataError
from utils.settings import Settings, SettingsError, get_settings

MB = 1_000_000
DEFAULT_GLOVE_DIMS = (100,)  # the lecture uses glove.6B.100d.txt

# Approximate sizes on disk of what the archives are extracted into, for the disk check of tools/check_env.py.
# aclImdb: 100,000 small files, ~0.23 GB of text, ~0.5 GB with 4 KiB blocks; glove: as listed by Stanford NLP.
EXTRACTED_BYTES = {data.ACLIMDB_DIR: 500 * MB, data.JENA_CSV: 43 * MB, "glove.6B.50d.txt": 171 * MB,
                   "glove.6B.100d.txt": 347 * MB, "glove.6B.200d.txt": 693 * MB, "glove.6B.300d.txt": 1038 * MB}
UNSIZED_BYTES = {"imdb_word_index.json": 2 * MB}  # no size in REMOTES


def cached_state(key: str, s: Settings, glove_dims=DEFAULT_GLOVE_DIMS) -> str | None:
    """'проверен' / 'распакован' when the loaders will use the real files with no download, else None."""
    paths = data.real_paths(key, s, glove_dims)
    if BY_KEY[key].folder:
        return "распакован" if all(p.exists() for p in paths) else None
    return "проверен" if all(download.is_verified(p, data.REMOTES[p.name]) for p in paths) else None


def disk_usage(path: Path) -> int:
    """Bytes of a file or of a folder tree (apparent sizes)."""
    return path.stat().st_size if path.is_file() else sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def bytes_needed(key: str, s: Settings, glove_dims=DEFAULT_GLOVE_DIMS) -> int:
    """About how many bytes the download (and extraction) of a data set still needs."""
    if cached_state(key, s, glove_dims):
        return 0
    absent = [f for f in BY_KEY[key].files if not (s.data_dir / f).is_file()]
    return sum(data.REMOTES[f].size or UNSIZED_BYTES.get(f, 0) for f in absent) + \
        sum(EXTRACTED_BYTES.get(p.name, 0) for p in data.real_paths(key, s, glove_dims) if not p.exists())


def human(n: float) -> str:
    """Bytes in decimal units, as download sites state them: 17.5 МБ, 1.86 ГБ."""
    for unit, size, digits in (("ГБ", 1e9, 2), ("МБ", 1e6, 1), ("КБ", 1e3, 0)):
        if n >= size:
            return f"{n / size:.{digits}f} {unit}"
    return f"{n:.0f} Б"


# --- the command ---------------------------------------------------------------------------------
def print_table(s: Settings, rows: dict[str, str], glove_dims) -> None:
    """The table of what the cache holds, with the bytes on disk (the files and what was extracted from them)."""
    print(f"\nКэш данных: {s.data_dir}\n{'набор данных':<34} {'состояние':<44} {'на диске':>10}\n{'-' * 90}")
    total = 0
    for ds in DATASETS:
        total += (size := sum(disk_usage(s.data_dir / f) for f in (*ds.files, ds.folder) if f))
        state = rows.get(ds.key) or (f"в кэше ({st})" if (st := cached_state(ds.key, s, glove_dims)) else "нет")
        if ds.key == "imdb" and state == "нет" and data.imdb_derivable(s):
            state = "нет; будет закодирован из aclImdb"
        print(f"{ds.title:<34} {state[:44]:<44} {human(size) if size else '-':>10}")
    print(f"{'-' * 90}\n{'Итого реальных данных':<79} {human(total):>10}")
    if synthetic := disk_usage(s.data_dir / "synthetic") + disk_usage(s.data_dir / "glove-offline"):
        print(f"{'Офлайн-заменители (synthetic/, glove-offline/)':<79} {human(synthetic):>10}")


def make_standins(s: Settings, which: str) -> None:
    for scale in ("quick", "full") if which == "both" else (which,):
        st = Settings(scale=scale, data="synthetic", data_dir=s.data_dir)
        print(f"\nОфлайн-заменители, масштаб {scale}: {data.synthetic_dir(st)}")
        times = data.prepare_standins(st)
        for name, seconds in [*times.items(), ("всего", sum(times.values()))]:
            print(f"  {name:<32} {seconds:6.1f} с")


def parse_args(argv: list[str] | None):
    p = argparse.ArgumentParser(prog="python tools/prepare_data.py", description="Скачать и проверить реальные "
                                "наборы данных в кэш (DL7_DATA_DIR, по умолчанию data/) до занятия; по желанию — "
                                "сгенерировать офлайн-заменители.")
    p.add_argument("--skip", action="append", default=[], metavar="НАБОР",
                   help="не скачивать этот набор: " + ", ".join(BY_KEY) + " (можно через запятую или повторять; "
                        "например --skip glove, чтобы не качать 822 МБ GloVe)")
    p.add_argument("--glove-dims", nargs="+", type=int, default=list(DEFAULT_GLOVE_DIMS), metavar="D",
                   help="какие файлы glove.6B.<D>d.txt распаковать: 50 100 200 300 (по умолчанию 100, как в лекции)")
    p.add_argument("--no-download", action="store_true", help="ничего не скачивать, только показать, что есть в кэше")
    p.add_argument("--standins", nargs="?", const="both", choices=("quick", "full", "both"),
                   help="сгенерировать офлайн-заменители для этого масштаба (без значения: both)")
    args = p.parse_args(argv)
    args.skip = {k.strip().lower() for item in args.skip for k in item.split(",") if k.strip()}
    if unknown := args.skip - set(BY_KEY):
        p.error(f"неизвестный набор в --skip: {', '.join(sorted(unknown))}; есть: {', '.join(BY_KEY)}")
    if bad_dims := [d for d in args.glove_dims if d not in data.GLOVE_DIMS]:
        p.error(f"--glove-dims: в GloVe 6B есть размерности {data.GLOVE_DIMS}, а не {bad_dims}")
    args.glove_dims = tuple(dict.fromkeys(args.glove_dims))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        s = get_settings()
    except SettingsError as exc:
        print(f"Ошибка настроек: {exc}", file=sys.stderr)
        return 2
    failed, rows = [], {}
    if not args.no_download:
        print(f"Источник: {'зеркало DL7_MIRROR = ' + s.mirror if s.mirror else 'официальные адреса'}; "
              f"кэш: {s.data_dir}")
        for ds in DATASETS:
            state = cached_state(ds.key, s, args.glove_dims)
            if ds.key in args.skip:
                rows[ds.key] = "пропущен (--skip)" + (f", в кэше ({state})" if state else "")
                continue
            print(f"\n== {ds.title}: {', '.join(ds.files)}", flush=True)
            done = "проверен, распакован" if all((s.data_dir / f).is_file() for f in ds.files) else "скачан и проверен"
            try:
                if not state:
                    data.fetch_real(ds.key, s, args.glove_dims)
                rows[ds.key] = f"уже в кэше ({state})" if state else done
                print(rows[ds.key])
            except DataError as exc:
                failed.append(ds.key)
                rows[ds.key] = "ОШИБКА (см. выше)"
                print(f"ОШИБКА: {exc}", file=sys.stderr, flush=True)
    if args.standins:
        try:
            make_standins(s, args.standins)
        except DataError as exc:
            failed.append("standins")
            print(f"ОШИБКА при генерации заменителей: {exc}", file=sys.stderr)
    print_table(s, rows, args.glove_dims)
    if failed:
        print(f"\nНе готово: {', '.join(failed)}. Причина и что сделать — в сообщениях выше. Где не было сети, "
              "ноутбуки в режиме DL7_DATA=auto возьмут офлайн-заменители.", file=sys.stderr)
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
