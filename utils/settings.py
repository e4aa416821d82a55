"""Run settings: the DL7_* environment variables (DESIGN.md section 3).

Notebooks call ``get_settings()`` once in their settings cell and then use plain
constants.  Nothing here knows about the lesson.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

SCALES = ("full", "quick")
DATA_MODES = ("auto", "real", "synthetic")

SCALE_HELP = {
    "full": "размеры, эпохи и гиперпараметры лекции",
    "quick": "тот же код на малых размерах и 1-2 эпохах (CI, первый просмотр)",
}
DATA_HELP = {
    "auto": "реальные данные, если они в кэше или их можно скачать, иначе синтетические",
    "real": "только опубликованные наборы данных (скачиваются один раз в кэш)",
    "synthetic": "офлайн-заменители в форматах реальных файлов",
}


class SettingsError(ValueError):
    """An invalid DL7_* value; the message lists the valid ones."""


@dataclass(frozen=True)
class Settings:
    scale: str
    data: str
    data_dir: Path

    @property
    def quick(self) -> bool:
        return self.scale == "quick"

    def pick(self, full, quick):
        """The value for the current scale: ``EPOCHS = S.pick(full=10, quick=1)``."""
        return quick if self.quick else full


def _choice(environ, name: str, valid: tuple[str, ...], default: str) -> str:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value not in valid:
        raise SettingsError(
            f"{name}={raw!r} is not valid. Valid values: {', '.join(valid)} "
            f"(default: {default}). Example: {name}={valid[-1]}"
        )
    return value


def get_settings(environ=None) -> Settings:
    """Read DL7_SCALE, DL7_DATA and DL7_DATA_DIR (defaults: full, auto, <repo>/data)."""
    env = os.environ if environ is None else environ
    scale = _choice(env, "DL7_SCALE", SCALES, "full")
    data = _choice(env, "DL7_DATA", DATA_MODES, "auto")
    # Windows cmd keeps the quotes of  set DL7_DATA_DIR="C:\dl7 data"  in the value: drop them
    raw_dir = (env.get("DL7_DATA_DIR") or "").strip().strip('"').strip("'").strip()
    if raw_dir:
        data_dir = Path(os.path.expandvars(os.path.expanduser(raw_dir)))
        if data_dir.exists() and not data_dir.is_dir():
            raise SettingsError(
                f"DL7_DATA_DIR={raw_dir!r} exists but is not a folder. "
                "Point it at a folder (it is created if missing), or unset it to use <repo>/data."
            )
        data_dir = data_dir.resolve()
    else:
        data_dir = REPO_ROOT / "data"
    return Settings(scale=scale, data=data, data_dir=data_dir)


def describe(settings: Settings | None = None) -> str:
    s = settings or get_settings()
    return "\n".join(
        [
            f"Масштаб  DL7_SCALE    = {s.scale:<9} ({SCALE_HELP[s.scale]})",
            f"Данные   DL7_DATA     = {s.data:<9} ({DATA_HELP[s.data]})",
            f"Кэш      DL7_DATA_DIR = {s.data_dir}",
        ]
    )


def show_settings(settings: Settings | None = None) -> Settings:
    """Print the settings for a notebook's settings cell and return them.

    If Keras is already imported, also list the devices it sees: this starts the
    TensorFlow runtime here, so its one-time start-up messages land in this cell.
    """
    s = settings or get_settings()
    print(describe(s))
    keras = sys.modules.get("keras")
    if keras is not None:
        devices = keras.distribution.list_devices()
        print(f"Keras {keras.__version__}, устройства: {', '.join(devices)}")
    return s
