"""The frontend's own socket library against the real server (CONTRACT.md §5): the official
`socket.io-client` (Node, tests/js, installed by scripts/test) connects anonymously, the user
signs in over HTTP, and the socket comes back by itself with the cookie: it receives the run's
events and the agent's status when the run ends, without being reconnected by hand."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from server_helpers import PASSWORD
from test_realtime import Browser, add_sources

pytestmark = pytest.mark.anyio

JS = Path(__file__).resolve().parent.parent / "js"


@pytest.fixture
def node() -> str:
    found = shutil.which("node")
    assert found, "Node.js is needed for this test (apt-get install nodejs)"
    assert (JS / "node_modules" / "socket.io-client").is_dir(), (
        f"run `npm ci` in {JS} first (scripts/test does)"
    )
    return found


async def test_the_official_client_comes_back_after_login_and_gets_the_run(
    node: str, live_server: Any
) -> None:
    from elinara.config import load_settings

    alice = await Browser(live_server.url).sign_up()
    agent = (await alice.call("POST", "/api/v1/admin/processes", json={"name": "web"})).json()
    await add_sources(alice, load_settings().home_path, agent["id"])
    proc = await asyncio.create_subprocess_exec(
        node,
        str(JS / "client.mjs"),
        live_server.url,
        alice.user["email"],
        PASSWORD,
        str(agent["id"]),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 90)
    await alice.close()
    lines = [json.loads(line) for line in out.decode().splitlines() if line.startswith("{")]
    seen = [line["ev"] for line in lines]
    assert proc.returncode == 0, (seen, lines[-3:], err.decode()[-2000:])
    # anonymous, signed in, dropped at the transport level, back by itself with the cookie
    assert seen[:3] == ["connect", "signed_in", "disconnect"], seen
    assert lines[2]["reason"] == "transport close"
    assert {"ev": "connect", "n": 2} in lines
    assert {"ev": "started", "status": 200} in lines
    assert "pipeline_update" in seen
    statuses = [line for line in lines if line["ev"] == "agent_status"]
    assert statuses[-1] == {"ev": "agent_status", "status": "completed", "agent_id": agent["id"]}
    assert "io server disconnect" not in {line.get("reason") for line in lines}
