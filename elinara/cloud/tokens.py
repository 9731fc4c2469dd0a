"""Stored provider tokens: saved encrypted, read back, refreshed when expired, forgotten.

One ``provider_tokens`` document per (user, provider) holds the identity (``subject``,
``email``), whether drive access was granted (``drive``), and the tokens, each encrypted with
:mod:`elinara.cloud.crypto`: ``access_token``, ``refresh_token``, plus ``expires_at``. Tokens
never leave this module in a view, a log line or an error message.

Refresh: Google with a ``refresh_token`` grant to ``ELINARA_GOOGLE_TOKEN_URL`` (through the
retry helper), Microsoft with msal's ``acquire_token_by_refresh_token``. An ``invalid_grant``
answer raises :class:`~elinara.cloud.TokenExpired` (HTTP 401, "expired or revoked").
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx

from elinara.cloud import DRIVE_LABELS, PROVIDER_LABELS, NotConnected, TokenExpired, microsoft
from elinara.cloud.crypto import decrypt, encrypt
from elinara.cloud.transport import new_client, send
from elinara.errors import SourceError
from elinara.times import iso, parse_iso

if TYPE_CHECKING:
    from elinara.config import Settings
    from elinara.store import Store

log = logging.getLogger(__name__)
EXPIRY_MARGIN = timedelta(seconds=60)
_locks: dict[tuple[int, str], threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock(user_id: int, provider: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault((user_id, provider), threading.Lock())


def expires_at(token: dict[str, Any]) -> str | None:
    """When an OAuth token response's access token expires (ISO), if it says."""
    if token.get("expires_at"):
        try:
            return iso(datetime.fromtimestamp(float(token["expires_at"]), UTC))
        except (TypeError, ValueError, OverflowError):
            pass
    if token.get("expires_in"):
        try:
            return iso(datetime.now(UTC) + timedelta(seconds=float(token["expires_in"])))
        except (TypeError, ValueError, OverflowError):
            pass
    return None


def save(
    store: Store,
    settings: Settings,
    user_id: int,
    provider: str,
    token: dict[str, Any],
    identity: dict[str, Any] | None = None,
) -> None:
    """Store a token response (and, at sign-in, the identity fields); a response without a
    refresh token keeps the one stored before."""
    fields: dict[str, Any] = dict(identity or {})
    if token.get("access_token"):
        fields["access_token"] = encrypt(settings, str(token["access_token"]))
        fields["expires_at"] = expires_at(token)
    if token.get("refresh_token"):
        fields["refresh_token"] = encrypt(settings, str(token["refresh_token"]))
    scope = token.get("scope")
    if isinstance(scope, list):
        scope = " ".join(str(s) for s in scope)
    if scope:
        fields["scope"] = str(scope)
    store.provider_tokens.save(user_id, provider, fields)


def forget(store: Store, settings: Settings, user_id: int, provider: str) -> bool:
    """Forget the user's tokens of ``provider`` and revoke the grant at the provider where it
    can be (Google, GitHub; Microsoft has no endpoint for one application's grant). True when
    the provider confirmed. Local tokens go in any case: a provider that cannot be reached
    only leaves its grant to expire."""
    doc = store.provider_tokens.get(user_id, provider)
    store.provider_tokens.delete(user_id, provider)
    if doc is None or provider not in ("google", "github"):
        return False

    try:
        return _revoke(settings, provider, doc)
    except (httpx.HTTPError, TokenExpired) as exc:
        log.warning("revoking the %s grant failed (%s)", provider, type(exc).__name__)
        return False


def _revoke(settings: Settings, provider: str, doc: dict[str, Any]) -> bool:

    access = _secret(settings, doc, "access_token", provider)
    with httpx.Client(timeout=settings.http_timeout) as client:
        if provider == "google":
            token = _secret(settings, doc, "refresh_token", provider) or access
            if not token:
                return False
            response = client.post(settings.google_revoke_url, data={"token": token})
            done = response.status_code == 200 or "invalid_token" in response.text  # gone
        else:
            if not access:
                return False
            client_id = settings.github_client_id
            response = client.request(
                "DELETE",
                f"{settings.github_api_url.rstrip('/')}/applications/{client_id}/grant",
                auth=(client_id, settings.github_client_secret),
                json={"access_token": access},
                headers={"Accept": "application/vnd.github+json"},
            )
            done = response.status_code in (204, 404)  # 404: the grant is gone already
    if not done:
        log.warning("revoking the %s grant: answered %s", provider, response.status_code)
    return done


