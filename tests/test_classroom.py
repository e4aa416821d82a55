"""Classroom delivery: data prepared before class, the environment check, the slide decks.

The prepare command runs in-process (its main()) against real-format files served from 127.0.0.1
or a file:// folder, with utils.data.REMOTES set to their checksums; nothing reaches the network.
"""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from pathlib import Path

import nbformat
import pytest

from tests import realformat as rf
from tests.nbtools import NOTEBOOKS, REPO
from utils import data, download

sys.path.insert(0, str(REPO / "tools"))
import check_env  # noqa: E402
import make_slides  # noqa: E402
import prepare_data  # noqa: E402

LECTURE = REPO.parent / "shared" / "lecture" / "lecture-2.7-deep-learning-in-R.txt"


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

@pytest.fixture
def fake_bench(monkeypatch):
    steps = {"lstm": 1.0, "gru": 0.5, "small": 0.01}
    monkeypatch.setattr(check_env, "measure_steps", lambda: steps)
    return steps


def test_check_env_passes_on_this_machine_offline(cache, monkeypatch, capsys, fake_bench):
    monkeypatch.setenv("DL7_DATA", "auto")
    assert check_env.main(["--offline"]) == 0
    out = capsys.readouterr().out
    for text in ("Python 3.", "tensorflow", "keras", "numpy", "ядер CPU", "GPU", "диск: свободно", "7.1:",
                 "7.2:", "7.3:", "ИТОГ"):
        assert text in out, text
    assert "ОШИБКА" not in out


def test_check_env_names_a_missing_package_and_the_fix(cache, monkeypatch, capsys):
    real = check_env.installed_version
    monkeypatch.setattr(check_env, "installed_version", lambda name: None if name == "keras" else real(name))
    assert check_env.main(["--offline", "--no-bench"]) == 1
    out = capsys.readouterr().out
    assert "keras: НЕ УСТАНОВЛЕН" in out
    assert re.search(r'-m pip install "keras~=3\.\d+"', out)
    assert "НЕ ГОТОВО" in out


def test_check_env_rejects_a_version_outside_the_pin(cache, monkeypatch, capsys):
    real = check_env.installed_version
    monkeypatch.setattr(check_env, "installed_version", lambda name: "2.15.1" if name == "tensorflow" else real(name))
    assert check_env.main(["--offline", "--no-bench"]) == 1
    out = capsys.readouterr().out
    assert "tensorflow 2.15.1: версия не подходит" in out and '"tensorflow~=' in out


def test_check_env_only_warns_for_test_only_packages(cache, monkeypatch, capsys):
    real = check_env.installed_version
    monkeypatch.setattr(check_env, "installed_version", lambda name: None if name == "pytest" else real(name))
    monkeypatch.setenv("DL7_DATA", "auto")
    assert check_env.main(["--offline", "--no-bench"]) == 0
    assert "pytest: не установлен (нужен только для тестов" in capsys.readouterr().out


def test_check_env_rejects_an_old_python(cache, monkeypatch, capsys):
    monkeypatch.setattr(check_env, "python_version", lambda: (3, 9, 18))
    assert check_env.main(["--offline", "--no-bench"]) == 1
    out = capsys.readouterr().out
    assert "[ОШИБКА]   Python 3.9.18" in out and "нужен Python 3.10–3.12" in out


@pytest.mark.parametrize(("installed", "op", "pinned", "ok"), [
    ("2.21.0", "~=", "2.21.0", True), ("2.21.3", "~=", "2.21.0", True), ("2.22.0", "~=", "2.21.0", False),
    ("2.20.9", "~=", "2.21.0", False), ("3.15.1", "~=", "3.15", True), ("3.99", "~=", "3.15", True),
    ("3.14.9", "~=", "3.15", False), ("4.0", "~=", "3.15", False), ("0.13.2", "~=", "0.13.2", True),
    ("2.21.0rc1", "~=", "2.21.0", True), ("1.0.0", "==", "1.0", True), ("1.2", ">=", "1.10", False),
])
def test_compatible_release_semantics(installed, op, pinned, ok):
    assert check_env.satisfies(installed, op, pinned) is ok


