"""Helpers of the OAuth / drive tests: the app wired to the local fakes, browser-like callers,
and the full sign-in dance (login -> consent at the fake provider -> callback)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fakes.oauth import Account, FakeOAuth, callback_path
from quart import Quart
from quart.testing import QuartClient

PASSWORD = "Str0ng!pass"
FRONTEND = "http://localhost:3000"
PUBLIC = "http://localhost"
SESSION_COOKIE = "access_token_cookie"
CSRF_COOKIE = "csrf_access_token"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def configure(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    monkeypatch.setenv("ELINARA_PUBLIC_URL", PUBLIC)
    monkeypatch.setenv("ELINARA_FRONTEND_URL", FRONTEND)
    monkeypatch.setenv("ELINARA_HTTP_RETRIES", "3")
    monkeypatch.setenv("ELINARA_HTTP_TIMEOUT", "10")
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def build_app(tmp_path: Path) -> Quart:
    from elinara.config import load_settings
    from elinara.server.app import http_app
    from elinara.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 'cloud.db'}")
    return http_app(load_settings(), store)


def store_of(app: Quart) -> Any:
    return app.extensions["elinara"].store


def settings_of(app: Quart) -> Any:
    return app.extensions["elinara"].settings


@dataclass
class Browser:
    """One cookie jar, the CSRF header on unsafe requests (as the frontend does)."""

    client: QuartClient
    user: dict[str, Any] = field(default_factory=dict)

    def cookie(self, name: str) -> str | None:
        assert self.client.cookie_jar is not None
        for cookie in self.client.cookie_jar:
            if cookie.name == name:
                return cookie.value
        return None

    def forget_cookie(self, name: str) -> None:
        assert self.client.cookie_jar is not None
        for cookie in list(self.client.cookie_jar):
            if cookie.name == name:
                self.client.cookie_jar.clear(cookie.domain, cookie.path, cookie.name)

    async def request(self, method: str, path: str, *, csrf: bool = True, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", None) or {})
        token = self.cookie(CSRF_COOKIE)
        if csrf and method in UNSAFE and token:
            headers["X-CSRF-Token"] = token
        return await self.client.open(path, method=method, headers=headers, **kwargs)

    async def get(self, path: str, **kwargs: Any) -> Any:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> Any:
        return await self.request("POST", path, **kwargs)

    async def me(self) -> dict[str, Any] | None:
        data = await body(await self.get("/api/v1/admin/user"))
        return data["user"]


async def body(response: Any) -> Any:
    text = await response.get_data(as_text=True)
    assert response.mimetype == "application/json", (response.status_code, text[:300])
    return json.loads(text)


def set_cookie_names(response: Any) -> set[str]:
    names = set()
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if value:  # a cleared cookie sets nothing
            names.add(name)
    return names


async def signed_up(app: Quart, email: str) -> Browser:
    """A password account, signed in."""
    browser = Browser(app.test_client())
    response = await browser.post(
        "/api/v1/user/register",
        json={
            "authEmail": email,
            "authPassword": PASSWORD,
            "firstName": "Ana",
            "lastName": "Silva",
            "countryName": "Portugal",
            "countryTelCode": "+351",
            "phoneNumber": "912345678",
        },
    )
    assert response.status_code == 201, await response.get_data(as_text=True)
    response = await browser.post(
        "/api/v1/auth/login", json={"username": email, "password": PASSWORD}
    )
    assert response.status_code == 200, await response.get_data(as_text=True)
    browser.user = (await body(response))["user"]
    return browser


async def start_flow(browser: Browser, provider: str, prefix: str = "/api/v1") -> str:
    """GET the login route; the provider's authorize URL it redirects to."""
    path = f"{prefix}/auth2/{provider}/login"
    response = await browser.get(path)
    assert response.status_code == 302, (response.status_code, await response.get_data(True))
    return str(response.headers["Location"])


async def sign_in_with(
    browser: Browser,
    idp: FakeOAuth,
    provider: str,
    account: Account | None = None,
    prefix: str = "/api/v1",
) -> Any:
    """The whole dance; the callback's response (302 to the frontend)."""
    authorize = await start_flow(browser, provider, prefix)
    location = idp.consent(authorize, account)
    assert location.startswith(f"{PUBLIC}/auth2/{provider}/callback?"), location
    response = await browser.get(callback_path(location))
    assert response.status_code == 302
    assert response.headers["Location"] == f"{FRONTEND}/#/login"
    return response
