"""How specific the exercise checks' feedback is (issue 24): of the wrong answers that tests/test_ex71.py,
test_ex72.py and test_ex73.py try, at most one in five may get only the generic message («не совпадает с …»,
mistake "wrong" / "values" / "unexpected" / "not_better").  Garbage (a wrong type, a failing function, a
choice outside the list) is left out of the count: its message is specific by nature.

The three test files run once more in a subprocess with a plugin that records every Result (about a minute)."""

import collections
import json
import os
import subprocess
import sys

from nbtools import REPO

GENERIC = {"wrong", "values", "unexpected", "not_better"}
GARBAGE = {"type", "shape", "error", "choice", "too_long", "data"}  # not an answer of the exercise's kind
FILES = ["tests/test_ex71.py", "tests/test_ex72.py", "tests/test_ex73.py"]


def recorded(tmp_path) -> list[dict]:
    log = tmp_path / "feedback.jsonl"
    env = {**os.environ, "DL7_FEEDBACK_LOG": str(log), "PYTHONPATH": os.pathsep.join([str(REPO / "tests"),
                                                                                       str(REPO)])}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "exercise_feedback_plugin", "-p",
                          "no:cacheprovider", *FILES], cwd=REPO, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_at_most_one_wrong_answer_in_five_gets_only_the_generic_message(tmp_path):
    results = recorded(tmp_path)
    wrong = [r for r in results if r["status"] == "ошибка" and r["mistake"] not in GARBAGE]
    generic = [r for r in wrong if r["mistake"] in GENERIC]
    by_check = collections.Counter(r["check"] for r in generic)
    share = len(generic) / len(wrong)
    garbage = sum(r["status"] == "ошибка" and r["mistake"] in GARBAGE for r in results)
    print(f"\nwrong answers: {len(wrong)} (and {garbage} of garbage: wrong types, failing functions), "
          f"generic only: {len(generic)} ({share:.0%}); by check: {dict(by_check)}")
    assert len(wrong) >= 150
    assert share <= 1 / 5, (share, dict(by_check))
    kinds = {(r["check"], r["mistake"]) for r in wrong}
    assert len(kinds) >= 100  # many distinct recognized mistakes, not one message repeated