def _not_connected(provider: str) -> NotConnected:
    label = DRIVE_LABELS.get(provider, PROVIDER_LABELS.get(provider, provider))
    return NotConnected(
        f"{label} is not connected: connect it from your profile (Connect Drive) first."
    )


def _expired(provider: str, why: str = "invalid_grant") -> TokenExpired:
    label = PROVIDER_LABELS.get(provider, provider)
    return TokenExpired(
        f"{label} refused to renew access ({why}): the authorization is expired or revoked; "
        f"connect {DRIVE_LABELS.get(provider, label)} again."
    )


def _document(store: Store, user_id: int, provider: str) -> dict[str, Any]:
    doc = store.provider_tokens.get(user_id, provider)
    if doc is None or not (doc.get("access_token") or doc.get("refresh_token")):
        raise _not_connected(provider)
    if provider in DRIVE_LABELS and doc.get("drive") is False:
        raise NotConnected(
            f"{DRIVE_LABELS[provider]} access was not granted when you signed in with "
            f"{PROVIDER_LABELS[provider]}; connect {DRIVE_LABELS[provider]} and allow access to "
            "your files."
        )
    return doc


def _secret(settings: Settings, doc: dict[str, Any], name: str, provider: str) -> str | None:
    sealed = doc.get(name)
    if not sealed:
        return None
    plain = decrypt(settings, str(sealed))
    if plain is None:
        raise TokenExpired(
            f"The stored {PROVIDER_LABELS.get(provider, provider)} tokens cannot be read any "
            "more (the server's secret key changed), so for this server the authorization is "
            "expired or revoked; connect again."
        )
    return plain


def _fresh(doc: dict[str, Any]) -> bool:
    when = parse_iso(doc.get("expires_at"))
    return when is None or when - EXPIRY_MARGIN > datetime.now(UTC)


def access_token(
    store: Store, settings: Settings, user_id: int, provider: str, force_refresh: bool = False
) -> str:
    """A live access token for the user's provider, refreshed first when it has expired (or
    ``force_refresh``, after the provider answered 401)."""
    doc = _document(store, user_id, provider)
    token = _secret(settings, doc, "access_token", provider)
    if token and not force_refresh and _fresh(doc):
        return token
    with _lock(user_id, provider):
        again = _document(store, user_id, provider)
        if again.get("access_token") != doc.get("access_token"):  # refreshed meanwhile
            renewed = _secret(settings, again, "access_token", provider)
            if renewed and _fresh(again):
                return renewed
        refresh = _secret(settings, again, "refresh_token", provider)
        if not refresh:
            raise _expired(provider, "no refresh token")
        new = _refresh(settings, provider, refresh)
        save(store, settings, user_id, provider, new)
        return str(new["access_token"])


def _refresh(settings: Settings, provider: str, refresh_token: str) -> dict[str, Any]:
    if provider == "google":
        return _refresh_google(settings, refresh_token)
    if provider == "microsoft":
        return _refresh_microsoft(settings, refresh_token)
    raise _expired(provider, "this provider's tokens are not renewable")


def _refresh_google(settings: Settings, refresh_token: str) -> dict[str, Any]:

    if not settings.google_client_id:
        raise NotConnected("Google is not configured on this server (ELINARA_GOOGLE_CLIENT_ID).")
    with new_client(settings) as client:
        response = send(
            client,
            settings,
            "POST",
            settings.google_token_url,
            what="Google's token endpoint",
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": settings.google_client_id,
                "client_secret": settings.google_client_secret,
            },
            headers={"Accept": "application/json"},
        )
    try:
        data = response.json()
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    if response.status_code == 200 and data.get("access_token"):
        return data
    error = str(data.get("error") or "")
    if error in ("invalid_grant", "unauthorized_client", "invalid_client"):
        raise _expired("google", error)
    raise SourceError(
        f"Google's token endpoint answered {response.status_code}"
        f"{f' ({error})' if error else ''} when renewing access; try again later."
    )


def _refresh_microsoft(settings: Settings, refresh_token: str) -> dict[str, Any]:

    if not settings.microsoft_client_id:
        raise NotConnected(
            "Microsoft is not configured on this server (ELINARA_MICROSOFT_CLIENT_ID)."
        )
    app = microsoft.application(settings)
    try:
        result = app.acquire_token_by_refresh_token(refresh_token, scopes=microsoft.SCOPES)
    finally:
        microsoft.close(app)
    if result.get("access_token"):
        return dict(result)
    error = str(result.get("error") or "unknown error")
    if error in ("invalid_grant", "interaction_required", "invalid_client"):
        raise _expired("microsoft", error)
    raise SourceError(f"Microsoft refused to renew access ({error}); try again later.")
