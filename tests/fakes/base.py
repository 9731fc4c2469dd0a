"""What the fake HTTP services share: a threaded server on 127.0.0.1:0, JSON answers, a log.

A fake subclasses :class:`FakeService` and implements ``handle(request) -> Reply``; it is used
as a context manager (``with FakeDrive() as drive: drive.url``).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    @property
    def bearer(self) -> str | None:
        value = self.headers.get("authorization", "")
        return value[7:].strip() if value.lower().startswith("bearer ") else None


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


def json_reply(data: Any, status: int = 200, **headers: str) -> Reply:
    return Reply(status, json.dumps(data).encode(), "application/json; charset=utf-8", headers)


def redirect(location: str) -> Reply:
    return Reply(302, b"", "text/plain", {"Location": location})


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        request = Request(
            method=self.command,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self.rfile.read(length) if length else b"",
        )
        fake = self.server.fake
        with fake.lock:
            fake.requests.append(request)
        try:
            reply = fake.handle(request)
        except Exception as exc:  # a bug in the fake: make it visible
            reply = json_reply({"error": f"fake failed: {exc!r}"}, 500)
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_PUT = do_DELETE = _serve


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 64
    fake: Any  # the LoopbackHTTP that owns it; handlers reach it as ``self.server.fake``


class LoopbackHTTP:
    """The life of every fake: a real HTTP server on 127.0.0.1, port 0, in a thread, started
    and stopped as a context manager. A subclass names its ``handler_class``; ``stopping`` is
    set on stop (to wake answers that are made to wait)."""

    handler_class: type[BaseHTTPRequestHandler]

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self._server: LoopbackServer | None = None
        self._thread: threading.Thread | None = None
        self._port: int | None = None  # kept after stop, so assertions can name the URL

    def start(self) -> Self:
        if self._server is not None:
            return self
        self.stopping.clear()
        server = LoopbackServer(("127.0.0.1", 0), self.handler_class)
        server.fake = self
        self._server = server
        self._port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        if self._port is None:
            raise RuntimeError(
                f"{type(self).__name__} is not started (use it as a context manager)"
            )
        return f"http://127.0.0.1:{self._port}"


class FakeService(LoopbackHTTP):
    """A fake answering ``handle(request) -> Reply``; ``requests`` logs what it received."""

    handler_class = _Handler

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.RLock()
        self.requests: list[Request] = []

    def handle(self, request: Request) -> Reply:
        raise NotImplementedError

    @property
    def url(self) -> str:
        return self.root_url

    @property
    def netloc(self) -> str:
        return self.url.split("://", 1)[1]

    def paths(self, method: str | None = None) -> list[str]:
        with self.lock:
            return [r.path for r in self.requests if method is None or r.method == method]
