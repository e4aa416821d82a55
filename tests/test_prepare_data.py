"""tools/prepare_data.py: data prepared before class.

The prepare command runs in-process (its main()) against real-format files served from 127.0.0.1
or a file:// folder, with utils.data.REMOTES set to their checksums; nothing reaches the network.
"""

import sys
from pathlib import Path

import numpy as np
import pytest

from tests import realformat as rf
from tests.nbtools import REPO
from utils import data
from utils.settings import get_settings

sys.path.insert(0, str(REPO / "tools"))
import prepare_data  # noqa: E402

# --- prepare_data ---------------------------------------------------------------------------------

def _serve_real_format(root: Path, monkeypatch) -> None:
    rf.build_imdb_npz(root)
    rf.build_aclimdb_tar(root / "aclImdb_v1.tar.gz")
    rf.build_glove_zip(root / "glove.6B.zip")
    rf.build_jena_zip(root / "jena_climate_2009_2016.csv.zip")
    monkeypatch.setattr(data, "REMOTES", {p.name: rf.remote_for(p) for p in root.iterdir()})


@pytest.fixture
def source(file_server, cache, monkeypatch):
    """Real-format files on a local HTTP server; DL7_MIRROR points at it."""
    _serve_real_format(file_server.root, monkeypatch)
    monkeypatch.setenv("DL7_MIRROR", file_server.url)
    return file_server


def _expected_layout(cache: Path) -> list[Path]:
    return [cache / "imdb.npz", cache / "imdb_word_index.json", cache / data.ACLIMDB_DIR / "train" / "pos",
            cache / data.GLOVE_DIR / "glove.6B.100d.txt", cache / data.JENA_DIR / data.JENA_CSV]


@pytest.mark.parametrize("mirror", ["http", "file"])
def test_prepare_fills_the_cache_and_later_loads_need_no_network(mirror, source, cache, monkeypatch, capsys,
                                                                 closed_port_url):
    if mirror == "file":  # a USB stick or a shared folder: DL7_MIRROR=file:///...
        monkeypatch.setenv("DL7_MIRROR", source.root.as_uri())
    assert prepare_data.main([]) == 0
    out = capsys.readouterr().out
    assert all(p.exists() for p in _expected_layout(cache)), out
    assert not (cache / data.GLOVE_DIR / "glove.6B.50d.txt").exists()  # only the dims asked for
    assert "Итого реальных данных" in out and "скачан и проверен" in out
    assert bool(source.requests) == (mirror == "http")

    # no network at all now: the loaders use the prepared files, DL7_DATA=real
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)
    monkeypatch.setattr(data, "_kumo_root", lambda: None)
    data.SOURCES.clear()
    (x_train, _), _ = data.load_imdb(num_words=20)
    with np.load(source.root / "imdb.npz", allow_pickle=True) as served:
        assert len(x_train) == len(served["x_train"])
    assert data.load_imdb_word_index()["фильм"] == 3
    assert (data.aclimdb_dir() / "train" / "pos" / "2_10.txt").read_text(encoding="utf-8") == \
        "Отличный фильм, очень понравился."
    assert data.glove_path(100).read_text(encoding="utf-8").splitlines() == rf.glove_lines(100)
    assert len(data.load_jena()) == len(rf.jena_csv_text().splitlines()) - 1
    assert len(data.SOURCES) == 5
    jena = data.SOURCES.pop("Jena climate")  # a short served file: real format, but not the lecture's 420,551 rows
    assert jena.startswith("файл погоды jena_climate_2009_2016.csv: ") and jena.endswith("не файл лекции"), jena
    assert all(label.startswith("реальные") for label in data.SOURCES.values()), data.SOURCES


def test_prepare_twice_downloads_nothing_the_second_time(source, cache, capsys):
    assert prepare_data.main(["--glove-dims", "50", "100"]) == 0
    first = list(source.requests)
    assert sorted(first) == sorted(f"/{name}" for name in data.REMOTES)
    capsys.readouterr()
    assert prepare_data.main(["--glove-dims", "50", "100"]) == 0
    out = capsys.readouterr().out
    assert source.requests == first, "the second run downloaded again"
    assert "скачан" not in out and out.count("уже в кэше") == 2 * len(prepare_data.DATASETS)  # log + table
    assert (cache / data.GLOVE_DIR / "glove.6B.50d.txt").is_file()


def test_prepare_skip_leaves_out_glove(source, cache, capsys):
    assert prepare_data.main(["--skip", "glove"]) == 0
    assert "/glove.6B.zip" not in source.requests
    assert not (cache / "glove.6B.zip").exists() and (cache / "imdb.npz").is_file()
    assert "пропущен (--skip)" in capsys.readouterr().out


def test_prepare_without_network_fails_clearly(cache, closed_port_url, monkeypatch, capsys):
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)
    assert prepare_data.main(["--skip", "aclimdb,glove"]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert f"{closed_port_url}/imdb.npz" in captured.err  # the URL that failed
    assert str(cache / "imdb.npz") in captured.err  # where a file fetched by hand goes
    assert "Не готово: imdb, jena" in captured.err


def test_prepare_reports_a_file_that_fails_verification(source, cache, capsys):
    cache.mkdir(parents=True)
    (cache / "imdb.npz").write_bytes(b"half a download")
    assert prepare_data.main(["--skip", "aclimdb,glove,jena"]) == 1
    err = capsys.readouterr().err
    assert "не прошёл проверку" in err and "Удалите его" in err and "Traceback" not in err


def test_prepare_generates_standins_for_both_scales(cache, monkeypatch, capsys):
    calls = []

    def fake_prepare_standins(settings):
        calls.append(settings)
        return {"reviews (imdb.npz + aclImdb)": 0.5, "jena": 0.25, "glove": 0.125}

    monkeypatch.setattr(data, "prepare_standins", fake_prepare_standins)
    assert prepare_data.main(["--no-download", "--standins", "both"]) == 0
    assert [(s.scale, s.data, s.data_dir) for s in calls] == [("quick", "synthetic", cache),
                                                              ("full", "synthetic", cache)]
    out = capsys.readouterr().out
    assert "масштаб quick" in out and "масштаб full" in out and "0.5 с" in out


def test_prepare_rejects_bad_arguments_and_settings(cache, monkeypatch, capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        prepare_data.main(["--skip", "mnist"])
    assert exc.value.code == 2 and "mnist" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        prepare_data.main(["--glove-dims", "64"])
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    monkeypatch.setenv("DL7_DATA_DIR", str(not_a_folder))
    assert prepare_data.main([]) == 2
    assert "DL7_DATA_DIR" in capsys.readouterr().err


def test_what_is_in_place_counts_without_a_download(source, cache, closed_port_url, monkeypatch):
    """A folder extracted by hand, or files verified once, are 'in the cache': nothing to download."""
    assert all(prepare_data.bytes_needed(ds.key, get_settings()) > 0 for ds in prepare_data.DATASETS)
    (cache / data.ACLIMDB_DIR / "train").mkdir(parents=True)
    prepare_data.main(["--skip", "aclimdb,glove,jena"])
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)
    s = get_settings()
    assert prepare_data.cached_state("aclimdb", s) == "распакован" and prepare_data.bytes_needed("aclimdb", s) == 0
    assert prepare_data.cached_state("imdb", s) == "проверен" and prepare_data.bytes_needed("imdb", s) == 0
    assert (cache / ".imdb.npz.verified").is_file()
    assert prepare_data.cached_state("jena", s) is None
