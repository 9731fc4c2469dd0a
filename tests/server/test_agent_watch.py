"""`elinara agent watch` follows, live, a run started through the API and executed by
`elinara worker`: in a terminal (a pseudo-terminal here) with the live view, and as plain log
lines when its output is a pipe."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from server_helpers import (
    body,
    build_app,
    copy_sample_calls,
    leads_csv,
    sign_up,
    wait_until,
)

from elinara.config import load_settings
from elinara.store import open_store

pytestmark = pytest.mark.anyio
COMPANIES = 1500  # a run of about a second: long enough to be watched while it goes


class Terminal:
    """A command on a pseudo-terminal; everything it writes is collected."""

    def __init__(self, *args: str) -> None:
        master, slave = pty.openpty()
        env = {**os.environ, "COLUMNS": "120", "LINES": "40", "TERM": "xterm"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "elinara", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.chunks: list[bytes] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # the command ended and closed the terminal
                return
            if not chunk:
                return
            self.chunks.append(chunk)

    @property
    def text(self) -> str:
        return b"".join(self.chunks).decode("utf-8", "replace")

    def wait(self, timeout: float) -> int:
        code = self.proc.wait(timeout)
        self.reader.join(5)
        os.close(self.master)
        return code


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[Any]]]:
    started: list[subprocess.Popen[Any]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


async def test_watch_follows_a_run_the_api_started_and_a_worker_executes(
    processes: list[subprocess.Popen[Any]],
) -> None:
    settings = load_settings()
    store = open_store(settings.database_url)  # the data folder the commands below use too
    app = build_app(store)
    # An administrator: the shared files folder is for operators (elinara/agent/uploads.py).
    api = await sign_up(app, admin=True)
    agent = await body(await api.post("/api/v1/admin/processes", json={"name": "watched"}))
    copy_sample_calls(settings.files_path)
    (settings.files_path / "leads.csv").write_text(leads_csv(COMPANIES), encoding="utf-8")
    sources = [
        {"platform": "local_file", "resource_identifier": "leads.csv", "process_id": agent["id"]},
        {
            "platform": "local_file",
            "resource_identifier": "p2030_avisos.json",
            "process_id": agent["id"],
        },
    ]
    assert (await api.post("/api/datasources", json=sources)).status_code == 201
    started = await api.post(
        "/api/agent/control", json={"action": "start", "agent_id": agent["id"]}
    )
    assert (await body(started))["msg"] == "Run queued."
    (run,) = store.runs.list(agent_ids=[agent["id"]])

    # two watchers wait for the queued run: one in a terminal, one writing to a pipe
    terminal = Terminal("agent", "watch", str(agent["id"]))
    piped = subprocess.Popen(
        [sys.executable, "-m", "elinara", "agent", "watch", run.id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    processes.extend([terminal.proc, piped])
    wait_until(lambda: "waiting for a worker" in terminal.text, 30, "the watcher to start")
    assert store.runs.get(run.id).status == "queued"  # nobody executes it yet

    worker = subprocess.Popen(
        [sys.executable, "-m", "elinara", "worker"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    processes.append(worker)

    assert terminal.wait(90) == 0, terminal.text
    out, err = piped.communicate(timeout=30)
    assert piped.returncode == 0, (out, err)

    done = store.runs.get(run.id)
    assert done.status == "completed" and str(done.worker_id).startswith("worker-")
    assert done.counts["leads"] == COMPANIES
    screen = terminal.text
    assert "\x1b[" in screen  # drawn by the live view, not printed as log lines
    for title in ("Establish Connection", "Loading Data", "Cross Data", "Save Results"):
        assert title in screen
    assert "100%" in screen and f"companies {COMPANIES}" in screen
    assert "[Cross Data]" not in screen

    lines = out.splitlines()  # the plain-log fallback: one line per stage change, in order

    def first(prefix: str) -> int:
        return next(i for i, line in enumerate(lines) if line.startswith(prefix))

    assert first("[Loading Data] completed") < first("[Cross Data] completed") < first("completed:")
    assert "\x1b[" not in out
    assert f"completed: {done.message}" in out and f"companies {COMPANIES}" in out
    assert "waiting for a worker" in err

    # a run that has ended is shown from its stored events, at once
    replay = subprocess.run(
        [sys.executable, "-m", "elinara", "agent", "watch", run.id, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert replay.returncode == 0, replay.stderr
    assert "[Cross Data] completed" in replay.stderr
    assert json.loads(replay.stdout)["status"] == "completed"
    store.close()
