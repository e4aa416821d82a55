"""The benchmark command (benchmarks/): a smoke run end to end, and the equalities its tables rely on.

The smoke run (``python -m benchmarks.run --quick``) runs every section on tiny sizes in a subprocess,
writing only under tmp_path; the real benchmark is run by hand (benchmarks/README.md).
"""

import os
import re
import subprocess
import sys

import numpy as np
import pytest

from benchmarks import run
from tests.nbtools import REPO
from utils.settings import TIMINGS_FILE


def test_smoke_run_prints_every_table_and_records_nothing(tmp_path):
    out = tmp_path / "report.md"
    timings = TIMINGS_FILE.read_bytes()
    env = {**os.environ, "DL7_DATA_DIR": str(tmp_path / "data"), "TF_CPP_MIN_LOG_LEVEL": "2"}
    proc = subprocess.run([sys.executable, "-m", "benchmarks.run", "--quick", "--out", str(out)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    titles = [f"## {i}. {name}" for i, name in enumerate(run.SECTIONS, 1)]
    assert all(t in report and t in proc.stdout for t in titles)
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d · .+ядер: \d+.+TensorFlow \d.+keras \d", report)
    tables = re.findall(r"^\| .+ \|\n\|(?: --- \|)+\n(?:\| .+ \|\n?)+", report, flags=re.M)
    assert len(tables) == len(titles) + 1, report  # models has a second table: the computed full-mode times
    assert "DIFFERENT" not in report and report.count("identical") == 2 + 1 + 1, report  # pipelines, GloVe, one-hot
    assert "SMOKE RUN" in report and "1 warm-up + 2 timed steps" in report
    assert list((tmp_path / "data" / "benchmarks").glob("glove.synthetic.*.txt"))  # written under DL7_DATA_DIR
    assert TIMINGS_FILE.read_bytes() == timings  # --quick never records


def test_arguments_name_sections_by_name_or_number_and_check_model_keys():
    assert run.parse_args(["--only", "glove,4"]).sections == ["glove", "onehot"]
    assert run.parse_args([]).sections == list(run.SECTIONS) and run.parse_args([]).models == list(run.MODELS)
    assert run.parse_args(["--models", "jena_gru,lstm"]).models == ["jena_gru", "lstm"]
    for wrong in (["--only", "nothing"], ["--models", "gpt"], ["--only", "9"]):
        with pytest.raises(SystemExit):
            run.parse_args(wrong)


def fake_epochs(key):
    """1 s per training epoch and 0.5 s per validation pass, whatever the model."""
    return {("train", "notebook"): 1.0, ("val", "notebook"): 0.5, ("train", "plain"): 2.0, ("val", "plain"): 1.0}


def test_full_mode_times_are_recorded_only_by_a_full_run(monkeypatch):
    recorded = []
    monkeypatch.setattr(run, "measure", lambda key, args: fake_epochs(key))
    monkeypatch.setattr(run, "record_times", lambda *a, **kw: recorded.append((a, kw)))
    monkeypatch.setattr(run, "speed_probe", lambda: 0.25)
    text = run.models_section(run.parse_args(["--quick", "--models", ",".join(run.MODELS)]))
    assert "7.2 | 30.0 s" in text and not recorded  # SimpleRNN + LSTM: 10 epochs x 1.5 s each
    run.models_section(run.parse_args(["--models", "simple_rnn,lstm,jena_gru"]))
    assert recorded == [(({"7.2": 30.0}, "full", 0.25), {"computed": True})]  # 7.1 and 7.3 not all measured
    recorded.clear()
    run.models_section(run.parse_args([]))
    # 7.1: 10 + 20 + 20 epochs; 7.3: 20 + 20 + 40 + 40 + 20 + 40 + 10 + 10 epochs, 1.5 s each
    assert recorded[0][0][0] == {"7.1": 75.0, "7.2": 30.0, "7.3": 300.0}


def test_word_one_hot_vectorized_equals_the_lectures_loop(capsys):
    rows = np.random.default_rng(0).integers(0, 1000, size=(300, 12))
    samples = [" ".join(f"w{k}" for k in row) for row in rows] + ["The cat sat on the mat.", "short"]
    reference = run.lecture("onehot loop")(samples)  # 7.1's cell on these samples (not on its own), without prints
    assert capsys.readouterr().out == ""
    assert reference.shape == (302, 10, len({w for s in samples for w in s.split(" ")}) + 1)  # index 0: no word
    assert reference.sum() == sum(min(len(s.split(" ")), 10) for s in samples)
    assert np.array_equal(run.word_vectorized(samples), reference)
    assert not np.array_equal(run.word_vectorized(samples[1:] + samples[:1]), reference)


@pytest.fixture(scope="module")
def jena():
    return run.jena()


def test_jena_functions_are_7_3s_own_definitions(jena):
    data, *functions = jena
    assert data.shape == (420551, 14) and data.dtype == np.float64  # the shape and dtype of 7.3's float_data
    assert [f.__name__ for f in functions] == ["generator", "fast_generator", "same_batches"]
    assert {f.__code__.co_filename for f in functions} == {"7.3-advanced-rnn.ipynb"}  # compiled from the notebook
    assert "float_data" not in functions[0].__globals__  # only the def statements ran


def test_fast_generator_draws_the_books_shuffled_batches(jena):
    data, generator, fast_generator, same_batches = jena
    args = (data, 1440, 144, 0, 200000)
    assert same_batches(generator(*args, shuffle=True), fast_generator(*args, shuffle=True), 3)
    np.random.seed(123)
    x, y = next(fast_generator(*args, shuffle=True))
    np.random.seed(123)
    rows = np.random.randint(1440, 200000, size=128)  # the rows it drew
    assert x.shape == (128, 240, 14) and y.shape == (128,)
    r = rows[5]  # literally the slide's definition for one row
    assert np.array_equal(x[5], data[r - 1440:r:6]) and y[5] == data[r + 144][1]
    assert not same_batches(generator(*args, shuffle=True), fast_generator(data[1:], *args[1:], shuffle=True), 1)


def test_fast_generator_in_order_equals_the_books_generator_across_the_wrap(jena):
    data, generator, fast_generator, same_batches = jena
    book, fast = generator(data, 1440, 144, 200001, 203000), fast_generator(data, 1440, 144, 200001, 203000)
    assert same_batches(book, fast, 14)  # (203000 - 201441) / 128 = 12.2 batches: wraps around once
    shifted = next(fast_generator(data[1:], 1440, 144, 200001, 203000))
    assert not np.array_equal(shifted[1], next(generator(data, 1440, 144, 200001, 203000))[1])


def test_timeseries_dataset_gives_the_generators_windows(jena):
    data, generator, _, same_batches = jena
    dataset = run.timeseries_dataset(data, 200001, 300000)
    assert same_batches(generator(data, 1440, 144, 200001, 300000), iter(dataset), 3)
    assert not same_batches(generator(data, 1440, 144, 200002, 300000), iter(dataset), 1)


def test_glove_parsers_agree_on_tricky_tokens(tmp_path, capsys):
    path = run.glove_file(tmp_path, lines=400, dim=100)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 400 and all(len(line.split(" ")) == 101 for line in lines)
    loop, pandas = run.lecture("glove loop")(path), run.lecture("glove pandas")(path)  # 7.1's two cells
    assert capsys.readouterr().out == ""  # without their prints
    assert list(loop) == list(pandas) and set(run.TRICKY) <= set(loop) and len(loop) == 400
    assert all(np.array_equal(loop[w], v) and v.dtype == np.float32 and v.shape == (100,) for w, v in pandas.items())
