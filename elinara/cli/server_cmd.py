from __future__ import annotations

from pathlib import Path

import typer

from elinara.cli.common import settings


def serve(
    host: str | None = typer.Option(None, "--host", help="Address to bind (default 127.0.0.1)."),
    port: int | None = typer.Option(None, "--port", help="Main API port (default 5000)."),
    agent_port: int | None = typer.Option(
        None, "--agent-port", help="Agent API / Socket.IO port (default 5001)."
    ),
    workers: int | None = typer.Option(
        None, "--workers", help="In-process workers (default 1; 0 = none)."
    ),
    frontend: Path | None = typer.Option(
        None, "--frontend", help="Serve this built single-page app at /."
    ),
) -> None:
    """Run the REST + Socket.IO backend of the Elinara Lab frontend."""
    from elinara.errors import BadInput
    from elinara.server.serve import serve as run_server

    if frontend is not None and not (frontend / "index.html").is_file():
        raise BadInput(
            f"--frontend {frontend} has no index.html; point it at the built app (dist/)."
        )
    cfg = settings().with_overrides(host=host, port=port, agent_port=agent_port)
    cfg.ensure_home()
    run_server(cfg, workers=workers, frontend=frontend)


def worker(
    concurrency: int = typer.Option(1, "--concurrency", help="Runs executed at the same time."),
) -> None:
    """Execute queued runs and tasks from the database (alongside or instead of `serve`)."""
    import logging
    import signal
    import threading

    from elinara.agent.events import EventBus
    from elinara.agent.runner import Worker
    from elinara.store import open_store

    cfg = settings()
    logging.basicConfig(
        level=cfg.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    open_store(cfg.database_url).close()  # migrate, and fail fast on a bad URL
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    pool = Worker(
        lambda: open_store(cfg.database_url, migrate_now=False),
        cfg,
        EventBus,
        concurrency=concurrency,
    )
    pool.start()
    logging.getLogger("elinara.worker").info("worker %s started (%d)", pool.worker_id, concurrency)
    done.wait()
    pool.stop(cfg.shutdown_grace_seconds)
