"""A bounded, deterministic fuzz run of the whole HTTP API against its own OpenAPI document
(schemathesis): for every operation, generated bodies, queries and paths, sent with the CSRF
header by a signed-in user and by an administrator, each with Google Drive and OneDrive connected
(the local fake provider and drives), plus invalid requests from the user; any 500, a status the
document does not declare, or a body that does not match the shape the document declares for its
status, fails."""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from cloud_helpers import CSRF_COOKIE, SESSION_COOKIE, Browser, build_app, configure, sign_in_with
from fakes.drive import FakeDrive
from fakes.graph import FakeGraph
from fakes.oauth import Account, FakeOAuth
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from quart import Quart
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)
from server_helpers import PASSWORD, new_email, store_of

from elinara.accounts import create_user
from elinara.server.contract import NO_BODY

SERVER = Path(__file__).parents[2] / "elinara" / "server"
# Examples per operation: about 60 operations, each run as a user, as an administrator and with
# invalid input; a minute or so in all.
RUNS = (("user", GenerationMode.POSITIVE, 30), ("admin", GenerationMode.POSITIVE, 30))
INVALID = ("user", GenerationMode.NEGATIVE, 15)
_subjects = itertools.count(1)


@pytest.fixture
def idp() -> Iterator[FakeOAuth]:
    with FakeOAuth() as fake:
        yield fake


@pytest.fixture
def fuzz_app(idp: FakeOAuth, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Quart]:
    with (
        FakeDrive(auth=idp.valid_access_token) as drive,
        FakeGraph(auth=idp.valid_access_token) as graph,
    ):
        folder = drive.add_folder("Leads")
        drive.add_file("empresas.xlsx", b"PK", parent=folder.id)
        graph.add_file("empresas.xlsx", b"PK")
        configure(
            monkeypatch,
            {
                **idp.env(),
                "ELINARA_GOOGLE_DRIVE_URL": drive.api_url,
                "ELINARA_GRAPH_URL": graph.api_url,
            },
        )
        yield build_app(tmp_path)


class Sessions:
    """A signed-in account per role (made in the store: registrations are throttled per
    address), with both drives connected through the provider's consent; a new one once an
    operation signed it out, deleted it, or disconnected a drive."""

    def __init__(self, app: Quart, idp: FakeOAuth) -> None:
        self.app, self.idp = app, idp
        self.accounts: dict[str, tuple[int, dict[str, str]]] = {}

    def headers(self, role: str) -> dict[str, str]:
        if role not in self.accounts or not asyncio.run(self._usable(*self.accounts[role])):
            self.accounts[role] = asyncio.run(self._sign_in(role == "admin"))
        return self.accounts[role][1]

    async def _usable(self, user_id: int, headers: dict[str, str]) -> bool:
        response = await self.app.test_client().get("/api/v1/admin/user", headers=headers)
        tokens = store_of(self.app).provider_tokens
        return (
            response.status_code == 200
            and (await response.get_json())["user"] is not None
            and all(tokens.get(user_id, provider) for provider in ("google", "microsoft"))
        )

    async def _sign_in(self, admin: bool) -> tuple[int, dict[str, str]]:
        email = new_email("fuzz")
        user = create_user(store_of(self.app), email, PASSWORD, is_administrator=admin)
        browser = Browser(self.app.test_client())
        response = await browser.post(
            "/api/v1/auth/login", json={"username": email, "password": PASSWORD}
        )
        assert response.status_code == 200, await response.get_data(as_text=True)
        for provider in ("google", "microsoft"):
            account = Account(subject=f"f{next(_subjects)}", email=email)
            await sign_in_with(browser, self.idp, provider, account)
        cookies = {name: browser.cookie(name) or "" for name in (SESSION_COOKIE, CSRF_COOKIE)}
        return user.id, {
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "X-CSRF-Token": cookies[CSRF_COOKIE],
        }


