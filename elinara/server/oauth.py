"""OAuth sign-in and "Connect Drive" (docs/cloud.md).

Google and GitHub go through authlib's ``AsyncOAuth2Client`` (authorization code + PKCE S256 +
``state``); Microsoft through msal's auth code flow (which makes its own state, PKCE and nonce).

Flow state is kept in the browser, in a short-lived cookie (``elinara_oauth_<provider>``,
HttpOnly, SameSite=Lax, Path=/, 10 minutes) whose value is Fernet-encrypted and authenticated
under a key derived from the secret key: nothing can be read or forged from it, it expires by
itself, and it binds the callback to the browser that started the flow (a stolen callback URL
is useless elsewhere). It holds the provider, ``state``, the PKCE verifier (or msal's flow),
and who was signed in when the flow started: the session cookie is SameSite=Strict, so a
browser coming back from the provider's site does not send it, and the flow remembers the
"Connect Drive" intent instead.

Link-or-login (``sign_in``): a valid session with the callback, or a live session recorded
when the flow started, links the provider identity to that user; otherwise the user already
linked to that identity signs in, or the user with the same e-mail when the address is verified
on both sides (by the provider, and on the account: a password sign-up's address never is), or
a new account (no password, username from the e-mail) is created. An unverified match fails:
the owner signs in with the password and links the provider with "Connect Drive".
"""

from __future__ import annotations

import asyncio
import json
import logging
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client

from elinara import accounts
from elinara.cloud import PROVIDER_LABELS, microsoft, tokens
from elinara.cloud.crypto import OAUTH_FLOW, decrypt, encrypt

if TYPE_CHECKING:
    from elinara.config import Settings
    from elinara.models import User
    from elinara.store import Store

log = logging.getLogger("elinara.server.oauth")

GOOGLE_SCOPES = ("openid", "email", "profile", "https://www.googleapis.com/auth/drive.readonly")
GITHUB_SCOPES = ("read:user", "user:email")
FLOW_TTL = 600
FLOW_COOKIE = "elinara_oauth_{}"
# Personal Microsoft accounts: the e-mail is the account itself.
MICROSOFT_CONSUMER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"


class OAuthFailure(Exception):
    """A sign-in that must end back at the login page with nothing set (logged, not shown)."""


@dataclass
class Identity:
    provider: str
    subject: str
    email: str | None
    email_verified: bool
    name: str = ""
    given_name: str = ""
    family_name: str = ""
    drive: bool = False
    token: dict[str, Any] = field(default_factory=dict)


# -- configuration -----------------------------------------------------------------------------
def credentials(settings: Settings, provider: str) -> tuple[str, str]:
    return (
        str(getattr(settings, f"{provider}_client_id", "") or ""),
        str(getattr(settings, f"{provider}_client_secret", "") or ""),
    )


def is_configured(settings: Settings, provider: str) -> bool:
    client_id, secret = credentials(settings, provider)
    return bool(client_id and secret)


def not_configured(provider: str) -> dict[str, str]:
    env = f"ELINARA_{provider.upper()}"
    return {
        "msg": f"{PROVIDER_LABELS[provider]} sign-in is not configured",
        "hint": f"Set {env}_CLIENT_ID and {env}_CLIENT_SECRET on the server (docs/cloud.md).",
    }


def flow_cookie(provider: str) -> str:
    return FLOW_COOKIE.format(provider)


def encode_flow(settings: Settings, flow: dict[str, Any]) -> str:
    return encrypt(settings, json.dumps(flow, separators=(",", ":")), OAUTH_FLOW)


def decode_flow(settings: Settings, raw: str | None, provider: str) -> dict[str, Any] | None:
    if not raw:
        return None
    text = decrypt(settings, raw, OAUTH_FLOW, ttl=FLOW_TTL)
    if text is None:
        return None
    try:
        flow = json.loads(text)
    except ValueError:
        return None
    if not isinstance(flow, dict) or flow.get("provider") != provider:
        return None
    return flow


# -- the two legs ------------------------------------------------------------------------------
def _authlib_client(settings: Settings, provider: str, redirect_uri: str, **extra: Any) -> Any:

    client_id, secret = credentials(settings, provider)
    scopes = GOOGLE_SCOPES if provider == "google" else GITHUB_SCOPES
    return AsyncOAuth2Client(
        client_id=client_id,
        client_secret=secret,
        scope=" ".join(scopes),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        timeout=settings.http_timeout,
        **extra,
    )


