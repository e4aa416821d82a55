"""Fixtures for the unit tests: no network, a private cache, a local file server, a full disk."""

import builtins
import errno
import functools
import http.server
import ipaddress
import os
import socket
import threading
from pathlib import Path

import pytest

from utils import data, download


def _is_local(address) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return True  # unix sockets (the Jupyter kernel's) are local


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any connection to a non-loopback address fails at once: no test reaches the network."""
    download.UNREACHABLE.clear()
    real_connect = socket.socket.connect

    def guarded(self, address):
        if not _is_local(address):
            raise OSError(f"network disabled in tests: connection to {address!r} refused")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    real_getaddrinfo = socket.getaddrinfo

    def guarded_getaddrinfo(host, *args, **kwargs):
        if host not in ("localhost", "127.0.0.1", "::1", None):
            raise socket.gaierror(f"network disabled in tests: no DNS for {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty data cache for this test, with a Cyrillic name (Windows users often have one)."""
    folder = tmp_path / "кэш данных"
    monkeypatch.setenv("DL7_DATA_DIR", str(folder))
    monkeypatch.setenv("DL7_SCALE", "quick")
    monkeypatch.setenv("DL7_DATA", "real")
    monkeypatch.delenv("DL7_MIRROR", raising=False)
    data.SOURCES.clear()
    return folder


class _FullFile:
    """A file on a full disk: the bytes that fit (``room``) land, then writing fails with ENOSPC."""

    def __init__(self, f, room: int):
        self._f, self._room = f, room

    def write(self, payload):
        room = self._room - self._f.tell()
        if len(payload) > room:
            self._f.write(payload[:max(room, 0)])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._f.write(payload)

    def __getattr__(self, name):
        return getattr(self._f, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


@pytest.fixture
def full_disk(monkeypatch):
    """``full_disk(folder)``: from then on, files opened for writing under ``folder`` with the
    built-in ``open`` hold at most ``room`` bytes, as on a full disk."""
    real_open = builtins.open

    def arm(folder: Path, room: int = 1000) -> None:
        def fake_open(file, mode="r", *args, **kwargs):
            f = real_open(file, mode, *args, **kwargs)
            if isinstance(file, str | os.PathLike) and set(mode) & set("wax+") and Path(folder) in Path(file).parents:
                return _FullFile(f, room)
            return f

        monkeypatch.setattr(builtins, "open", fake_open)

    return arm


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.server.requests.append(self.path)
        return super().do_GET()


@pytest.fixture
def file_server(tmp_path):
    """An HTTP server on 127.0.0.1 serving ``root``; ``.requests`` lists the paths fetched."""
    root = tmp_path / "server"
    root.mkdir()
    handler = functools.partial(_Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.root = root
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def closed_port_url():
    """A loopback URL where nothing listens: a download there fails like a missing network."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"
