"""Misconfiguration of `elinara serve` ends with one clear line, before anything listens."""

from __future__ import annotations

import importlib.util

import pytest
from cli_helpers import assert_one_line_error, elinara


@pytest.mark.skipif(importlib.util.find_spec("redis") is not None, reason="redis is installed")
def test_socketio_queue_without_its_package() -> None:
    result = elinara(
        "serve",
        "--port",
        "0",
        env={"ELINARA_SOCKETIO_QUEUE": "redis://u:pw@127.0.0.1:1/0"},
        timeout=30,
    )
    assert_one_line_error(result, 2, "elinara[redis]", "redis://u:****@127.0.0.1:1/0")


def test_frontend_folder_without_index(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert_one_line_error(elinara("serve", "--frontend", str(tmp_path)), 2, "index.html")
