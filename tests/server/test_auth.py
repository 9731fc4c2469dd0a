"""docs/api.md (Conventions, Auth): login, logout, register, sessions, cookies, errors, CORS."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from server_helpers import (
    CSRF_ERROR,
    PASSWORD,
    Api,
    body,
    login,
    new_email,
    registration,
    set_cookies,
    settings_of,
    sign_up,
    store_of,
)

pytestmark = pytest.mark.anyio

USER_KEYS = {
    "id",
    "username",
    "email",
    "firstname",
    "lastname",
    "phone",
    "country",
    "address",
    "postal_code",
    "role",
    "is_administrator",
    "has_drive_access",
    "has_microsoft_drive_access",
    "providers",
    "created_at",
}


# -- register and login, on both store backends ----------------------------------------------------
async def test_register_then_login_on_each_backend(app_both) -> None:
    client = app_both.test_client()
    email = new_email("ana")
    response = await client.post("/api/v1/user/register", json=registration(email))
    data = await body(response)
    assert response.status_code == 201
    assert data["status_code"] == 201 and data["msg"] and data["message"]

    response = await client.post(
        "/api/v1/auth/login", json={"username": email, "password": PASSWORD}
    )
    data = await body(response)
    assert response.status_code == 200
    assert data["success"] is True and data["status_code"] == 200
    assert data["msg"] == "Login successful"
    user = data["user"]
    assert set(user) >= USER_KEYS
    assert isinstance(user["id"], int)
    assert user["email"] == email and user["username"]
    assert user["role"] == "user" and user["is_administrator"] is False
    assert user["providers"] == {
        name: {"connected": False, "email": None} for name in ("google", "microsoft", "github")
    }
    assert "password_hash" not in user and "password" not in user
    cookies = set_cookies(response)
    assert {"access_token_cookie", "csrf_access_token"} <= set(cookies)

    # the username works as a login too, and the session is live
    response = await client.post(
        "/api/v1/auth/login", json={"username": user["username"], "password": PASSWORD}
    )
    assert response.status_code == 200
    who = await body(await client.get("/api/v1/admin/user"))
    assert who["success"] is True and who["user"]["id"] == user["id"]


async def test_usernames_derive_from_the_email_and_are_unique(app) -> None:
    first = await sign_up(app, "maria@one.pt")
    second = await sign_up(app, "maria@two.pt")
    assert first.user["username"] == "maria"
    assert second.user["username"] not in ("", "maria")
    assert second.user["username"].startswith("maria")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"authPassword": "short1!A"[:7]}, "authPassword"),
        ({"authPassword": "alllowercase1!"}, "authPassword"),
        ({"authPassword": "ALLUPPERCASE1!"}, "authPassword"),
        ({"authPassword": "NoDigitsHere!"}, "authPassword"),
        ({"authPassword": "NoSymbols123"}, "authPassword"),
        ({"authEmail": "not-an-email"}, "authEmail"),
    ],
)
async def test_register_refuses_bad_fields_with_errors(app, change, field) -> None:
    response = await app.test_client().post(
        "/api/v1/user/register", json=registration(new_email(), **change)
    )
    data = await body(response)
    assert response.status_code == 400
    assert data["msg"] and field in data["errors"]


async def test_register_needs_its_fields(app) -> None:
    response = await app.test_client().post("/api/v1/user/register", json={"authEmail": "a@b.pt"})
    data = await body(response)
    assert response.status_code == 400
    assert "authPassword" in data["errors"]


async def test_register_accepts_empty_optional_fields(app) -> None:
    response = await app.test_client().post(
        "/api/v1/user/register",
        json=registration(new_email(), countryName="", countryTelCode="", phoneNumber=""),
    )
    assert response.status_code == 201


async def test_duplicate_email_is_409(app) -> None:
    email = new_email()
    client = app.test_client()
    assert (await client.post("/api/v1/user/register", json=registration(email))).status_code == 201
    response = await client.post("/api/v1/user/register", json=registration(email.upper()))
    data = await body(response)
    assert response.status_code == 409
    assert data["msg"]


async def test_wrong_credentials_are_400_not_401(app) -> None:
    api = await sign_up(app)
    client = app.test_client()
    for username, password in ((api.user["email"], "Wr0ng!pass"), ("nobody@x.pt", PASSWORD)):
        response = await client.post(
            "/api/v1/auth/login", json={"username": username, "password": password}
        )
        data = await body(response)
        assert response.status_code == 400
        assert data == {"success": False, "msg": "Invalid username or password"}
        assert "access_token_cookie" not in set_cookies(response)


async def test_login_validates_its_body(app) -> None:
    response = await app.test_client().post("/api/v1/auth/login", json={"username": "x"})
    data = await body(response)
    assert response.status_code == 400
    assert data["msg"] and "password" in data["errors"]


async def test_repeated_failures_for_one_account_are_throttled(app) -> None:
    api = await sign_up(app)
    client = app.test_client()
    wrong = {"username": api.user["email"], "password": "Wr0ng!pass"}
    statuses = [(await client.post("/api/v1/auth/login", json=wrong)).status_code for _ in range(5)]
    assert statuses == [400] * 5
    response = await client.post("/api/v1/auth/login", json=wrong)
    data = await body(response)
    assert response.status_code == 429
    assert data["msg"]
    # even the right password waits now
    right = {"username": api.user["email"], "password": PASSWORD}
    assert (await client.post("/api/v1/auth/login", json=right)).status_code == 429


async def test_repeated_failures_from_one_address_are_throttled(app) -> None:
    client = app.test_client()
    statuses = [
        (
            await client.post(
                "/api/v1/auth/login", json={"username": f"ghost{n}@x.pt", "password": "x"}
            )
        ).status_code
        for n in range(25)
    ]
    assert statuses[0] == 400
    assert statuses[-1] == 429


# -- the session -----------------------------------------------------------------------------------
async def test_whoami_is_public_and_anonymous_gets_no_user(app) -> None:
    response = await app.test_client().get("/api/v1/admin/user")
    assert response.status_code == 200
    assert await body(response) == {"success": False, "user": None}


async def test_routes_need_a_session(app) -> None:
    client = app.test_client()
    for path in ("/api/v1/admin/processes", "/api/agent/status", "/api/datasources", "/api/files"):
        response = await client.get(path)
        data = await body(response)
        assert response.status_code == 401, path
        assert data["msg"]


async def test_a_forged_or_garbage_token_is_no_session(app) -> None:
    api = await sign_up(app)
    forged = jwt.encode(
        {
            "sub": str(api.id),
            "csrf": "x",
            "jti": uuid.uuid4().hex,
            "iat": int(datetime.now(UTC).timestamp()),
            "exp": int((datetime.now(UTC) + timedelta(hours=1)).timestamp()),
        },
        "not-the-secret-" + "x" * 32,
        algorithm="HS256",
    )
    client = app.test_client(use_cookies=False)
    for token in (forged, "garbage", ""):
        response = await client.get(
            "/api/v1/admin/processes", headers={"Cookie": f"access_token_cookie={token}"}
        )
        assert response.status_code == 401


async def test_logout_clears_cookies_and_revokes_the_token(app) -> None:
    api = await sign_up(app)
    old_token = api.cookie("access_token_cookie")
    old_csrf = api.csrf
    response = await api.post("/api/v1/auth/logout", json={"mode": "full"})
    data = await body(response)
    assert response.status_code == 200
    assert data["status_code"] == 200 and data["msg"] and data["message"]
    cleared = set_cookies(response)
    for name in ("access_token_cookie", "csrf_access_token"):
        assert "Max-Age=0" in cleared[name] and "Expires=Thu, 01 Jan 1970" in cleared[name]
    assert api.cookie("access_token_cookie") is None

    # the old cookie, replayed, is no session any more (anywhere)
    replay = app.test_client(use_cookies=False)
    headers = {"Cookie": f"access_token_cookie={old_token}", "X-CSRF-Token": old_csrf}
    assert (await replay.get("/api/v1/admin/processes", headers=headers)).status_code == 401
    who = await body(await replay.get("/api/v1/admin/user", headers=headers))
    assert who == {"success": False, "user": None}
    assert (
        await replay.get(
            "/api/v1/admin/processes", headers={"Authorization": f"Bearer {old_token}"}
        )
    ).status_code == 401


async def test_logout_needs_csrf_when_a_session_cookie_comes_with_it(app) -> None:
    api = await sign_up(app)
    response = await api.post("/api/v1/auth/logout", csrf=False)
    assert response.status_code == 403
    assert await body(response) == CSRF_ERROR
    assert (await api.get("/api/v1/admin/processes")).status_code == 200


async def test_logout_works_without_a_session_and_with_an_expired_one(app) -> None:
    response = await app.test_client().post("/api/v1/auth/logout")
    assert response.status_code == 200
    api = await sign_up(app)
    settings = settings_of(app)
    now = datetime.now(UTC)
    expired = jwt.encode(
        {
            "sub": str(api.id),
            "csrf": "c-expired",
            "jti": uuid.uuid4().hex,
            "iat": int((now - timedelta(hours=2)).timestamp()),
            "exp": int((now - timedelta(hours=1)).timestamp()),
            "is_administrator": False,
        },
        settings.secret_key,
        algorithm="HS256",
    )
    client = app.test_client(use_cookies=False)
    response = await client.post(
        "/api/v1/auth/logout",
        headers={"Cookie": f"access_token_cookie={expired}", "X-CSRF-Token": "c-expired"},
    )
    assert response.status_code == 200


async def test_bearer_token_works_without_csrf(app) -> None:
    api = await sign_up(app)
    token = api.cookie("access_token_cookie")
    client = app.test_client(use_cookies=False)
    headers = {"Authorization": f"Bearer {token}"}
    response = await client.post(
        "/api/v1/admin/processes", json={"name": "scripted"}, headers=headers
    )
    assert response.status_code == 201, await response.get_data(as_text=True)
    # a bearer request never re-issues cookies
    assert not set_cookies(response)
    listed = await body(await client.get("/api/v1/admin/processes", headers=headers))
    assert [p["name"] for p in listed] == ["scripted"]


def _token(app, user_id: int, issued_minutes_ago: float, lifetime_minutes: float) -> str:
    settings = settings_of(app)
    now = datetime.now(UTC)
    return jwt.encode(
        {
            "sub": str(user_id),
            "csrf": "csrf-" + uuid.uuid4().hex,
            "jti": uuid.uuid4().hex,
            "iat": int((now - timedelta(minutes=issued_minutes_ago)).timestamp()),
            "exp": int(
                (now + timedelta(minutes=lifetime_minutes - issued_minutes_ago)).timestamp()
            ),
            "is_administrator": False,
        },
        settings.secret_key,
        algorithm="HS256",
    )


async def test_sliding_renewal_when_less_than_half_the_lifetime_remains(app) -> None:
    api = await sign_up(app)
    client = app.test_client(use_cookies=False)
    old = _token(app, api.id, issued_minutes_ago=40, lifetime_minutes=60)
    response = await client.get(
        "/api/v1/admin/processes", headers={"Cookie": f"access_token_cookie={old}"}
    )
    assert response.status_code == 200
    cookies = set_cookies(response)
    assert {"access_token_cookie", "csrf_access_token"} <= set(cookies)
    new_token = cookies["access_token_cookie"].split(";", 1)[0].split("=", 1)[1]
    new_csrf = cookies["csrf_access_token"].split(";", 1)[0].split("=", 1)[1]
    claims = jwt.decode(new_token, settings_of(app).secret_key, algorithms=["HS256"])
    assert claims["csrf"] == new_csrf
    assert claims["sub"] == str(api.id)
    assert claims["exp"] - claims["iat"] == 60 * 60
    assert claims["exp"] > datetime.now(UTC).timestamp() + 55 * 60
    # the renewed session works, CSRF included
    response = await client.post(
        "/api/v1/admin/processes",
        json={"name": "after renewal"},
        headers={"Cookie": f"access_token_cookie={new_token}", "X-CSRF-Token": new_csrf},
    )
    assert response.status_code == 201


async def test_no_renewal_while_more_than_half_remains(app) -> None:
    api = await sign_up(app)
    client = app.test_client(use_cookies=False)
    fresh = _token(app, api.id, issued_minutes_ago=10, lifetime_minutes=60)
    response = await client.get(
        "/api/v1/admin/processes", headers={"Cookie": f"access_token_cookie={fresh}"}
    )
    assert response.status_code == 200
    assert not set_cookies(response)


async def test_short_token_minutes_give_short_cookies(make_app) -> None:
    app = make_app(token_minutes=2)
    api = await sign_up(app)
    token = api.cookie("access_token_cookie")
    claims = jwt.decode(token, settings_of(app).secret_key, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 120
    assert claims["csrf"] == api.csrf
    assert set(claims) >= {"sub", "csrf", "jti", "iat", "exp", "is_administrator"}


async def test_cookie_attributes_on_localhost(app) -> None:
    api = await sign_up(app)
    response = await api.post(
        "/api/v1/auth/login", json={"username": api.user["email"], "password": PASSWORD}
    )
    cookies = {k: v.lower() for k, v in set_cookies(response).items()}
    access, csrf = cookies["access_token_cookie"], cookies["csrf_access_token"]
    for cookie in (access, csrf):
        assert "samesite=strict" in cookie
        assert "path=/" in cookie
        assert "domain=" not in cookie
        assert "max-age=3600" in cookie
        assert "secure" not in cookie.replace("samesite", "")
    assert "httponly" in access
    assert "httponly" not in csrf


async def test_cookies_are_secure_on_a_public_host(make_app) -> None:
    app = make_app(cookie_secure="auto")
    email = new_email()
    client = app.test_client()
    await client.post("/api/v1/user/register", json=registration(email))
    response = await client.post(
        "/api/v1/auth/login",
        json={"username": email, "password": PASSWORD},
        headers={"Host": "elinara.example.com"},
    )
    assert response.status_code == 200
    for header in set_cookies(response).values():
        assert "; secure" in header.lower()


async def test_cookie_secure_can_be_forced_off(make_app) -> None:
    app = make_app(cookie_secure="false")
    email = new_email()
    client = app.test_client()
    await client.post("/api/v1/user/register", json=registration(email))
    response = await client.post(
        "/api/v1/auth/login",
        json={"username": email, "password": PASSWORD},
        headers={"Host": "elinara.example.com"},
    )
    for header in set_cookies(response).values():
        assert "; secure" not in header.lower()


async def test_a_deleted_user_has_no_session(app) -> None:
    api = await sign_up(app)
    store_of(app).delete_user(api.id)
    assert (await api.get("/api/v1/admin/processes")).status_code == 401


async def test_disconnect_provider(app) -> None:
    api = await sign_up(app)
    store_of(app).provider_tokens.save(api.id, "github", {"email": "a@gh.io", "subject": "42"})
    who = await body(await api.get("/api/v1/admin/user"))
    assert who["user"]["providers"]["github"] == {"connected": True, "email": "a@gh.io"}
    for provider in ("google", "microsoft", "github"):
        response = await api.post(f"/api/v1/auth/disconnect/{provider}")
        data = await body(response)
        assert response.status_code == 200
        assert data["status_code"] == 200 and data["msg"] and data["message"]
    who = await body(await api.get("/api/v1/admin/user"))
    assert who["user"]["providers"]["github"]["connected"] is False
    response = await api.post("/api/v1/auth/disconnect/myspace")
    assert response.status_code == 404
    assert (await body(response))["msg"]


# -- errors, CORS, headers -------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/nothing", "/nothing", "/api/v1"])
async def test_unknown_routes_are_404_json(app, path) -> None:
    api = await sign_up(app)
    for caller in (app.test_client(), api.client):
        response = await caller.get(path)
        data = await body(response)
        assert response.status_code == 404
        assert data["msg"]


async def test_wrong_method_is_json(app) -> None:
    api = await sign_up(app)
    response = await api.request("PATCH", "/api/v1/admin/processes")
    assert response.status_code == 405
    assert (await body(response))["msg"]


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b'{"username": ', b"\xff\xfe\x00", b"[1, 2", b'"unterminated'],
)
async def test_malformed_json_on_public_routes_is_400(app, raw) -> None:
    client = app.test_client()
    for path in ("/api/v1/auth/login", "/api/v1/user/register"):
        response = await client.post(path, data=raw, headers={"Content-Type": "application/json"})
        data = await body(response)
        assert response.status_code == 400, path
        assert data["msg"]


async def test_wrong_json_types_are_400(app) -> None:
    client = app.test_client()
    for payload in ([], "text", 12, None, {"username": 12, "password": ["x"]}):
        response = await client.post("/api/v1/auth/login", json=payload)
        assert response.status_code == 400, payload
        assert (await body(response))["msg"]


async def test_cors_preflight_from_the_frontend(app) -> None:
    client = app.test_client()
    response = await client.options(
        "/api/agent/control",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-csrf-token",
        },
    )
    assert response.status_code == 204
    headers = response.headers
    assert headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert headers["Access-Control-Allow-Credentials"] == "true"
    allowed_headers = headers["Access-Control-Allow-Headers"].lower()
    assert "x-csrf-token" in allowed_headers and "content-type" in allowed_headers
    methods = {m.strip() for m in headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} <= methods


async def test_cors_on_actual_requests_and_other_origins(app) -> None:
    api = await sign_up(app)
    response = await api.get("/api/agent/status", headers={"Origin": "http://127.0.0.1:3000"})
    assert response.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:3000"
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    for method, kwargs in (
        (
            "OPTIONS",
            {"headers": {"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"}},
        ),
        ("GET", {"headers": {"Origin": "http://evil.example"}}),
    ):
        response = await api.client.open("/api/agent/status", method=method, **kwargs)
        assert "Access-Control-Allow-Origin" not in response.headers
        assert "Access-Control-Allow-Credentials" not in response.headers


async def test_configured_cors_origins(make_app) -> None:
    app = make_app(cors_origins="https://lab.example.pt")
    response = await app.test_client().options(
        "/api/v1/auth/login",
        headers={"Origin": "https://lab.example.pt", "Access-Control-Request-Method": "POST"},
    )
    assert response.headers["Access-Control-Allow-Origin"] == "https://lab.example.pt"
    response = await app.test_client().options(
        "/api/v1/auth/login",
        headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_security_headers_on_every_answer(app) -> None:
    api = await sign_up(app)
    answers = [
        await api.get("/api/v1/admin/user"),
        await app.test_client().get("/api/v1/admin/processes"),  # 401
        await api.get("/api/v1/nope"),  # 404
        await api.post("/api/v1/admin/processes", json={}),  # 400
    ]
    for response in answers:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"]


async def test_health_is_public(app) -> None:
    data = await body(await app.test_client().get("/api/health"))
    assert data["status"] == "ok" and data["database"] == "sqlite"


async def test_api_wrapper_sends_csrf(app) -> None:
    """The helper every other test relies on really sends the header it claims to."""
    api = await sign_up(app)
    assert isinstance(api, Api) and api.csrf
    assert (await api.post("/api/v1/admin/processes", json={"name": "x"})).status_code == 201
    again = await login(app, api.user["email"])
    assert again.csrf != api.csrf


async def test_an_unexpected_error_is_500_with_a_correlation_id(app) -> None:
    """The contract's 500 body; also proves the suite's 5xx guard sees what it must."""
    from server_helpers import SERVER_ERRORS

    from elinara.server.web import public

    @app.get("/api/boom")
    @public
    async def boom() -> None:
        raise RuntimeError("secret detail")

    response = await app.test_client().get("/api/boom")
    data = await body(response)
    recorded = list(SERVER_ERRORS)
    SERVER_ERRORS.clear()  # expected here; any other 5xx fails the test that met it
    assert response.status_code == 500
    assert data["msg"] == "Internal error" and data["id"]
    assert "secret" not in str(data)
    assert [status for *_, status in recorded] == [500, 500]  # the app hook and the client


# -- login CSRF: public unsafe routes refuse other sites -------------------------------------------
@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/user/register"])
async def test_public_routes_refuse_a_cross_site_origin(app, path) -> None:
    email = new_email()
    payload = (
        registration(email)
        if path.endswith("register")
        else {"username": (await sign_up(app)).user["email"], "password": PASSWORD}
    )
    client = app.test_client()
    for origin in ("http://evil.example", "null", "http://localhost:3000.evil.example"):
        response = await client.post(path, json=payload, headers={"Origin": origin})
        data = await body(response)
        assert response.status_code == 403, origin
        assert data["msg"] and data.get("code") != "CSRF_ERROR"
        assert "access_token_cookie" not in set_cookies(response)
    assert store_of(app).users.by_email(email) is None
    # the frontend's origins, the server's own, and no Origin at all are fine
    for origin in ("http://localhost:3000", "http://127.0.0.1:3000", "http://localhost", None):
        headers = {"Origin": origin} if origin else {}
        if path.endswith("register"):
            payload = registration(new_email())
        response = await client.post(path, json=payload, headers=headers)
        assert response.status_code in (200, 201), (origin, await response.get_data(True))


async def test_logout_refuses_a_cross_site_origin(app) -> None:
    api = await sign_up(app)
    response = await api.post("/api/v1/auth/logout", headers={"Origin": "http://evil.example"})
    assert response.status_code == 403 and (await body(response))["msg"]
    assert (await api.get("/api/v1/admin/processes")).status_code == 200  # still signed in


@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/user/register"])
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
async def test_login_and_register_take_json_only(app, path, content_type) -> None:
    """What a cross-site HTML form can send (no preflight) is refused, even as valid JSON."""
    api = await sign_up(app)
    email = new_email()
    payload = (
        registration(email)
        if path.endswith("register")
        else {"username": api.user["email"], "password": PASSWORD}
    )
    import json

    response = await app.test_client().post(
        path, data=json.dumps(payload), headers={"Content-Type": content_type}
    )
    data = await body(response)
    assert response.status_code == 415 and data["msg"]
    assert "access_token_cookie" not in set_cookies(response)
    assert store_of(app).users.by_email(email) is None


# -- usernames never look like e-mail addresses ------------------------------------------------------
async def test_a_login_with_at_is_looked_up_as_an_email_first(app) -> None:
    """An older account whose username is another's e-mail does not shadow that account."""
    victim = await sign_up(app)
    from elinara.accounts import create_user

    squatter = create_user(store_of(app), new_email("squat"), "Squ4tter!pass")
    store_of(app).users.update(squatter.id, {"username": victim.user["email"]})
    again = await login(app, victim.user["email"])
    assert again.id == victim.id


