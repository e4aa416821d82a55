"""Downloads into the cache and safe, one-time extraction (DESIGN.md section 4).

Every download: official file name, verified by sha256 / md5 / size, written to
``<name>.part`` and renamed only when complete, with a tqdm progress bar.  A file
that was verified once gets a small stamp next to it and is never fetched again.
``DL7_MIRROR`` (a base URL, ``http://`` or ``file://``) replaces the official host:
files are then looked up there by their official names (a classroom mirror, tests).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from tqdm import tqdm  # the text bar: works in a terminal and in Jupyter without ipywidgets

CHUNK = 1 << 20
TIMEOUT_S = 20
# Hosts that could not be reached in this process: not tried again (a classroom without
# network would otherwise wait for a time-out at every data set).
UNREACHABLE: set[str] = set()


class DataError(RuntimeError):
    """A data set cannot be used; the message says which file and what to do."""


class DownloadUnavailable(DataError):
    """The file is not in the cache and cannot be downloaded (no network, host down)."""


@dataclass(frozen=True)
class Remote:
    filename: str  # the official file name, also its name in the cache
    url: str
    sha256: str | None = None
    md5: str | None = None
    size: int | None = None  # bytes


def source_url(remote: Remote) -> str:
    mirror = os.environ.get("DL7_MIRROR", "").strip()
    if mirror:
        return mirror.rstrip("/") + "/" + remote.filename
    return remote.url


def manual_help(remote: Remote, folder: Path) -> str:
    return (
        f"Скачайте файл вручную: {remote.url}\n"
        f"и положите его ровно сюда: {Path(folder) / remote.filename}\n"
        f"(папка: {Path(folder)}, имя файла: {remote.filename}); он будет проверен и использован без скачивания.\n"
        "Или работайте офлайн на синтетических данных: DL7_DATA=synthetic."
    )


def _file_digest(path: Path, algo: str) -> str:
    h = hashlib.new(algo)
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    return h.hexdigest()


def check_file(path: Path, remote: Remote) -> str | None:
    """Return what is wrong with ``path`` as a copy of ``remote``, or None if it verifies."""
    size = path.stat().st_size
    if remote.size is not None and size != remote.size:
        return f"its size is {size:,} bytes, expected {remote.size:,}"
    for algo in ("sha256", "md5"):
        expected = getattr(remote, algo)
        if expected:
            actual = _file_digest(path, algo)
            if actual != expected.lower():
                return f"its {algo} is {actual}, expected {expected}"
    if remote.size is None and remote.sha256 is None and remote.md5 is None:
        return None if size > 0 else "it is empty"
    return None


def _stamp(path: Path) -> Path:
    return path.with_name(f".{path.name}.verified")


def _stamp_text(path: Path, remote: Remote) -> str:
    st = path.stat()
    return f"{st.st_size} {st.st_mtime_ns} {remote.sha256 or remote.md5 or remote.size}"


def is_verified(path: Path, remote: Remote) -> bool:
    """True when ``path`` exists and verifies (cheaply, via its stamp, after the first time)."""
    if not path.is_file():
        return False
    stamp = _stamp(path)
    if stamp.is_file() and stamp.read_text() == _stamp_text(path, remote):
        return True
    if check_file(path, remote) is None:
        stamp.write_text(_stamp_text(path, remote))
        return True
    return False


def fetch(remote: Remote, folder: Path, *, timeout: float = TIMEOUT_S, quiet: bool = False) -> Path:
    """Return the verified file ``folder/remote.filename``, downloading it only if absent."""
    folder = Path(folder)
    target = folder / remote.filename
    if target.exists():
        if is_verified(target, remote):
            return target
        raise DataError(
            f"Файл {target} уже лежит в кэше, но не прошёл проверку: {check_file(target, remote)}.\n"
            f"Удалите его (он будет скачан заново) или замените правильной копией с {remote.url}."
        )
    folder.mkdir(parents=True, exist_ok=True)
    url = source_url(remote)
    host = urllib.parse.urlsplit(url).netloc
    if host and host in UNREACHABLE:
        raise DownloadUnavailable(f"Хост {host} уже был недоступен в этом сеансе; {url} не скачивается.\n"
                                  + manual_help(remote, folder))
    part = target.with_name(target.name + ".part")
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "dl7-course/1.0"})
        with urllib.request.urlopen(request, timeout=timeout) as response, open(part, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0) or remote.size
            with tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024,
                      desc=remote.filename, disable=quiet) as bar:
                while block := response.read(CHUNK):
                    out.write(block)
                    bar.update(len(block))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        part.unlink(missing_ok=True)
        reason = getattr(exc, "reason", None) or exc
        if isinstance(exc, urllib.error.HTTPError):
            reason = f"HTTP {exc.code} {reason}"
        if host and not isinstance(exc, urllib.error.HTTPError):
            UNREACHABLE.add(host)
        raise DownloadUnavailable(f"Не удалось скачать {url}: {reason}\n" + manual_help(remote, folder)) from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    problem = check_file(part, remote)
    if problem is not None:
        part.unlink(missing_ok=True)
        raise DataError(
            f"Скачанный файл {remote.filename} с {url} повреждён: {problem}. Недокачанный файл удалён.\n"
            "Запустите ещё раз; если ошибка повторится:\n" + manual_help(remote, folder)
        )
    os.replace(part, target)
    _stamp(target).write_text(_stamp_text(target, remote))
    return target


def _check_zip_member(name: str, archive: Path) -> None:
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or (p.parts and ":" in p.parts[0]):
        raise DataError(
            f"Архив {archive} небезопасен: элемент {name!r} попал бы за пределы папки распаковки. "
            "Распаковка отменена; удалите архив и скачайте его с официального адреса."
        )


def _check_tar_member(member: tarfile.TarInfo, archive: Path) -> None:
    """Our own check, also on Pythons whose tarfile has no extraction filters: paths and links stay inside."""
    _check_zip_member(member.name, archive)
    if member.issym() or member.islnk():
        link = PurePosixPath(member.linkname)
        if link.is_absolute() or ".." in link.parts:
            raise DataError(f"Архив {archive} небезопасен: ссылка {member.name!r} -> {member.linkname!r} ведёт "
                            "за пределы папки распаковки. Распаковка отменена; удалите архив.")
    elif not (member.isfile() or member.isdir()):
        raise DataError(f"Архив {archive} небезопасен: {member.name!r} — не файл и не папка. Распаковка отменена.")


def extract(archive: Path, folder: Path, expect: str, members: list[str] | None = None) -> Path:
    """Extract ``archive`` (.tar.gz or .zip) into ``folder`` once; return ``folder/expect``.

    Everything is first extracted into a temporary folder next to the target and
    moved into place only when complete, so a failed extraction leaves nothing.
    ``members``: extract only these (e.g. one file of glove.6B.zip).
    """
    archive, folder = Path(archive), Path(folder)
    result = folder / expect
    if result.exists():
        return result
    tmp = folder / f".{archive.name}.extracting"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        if archive.name.endswith((".tar.gz", ".tgz", ".tar")):
            with tarfile.open(archive) as tar:
                chosen = [tar.getmember(m) for m in members] if members else tar.getmembers()
                for member in chosen:
                    _check_tar_member(member, archive)
                if hasattr(tarfile, "data_filter"):  # Python >= 3.10.12 / 3.11.4: the library checks too
                    tar.extractall(tmp, members=chosen, filter="data")
                else:
                    tar.extractall(tmp, members=chosen)
        elif archive.name.endswith(".zip"):
            with zipfile.ZipFile(archive) as zf:
                names = members or zf.namelist()
                for name in names:
                    _check_zip_member(name, archive)
                for name in names:
                    zf.extract(name, tmp)
        else:
            raise DataError(f"Неизвестный тип архива: {archive} (ожидается .tar.gz или .zip)")
        if not (tmp / expect).exists():
            raise DataError(f"В архиве {archive} нет ожидаемого элемента {expect!r}. Архив не тот или повреждён.")
        os.replace(tmp / expect, result)
    except tarfile.FilterError as exc:
        raise DataError(
            f"Архив {archive} небезопасен: {exc}. Распаковка отменена, в кэше ничего не осталось; "
            "удалите архив и скачайте его с официального адреса."
        ) from None
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error, OSError, KeyError) as exc:
        _stamp(archive).unlink(missing_ok=True)
        raise DataError(
            f"Архив {archive} повреждён или обрезан ({type(exc).__name__}: {exc}). "
            "Распаковка отменена, в кэше ничего не осталось. Удалите архив и скачайте его заново."
        ) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result
