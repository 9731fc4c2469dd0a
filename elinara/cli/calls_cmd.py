from __future__ import annotations

import typer

from elinara.agent.notices.view import notice_view, stored_notice
from elinara.cli.common import console, print_json, store

app = typer.Typer(help="Funding calls: what their notices say.", no_args_is_help=True)


@app.command()
def show(
    code: str = typer.Argument(..., help="The call's code (codigoAviso)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    text: bool = typer.Option(False, "--text", help="Also print the notice's text."),
) -> None:
    """A call's stored notice: whether it was read, and who may apply, clause by clause."""
    notice = stored_notice(store(), code)
    view = notice_view(notice)
    if as_json:
        print_json({**view, "text": notice.text} if text else view)
        return
    out = console()
    out.print(f"[bold]{notice.id}[/bold] {notice.title}".rstrip(), markup=True)
    where = notice.document.get("file") or notice.document.get("path") or "-"
    out.print(f"notice: {view['state']} ({notice.origin or 'no source'}: {where})", markup=False)
    if notice.reason:
        out.print(f"reason: {notice.reason}", markup=False)
    out.print(
        f"updated {notice.source_updated_at or '-'}; fetched {notice.fetched_at or '-'}; "
        f"{notice.size} bytes; parser {notice.parser_version or '-'}",
        markup=False,
    )
    for row in view["criteria_rows"] or []:
        values = (
            "not stated (no restriction)" if row["values"] is None else ", ".join(row["values"])
        )
        if row["unread"]:
            values += " (unclear in the notice)"
        out.print(f"- {row['label']}: {values}", markup=False)
        if row["clause"]:
            out.print(f"    {row['clause']}", markup=False)
    if text:
        out.print("", notice.text, sep="\n", markup=False)