async def start(settings: Settings, provider: str, redirect_uri: str) -> tuple[str, dict[str, Any]]:
    """(the provider's consent page URL, the flow state to keep until the callback)."""
    if provider == "microsoft":
        return await asyncio.to_thread(_start_microsoft, settings, redirect_uri)

    verifier = generate_token(64)
    client = _authlib_client(settings, provider, redirect_uri)
    try:
        if provider == "google":
            url, state = client.create_authorization_url(
                settings.google_authorize_url,
                code_verifier=verifier,
                access_type="offline",
                prompt="consent",
                include_granted_scopes="true",
            )
        else:
            url, state = client.create_authorization_url(
                settings.github_authorize_url, code_verifier=verifier, allow_signup="true"
            )
    finally:
        await client.aclose()
    flow = {"provider": provider, "state": state, "verifier": verifier, "redirect": redirect_uri}
    return url, flow


def _start_microsoft(settings: Settings, redirect_uri: str) -> tuple[str, dict[str, Any]]:

    app = microsoft.application(settings)
    try:
        with warnings.catch_warnings():
            # The callback is a GET with the code in the query (docs/cloud.md), so msal's
            # advice to use response_mode=form_post does not apply.
            warnings.filterwarnings("ignore", message="response_mode='form_post'")
            msal_flow = app.initiate_auth_code_flow(
                microsoft.SCOPES, redirect_uri=redirect_uri, prompt="select_account"
            )
    finally:
        microsoft.close(app)
    url = microsoft.auth_uri(settings, msal_flow["auth_uri"])
    kept = {k: v for k, v in msal_flow.items() if k != "auth_uri"}
    flow = {
        "provider": "microsoft",
        "state": msal_flow["state"],
        "msal": kept,
        "redirect": redirect_uri,
    }
    return url, flow


async def finish(
    settings: Settings, provider: str, flow: dict[str, Any], args: dict[str, str]
) -> Identity:
    """Exchange the code (with the PKCE verifier) and learn who signed in."""
    if args.get("error"):
        raise OAuthFailure(f"the provider answered {args.get('error')}")
    if not args.get("code"):
        raise OAuthFailure("no code in the callback")
    if provider == "microsoft":
        return await asyncio.to_thread(_finish_microsoft, settings, flow, args)
    client = _authlib_client(settings, provider, flow["redirect"], state=flow["state"])
    try:
        if provider == "google":
            return await _finish_google(settings, client, flow, args["code"])
        return await _finish_github(settings, client, flow, args["code"])
    finally:
        await client.aclose()


def _scope_text(token: dict[str, Any]) -> str:
    scope = token.get("scope") or ""
    return " ".join(scope) if isinstance(scope, list) else str(scope)


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "1")


async def _finish_google(
    settings: Settings, client: Any, flow: dict[str, Any], code: str
) -> Identity:
    token = await client.fetch_token(
        settings.google_token_url, code=code, code_verifier=flow["verifier"]
    )
    response = await client.get(settings.google_userinfo_url)
    if response.status_code != 200:
        raise OAuthFailure(f"Google userinfo answered {response.status_code}")
    info = response.json()
    scope = _scope_text(token)
    return Identity(
        provider="google",
        subject=str(info.get("sub") or ""),
        email=info.get("email"),
        email_verified=_truthy(info.get("email_verified")),
        name=str(info.get("name") or ""),
        given_name=str(info.get("given_name") or ""),
        family_name=str(info.get("family_name") or ""),
        drive=(not scope) or "auth/drive" in scope,
        token=dict(token),
    )


