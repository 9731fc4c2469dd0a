"""What the web page does on agents, data sources, uploads and connection e-mails, done from
the terminal (docs/cli-vs-api.md), on the same store the server reads."""

from __future__ import annotations

import re
from pathlib import Path

from cli_helpers import Result, assert_one_line_error, elinara

from elinara.config import load_settings
from elinara.store import open_store

LEADS = "Empresa;NIF;CAE;Distrito;Dimensão\nMetal Norte Lda;503306665;25110;Porto;Pequena\n"


def ok(*args: str) -> Result:
    result = elinara(*args)
    assert result.code == 0, (args, result.out, result.err)
    return result


def _user_and_agent() -> int:
    ok("users", "create", "ana@example.pt", "--password", "Str0ng!pass")
    return int(re.search(r"agent (\d+)", ok("agent", "create", "Norte").out)[1])  # type: ignore[index]


def test_uploads_and_tasks(tmp_path: Path) -> None:
    agent = _user_and_agent()
    sheet = tmp_path / "Leads de Março?.csv"
    sheet.write_text(LEADS, encoding="utf-8")
    first = ok("files", "upload", str(sheet)).out
    second = ok("files", "upload", str(sheet), "--user", "ana@example.pt").out
    assert "uploaded Leads de Mar_o_.csv" in first and "Leads de Mar_o_-2.csv" in second
    listed = ok("files", "list", "--json").json()
    assert sorted(f["name"] for f in listed) == ["Leads de Mar_o_-2.csv", "Leads de Mar_o_.csv"]
    assert all(f["size"] == len(LEADS.encode()) for f in listed)

    queued = ok("agent", "task", "Leads de Mar_o_.csv", "--agent", str(agent), "--phone", "+351")
    task_id = re.search(r"task (\S+) queued", queued.out)[1]  # type: ignore[index]
    tasks = ok("agent", "runs", str(agent), "--kind", "task", "--json").json()
    assert [(t["id"], t["status"]) for t in tasks] == [(task_id, "queued")]

    assert ok("files", "delete", "Leads de Mar_o_-2.csv").out.strip() == (
        "deleted Leads de Mar_o_-2.csv"
    )
    assert [f["name"] for f in ok("files", "list", "--json").json()] == ["Leads de Mar_o_.csv"]

    text = tmp_path / "notes.txt"
    text.write_text("x", encoding="utf-8")
    assert_one_line_error(elinara("files", "upload", str(text)), 2, "only .xlsx")
    assert_one_line_error(elinara("files", "delete", "nope.csv"), 2, "no uploaded file")
    assert_one_line_error(elinara("agent", "task", "nope.csv"), 2, "elinara files upload")


def test_upload_limit(tmp_path: Path) -> None:
    _user_and_agent()
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    result = elinara("files", "upload", str(big), env={"ELINARA_UPLOAD_MAX_MB": "1"})
    assert_one_line_error(result, 2, "over the 1 mb upload limit")
    assert ok("files", "list", "--json").json() == []


def test_agent_and_data_source_edits_and_connection_emails() -> None:
    agent = _user_and_agent()
    assert (
        "name 'Sul', trigger scheduled"
        in ok("agent", "update", str(agent), "--name", " Sul ", "--trigger", "Scheduled").out
    )
    assert_one_line_error(elinara("agent", "update", str(agent)), 2, "--name")
    # the hidden old name of the group has the command too, for one release
    assert "name 'Sul'" in ok("processes", "update", str(agent), "--trigger", "manual").out
    assert_one_line_error(
        elinara("agent", "update", str(agent), "--trigger", "hourly"), 2, "trigger_type"
    )

    settings = load_settings()
    settings.files_path.mkdir(parents=True, exist_ok=True)
    (settings.files_path / "a.csv").write_text(LEADS, encoding="utf-8")
    (settings.files_path / "b.csv").write_text(LEADS, encoding="utf-8")
    added = ok("datasources", "add", "--process", str(agent), "--platform", "local_file",
               "--path", str(settings.files_path / "a.csv"))  # fmt: skip
    source = re.search(r"added data source (\w+)", added.out)[1]  # type: ignore[index]
    ok("datasources", "update", source, "resource_identifier=b.csv", "resource_name=B leads")
    shown = ok("datasources", "show", source).json()
    assert shown["resource_name"] == "B leads" and shown["resource_identifier"].endswith("b.csv")
    assert shown["agent_id"] == agent
    assert_one_line_error(
        elinara("datasources", "update", source, "resource_identifier=../../etc/passwd"), 2
    )
    assert_one_line_error(elinara("datasources", "show", "0" * 24), 2, "does not exist")

    ok("users", "connection-emails", "ana@example.pt", "--set", "a@x.pt, b@x.pt;a@x.pt")
    assert ok("users", "connection-emails", "ana@example.pt").out.strip() == "a@x.pt, b@x.pt"
    store = open_store(settings.database_url)
    assert store.users.by_email("ana@example.pt").connection_emails == ["a@x.pt", "b@x.pt"]
    assert_one_line_error(
        elinara("users", "connection-emails", "ana@example.pt", "--set", "not-an-email"), 2
    )
