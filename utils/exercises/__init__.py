"""Checks of the notebooks' exercises (DESIGN.md section 5): each tells the student at once, in Russian, whether the
answer is right and, when it is not, which mistake it is, without giving the answer away.

A check is a function ``ex_7_x_n(answer, ...)`` of ``utils.exercises.nb7x``: it takes the student's answer (a value or
a function) and the notebook's own data, computes the reference from them at check time, and returns a ``Result``;
Jupyter shows it as one line.  A check never raises and never hangs: an unsolved stub gives «не решено», a wrong
type or a function that fails gives its message, and every answer is read with a bound on its length.  A student's
function gets copies of the notebook's data, so it cannot change them.  A check names a mistake only after
recomputing the reference with exactly that mistake.

The verdict marks are characters of ordinary text fonts (DejaVu Sans, Liberation Sans/Arial, Segoe UI), not emoji:
``MARKS`` below; tests/test_exercises.py checks every mark against the fonts' character maps.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import functools
import inspect
import itertools
import numbers
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

UNSOLVED = "не решено"
CANNOT_JUDGE = "нельзя судить"
MARKS = {"верно": "+ Верно", "ошибка": "× Пока неверно", UNSOLVED: f"… {UNSOLVED}",
         CANNOT_JUDGE: "? Этот прогон не позволяет судить"}
LIMIT = 1_000_000  # the most items a check reads from one answer (an endless iterator stops here)


@dataclass(frozen=True)
class Result:
    """``status``: "верно", "ошибка", "не решено" or "нельзя судить" (a run too short to judge the answer);
    ``mistake``: a short name of the mistake (tests read it); ``message``: what the student reads."""

    status: str
    message: str
    mistake: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "верно"

    def __repr__(self) -> str:  # the line Jupyter shows under the check cell
        mark = MARKS[self.status]
        return f"{mark}: {self.message}" if self.message else mark


def right(message: str = "") -> Result:
    return Result("верно", message)


def wrong(mistake: str, message: str) -> Result:
    return Result("ошибка", message, mistake)


def unsolved(message: str = "замените ... своим кодом и выполните ячейку ещё раз") -> Result:
    return Result(UNSOLVED, message, "unsolved")


def cannot_judge(message: str) -> Result:
    """The answer has the right form, but this run (quick, too few epochs or windows) cannot tell right from
    wrong: said plainly instead of «верно»."""
    return Result(CANNOT_JUDGE, message, "cannot_judge")


class Failed(Exception):
    """Raised inside a check to stop it with a Result (``call`` and ``array`` raise it)."""

    def __init__(self, result: Result):
        super().__init__(result.message)
        self.result = result


def is_stub(value) -> bool:
    """An untouched stub: ``...`` or ``None`` (a function body of ``...`` returns None)."""
    return value is None or value is Ellipsis


def call(func, *args, name: str = "функция", none_ok: bool = False, copy_args: bool = True):
    """``func(*args)`` for a student's function, on copies of ``args`` (the notebook's data stay as they are): a
    stub, something that is not a function, or an error inside it (``sys.exit()`` too; Ctrl-C still stops the
    cell) stops the check with its message, never a traceback.  ``none_ok``: return None instead of stopping;
    ``copy_args=False``: the check passes its own copies and wants to see what the function does to them."""
    if is_stub(func):
        raise Failed(unsolved())
    if not callable(func):
        raise Failed(wrong("type", f"ожидается функция ({name}), а получен объект типа {type(func).__name__}"))
    try:
        value = func(*(copy.deepcopy(a) for a in args) if copy_args else args)
    except KeyboardInterrupt:
        raise
    except NotImplementedError:
        raise Failed(unsolved()) from None
    except SystemExit:
        raise Failed(wrong("error", f"{name} вызвала sys.exit(): функция должна вернуть ответ, а не "
                                    "завершать программу")) from None
    except BaseException as exc:  # the student's code failed: say how, in one line
        raise Failed(wrong("error", f"{name} завершилась ошибкой {type(exc).__name__}: {exc}")) from None
    if is_stub(value) and not none_ok:
        raise Failed(unsolved(f"{name} пока ничего не возвращает (return ...)"))
    return value


def items(value, what: str = "ответ", limit: int = LIMIT) -> list:
    """The elements of a container or iterable (a list, a set, ``dict_keys``, a pandas Index, a generator, ...) as a
    list, reading at most ``limit`` of them; a string, a number or an endless iterable stops the check."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise Failed(wrong("type", f"{what}: ожидается набор значений (список, множество, ...), а получен "
                                   f"объект типа {type(value).__name__}"))
    if type(value) in (list, tuple) and len(value) <= limit:
        return list(value)
    got = list(itertools.islice(iter(value), limit + 1))
    if len(got) > limit:
        raise Failed(wrong("too_long", f"{what}: больше {limit} элементов — это не похоже на ответ"))
    return got


