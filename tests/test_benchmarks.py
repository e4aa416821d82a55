"""The benchmark command (benchmarks/): a smoke run end to end, and the equalities it relies on.

The smoke run (``python -m benchmarks.run --quick``) runs every section on tiny sizes in a
subprocess, writing only under tmp_path; the real benchmark is run by hand (benchmarks/README.md).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import numpy as np
import pytest

from benchmarks import glove, onehot, pipelines
from benchmarks.run import SECTIONS, parse_args
from tests.nbtools import REPO

SECTION_TITLES = ["## 1. Notebook wall time", "## 2. Time per epoch", "## 3. Jena input pipelines",
                  "## 4. GloVe parsing", "## 5. One-hot encoding", "## 6. Full-mode running time"]


def test_smoke_run_produces_every_table(tmp_path):
    out = tmp_path / "report.md"
    env = {**os.environ, "DL7_DATA_DIR": str(tmp_path / "data"), "TF_CPP_MIN_LOG_LEVEL": "2", "MPLBACKEND": "Agg"}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--out", str(out), "--cache-dir", str(tmp_path / "cache"),
         "--work-dir", str(tmp_path / "work")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert all(title in proc.stdout for title in SECTION_TITLES)  # the tables are printed too

    # the header line: date, CPU, cores, versions
    assert re.search(r"\d{4}-\d\d-\d\d .*CPU: .+ · \d+ cores usable .*TensorFlow \d.*Keras \d", report)
    for title in SECTION_TITLES:
        assert title in report, f"missing section {title!r}"
    tables = re.findall(r"^\| .+ \|\n\|(?:---\|)+\n(?:\| .+ \|\n)+", report, flags=re.M)
    assert len(tables) == len(SECTION_TITLES), report
    # every equality check held, nothing failed, nothing was left unmeasured
    assert "DIFFERENT" not in report and "FAILED" not in report, report
    assert report.count("identical") >= 2 + 2 + 3, report  # pipelines (2), GloVe parsers (2), one-hot (3)
    assert "SMOKE RUN" in report
    # section 2 says how each number was measured
    assert "extrapolated from 2 steps" in report
    # the executed smoke notebook lands in the work folder, not in the repository
    assert list((tmp_path / "work").rglob("*.ipynb"))


def test_only_accepts_names_numbers_and_lists():
    assert parse_args(["--only", "glove,5"]).sections == ["glove", "onehot"]
    assert parse_args([]).sections == list(SECTIONS)
    with pytest.raises(SystemExit):
        parse_args(["--only", "nothing"])


# --- one-hot: the lecture's loops and the vectorized versions give the same arrays -----------------

def test_word_one_hot_vectorized_equals_the_loop():
    samples = onehot.make_samples(300) + ["The cat sat on the mat.", "short"]
    reference = onehot.word_loop(samples)
    assert reference.shape[:2] == (302, onehot.WORD_MAX_LENGTH)
    assert reference.sum() == sum(min(len(s.split(" ")), onehot.WORD_MAX_LENGTH) for s in samples)
    assert np.array_equal(onehot.word_vectorized(samples), reference)
    assert np.array_equal(onehot.word_eye(samples), reference)


def test_char_one_hot_vectorized_equals_the_loop():
    samples = onehot.make_samples(200, seed=3) + ["The cat sat on the mat.", "~ !", ""]
    reference = onehot.char_loop(samples)
    assert reference.shape == (203, onehot.CHAR_MAX_LENGTH, 96)
    assert np.array_equal(onehot.char_vectorized(samples), reference)


# --- Jena: the book's generator and the vectorized gather give the same windows -----------------------

@pytest.fixture(scope="module")
def jena():
    return pipelines.jena_array()


def test_gather_equals_the_books_generator_for_the_same_rows(jena):
    np.random.seed(123)
    samples, targets = next(pipelines.generator(jena, 1440, 144, 0, 200000, shuffle=True, batch_size=128, step=6))
    np.random.seed(123)
    rows = np.random.randint(1440, 200000, size=128)
    x, y = pipelines.gather_windows(jena, rows)
    assert samples.shape == x.shape == (128, 240, 14)
    assert np.array_equal(samples, x) and np.array_equal(targets, y)
    # and literally the slide's definition for one row
    r = rows[5]
    assert np.array_equal(x[5], jena[r - 1440:r:6]) and y[5] == jena[r + 144][1]


def test_pipeline_checks_pass_and_catch_a_shift(jena):
    assert pipelines.check_generator_vs_gather(jena)
    # a target one row off is told apart: the comparison is not vacuous
    shifted = next(pipelines.gather_generator(jena, 1440, 144 + 1, 200001, 300000))
    book = next(pipelines.generator(jena, 1440, 144, 200001, 300000))
    assert np.array_equal(shifted[0], book[0]) and not np.array_equal(shifted[1], book[1])


# --- GloVe: the parsers agree, tricky tokens included -------------------------------------------------

def test_glove_parsers_agree_on_tricky_tokens(tmp_path):
    path = glove.glove_file(tmp_path, lines=400, dim=100)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 400 and all(len(line.split(" ")) == 101 for line in lines)
    results = {name: fn(path) for name, (_label, fn) in glove.PARSERS.items()}
    reference = results["loop"]
    assert {'"', "null", "nan", "NA", "#"} <= set(reference)
    assert len(reference) == 400
    for name, parsed in results.items():
        assert glove.digest(parsed) == glove.digest(reference), name
        assert all(v.dtype == np.float32 and v.shape == (100,) for v in parsed.values()), name


def test_model_keys_of_the_command_line_are_the_models_of_section_2():
    from benchmarks import models
    from benchmarks.run import MODEL_KEYS

    assert models.KEYS == MODEL_KEYS
    assert parse_args(["--models", "jena_gru,lstm"]).models == ("jena_gru", "lstm")
    with pytest.raises(SystemExit):
        parse_args(["--models", "gpt"])
