"""One retry policy for every outside HTTP API (Portugal 2030, LLM providers, drives).

Timeouts, connection errors, 408, 429 and 5xx are retried with exponential backoff and full
jitter (a random wait between 0 and ``min(max_delay, base_delay * 2**n)``); a ``Retry-After`` on
429/503 is honoured instead, capped by ``max_delay``. ``max_total`` bounds the whole exchange
(requests and waits). Other 4xx come straight back to the caller: they are answers, not
failures. When the tries or the time run out, :class:`~elinara.errors.SourceError` says in one
sentence what failed, where, and how.

``retries`` counts retries, so ``retries=4`` means up to 5 tries (``http_retries`` in settings).
The sync and async functions share :class:`Attempts`, which holds the whole policy; they only
differ in how they send and sleep.
"""

from __future__ import annotations

import asyncio
import inspect
import random
import re
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from elinara.errors import SourceError

DEFAULT_HINT = "try again later"

_SECRET_PARAM = re.compile(
    r"key|token|secret|passw|pwd|sig|auth|credential|code|session", re.IGNORECASE
)
_RETRY_AFTER_STATUSES = frozenset({429, 503})


def safe_url(url: str | httpx.URL) -> str:
    """The URL fit for a message or a log: no user info, secret-looking query values masked."""
    parts = urlsplit(str(url))
    netloc = parts.netloc.rpartition("@")[2]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode(
            [(name, "***" if _SECRET_PARAM.search(name) else value) for name, value in pairs],
            safe="*",
        )
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def is_retryable_status(status: int) -> bool:
    return status in (408, 429) or 500 <= status <= 599


