"""A fake Portugal 2030 notices API: a real HTTP server on 127.0.0.1 for tests.

    from fakes.p2030 import FakeP2030, make_aviso

    with FakeP2030([make_aviso("NORTE2030-2026-1")], page_size=2) as api:
        fetch_avisos(api.url, timeout=5, retries=0)
        api.requests  # the form fields of every query received

It answers form-encoded POSTs on ``/wp-json/avisos/query`` with pages of ``page_size`` avisos
(``{"status": 200, "avisos": [...]}``), then the ``{"code": 404, ...}`` end marker (HTTP 200), and
``GET /wp-json/avisos/download?path=&container=`` from ``documents`` (404 for any other path;
``download_counts`` counts the requests per path, ``max_in_flight`` the most downloads served at
once; ``endless`` serves a path as a body without a length that never ends). Failure modes,
switchable at any time: ``fail_times`` (an error status N times, then normal answers),
``rate_limit`` (429 with Retry-After), ``fail_forever``, ``slow`` (a delay before every answer)
and ``invalid_json``.
"""

from __future__ import annotations

import json
import threading
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fakes.base import LoopbackHTTP, LoopbackServer

QUERY_PATH = "/wp-json/avisos/query"
DOWNLOAD_PATH = "/wp-json/avisos/download"
END_MARKER: dict[str, Any] = {
    "code": 404,
    "message": "Não foram encontrados avisos.",
    "data": {"status": 404},
}


@dataclass
class Answer:
    """A canned answer that replaces the normal one."""

    status: int = 500
    body: bytes = b'{"code": "internal_server_error", "message": "Erro interno."}'
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def make_aviso(
    code: str,
    *,
    title: str | None = None,
    programme: str | list[str] = "Programa Regional do Norte 2030",
    typology: str = "Inovação Produtiva",
    opens: str | None = "2026-02-02",
    closes: str | None = "2027-12-31",
    closes_now: str | None = None,
    updated: str | None = "2026-02-01 10:00:00",
    dotacao: Any = 1_000_000.0,
    global_id: int | None = None,
) -> dict[str, Any]:
    """An aviso in the API's shape, with sensible defaults."""
    programmes = [programme] if isinstance(programme, str) else programme
    return {
        "aviso": {
            "avisoGlobalId": global_id,
            "codigoAviso": code,
            "designacaoPT": title or f"Aviso {code}",
            "designacaoEN": None,
            "classificacaoAvisoDesignacao": "Aviso de Concurso",
            "dataUltimaAlteracao": updated,
        },
        "estrutura": [
            {
                "programaOperacionalId": index + 1,
                "programaOperacionalDesignacao": name,
                "prioridadeDesignacao": "Inovação e competitividade",
                "objetivoEspecificoDesignacao": "RSO1.3. Competitividade",
                "tipologiaOperacaoDesignacao": typology,
                "fundoDesignacao": "FEDER",
                "dotacao": dotacao if index == 0 else 0,
            }
            for index, name in enumerate(programmes)
        ],
        "calendario": {
            "dataPublicacao": opens,
            "dataInicio": opens,
            "dataFim": closes,
            "dataFimAtual": closes_now,
        },
        "documentos": [
            {
                "documentoDesignacao": f"Aviso {code}",
                "tipoDocumentoDesignacao": "Aviso",
                "path": f"2026/{code}/aviso.pdf",
                "container": "avisos",
            }
        ],
    }


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet in tests
        pass

    def _send(self, answer: Answer) -> None:
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
            pass

    def do_POST(self) -> None:
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        if urlsplit(self.path).path != QUERY_PATH:
            self._send(Answer(404, b'{"code": "rest_no_route"}'))
            return
        form = dict(parse_qsl(body, keep_blank_values=True))
        self._send(fake._answer_query(form, self.headers.get("Content-Type", "")))

    def do_GET(self) -> None:
        fake = self.server.fake
        parts = urlsplit(self.path)
        if parts.path != DOWNLOAD_PATH:
            self._send(Answer(404, b'{"code": "rest_no_route"}'))
            return
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        with fake._lock:
            fake._in_flight += 1
            fake.max_in_flight = max(fake.max_in_flight, fake._in_flight)
        try:
            if params.get("path") in fake.endless:
                with fake._lock:
                    fake.downloads.append(params)
                self._send_endless()
            else:
                self._send(fake._answer_download(params))
        finally:
            with fake._lock:
                fake._in_flight -= 1

    def _send_endless(self) -> None:
        """A PDF-looking body without Content-Length that never ends (until the client hangs
        up or the server stops): a client that reads it whole never returns."""
        chunk = b"%PDF-1.7\n" + b"0" * 65_527
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Connection", "close")
            self.end_headers()
            while not self.server.fake.stopping.is_set():
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


