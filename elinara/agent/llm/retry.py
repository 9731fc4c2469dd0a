"""LLM calls under the project's one retry policy.

The SDKs' own retries are turned off (``max_retries=0``, no ``retry_options``); each provider
turns a failed try into :class:`Transient` (a status and its headers, or a timeout / connection
error) and :func:`call_with_retries` asks the shared policy of
:mod:`elinara.agent.sources.http` (``Attempts``: exponential backoff with full jitter,
``Retry-After`` honoured, capped in tries and in total time) how long to wait, or whether to give
up. The SDKs speak ``httpx2``, the policy speaks ``httpx``: a status becomes an
``httpx.Response`` and a transport failure the matching ``httpx`` exception, which is all the
policy reads.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx

from elinara.agent.sources.http import Attempts, is_retryable_status
from elinara.errors import SourceError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 4  # retries after the first try
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_total: float = 120.0


class Transient(Exception):
    """A try that failed in a way worth retrying: a retryable status, a timeout, a lost line."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        headers: dict[str, str] | None = None,
        timeout: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.headers = headers or {}
        self.timeout = timeout


def retryable(status: int) -> bool:
    """Whether an answer with this status is worth another try (408, 429, 5xx)."""
    return is_retryable_status(status)


def _delay(attempts: Attempts, failure: Transient) -> float:
    if failure.status is not None:
        wait = attempts.after_response(httpx.Response(failure.status, headers=failure.headers))
        if wait is None:  # not a retryable status after all: give up with the policy's words
            raise SourceError(
                f"{attempts.what} at {attempts.url} answered {failure.status}; {attempts.hint}."
            )
        return wait
    error: Exception = (
        httpx.ReadTimeout(failure.message)
        if failure.timeout
        else httpx.ConnectError(failure.message)
    )
    return attempts.after_error(error)


def call_with_retries(
    send: Callable[[], T],
    *,
    policy: RetryPolicy,
    url: str,
    what: str,
    provider: str,
    unavailable: Callable[[str, str], Exception],
    sleep: Callable[[float], Any] = time.sleep,
) -> T:
    """``send()`` until it returns, retrying :class:`Transient` failures under the policy.

    When the tries or the time run out, raises ``unavailable(message, provider)`` with the
    policy's one-sentence account (what, where, how many tries).
    """
    attempts = Attempts(
        url,
        retries=policy.retries,
        base_delay=policy.base_delay,
        max_delay=policy.max_delay,
        max_total=policy.max_total,
        what=what,
        hint="the provider seems down; try again later",
    )
    while True:
        attempts.begin()
        try:
            return send()
        except Transient as failure:
            try:
                delay = _delay(attempts, failure)
            except SourceError as gave_up:
                raise unavailable(gave_up.message, provider) from failure
        sleep(delay)
        attempts.slept(delay)