async def test_usernames_with_at_are_refused(app) -> None:
    admin = await sign_up(app, admin=True)
    response = await admin.post(
        "/api/v1/user/dao",
        json={"email": new_email(), "password": PASSWORD, "username": "boss@example.pt"},
    )
    data = await body(response)
    assert response.status_code == 400 and "username" in data["errors"]
    response = await admin.put(f"/api/v1/user/dao/{admin.id}", json={"username": "me@x.pt"})
    data = await body(response)
    assert response.status_code == 400 and "username" in data["errors"]

    from elinara.accounts import create_user
    from elinara.errors import BadInput

    with pytest.raises(BadInput) as refused:
        create_user(store_of(app), new_email(), PASSWORD, username="a@b.pt")
    assert "username" in refused.value.errors


# -- the event loop, body sizes, throttles -----------------------------------------------------------
async def test_hashing_and_session_loads_run_off_the_event_loop(app, monkeypatch) -> None:
    """argon2 and the store are blocking: on the loop they would stall every other request."""
    import asyncio

    from elinara import accounts
    from elinara.server import security

    admin = await sign_up(app, admin=True)  # made by the test itself, on the loop
    on_loop: list[str] = []

    def watch(name, func):
        def wrapper(*args, **kwargs):
            try:
                asyncio.get_running_loop()
                on_loop.append(name)
            except RuntimeError:
                pass  # a worker thread: good
            return func(*args, **kwargs)

        monkeypatch.setattr(module_of[name], name, wrapper)

    module_of = {
        "hash_password": accounts,
        "verify_password": accounts,
        "verify_dummy": accounts,
        "valid_session": security,
    }
    for name, module in module_of.items():
        watch(name, getattr(module, name))
    api = await sign_up(app)  # register (hash), login (verify)
    await api.get("/api/v1/admin/processes")  # session load
    await app.test_client().post(
        "/api/v1/auth/login", json={"username": "ghost@x.pt", "password": "x"}
    )  # dummy verify
    made = await admin.post("/api/v1/user/dao", json={"email": new_email(), "password": PASSWORD})
    assert made.status_code == 201
    assert on_loop == []