def _fuzz(
    operation: Any, mode: GenerationMode, examples: int, session: dict[str, str]
) -> tuple[list[int], list[str]]:
    """Send ``examples`` generated requests to one operation; the statuses, and what broke."""
    statuses: list[int] = []
    problems: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=examples,
        derandomize=True,  # the same cases on every run
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call(headers=session)
        statuses.append(response.status_code)
        where = f"{case.method} {case.path}"
        if response.status_code == 500:
            problems.append(f"{where}: 500 {response.text[:200]}")
            return
        try:
            case.validate_response(
                response, checks=[status_code_conformance, response_schema_conformance]
            )
        except Exception as exc:  # a failed check: collected, reported together
            problems.append(f"{where}: {str(exc)[:300]}")

    try:
        check()
    except Unsatisfiable:  # nothing about this operation can be made invalid (no inputs)
        assert mode is GenerationMode.NEGATIVE, operation.path
    return statuses, problems


def test_every_operation_keeps_its_contract(fuzz_app: Quart, idp: FakeOAuth) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", fuzz_app)
    problems: list[str] = []
    sent: dict[tuple[str, str, str], list[int]] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    sessions = Sessions(fuzz_app, idp)
    for operation in operations:
        for role, mode, examples in (*RUNS, INVALID):
            label = "invalid" if mode is GenerationMode.NEGATIVE else role
            statuses, broken = _fuzz(operation, mode, examples, sessions.headers(role))
            sent[(label, operation.method.upper(), operation.path)] = statuses
            problems += [f"{label}: {problem}" for problem in broken]
    assert not problems, "\n".join(sorted(set(problems))[:30])
    for label in ("user", "admin", "invalid"):  # each kind of run did fuzz
        count = sum(len(statuses) for (kind, _, _), statuses in sent.items() if kind == label)
        assert count > len(operations) * 5, (label, count)
    invalid = [
        status
        for (kind, _, _), statuses in sent.items()
        if kind == "invalid"
        for status in statuses
    ]
    assert 400 in invalid  # invalid input reached the validation
    # successes were reached, not only refusals: an administrator's, and the connected drives'
    assert 403 in sent[("user", "POST", "/api/v1/user/dao")]
    assert 201 in sent[("admin", "POST", "/api/v1/user/dao")]
    assert 200 in sent[("admin", "GET", "/api/v1/user/manager")]
    assert 200 in sent[("user", "GET", "/api/v1/drive/files")]
    assert 200 in sent[("user", "GET", "/api/v1/drive/microsoft/files")]
    assert 201 in sent[("user", "POST", "/api/datasources")]
    assert 202 in sent[("user", "POST", "/api/agent/task")]


def test_every_operation_declares_its_request_and_success_bodies(fuzz_app: Quart) -> None:
    document = asyncio.run(_openapi(fuzz_app))
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


def test_every_query_parameter_a_route_reads_is_declared(fuzz_app: Quart) -> None:
    read = set()
    for source in SERVER.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        read |= set(re.findall(r'request\.args\.get\("(\w+)"', text))
        read |= set(re.findall(r'query_int\(\s*"(\w+)"', text))
    assert {"agent_id", "limit", "offset", "folder_id"} <= read  # the search finds them
    document = asyncio.run(_openapi(fuzz_app))
    declared = {
        parameter["name"]
        for operations in document["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    }
    assert read <= declared, sorted(read - declared)
    matches = document["paths"]["/api/agent/matches"]["get"]["parameters"]
    assert {p["name"] for p in matches} == {"agent_id", "task_id", "min_score", "limit", "offset"}
    # the frontend's bare-string form of a control action (CONTRACT.md §3)
    body = document["paths"]["/api/agent/control"]["post"]["requestBody"]
    forms = body["content"]["application/json"]["schema"]["anyOf"]
    assert {"enum": ["start", "stop", "pause", "resume"]} in forms


async def _openapi(app: Quart) -> dict[str, Any]:
    response = await app.test_client().get("/api/openapi.json")
    assert response.status_code == 200
    return await response.get_json()  # type: ignore[no-any-return]
