from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from elinara.config import FIELDS, load_settings
from elinara.errors import ConfigError


def test_defaults_derive_from_home(tmp_path: Path) -> None:
    settings = load_settings({"ELINARA_HOME": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'elinara.db'}"
    assert settings.timezone == "Europe/Lisbon"
    assert settings.files_path == tmp_path / "files"
    assert settings.sources.get("timezone", "default") == "default"


def test_precedence_default_file_env_flag(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('min_score = 60\ntimezone = "Europe/London"\n')
    env = {"ELINARA_HOME": str(tmp_path), "ELINARA_MIN_SCORE": "70"}
    settings = load_settings(env)
    assert settings.min_score == 70 and settings.sources["min_score"] == "env"
    assert settings.timezone == "Europe/London" and settings.sources["timezone"] == "file"
    flagged = settings.with_overrides(min_score=80)
    assert flagged.min_score == 80 and flagged.sources["min_score"] == "flag"


def test_secret_key_generated_once_with_private_mode(tmp_path: Path) -> None:
    first = load_settings({"ELINARA_HOME": str(tmp_path)})
    second = load_settings({"ELINARA_HOME": str(tmp_path)})
    assert first.secret_key == second.secret_key and len(first.secret_key) > 40
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600
    shown = {row[0]: row[2] for row in first.shown()}
    assert shown["secret_key"] == "********"


def test_password_in_database_url_is_masked(tmp_path: Path) -> None:
    env = {
        "ELINARA_HOME": str(tmp_path),
        "ELINARA_DATABASE_URL": "mongodb://app:s3cret@db.example:27017/elinara",
    }
    shown = {row[0]: row[2] for row in load_settings(env).shown()}
    assert "s3cret" not in shown["database_url"]
    assert shown["database_url"] == "mongodb://app:****@db.example:27017/elinara"


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"ELINARA_TIMEZONE": "Mars/Olympus"}, "ELINARA_TIMEZONE"),
        ({"ELINARA_MIN_SCORE": "lots"}, "ELINARA_MIN_SCORE"),
        ({"ELINARA_COOKIE_SECURE": "maybe"}, "ELINARA_COOKIE_SECURE"),
    ],
)
def test_bad_values_name_the_variable(tmp_path: Path, env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_settings({"ELINARA_HOME": str(tmp_path), **env})


def test_unknown_and_malformed_config_file(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("colour = 'blue'\n")
    with pytest.raises(ConfigError, match="unknown keys: colour"):
        load_settings({"ELINARA_HOME": str(tmp_path)})
    (tmp_path / "config.toml").write_text("min_score = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings({"ELINARA_HOME": str(tmp_path)})


def test_every_key_has_an_env_var_and_doc() -> None:
    for field in FIELDS:
        assert field.env == f"ELINARA_{field.name.upper()}"
        assert field.doc.strip()


def test_an_empty_secret_key_file_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("")
    settings = load_settings({"ELINARA_HOME": str(tmp_path)})
    assert len(settings.secret_key) > 40
    assert (tmp_path / "secret_key").read_text().strip() == settings.secret_key
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".secret_key.")]
