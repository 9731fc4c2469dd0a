"""User accounts: password policy and hashing, usernames, creation and deletion.

Used by the CLI (``elinara users``) and the server (register, admin user management) alike.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from elinara.errors import BadInput, Conflict, NotFound
from elinara.models import User
from elinara.store import Duplicate, Store

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_USERNAME_CHARS = re.compile(r"[^a-z0-9._-]+")
PROFILE_FIELDS = ("firstname", "lastname", "phone", "country", "address", "postal_code")
_DUMMY_HASHES: dict[tuple[int, int, int], str] = {}

PASSWORD_RULES = (
    (re.compile(r".{8,}"), "at least 8 characters"),
    (re.compile(r"[a-z]"), "a lower-case letter"),
    (re.compile(r"[A-Z]"), "an upper-case letter"),
    (re.compile(r"[0-9]"), "a digit"),
    (re.compile(r"[^A-Za-z0-9]"), "a symbol"),
)
PASSWORD_POLICY = "A password needs " + ", ".join(rule for _, rule in PASSWORD_RULES) + "."


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


def verify_dummy(password: str) -> bool:
    """Spend what a real verification costs, for a login naming no account (or one without a
    password): the answer's timing then does not tell which accounts exist. Always False."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    dummy = _DUMMY_HASHES.get(key)
    if dummy is None:
        dummy = _DUMMY_HASHES.setdefault(key, str(hasher.hash("no account has this password")))
    with contextlib.suppress(VerificationError, InvalidHashError):
        hasher.verify(dummy, password)
    return False


def normalize_email(email: str, field: str = "email") -> str:
    value = (email or "").strip().lower()
    if not _EMAIL.match(value):
        reason = f"{email!r} is not an e-mail address."
        raise BadInput(reason, errors={field: reason})
    return value


def clean_emails(values: Any, field: str = "alert_emails") -> list[str]:
    """E-mail addresses from a list or a comma/space-separated text: checked, lower-cased, each once."""
    if isinstance(values, str):
        values = [v for v in re.split(r"[,;\s]+", values) if v]
    if not isinstance(values, list):
        raise BadInput(f"{field} must be a list of e-mail addresses.", errors={field: "a list"})
    cleaned: list[str] = []
    for value in values:
        address = normalize_email(str(value), field=field)
        if address not in cleaned:
            cleaned.append(address)
    return cleaned


def check_username(username: str, field: str = "username") -> str:
    """A chosen username, trimmed; never one with "@", which would read as an e-mail at sign-in
    (a username equal to another account's e-mail would shadow that account)."""
    name = (username or "").strip()
    if not name:
        raise BadInput("A username cannot be empty.", errors={field: "required"})
    if "@" in name:
        reason = "A username cannot contain @."
        raise BadInput(reason, errors={field: reason})
    return name


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
    email_verified: bool = False,
) -> User:
    """Create an account; ``password`` None makes one that only signs in through a provider.
    ``email_verified`` only when a provider confirmed the address (blocking: hashes)."""
    address = normalize_email(email)
    if password is not None:
        check_password_policy(password)
    username = check_username(username) if username and username.strip() else None
    if store.users.by_email(address) is not None:
        raise Conflict(f"An account with e-mail {address} already exists.")
    if username and store.users.by_username(username) is not None:
        raise Conflict(f"The username {username} is taken.")
    name = username or unique_username(store, address)
    user = User(
        id=0,
        username=name,
        email=address,
        password_hash=hash_password(password) if password is not None else None,
        is_administrator=is_administrator,
        email_verified=email_verified,
        **(profile or {}),
    )
    try:
        return store.users.create(user)
    except Duplicate:  # a concurrent registration won the race
        raise Conflict(f"An account with e-mail {address} already exists.") from None


def update_user(store: Store, actor: User, user: User, changes: dict[str, Any]) -> User:
    """Apply an edit of ``user`` by ``actor`` (the user themself or an administrator).

    Applied: the profile fields, a unique e-mail (unconfirmed again once changed), a unique
    username without "@", and ``is_administrator`` when the actor is an administrator. A None
    value means unchanged; other keys are ignored."""
    fields: dict[str, Any] = {}
    for name in PROFILE_FIELDS:
        value = changes.get(name)
        if value is not None:
            fields[name] = str(value).strip()
    email = changes.get("email")
    if email is not None and str(email).strip().lower() != user.email:
        address = normalize_email(str(email))
        if store.users.by_email(address) is not None:
            raise BadInput(f"{address} is used by another account.", errors={"email": "taken"})
        fields["email"] = address
        fields["email_verified"] = False
    username = changes.get("username")
    if username is not None and str(username).strip() != user.username:
        name = check_username(str(username))
        if store.users.by_username(name) is not None:
            raise BadInput(f"The username {name} is taken.", errors={"username": "taken"})
        fields["username"] = name
    if changes.get("is_administrator") is not None and actor.is_administrator:
        fields["is_administrator"] = bool(changes["is_administrator"])
    if not fields:
        return user
    updated = store.users.update(user.id, fields)
    if updated is None:
        raise NotFound(f"User {user.id} not found.")
    return updated


def get_user_by_email(store: Store, email: str) -> User:
    user = store.users.by_email(email)
    if user is None:
        raise NotFound(f"No user with e-mail {email.strip().lower()}.")
    return user


def set_connection_emails(store: Store, user: User, emails: Any) -> list[str]:
    """Replace the user's connection e-mails (checked, each once); returns the list."""
    cleaned = clean_emails(emails, field="connection_emails")
    store.users.update(user.id, {"connection_emails": cleaned})
    return cleaned
