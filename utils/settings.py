"""Run settings: the DL7_* environment variables (DESIGN.md section 3), and the notebooks' expected times.

Notebooks call ``show_settings("7.x")`` once in their settings cell and then use plain constants.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import platform
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
# Notebook times per scale, each with the speed probe of the machine that measured it (record_times)
TIMINGS_FILE = REPO_ROOT / "notebooks" / "timings.json"
LONG_RUN_S = 30 * 60  # longer than this: the settings cell warns before any time is spent
SCALES = ("lesson", "full", "quick")
DATA_MODES = ("auto", "real", "synthetic")

# true for every notebook: at lesson, 7.1 and 7.2 keep the lecture's sizes, 7.3 is cut; the next cell lists the cuts
SCALE_HELP = {"lesson": "код лекции на размерах, при которых ноутбук идёт до 10 минут на 2 ядрах CPU; "
                        "отличия от лекции, если есть, — в следующей ячейке",
              "full": "размеры, эпохи и гиперпараметры лекции (7.3 — часы на CPU)",
              "quick": "крошечные размеры для CI; результаты не показательны"}
DATA_HELP = {"auto": "реальные данные, если они в кэше или их можно скачать, иначе синтетические",
             "real": "только опубликованные наборы данных (скачиваются один раз в кэш)",
             "synthetic": "офлайн-заменители в форматах реальных файлов"}


class SettingsError(ValueError):
    """An invalid DL7_* value; the message lists the valid ones."""


@dataclass(frozen=True)
class Settings:
    scale: str
    data: str
    data_dir: Path
    mirror: str = ""  # DL7_MIRROR: base URL that replaces the official hosts ("" = official hosts)

    @property
    def quick(self) -> bool:
        return self.scale == "quick"

    def pick(self, full, lesson, quick):
        """The value for the current scale: ``EPOCHS = S.pick(full=20, lesson=6, quick=1)``."""
        return {"full": full, "lesson": lesson, "quick": quick}[self.scale]

    @property
    def label(self) -> str:
        """``масштаб lesson`` — to put next to every printed or plotted result."""
        return f"масштаб {self.scale}"


def _env(environ, name: str) -> str:
    """The value without spaces and without the quotes that Windows cmd keeps:  set DL7_DATA_DIR="C:\\dl7 data"."""
    return (environ.get(name) or "").strip().strip('"').strip("'").strip()


def _choice(environ, name: str, valid: tuple[str, ...], default: str) -> str:
    value = _env(environ, name).lower() or default
    if value not in valid:
        raise SettingsError(f"{name}={environ[name]!r} — недопустимое значение. Допустимые: {', '.join(valid)} "
                            f"(по умолчанию: {default}). Пример: {name}={valid[-1]}")
    return value


def get_settings(environ=None) -> Settings:
    """Read DL7_SCALE, DL7_DATA, DL7_DATA_DIR and DL7_MIRROR (defaults: lesson, auto, <repo>/data, none).  A relative
    DL7_DATA_DIR is relative to the repository: a kernel started in notebooks/ and a tool share one cache."""
    env = os.environ if environ is None else environ
    scale = _choice(env, "DL7_SCALE", SCALES, "lesson")
    data = _choice(env, "DL7_DATA", DATA_MODES, "auto")
    raw_dir = os.path.expandvars(os.path.expanduser(_env(env, "DL7_DATA_DIR")))
    data_dir = (REPO_ROOT / raw_dir).resolve() if raw_dir else REPO_ROOT / "data"
    if data_dir.exists() and not data_dir.is_dir():
        raise SettingsError(f"DL7_DATA_DIR={raw_dir!r} существует, но это не папка. Укажите папку (если её нет, "
                            "она будет создана) или уберите DL7_DATA_DIR, чтобы кэш был в <репозиторий>/data.")
    mirror = _env(env, "DL7_MIRROR").rstrip("/")
    if mirror and not mirror.startswith(("http://", "https://", "file://")):
        raise SettingsError(f"DL7_MIRROR={mirror!r} — не URL. Укажите http://ХОСТ:ПОРТ (сервер в классе) или "
                            "file:///ПУТЬ (папка, например file:///E:/dl7-data) или уберите DL7_MIRROR, чтобы "
                            "скачивать с официальных адресов.")
    return Settings(scale=scale, data=data, data_dir=data_dir, mirror=mirror)


PROBE_PASSES = 20  # the probe's unit, as in notebooks/timings.json: seconds for 20 passes of the RNN-like loop


def speed_probe(probes: int = 40, timer=time.perf_counter) -> float:
    """This machine's speed for the expected times: a fixed small-array workload like an RNN's (one pass: a loop
    of small matrix products and tanh over 200 steps), timed ``probes`` times; the fastest pass, times PROBE_PASSES.

    Many short probes, the best kept: on a busy machine some passes are slowed by other programs, the fastest is
    the least disturbed.  (One long probe swung 2.5x within minutes on a loaded 2-core machine.)  Its ratio between
    two machines scales the measured times; it stays an approximation."""
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.standard_normal((128, 200, 32), dtype=np.float32)
    w = rng.standard_normal((32, 64), dtype=np.float32) * 0.1
    u = rng.standard_normal((64, 64), dtype=np.float32) * 0.1
    passes = []
    for _ in range(max(1, probes)):
        t0 = timer()
        h = np.zeros((128, 64), dtype=np.float32)
        for t in range(x.shape[1]):
            h = np.tanh(x[:, t] @ w + h @ u)
        passes.append(timer() - t0)
    return min(passes) * PROBE_PASSES


def read_timings(path: Path = TIMINGS_FILE) -> dict:
    """The measured-times file, or {} when there is none yet."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def machine() -> str:
    """This computer in one line: CPU, cores, OS, Python, TensorFlow."""
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").is_file() else []
    cpu = next((x.split(":", 1)[1].strip() for x in cpuinfo if x.startswith("model name")), platform.processor())
    return (f"{cpu}, ядер: {os.cpu_count()}, {platform.system()}, Python {platform.python_version()}, "
            f"TensorFlow {version('tensorflow')}")


