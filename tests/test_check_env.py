"""tools/check_env.py: the environment check before class."""

from __future__ import annotations

import re
import shutil
import sys
from importlib import metadata

import pytest

from tests import realformat as rf
from tests.nbtools import REPO
from utils import data
from utils import settings as st

sys.path.insert(0, str(REPO / "tools"))
import check_env  # noqa: E402


@pytest.fixture(autouse=True)
def fixed_speed(monkeypatch):
    """This machine "runs the speed probe in 0.2 s": no timing in tests."""
    monkeypatch.setattr(st, "speed_probe", lambda repeats=3: 0.2)


def installed_except(package: str, instead: str | None = None):
    """importlib.metadata.version, except that ``package`` is not installed, or is at version ``instead``."""
    def fake(name):
        if name != package:
            return metadata.version(name)
        if instead is None:
            raise metadata.PackageNotFoundError(name)
        return instead
    return fake


def test_check_env_passes_on_this_machine_offline(cache, monkeypatch, capsys):
    monkeypatch.setenv("DL7_DATA", "auto")
    assert check_env.main(["--offline"]) == 0
    out = capsys.readouterr().out
    for text in ("Python 3.", "tensorflow", "keras", "numpy", "pytest", "ядер CPU", "GPU", "диск: свободно",
                 "сеть не проверялась", "7.1:", "7.2:", "7.3:", "ИТОГ"):
        assert text in out, text
    assert "ОШИБКА" not in out


def test_check_env_names_a_missing_package_and_the_fix(cache, monkeypatch, capsys):
    monkeypatch.setattr(check_env, "version", installed_except("keras"))
    assert check_env.main(["--offline", "--no-bench"]) == 1
    out = capsys.readouterr().out
    assert "[ОШИБКА]   keras: НЕ УСТАНОВЛЕН (требуется ~=3.15)" in out
    assert re.search(r'-m pip install "keras~=3\.\d+"', out)
    assert "НЕ ГОТОВО" in out


@pytest.mark.parametrize(("installed", "ok"), [("2.15.1", False), ("2.22.0", False), ("2.21.7", True)])
def test_check_env_compares_with_the_pin_of_requirements_txt(cache, monkeypatch, capsys, installed, ok):
    monkeypatch.setattr(check_env, "version", installed_except("tensorflow", installed))
    assert check_env.main(["--offline", "--no-bench"]) == (0 if ok else 1)
    out = capsys.readouterr().out
    assert (f"tensorflow {installed}: версия не подходит, требуется ~=2.21.0" in out) is not ok


def test_check_env_only_warns_for_test_and_slide_packages(cache, monkeypatch, capsys):
    monkeypatch.setattr(check_env, "version", installed_except("pytest"))
    monkeypatch.setenv("DL7_DATA", "auto")
    assert check_env.main(["--offline", "--no-bench"]) == 0
    out = capsys.readouterr().out
    assert "[внимание] pytest НЕ УСТАНОВЛЕН: нужен ~=9.0, но только для тестов и слайдов" in out
    assert "-m pip install -r requirements-dev.txt" in out


@pytest.mark.parametrize(("version", "tag"), [((3, 10, 14), "ОШИБКА"), ((3, 14, 0), "внимание")])
def test_check_env_python_range(cache, monkeypatch, capsys, version, tag):
    """Issue 13: the pinned packages need Python >= 3.11; 3.10 was accepted."""
    monkeypatch.setattr(check_env, "python_version", lambda: version)
    assert check_env.main(["--offline", "--no-bench"]) == (1 if tag == "ОШИБКА" else 0)
    assert f"[{tag}]" + " " * (9 - len(tag)) + f"Python {'.'.join(map(str, version))}" in capsys.readouterr().out


