"""Helpers of the server tests: signed-in callers, JSON bodies, cookies, leads files, 5xx log."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quart import Quart
from quart.testing import QuartClient
from sample_calls import fresh_sample_calls

PASSWORD = "Str0ng!pass"
CSRF_ERROR = {"msg": "CSRF token missing or incorrect", "code": "CSRF_ERROR"}
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")

# 5xx answers seen during the current test: (method, path, status). Checked by an autouse fixture.
SERVER_ERRORS: list[tuple[str, str, int]] = []
_emails = itertools.count(1)


class RecordingClient(QuartClient):
    """The Quart test client, recording every 5xx it receives."""

    async def open(self, path: str, *args: Any, **kwargs: Any) -> Any:
        response = await super().open(path, *args, **kwargs)
        if response.status_code >= 500:
            SERVER_ERRORS.append((kwargs.get("method", "GET"), path, response.status_code))
        return response


def watch_for_server_errors(app: Quart) -> None:
    """Record 5xx answers the app itself produces (also when served by hypercorn)."""
    from quart import request

    @app.after_request
    async def _record(response: Any) -> Any:
        if response.status_code >= 500:
            SERVER_ERRORS.append((request.method, request.path, response.status_code))
        return response


def build_app(store: Any = None) -> Quart:
    from elinara.config import load_settings
    from elinara.server.app import http_app

    app = http_app(load_settings(), store)
    app.test_client_class = RecordingClient
    watch_for_server_errors(app)
    return app


def store_of(app: Quart) -> Any:
    return app.extensions["elinara"].store


def settings_of(app: Quart) -> Any:
    return app.extensions["elinara"].settings


# -- signed-in callers ---------------------------------------------------------------------------
@dataclass
class Api:
    """A browser-like caller: one cookie jar, and the CSRF header on unsafe requests."""

    client: QuartClient
    user: dict[str, Any] = field(default_factory=dict)
    password: str = PASSWORD

    @property
    def id(self) -> int:
        return int(self.user["id"])

    def cookie(self, name: str) -> str | None:
        assert self.client.cookie_jar is not None
        for cookie in self.client.cookie_jar:
            if cookie.name == name:
                return cookie.value
        return None

    @property
    def csrf(self) -> str | None:
        return self.cookie("csrf_access_token")

    async def request(self, method: str, path: str, *, csrf: bool = True, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", None) or {})
        if csrf and method in UNSAFE and self.csrf and "X-CSRF-Token" not in headers:
            headers["X-CSRF-Token"] = self.csrf
        return await self.client.open(path, method=method, headers=headers, **kwargs)

    async def get(self, path: str, **kwargs: Any) -> Any:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> Any:
        return await self.request("POST", path, **kwargs)

    async def put(self, path: str, **kwargs: Any) -> Any:
        return await self.request("PUT", path, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> Any:
        return await self.request("DELETE", path, **kwargs)


async def body(response: Any) -> Any:
    """The JSON body; fails the test if the answer is not JSON."""
    data = await response.get_data(as_text=True)
    assert response.mimetype == "application/json", (response.status_code, data[:200])
    return json.loads(data)


def new_email(prefix: str = "user") -> str:
    return f"{prefix}{next(_emails)}@example.pt"


def registration(email: str, password: str = PASSWORD, **extra: str) -> dict[str, str]:
    return {
        "authEmail": email,
        "authPassword": password,
        "firstName": "Ana",
        "lastName": "Silva",
        "countryName": "Portugal",
        "countryTelCode": "+351",
        "phoneNumber": "912345678",
        **extra,
    }


async def login(app: Quart, login_name: str, password: str = PASSWORD) -> Api:
    api = Api(app.test_client(), password=password)
    response = await api.post(
        "/api/v1/auth/login", json={"username": login_name, "password": password}
    )
    data = await body(response)
    assert response.status_code == 200, data
    api.user = data["user"]
    return api


async def sign_up(
    app: Quart, email: str | None = None, *, admin: bool = False, password: str = PASSWORD
) -> Api:
    """A new account, signed in: registered through the API, or (an admin) made with
    ``accounts.create_user``."""
    email = email or new_email("admin" if admin else "user")
    if admin:
        from elinara.accounts import create_user

        create_user(store_of(app), email, password, is_administrator=True)
    else:
        response = await app.test_client().post(
            "/api/v1/user/register", json=registration(email, password)
        )
        assert response.status_code == 201, await response.get_data(as_text=True)
    return await login(app, email, password)


def set_cookies(response: Any) -> dict[str, str]:
    """Set-Cookie headers of a response, by cookie name."""
    out = {}
    for header in response.headers.getlist("Set-Cookie"):
        out[header.split("=", 1)[0]] = header
    return out


def cookie_value(header: str) -> str:
    return header.split(";", 1)[0].split("=", 1)[1]


# -- data for runs -------------------------------------------------------------------------------
LEADS_HEADER = "Empresa,NIF,CAE,Distrito,Concelho,Dimensão,Trabalhadores,Atividade,Email\n"
_LEAD_KINDS = (
    ("10711", "Porto", "Porto", "Pequena", 25, "Panificação e pastelaria"),
    ("62010", "Braga", "Braga", "Micro", 6, "Desenvolvimento de software e consultoria"),
    ("25110", "Aveiro", "Águeda", "Média", 120, "Fabrico de estruturas metálicas"),
    ("55111", "Faro", "Loulé", "Pequena", 30, "Hotelaria e turismo"),
    ("01210", "Évora", "Évora", "Micro", 4, "Viticultura e produção de vinho"),
)


def nif_for(n: int) -> str:
    """A valid Portuguese NIF (with its check digit) for company number ``n``."""
    digits = f"5{n:07d}"
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits))
    check = 11 - total % 11
    return digits + str(0 if check >= 10 else check)


def leads_csv(count: int) -> str:
    lines = [LEADS_HEADER]
    for n in range(1, count + 1):
        cae, district, town, size, staff, activity = _LEAD_KINDS[n % len(_LEAD_KINDS)]
        lines.append(
            f"Empresa {n} Lda,{nif_for(n)},{cae},{district},{town},{size},{staff},"
            f"{activity},empresa{n}@example.pt\n"
        )
    return "".join(lines)


def write_leads_csv(path: Path, count: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(leads_csv(count), encoding="utf-8")
    return path


def copy_sample_calls(folder: Path) -> Path:
    """``folder/p2030_avisos.json``: the sample calls, dated so they are open today as they were
    when recorded (runs the server queues for an agent judge calls on today's date)."""
    return fresh_sample_calls(folder / "p2030_avisos.json")


def wait_until(check: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll ``check`` until it answers something true (returned), or fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")