def test_check_env_data_section(source, cache, monkeypatch, capsys, closed_port_url):
    monkeypatch.setenv("DL7_DATA", "auto")
    assert prepare_data.main(["--skip", "aclimdb,glove,jena"]) == 0  # IMDB in the cache
    capsys.readouterr()
    assert check_env.main(["--no-bench"]) == 0
    out = capsys.readouterr().out
    assert "IMDB (последовательности чисел): в кэше (реальные, проверен)" in out
    assert "GloVe 6B: нет в кэше, можно скачать" in out
    monkeypatch.setenv("DL7_MIRROR", closed_port_url)
    assert check_env.main(["--no-bench"]) == 0
    assert "Погода в Йене: нет в кэше и не скачивается" in capsys.readouterr().out
    monkeypatch.setenv("DL7_DATA", "real")
    assert check_env.main(["--no-bench"]) == 1  # real data required but unavailable
    assert "а DL7_DATA=real" in capsys.readouterr().out


def test_time_estimate_follows_the_documented_step_counts():
    est = check_env.estimate({"lstm": 1.0, "gru": 1.0, "small": 1.0})
    imdb = 1570 + check_env.EVAL * 400
    assert est["7.2"] == pytest.approx((check_env.SIMPLE_RNN + 1) * imdb)
    assert est["7.1"] == pytest.approx(6250 + 280 + check_env.EVAL * (1570 + 12520))
    jena20, jena40 = 10000 + check_env.EVAL * 15380, 20000 + check_env.EVAL * 30760
    assert est["7.3"] == pytest.approx((check_env.DENSE_JENA + 2) * jena20
                                       + (1 + check_env.STACKED + check_env.BIDIRECTIONAL_GRU) * jena40
                                       + (check_env.LSTM_EMBEDDING_128 + check_env.BIDIRECTIONAL_LSTM) * imdb)
    assert check_env.duration(30) == "~30 с" and check_env.duration(600) == "~10 мин"
    assert check_env.duration(7200) == "~2.0 ч"


# --- slides ----------------------------------------------------------------------------------------

def _read_notebook(path: Path):
    """A notebook that another process may be writing right now: retry once on a half-written file."""
    for attempt in range(2):
        try:
            return nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        except (json.JSONDecodeError, nbformat.reader.NotJSONError):
            if attempt:
                raise
            time.sleep(1)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().replace("ё", "е")
    text = re.sub(r"[`*_#]", "", text)
    return re.sub(r"\s+", " ", text).strip(" .:")


def lecture_sections() -> dict[str, tuple[str, list[str]]]:
    """'7.1' -> (section title, the titles of its slides in order), from the lecture's text."""
    lines = LECTURE.read_text(encoding="utf-8").splitlines()
    titles = {}
    for line in lines:
        m = re.match(r"^(7\.[123])\. \S", line)
        if m and m.group(1) not in titles:
            titles[m.group(1)] = line.strip()
    subtitles: dict[str, list[str]] = {k: [] for k in titles}
    outline_end = max(i for i, line in enumerate(lines) if line.strip() == titles["7.3"] and i < 40)
    for i, line in enumerate(lines):
        key = next((k for k, t in titles.items() if line.strip() == t), None)
        if key is None or i <= outline_end:
            continue
        following = [x.strip() for x in lines[i + 1:i + 8] if x.strip()]
        if not following:
            continue
        first = following[0]
        # a slide title: a short line of words (not code, a formula, a bullet or a paragraph)
        if re.match(r"^[А-ЯЁа-яё]", first) and len(first) <= 100 and first not in titles.values():
            if len(following) > 1 and following[1].startswith("("):
                first += " " + following[1]
            if not subtitles[key] or subtitles[key][-1] != first:
                subtitles[key].append(first)
    return {k: (titles[k], subtitles[k]) for k in titles}


SECTIONS = lecture_sections() if LECTURE.is_file() else {}


def test_lecture_parsing_finds_the_slide_titles():
    if not SECTIONS:
        pytest.skip("the lecture text (../shared/lecture) is not here")
    assert list(SECTIONS) == ["7.1", "7.2", "7.3"]
    assert SECTIONS["7.2"] == ("7.2. Рекуррентные нейронные сети", ["РЕКУРРЕНТНЫЙ УРОВЕНЬ В KERAS", "СЛОИ LSTM И GRU"])
    assert "Прямое кодирование на уровне слов с использованием хеширования (упрощенный пример)" in SECTIONS["7.1"][1]
    assert len(SECTIONS["7.3"][1]) == 3


def _slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "")


ALL_NOTEBOOKS = sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.skipif(not ALL_NOTEBOOKS, reason="no notebooks yet")
@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: p.name)
def test_every_cell_has_slide_metadata(path):
    nb = _read_notebook(path)
    missing = [i for i, c in enumerate(nb.cells) if not _slide_type(c)]
    assert not missing, f"{path.name}: cells without slideshow.slide_type: {missing}"


