"""Generated documentation: the CLI reference (docs/cli.md) and the README's configuration table.

`python -m elinara.cli.docs` rewrites both; a test fails when they drift from the code.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

os.environ["TYPER_USE_RICH"] = "0"  # plain, stable help text (set before typer is imported)
os.environ["COLUMNS"] = "100"

from typing import Any

import typer

from elinara.cli.app import app
from elinara.config import FIELDS

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CLI_DOC = ROOT / "docs" / "cli.md"
BEGIN, END = "<!-- config-table:begin -->", "<!-- config-table:end -->"


def walk(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    """Every command under ``command`` (itself first), hidden ones (old aliases) left out.

    Duck-typed: a group is whatever has ``commands`` (Typer ships its own copy of click, whose
    classes are not ``click.Group``)."""
    found = [(path, command)]
    for name in sorted(getattr(command, "commands", {})):
        sub = command.commands[name]
        if not getattr(sub, "hidden", False):
            found.extend(walk(sub, [*path, name]))
    return found


def root_command() -> Any:
    return typer.main.get_command(app)


def cli_markdown() -> str:
    lines = [
        "# Command-line reference",
        "",
        "Generated from the code by `python -m elinara.cli.docs`; do not edit by hand.",
        "",
    ]
    for path, command in walk(root_command(), ["elinara"]):
        ctx = command.context_class(command, info_name=" ".join(path), terminal_width=100)
        lines += [
            f"## `{' '.join(path)}`",
            "",
            "```text",
            command.get_help(ctx).rstrip(),
            "```",
            "",
        ]
    text = "\n".join(lines)
    return re.sub(r"[ \t]+\n", "\n", text).rstrip() + "\n"


def config_table() -> str:
    rows = ["| key | environment variable | default | meaning |", "|---|---|---|---|"]
    for field in FIELDS:
        default = field.default
        if isinstance(default, list):
            default = ",".join(default)
        shown = "(derived)" if default is None else f"`{default}`" if default != "" else "(empty)"
        rows.append(f"| `{field.name}` | `{field.env}` | {shown} | {field.doc} |")
    return "\n".join(rows)


def readme_with_table(readme: str) -> str:
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:start] + "\n" + config_table() + "\n" + readme[end:]


def main() -> None:
    if "--check" in sys.argv:
        stale = [
            str(p.relative_to(ROOT))
            for p, text in (
                (CLI_DOC, cli_markdown()),
                (README, readme_with_table(README.read_text(encoding="utf-8"))),
            )
            if not p.is_file() or p.read_text(encoding="utf-8") != text
        ]
        if stale:
            sys.stderr.write(f"out of date: {', '.join(stale)}; run python -m elinara.cli.docs\n")
            sys.exit(1)
        return
    CLI_DOC.parent.mkdir(exist_ok=True)
    CLI_DOC.write_text(cli_markdown(), encoding="utf-8")
    README.write_text(readme_with_table(README.read_text(encoding="utf-8")), encoding="utf-8")
    sys.stdout.write(f"wrote {CLI_DOC.relative_to(ROOT)} and the table in README.md\n")


if __name__ == "__main__":
    main()