async def test_the_user_is_read_once_per_request(app, monkeypatch) -> None:
    api = await sign_up(app)
    users = store_of(app).users
    reads: list[int] = []
    real_get = users.get

    def counted(user_id):
        reads.append(user_id)
        return real_get(user_id)

    monkeypatch.setattr(users, "get", counted)
    assert (await api.get("/api/v1/admin/user")).status_code == 200
    assert reads == [api.id]


async def test_json_bodies_are_limited_to_one_megabyte(app) -> None:
    api = await sign_up(app)
    big = b'{"name": "' + b"x" * (1024 * 1024 + 10) + b'"}'
    for method, path in (
        ("POST", "/api/v1/admin/processes"),
        ("POST", "/api/datasources"),
        ("POST", "/api/v1/auth/login"),
    ):
        response = await api.request(
            method, path, data=big, headers={"Content-Type": "application/json"}
        )
        data = await body(response)
        assert response.status_code == 413, (path, response.status_code)
        assert data["msg"]
    assert store_of(app).agents.list() == []
    # an upload keeps its own, larger cap
    import io

    from werkzeug.datastructures import FileStorage

    content = b"Empresa,NIF\n" + b"A,500000000\n" * 100_000  # 1.2 MB
    response = await api.post(
        "/api/files", files={"file": FileStorage(io.BytesIO(content), filename="big.csv")}
    )
    assert response.status_code == 201, await response.get_data(True)
    assert (await body(response))["file"]["size"] == len(content)


