"""Every HTTP route of the server, registered on one app."""

from __future__ import annotations

from quart import Quart

from elinara.server.routes import agent, cloud, main


def register_routes(app: Quart) -> None:

    app.register_blueprint(main.bp)
    app.register_blueprint(agent.bp)
    app.register_blueprint(cloud.bp)
    app.register_blueprint(cloud.api_auth)
    app.register_blueprint(cloud.bare_auth)
