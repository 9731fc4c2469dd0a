"""The shared retry helper: backoff, Retry-After, budgets, messages; sync and async alike."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from elinara.agent.sources import http as retry_module
from elinara.agent.sources.http import (
    arequest_with_retries,
    is_retryable_status,
    request_with_retries,
    safe_url,
)
from elinara.errors import SourceError

URL = "https://api.example.test/v1/things"

Step = int | tuple[int, dict[str, str]] | Exception


class Script:
    """A MockTransport handler answering from a list: a status, (status, headers) or an error."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        status, headers = step if isinstance(step, tuple) else (step, {})
        return httpx.Response(status, headers=headers, json={"status": status})

    @property
    def tries(self) -> int:
        return len(self.requests)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def no_jitter(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Full jitter picks the cap itself, so the exponential caps can be asserted exactly."""
    monkeypatch.setattr(retry_module.random, "uniform", lambda low, high: high)
    yield


def run(script: Script, sleeps: list[float], **kwargs: object) -> httpx.Response:
    options: dict[str, object] = {"retries": 4, "what": "Test API", "sleep": sleeps.append}
    options.update(kwargs)
    method = str(options.pop("method", "GET"))
    url = str(options.pop("url", URL))
    with httpx.Client(transport=httpx.MockTransport(script)) as client:
        return request_with_retries(client, method, url, **options)  # type: ignore[arg-type]


def arun(script: Script, sleep: Callable[[float], object], **kwargs: object) -> httpx.Response:
    options: dict[str, object] = {"retries": 4, "what": "Test API", "sleep": sleep}
    options.update(kwargs)

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.MockTransport(script)) as client:
            return await arequest_with_retries(client, "GET", URL, **options)  # type: ignore[arg-type]

    return asyncio.run(go())


# --- which answers are retried ----------------------------------------------------------------


def test_success_at_once_does_not_sleep(sleeps: list[float]) -> None:
    script = Script(200)
    response = run(script, sleeps)
    assert response.status_code == 200
    assert script.tries == 1
    assert sleeps == []


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429, 408])
def test_retryable_statuses_are_retried(status: int, sleeps: list[float]) -> None:
    script = Script(status, status, 200)
    assert run(script, sleeps).status_code == 200
    assert script.tries == 3
    assert len(sleeps) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
def test_other_client_errors_come_back_at_once(status: int, sleeps: list[float]) -> None:
    script = Script(status, 200)
    assert run(script, sleeps).status_code == status
    assert script.tries == 1
    assert sleeps == []


def test_is_retryable_status() -> None:
    assert [s for s in (200, 301, 400, 404, 408, 429, 500, 599) if is_retryable_status(s)] == [
        408,
        429,
        500,
        599,
    ]


def test_timeouts_and_connection_errors_are_retried(sleeps: list[float]) -> None:
    script = Script(
        httpx.ReadTimeout("slow"),
        httpx.ConnectError("refused"),
        httpx.RemoteProtocolError("hung up"),
        200,
    )
    assert run(script, sleeps).status_code == 200
    assert script.tries == 4
    assert len(sleeps) == 3


def test_a_request_not_to_repeat_is_retried_only_when_it_was_not_taken(
    sleeps: list[float],
) -> None:
    """idempotent=False (an SMS): a connection that failed or a 429/503 means "not taken"."""
    script = Script(
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("slow"),
        httpx.WriteTimeout("stuck"),
        408,
        429,
        201,
    )
    assert run(script, sleeps, method="POST", idempotent=False, retries=6).status_code == 201
    assert script.tries == 6


@pytest.mark.parametrize(
    "step", [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("hung up"), 500, 502, 504]
)
def test_a_request_not_to_repeat_is_not_sent_again_when_it_may_have_been_taken(
    step: Step, sleeps: list[float]
) -> None:
    script = Script(step, 201)
    if isinstance(step, Exception):
        with pytest.raises(
            SourceError, match="it may or may not have been delivered, so it was not sent again"
        ):
            run(script, sleeps, method="POST", idempotent=False)
    else:
        assert run(script, sleeps, method="POST", idempotent=False).status_code == step
    assert script.tries == 1 and sleeps == []


def test_a_request_that_cannot_be_made_is_not_retried(sleeps: list[float]) -> None:
    script = Script(httpx.UnsupportedProtocol("no such scheme"))
    with pytest.raises(SourceError) as caught:
        run(script, sleeps)
    assert script.tries == 1
    assert sleeps == []
    assert "Test API" in caught.value.message and "UnsupportedProtocol" in caught.value.message


def test_request_arguments_reach_the_server(sleeps: list[float]) -> None:
    script = Script(503, 200)
    run(script, sleeps, method="POST", data={"page": "2"}, headers={"X-Test": "yes"})
    for request in script.requests:
        assert request.method == "POST"
        assert request.content == b"page=2"
        assert request.headers["X-Test"] == "yes"


# --- how long it waits ------------------------------------------------------------------------


def test_backoff_is_exponential_and_capped(sleeps: list[float], no_jitter: None) -> None:
    script = Script(500, 500, 500, 500, 500, 500, 200)
    run(script, sleeps, retries=6, base_delay=1.0, max_delay=4.0)
    assert sleeps == [1.0, 2.0, 4.0, 4.0, 4.0, 4.0]


def test_backoff_has_full_jitter(sleeps: list[float]) -> None:
    script = Script(500)
    with pytest.raises(SourceError):
        run(script, sleeps, retries=30, base_delay=0.5, max_delay=8.0, max_total=10_000)
    caps = [min(8.0, 0.5 * 2**n) for n in range(30)]
    assert len(sleeps) == 30
    assert all(0.0 <= wait <= cap for wait, cap in zip(sleeps, caps, strict=True))
    assert len(set(sleeps)) > 1  # random, not a fixed schedule


def test_retry_after_seconds_is_honoured(sleeps: list[float]) -> None:
    script = Script((429, {"Retry-After": "3"}), (429, {"Retry-After": "0"}), 200)
    run(script, sleeps)
    assert sleeps == [3.0, 0.0]


def test_retry_after_is_capped_by_max_delay(sleeps: list[float]) -> None:
    script = Script((429, {"Retry-After": "120"}), 200)
    run(script, sleeps, max_delay=8.0)
    assert sleeps == [8.0]


def test_retry_after_as_an_http_date(sleeps: list[float]) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
    script = Script((503, {"Retry-After": when}), 200)
    run(script, sleeps, max_delay=30.0)
    assert len(sleeps) == 1 and 3.0 <= sleeps[0] <= 5.0


def test_unreadable_retry_after_falls_back_on_backoff(sleeps: list[float], no_jitter: None) -> None:
    script = Script((429, {"Retry-After": "soon"}), 200)
    run(script, sleeps, base_delay=0.25)
    assert sleeps == [0.25]


def test_max_total_bounds_the_whole_exchange(sleeps: list[float]) -> None:
    script = Script((429, {"Retry-After": "8"}))
    with pytest.raises(SourceError) as caught:
        run(script, sleeps, retries=10, max_delay=8.0, max_total=20.0)
    assert sleeps == [8.0, 8.0, 4.0]
    assert script.tries == 4
    assert "giving up after 20 s" in caught.value.message


# --- giving up --------------------------------------------------------------------------------


def test_500_forever_raises_one_clear_sentence(sleeps: list[float]) -> None:
    script = Script(500)
    with pytest.raises(SourceError) as caught:
        run(
            script,
            sleeps,
            retries=4,
            what="Portugal 2030 API",
            hint="try again later or pass --calls with a saved file",
        )
    assert script.tries == 5
    assert len(sleeps) == 4
    assert caught.value.message == (
        f"Portugal 2030 API at {URL} answered 500 after 5 tries; "
        "try again later or pass --calls with a saved file."
    )


def test_no_retries_means_one_try(sleeps: list[float]) -> None:
    script = Script(502)
    with pytest.raises(SourceError, match=r"answered 502 after 1 try; try again later\.$"):
        run(script, sleeps, retries=0)
    assert sleeps == []


def test_timeouts_forever_say_so(sleeps: list[float]) -> None:
    script = Script(httpx.ConnectTimeout("slow"))
    with pytest.raises(SourceError, match=r"could not be reached \(timed out\) after 3 tries"):
        run(script, sleeps, retries=2)


def test_the_message_hides_secrets(sleeps: list[float]) -> None:
    script = Script(500)
    url = "https://bob:hunter2@api.example.test/v1/q?api_key=S3CRET&page=2&access_token=T0KEN"
    with pytest.raises(SourceError) as caught:
        run(script, sleeps, url=url, retries=0)
    message = caught.value.message
    assert "hunter2" not in message and "S3CRET" not in message and "T0KEN" not in message
    assert "api.example.test/v1/q" in message and "page=2" in message


def test_safe_url() -> None:
    assert safe_url("https://u:p@h.test/a?key=1&q=x#frag") == "https://h.test/a?key=***&q=x"
    assert safe_url("http://127.0.0.1:5000/path") == "http://127.0.0.1:5000/path"


# --- the async twin ---------------------------------------------------------------------------


def test_async_retries_with_an_async_sleep() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    script = Script(500, (429, {"Retry-After": "2"}), 200)
    assert arun(script, sleep).status_code == 200
    assert script.tries == 3
    assert len(waits) == 2 and waits[1] == 2.0


def test_async_accepts_a_plain_sleep() -> None:
    waits: list[float] = []
    script = Script(httpx.ReadTimeout("slow"), 200)
    assert arun(script, waits.append).status_code == 200
    assert len(waits) == 1


def test_async_gives_up_like_the_sync_one() -> None:
    script = Script(503)
    with pytest.raises(SourceError) as caught:
        arun(script, lambda seconds: None, retries=2, what="LLM provider")
    assert (
        caught.value.message
        == f"LLM provider at {URL} answered 503 after 3 tries; try again later."
    )


def test_async_does_not_retry_client_errors() -> None:
    script = Script(401, 200)
    assert arun(script, lambda seconds: None).status_code == 401
    assert script.tries == 1
