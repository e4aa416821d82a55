from pathlib import Path

import pytest

from utils.settings import REPO_ROOT, SettingsError, get_settings, show_settings


def test_defaults_are_full_auto_repo_data():
    s = get_settings({})
    assert (s.scale, s.data, s.data_dir) == ("full", "auto", REPO_ROOT / "data")
    assert not s.quick and s.pick(full=10, quick=1) == 10


def test_values_are_case_and_space_insensitive(tmp_path):
    s = get_settings({"DL7_SCALE": " Quick ", "DL7_DATA": "SYNTHETIC", "DL7_DATA_DIR": str(tmp_path / "данные")})
    assert (s.scale, s.data) == ("quick", "synthetic")
    assert s.quick and s.pick(full=10, quick=1) == 1
    assert s.data_dir == (tmp_path / "данные").resolve()


@pytest.mark.parametrize("name, value, valid", [
    ("DL7_SCALE", "fast", "full, quick"),
    ("DL7_DATA", "offline", "auto, real, synthetic"),
])
def test_invalid_value_lists_the_valid_ones(name, value, valid):
    with pytest.raises(SettingsError) as err:
        get_settings({name: value})
    assert name in str(err.value) and repr(value) in str(err.value) and valid in str(err.value)


def test_data_dir_that_is_a_file_is_a_clear_error(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(SettingsError, match="not a folder"):
        get_settings({"DL7_DATA_DIR": str(f)})


def test_show_settings_prints_all_three(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("DL7_SCALE", "quick")
    monkeypatch.setenv("DL7_DATA", "synthetic")
    monkeypatch.setenv("DL7_DATA_DIR", str(tmp_path))
    s = show_settings()
    out = capsys.readouterr().out
    assert "DL7_SCALE    = quick" in out and "DL7_DATA     = synthetic" in out and str(tmp_path) in out
    assert s.data_dir == Path(tmp_path).resolve()


def test_quoted_data_dir_from_windows_cmd(tmp_path):
    s = get_settings({"DL7_DATA_DIR": f'"{tmp_path / "dl7 data"}"'})
    assert s.data_dir == (tmp_path / "dl7 data").resolve()
