"""Shared fixtures: both store backends, the MongoDB wire test server, and test isolation.

- ``store`` / ``store_url``: parametrised over ``sqlite`` and ``mongodb``; a fresh database per
  test (a file in ``tmp_path``; a uniquely named MongoDB database, dropped afterwards).
- ``mongo_server``: ``host:port`` of the MongoDB wire server that the test session starts itself
  (``tests/mongo_server.py`` under a Python 3.13 with mongoeco), or the server named by
  ``ELINARA_TEST_MONGODB_URI``. The interpreter is ``ELINARA_TEST_MONGO_PYTHON``, else
  ``.venv-mongo/bin/python`` (created by ``scripts/setup-mongo-venv``, run here when missing).
  The MongoDB half is skipped only where no Python 3.13 exists.
- Autouse: no network connection leaves the machine; every test sees only its own ``ELINARA_*``
  environment (``ELINARA_HOME`` a fresh folder).
"""

from __future__ import annotations

import contextlib
import glob
import ipaddress
import os
import re
import selectors
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
LAUNCHER = Path(__file__).resolve().parent / "mongo_server.py"
SETUP_SCRIPT = REPO / "scripts" / "setup-mongo-venv"

# Read once, before the per-test environment isolation removes every ELINARA_* variable.
_ENV_MONGODB_URI = os.environ.get("ELINARA_TEST_MONGODB_URI", "").strip()
_ENV_MONGO_PYTHON = os.environ.get("ELINARA_TEST_MONGO_PYTHON", "").strip()

_STARTUP_TIMEOUT = 60.0


# -- no network beyond this machine --------------------------------------------------------------
class NonLoopbackConnection(ConnectionRefusedError):
    """A test tried to reach an address outside this machine."""


_LOCAL_NAMES = {"localhost", "localhost.", "ip6-localhost", "ip6-loopback"}


