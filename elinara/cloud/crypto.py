"""Encryption at rest for provider tokens, and for the OAuth flow cookie.

Fernet (AES-128-CBC + HMAC-SHA256, with a timestamp) under keys derived from the server's
secret key by HKDF-SHA256, one key per purpose: changing the secret key makes stored provider
tokens unreadable, and their users are asked to reconnect.
"""

from __future__ import annotations

import base64
import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

    from elinara.config import Settings

PROVIDER_TOKENS = "elinara provider tokens v1"
OAUTH_FLOW = "elinara oauth flow v1"


@functools.lru_cache(maxsize=16)
def _fernet(secret: str, purpose: str) -> Fernet:
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"elinara", info=purpose.encode()).derive(
        secret.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(settings: Settings, text: str, purpose: str = PROVIDER_TOKENS) -> str:
    return _fernet(settings.secret_key, purpose).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(
    settings: Settings, token: str, purpose: str = PROVIDER_TOKENS, ttl: int | None = None
) -> str | None:
    """The plain text, or None when the token is forged, expired (``ttl`` seconds) or was made
    under another secret key."""
    from cryptography.fernet import InvalidToken

    try:
        data = _fernet(settings.secret_key, purpose).decrypt(token.encode("ascii"), ttl=ttl)
    except (InvalidToken, ValueError, UnicodeEncodeError):
        return None
    return data.decode("utf-8")
