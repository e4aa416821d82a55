from pathlib import Path

import pytest

from utils.settings import (
    REPO_ROOT,
    SettingsError,
    expected_seconds,
    get_settings,
    read_timings,
    record_times,
    show_settings,
    speed_probe,
    time_report,
)


def test_defaults_are_lesson_auto_repo_data():
    s = get_settings({})
    assert (s.scale, s.data, s.data_dir, s.mirror) == ("lesson", "auto", REPO_ROOT / "data", "")
    assert not s.quick and s.pick(full=10, lesson=5, quick=1) == 5
    assert get_settings({"DL7_SCALE": "full"}).pick(full=10, lesson=5, quick=1) == 10


def test_relative_data_dir_is_relative_to_the_repository_not_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a kernel runs in notebooks/, the tools at the root: one cache for both
    assert get_settings({"DL7_DATA_DIR": "cache"}).data_dir == (REPO_ROOT / "cache").resolve()


def test_mirror_is_read_once_here_and_must_be_a_url():
    assert get_settings({"DL7_MIRROR": " http://10.0.0.1:8000/ "}).mirror == "http://10.0.0.1:8000"
    with pytest.raises(SettingsError, match="file:///"):
        get_settings({"DL7_MIRROR": "E:/dl7-data"})


def test_values_are_case_and_space_insensitive(tmp_path):
    s = get_settings({"DL7_SCALE": " Quick ", "DL7_DATA": "SYNTHETIC", "DL7_DATA_DIR": str(tmp_path / "данные")})
    assert (s.scale, s.data) == ("quick", "synthetic")
    assert s.quick and s.pick(full=10, lesson=5, quick=1) == 1
    assert s.data_dir == (tmp_path / "данные").resolve()


@pytest.mark.parametrize("name, value, valid", [
    ("DL7_SCALE", "fast", "lesson, full, quick"),
    ("DL7_DATA", "offline", "auto, real, synthetic"),
])
def test_invalid_value_lists_the_valid_ones(name, value, valid):
    with pytest.raises(SettingsError) as err:
        get_settings({name: value})
    assert name in str(err.value) and repr(value) in str(err.value) and valid in str(err.value)
    assert "недопустимое значение" in str(err.value) and "Допустимые" in str(err.value)  # students get Russian


def test_data_dir_that_is_a_file_is_a_clear_error(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(SettingsError, match="это не папка"):
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


def entry(seconds, probe_s, computed=False):
    return {"seconds": seconds, "computed": computed, "probe_s": probe_s, "machine": "ref", "date": "2026-11-27"}


def test_expected_time_scales_the_measured_time_by_the_speed_probe():
    timings = {"times": {"7.3": {"lesson": entry(400, 0.5), "full": entry(19500, 0.5, computed=True)}}}
    seconds, how = expected_seconds("7.3", "lesson", probe_s=1.0, timings=timings)
    assert seconds == 800 and "измерено" in how and "медленнее в 2.0" in how
    seconds, how = expected_seconds("7.3", "full", probe_s=0.25, timings=timings)
    assert seconds == 9750 and "вычислено" in how and "быстрее в 2.0" in how
    assert expected_seconds("7.1", "lesson", timings=timings) is None


def test_each_recorded_time_keeps_the_probe_it_was_measured_with(tmp_path):
    path = tmp_path / "timings.json"
    record_times({"7.1": 60, "7.2": 100}, "quick", probe_s=0.1, path=path)
    record_times({"7.1": 90}, "quick", probe_s=0.15, path=path)  # a slower moment: 7.2 was not measured again
    record_times({"7.3": 5000}, "full", probe_s=0.2, computed=True, path=path)
    t = read_timings(path)
    assert t["times"]["7.2"]["quick"] == {**t["times"]["7.2"]["quick"], "seconds": 100, "probe_s": 0.1}
    assert t["times"]["7.1"]["quick"]["seconds"] == 90 and t["times"]["7.1"]["quick"]["probe_s"] == 0.15
    assert t["times"]["7.3"]["full"]["computed"] and not t["times"]["7.1"]["quick"]["computed"]
    assert [round(expected_seconds(nb, "quick", 0.1, t)[0]) for nb in ("7.1", "7.2")] == [60, 100]
    assert round(expected_seconds("7.3", "full", 0.1, t)[0]) == 2500


def test_a_run_over_30_minutes_is_announced_with_the_way_out(monkeypatch):
    monkeypatch.setattr("utils.settings.read_timings",
                        lambda: {"times": {"7.3": {"full": entry(5 * 3600, 1.0), "lesson": entry(300, 1.0)}}})
    full = time_report("7.3", get_settings({"DL7_SCALE": "full"}), probe_s=1.0)
    lesson = time_report("7.3", get_settings({}), probe_s=1.0)
    assert "5.0 ч" in full and "DL7_SCALE=lesson" in full and "!!!" in full
    assert "5 мин" in lesson and "!!!" not in lesson


def test_the_printed_estimate_says_it_is_approximate():
    timings = {"times": {"7.1": {"lesson": entry(80, 0.1)}}}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("utils.settings.read_timings", lambda: timings)
        line = time_report("7.1", get_settings({}), probe_s=0.05)
    assert "на этом компьютере: примерно 40 с (оценка приблизительная: измерено" in line
    assert "80 с; по замеру скорости этот компьютер быстрее в 2.0 раза" in line


def fake_timer(durations):
    """A clock under which the k-th timed pass lasts durations[k]: start at k, stop at k + durations[k]."""
    ticks = iter([t for k, d in enumerate(durations) for t in (float(k), k + d)])
    return lambda: next(ticks)


@pytest.mark.parametrize("durations, best", [
    ([0.010, 0.004, 0.007], 0.004),            # the fastest pass, wherever it comes
    ([0.004, 0.010, 0.010, 0.011], 0.004),
    ([0.009, 0.012, 0.003], 0.003),
])
def test_speed_probe_keeps_the_fastest_of_several_short_probes(durations, best):
    """A busy moment slows some passes; the estimate takes the least disturbed one (no real timing here)."""
    assert speed_probe(probes=len(durations), timer=fake_timer(durations)) == pytest.approx(best * 20)


def test_speed_probe_times_each_pass_separately():
    calls = []

    def timer():
        calls.append(len(calls))
        return float(len(calls))

    assert speed_probe(probes=5, timer=timer) == pytest.approx(20.0)  # each pass "lasts" 1 tick
    assert len(calls) == 10  # a start and a stop per probe