def _is_loopback_host(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip().strip("[]").lower()
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return True
    try:
        addr = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_loopback


def _check_address(family: int, address: Any) -> None:
    if family == getattr(socket, "AF_UNIX", object()) or not isinstance(address, tuple):
        return  # unix sockets and other non-IP families
    if not _is_loopback_host(address[0]):
        raise NonLoopbackConnection(
            f"tests may not reach the network: refused a connection to {address!r} "
            "(only 127.0.0.0/8, ::1 and localhost are allowed)"
        )


def _is_resolvable_locally(host: Any) -> bool:
    """Names getaddrinfo may look up without a DNS query: none, IP literals, localhost."""
    if host is None or host in ("", b""):
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if _is_loopback_host(host):
        return True
    try:
        ipaddress.ip_address(str(host).strip("[]").split("%", 1)[0])
        return True  # a literal: no lookup, and connecting to it is checked above
    except ValueError:
        pass
    return str(host).lower() in {socket.gethostname().lower(), "0.0.0.0", "::"}


@pytest.fixture(scope="session", autouse=True)
def _refuse_non_loopback_network() -> Iterator[None]:
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto
    real_create_connection = socket.create_connection
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        _check_address(self.family, address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _check_address(self.family, address)
        return real_connect_ex(self, address)

    def sendto(self: socket.socket, data: Any, *args: Any) -> int:
        if args:
            _check_address(self.family, args[-1])
        return real_sendto(self, data, *args)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        _check_address(socket.AF_INET, tuple(address))
        return real_create_connection(address, *args, **kwargs)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_resolvable_locally(host):
            raise NonLoopbackConnection(
                f"tests may not reach the network: refused to resolve {host!r}"
            )
        return real_getaddrinfo(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", connect)
        mp.setattr(socket.socket, "connect_ex", connect_ex)
        mp.setattr(socket.socket, "sendto", sendto)
        mp.setattr(socket, "create_connection", create_connection)
        mp.setattr(socket, "getaddrinfo", getaddrinfo)
        yield


# -- ELINARA_* isolation -------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _isolated_elinara_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    for name in list(os.environ):
        if name.startswith("ELINARA_"):
            monkeypatch.delenv(name)
    home = tmp_path_factory.mktemp("elinara-home")
    monkeypatch.setenv("ELINARA_HOME", str(home))
    return home


# -- the MongoDB wire test server ----------------------------------------------------------------
@dataclass(frozen=True)
class MongoServer:
    """Where the session's MongoDB is; ``url(db)`` names one database on it."""

    base_uri: str

    def url(self, database: str) -> str:
        return _with_database(self.base_uri, database)


_MONGO_URI = re.compile(
    r"^(?P<scheme>mongodb(?:\+srv)?://)(?P<hosts>[^/?]*)(?P<path>/[^?]*)?(?P<query>\?.*)?$"
)


def _with_database(uri: str, database: str) -> str:
    """``uri`` naming ``database`` instead of the database it names (if any)."""
    m = _MONGO_URI.match(uri)
    if not m:
        pytest.fail(f"ELINARA_TEST_MONGODB_URI is not a MongoDB URL: {uri!r}")
    query = m["query"] or ""
    original = (m["path"] or "/")[1:]
    # A database in the URL is also the default auth database; keep authenticating against it.
    if "@" in m["hosts"] and original and "authsource=" not in query.lower():
        query = f"{query}&authSource={original}" if query else f"?authSource={original}"
    return f"{m['scheme']}{m['hosts']}/{database}{query}"


def _find_python313() -> str | None:
    found = shutil.which("python3.13")
    if found:
        check = subprocess.run(
            [found, "-c", "import sys; sys.exit(sys.version_info[:2] != (3, 13))"],
            capture_output=True,
            timeout=30,
        )
        if check.returncode == 0:
            return found
    for candidate in sorted(
        glob.glob(os.path.expanduser("~/.pyenv/versions/3.13*/bin/python3.13"))
    ):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def _mongo_python() -> str:
    """The interpreter that runs the launcher; skips the test only when no Python 3.13 exists."""
    if _ENV_MONGO_PYTHON:
        if not os.access(_ENV_MONGO_PYTHON, os.X_OK):
            pytest.fail(f"ELINARA_TEST_MONGO_PYTHON={_ENV_MONGO_PYTHON!r} is not an executable")
        return _ENV_MONGO_PYTHON
    venv_python = REPO / ".venv-mongo" / "bin" / "python"
    if venv_python.exists():
        return str(venv_python)
    if _find_python313() is None:
        pytest.skip(
            "MongoDB tests need Python 3.13 (for the mongoeco wire server): no python3.13 on "
            "PATH nor under ~/.pyenv/versions; set ELINARA_TEST_MONGODB_URI to use a real MongoDB"
        )
    setup = subprocess.run(["bash", str(SETUP_SCRIPT)], capture_output=True, text=True, timeout=600)
    if setup.returncode != 0 or not venv_python.exists():
        pytest.fail(
            f"scripts/setup-mongo-venv failed (exit {setup.returncode}):\n"
            f"{setup.stdout[-2000:]}\n{setup.stderr[-2000:]}"
        )
    return str(venv_python)


def _read_address(proc: subprocess.Popen[str], timeout: float) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no address from the MongoDB test server in {timeout:.0f} s")
            if sel.select(left):
                line = proc.stdout.readline()
                if line:
                    return line.strip()
                raise RuntimeError(f"the MongoDB test server exited (code {proc.wait()})")


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MongoServer]:
    if _ENV_MONGODB_URI:
        _with_database(_ENV_MONGODB_URI, "check")
        yield MongoServer(_ENV_MONGODB_URI)
        return
    python = _mongo_python()
    log = tmp_path_factory.mktemp("mongo-server") / "stderr.log"
    with log.open("w") as stderr:
        proc = subprocess.Popen(
            [python, str(LAUNCHER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            cwd=REPO,
        )
    try:
        try:
            address = _read_address(proc, _STARTUP_TIMEOUT)
        except (TimeoutError, RuntimeError) as exc:
            pytest.fail(f"{exc} ({python} {LAUNCHER}):\n{log.read_text()[-3000:]}")
        if not re.fullmatch(r"127\.0\.0\.1:\d+", address):
            pytest.fail(f"the MongoDB test server printed {address!r}, not host:port")
        yield MongoServer(f"mongodb://{address}/")
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.stdin is not None:
        with contextlib.suppress(OSError):
            proc.stdin.close()  # the launcher stops when its stdin closes
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


@pytest.fixture(scope="session")
def _mongo_admin(mongo_server: MongoServer) -> Iterator[Any]:
    """One client for dropping the per-test databases."""
    import pymongo

    client: Any = pymongo.MongoClient(mongo_server.base_uri, serverSelectionTimeoutMS=5000)
    yield client
    client.close()


# -- the store, on both backends -----------------------------------------------------------------
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("mongodb", id="mongodb", marks=pytest.mark.mongo),
]


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL naming a fresh, empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'elinara.db'}"
        return
    server: MongoServer = request.getfixturevalue("mongo_server")
    admin = request.getfixturevalue("_mongo_admin")
    name = f"t_{uuid.uuid4().hex}"
    yield server.url(name)
    admin.drop_database(name)


@pytest.fixture
def store(store_url: str) -> Iterator[Any]:
    """A fresh, migrated ``Store`` on each backend, closed afterwards."""
    from elinara.store import open_store

    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()


def pytest_report_header(config: pytest.Config) -> str:
    if _ENV_MONGODB_URI:
        return "mongodb tests: ELINARA_TEST_MONGODB_URI"
    python = _ENV_MONGO_PYTHON or ".venv-mongo/bin/python"
    return f"mongodb tests: mongoeco wire server under {python}"
