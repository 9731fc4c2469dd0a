"""Every HTTP route of the server, registered on one app."""

from __future__ import annotations

from quart import Quart


def register_routes(app: Quart) -> None:
    from elinara.server.routes import agent, main

    app.register_blueprint(main.bp)
    app.register_blueprint(agent.bp)
