"""Running the app on hypercorn, bound to the main and the agent port, with a clean shutdown."""

from __future__ import annotations

import asyncio
import logging
import signal
from pathlib import Path

from hypercorn.asyncio import serve as hypercorn_serve
from hypercorn.config import Config

from elinara.config import Settings
from elinara.server.asgi import create_app


def binds(host: str, port: int, agent_port: int) -> list[str]:
    shown = f"[{host}]" if ":" in host else host
    return list(dict.fromkeys([f"{shown}:{port}", f"{shown}:{agent_port}"]))


def serve(settings: Settings, workers: int | None = None, frontend: Path | None = None) -> None:

    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = create_app(settings, workers=workers, frontend=frontend)
    config = Config()
    config.bind = binds(settings.host, settings.port, settings.agent_port)
    config.accesslog = None  # elinara logs one line per request itself
    config.errorlog = logging.getLogger("hypercorn.error")  # through our handler, once
    config.graceful_timeout = settings.shutdown_grace_seconds
    config.include_server_header = False

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        logging.getLogger("elinara.server").info("serving on %s", ", ".join(config.bind))
        await hypercorn_serve(app, config, shutdown_trigger=stop.wait)  # type: ignore[arg-type]

    asyncio.run(main())
