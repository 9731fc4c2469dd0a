"""Sessions: JWT cookies with a CSRF claim (double submit), sliding renewal, revocation, and
login throttling. docs/api.md (Conventions) is the specification."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from quart import Response, g, request

from elinara.config import Settings
from elinara.models import User
from elinara.net import is_loopback_host  # the one loopback check, used here too
from elinara.store import Store

ACCESS_COOKIE = "access_token_cookie"
CSRF_COOKIE = "csrf_access_token"
CSRF_HEADER = "X-CSRF-Token"
ALGORITHM = "HS256"


@dataclass(frozen=True)
class Session:
    user_id: int
    jti: str
    csrf: str
    is_administrator: bool
    issued_at: datetime
    expires_at: datetime
    via_bearer: bool = False


def issue_token(settings: Settings, user_id: int, is_administrator: bool) -> tuple[str, Session]:
    now = datetime.now(UTC).replace(microsecond=0)
    expires = now + timedelta(minutes=settings.token_minutes)
    session = Session(
        user_id=user_id,
        jti=uuid.uuid4().hex,
        csrf=secrets.token_urlsafe(24),
        is_administrator=is_administrator,
        issued_at=now,
        expires_at=expires,
    )
    claims = {
        "sub": str(user_id),
        "csrf": session.csrf,
        "jti": session.jti,
        "iat": int(now.timestamp()),
        "exp": int(expires.timestamp()),
        "is_administrator": is_administrator,
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM), session


def decode_token(settings: Settings, token: str, verify_exp: bool = True) -> Session | None:
    """The session a token carries, or None if it is forged, malformed or (optionally) expired."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            options={"verify_exp": verify_exp, "require": ["sub", "jti", "csrf", "exp", "iat"]},
        )
        return Session(
            user_id=int(claims["sub"]),
            jti=str(claims["jti"]),
            csrf=str(claims["csrf"]),
            is_administrator=bool(claims.get("is_administrator")),
            issued_at=datetime.fromtimestamp(int(claims["iat"]), UTC),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
        )
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        return None


def valid_session(
    settings: Settings, store: Store, token: str | None
) -> tuple[Session, User] | None:
    """A live session and its user: well signed, not expired, not revoked, and the user still
    exists. Blocking (store reads): call it off the event loop."""
    if not token:
        return None
    session = decode_token(settings, token)
    if session is None or store.revoked_tokens.is_revoked(session.jti):
        return None
    user = store.users.get(session.user_id)
    if user is None:
        return None
    return session, user


def csrf_ok(sent: str | None, expected: str | None) -> bool:
    """The double-submit check: the header is present and equals the token's claim."""
    if not sent or not expected:
        return False
    return hmac.compare_digest(sent.encode(), expected.encode())


def needs_renewal(settings: Settings, session: Session) -> bool:
    remaining = session.expires_at - datetime.now(UTC)
    return remaining < timedelta(minutes=settings.token_minutes) / 2


def cookie_secure(settings: Settings, scheme: str, host: str) -> bool:
    mode = settings.cookie_secure
    if mode in ("true", "false"):
        return mode == "true"
    return not (scheme == "http" and is_loopback_host(host))


class LoginThrottle:
    """Refuses attempts after too many recent failures for one account or one client address.

    Keys whose failures have all aged out are dropped, so memory stays bounded by the failures
    of the last window."""

    SWEEP_SECONDS = 60.0

    def __init__(
        self, per_account: int = 5, per_address: int = 20, window_seconds: float = 900.0
    ) -> None:
        self.per_account = per_account
        self.per_address = per_address
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._last_sweep = time.monotonic()

    def _recent(self, key: str, now: float) -> deque[float] | None:
        """The key's failures within the window; None (and the key dropped) when none are."""
        failures = self._failures.get(key)
        if failures is None:
            return None
        while failures and now - failures[0] > self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return None
        return failures

    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < self.SWEEP_SECONDS:
            return
        self._last_sweep = now
        for key in list(self._failures):
            self._recent(key, now)

    def retry_after(self, account: str, address: str) -> int:
        """Seconds to wait, or 0 when an attempt is allowed."""
        now = time.monotonic()
        with self._lock:
            waits = []
            for key, limit in (
                (f"a:{account}", self.per_account),
                (f"i:{address}", self.per_address),
            ):
                failures = self._recent(key, now)
                if failures is not None and len(failures) >= limit:
                    waits.append(int(self.window - (now - failures[0])) + 1)
            return max(waits, default=0)

    def failed(self, account: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._sweep(now)
            for key in (f"a:{account}", f"i:{address}"):
                failures = self._recent(key, now)
                if failures is None:
                    failures = self._failures[key] = deque()
                failures.append(now)

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._failures.pop(f"a:{account}", None)

    def __len__(self) -> int:
        """How many keys are tracked (for tests and metrics)."""
        return len(self._failures)


# -- the session cookies (every route that signs in or out sets them here) --------------------
def set_session_cookies(
    response: Response, settings: Settings, user_id: int, is_admin: bool
) -> None:
    token, session = issue_token(settings, user_id, is_admin)
    secure = cookie_secure(settings, request.scheme, request.host)
    max_age = settings.token_minutes * 60
    response.set_cookie(
        ACCESS_COOKIE,
        token,
        max_age=max_age,
        path="/",
        secure=secure,
        httponly=True,
        samesite="Strict",
    )
    response.set_cookie(
        CSRF_COOKIE,
        session.csrf,
        max_age=max_age,
        path="/",
        secure=secure,
        httponly=False,
        samesite="Strict",
    )
    g.session_replaced = True


def clear_session_cookies(response: Response, settings: Settings) -> None:
    secure = cookie_secure(settings, request.scheme, request.host)
    for name, http_only in ((ACCESS_COOKIE, True), (CSRF_COOKIE, False)):
        response.set_cookie(
            name,
            "",
            max_age=0,
            expires=0,
            path="/",
            secure=secure,
            httponly=http_only,
            samesite="Strict",
        )
    g.session_replaced = True
