"""The documentation keeps up with the code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from elinara.config import load_settings
from elinara.server.app import http_app
from elinara.store import Store

ROOT = Path(__file__).resolve().parents[1]
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}
UNDOCUMENTED = {
    "/openapi.json",
    "/docs",
    "/api/openapi.json",
    "/api/docs",
    "/static/<path:filename>",
}


def _shape(path: str) -> str:
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


def test_generated_cli_reference_and_config_table_are_current() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "elinara.cli.docs", "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr


def test_every_command_and_option_is_in_the_cli_reference() -> None:
    """Walks the Typer app itself: a command or an option missing from docs/cli.md fails here,
    whatever the generator does."""
    from elinara.cli.docs import root_command, walk

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## `([^`]+)`\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S))
    commands = walk(root_command(), ["elinara"])
    assert len(commands) >= 34  # every command the CLI has, groups included
    missing = []
    for path, command in commands:
        name = " ".join(path)
        if name not in sections:
            missing.append(name)
            continue
        for param in command.params:
            for opt in getattr(param, "opts", []) if param.param_type_name == "option" else []:
                if not re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", sections[name]):
                    missing.append(f"{name} {opt}")
    assert missing == []
    # The old name stays out of the reference (a hidden alias), the new one is in it.
    assert "elinara processes" not in sections and "elinara agent create" in sections


def test_every_route_is_documented(store: Store) -> None:
    app = http_app(load_settings(), store)
    text = "\n".join(
        (ROOT / "docs" / name).read_text(encoding="utf-8") for name in ("api.md", "cloud.md")
    )
    documented = {
        (m, _shape(p)) for m, p in re.findall(r"`(GET|POST|PUT|PATCH|DELETE) ([^`\s?]+)", text)
    }
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.rule in UNDOCUMENTED:
            continue
        for method in sorted(set(rule.methods or ()) & METHODS):
            if (method, _shape(rule.rule)) not in documented:
                missing.append(f"{method} {rule.rule}")
    assert missing == []


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("## What it does")]
    assert "./scripts/demo" in head and "./scripts/test" in head
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./scripts/test" in ci.splitlines()[-1]
