"""Misconfiguration of `elinara serve` ends with one clear line, before anything listens."""

from __future__ import annotations

import importlib.util

import pytest
from cli_helpers import assert_one_line_error, elinara


@pytest.mark.skipif(importlib.util.find_spec("aio_pika") is not None, reason="aio-pika installed")
def test_socketio_queue_without_its_package() -> None:
    # The test extras install redis (the several-servers test): the AMQP queue's package is the
    # one missing here.
    result = elinara(
        "serve",
        "--port",
        "0",
        env={"ELINARA_SOCKETIO_QUEUE": "amqp://u:pw@127.0.0.1:1/"},
        timeout=30,
    )
    assert_one_line_error(result, 2, "elinara[amqp]", "amqp://u:****@127.0.0.1:1/")


def test_frontend_folder_without_index(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert_one_line_error(elinara("serve", "--frontend", str(tmp_path)), 2, "index.html")
