"""The real-data path end to end, on files in the published formats served from 127.0.0.1."""

import warnings

import numpy as np
import pytest

from tests import realformat as rf
from utils import data
from utils.download import DataError, DownloadUnavailable

JENA_ROWS = len(rf.jena_csv_text().splitlines()) - 1  # of the test file: the header is not a row


@pytest.fixture
def served(file_server, cache, monkeypatch):
    """Real-format files on a local HTTP server, with the registry's checksums set to theirs."""
    root = file_server.root
    rf.build_imdb_npz(root)
    rf.build_aclimdb_tar(root / "aclImdb_v1.tar.gz")
    rf.build_glove_zip(root / "glove.6B.zip")
    rf.build_jena_zip(root / "jena_climate_2009_2016.csv.zip")
    remotes = {p.name: rf.remote_for(p) for p in root.iterdir()}
    monkeypatch.setattr(data, "REMOTES", remotes)
    monkeypatch.setenv("DL7_MIRROR", file_server.url)
    monkeypatch.setattr(data, "_kumo_root", lambda: None)  # the real path, not the offline package
    return file_server


def _keras_load_data(npz_path, monkeypatch, **kwargs):
    import keras
    from keras.src.datasets import imdb as keras_imdb

    monkeypatch.setattr(keras_imdb, "get_file", lambda *a, **k: str(npz_path))
    return keras.datasets.imdb.load_data(**kwargs)


@pytest.mark.parametrize("kwargs", [
    {},
    {"num_words": 20},
    {"num_words": 30, "skip_top": 5},
    {"maxlen": 15},
    {"num_words": 25, "oov_char": None},
    {"start_char": None, "index_from": 0},
    {"seed": 7, "num_words": 40},
])
def test_load_imdb_matches_keras_exactly(served, cache, monkeypatch, kwargs):
    ours = data.load_imdb(**kwargs)
    theirs = _keras_load_data(cache / "imdb.npz", monkeypatch, **kwargs)
    for (xa, ya), (xb, yb) in zip(ours, theirs):
        assert xa.dtype == object and len(xa) == len(xb)
        assert [list(s) for s in xa] == [list(s) for s in xb]
        np.testing.assert_array_equal(ya, yb)


def test_imdb_conventions_and_caching(served, cache):
    raw = np.load(served.root / "imdb.npz", allow_pickle=True)
    (x_train, _), _ = data.load_imdb(num_words=20)
    assert all(s[0] == 1 for s in x_train)  # start_char
    assert max(max(s) for s in x_train) == 19 and 2 in {w for s in x_train for w in s}  # oov_char
    assert sorted(len(s) - 1 for s in x_train) == sorted(len(s) for s in raw["x_train"])
    assert "реальные" in data.source_label("IMDB (imdb.npz)")
    requests = list(served.requests)
    data.load_imdb()
    assert served.requests == requests, "second load downloaded again"
    wi = data.load_imdb_word_index()
    assert wi["the"] == 1 and wi["фильм"] == 3


def test_aclimdb_download_and_extract_once(served, cache):
    folder = data.aclimdb_dir()
    assert folder == cache / data.ACLIMDB_DIR
    for (split, label), reviews in rf.REVIEWS.items():  # every review of the archive, byte for byte
        for name, text in reviews:
            assert (folder / split / label / name).read_text(encoding="utf-8") == text
    assert (folder / "train" / "unsup").is_dir()
    assert sorted(p.name for p in cache.iterdir() if not p.name.startswith(".")) == [
        data.ACLIMDB_DIR, "aclImdb_v1.tar.gz"]
    assert "реальные" in data.source_label("aclImdb")
    n = len(served.requests)
    assert data.aclimdb_dir() == folder and len(served.requests) == n