def _describe_error(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    detail = str(exc).strip()
    text = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _retry_after_seconds(response: httpx.Response) -> float | None:
    """The server's ``Retry-After``, in seconds (it may be a number or an HTTP date)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def backoff_delay(tries: int, base_delay: float, max_delay: float) -> float:
    """Exponential backoff with full jitter before try ``tries + 1``."""
    return random.uniform(0.0, min(max_delay, base_delay * 2 ** (tries - 1)))


def tries_text(tries: int) -> str:
    return "1 try" if tries == 1 else f"{tries} tries"


# For a request that must not be repeated once received (an SMS): the errors that mean it never
# arrived whole, and the answers that mean it was not acted on.
_NOT_SENT_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
)
_NOT_PROCESSED_STATUSES = frozenset({408, 429, 503})


class Attempts:
    """The retry policy and the state of one exchange.

    ``after_response`` / ``after_error`` return how long to wait before the next try (``None``
    from ``after_response``: the response is final), or raise ``SourceError`` when giving up.
    """

    def __init__(
        self,
        url: str | httpx.URL,
        *,
        retries: int,
        base_delay: float,
        max_delay: float,
        max_total: float,
        what: str,
        hint: str | None,
        idempotent: bool = True,
    ) -> None:
        self.url = safe_url(url)
        self.idempotent = idempotent
        self.tries_allowed = max(0, retries) + 1
        self.base_delay = max(0.0, base_delay)
        self.max_delay = max(0.0, max_delay)
        self.max_total = max_total
        self.what = what
        self.hint = hint or DEFAULT_HINT
        self.tries = 0
        self.waited = 0.0
        self.started = time.monotonic()

    def begin(self) -> None:
        self.tries += 1

    def slept(self, delay: float) -> None:
        self.waited += delay

    @property
    def spent(self) -> float:
        # Measured time, but never less than the waits asked for (a test's fake sleep returns
        # at once, and the budget must still run out the same way).
        return max(time.monotonic() - self.started, self.waited)

    def _give_up(self, outcome: str, out_of_time: bool) -> SourceError:
        limit = f" (giving up after {self.max_total:g} s)" if out_of_time else ""
        return SourceError(
            f"{self.what} at {self.url} {outcome} after {tries_text(self.tries)}{limit}; {self.hint}."
        )

    def _backoff(self) -> float:
        return backoff_delay(self.tries, self.base_delay, self.max_delay)

    def _next_delay(self, outcome: str, wanted: float) -> float:
        if self.tries >= self.tries_allowed:
            raise self._give_up(outcome, out_of_time=False)
        remaining = self.max_total - self.spent
        if remaining <= 0:
            raise self._give_up(outcome, out_of_time=True)
        return min(wanted, remaining)

    def after_response(self, response: httpx.Response) -> float | None:
        status = response.status_code
        if not is_retryable_status(status):
            return None
        if not self.idempotent and status not in _NOT_PROCESSED_STATUSES:
            return None  # the server may have acted on it: its answer is final
        outcome = f"answered {status}"
        wanted = None
        if status in _RETRY_AFTER_STATUSES:
            wanted = _retry_after_seconds(response)
        if wanted is None:
            wanted = self._backoff()
        return self._next_delay(outcome, min(wanted, self.max_delay))

    def after_error(self, exc: Exception) -> float:
        retryable = isinstance(
            exc, httpx.TimeoutException | httpx.NetworkError | httpx.RemoteProtocolError
        )
        if not retryable:
            raise SourceError(
                f"{self.what} at {self.url} could not be asked ({_describe_error(exc)}); "
                "check the URL and the network settings."
            ) from exc
        if not self.idempotent and not isinstance(exc, _NOT_SENT_ERRORS):
            raise SourceError(
                f"{self.what} at {self.url} took the request but gave no answer "
                f"({_describe_error(exc)}): it may or may not have been delivered, so it was "
                "not sent again."
            ) from exc
        outcome = f"could not be reached ({_describe_error(exc)})"
        return self._next_delay(outcome, self._backoff())


_CAUGHT = (httpx.HTTPError, httpx.InvalidURL)


def request_with_retries(
    client: httpx.Client,
    method: str,
    url: str | httpx.URL,
    *,
    retries: int,
    base_delay: float = 0.5,
    max_delay: float = 8.0,
    max_total: float = 60.0,
    sleep: Callable[[float], Any] = time.sleep,
    what: str,
    hint: str | None = None,
    idempotent: bool = True,
    stream: bool = False,
    **kwargs: Any,
) -> httpx.Response:
    """Send ``client.request(method, url, **kwargs)`` under the retry policy above.

    ``hint`` ends the failure sentence (default "try again later"). ``idempotent=False`` (a
    request that must not be repeated once received, like an SMS) retries only what shows it
    was not sent or not acted on: connection and write failures, 408, 429 and 503.
    ``stream=True``: the final response's body is not read yet (the caller reads it, then
    closes the response), so a caller can refuse a body that grows too large.
    """
    attempts = Attempts(
        url,
        retries=retries,
        base_delay=base_delay,
        max_delay=max_delay,
        max_total=max_total,
        what=what,
        hint=hint,
        idempotent=idempotent,
    )
    while True:
        attempts.begin()
        try:
            if stream:
                response = client.send(client.build_request(method, url, **kwargs), stream=True)
            else:
                response = client.request(method, url, **kwargs)
        except _CAUGHT as exc:
            delay = attempts.after_error(exc)
        else:
            delay = attempts.after_response(response)
            if delay is None:
                return response
            response.close()
        sleep(delay)
        attempts.slept(delay)


async def arequest_with_retries(
    client: httpx.AsyncClient,
    method: str,
    url: str | httpx.URL,
    *,
    retries: int,
    base_delay: float = 0.5,
    max_delay: float = 8.0,
    max_total: float = 60.0,
    sleep: Callable[[float], Awaitable[Any] | Any] = asyncio.sleep,
    what: str,
    hint: str | None = None,
    idempotent: bool = True,
    **kwargs: Any,
) -> httpx.Response:
    """The async twin of :func:`request_with_retries`; ``sleep`` may be sync or async."""
    attempts = Attempts(
        url,
        retries=retries,
        base_delay=base_delay,
        max_delay=max_delay,
        max_total=max_total,
        what=what,
        hint=hint,
        idempotent=idempotent,
    )
    while True:
        attempts.begin()
        try:
            response = await client.request(method, url, **kwargs)
        except _CAUGHT as exc:
            delay = attempts.after_error(exc)
        else:
            delay = attempts.after_response(response)
            if delay is None:
                return response
            await response.aclose()
        waited = sleep(delay)
        if inspect.isawaitable(waited):
            await waited
        attempts.slept(delay)