@pytest.mark.parametrize("section", ["7.1", "7.2", "7.3"])
def test_slide_titles_follow_the_lecture(section):
    if not SECTIONS:
        pytest.skip("the lecture text (../shared/lecture) is not here")
    found = sorted(NOTEBOOKS.glob(f"{section}-*.ipynb"))
    if not found:
        pytest.skip(f"notebooks/{section}-*.ipynb does not exist yet")
    assert len(found) == 1, found
    title, subtitles = SECTIONS[section]
    cells = _read_notebook(found[0]).cells
    assert _slide_type(cells[0]) == "slide" and cells[0].source.startswith(f"# {title}"), \
        f"the first cell is the title slide '# {title}'"
    headings = []  # (cell index, heading) of every slide and sub-slide, in order
    for i, c in enumerate(cells):
        st = _slide_type(c)
        if st == "slide":
            first = c.source.lstrip().splitlines()[0] if c.source.strip() else ""
            assert c.cell_type == "markdown" and re.match(r"^#{1,3} ", first), \
                f"cell {i}: a slide starts with its title (a markdown heading)"
            assert _norm(first).startswith(_norm(title)), \
                f"cell {i}: slide title {first!r} does not name the lecture section {title!r}"
        if st in ("slide", "subslide") and c.cell_type == "markdown":
            headings += [(i, _norm(line)) for line in c.source.splitlines() if line.startswith("#")]
    pos = 0
    for sub in subtitles:  # the lecture's slide titles, as a subsequence of the notebook's, in order
        hit = next((k for k in range(pos, len(headings)) if _norm(sub) in headings[k][1]), None)
        assert hit is not None, (f"lecture slide {sub!r} has no slide or sub-slide heading "
                                 f"after cell {headings[pos - 1][0] if pos else 0}")
        pos = hit + 1


def test_notebooks_are_in_lecture_order():
    names = [p.name for p in ALL_NOTEBOOKS if re.match(r"7\.\d-", p.name)]
    assert names == sorted(names, key=lambda n: [int(x) for x in n.split("-")[0].split(".")])


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """A snapshot of every notebook and its deck made by tools/make_slides.py from that snapshot."""
    if not ALL_NOTEBOOKS:
        pytest.skip("no notebooks yet")
    folder = tmp_path_factory.mktemp("slides")
    copies = []
    for path in ALL_NOTEBOOKS:
        nb = _read_notebook(path)
        copy = folder / "nb" / path.name
        copy.parent.mkdir(exist_ok=True)
        nbformat.write(nb, copy)
        copies.append(copy)
    out = folder / "out"
    assert make_slides.main([*map(str, copies), "--out", str(out)]) == 0
    return {p.name: (p, out / (p.stem + ".slides.html")) for p in copies}


@pytest.mark.skipif(not ALL_NOTEBOOKS, reason="no notebooks yet")
@pytest.mark.parametrize("name", [p.name for p in ALL_NOTEBOOKS])
def test_html_export_has_one_slide_per_slide_cell(decks, name):
    notebook, deck = decks[name]
    html = deck.read_text(encoding="utf-8")
    nb = nbformat.read(notebook, as_version=4)
    n_slide_cells = sum(_slide_type(c) == "slide" for c in nb.cells)
    assert n_slide_cells == make_slides.expected_slides(nb)  # the first cell is a slide
    assert make_slides.count_slides(html) == n_slide_cells
    assert 'class="reveal"' in html
    if make_slides.reveal_source():  # offline deck: nothing from the network
        assert 'src="reveal.js/dist/reveal.js"' in html and (deck.parent / "reveal.js" / "dist" / "reveal.js").is_file()
        assert "require.min.js" not in html and "unpkg.com" not in html
        if make_slides.mathjax_source():
            assert (deck.parent / "mathjax" / "MathJax.js").is_file() and "cdnjs" not in html


def test_slide_counter_counts_only_top_level_sections():
    html = "<div class='slides'><section><section>a</section><section>b</section></section><section>c</section></div>"
    assert make_slides.count_slides(html) == 2
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("x", metadata={"slideshow": {"slide_type": t}})
                                         for t in ("-", "slide", "subslide", "skip", "slide")])
    assert make_slides.expected_slides(nb) == 3


def test_download_stamp_is_what_prepare_relies_on(source, cache):
    """prepare_data decides 'already there' with utils.download.is_verified: a verified file gets a stamp."""
    prepare_data.main(["--skip", "aclimdb,glove,jena"])
    assert download.is_verified(cache / "imdb.npz", data.REMOTES["imdb.npz"])
    assert (cache / ".imdb.npz.verified").is_file()
