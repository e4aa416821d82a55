"""Downloads into the cache and safe, one-time extraction (DESIGN.md section 4).

pooch downloads (HTTP, progress bar) and hashes.  Ours, where pooch falls short: the size check (two files have
no published hash); ``<name>.part`` renamed once verified (pooch's random temporary names would stay after a
power cut); a stamp, so that a verified file is never hashed again; ``file://`` mirrors; errors that say what to
do (an unreachable host is not tried again; a full disk is a local error, not a network one); extraction with
the tar ``data`` filter and our own member check (the tarfile of Python 3.11.0-3.11.3 has no filters).
"""

import functools
import gzip
import os
import shutil
import tarfile
import urllib.parse
import urllib.request
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import requests
from tqdm import TqdmWarning, tqdm  # the text bar: works in a terminal and in Jupyter without ipywidgets

with warnings.catch_warnings():  # pooch imports tqdm.auto, which in Jupyter warns that ipywidgets is missing
    warnings.simplefilter("ignore", TqdmWarning)
    import pooch

from .settings import get_settings

CHUNK = 1 << 20
TIMEOUT_S = 20
UNREACHABLE: set[str] = set()  # hosts not reached in this process: not tried again (no time-out per data set)


class DataError(RuntimeError):
    """A data set cannot be used; the message says which file and what to do."""


class DownloadUnavailable(DataError):
    """The file is not in the cache and cannot be downloaded (no network, host down).  ``target``: where a copy
    fetched by hand goes, ``url``: its official address; ``also``: another way to get the data set (one line)."""

    def __init__(self, message: str, url: str = "", target: Path | None = None, also: str = ""):
        super().__init__(message)
        self.url, self.target, self.also = url, target, also


class _NotOnMirror(Exception):
    """A file:// mirror has no readable file of that name."""


@dataclass(frozen=True)
class Remote:
    filename: str  # the official file name, also its name in the cache
    url: str
    sha256: str | None = None
    md5: str | None = None
    size: int | None = None  # bytes


def source_url(remote: Remote, mirror: str | None = None) -> str:
    """The official URL, or the mirror (default: DL7_MIRROR of the settings) + the official name."""
    mirror = get_settings().mirror if mirror is None else mirror
    return f"{mirror.rstrip('/')}/{remote.filename}" if mirror else remote.url


def manual_help(remote: Remote, folder: Path) -> str:
    return (f"Скачайте файл вручную: {remote.url}\nи положите его ровно сюда: {Path(folder) / remote.filename}\n"
            f"(папка: {Path(folder)}, имя файла: {remote.filename}); он будет проверен и использован без "
            "скачивания.\nИли работайте офлайн на синтетических данных: DL7_DATA=synthetic.")


def _disk_error(what: str, folder: Path, exc: OSError, tail: str) -> DataError:
    return DataError(f"Не удалось {what} в папку {folder}: {exc.strerror or exc}. Это ошибка диска этого компьютера, "
                     "а не сети: освободите место (или дайте права на запись) и запустите ещё раз, или укажите "
                     f"другую папку кэша в DL7_DATA_DIR. {tail}")


def check_file(path: Path, remote: Remote) -> str | None:
    """Return what is wrong with ``path`` as a copy of ``remote``, or None if it verifies."""
    size = path.stat().st_size
    if remote.size is not None and size != remote.size:
        return f"размер {size:,} байт, а должен быть {remote.size:,}"
    for algo, expected in (("sha256", remote.sha256), ("md5", remote.md5)):
        if expected and (actual := pooch.file_hash(str(path), alg=algo)) != expected.lower():
            return f"{algo} = {actual}, а должна быть {expected}"
    return None if size > 0 else "файл пуст"


def _stamp(path: Path) -> Path:
    return path.with_name(f".{path.name}.verified")


def _stamp_text(path: Path, remote: Remote) -> str:
    return f"{path.stat().st_size} {path.stat().st_mtime_ns} {remote.sha256 or remote.md5 or remote.size}"


def is_verified(path: Path, remote: Remote) -> bool:
    """True when ``path`` exists and verifies (cheaply, via its stamp, after the first time)."""
    if not path.is_file():
        return False
    if not (_stamp(path).is_file() and _stamp(path).read_text() == _stamp_text(path, remote)):
        if check_file(path, remote) is not None:
            return False
        _stamp(path).write_text(_stamp_text(path, remote))
    return True


def _copy_from_folder(url: str, output_file: str, _pooch=None, bar: tqdm | None = None) -> None:
    """A pooch-style downloader for file:// mirrors (a USB stick, a shared folder): pooch has none."""
    source = Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path))
    try:
        src = open(source, "rb")
    except OSError as exc:
        raise _NotOnMirror(f"{source}: {exc.strerror}") from None
    with src, open(output_file, "wb") as out:
        while block := src.read(CHUNK):
            out.write(block)
            if bar is not None:
                bar.update(len(block))