async def test_registrations_from_one_address_are_throttled(app) -> None:
    client = app.test_client()
    statuses = [
        (
            await client.post("/api/v1/user/register", json=registration(new_email("many")))
        ).status_code
        for _ in range(22)
    ]
    assert statuses[:20] == [201] * 20
    assert statuses[-1] == 429
    response = await client.post("/api/v1/user/register", json=registration(new_email()))
    assert response.status_code == 429 and (await body(response))["msg"]
    assert response.headers["Retry-After"]


async def test_username_and_email_share_the_failed_attempts(app) -> None:
    api = await sign_up(app)
    client = app.test_client()
    names = [api.user["email"], api.user["username"], api.user["email"].upper()]
    statuses = []
    for n in range(5):
        wrong = {"username": names[n % len(names)], "password": "Wr0ng!pass"}
        statuses.append((await client.post("/api/v1/auth/login", json=wrong)).status_code)
    assert statuses == [400] * 5
    for name in names:
        response = await client.post(
            "/api/v1/auth/login", json={"username": name, "password": PASSWORD}
        )
        assert response.status_code == 429, name


async def test_an_unknown_login_still_costs_a_password_check(app, monkeypatch) -> None:
    from elinara import accounts

    dummies: list[str] = []
    real = accounts.verify_dummy

    def counted(password: str) -> bool:
        dummies.append(password)
        return real(password)

    monkeypatch.setattr(accounts, "verify_dummy", counted)
    response = await app.test_client().post(
        "/api/v1/auth/login", json={"username": "nobody@x.pt", "password": "Guess!123"}
    )
    assert response.status_code == 400
    assert dummies == ["Guess!123"]
    assert accounts.verify_dummy("anything") is False


