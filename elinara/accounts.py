"""User accounts: password policy and hashing, usernames, creation and deletion.

Used by the CLI (``elinara users``) and the server (register, admin user management) alike.
"""

from __future__ import annotations

import re
from typing import Any

from elinara.errors import BadInput, Conflict, NotFound
from elinara.models import User
from elinara.store import Duplicate, Store

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_USERNAME_CHARS = re.compile(r"[^a-z0-9._-]+")

PASSWORD_RULES = (
    (re.compile(r".{8,}"), "at least 8 characters"),
    (re.compile(r"[a-z]"), "a lower-case letter"),
    (re.compile(r"[A-Z]"), "an upper-case letter"),
    (re.compile(r"[0-9]"), "a digit"),
    (re.compile(r"[^A-Za-z0-9]"), "a symbol"),
)


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id with the library's current recommended parameters


def password_problems(password: str) -> list[str]:
    return [rule for pattern, rule in PASSWORD_RULES if not pattern.search(password)]


def check_password_policy(password: str, field: str = "password") -> None:
    missing = password_problems(password)
    if missing:
        reason = "Password needs " + ", ".join(missing) + "."
        raise BadInput(reason, errors={field: reason})


def hash_password(password: str) -> str:
    return str(_hasher().hash(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    if not password_hash:
        return False
    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def normalize_email(email: str, field: str = "email") -> str:
    value = (email or "").strip().lower()
    if not _EMAIL.match(value):
        reason = f"{email!r} is not an e-mail address."
        raise BadInput(reason, errors={field: reason})
    return value


def unique_username(store: Store, wanted: str) -> str:
    """A username derived from ``wanted`` (an e-mail's local part), made unique with a suffix."""
    base = _USERNAME_CHARS.sub("", wanted.split("@")[0].lower())[:30] or "user"
    candidate, n = base, 1
    while store.users.by_username(candidate) is not None:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def create_user(
    store: Store,
    email: str,
    password: str | None,
    *,
    username: str | None = None,
    is_administrator: bool = False,
    profile: dict[str, str] | None = None,
) -> User:
    """Create an account; ``password`` None makes one that only signs in through a provider."""
    address = normalize_email(email)
    if password is not None:
        check_password_policy(password)
    if store.users.by_email(address) is not None:
        raise Conflict(f"An account with e-mail {address} already exists.")
    if username:
        username = username.strip()
        if store.users.by_username(username) is not None:
            raise Conflict(f"The username {username} is taken.")
    name = username or unique_username(store, address)
    user = User(
        id=0,
        username=name,
        email=address,
        password_hash=hash_password(password) if password is not None else None,
        is_administrator=is_administrator,
        **(profile or {}),
    )
    try:
        return store.users.create(user)
    except Duplicate:  # a concurrent registration won the race
        raise Conflict(f"An account with e-mail {address} already exists.") from None


def get_user_by_email(store: Store, email: str) -> User:
    user = store.users.by_email(email)
    if user is None:
        raise NotFound(f"No user with e-mail {email.strip().lower()}.")
    return user
