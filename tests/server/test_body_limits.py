"""Body limits enforced while the bytes arrive, against the real server on a real port: a chunked
body over its route's limit gets 413 before the rest is sent, and the server keeps no copy."""

from __future__ import annotations

import contextlib
import socket
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from server_helpers import PASSWORD, new_email, registration

CHUNK = b"x" * 65536


@pytest.fixture
def one_mb_uploads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("ELINARA_UPLOAD_MAX_MB", "1")
    return tmp_path


def _rss_mb() -> float:
    """The process's resident memory, after handing freed heap back to the system."""
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _send_chunked(port: int, head: str, total: int, first: bytes = b"") -> tuple[int, bytes]:
    """Send ``head`` then a chunked body of ``total`` bytes from a thread, while this thread
    waits for the answer; once it has come, hang up. Returns (bytes of body sent, the answer):
    a server that stops reading stalls the sender, so what was sent is about what it read."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sent = 0

    def send() -> None:
        nonlocal sent
        with contextlib.suppress(OSError):
            sock.sendall(head.encode() + b"Transfer-Encoding: chunked\r\n\r\n")
            if first:
                sock.sendall(b"%x\r\n" % len(first) + first + b"\r\n")
            while sent < total:
                sock.sendall(b"%x\r\n" % len(CHUNK) + CHUNK + b"\r\n")
                sent += len(CHUNK)
            sock.sendall(b"0\r\n\r\n")

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    answer = b""
    try:
        while b"\r\n\r\n" not in answer:
            part = sock.recv(65536)
            if not part:
                break
            answer += part
    finally:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
        sender.join(30)
    return sent, answer


def _signed_in(url: str) -> dict[str, str]:
    email = new_email("limits")
    with httpx.Client(base_url=url) as http:
        assert http.post("/api/v1/user/register", json=registration(email)).status_code == 201
        response = http.post("/api/v1/auth/login", json={"username": email, "password": PASSWORD})
        assert response.status_code == 200
        return dict(http.cookies)


def test_a_chunked_upload_over_the_limit_is_refused_before_it_is_read(
    one_mb_uploads: Path, live_server: Any
) -> None:
    cookies = _signed_in(live_server.url)
    head = (
        "POST /api/files HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Cookie: access_token_cookie={cookies['access_token_cookie']}; "
        f"csrf_access_token={cookies['csrf_access_token']}\r\n"
        f"X-CSRF-Token: {cookies['csrf_access_token']}\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n"
    )
    part = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
    sent, answer = _send_chunked(live_server.port, head, 200 * 1024 * 1024, part)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 32 * 1024 * 1024  # 200 MB were on offer; the server stopped reading near 1 MB
    uploads = Path(live_server.quart_app.extensions["elinara"].settings.uploads_path)
    assert not [p for p in uploads.rglob("*") if p.is_file()]


def test_anonymous_chunked_json_is_cut_off_at_1_mb_and_memory_stays_put(
    live_server: Any,
) -> None:
    head = (
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    )
    _send_chunked(live_server.port, head, 4 * 1024 * 1024)  # warm up
    before = _rss_mb()
    for _ in range(6):
        sent, answer = _send_chunked(live_server.port, head, 60 * 1024 * 1024)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert sent < 32 * 1024 * 1024
    assert _rss_mb() - before < 60  # 6 x 60 MB read whole would be 360 MB
    assert httpx.get(f"{live_server.url}/api/health").status_code == 200


def test_a_declared_length_over_the_limit_is_refused_at_once(live_server: Any) -> None:
    response = httpx.post(
        f"{live_server.url}/api/v1/auth/login",
        content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert "1 MB" in response.json()["msg"]