def record_times(seconds: dict[str, float], scale: str, probe_s: float, computed: bool = False,
                 path: Path = TIMINGS_FILE) -> None:
    """Write times[nb][scale] (measured, or computed from measured epochs), each with this run's speed probe,
    machine and date: an entry keeps its own probe, so that a later run with another probe leaves it as it was."""
    t = read_timings(path)
    for nb, value in seconds.items():
        t.setdefault("times", {}).setdefault(nb, {})[scale] = {
            "seconds": round(value, 1), "computed": computed, "probe_s": round(probe_s, 4), "machine": machine(),
            "date": datetime.date.today().isoformat()}
    Path(path).write_text(json.dumps(t, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def expected_seconds(notebook: str, scale: str, probe_s: float | None = None,
                     timings: dict | None = None) -> tuple[float, str] | None:
    """Expected run time of ``notebook`` ("7.1") at ``scale`` on this machine, and how it was got: the time of the
    reference machine, scaled by how much slower this machine runs the speed probe.  None when not recorded."""
    entry = (read_timings() if timings is None else timings).get("times", {}).get(notebook, {}).get(scale)
    if entry is None:
        return None
    ratio = probe_s / entry["probe_s"] if probe_s is not None else 1.0
    how = "вычислено по замерам эпох" if entry["computed"] else "измерено"
    speed = f"медленнее в {ratio:.1f} раза" if ratio >= 1 else f"быстрее в {1 / ratio:.1f} раза"
    return entry["seconds"] * ratio, (f"{how} на эталонной машине ({entry['machine']}): "
                                      f"{duration(entry['seconds'])}; по замеру скорости этот компьютер {speed}")


def duration(seconds: float) -> str:
    """Seconds as the settings cell and tools/check_env.py print them: 40 с, 12 мин, 5.4 ч."""
    if seconds < 90:
        return f"{seconds:.0f} с"
    return f"{seconds / 60:.0f} мин" if seconds < 90 * 60 else f"{seconds / 3600:.1f} ч"


def shown_path(path: Path) -> str:
    """The cache folder as printed: relative to the repository when inside it (stored outputs stay machine-neutral)."""
    return f"<репозиторий>/{path.relative_to(REPO_ROOT).as_posix()}" if path.is_relative_to(REPO_ROOT) else str(path)


def time_report(notebook: str, s: Settings, probe_s: float | None = None) -> str:
    """The expected-time lines of the settings cell, with a loud warning for runs over 30 minutes."""
    expected = expected_seconds(notebook, s.scale, probe_s)
    if expected is None:
        return f"Ожидаемое время ноутбука {notebook} в масштабе {s.scale}: не измерено"
    seconds, how = expected
    text = (f"Ожидаемое время ноутбука {notebook} в масштабе {s.scale} на этом компьютере: примерно "
            f"{duration(seconds)} (оценка приблизительная: {how})")
    if seconds > LONG_RUN_S:
        bar = "!" * 78
        text = "\n".join([
            bar, text, "!! Это дольше занятия. Чтобы уложиться в 10 минут: Kernel -> Shut Down, затем запустите",
            "!! JupyterLab с DL7_SCALE=lesson (Linux/macOS: DL7_SCALE=lesson jupyter lab; Windows cmd:",
            "!! set DL7_SCALE=lesson, затем jupyter lab) — или просто не задавайте DL7_SCALE (lesson по умолчанию).",
            "!! Прерванное обучение продолжится с последней законченной эпохи (BackupAndRestore).",
            bar,
        ])
    return text


@contextlib.contextmanager
def native_stderr_hidden():
    """TensorFlow's start-up notes (no CUDA, oneDNN) are written from C++ straight to file descriptor 2, past
    TF_CPP_MIN_LOG_LEVEL: students take the red lines for errors.  Hidden while it starts, then stderr is back."""
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def show_settings(notebook: str | None = None, settings: Settings | None = None) -> Settings:
    """Print the settings (and, for a notebook, its expected time) and return them.  For a notebook's settings
    cell it also starts Keras/TensorFlow with its start-up notes hidden and lists the devices Keras sees."""
    s = settings or get_settings()
    mirror = f"\nЗеркало  DL7_MIRROR   = {s.mirror}" if s.mirror else ""
    print(f"Масштаб  DL7_SCALE    = {s.scale:<9} ({SCALE_HELP[s.scale]})\n"
          f"Данные   DL7_DATA     = {s.data:<9} ({DATA_HELP[s.data]})\n"
          f"Кэш      DL7_DATA_DIR = {shown_path(s.data_dir)}{mirror}")
    if notebook is not None:
        print(time_report(notebook, s, speed_probe()))
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        with native_stderr_hidden():
            import keras

            keras.ops.zeros(1)  # the first operation starts the runtime: its notes are hidden too
            devices = keras.distribution.list_devices()
        print(f"Keras {keras.__version__}, устройства: {', '.join(devices)}")
    return s
