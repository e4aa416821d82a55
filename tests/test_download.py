"""Downloads: verification, caching, .part files, clear errors; safe one-time extraction."""

import hashlib
import socket
import tarfile
import zipfile

import pooch
import pytest

from tests.realformat import add_bytes, build_aclimdb_tar, build_jena_zip
from utils import download
from utils.data import JENA_CSV
from utils.download import DataError, DownloadUnavailable, Remote, extract, fetch

PAYLOAD = b"0123456789" * 5000


def _remote(**kw):
    base = dict(filename="blob.bin", url="https://example.invalid/blob.bin",
                sha256=hashlib.sha256(PAYLOAD).hexdigest(), size=len(PAYLOAD))
    base.update(kw)
    return Remote(**base)


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_fetch_verifies_caches_and_never_fetches_or_hashes_again(file_server, tmp_path, monkeypatch):
    (file_server.root / "blob.bin").write_bytes(PAYLOAD)
    monkeypatch.setenv("DL7_MIRROR", file_server.url)  # read through utils.settings
    cache = tmp_path / "cache"
    path = fetch(_remote(), cache, quiet=True)
    assert path.read_bytes() == PAYLOAD
    assert file_server.requests == ["/blob.bin"]
    monkeypatch.setattr(pooch, "file_hash", lambda *a, **k: pytest.fail("hashed again"))
    assert fetch(_remote(), cache, quiet=True) == path
    assert file_server.requests == ["/blob.bin"], "a verified file must not be fetched again"
    assert _leftovers(cache) == [".blob.bin.verified", "blob.bin"]


def test_file_url_mirror_works(tmp_path):
    src = tmp_path / "mirror"
    src.mkdir()
    (src / "blob.bin").write_bytes(PAYLOAD)
    assert fetch(_remote(), tmp_path / "cache", mirror=src.as_uri(), quiet=True).read_bytes() == PAYLOAD
    with pytest.raises(DownloadUnavailable, match="other.bin"):  # not on the mirror
        fetch(_remote(filename="other.bin"), tmp_path / "cache", mirror=src.as_uri(), quiet=True)


def test_md5_verification(file_server, tmp_path):
    (file_server.root / "blob.bin").write_bytes(PAYLOAD)
    good = _remote(sha256=None, size=None, md5=hashlib.md5(PAYLOAD).hexdigest())
    assert fetch(good, tmp_path / "a", mirror=file_server.url, quiet=True).is_file()
    bad = _remote(sha256=None, size=None, md5="0" * 32)
    with pytest.raises(DataError, match="md5"):
        fetch(bad, tmp_path / "b", mirror=file_server.url, quiet=True)


def test_checksum_mismatch_is_clear_and_leaves_nothing(file_server, tmp_path):
    (file_server.root / "blob.bin").write_bytes(PAYLOAD)
    cache = tmp_path / "cache"
    with pytest.raises(DataError) as err:
        fetch(_remote(sha256="f" * 64), cache, mirror=file_server.url, quiet=True)
    msg = str(err.value)
    assert "sha256" in msg and "blob.bin" in msg and "https://example.invalid/blob.bin" in msg
    assert _leftovers(cache) == []


def test_truncated_download_is_rejected_and_removed(file_server, tmp_path):
    (file_server.root / "blob.bin").write_bytes(PAYLOAD[:1000])  # the server sends a cut copy
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match="размер 1,000 байт, а должен быть 50,000"):
        fetch(_remote(), cache, mirror=file_server.url, quiet=True)
    assert _leftovers(cache) == []


def test_no_network_names_url_folder_and_file(closed_port_url, tmp_path):
    cache = tmp_path / "cache"
    with pytest.raises(DownloadUnavailable) as err:
        fetch(_remote(), cache, mirror=closed_port_url, quiet=True, timeout=5)
    msg = str(err.value)
    assert "https://example.invalid/blob.bin" in msg  # where to fetch it by hand
    assert str(cache / "blob.bin") in msg  # exactly where to put it
    assert "DL7_DATA=synthetic" in msg
    assert _leftovers(cache) == []


