"""Client of the Portugal 2030 notices API.

Which calls: by default the open ones (``estadoAvisoId`` 7) and then the scheduled ones (6), two
paginated passes, because a consultant wants to hear about a call before it opens and has no use
for the thousands of closed ones. A ``payload`` with its own ``estadoAvisoId`` asks for exactly
that: one state, a list of states (``[7, 6]`` or ``"7,6"``), or ``0`` for any state.

Pages: counted from 1. Some servers count from 0; when page 1 is already the end, page 0 is asked
once (this catches a 0-based server with a single page; a 0-based server with several pages
would lose its page 0, which the real API, where page 0 and page 1 are the same, does not do).
A pass ends at the ``{"code": 404}`` end marker, at an empty ``avisos``, or at a page that brings
no aviso the pass has not already seen (a server that repeats its last page for ever); more than
``max_pages`` pages in one pass is a runaway server and an error.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import httpx

from elinara import __version__
from elinara.agent.sources.http import request_with_retries, safe_url
from elinara.errors import SourceError

WHAT = "Portugal 2030 API"
HINT = "try again later or pass --calls with a saved file of calls"
OPEN, SCHEDULED, CLOSED, ANY_STATE = 7, 6, 8, 0
DEFAULT_STATES: tuple[int, ...] = (OPEN, SCHEDULED)
FILTER_FIELDS = ("programaId", "fundoId", "naturezaAvisoId", "tipoPromotorId")
MAX_PAGES = 200
USER_AGENT = f"elinara/{__version__}"

OnPage = Callable[[int, int], None]


def _new_client(timeout: float) -> httpx.Client:
    return httpx.Client(
        timeout=timeout,
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
    )


def _as_states(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return tuple(str(state) for state in DEFAULT_STATES)
    items: Iterable[Any]
    if isinstance(value, list | tuple | set):
        items = value
    elif isinstance(value, str) and "," in value:
        items = value.split(",")
    else:
        items = [value]
    states = tuple(dict.fromkeys(str(item).strip() for item in items if str(item).strip()))
    return states or tuple(str(state) for state in DEFAULT_STATES)


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def build_forms(payload: Mapping[str, Any] | None = None) -> list[dict[str, str]]:
    """The form of each pass (one per ``estadoAvisoId``), without the ``page`` field."""
    payload = dict(payload or {})
    base = {name: "0" for name in FILTER_FIELDS}
    for name, value in payload.items():
        if name in {"page", "estadoAvisoId"}:
            continue
        if value is None or value == "":
            base.pop(name, None)
        else:
            base[name] = _form_value(value)
    return [{"estadoAvisoId": state, **base} for state in _as_states(payload.get("estadoAvisoId"))]


def _aviso_key(item: dict[str, Any]) -> str:
    head = item.get("aviso") if isinstance(item.get("aviso"), dict) else item
    for name in ("avisoGlobalId", "codigoAviso"):
        value = head.get(name)
        if value not in (None, ""):
            return f"{name}:{value}"
    return "json:" + json.dumps(item, sort_keys=True, default=str)


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return repr(text[:60] + ("..." if len(text) > 60 else ""))


def _read_page(response: httpx.Response, url: str, page: int) -> list[dict[str, Any]] | None:
    """The avisos of one page, or None at the end marker."""
    where = f"{WHAT} at {url}"
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        if response.is_success:
            kind = response.headers.get("Content-Type", "no content type").split(";")[0]
            raise SourceError(
                f"{where} answered page {page} with something that is not JSON "
                f"({kind}: {_snippet(response.text)}); check the query URL, or pass --calls "
                "with a saved file of calls."
            ) from None
        body = None
    if isinstance(body, dict) and "avisos" not in body and str(body.get("code")) == "404":
        return None
    if not response.is_success:
        raise SourceError(
            f"{where} answered {response.status_code} to page {page}; "
            "check the query URL and the payload."
        )
    if isinstance(body, dict) and "avisos" in body:
        avisos = body["avisos"]
    elif isinstance(body, list):
        avisos = body
    else:
        shape = f"keys {', '.join(sorted(body))}" if isinstance(body, dict) else type(body).__name__
        raise SourceError(
            f"{where} answered page {page} with JSON of an unexpected shape ({shape}); "
            'expected {"avisos": [...]} or the {"code": 404} end marker.'
        )
    if avisos is None:
        return []
    if isinstance(avisos, dict):
        avisos = [avisos]
    if not isinstance(avisos, list):
        raise SourceError(
            f"{where} answered page {page} with 'avisos' that is not a list "
            f"({type(avisos).__name__})."
        )
    return [item for item in avisos if isinstance(item, dict)]


def fetch_avisos(
    query_url: str,
    *,
    payload: Mapping[str, Any] | None = None,
    timeout: float,
    retries: int,
    client: httpx.Client | None = None,
    on_page: OnPage | None = None,
    sleep: Callable[[float], Any] = time.sleep,
    max_pages: int = MAX_PAGES,
) -> list[dict[str, Any]]:
    """Every aviso the query answers, as the API gives them (raw dicts), each once (by
    ``avisoGlobalId``, else ``codigoAviso``; the copy read last wins).

    ``on_page(pages_read, avisos_so_far)`` is called after every page that brought avisos.
    """
    url = safe_url(query_url)
    own_client = client is None
    http = client or _new_client(timeout)
    found: dict[str, dict[str, Any]] = {}
    pages_read = 0

    def ask(form: dict[str, str], page: int) -> list[dict[str, Any]] | None:
        response = request_with_retries(
            http,
            "POST",
            query_url,
            retries=retries,
            sleep=sleep,
            what=WHAT,
            hint=HINT,
            data={**form, "page": str(page)},
            timeout=timeout,
        )
        try:
            return _read_page(response, url, page)
        finally:
            response.close()

    try:
        for form in build_forms(payload):
            seen: set[str] = set()
            page, asked = 1, 0
            while True:
                if asked >= max_pages:
                    raise SourceError(
                        f"{WHAT} at {url} kept answering after {max_pages} pages "
                        f"(estadoAvisoId {form['estadoAvisoId']}); that is not the end of a "
                        "list but a server fault, so nothing was kept."
                    )
                avisos = ask(form, page)
                asked += 1
                if not avisos:
                    if page == 1 and asked == 1:
                        page = 0  # a server that counts pages from 0, with one page
                        continue
                    break
                keys = [_aviso_key(item) for item in avisos]
                if seen.issuperset(keys):
                    break  # the same page again: the server does not end its list
                seen.update(keys)
                for key, item in zip(keys, avisos, strict=True):
                    found[key] = item  # a later copy is fresher; the first position is kept
                pages_read += 1
                if on_page is not None:
                    on_page(pages_read, len(found))
                if page == 0:
                    break  # page 1 was already the end
                page += 1
    finally:
        if own_client:
            http.close()
    return list(found.values())


class DocumentTooLarge(SourceError):
    """A document larger than the caller accepts (refused while it was being read)."""

    def __init__(self, size: int | None, limit: int) -> None:
        stated = f" ({size / 1_000_000:.1f} MB)" if size is not None else ""
        super().__init__(f"larger than the {limit / 1_000_000:g} MB allowed{stated}")
        self.size = size
        self.limit = limit


def download_document(
    download_url: str,
    path: str,
    container: str,
    *,
    timeout: float = 30.0,
    retries: int = 4,
    client: httpx.Client | None = None,
    sleep: Callable[[float], Any] = time.sleep,
    max_bytes: int | None = None,
) -> bytes:
    """One of an aviso's documents (its ``path`` and ``container``), as bytes.

    ``max_bytes``: a larger document raises :class:`DocumentTooLarge` as soon as its stated
    length or the bytes read so far pass the limit; the rest is never read.
    """
    own_client = client is None
    http = client or _new_client(timeout)
    where = f"Portugal 2030 document download at {safe_url(download_url)}"
    try:
        response = request_with_retries(
            http,
            "GET",
            download_url,
            retries=retries,
            sleep=sleep,
            what="Portugal 2030 document download",
            params={"path": path, "container": container},
            timeout=timeout,
            stream=True,
        )
        try:
            if not response.is_success:
                raise SourceError(
                    f"{where} answered {response.status_code} for {path!r} (container "
                    f"{container!r}); the document may have moved: check the aviso's page."
                )
            return _read_body(response, max_bytes, where, path)
        finally:
            response.close()
    finally:
        if own_client:
            http.close()


def _read_body(response: httpx.Response, max_bytes: int | None, where: str, path: str) -> bytes:
    stated = response.headers.get("Content-Length", "")
    size = int(stated) if stated.isdigit() else None
    if max_bytes is not None and size is not None and size > max_bytes:
        raise DocumentTooLarge(size, max_bytes)
    chunks: list[bytes] = []
    read = 0
    try:
        for chunk in response.iter_bytes():
            read += len(chunk)
            if max_bytes is not None and read > max_bytes:
                raise DocumentTooLarge(size, max_bytes)
            chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise SourceError(
            f"{where} broke off while sending {path!r} ({type(exc).__name__}); try again later."
        ) from None
    return b"".join(chunks)