class FakeP2030(LoopbackHTTP):
    handler_class = _Handler

    def __init__(
        self,
        avisos: list[dict[str, Any]] | dict[int, list[dict[str, Any]]] | None = None,
        *,
        page_size: int = 5,
        first_page: int = 1,
        documents: dict[tuple[str, str], bytes] | None = None,
    ) -> None:
        """``avisos``: served for every ``estadoAvisoId``, or a dict by state (0 = all of them).

        ``first_page``: the number of the first page (1, or 0 for a server that counts from 0).
        """
        super().__init__()
        self.avisos = avisos if avisos is not None else []
        self.page_size = page_size
        self.first_page = first_page
        self.documents = dict(documents or {})
        self.requests: list[dict[str, str]] = []
        self.content_types: list[str] = []
        self.downloads: list[dict[str, str]] = []
        self.endless: set[str] = set()  # paths answered with a body that never ends
        self.max_in_flight = 0
        self._in_flight = 0
        self.delay = 0.0
        self._failures: deque[Answer] = deque()
        self._forever: Answer | None = None
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return self.root_url

    @property
    def url(self) -> str:
        """The query endpoint (what ``p2030_query_url`` points at)."""
        return self.base_url + QUERY_PATH

    @property
    def download_url(self) -> str:
        return self.base_url + DOWNLOAD_PATH

    @property
    def download_counts(self) -> Counter[str]:
        """Download requests received, per document path."""
        with self._lock:
            return Counter(item.get("path", "") for item in self.downloads)

    # --- failure modes ------------------------------------------------------------------------

    def fail_times(self, times: int, status: int = 500, **headers: str) -> None:
        """Answer ``status`` to the next ``times`` requests, then normally."""
        with self._lock:
            for _ in range(times):
                self._failures.append(Answer(status, headers=dict(headers)))

    def rate_limit(self, times: int = 1, retry_after: str | float = "2") -> None:
        """429 with ``Retry-After`` to the next ``times`` requests."""
        body = b'{"code": "too_many_requests"}'
        with self._lock:
            for _ in range(times):
                self._failures.append(Answer(429, body, headers={"Retry-After": str(retry_after)}))

    def invalid_json(self, times: int = 1, body: bytes = b"<html><body>Erro</body></html>") -> None:
        """HTTP 200 with a body that is not JSON (a proxy's error page) to the next requests."""
        with self._lock:
            for _ in range(times):
                self._failures.append(Answer(200, body, "text/html; charset=utf-8"))

    def queue(self, answer: Answer, times: int = 1) -> None:
        """Answer ``answer`` to the next ``times`` requests (any status, body, headers)."""
        with self._lock:
            self._failures.extend([answer] * times)

    def fail_forever(self, status: int = 500) -> None:
        self._forever = Answer(status)

    def slow(self, seconds: float) -> None:
        """Wait ``seconds`` before every answer (0: no more waiting)."""
        self.delay = seconds

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()
            self._forever = None
            self.delay = 0.0

    # --- answers ------------------------------------------------------------------------------

    def _canned(self) -> Answer | None:
        if self.delay:
            self.stopping.wait(self.delay)
        with self._lock:
            if self._failures:
                return self._failures.popleft()
        return self._forever

    def _avisos_for(self, state: str) -> list[dict[str, Any]]:
        if isinstance(self.avisos, list):
            return self.avisos
        try:
            wanted = int(state or 0)
        except ValueError:
            wanted = 0
        if wanted == 0:
            return [item for items in self.avisos.values() for item in items]
        return self.avisos.get(wanted, [])

    def page(self, state: str, page: int) -> dict[str, Any]:
        items = self._avisos_for(state)
        index = max(0, page - self.first_page)
        chunk = items[index * self.page_size : (index + 1) * self.page_size]
        if not chunk:
            return END_MARKER
        return {"status": 200, "avisos": chunk}

    def _answer_query(self, form: dict[str, str], content_type: str) -> Answer:
        with self._lock:
            self.requests.append(form)
            self.content_types.append(content_type)
        canned = self._canned()
        if canned is not None:
            return canned
        try:
            page = int(form.get("page", self.first_page))
        except ValueError:
            return Answer(400, b'{"code": "rest_invalid_param", "message": "page"}')
        body = json.dumps(self.page(form.get("estadoAvisoId", "0"), page), ensure_ascii=False)
        return Answer(200, body.encode("utf-8"))

    def _answer_download(self, params: dict[str, str]) -> Answer:
        with self._lock:
            self.downloads.append(params)
        canned = self._canned()
        if canned is not None:
            return canned
        content = self.documents.get((params.get("path", ""), params.get("container", "")))
        if content is None:
            return Answer(404, b'{"code": "not_found"}')
        return Answer(200, content, "application/pdf")