def test_an_unreachable_host_is_not_tried_again(closed_port_url, tmp_path, monkeypatch):
    port = int(closed_port_url.rsplit(":", 1)[1])
    attempts = []
    guarded_connect = socket.socket.connect  # conftest's: loopback only

    def counting_connect(self, address):
        if isinstance(address, tuple) and address[1] == port:
            attempts.append(address)
        return guarded_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", counting_connect)
    with pytest.raises(DownloadUnavailable):
        fetch(_remote(), tmp_path / "cache", mirror=closed_port_url, quiet=True, timeout=5)
    tried = len(attempts)
    assert tried >= 1
    with pytest.raises(DownloadUnavailable, match="уже был недоступен"):
        fetch(_remote(filename="other.bin"), tmp_path / "cache", mirror=closed_port_url, quiet=True)
    assert len(attempts) == tried, "the unreachable host was tried again"


def test_http_error_names_the_status(file_server, tmp_path):
    with pytest.raises(DownloadUnavailable, match="HTTP 404"):  # the server has no such file
        fetch(_remote(), tmp_path / "cache", mirror=file_server.url, quiet=True)
    assert not download.UNREACHABLE, "a 404 is not a network outage"


def test_without_mirror_the_official_url_is_tried_and_network_is_off_in_tests(tmp_path):
    with pytest.raises(DownloadUnavailable, match="example.invalid"):
        fetch(_remote(), tmp_path / "cache", quiet=True, timeout=5)


@pytest.mark.parametrize("kind", ["http", "file"])
def test_a_full_disk_is_a_local_error_not_a_network_one(kind, file_server, tmp_path, full_disk, monkeypatch):
    """Issue 13: ENOSPC while writing was reported as 'cannot download' and marked the host unreachable."""
    (file_server.root / "blob.bin").write_bytes(PAYLOAD)
    cache = tmp_path / "cache"
    full_disk(cache, room=1000)
    monkeypatch.setenv("DL7_MIRROR", file_server.url if kind == "http" else file_server.root.as_uri())
    with pytest.raises(DataError) as err:
        fetch(_remote(), cache, quiet=True)
    assert not isinstance(err.value, DownloadUnavailable)  # auto mode must not switch to the stand-ins
    msg = str(err.value)
    assert str(cache) in msg and "диска" in msg and "DL7_DATA_DIR" in msg
    assert not download.UNREACHABLE
    assert _leftovers(cache) == [], "a half-written file was left in the cache"


def test_hand_placed_copy_is_used_without_download(tmp_path, closed_port_url):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "blob.bin").write_bytes(PAYLOAD)
    assert fetch(_remote(), cache, mirror=closed_port_url, quiet=True).read_bytes() == PAYLOAD
    assert (cache / ".blob.bin.verified").is_file()


def test_bad_hand_placed_copy_is_a_clear_error(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "blob.bin").write_bytes(b"not it")
    with pytest.raises(DataError) as err:
        fetch(_remote(), cache, quiet=True)
    assert str(cache / "blob.bin") in str(err.value) and "Удалите" in str(err.value)


def test_extract_once_and_atomically(tmp_path, monkeypatch):
    archive = build_aclimdb_tar(tmp_path / "aclImdb_v1.tar.gz")
    out = extract(archive, tmp_path / "cache", "aclImdb")
    assert (out / "train" / "pos" / "0_9.txt").read_text(encoding="utf-8") == "A wonderful film!"
    monkeypatch.setattr(tarfile, "open", lambda *a, **k: pytest.fail("extracted twice"))
    assert extract(archive, tmp_path / "cache", "aclImdb") == out
    assert _leftovers(tmp_path / "cache") == ["aclImdb"]


def test_tar_member_outside_target_is_refused(tmp_path):
    archive = build_aclimdb_tar(tmp_path / "evil.tar.gz", extra=[("../../escaped.txt", b"x")])
    cache = tmp_path / "cache"
    with pytest.raises(DataError, match="небезопасен"):
        extract(archive, cache, "aclImdb")
    assert not (tmp_path / "escaped.txt").exists() and not (cache.parent.parent / "escaped.txt").exists()
    assert _leftovers(cache) == []


