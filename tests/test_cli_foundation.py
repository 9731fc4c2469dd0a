from __future__ import annotations

import subprocess
import sys

from cli_helpers import assert_one_line_error, elinara

HEAVY = (
    "quart",
    "socketio",
    "openai",
    "google.genai",
    "googleapiclient",
    "msal",
    "openpyxl",
    "pypdfium2",
)


def test_help_imports_no_heavy_module() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['elinara', '--help']\n"
        "from elinara.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "[]"
    assert "agent" in proc.stdout and "serve" in proc.stdout


def test_version() -> None:
    from elinara import __version__

    result = elinara("--version")
    assert result.code == 0 and result.out.strip() == f"elinara {__version__}"


def test_db_info_reports_sqlite_with_every_collection() -> None:
    result = elinara("db", "info", "--json")
    assert result.code == 0, result.err
    info = result.json()
    assert info["backend"] == "sqlite"
    assert info["schema_version"] == info["latest_schema_version"]
    assert {"users", "agents", "runs", "matches", "events"} <= set(info["collections"])


def test_db_migrate_is_idempotent() -> None:
    assert elinara("db", "migrate").code == 0
    again = elinara("db", "migrate")
    assert again.code == 0 and "up to date" in again.out


def test_users_round_trip() -> None:
    created = elinara("users", "create", "Ana@Example.pt", "--password", "Str0ng!pass", "--admin")
    assert created.code == 0, created.err
    elinara("users", "create", "rui@example.pt", "--password", "Str0ng!pass")
    listed = elinara("users", "list", "--json").json()
    assert [(u["email"], u["role"]) for u in listed] == [
        ("ana@example.pt", "admin"),
        ("rui@example.pt", "user"),
    ]
    assert all("password" not in key for u in listed for key in u)
    assert elinara("users", "set-admin", "ana@example.pt", "--off").code == 0
    assert elinara("users", "list", "--json").json()[0]["role"] == "user"
    assert elinara("users", "delete", "rui@example.pt", "--yes").code == 0
    assert [u["email"] for u in elinara("users", "list", "--json").json()] == ["ana@example.pt"]


def test_password_from_prompt() -> None:
    result = elinara("users", "create", "eva@example.pt", input="Str0ng!pass\nStr0ng!pass\n")
    assert result.code == 0, result.err
    assert "eva@example.pt" in result.out


def test_weak_password_names_the_rule() -> None:
    result = elinara("users", "create", "ana@example.pt", "--password", "password1")
    assert_one_line_error(result, 2, "upper-case letter", "symbol")


def test_duplicate_and_unknown_users() -> None:
    elinara("users", "create", "ana@example.pt", "--password", "Str0ng!pass")
    assert_one_line_error(
        elinara("users", "create", "ana@example.pt", "--password", "Str0ng!pass"),
        2,
        "already exists",
    )
    assert_one_line_error(
        elinara("users", "delete", "nobody@example.pt", "--yes"), 2, "nobody@example.pt"
    )


def test_config_show_masks_secrets() -> None:
    env = {
        "ELINARA_DATABASE_URL": "mongodb://app:s3cret@127.0.0.1:1/db",
        "ELINARA_SECRET_KEY": "top-secret-value",
    }
    result = elinara("config", "show", "--json", env=env)
    assert result.code == 0
    assert "s3cret" not in result.out and "top-secret-value" not in result.out
    data = result.json()
    assert data["secret_key"] == {"env": "ELINARA_SECRET_KEY", "value": "********", "source": "env"}
    assert data["database_url"]["value"] == "mongodb://app:****@127.0.0.1:1/db"


def test_unreachable_database_is_one_clear_line() -> None:
    env = {
        "ELINARA_DATABASE_URL": "mongodb://app:s3cret@127.0.0.1:9/elinara?serverSelectionTimeoutMS=300"
    }
    result = elinara("db", "info", env=env)
    assert_one_line_error(result, 1, "mongodb://app:****@127.0.0.1:9")
    assert "s3cret" not in result.err


def test_malformed_database_url() -> None:
    result = elinara("db", "info", env={"ELINARA_DATABASE_URL": "postgres://x/y"})
    assert_one_line_error(result, 1, "ELINARA_DATABASE_URL")


def test_usage_errors_exit_2() -> None:
    result = elinara("users", "create")
    assert result.code == 2 and "Traceback" not in result.err


def test_db_info_and_users_on_both_backends(store_url: str) -> None:
    env = {"ELINARA_DATABASE_URL": store_url}
    info = elinara("db", "info", "--json", env=env).json()
    assert info["backend"] == ("mongodb" if store_url.startswith("mongodb") else "sqlite")
    assert "users" in info["collections"] and "matches" in info["collections"]
    created = elinara("users", "create", "ana@example.pt", "--password", "Str0ng!pass", env=env)
    assert created.code == 0, created.err
    listed = elinara("users", "list", "--json", env=env).json()
    assert [(u["id"], u["email"]) for u in listed] == [(1, "ana@example.pt")]
    weak = elinara("users", "create", "rui@example.pt", "--password", "short", env=env)
    assert_one_line_error(weak, 2, "at least 8 characters")


def test_datasources_add_refuses_private_api_urls_unless_allowed() -> None:
    assert elinara("users", "create", "ana@example.pt", "--password", "Str0ng!pass").code == 0
    assert elinara("agent", "create", "Norte").code == 0
    add = ("datasources", "add", "--process", "1", "--platform", "external_api")
    local = (
        "--query-url",
        "http://127.0.0.1:8080/avisos",
        "--download-url",
        "http://127.0.0.1:8080/d",
    )
    assert_one_line_error(elinara(*add, *local), 2, "ELINARA_ALLOW_PRIVATE_URLS")
    assert elinara(*add).code == 0  # the default (Portugal 2030) is fine
    allowed = elinara(*add, *local, env={"ELINARA_ALLOW_PRIVATE_URLS": "true"})
    assert allowed.code == 0, allowed.err
    sources = elinara("datasources", "list", "--json").json()
    assert [s["config"][0]["query_url"] for s in sources][-1] == "http://127.0.0.1:8080/avisos"
