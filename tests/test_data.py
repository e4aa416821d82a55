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
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # printed, not warned: a warning shows the kernel's temporary file name
        frame = data.load_jena()
    captured = capsys.readouterr()
    assert "!!" in captured.out and "СИНТЕТИЧЕСКИЕ" in captured.out
    assert data.REMOTES["jena_climate_2009_2016.csv.zip"].url in captured.out  # why, and where a file goes
    assert "%" not in captured.err  # no progress bar of a download that never started
    assert len(frame) == data.STANDIN_SIZES["quick"]["jena_rows"]
    assert "СИНТЕТИЧЕСКИЕ" in data.source_label("Jena climate")


def test_auto_mode_uses_a_cached_real_file_without_network(served, cache, monkeypatch, closed_port_url):
    data.load_jena()  # fills the cache from the local server
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)
    monkeypatch.setenv("DL7_DATA", "auto")
    assert len(data.load_jena()) == JENA_ROWS
    assert data.source_label("Jena climate").endswith("не файл лекции")  # the cached file, a 30-row test file


def test_auto_mode_does_not_hide_a_full_disk_behind_the_stand_ins(served, cache, monkeypatch, full_disk, capsys):
    """Issue 13: a local write failure made auto mode fall back to the stand-ins as if offline."""
    monkeypatch.setenv("DL7_DATA", "auto")
    full_disk(cache, room=100)
    with pytest.raises(DataError, match="диска") as err:
        data.load_jena()
    assert "!!" not in capsys.readouterr().out  # no fall-back
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


# --- imdb.npz derived from the real reviews (issue 18, DESIGN.md section 4) ---------------------------------------
def _r_reference(split_texts: dict) -> tuple[dict, dict]:
    """The R / Keras-2 tokenizer in plain Python: word index over the train texts (ties by first appearance), and
    each split's word ranks with the words outside the index dropped."""
    filters = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
    tok = {split: [[w for w in t.lower().translate(str.maketrans(filters, " " * len(filters))).split(" ") if w]
                   for t in texts] for split, texts in split_texts.items()}
    order, counts = [], {}
    for review in tok["train"]:
        for w in review:
            if w not in counts:
                order.append(w)
            counts[w] = counts.get(w, 0) + 1
    ranked = sorted(order, key=lambda w: -counts[w])  # a stable sort keeps the first-appearance order of ties
    index = {w: i for i, w in enumerate(ranked, start=1)}
    return index, {split: [[index[w] for w in r if w in index] for r in rs] for split, rs in tok.items()}


def _texts_in_reading_order(split: str) -> list[str]:  # neg then pos, file names sorted, as 7.1 reads them
    return [text for sub in ("neg", "pos") for _, text in sorted(rf.REVIEWS[(split, sub)])]


@pytest.fixture
def archive_only(cache, monkeypatch, closed_port_url):
    """A cache holding only the real-format aclImdb_v1.tar.gz (an offline classroom with the 84 MB archive)."""
    cache.mkdir(parents=True)
    archive = rf.build_aclimdb_tar(cache / "aclImdb_v1.tar.gz")
    monkeypatch.setitem(data.REMOTES, archive.name, rf.remote_for(archive))
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)  # the Keras files cannot be downloaded
    return cache


def test_imdb_is_derived_from_the_real_reviews_when_the_keras_file_cannot_be_had(archive_only, capsys):
    index, expected = _r_reference({s: _texts_in_reading_order(s) for s in ("train", "test")})
    assert list(index)[:2] == ["a", "film"] and index["i"] < index["hated"]  # the test data's ties, as in R
    word_index = data.load_imdb_word_index()
    assert word_index == index
    (x_train, y_train), (x_test, y_test) = data.load_imdb(num_words=100, start_char=None, index_from=0, seed=5)
    raw = np.load(archive_only / data.ENCODED_DIR / "imdb.npz", allow_pickle=True)
    assert [list(s) for s in raw["x_train"]] == expected["train"] and list(raw["y_train"]) == [0, 0, 0, 1, 1, 1]
    assert [list(s) for s in raw["x_test"]] == expected["test"]  # "bad", "acting", "great", "story": not in train
    assert expected["test"] == [[], []] and list(raw["y_test"]) == [0, 1]
    # the load_data semantics: the same shuffle as keras (seed), then start and index_from
    order = np.arange(6)
    np.random.RandomState(5).shuffle(order)
    assert [list(s) for s in x_train] == [expected["train"][i] for i in order]
    assert list(y_train) == [[0, 0, 0, 1, 1, 1][i] for i in order]
    for name in ("IMDB (imdb.npz)", "IMDB word index"):
        assert data.source_label(name) == data.ENCODED_LABEL
    assert "не imdb.npz из Keras" in data.ENCODED_LABEL
    out = capsys.readouterr().out
    assert data.ENCODED_LABEL in out and "!!" not in out and "СИНТЕТИЧЕСКИЕ" not in out
    # never in the official file's place, never under its name in the cache root
    assert not (archive_only / "imdb.npz").exists() and not (archive_only / "imdb_word_index.json").exists()