def _tar_with_link(path, linkname):
    """An aclImdb-like archive with one symbolic link ``aclImdb/link -> linkname``."""
    with tarfile.open(path, "w:gz") as tar:
        add_bytes(tar, "aclImdb/README", b"x")
        add_bytes(tar, "aclImdb/link", b"", kind=tarfile.SYMTYPE, linkname=linkname)
    return path


def test_tar_symlink_outside_target_is_refused(tmp_path):
    archive = _tar_with_link(tmp_path / "link.tar.gz", "/etc/passwd")
    with pytest.raises(DataError, match="небезопасен"):
        extract(archive, tmp_path / "cache", "aclImdb")
    assert _leftovers(tmp_path / "cache") == []


def test_zip_member_outside_target_is_refused(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("data.csv", "a,b\n")
        zf.writestr("../outside.csv", "x")
    with pytest.raises(DataError, match="outside.csv"):
        extract(archive, tmp_path / "cache", "data.csv")
    assert _leftovers(tmp_path / "cache") == []
    assert not (tmp_path / "outside.csv").exists()


def _truncated_tar(tmp_path):
    full = build_aclimdb_tar(tmp_path / "full.tar.gz").read_bytes()
    archive = tmp_path / "aclImdb_v1.tar.gz"
    archive.write_bytes(full[: len(full) // 2])
    return archive


def test_truncated_archive_is_a_clear_error_and_leaves_nothing(tmp_path):
    archive = _truncated_tar(tmp_path)
    with pytest.raises(DataError) as err:
        extract(archive, tmp_path / "cache", "aclImdb")
    assert "повреждён" in str(err.value) and str(archive) in str(err.value)
    assert _leftovers(tmp_path / "cache") == []


def test_archive_without_expected_member(tmp_path):
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("something.csv", "a\n")
    with pytest.raises(DataError, match=JENA_CSV):
        extract(archive, tmp_path / "cache", JENA_CSV)
    assert _leftovers(tmp_path / "cache") == []


def test_without_tarfile_filters_bad_archives_are_clear_errors(tmp_path, monkeypatch):
    """Issue 13: Python 3.11.0-3.11.3 have neither tarfile.data_filter nor tarfile.FilterError; naming
    the latter in an except clause turned every unsafe or corrupt archive into an AttributeError."""
    monkeypatch.delattr(tarfile, "data_filter")
    monkeypatch.delattr(tarfile, "FilterError")
    monkeypatch.setattr(tarfile.TarFile, "extraction_filter", staticmethod(lambda member, path: member))  # none
    good = build_aclimdb_tar(tmp_path / "good.tar.gz")
    assert (extract(good, tmp_path / "ok", "aclImdb") / "README").is_file()
    evil = build_aclimdb_tar(tmp_path / "evil.tar.gz", extra=[("aclImdb/../../escaped.txt", b"x")])
    with pytest.raises(DataError, match="небезопасен"):
        extract(evil, tmp_path / "cache", "aclImdb")
    assert not (tmp_path / "escaped.txt").exists() and _leftovers(tmp_path / "cache") == []
    with pytest.raises(DataError, match="ссылка"):
        extract(_tar_with_link(tmp_path / "link.tar.gz", "../../outside"), tmp_path / "cache2", "aclImdb")
    with pytest.raises(DataError, match="повреждён"):
        extract(_truncated_tar(tmp_path), tmp_path / "cache3", "aclImdb")
    assert _leftovers(tmp_path / "cache3") == []


def test_a_full_disk_while_extracting_keeps_the_verified_archive(tmp_path, full_disk):
    archive = build_jena_zip(tmp_path / "jena_climate_2009_2016.csv.zip")
    stamp = tmp_path / ".jena_climate_2009_2016.csv.zip.verified"
    stamp.write_text("verified")
    folder = tmp_path / "jena_climate"
    full_disk(folder, room=100)
    with pytest.raises(DataError) as err:
        extract(archive, folder, JENA_CSV, members=[JENA_CSV])
    msg = str(err.value)
    assert str(folder) in msg and "повреждён" not in msg and "место" in msg
    assert archive.is_file() and stamp.is_file(), "a good archive is not to be downloaded again"
    assert _leftovers(folder) == []
