"""Which user a CLI command acts for (the operator runs the CLI; the API uses the session)."""

from __future__ import annotations

from elinara import accounts
from elinara.errors import BadInput, NotFound
from elinara.models import Agent, User
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


def existing_agent(store: Store, agent_id: int) -> Agent:
    agent = store.agents.get(agent_id)
    if agent is None:
        raise NotFound(f"Agent {agent_id} does not exist; see 'elinara agent list'.")
    return agent