async def _finish_github(
    settings: Settings, client: Any, flow: dict[str, Any], code: str
) -> Identity:
    token = await client.fetch_token(
        settings.github_token_url, code=code, code_verifier=flow["verifier"]
    )
    api = str(settings.github_api_url).rstrip("/")
    headers = {"Accept": "application/vnd.github+json"}
    response = await client.get(f"{api}/user", headers=headers)
    if response.status_code != 200:
        raise OAuthFailure(f"GitHub /user answered {response.status_code}")
    user = response.json()
    email, verified = None, False
    listed = await client.get(f"{api}/user/emails", headers=headers)
    if listed.status_code == 200 and isinstance(listed.json(), list):
        entries = [e for e in listed.json() if isinstance(e, dict)]
        best = next((e for e in entries if e.get("primary") and e.get("verified")), None)
        best = best or next((e for e in entries if e.get("verified")), None)
        if best:
            email, verified = best.get("email"), True
    if email is None and user.get("email"):
        email = user["email"]
    name = str(user.get("name") or user.get("login") or "")
    first, _, last = name.partition(" ")
    return Identity(
        provider="github",
        subject=str(user.get("id") or ""),
        email=email,
        email_verified=verified,
        name=name,
        given_name=first,
        family_name=last,
        drive=False,
        token=dict(token),
    )


def _finish_microsoft(settings: Settings, flow: dict[str, Any], args: dict[str, str]) -> Identity:

    app = microsoft.application(settings)
    try:
        result = app.acquire_token_by_auth_code_flow(flow["msal"], dict(args))
    except ValueError as exc:  # state mismatch, malformed response
        raise OAuthFailure(f"msal refused the callback: {exc}") from None
    finally:
        microsoft.close(app)
    if "error" in result:
        raise OAuthFailure(f"Microsoft answered {result.get('error')}")
    claims = result.get("id_token_claims") or {}
    # msal no longer validates the ID token; it came straight from the token endpoint over TLS,
    # and msal checked its nonce. Check it is for this app and current.
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if settings.microsoft_client_id not in audiences:
        raise OAuthFailure("the ID token is for another application")
    if float(claims.get("exp") or 0) < datetime.now(UTC).timestamp() - 300:
        raise OAuthFailure("the ID token has expired")
    scope = _scope_text(result)
    return Identity(
        provider="microsoft",
        subject=str(claims.get("oid") or claims.get("sub") or ""),
        email=claims.get("email") or claims.get("preferred_username"),
        email_verified=_truthy(claims.get("xms_edov"))
        or claims.get("tid") == MICROSOFT_CONSUMER_TENANT,
        name=str(claims.get("name") or ""),
        given_name=str(claims.get("given_name") or ""),
        family_name=str(claims.get("family_name") or ""),
        drive=(not scope) or "files.read" in scope.lower(),
        token={
            k: result[k]
            for k in ("access_token", "refresh_token", "expires_in", "scope")
            if k in result
        },
    )


# -- link or log in ----------------------------------------------------------------------------
def sign_in(store: Store, settings: Settings, identity: Identity, link_user_id: int | None) -> User:
    """The user this identity signs in as (linking, finding or creating), with its tokens saved."""
    provider, label = identity.provider, PROVIDER_LABELS[identity.provider]
    if not identity.subject:
        raise OAuthFailure(f"{label} did not say who signed in")
    linked = store.provider_tokens.by_subject(provider, identity.subject)
    user: User | None = None
    if link_user_id is not None:
        if linked is not None and int(linked["user_id"]) != link_user_id:
            raise OAuthFailure(f"this {label} account is already linked to another user")
        user = store.users.get(link_user_id)
        if user is None:
            raise OAuthFailure("the signed-in user no longer exists")
    elif linked is not None:
        user = store.users.get(int(linked["user_id"]))
    if user is None:
        if not identity.email:
            raise OAuthFailure(f"{label} gave no e-mail address")
        existing = store.users.by_email(identity.email)
        if existing is not None:
            if not identity.email_verified:
                raise OAuthFailure(
                    f"an account with this e-mail exists but {label} did not verify the address"
                )
            if not existing.email_verified:
                raise OAuthFailure(
                    f"account {existing.id} has this e-mail but never verified it, so a {label} "
                    f"sign-in does not take it over; its owner can sign in with the password "
                    f"and link {label} with Connect Drive"
                )
            user = existing
        else:
            user = accounts.create_user(
                store,
                identity.email,
                None,
                profile={"firstname": identity.given_name, "lastname": identity.family_name},
                email_verified=identity.email_verified,
            )
    tokens.save(
        store,
        settings,
        user.id,
        provider,
        identity.token,
        identity={
            "subject": identity.subject,
            "email": identity.email,
            "email_verified": identity.email_verified,
            "name": identity.name,
            "drive": identity.drive,
        },
    )
    return user
