"""HTTP for the drives: one httpx client shape, the project's one retry helper, rate limits.

Google reports rate limits as ``403`` with the reason ``userRateLimitExceeded`` or
``rateLimitExceeded`` (besides ``429``). :class:`RateLimitAs429` turns such a 403 into a 429
at the transport, so :func:`elinara.agent.sources.http.request_with_retries` retries it with
its usual backoff: there is still one retry policy for every outside API.

:class:`HttplibAdapter` lets googleapiclient (which builds the Drive requests: URLs, query
parameters, pagination) send through that client instead of httplib2, with the user's bearer
token, a refresh-and-retry-once on 401, and a check that every request stays under the
configured Drive root.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from elinara.agent.sources.http import request_with_retries, safe_url
from elinara.errors import SourceError

if TYPE_CHECKING:
    from elinara.config import Settings

RATE_LIMIT_REASONS = frozenset({"userRateLimitExceeded", "rateLimitExceeded"})
_DROPPED_HEADERS = ("content-encoding", "content-length", "transfer-encoding")


def error_reasons(content: bytes) -> list[str]:
    """The ``reason`` of each error in a Google API error body (``{"error": {"errors": [...]}}``)."""
    try:
        data = json.loads(content or b"{}")
    except (ValueError, UnicodeDecodeError):
        return []
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        return []
    reasons = [str(e.get("reason")) for e in error.get("errors") or [] if isinstance(e, dict)]
    for detail in error.get("details") or []:
        if isinstance(detail, dict) and detail.get("reason"):
            reasons.append(str(detail["reason"]))
    return reasons


class RateLimitAs429(httpx.BaseTransport):
    """Presents Google's 403 rate-limit answers as 429, so that they are retried."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if response.status_code != 403:
            return response
        content = response.read()
        response.close()
        status = 429 if RATE_LIMIT_REASONS.intersection(error_reasons(content)) else 403
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _DROPPED_HEADERS]
        return httpx.Response(status, headers=headers, content=content, request=request)

    def close(self) -> None:
        self.inner.close()


def new_client(settings: Settings, follow_redirects: bool = False) -> httpx.Client:
    return httpx.Client(
        transport=RateLimitAs429(httpx.HTTPTransport()),
        timeout=settings.http_timeout,
        follow_redirects=follow_redirects,
    )


def send(
    client: httpx.Client,
    settings: Settings,
    method: str,
    url: str,
    *,
    what: str,
    hint: str | None = None,
    **kwargs: Any,
) -> httpx.Response:
    """One request under the shared retry policy (``settings.http_retries``)."""
    return request_with_retries(
        client,
        method,
        url,
        retries=settings.http_retries,
        max_total=max(60.0, settings.http_timeout * 2),
        what=what,
        hint=hint,
        **kwargs,
    )


def under_root(url: str, root: str) -> bool:
    return str(url).startswith(root.rstrip("/") + "/") or str(url) == root.rstrip("/")


class HttplibAdapter:
    """The part of ``httplib2.Http`` that googleapiclient uses, over httpx."""

    def __init__(
        self,
        client: httpx.Client,
        settings: Settings,
        root: str,
        token: Callable[[bool], str],
        what: str = "Google Drive",
    ) -> None:
        self.client = client
        self.settings = settings
        self.root = root
        self.token = token  # token(force_refresh) -> access token
        self.what = what

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: Any = None,
        headers: dict[str, str] | None = None,
        redirections: int = 5,
        connection_type: Any = None,
    ) -> tuple[Any, bytes]:
        import httplib2

        if not under_root(uri, self.root):
            raise SourceError(
                f"{self.what}: refused to send a request to {safe_url(uri)}, outside the "
                f"configured API root {self.root}."
            )
        sent = {k: v for k, v in (headers or {}).items() if k.lower() not in _DROPPED_HEADERS}
        response = self._send(uri, method, body, sent, force=False)
        if response.status_code == 401:
            response = self._send(uri, method, body, sent, force=True)
        info: dict[str, Any] = {
            k.lower(): v for k, v in response.headers.items() if k.lower() not in _DROPPED_HEADERS
        }
        info["status"] = str(response.status_code)
        info["content-length"] = str(len(response.content))
        return httplib2.Response(info), response.content

    def _send(
        self, uri: str, method: str, body: Any, headers: dict[str, str], force: bool
    ) -> httpx.Response:
        headers = {**headers, "authorization": f"Bearer {self.token(force)}"}
        return send(
            self.client,
            self.settings,
            method,
            uri,
            what=self.what,
            content=body,
            headers=headers,
        )

    def close(self) -> None:
        self.client.close()
