"""A bounded, deterministic fuzz run of the whole HTTP API against its own OpenAPI document
(schemathesis): for every operation, generated bodies, queries and paths, sent by a signed-in
user with the CSRF header; any 500, a status the document does not declare, or a body that does
not match the shape the document declares for its status, fails."""

from __future__ import annotations

import asyncio
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from quart import Quart
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)
from server_helpers import PASSWORD, login, new_email, store_of

from elinara.accounts import create_user
from elinara.server.contract import NO_BODY

EXAMPLES = 40  # per operation: about 60 operations, well under a minute in all


def _session_headers(app: Quart) -> dict[str, str]:
    email = new_email("fuzz")  # made in the store: registrations are throttled per address
    create_user(store_of(app), email, PASSWORD)
    api = asyncio.run(login(app, email))
    cookies = {n: api.cookie(n) or "" for n in ("access_token_cookie", "csrf_access_token")}
    return {
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "X-CSRF-Token": cookies["csrf_access_token"],
    }


def test_every_operation_keeps_its_contract(make_app: Any) -> None:
    # Providers configured: an unconfigured one answers 503 (CONTRACT.md §2.2), which the
    # suite counts as a server error. Their login routes only redirect: nothing leaves the host.
    app = make_app(
        github_client_id="fuzz",
        github_client_secret="fuzz",
        google_client_id="fuzz",
        google_client_secret="fuzz",
    )
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    problems: list[str] = []
    sent: list[int] = []
    session: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:
        session.clear()  # a fresh user: a logout or a delete may have ended the last one
        session.update(_session_headers(app))

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            derandomize=True,  # the same cases on every run
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            response = case.call(headers=session)
            sent.append(response.status_code)
            if response.status_code == 500:
                problems.append(f"{case.method} {case.path}: {response.status_code}")
                return
            try:
                case.validate_response(
                    response, checks=[status_code_conformance, response_schema_conformance]
                )
            except Exception as exc:  # a failed check: collected, reported together
                problems.append(f"{case.method} {case.path}: {str(exc)[:200]}")

        check()
    assert not problems, "\n".join(sorted(set(problems))[:30])
    assert len(sent) > len(operations) * 5, len(sent)  # the run did fuzz
    assert any(status == 400 for status in sent)  # and reached the validation


def test_every_operation_declares_its_request_and_success_bodies(app: Any) -> None:
    document = asyncio.run(_openapi(app))
    missing: list[str] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            name = f"{method.upper()} {path}"
            if method in ("post", "put", "patch") and (method, path) not in NO_BODY:
                content = operation.get("requestBody", {}).get("content", {})
                if not any(media.get("schema") for media in content.values()):
                    missing.append(f"{name}: no request schema")
            success = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
            if not success and "302" in operation["responses"]:
                continue  # a sign-in step: it only redirects
            shapes = [
                r.get("content", {}).get("application/json", {}).get("schema")
                for r in success.values()
            ]
            if not shapes or not all(shapes):  # {} would accept any body
                missing.append(f"{name}: no success schema")
    assert not missing, "\n".join(missing)
    # the named shapes the contract defines are there, and used
    shapes = document["components"]["schemas"]
    assert {"User", "Process", "AgentTask", "Match", "AgentSettings", "DataSource"} <= set(shapes)
    answer = document["paths"]["/api/agent/matches"]["get"]["responses"]["200"]
    assert answer["content"]["application/json"]["schema"]["items"] == {
        "$ref": "#/components/schemas/Match"
    }


async def _openapi(app: Quart) -> dict[str, Any]:
    response = await app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    return await response.get_json()  # type: ignore[no-any-return]