def test_glove_extracts_only_the_requested_file(served, cache):
    path = data.glove_path(100)
    assert path.name == "glove.6B.100d.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == rf.glove_lines(100)
    first = lines[0].split(" ")
    assert first[0] == "the" and len(first) == 101
    assert sorted(p.name for p in (cache / data.GLOVE_DIR).iterdir()) == ["glove.6B.100d.txt"]
    assert "100d" in data.source_label("GloVe")
    with pytest.raises(ValueError, match="dimensions"):
        data.glove_path(64)


def test_jena_download_extract_parse(served, cache):
    frame = data.load_jena()
    header = rf.JENA_HEADER.replace('"', "").split(",")
    assert list(frame.columns) == header
    assert len(frame) == JENA_ROWS and frame["Date Time"].iloc[0] == "01.01.2009 00:10:00"
    assert (frame["wv (m/s)"] == -9999.0).sum() == 1
    assert frame["T (degC)"].dtype == np.float64
    assert not (cache / data.JENA_DIR / "__MACOSX").exists()


def test_real_mode_without_network_is_a_clear_error(cache, closed_port_url, monkeypatch):
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)
    with pytest.raises(DownloadUnavailable) as err:
        data.load_imdb()
    msg = str(err.value)
    assert data.REMOTES["imdb.npz"].url in msg and str(cache / "imdb.npz") in msg
    assert not cache.exists() or not any(cache.iterdir())


def test_auto_mode_without_network_falls_back_loudly(cache, closed_port_url, monkeypatch, capsys):
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)
    monkeypatch.setenv("DL7_DATA", "auto")
    with pytest.warns(UserWarning, match="реальные данные недоступны"):
        frame = data.load_jena()
    out = capsys.readouterr().out
    assert "!!" in out and "СИНТЕТИЧЕСКИЕ" in out
    assert len(frame) == data.STANDIN_SIZES["quick"]["jena_rows"]
    assert "СИНТЕТИЧЕСКИЕ" in data.source_label("Jena climate")


def test_auto_mode_uses_a_cached_real_file_without_network(served, cache, monkeypatch, closed_port_url):
    data.load_jena()  # fills the cache from the local server
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)
    monkeypatch.setenv("DL7_DATA", "auto")
    assert len(data.load_jena()) == JENA_ROWS
    assert "реальные" in data.source_label("Jena climate")


def test_auto_mode_does_not_hide_a_full_disk_behind_the_stand_ins(served, cache, monkeypatch, full_disk):
    """Issue 13: a local write failure made auto mode fall back to the stand-ins as if offline."""
    monkeypatch.setenv("DL7_DATA", "auto")
    full_disk(cache, room=100)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # the fall-back warns: it must not happen
        with pytest.raises(DataError, match="диска") as err:
            data.load_jena()
    assert not isinstance(err.value, DownloadUnavailable) and str(cache) in str(err.value)
    assert "Jena climate" not in data.SOURCES


def test_corrupt_npz_and_wrong_csv_are_clear_errors(cache, monkeypatch):
    cache.mkdir(parents=True)
    bad = cache / "imdb.npz"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    monkeypatch.setitem(data.REMOTES, "imdb.npz", rf.remote_for(bad))
    with pytest.raises(DataError, match="imdb.npz"):
        data.load_imdb()
    folder = cache / data.JENA_DIR
    folder.mkdir()
    (folder / data.JENA_CSV).write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="столбцы"):
        data.load_jena()


def test_npz_with_arbitrary_pickle_is_refused(cache, monkeypatch, tmp_path):
    import collections

    cache.mkdir(parents=True)
    evil = np.empty(1, dtype=object)
    evil[0] = collections.OrderedDict(a=1)  # any class other than plain arrays/lists
    np.savez(cache / "imdb.npz", x_train=evil, y_train=np.zeros(1, np.int64), x_test=evil,
             y_test=np.zeros(1, np.int64))
    monkeypatch.setitem(data.REMOTES, "imdb.npz", rf.remote_for(cache / "imdb.npz"))
    with pytest.raises(DataError, match="not allowed"):
        data.load_imdb()