def test_the_throttle_forgets_what_aged_out(monkeypatch) -> None:
    from elinara.server import security

    now = [1000.0]
    monkeypatch.setattr(security.time, "monotonic", lambda: now[0])
    throttle = security.LoginThrottle(window_seconds=60)
    for n in range(50):
        throttle.failed(f"user:{n}", f"10.0.0.{n}")
    assert len(throttle) == 100
    assert throttle.retry_after("user:1", "10.0.0.1") == 0
    now[0] += 61
    assert throttle.retry_after("user:1", "10.0.0.1") == 0
    assert len(throttle) == 98  # the two keys looked at went at once
    throttle.failed("user:x", "10.9.9.9")  # and a periodic sweep drops every other one
    assert len(throttle) == 2


def test_one_csrf_comparison() -> None:
    from elinara.server.security import csrf_ok

    assert csrf_ok("abc", "abc") is True
    for sent, expected in (("", ""), (None, "abc"), ("abc", ""), ("abd", "abc"), ("ab", "abc")):
        assert csrf_ok(sent, expected) is False


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/admin/processes/9223372036854775808",
        "/api/v1/admin/processes/99999999999999999999999",
        "/api/v1/user/dao/99999999999999999999999",
        "/api/agent/status?agent_id=99999999999999999999999",
        "/api/config/update?agent_id=-99999999999999999999999",
        "/api/agent/tasks?agent_id=99999999999999999999999",
        "/api/datasources?process_id=99999999999999999999999",
    ],
)
async def test_huge_ids_are_404_not_500(app, path) -> None:
    admin = await sign_up(app, admin=True)
    for method in ("GET", "PUT", "DELETE") if "/api/v1/" in path else ("GET",):
        response = await admin.request(method, path, json={})
        assert response.status_code == 404, (method, path, response.status_code)
        assert (await body(response))["msg"]