@pytest.fixture
def mirror(file_server, cache, monkeypatch):
    """IMDB verified in the cache; a mirror that has glove.6B.zip but no Jena archive."""
    rf.build_imdb_npz(file_server.root)
    (file_server.root / "glove.6B.zip").write_bytes(b"only probed")
    served = {p.name: rf.remote_for(p) for p in file_server.root.iterdir()}
    monkeypatch.setattr(data, "REMOTES", {**data.REMOTES, **served})
    cache.mkdir(parents=True, exist_ok=True)
    for name in ("imdb.npz", "imdb_word_index.json"):
        shutil.copy(file_server.root / name, cache / name)
    monkeypatch.setenv("DL7_MIRROR", file_server.url)
    monkeypatch.setenv("DL7_DATA", "auto")
    return file_server


def test_check_env_data_section(mirror, monkeypatch, capsys):
    assert check_env.main(["--no-bench"]) == 0
    out = capsys.readouterr().out
    assert "IMDB (последовательности чисел): в кэше (реальные, проверен)" in out
    assert "GloVe 6B: нет в кэше, можно скачать" in out and "/glove.6B.zip" in mirror.requests
    assert "Погода в Йене: нет в кэше, HTTP 404 -> без сети офлайн-заменитель" in out
    monkeypatch.setenv("DL7_DATA", "real")
    assert check_env.main(["--no-bench"]) == 1  # real data required but unavailable
    assert "[ОШИБКА]   Погода в Йене: нет в кэше, HTTP 404, а DL7_DATA=real" in capsys.readouterr().out
    monkeypatch.setenv("DL7_DATA", "synthetic")
    assert check_env.main(["--no-bench"]) == 0
    assert "Погода в Йене: DL7_DATA=synthetic -> офлайн-заменитель" in capsys.readouterr().out


def test_expected_times_come_from_the_recorded_timings_scaled_by_the_probe(cache, monkeypatch, capsys):
    def entry(seconds, computed=False, probe_s=0.1):
        return {"seconds": seconds, "computed": computed, "probe_s": probe_s, "machine": "эталон", "date": "2026-11-27"}

    timings = {"times": {"7.1": {"lesson": entry(300), "full": entry(120, True), "quick": entry(40, probe_s=0.2)},
                         "7.3": {"full": entry(20000, True)}}}
    monkeypatch.setattr(st, "read_timings", lambda path=None: timings)
    monkeypatch.setenv("DL7_DATA", "synthetic")
    monkeypatch.delenv("DL7_SCALE")  # lesson, the default
    assert check_env.main(["--offline"]) == 0
    out = capsys.readouterr().out  # this machine is twice as slow as the reference (0.2 s vs 0.1 s)
    assert "7.1: lesson ≈ 10 мин; full ≈ 4 мин (вычислено); quick ≈ 40 с" in out
    assert "замер скорости: 0.200 с (лучший из коротких замеров; время ниже — приблизительная оценка)" in out
    assert "7.2: lesson: не измерено; full: не измерено; quick: не измерено" in out
    assert "7.3: lesson: не измерено; full ≈ 11.1 ч (вычислено)" in out and "дольше занятия" not in out
    monkeypatch.setenv("DL7_SCALE", "full")
    assert check_env.main(["--offline"]) == 0
    assert "[внимание] 7.3 в масштабе full на этом компьютере ≈ 11.1 ч: дольше занятия" in capsys.readouterr().out


def test_check_env_says_imdb_comes_from_the_real_reviews_offline(cache, monkeypatch, capsys):
    """Issue 18: offline with only the aclImdb archive in the cache, imdb.npz is derived from it, not a stand-in."""
    cache.mkdir(parents=True)
    rf.build_aclimdb_tar(cache / "aclImdb_v1.tar.gz")
    monkeypatch.setenv("DL7_DATA", "real")
    check_env.main(["--offline", "--no-bench"])
    out = capsys.readouterr().out
    line = f"IMDB (последовательности чисел): нет в кэше, сеть не проверялась (--offline) -> {data.ENCODED_LABEL}"
    assert line in out
    assert "[ОШИБКА]   IMDB" not in out
