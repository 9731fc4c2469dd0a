"""Start a MongoDB wire-protocol test server (mongoeco, in memory) and print its address.

Run by a Python 3.13 interpreter that has ``mongoeco`` and ``pymongo`` installed (see
``scripts/setup-mongo-venv``)::

    .venv-mongo/bin/python tests/mongo_server.py

Prints ``127.0.0.1:PORT`` on one line, then serves until stdin closes or SIGTERM/SIGINT.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading


async def serve() -> None:
    from mongoeco.engines.memory import MemoryEngine
    from mongoeco.wire import AsyncMongoEcoProxyServer

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    fd = sys.stdin.fileno()

    def watch_stdin() -> None:
        # Our parent holds the other end: when it goes away (or closes it), stop.
        # os.read, not sys.stdin: a daemon thread blocked inside a buffered reader would hold
        # its lock and abort the interpreter at shutdown (after SIGTERM).
        try:
            while os.read(fd, 4096):
                pass
        except OSError:
            pass
        with contextlib.suppress(RuntimeError):  # the loop may already be closed
            loop.call_soon_threadsafe(stop.set)

    server = AsyncMongoEcoProxyServer(engine=MemoryEngine(), host="127.0.0.1", port=0)
    address = await server.start()
    try:
        print(f"{address.host}:{address.port}", flush=True)
        threading.Thread(target=watch_stdin, name="stdin-watch", daemon=True).start()
        await stop.wait()
    finally:
        await server.close()


def main() -> int:
    try:
        import bson  # noqa: F401  (mongoeco's wire bridge needs pymongo's bson)
    except ImportError:
        print("mongo_server: pymongo is not installed in this interpreter", file=sys.stderr)
        return 2
    asyncio.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