async def test_huge_numbers_in_queries_and_bodies_are_400_or_404(app) -> None:
    api = await sign_up(app)
    huge = "99999999999999999999999"
    for path in (f"/api/agent/matches?offset={huge}", f"/api/agent/matches?limit={huge}"):
        response = await api.get(path)
        assert response.status_code == 400 and (await body(response))["errors"], path
    response = await api.post("/api/agent/control", json={"action": "start", "agent_id": int(huge)})
    assert response.status_code == 404
    for change in (
        {"execution_interval": int(huge)},
        {"max_calls": int(huge)},
        {"max_cost_usd": "nan"},
    ):
        response = await api.post("/api/config/update", json=change)
        assert response.status_code == 400 and (await body(response))["errors"], change


def test_one_loopback_check() -> None:
    """Cookies, the Microsoft authority and SMTP all ask the same question the same way."""
    from elinara.agent import notify, transports
    from elinara.cloud import microsoft
    from elinara.net import is_loopback_host
    from elinara.server import security

    assert security.is_loopback_host is is_loopback_host
    assert not hasattr(microsoft, "_is_loopback") and not hasattr(notify, "_is_loopback")
    assert not hasattr(transports, "_is_loopback")
    for host in ("localhost", "LOCALHOST.", "app.localhost:3000", "127.0.0.1:5000", "[::1]:5000"):
        assert is_loopback_host(host), host
    for host in ("example.com", "10.0.0.1", "[2001:db8::1]:80", "localhost.example.com"):
        assert not is_loopback_host(host), host
