"""OAuth sign-in and "Connect Drive" (docs/cloud.md) against a local fake provider.

Google and GitHub through authlib, Microsoft through msal (its HTTP injected: see
elinara/cloud/microsoft.py); link-or-login, flow state and PKCE, tokens encrypted at rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cloud_helpers import (
    FRONTEND,
    PUBLIC,
    SESSION_COOKIE,
    Browser,
    body,
    build_app,
    configure,
    set_cookie_names,
    settings_of,
    sign_in_with,
    signed_up,
    start_flow,
    store_of,
)
from fakes.oauth import Account, FakeOAuth, callback_path, query_of, s256
from quart import Quart

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def idp() -> Iterator[FakeOAuth]:
    with FakeOAuth() as fake:
        yield fake


@pytest.fixture
def app(idp: FakeOAuth, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Quart:
    configure(monkeypatch, idp.env())
    return build_app(tmp_path)


# -- configuration -------------------------------------------------------------------------------
@pytest.mark.parametrize("provider", ["google", "microsoft", "github"])
async def test_unconfigured_provider_says_so(
    provider: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    configure(monkeypatch, {})
    app = build_app(tmp_path)
    label = {"google": "Google", "microsoft": "Microsoft", "github": "GitHub"}[provider]
    for path in (f"/api/v1/auth2/{provider}/login", f"/auth2/{provider}/login"):
        response = await app.test_client().get(path)
        assert response.status_code == 503
        data = await body(response)
        assert data["msg"] == f"{label} sign-in is not configured"
        assert f"ELINARA_{provider.upper()}_CLIENT_ID" in data["hint"]
    callback = await app.test_client().get(f"/auth2/{provider}/callback?code=x&state=y")
    assert callback.status_code == 302 and callback.headers["Location"] == f"{FRONTEND}/#/login"
    assert set_cookie_names(callback) == set()


async def test_unknown_provider_and_plain_http_authority(
    idp: FakeOAuth, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    configure(monkeypatch, {**idp.env(), "ELINARA_MICROSOFT_AUTHORITY": "http://login.example.com"})
    app = build_app(tmp_path)
    response = await app.test_client().get("/auth2/myspace/login")
    assert response.status_code == 404 and (await body(response))["msg"]
    response = await app.test_client().get("/auth2/microsoft/login")
    assert response.status_code == 503
    assert "https" in (await body(response))["msg"]
    assert idp.requests == []  # refused before anything was sent


# -- Google ------------------------------------------------------------------------------------
async def test_google_login_creates_the_user_and_sets_the_session(
    app: Quart, idp: FakeOAuth
) -> None:
    browser = Browser(app.test_client())
    authorize = await start_flow(browser, "google")
    assert authorize.startswith(f"{idp.url}/google/authorize?")
    q = query_of(authorize)
    assert q["redirect_uri"] == f"{PUBLIC}/auth2/google/callback"
    assert q["code_challenge_method"] == "S256" and q["code_challenge"]
    assert q["state"] and q["access_type"] == "offline"
    assert "https://www.googleapis.com/auth/drive.readonly" in q["scope"].split()
    assert {"openid", "email", "profile"} <= set(q["scope"].split())
    flow_cookie = browser.cookie("elinara_oauth_google")
    assert flow_cookie and q["state"] not in flow_cookie  # sealed, not readable

    location = idp.consent(authorize)
    response = await browser.get(callback_path(location))
    assert response.status_code == 302 and response.headers["Location"] == f"{FRONTEND}/#/login"
    assert {SESSION_COOKIE, "csrf_access_token"} <= set_cookie_names(response)
    assert browser.cookie("elinara_oauth_google") is None  # the flow is over
    # PKCE: the verifier sent to the token endpoint matches the challenge
    exchange = [r for r in idp.token_requests if r.get("grant_type") == "authorization_code"]
    assert s256(exchange[0]["code_verifier"]) == q["code_challenge"]

    user = await browser.me()
    assert user is not None and user["email"] == "ana.silva@example.pt"
    assert user["username"] == "ana.silva"
    assert user["providers"]["google"] == {"connected": True, "email": "ana.silva@example.pt"}
    assert user["has_drive_access"] is True and user["has_microsoft_drive_access"] is False
    stored = store_of(app).users.get(user["id"])
    assert stored.password_hash is None

    # tokens are encrypted at rest, and never shown
    doc = store_of(app).provider_tokens.get(user["id"], "google")
    (access, issued) = next(iter(idp.access.items()))
    assert issued.account.email == user["email"]
    assert access not in str(doc) and not any(rt in str(doc) for rt in idp.refresh)
    from elinara.cloud.crypto import decrypt

    assert decrypt(settings_of(app), doc["access_token"]) == access
    assert "access_token" not in str(user) and access not in str(user)


async def test_the_same_identity_signs_in_to_the_same_user(app: Quart, idp: FakeOAuth) -> None:
    first = Browser(app.test_client())
    await sign_in_with(first, idp, "google", prefix="")  # the bare /auth2 prefix too
    again = Browser(app.test_client())
    await sign_in_with(again, idp, "google", Account(email="renamed@example.pt"))
    assert (await first.me())["id"] == (await again.me())["id"]
    assert len(store_of(app).users.list()) == 1


async def test_a_password_account_is_not_taken_over_by_a_provider_sign_in(
    app: Quart, idp: FakeOAuth
) -> None:
    """Anyone may register a password account with someone else's address (nothing confirms
    it): a provider sign-in with that address, verified by the provider, must not log in to it
    (or the squatter would read the real owner's drive later, or the owner the squatter's)."""
    owner = await signed_up(app, "ana.silva@example.pt")
    assert owner.user["email_verified"] is False
    browser = Browser(app.test_client())
    authorize = await start_flow(browser, "google")
    response = await browser.get(callback_path(idp.consent(authorize, Account(subject="777"))))
    assert response.status_code == 302 and response.headers["Location"] == f"{FRONTEND}/#/login"
    assert set_cookie_names(response) == set()
    assert await browser.me() is None
    assert store_of(app).provider_tokens.get(owner.user["id"], "google") is None
    assert len(store_of(app).users.list()) == 1  # and no second account with that address

    # the owner signs in with the password and links Google with "Connect Drive"
    await sign_in_with(owner, idp, "google", Account(subject="777"))
    assert (await owner.me())["providers"]["google"]["connected"] is True


async def test_a_verified_email_finds_the_verified_account(app: Quart, idp: FakeOAuth) -> None:
    owner = await signed_up(app, "ana.silva@example.pt")
    store_of(app).users.update(owner.user["id"], {"email_verified": True})
    browser = Browser(app.test_client())
    await sign_in_with(browser, idp, "google", Account(subject="777"))
    assert (await browser.me())["id"] == owner.user["id"]


async def test_a_provider_made_account_is_verified_and_found_by_another_provider(
    app: Quart, idp: FakeOAuth
) -> None:
    first = Browser(app.test_client())
    await sign_in_with(first, idp, "google", Account(subject="g-1"))
    made = await first.me()
    assert made["email_verified"] is True
    second = Browser(app.test_client())
    await sign_in_with(second, idp, "github", Account(subject="5150"))
    assert (await second.me())["id"] == made["id"]
    assert len(store_of(app).users.list()) == 1


async def test_an_unverified_provider_address_makes_an_unverified_account(
    app: Quart, idp: FakeOAuth
) -> None:
    browser = Browser(app.test_client())
    await sign_in_with(browser, idp, "google", Account(subject="u-1", verified=False))
    user = await browser.me()
    assert user["email"] == "ana.silva@example.pt" and user["email_verified"] is False
    # ... which another provider's sign-in with that address cannot enter either
    other = Browser(app.test_client())
    authorize = await start_flow(other, "github")
    response = await other.get(callback_path(idp.consent(authorize, Account(subject="5150"))))
    assert set_cookie_names(response) == set()
    assert len(store_of(app).users.list()) == 1


async def test_an_unverified_email_does_not_take_over_an_account(
    app: Quart, idp: FakeOAuth
) -> None:
    await signed_up(app, "ana.silva@example.pt")
    browser = Browser(app.test_client())
    authorize = await start_flow(browser, "google")
    location = idp.consent(authorize, Account(subject="666", verified=False))
    response = await browser.get(callback_path(location))
    assert response.status_code == 302 and response.headers["Location"] == f"{FRONTEND}/#/login"
    assert set_cookie_names(response) == set()
    assert await browser.me() is None


async def test_callback_with_a_session_links_the_drive(app: Quart, idp: FakeOAuth) -> None:
    browser = await signed_up(app, "consultant@example.pt")
    await sign_in_with(browser, idp, "google", Account(subject="42", email="ana@gmail.com"))
    user = await browser.me()
    assert user["id"] == browser.user["id"] and user["email"] == "consultant@example.pt"
    assert user["providers"]["google"] == {"connected": True, "email": "ana@gmail.com"}
    assert user["has_drive_access"] is True
    assert len(store_of(app).users.list()) == 1


async def test_connect_drive_survives_a_strict_session_cookie(app: Quart, idp: FakeOAuth) -> None:
    """The browser does not send the SameSite=Strict session cookie back from the provider's
    site: the flow remembers who started it."""
    browser = await signed_up(app, "consultant@example.pt")
    authorize = await start_flow(browser, "google")
    location = idp.consent(authorize, Account(subject="43", email="drive@gmail.com"))
    browser.forget_cookie(SESSION_COOKIE)
    response = await browser.get(callback_path(location))
    assert SESSION_COOKIE in set_cookie_names(response)
    user = await browser.me()
    assert user["id"] == browser.user["id"]
    assert user["providers"]["google"]["email"] == "drive@gmail.com"


async def test_an_identity_linked_elsewhere_is_not_moved(app: Quart, idp: FakeOAuth) -> None:
    await sign_in_with(Browser(app.test_client()), idp, "google")  # creates ana.silva@...
    other = await signed_up(app, "other@example.pt")
    authorize = await start_flow(other, "google")
    response = await other.get(callback_path(idp.consent(authorize)))  # the same Google account
    assert response.headers["Location"] == f"{FRONTEND}/#/login"
    assert SESSION_COOKIE not in set_cookie_names(response)
    assert (await other.me())["providers"]["google"]["connected"] is False


@pytest.mark.parametrize("tamper", ["state", "no-flow", "error"])
async def test_bad_callbacks_end_at_the_login_page_with_nothing_set(
    app: Quart, idp: FakeOAuth, tamper: str
) -> None:
    browser = Browser(app.test_client())
    authorize = await start_flow(browser, "google")
    location = idp.consent(authorize)
    path = callback_path(location)
    if tamper == "state":
        path = path.replace("state=", "state=x")
    elif tamper == "no-flow":
        browser = Browser(app.test_client())  # another browser: no flow cookie
    elif tamper == "error":
        path = f"/auth2/google/callback?error=access_denied&state={query_of(location)['state']}"
    response = await browser.get(path)
    assert response.status_code == 302 and response.headers["Location"] == f"{FRONTEND}/#/login"
    assert set_cookie_names(response) == set()
    assert await browser.me() is None


async def test_google_logout_forgets_the_tokens(app: Quart, idp: FakeOAuth) -> None:
    browser = Browser(app.test_client())
    await sign_in_with(browser, idp, "google")
    refresh_tokens = set(idp.refresh)
    response = await browser.get("/auth2/google/logout")
    assert response.status_code == 200 and (await body(response))["msg"]
    user = await browser.me()
    assert user["providers"]["google"]["connected"] is False
    assert store_of(app).provider_tokens.get(user["id"], "google") is None
    # and the grant is revoked at Google: the refresh token no longer works there
    assert [p for p, _ in idp.revocations] == ["google"]
    assert idp.revocations[0][1] in refresh_tokens and idp.refresh == {} and idp.access == {}
    anonymous = await app.test_client().get("/api/v1/auth2/google/logout")
    assert anonymous.status_code == 401


# -- GitHub ------------------------------------------------------------------------------------
async def test_github_signin_and_logout(app: Quart, idp: FakeOAuth) -> None:
    browser = Browser(app.test_client())
    authorize = await start_flow(browser, "github")
    assert authorize.startswith(f"{idp.url}/github/authorize?")
    assert set(query_of(authorize)["scope"].split()) == {"read:user", "user:email"}
    # /github/signin is the same as /github/login
    response = await browser.get("/api/v1/auth2/github/signin")
    assert response.status_code == 302
    location = idp.consent(str(response.headers["Location"]), Account(subject="5150"))
    await browser.get(callback_path(location))
    user = await browser.me()
    assert user["email"] == "ana.silva@example.pt"  # the primary verified address
    assert user["providers"]["github"] == {"connected": True, "email": "ana.silva@example.pt"}
    assert user["has_drive_access"] is False

    no_csrf = await browser.post("/auth2/github/logout", csrf=False)
    assert no_csrf.status_code == 403
    assert (await body(no_csrf))["code"] == "CSRF_ERROR"
    done = await browser.post("/auth2/github/logout")
    assert done.status_code == 200
    assert (await browser.me())["providers"]["github"]["connected"] is False
    assert [p for p, _ in idp.revocations] == ["github"] and idp.access == {}


async def test_a_provider_that_cannot_revoke_still_disconnects(
    app: Quart, idp: FakeOAuth, caplog: pytest.LogCaptureFixture
) -> None:
    browser = Browser(app.test_client())
    await sign_in_with(browser, idp, "google")
    tokens = set(idp.refresh) | set(idp.access)
    idp.revoke_status = 503
    response = await browser.post("/api/v1/auth/disconnect/google")
    assert response.status_code == 200
    user = await browser.me()
    assert user["providers"]["google"]["connected"] is False
    assert store_of(app).provider_tokens.get(user["id"], "google") is None
    assert "revoking the google grant: answered 503" in caplog.text
    assert not any(token in caplog.text for token in tokens)  # no token in the log


# -- Microsoft (msal) --------------------------------------------------------------------------
async def test_microsoft_login_through_msal(app: Quart, idp: FakeOAuth) -> None:
    browser = Browser(app.test_client())
    authorize = await start_flow(browser, "microsoft")
    assert authorize.startswith(f"{idp.url}/ms/common/oauth2/v2.0/authorize?")
    q = query_of(authorize)
    assert q["code_challenge_method"] == "S256" and q["nonce"] and q["state"]
    assert {"User.Read", "Files.Read.All", "offline_access"} <= set(q["scope"].split())
    assert q["redirect_uri"] == f"{PUBLIC}/auth2/microsoft/callback"
    location = idp.consent(authorize, Account(subject="oid-9"))
    response = await browser.get(callback_path(location))
    assert SESSION_COOKIE in set_cookie_names(response)
    user = await browser.me()
    assert user["providers"]["microsoft"] == {"connected": True, "email": "ana.silva@example.pt"}
    assert user["has_microsoft_drive_access"] is True
    exchange = [r for r in idp.token_requests if r.get("grant_type") == "authorization_code"]
    assert s256(exchange[0]["code_verifier"]) == q["code_challenge"]
    # msal fetched the authority's metadata from the fake (never login.microsoftonline.com)
    assert "/ms/common/v2.0/.well-known/openid-configuration" in idp.paths("GET")
    doc: dict[str, Any] = store_of(app).provider_tokens.get(user["id"], "microsoft")
    assert doc["subject"] == "oid-9" and doc["refresh_token"] and doc["drive"] is True