def _plain(value, depth: int = 0):
    """``value`` with every container made a list of bounded length (np.asarray alone may iterate without end)."""
    if isinstance(value, (str, bytes)):
        raise Failed(wrong("string", ""))
    if isinstance(value, (numbers.Number, np.generic, np.ndarray, Mapping)) or value is None:
        return value  # a mapping is no array: np.asarray then refuses it with a message
    if hasattr(value, "numpy") and callable(value.numpy):  # a TensorFlow tensor
        return value.numpy()
    if hasattr(value, "__array__") and not isinstance(value, (list, tuple)):  # pandas, JAX, ...
        return np.asarray(value)
    if hasattr(value, "__iter__") and depth < 8:
        return [_plain(x, depth + 1) for x in items(value, "ответ")]
    return value


def array(value, what: str = "ответ", dtype=float) -> np.ndarray:
    """``value`` as a new NumPy array (a list, a tuple, a tensor, ...; never a view of the notebook's data), or stop
    the check with a message.  Strings are not numbers, even "12"."""
    if is_stub(value):
        raise Failed(unsolved())
    try:
        raw = np.asarray(_plain(value))
        if raw.dtype.kind in "USa" or (raw.dtype.kind == "O" and any(isinstance(x, (str, bytes))
                                                                     for x in raw.reshape(-1)[:LIMIT])):
            raise Failed(wrong("string", ""))
        result = np.array(raw, dtype=dtype, copy=True)
    except Failed as stop:
        if stop.result.mistake == "string":
            raise Failed(wrong("type", f"{what}: в ответе строки, а нужны числа (уберите кавычки)")) from None
        raise
    except (TypeError, ValueError, OverflowError) as exc:
        raise Failed(wrong("type", f"{what}: не удаётся прочитать как массив чисел ({exc})")) from None
    return result


def number(value, what: str = "ответ") -> float:
    """``value`` as one number (an int, a float, a 0-d or 1-element array), or stop the check with a message."""
    a = array(value, what)
    if a.size != 1:
        raise Failed(wrong("shape", f"{what}: ожидается одно число, а получен массив формы {a.shape}"))
    return float(a.reshape(()))


def integer(value, what: str = "ответ") -> int:
    """``value`` as one whole number (``64``, ``64.0``, ``np.int64(64)``); ``64.7`` and ``"64"`` stop the check."""
    x = number(value, what)
    if not np.isfinite(x) or x != int(x):
        raise Failed(wrong("not_integer", f"{what}: ожидается целое число, а получено {x:g}"))
    return int(x)


def shape_is(a: np.ndarray, expected: tuple, what: str = "ответ") -> None:
    if a.shape != tuple(expected):
        raise Failed(wrong("shape", f"{what}: форма {a.shape}, а должна быть {tuple(expected)}"))


def source_uses(func, names=(), loops: bool = False) -> str | None:
    """What of a statement's rule «без цикла» / «без Keras» the student's function breaks, read from its source:
    a ``for``/``while`` statement (``loops``; comprehensions are allowed) or one of ``names`` used as a name or an
    attribute.  None when the source cannot be read or the function is a lambda (its source is the whole line
    around it): then the rule is not checked."""
    if getattr(func, "__name__", "<lambda>") == "<lambda>":
        return None
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not defs or defs[0].name != func.__name__:
        return None
    for node in ast.walk(defs[0]):
        if loops and isinstance(node, (ast.For, ast.While, ast.AsyncFor)):
            return "цикл for" if not isinstance(node, ast.While) else "цикл while"
        word = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        if word in names:
            return word
    return None


def choice(value, options: dict, what: str = "ответ") -> str:
    """A student's pick among ``options`` ({key: text}): the key, compared without case, spaces at the ends and
    with «ё» as «е»; anything else stops the check with the list of options."""
    if is_stub(value):
        raise Failed(unsolved())
    listed = "; ".join(f"{k!r}" for k in options)
    if not isinstance(value, str):
        raise Failed(wrong("type", f"{what}: ожидается одна из строк {listed}, а получен объект типа "
                                   f"{type(value).__name__}"))

    def norm(s):
        return " ".join(s.lower().replace("ё", "е").split())

    for key in options:
        if norm(value) == norm(key):
            return key
    raise Failed(wrong("choice", f"{what}: ожидается одна из строк {listed}"))


_RECORDERS: list[list] = []  # open ``recording()`` logs (tests measure the feedback with them)


@contextlib.contextmanager
def recording():
    """Within it, every Result a check returns is appended to the yielded list as (check name, Result)."""
    log: list = []
    _RECORDERS.append(log)
    try:
        yield log
    finally:
        _RECORDERS.remove(log)


def check(func):
    """Decorator of every check: a ``Failed`` becomes its Result; an error of the check itself on an unexpected
    answer becomes a message too, so that the student's cell never shows a traceback (Ctrl-C still stops it)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs) -> Result:
        try:
            result = func(*args, **kwargs)
        except KeyboardInterrupt:
            raise
        except Failed as stop:
            result = stop.result
        except BaseException as exc:  # an answer of a shape nobody foresaw
            result = wrong("unexpected", f"ответ не удалось проверить ({type(exc).__name__}: {exc}); проверьте его "
                                         "тип и форму по условию")
        for log in _RECORDERS:
            log.append((func.__name__, result))
        return result

    return wrapper