def test_the_derived_imdb_is_written_once_and_follows_the_encoder_version(archive_only, monkeypatch):
    encode, calls = data.encode_aclimdb, []
    monkeypatch.setattr(data, "encode_aclimdb", lambda *a: calls.append(a) or encode(*a))
    data.load_imdb()
    data.load_imdb_word_index()
    data.load_imdb()
    assert len(calls) == 1  # once for both files and every later load
    (archive_only / data.ENCODED_DIR / ".encoder-version").write_text("0")  # written by another encoder version
    data.load_imdb()
    assert len(calls) == 2
    assert (archive_only / data.ENCODED_DIR / ".encoder-version").read_text() == data.ENCODED_VERSION


def test_the_official_keras_file_comes_first(served, cache, monkeypatch, closed_port_url):
    data.load_imdb()  # the official pair, from the (local) server, into the cache
    data.load_imdb_word_index()
    rf.build_aclimdb_tar(cache / "aclImdb_v1.tar.gz")
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)
    monkeypatch.setenv("DL7_DATA", "auto")
    data.load_imdb()
    data.load_imdb_word_index()
    assert data.source_label("IMDB (imdb.npz)") == "реальные (keras imdb.npz)"
    assert data.source_label("IMDB word index") == "реальные (imdb_word_index.json)"
    assert not (cache / data.ENCODED_DIR).exists()


def test_real_mode_without_keras_file_or_reviews_says_both_ways(cache, closed_port_url, monkeypatch):
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)
    with pytest.raises(DownloadUnavailable) as err:
        data.load_imdb_word_index()
    assert "aclImdb_v1.tar.gz" in str(err.value) and str(cache / "imdb_word_index.json") in str(err.value)


def test_auto_mode_order_official_then_derived_then_stand_in(archive_only, monkeypatch, capsys):
    monkeypatch.setenv("DL7_DATA", "auto")
    data.load_imdb()
    assert data.source_label("IMDB (imdb.npz)") == data.ENCODED_LABEL
    (archive_only / "aclImdb_v1.tar.gz").unlink()
    import shutil

    shutil.rmtree(archive_only / data.ACLIMDB_DIR)
    data.load_imdb()  # the derived files stay usable without the tree they came from
    assert data.source_label("IMDB (imdb.npz)") == data.ENCODED_LABEL
    shutil.rmtree(archive_only / data.ENCODED_DIR)
    data.load_imdb()
    assert "СИНТЕТИЧЕСКИЕ" in data.source_label("IMDB (imdb.npz)")
    assert "aclImdb_v1.tar.gz" in capsys.readouterr().out  # the banner says how to get the real reviews


def test_an_incomplete_review_tree_is_a_clear_error_and_leaves_nothing(cache, monkeypatch, closed_port_url):
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)
    for split, sub in (("train", "neg"), ("train", "pos"), ("test", "neg")):  # test/pos is missing
        folder = cache / data.ACLIMDB_DIR / split / sub
        folder.mkdir(parents=True)
        (folder / "0_1.txt").write_text("Some review.", encoding="utf-8")
    with pytest.raises(DataError, match="pos") as err:
        data.load_imdb()
    assert str(cache / data.ACLIMDB_DIR / "test" / "pos") in str(err.value)
    folder = cache / data.ENCODED_DIR
    assert not folder.exists() or not any(folder.iterdir())


def test_a_review_that_is_not_utf8_is_named(cache, monkeypatch, closed_port_url):
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)
    for split in ("train", "test"):
        for sub in ("neg", "pos"):
            (cache / data.ACLIMDB_DIR / split / sub).mkdir(parents=True)
            (cache / data.ACLIMDB_DIR / split / sub / "0_1.txt").write_text("Fine.", encoding="utf-8")
    bad = cache / data.ACLIMDB_DIR / "train" / "pos" / "5_9.txt"
    bad.write_bytes(b"caf\xe9")
    with pytest.raises(DataError, match="UTF-8") as err:
        data.load_imdb()
    assert str(bad) in str(err.value)


def test_an_official_file_is_never_paired_with_a_derived_one(archive_only, monkeypatch):
    """7.1 decodes imdb.npz with the word index: an official index with derived ranks would print wrong words."""
    rf.build_imdb_npz(archive_only)
    (archive_only / "imdb_word_index.json").unlink()  # only the official imdb.npz is in the cache
    monkeypatch.setitem(data.REMOTES, "imdb.npz", rf.remote_for(archive_only / "imdb.npz"))
    with pytest.raises(DownloadUnavailable, match="imdb.npz"):
        data.load_imdb_word_index()
    assert not (archive_only / data.ENCODED_DIR).exists()



# --- a weather file put in the lecture file's place: recognized by its content (issue 23, item 4) ------------------
NEEDED = {"quick": 250, "lesson": 44144, "full": 300145}  # rows each scale's split reads (7.3 computes its own)


