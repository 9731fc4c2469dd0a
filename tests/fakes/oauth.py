"""A fake OAuth provider for Google, GitHub and Microsoft: a real HTTP server on 127.0.0.1.

    from fakes.oauth import Account, FakeOAuth

    with FakeOAuth() as idp:
        monkeypatch.setenv(...) for each of idp.env().items()
        location = idp.consent(authorize_url)   # "the user clicks Allow": the callback URL

Endpoints (``<p>`` = ``google`` | ``github``; Microsoft under ``/ms/<tenant>``):

- ``GET /<p>/authorize``: records a grant for ``idp.account`` (client id, redirect URI, scope,
  PKCE challenge, nonce) and 302s to ``redirect_uri?code=...&state=...``.
- ``POST /<p>/token``: ``authorization_code`` (checks the client's credentials, in a Basic
  header or the body, the redirect URI, one use of the code, and PKCE S256) and
  ``refresh_token`` (``invalid_grant`` once ``idp.revoke()`` was called).
- ``GET /google/userinfo``; ``GET /github/api/user`` and ``/github/api/user/emails``.
- ``GET /ms/<tenant>/v2.0/.well-known/openid-configuration``: the metadata msal fetches; its
  endpoints are ``https://127.0.0.1:<port>/...`` because msal insists on https (elinara sends
  what msal asks of that loopback origin over plain http, see ``elinara/cloud/microsoft.py``).
- ``POST /ms/<tenant>/oauth2/v2.0/token``: as above, plus an ``id_token`` (unsigned; msal only
  decodes it) carrying the authorize request's ``nonce`` and ``client_info``.

Access tokens are random strings; ``valid_access_token(token)`` lets the fake drives accept
exactly the tokens this provider issued (and not revoked or expired with ``expire_access()``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fakes.base import FakeService, Reply, Request, json_reply, redirect

CLIENT_ID = "elinara-test-client"
CLIENT_SECRET = "elinara-test-secret"
TENANT = "common"
TENANT_ID = "72f988bf-0000-4000-8000-000000000001"


@dataclass
class Account:
    """The person who "consents" at the provider."""

    subject: str = "10001"
    email: str = "ana.silva@example.pt"
    verified: bool = True
    name: str = "Ana Silva"
    login: str = "anasilva"


@dataclass
class _Grant:
    provider: str
    client_id: str
    redirect_uri: str
    scope: str
    challenge: str | None
    method: str | None
    nonce: str | None
    account: Account
    used: bool = False


@dataclass
class _Issued:
    provider: str
    account: Account
    scope: str
    expires: float


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def s256(verifier: str) -> str:
    return _b64(hashlib.sha256(verifier.encode("ascii")).digest())


class FakeOAuth(FakeService):
    def __init__(
        self,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
        expires_in: int = 3600,
    ) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.expires_in = expires_in
        self.account = Account()
        self.granted_scope: dict[str, str] = {}  # provider -> scope to grant instead of asked
        self.grants: dict[str, _Grant] = {}
        self.access: dict[str, _Issued] = {}
        self.refresh: dict[str, _Issued] = {}
        self.revoked = False
        self.token_requests: list[dict[str, str]] = []
        self.revocations: list[tuple[str, str]] = []  # (provider, token) revoked by elinara
        self.revoke_status: int | None = None  # answer every revocation with this instead

    # -- for tests ---------------------------------------------------------------------------
    def env(self, providers: tuple[str, ...] = ("google", "github", "microsoft")) -> dict[str, str]:
        """The ELINARA_* variables that point elinara at this fake."""
        env: dict[str, str] = {}
        if "google" in providers:
            env.update(
                ELINARA_GOOGLE_CLIENT_ID=self.client_id,
                ELINARA_GOOGLE_CLIENT_SECRET=self.client_secret,
                ELINARA_GOOGLE_AUTHORIZE_URL=f"{self.url}/google/authorize",
                ELINARA_GOOGLE_TOKEN_URL=f"{self.url}/google/token",
                ELINARA_GOOGLE_USERINFO_URL=f"{self.url}/google/userinfo",
                ELINARA_GOOGLE_REVOKE_URL=f"{self.url}/google/revoke",
            )
        if "github" in providers:
            env.update(
                ELINARA_GITHUB_CLIENT_ID=self.client_id,
                ELINARA_GITHUB_CLIENT_SECRET=self.client_secret,
                ELINARA_GITHUB_AUTHORIZE_URL=f"{self.url}/github/authorize",
                ELINARA_GITHUB_TOKEN_URL=f"{self.url}/github/token",
                ELINARA_GITHUB_API_URL=f"{self.url}/github/api",
            )
        if "microsoft" in providers:
            env.update(
                ELINARA_MICROSOFT_CLIENT_ID=self.client_id,
                ELINARA_MICROSOFT_CLIENT_SECRET=self.client_secret,
                ELINARA_MICROSOFT_TENANT=TENANT,
                ELINARA_MICROSOFT_AUTHORITY=f"{self.url}/ms",
            )
        return env

    def consent(self, authorize_url: str, account: Account | None = None) -> str:
        """Open the consent page as the browser would; the redirect back (the callback URL)."""
        import httpx

        if account is not None:
            self.account = account
        url = authorize_url.replace(f"https://{self.netloc}", self.url)
        response = httpx.get(url, follow_redirects=False, timeout=10)
        assert response.status_code == 302, (response.status_code, response.text)
        return response.headers["Location"]

    def issue(
        self, provider: str, account: Account | None = None, scope: str = ""
    ) -> tuple[str, str]:
        """(access token, refresh token) issued directly, as if after a sign-in."""
        issued = _Issued(provider, account or self.account, scope, time.time() + self.expires_in)
        access, refresh = f"at-{secrets.token_hex(8)}", f"rt-{secrets.token_hex(8)}"
        with self.lock:
            self.access[access] = issued
            self.refresh[refresh] = issued
        return access, refresh

    def valid_access_token(self, token: str | None) -> bool:
        with self.lock:
            issued = self.access.get(token or "")
            return issued is not None and issued.expires > time.time()

    def expire_access(self) -> None:
        with self.lock:
            for issued in self.access.values():
                issued.expires = 0

    def revoke(self) -> None:
        """Revoke every grant: refreshes answer invalid_grant, access tokens stop working."""
        with self.lock:
            self.revoked = True
            self.access.clear()

    # -- the server --------------------------------------------------------------------------
    def handle(self, request: Request) -> Reply:
        parts = [p for p in request.path.split("/") if p]
        if not parts:
            return json_reply({"error": "not_found"}, 404)
        if parts[0] == "ms":
            return self._microsoft(request, parts[1:])
        provider, rest = parts[0], "/".join(parts[1:])
        if provider not in ("google", "github"):
            return json_reply({"error": "not_found"}, 404)
        if rest == "authorize" and request.method == "GET":
            return self._authorize(provider, request)
        if rest == "token" and request.method == "POST":
            return self._token(provider, request)
        if provider == "google" and rest == "revoke" and request.method == "POST":
            return self._revoke_grant("google", request.form.get("token", ""))
        if provider == "github" and rest == f"api/applications/{self.client_id}/grant":
            pair = f"{self.client_id}:{self.client_secret}".encode()
            expected = "Basic " + base64.b64encode(pair).decode("ascii")
            if request.method != "DELETE" or request.headers.get("authorization") != expected:
                return json_reply({"message": "Requires authentication"}, 401)
            token = json.loads(request.body or b"{}").get("access_token", "")
            return self._revoke_grant("github", token)
        if provider == "google" and rest == "userinfo":
            return self._userinfo(request)
        if provider == "github" and rest in ("api/user", "api/user/emails"):
            return self._github(request, rest)
        return json_reply({"error": "not_found"}, 404)

    def _revoke_grant(self, provider: str, token: str) -> Reply:
        """Google's /revoke and GitHub's DELETE /applications/{id}/grant: the grant behind a
        token ends, its access and refresh tokens with it."""
        if self.revoke_status is not None:
            return json_reply({"error": "server_error"}, self.revoke_status)
        with self.lock:
            issued = self.refresh.get(token) or self.access.get(token)
            if issued is None or issued.provider != provider:
                return json_reply({"error": "invalid_token"}, 400 if provider == "google" else 404)
            for tokens in (self.access, self.refresh):
                for key in [k for k, v in tokens.items() if v is issued]:
                    del tokens[key]
            self.revocations.append((provider, token))
        return Reply(200 if provider == "google" else 204)

    def _authorize(self, provider: str, request: Request) -> Reply:
        q = request.query
        if q.get("client_id") != self.client_id or q.get("response_type") != "code":
            return json_reply({"error": "invalid_request"}, 400)
        redirect_uri = q.get("redirect_uri") or ""
        if not redirect_uri.startswith("http"):
            return json_reply({"error": "redirect_uri_mismatch"}, 400)
        code = f"code-{secrets.token_hex(8)}"
        with self.lock:
            self.grants[code] = _Grant(
                provider=provider,
                client_id=q["client_id"],
                redirect_uri=redirect_uri,
                scope=self.granted_scope.get(provider, q.get("scope", "")),
                challenge=q.get("code_challenge"),
                method=q.get("code_challenge_method"),
                nonce=q.get("nonce"),
                account=replace(self.account),
            )
        sep = "&" if "?" in redirect_uri else "?"
        return redirect(
            f"{redirect_uri}{sep}{urlencode({'code': code, 'state': q.get('state', '')})}"
        )

    def _client_ok(self, request: Request, form: dict[str, str]) -> bool:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("basic "):
            raw = base64.b64decode(header[6:]).decode()
            client_id, _, secret = raw.partition(":")
            from urllib.parse import unquote_plus

            return (
                unquote_plus(client_id) == self.client_id
                and unquote_plus(secret) == self.client_secret
            )
        return (
            form.get("client_id") == self.client_id
            and form.get("client_secret") == self.client_secret
        )

    def _token(self, provider: str, request: Request) -> Reply:
        form = request.form
        with self.lock:
            self.token_requests.append({k: v for k, v in form.items() if k != "client_secret"})
        if not self._client_ok(request, form):
            return json_reply({"error": "invalid_client"}, 401)
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            return self._exchange(provider, request, form)
        if grant_type == "refresh_token":
            return self._refresh(provider, form)
        return json_reply({"error": "unsupported_grant_type"}, 400)

    def _exchange(self, provider: str, request: Request, form: dict[str, str]) -> Reply:
        with self.lock:
            grant = self.grants.get(form.get("code", ""))
            if grant is None or grant.used or grant.provider != provider:
                return json_reply({"error": "invalid_grant", "error_description": "bad code"}, 400)
            grant.used = True
        if form.get("redirect_uri") != grant.redirect_uri:
            return json_reply({"error": "redirect_uri_mismatch"}, 400)
        if grant.challenge:
            verifier = form.get("code_verifier") or ""
            if grant.method != "S256" or s256(verifier) != grant.challenge:
                return json_reply({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        access, refresh = self.issue(provider, grant.account, grant.scope)
        body: dict[str, Any] = {
            "access_token": access,
            "token_type": "Bearer",
            "scope": grant.scope,
        }
        if provider == "github":
            body["scope"] = grant.scope.replace(" ", ",")
            body["token_type"] = "bearer"
            with self.lock:
                self.refresh.pop(refresh, None)
        else:
            body["expires_in"] = self.expires_in
            body["refresh_token"] = refresh
        if provider == "microsoft":
            body["id_token"] = self._id_token(grant)
            body["client_info"] = _b64(
                json.dumps({"uid": grant.account.subject, "utid": TENANT_ID}).encode()
            )
        accept = request.headers.get("accept", "")
        if provider == "github" and "json" not in accept:
            return Reply(200, urlencode(body).encode(), "application/x-www-form-urlencoded")
        return json_reply(body)

    def _refresh(self, provider: str, form: dict[str, str]) -> Reply:
        with self.lock:
            issued = self.refresh.get(form.get("refresh_token", ""))
            if self.revoked or issued is None or issued.provider != provider:
                return json_reply(
                    {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    },
                    400,
                )
        access, _ = self.issue(provider, issued.account, issued.scope)
        body = {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "scope": issued.scope,
        }
        return json_reply(body)

    def _account_for(self, request: Request, provider: str) -> Account | None:
        with self.lock:
            issued = self.access.get(request.bearer or "")
            if issued is None or issued.provider != provider or issued.expires < time.time():
                return None
            return issued.account

    def _userinfo(self, request: Request) -> Reply:
        account = self._account_for(request, "google")
        if account is None:
            return json_reply({"error": "invalid_token"}, 401)
        first, _, last = account.name.partition(" ")
        return json_reply(
            {
                "sub": account.subject,
                "email": account.email,
                "email_verified": account.verified,
                "name": account.name,
                "given_name": first,
                "family_name": last,
            }
        )

    def _github(self, request: Request, rest: str) -> Reply:
        account = self._account_for(request, "github")
        if account is None:
            return json_reply({"message": "Bad credentials"}, 401)
        if rest == "api/user":
            return json_reply(
                {
                    "id": int(account.subject),
                    "login": account.login,
                    "name": account.name,
                    "email": None,
                }
            )
        return json_reply(
            [
                {
                    "email": f"{account.login}@users.noreply.github.com",
                    "primary": False,
                    "verified": True,
                },
                {"email": account.email, "primary": True, "verified": account.verified},
            ]
        )

    # -- Microsoft ---------------------------------------------------------------------------
    def _microsoft(self, request: Request, parts: list[str]) -> Reply:
        if len(parts) < 2:
            return json_reply({"error": "not_found"}, 404)
        tenant, rest = parts[0], "/".join(parts[1:])
        base = f"https://{self.netloc}/ms/{tenant}"
        if rest == "v2.0/.well-known/openid-configuration":
            return json_reply(
                {
                    "issuer": f"https://{self.netloc}/ms/{TENANT_ID}/v2.0",
                    "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                    "token_endpoint": f"{base}/oauth2/v2.0/token",
                    "userinfo_endpoint": f"{base}/oidc/userinfo",
                    "response_types_supported": ["code"],
                }
            )
        if rest == "oauth2/v2.0/authorize" and request.method == "GET":
            return self._authorize("microsoft", request)
        if rest == "oauth2/v2.0/token" and request.method == "POST":
            return self._token("microsoft", request)
        return json_reply({"error": "not_found"}, 404)

    def _id_token(self, grant: _Grant) -> str:
        now = int(time.time())
        claims = {
            "aud": grant.client_id,
            "iss": f"https://{self.netloc}/ms/{TENANT_ID}/v2.0",
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "sub": f"pairwise-{grant.account.subject}",
            "oid": grant.account.subject,
            "tid": TENANT_ID,
            "name": grant.account.name,
            "preferred_username": grant.account.email,
            "email": grant.account.email,
            "xms_edov": grant.account.verified,
            "nonce": grant.nonce,
        }
        header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        return f"{header}.{_b64(json.dumps(claims).encode())}.fake-signature"


def callback_path(location: str) -> str:
    """The path and query of a callback URL (what the app's test client is given)."""
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


__all__ = ["Account", "FakeOAuth", "callback_path", "query_of", "s256"]
