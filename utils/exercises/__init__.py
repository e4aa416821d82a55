"""Checks of the notebooks' exercises (DESIGN.md section 5): each tells the student at once, in Russian, whether the
answer is right and, when it is not, which mistake it is, without giving the answer away.

A check is a function ``ex_7_x_n(answer, ...)`` of ``utils.exercises.nb7x``: it takes the student's answer (a value or
a function) and the notebook's own data, computes the reference from them at check time, and returns a ``Result``;
Jupyter shows it as one line.  A check never raises: an unsolved stub gives «не решено», a wrong type or a function
that fails gives its message.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

UNSOLVED = "не решено"


@dataclass(frozen=True)
class Result:
    """``status``: "верно", "ошибка" or "не решено"; ``mistake``: a short name of the mistake (tests read it);
    ``message``: what the student reads."""

    status: str
    message: str
    mistake: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "верно"

    def __repr__(self) -> str:  # the line Jupyter shows under the check cell
        mark = {"верно": "✅ Верно", "ошибка": "❌ Пока неверно", UNSOLVED: f"⏳ {UNSOLVED}"}[self.status]
        return f"{mark}: {self.message}" if self.message else mark


def right(message: str = "") -> Result:
    return Result("верно", message)


def wrong(mistake: str, message: str) -> Result:
    return Result("ошибка", message, mistake)


def unsolved(message: str = "замените ... своим кодом и выполните ячейку ещё раз") -> Result:
    return Result(UNSOLVED, message, "unsolved")


class Failed(Exception):
    """Raised inside a check to stop it with a Result (``call`` and ``array`` raise it)."""

    def __init__(self, result: Result):
        super().__init__(result.message)
        self.result = result


def is_stub(value) -> bool:
    """An untouched stub: ``...`` or ``None`` (a function body of ``...`` returns None)."""
    return value is None or value is Ellipsis


def call(func, *args, name: str = "функция"):
    """``func(*args)`` for a student's function: a stub, something that is not a function, or an error inside it
    stops the check with its message (never a traceback)."""
    if is_stub(func):
        raise Failed(unsolved())
    if not callable(func):
        raise Failed(wrong("type", f"ожидается функция ({name}), а получен объект типа {type(func).__name__}"))
    try:
        value = func(*args)
    except NotImplementedError:
        raise Failed(unsolved()) from None
    except Exception as exc:  # the student's code failed: say how, in one line
        raise Failed(wrong("error", f"{name} завершилась ошибкой {type(exc).__name__}: {exc}")) from None
    if is_stub(value):
        raise Failed(unsolved(f"{name} пока ничего не возвращает (return ...)"))
    return value


def array(value, what: str = "ответ", dtype=float) -> np.ndarray:
    """``value`` as a NumPy array (a list, a tuple, a tensor, ...), or stop the check with a message."""
    if is_stub(value):
        raise Failed(unsolved())
    try:
        if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
            value = value.numpy()  # a TensorFlow tensor
        result = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise Failed(wrong("type", f"{what}: не удаётся прочитать как массив чисел ({exc})")) from None
    return result


def number(value, what: str = "ответ") -> float:
    """``value`` as one number (an int, a float, a 0-d or 1-element array), or stop the check with a message."""
    a = array(value, what)
    if a.size != 1:
        raise Failed(wrong("shape", f"{what}: ожидается одно число, а получен массив формы {a.shape}"))
    return float(a.reshape(()))


def shape_is(a: np.ndarray, expected: tuple, what: str = "ответ") -> None:
    if a.shape != tuple(expected):
        raise Failed(wrong("shape", f"{what}: форма {a.shape}, а должна быть {tuple(expected)}"))


def check(func):
    """Decorator of every check: a ``Failed`` becomes its Result; an error of the check itself on an unexpected
    answer becomes a message too, so that the student's cell never shows a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs) -> Result:
        try:
            return func(*args, **kwargs)
        except Failed as stop:
            return stop.result
        except Exception as exc:  # an answer of a shape nobody foresaw
            return wrong("unexpected", f"ответ не удалось проверить ({type(exc).__name__}: {exc}); проверьте его тип "
                                       "и форму по условию")

    return wrapper