def place_jena(cache, text: str):
    """A weather CSV put where a user puts the lecture's file (used as it is, nothing downloaded)."""
    folder = cache / data.JENA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / data.JENA_CSV
    path.write_text(text, encoding="utf-8")
    return path


def test_a_foreign_weather_file_runs_under_its_own_label(cache, capsys):
    path = place_jena(cache, rf.jena_csv_text(300, start="01.01.2018 00:10:00"))
    frame = data.load_jena(rows_needed=NEEDED)  # quick: 250 rows needed, 300 there
    assert len(frame) == 300 and frame["Date Time"].iloc[-1] == "03.01.2018 02:00:00"
    label = "файл погоды jena_climate_2009_2016.csv: 300 строк, 01.01.2018 00:10 – 03.01.2018 02:00, не файл лекции"
    assert data.source_label("Jena climate") == label
    assert label in capsys.readouterr().out  # the [данные] line says it too
    assert "реальные" not in label
    assert data.jena_extent(path) == (300, "01.01.2018 00:10:00", "03.01.2018 02:00:00")


def test_a_short_file_of_the_lecture_period_is_not_the_lecture_file(cache):
    place_jena(cache, rf.jena_csv_text(30))  # starts 01.01.2009 00:10:00 like the lecture's file, but 30 rows
    data.load_jena()  # rows_needed=None: no check, as before
    assert data.source_label("Jena climate") == ("файл погоды jena_climate_2009_2016.csv: 30 строк, "
                                                 "01.01.2009 00:10 – 01.01.2009 05:00, не файл лекции")


def test_a_short_file_stops_at_the_load_with_a_clear_error(cache, monkeypatch):
    monkeypatch.setenv("DL7_SCALE", "lesson")
    path = place_jena(cache, rf.jena_csv_text(301, start="01.01.2018 00:10:00"))
    with pytest.raises(DataError) as err:
        data.load_jena(rows_needed=NEEDED)
    msg = str(err.value)
    assert str(path) in msg or data.JENA_CSV in msg
    assert "301 строка" in msg and "масштаба lesson нужно 44 144 строки" in msg
    assert "хватит для масштаба quick" in msg and "DL7_SCALE=quick" in msg and "файл лекции" in msg
    assert "lesson — 44144" in msg and "full — 300145" in msg  # every scale's need
    assert "Jena climate" not in data.SOURCES  # not loaded: no result carries its label


def test_a_file_too_short_for_every_scale_says_so(cache):
    place_jena(cache, rf.jena_csv_text(24, start="01.06.2020 00:10:00"))
    with pytest.raises(DataError) as err:
        data.load_jena(rows_needed=NEEDED)  # quick, the tests' scale: 250 needed
    msg = str(err.value)
    assert "24 строки" in msg and "масштаба quick нужно 250 строк" in msg
    assert "Ни одному масштабу" in msg and "DL7_SCALE=" not in msg and "420 551 строка" in msg


def test_enough_rows_for_the_scale_pass_the_check(cache, monkeypatch):
    place_jena(cache, rf.jena_csv_text(250, start="01.01.2018 00:10:00"))
    assert len(data.load_jena(rows_needed=NEEDED)) == 250  # exactly what quick needs
    monkeypatch.setenv("DL7_SCALE", "lesson")
    with pytest.raises(DataError, match="DL7_SCALE=quick"):
        data.load_jena(rows_needed=NEEDED)
    with pytest.raises(ValueError, match="lesson"):
        data.load_jena(rows_needed={"quick": 10})  # the notebook's dict must name every scale


def test_the_lecture_file_is_recognized_by_its_content(cache):
    """420,551 rows from 01.01.2009 00:10:00 to 01.01.2017 00:00:00 (with the real file's gaps and repeated times):
    «реальные»; the same rows a year later are another file."""
    text = rf.lecture_like_jena_text()
    path = place_jena(cache, text)
    frame = data.load_jena(rows_needed=NEEDED)
    assert len(frame) == 420551
    assert data.source_label("Jena climate") == "реальные (jena_climate_2009_2016)"
    path.write_text(text.replace("01.01.2017 00:00:00", "01.01.2017 00:10:00"), encoding="utf-8")
    assert data.jena_label(path) == ("файл погоды jena_climate_2009_2016.csv: 420 551 строка, "
                                     "01.01.2009 00:10 – 01.01.2017 00:10, не файл лекции")


def test_the_stand_in_keeps_its_synthetic_label(cache, monkeypatch):
    monkeypatch.setenv("DL7_DATA", "synthetic")
    monkeypatch.setattr(data, "STANDIN_SIZES", {**data.STANDIN_SIZES, "quick": {"reviews": 10, "jena_rows": 3000}})
    data.load_jena(rows_needed={"quick": 3000, "lesson": 44144, "full": 300145})
    assert data.source_label("Jena climate") == data.SYNTHETIC