def fetch(remote: Remote, folder: Path, *, mirror: str | None = None, timeout: float = TIMEOUT_S,
          quiet: bool = False) -> Path:
    """Return the verified file ``folder/remote.filename``, downloading it only if absent.
    ``mirror``: a base URL that replaces the official host (default: DL7_MIRROR of the settings)."""
    folder = Path(folder)
    target, part = folder / remote.filename, folder / f"{remote.filename}.part"
    if target.exists():
        if is_verified(target, remote):
            return target
        raise DataError(f"Файл {target} уже лежит в кэше, но не прошёл проверку: {check_file(target, remote)}.\n"
                        f"Удалите его (он будет скачан заново) или замените правильной копией с {remote.url}.")
    url = source_url(remote, mirror)
    host = urllib.parse.urlsplit(url).netloc
    if host and host in UNREACHABLE:
        raise DownloadUnavailable(f"Хост {host} уже был недоступен в этом сеансе; {url} не скачивается.\n"
                                  + manual_help(remote, folder), remote.url, target)
    # our bar: pooch's has no name and stays open after a failure; its total is a placeholder until pooch
    # sets the Content-Length (pooch tests the bar for truth, and a tqdm without a total has none)
    # delay: no bar at all when the host cannot be reached (offline: a "0%" bar of 862M before the fall-back)
    bar = None if quiet else tqdm(total=remote.size or 1, unit="B", unit_scale=True, desc=remote.filename, delay=0.5)
    download = (functools.partial(_copy_from_folder, bar=bar) if url.startswith("file:")
                else pooch.HTTPDownloader(progressbar=bar or False, timeout=timeout))
    problem = "не скачан"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        download(url, str(part), None)
        if (problem := check_file(part, remote)) is None:
            os.replace(part, target)
    except requests.HTTPError as exc:  # the host answered: not a network outage
        raise DownloadUnavailable(f"Не удалось скачать {url}: HTTP {exc.response.status_code} "
                                  f"{exc.response.reason}\n" + manual_help(remote, folder), remote.url,
                                  target) from None
    except (requests.RequestException, _NotOnMirror) as exc:  # (RequestException is an OSError: first)
        if host:
            UNREACHABLE.add(host)
        raise DownloadUnavailable(f"Не удалось скачать {url}: {exc}\n" + manual_help(remote, folder), remote.url,
                                  target) from None
    except OSError as exc:  # writing here failed (disk full, no permission): the network is fine
        raise _disk_error(f"записать {remote.filename}", folder, exc, "Недописанный файл удалён.") from None
    finally:
        if bar is not None:
            bar.close()
        part.unlink(missing_ok=True)  # after a failure; after os.replace there is none
    if problem is not None:
        raise DataError(f"Скачанный файл {remote.filename} с {url} повреждён: {problem}. Недокачанный файл "
                        "удалён.\nЗапустите ещё раз; если ошибка повторится:\n" + manual_help(remote, folder))
    _stamp(target).write_text(_stamp_text(target, remote))
    return target


def _check_member(name: str, archive: Path, link: str | None = None) -> None:
    """Our own check, also where tarfile has no filters: names (and link targets) stay inside."""
    for p in [PurePosixPath(name.replace("\\", "/"))] + ([PurePosixPath(link)] if link is not None else []):
        if p.is_absolute() or ".." in p.parts or (p.parts and ":" in p.parts[0]):
            raise DataError(f"Архив {archive} небезопасен: {'ссылка ' if link is not None else ''}{name!r} ведёт за "
                            "пределы папки распаковки. Распаковка отменена; удалите архив и скачайте его заново.")


def extract(archive: Path, folder: Path, expect: str, members: list[str] | None = None) -> Path:
    """Extract ``archive`` (.zip, else .tar.gz) into ``folder`` once; return ``folder/expect``.  Extracted into a
    temporary folder first and moved into place only when complete: a failed extraction leaves nothing.
    ``members``: extract only these (e.g. one file of glove.6B.zip)."""
    archive, folder = Path(archive), Path(folder)
    result, tmp = folder / expect, folder / f".{archive.name}.extracting"
    if result.exists():
        return result
    shutil.rmtree(tmp, ignore_errors=True)
    filter_error = getattr(tarfile, "FilterError", ())  # only where the filters are (3.11.4+); () catches nothing
    try:
        tmp.mkdir(parents=True)
        if archive.name.endswith(".zip"):
            with zipfile.ZipFile(archive) as zf:
                for name in (names := members or zf.namelist()):
                    _check_member(name, archive)
                zf.extractall(tmp, members=names)
        else:
            with tarfile.open(archive) as tar:
                chosen = [tar.getmember(m) for m in members] if members else tar.getmembers()
                for m in chosen:
                    _check_member(m.name, archive, m.linkname if m.issym() or m.islnk() else None)
                    if not (m.isfile() or m.isdir() or m.issym() or m.islnk()):
                        raise DataError(f"Архив {archive} небезопасен: {m.name!r} — не файл и не папка.")
                # the library checks too, where it can
                tar.extractall(tmp, members=chosen, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
        if not (tmp / expect).exists():
            raise DataError(f"В архиве {archive} нет ожидаемого элемента {expect!r}. Архив не тот или повреждён.")
        os.replace(tmp / expect, result)
    except filter_error as exc:
        raise DataError(f"Архив {archive} небезопасен: {exc}. Распаковка отменена; удалите архив.") from None
    except (tarfile.TarError, zipfile.BadZipFile, gzip.BadGzipFile, EOFError, zlib.error, KeyError) as exc:
        _stamp(archive).unlink(missing_ok=True)
        raise DataError(f"Архив {archive} повреждён или обрезан ({type(exc).__name__}: {exc}). Распаковка "
                        "отменена, в кэше ничего не осталось. Удалите архив и скачайте его заново.") from None
    except OSError as exc:  # writing failed (disk full): the archive is fine, it keeps its stamp
        raise _disk_error(f"распаковать {archive.name}", folder, exc, "Архив цел, скачивать его не нужно.") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result
