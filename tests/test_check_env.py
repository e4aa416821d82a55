"""tools/check_env.py: the environment check before class."""

from __future__ import annotations

import re
import sys

import pytest

from tests.nbtools import REPO

sys.path.insert(0, str(REPO / "tools"))
import check_env  # noqa: E402
import prepare_data  # noqa: E402


@pytest.fixture
def fake_bench(monkeypatch):
    steps = {"lstm": 1.0, "gru": 0.5, "small": 0.01}
    monkeypatch.setattr(check_env, "measure_steps", lambda: steps)
    return steps


def test_check_env_passes_on_this_machine_offline(cache, monkeypatch, capsys, fake_bench):
    monkeypatch.setenv("DL7_DATA", "auto")
    assert check_env.main(["--offline"]) == 0
    out = capsys.readouterr().out
    for text in ("Python 3.", "tensorflow", "keras", "numpy", "ядер CPU", "GPU", "диск: свободно", "7.1:",
                 "7.2:", "7.3:", "ИТОГ"):
        assert text in out, text
    assert "ОШИБКА" not in out


def test_check_env_names_a_missing_package_and_the_fix(cache, monkeypatch, capsys):
    real = check_env.installed_version
    monkeypatch.setattr(check_env, "installed_version", lambda name: None if name == "keras" else real(name))
    assert check_env.main(["--offline", "--no-bench"]) == 1
    out = capsys.readouterr().out
    assert "keras: НЕ УСТАНОВЛЕН" in out
    assert re.search(r'-m pip install "keras~=3\.\d+"', out)
    assert "НЕ ГОТОВО" in out


def test_check_env_rejects_a_version_outside_the_pin(cache, monkeypatch, capsys):
    real = check_env.installed_version
    monkeypatch.setattr(check_env, "installed_version", lambda name: "2.15.1" if name == "tensorflow" else real(name))
    assert check_env.main(["--offline", "--no-bench"]) == 1
    out = capsys.readouterr().out
    assert "tensorflow 2.15.1: версия не подходит" in out and '"tensorflow~=' in out


def test_check_env_only_warns_for_test_only_packages(cache, monkeypatch, capsys):
    real = check_env.installed_version
    monkeypatch.setattr(check_env, "installed_version", lambda name: None if name == "pytest" else real(name))
    monkeypatch.setenv("DL7_DATA", "auto")
    assert check_env.main(["--offline", "--no-bench"]) == 0
    assert "pytest: не установлен (нужен только для тестов" in capsys.readouterr().out


def test_check_env_rejects_an_old_python(cache, monkeypatch, capsys):
    monkeypatch.setattr(check_env, "python_version", lambda: (3, 9, 18))
    assert check_env.main(["--offline", "--no-bench"]) == 1
    out = capsys.readouterr().out
    assert "[ОШИБКА]   Python 3.9.18" in out and "нужен Python 3.10–3.12" in out


@pytest.mark.parametrize(("installed", "op", "pinned", "ok"), [
    ("2.21.0", "~=", "2.21.0", True), ("2.21.3", "~=", "2.21.0", True), ("2.22.0", "~=", "2.21.0", False),
    ("2.20.9", "~=", "2.21.0", False), ("3.15.1", "~=", "3.15", True), ("3.99", "~=", "3.15", True),
    ("3.14.9", "~=", "3.15", False), ("4.0", "~=", "3.15", False), ("0.13.2", "~=", "0.13.2", True),
    ("2.21.0rc1", "~=", "2.21.0", True), ("1.0.0", "==", "1.0", True), ("1.2", ">=", "1.10", False),
])
def test_compatible_release_semantics(installed, op, pinned, ok):
    assert check_env.satisfies(installed, op, pinned) is ok


def test_check_env_data_section(source, cache, monkeypatch, capsys, closed_port_url):
    monkeypatch.setenv("DL7_DATA", "auto")
    assert prepare_data.main(["--skip", "aclimdb,glove,jena"]) == 0  # IMDB in the cache
    capsys.readouterr()
    assert check_env.main(["--no-bench"]) == 0
    out = capsys.readouterr().out
    assert "IMDB (последовательности чисел): в кэше (реальные, проверен)" in out
    assert "GloVe 6B: нет в кэше, можно скачать" in out
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)
    assert check_env.main(["--no-bench"]) == 0
    assert "Погода в Йене: нет в кэше и не скачивается" in capsys.readouterr().out
    monkeypatch.setenv("DL7_DATA", "real")
    assert check_env.main(["--no-bench"]) == 1  # real data required but unavailable
    assert "а DL7_DATA=real" in capsys.readouterr().out


def test_time_estimate_follows_the_documented_step_counts():
    est = check_env.estimate({"lstm": 1.0, "gru": 1.0, "small": 1.0})
    imdb = 1570 + check_env.EVAL * 400
    assert est["7.2"] == pytest.approx((check_env.SIMPLE_RNN + 1) * imdb)
    assert est["7.1"] == pytest.approx(6250 + 280 + check_env.EVAL * (1570 + 12520))
    jena20, jena40 = 10000 + check_env.EVAL * 15380, 20000 + check_env.EVAL * 30760
    assert est["7.3"] == pytest.approx((check_env.DENSE_JENA + 2) * jena20
                                       + (1 + check_env.STACKED + check_env.BIDIRECTIONAL_GRU) * jena40
                                       + (check_env.LSTM_EMBEDDING_128 + check_env.BIDIRECTIONAL_LSTM) * imdb)
    assert check_env.duration(30) == "~30 с" and check_env.duration(600) == "~10 мин"
    assert check_env.duration(7200) == "~2.0 ч"


# --- slides ----------------------------------------------------------------------------------------
