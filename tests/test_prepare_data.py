"""tools/prepare_data.py: data prepared before class.

The prepare command runs in-process (its main()) against real-format files served from 127.0.0.1
or a file:// folder, with utils.data.REMOTES set to their checksums; nothing reaches the network.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests import realformat as rf
from tests.nbtools import REPO
from utils import data, download

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
    return [cache / "imdb.npz", cache / "imdb_word_index.json", cache / "aclImdb" / "train" / "pos",
            cache / "glove.6B" / "glove.6B.100d.txt", cache / "jena_climate" / data.JENA_CSV]


@pytest.mark.parametrize("mirror", ["http", "file"])
def test_prepare_fills_the_cache_and_later_loads_need_no_network(mirror, source, cache, monkeypatch, capsys,
                                                                 closed_port_url):
    if mirror == "file":  # a USB stick or a shared folder: DL7_MIRROR=file:///...
        monkeypatch.setenv("DL7_MIRROR", source.root.as_uri())
    assert prepare_data.main([]) == 0
    out = capsys.readouterr().out
    assert all(p.exists() for p in _expected_layout(cache)), out
    assert not (cache / "glove.6B" / "glove.6B.50d.txt").exists()  # only the dims asked for
    assert "Итого реальных данных" in out and "скачан и проверен" in out
    assert bool(source.requests) == (mirror == "http")

    # no network at all now: the loaders use the prepared files, DL7_DATA=real
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)
    monkeypatch.setattr(data, "_kumo_root", lambda: None)
    data.SOURCES.clear()
    (x_train, _), _ = data.load_imdb(num_words=20)
    assert len(x_train) == 40
    assert data.load_imdb_word_index()["фильм"] == 3
    texts, labels = data.load_aclimdb("train")
    assert "Отличный фильм, очень понравился." in texts and labels.tolist() == [0, 0, 0, 1, 1, 1]
    assert data.glove_path(100).read_text(encoding="utf-8").splitlines() == rf.glove_lines(100)
    assert len(data.load_jena()) == 30
    assert len(data.SOURCES) == 5
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
    assert (cache / "glove.6B" / "glove.6B.50d.txt").is_file()


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


# --- check_env -------------------------------------------------------------------------------------



def test_download_stamp_is_what_prepare_relies_on(source, cache):
    """prepare_data decides 'already there' with utils.download.is_verified: a verified file gets a stamp."""
    prepare_data.main(["--skip", "aclimdb,glove,jena"])
    assert download.is_verified(cache / "imdb.npz", data.REMOTES["imdb.npz"])
    assert (cache / ".imdb.npz.verified").is_file()
