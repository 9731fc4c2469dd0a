"""Which user a CLI command acts for (the operator runs the CLI; the API uses the session)."""

from __future__ import annotations

from elinara import accounts
from elinara.errors import BadInput, NotFound
from elinara.models import Process, User
from elinara.store import Store


def resolve_user(store: Store, email: str | None) -> User:
    if email:
        return accounts.get_user_by_email(store, email)
    users = store.users.list()
    if not users:
        raise BadInput("No users yet: create one first with 'elinara users create EMAIL'.")
    admins = [u for u in users if u.is_administrator]
    if len(users) == 1:
        return users[0]
    if admins:
        return admins[0]
    raise BadInput("Several users exist: say which with --user EMAIL.")


def existing_process(store: Store, process_id: int) -> Process:
    process = store.processes.get(process_id)
    if process is None:
        raise NotFound(f"Agent {process_id} does not exist; see 'elinara processes list'.")
    return process
