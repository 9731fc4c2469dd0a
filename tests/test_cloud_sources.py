"""Google Drive and OneDrive as an agent's leads data sources, end to end with `run_now`:
download during loading_data, Google Sheets exported as xlsx, incremental re-runs, files that
leave, rate limits. Fakes: tests/fakes/{oauth,drive,graph}.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fakes.drive import FakeDrive
from fakes.graph import FakeGraph
from fakes.oauth import FakeOAuth

from elinara.agent.inputs import SAMPLE_CALLS, SAMPLE_LEADS

SAMPLE_BYTES = SAMPLE_LEADS.read_bytes()
CSV_HEADER = "Empresa,NIF,CAE,Distrito,Concelho,Dimensão,Trabalhadores,Atividade\n"
_KINDS = (
    ("10711", "Porto", "Porto", "Pequena", 25, "Panificação e pastelaria"),
    ("62010", "Braga", "Braga", "Micro", 6, "Desenvolvimento de software"),
    ("25110", "Aveiro", "Águeda", "Média", 120, "Fabrico de estruturas metálicas"),
)


def nif_for(n: int) -> str:
    digits = f"5{n:07d}"
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits))
    check = 11 - total % 11
    return digits + str(0 if check >= 10 else check)


def leads_csv(first: int, count: int) -> bytes:
    lines = [CSV_HEADER]
    for n in range(first, first + count):
        cae, district, town, size, staff, activity = _KINDS[n % len(_KINDS)]
        lines.append(
            f"Empresa {n} Lda,{nif_for(n)},{cae},{district},{town},{size},{staff},{activity}\n"
        )
    return "".join(lines).encode("utf-8")


@dataclass
class World:
    store: Any
    settings: Any
    idp: FakeOAuth
    drive: FakeDrive
    graph: FakeGraph
    user_id: int
    agent_id: int

    def connect(self, provider: str, expires_in: int = 3600) -> None:
        from elinara.cloud import tokens

        access, refresh = self.idp.issue(provider)
        tokens.save(
            self.store,
            self.settings,
            self.user_id,
            provider,
            {"access_token": access, "refresh_token": refresh, "expires_in": expires_in},
            identity={"subject": f"{provider}-1", "email": "ana@example.pt", "drive": True},
        )

    def source(self, platform: str, identifier: str, name: str, **config: str) -> str:
        from elinara.models import DataSource

        created = self.store.datasources.create_many(
            [
                DataSource(
                    id="",
                    user_id=self.user_id,
                    agent_id=self.agent_id,
                    platform=platform,
                    resource_identifier=identifier,
                    resource_name=name,
                    config=[config] if config else [],
                )
            ]
        )
        return str(created[0].id)

    def run(self) -> tuple[Any, Any, list[str]]:
        from elinara.agent.events import EventBus
        from elinara.agent.options import RunOptions
        from elinara.agent.runner import run_now

        run, outcome = run_now(
            self.store,
            self.settings,
            EventBus(self.store),
            RunOptions.from_params(
                {"calls": [str(SAMPLE_CALLS)], "as_of": "2026-12-01T12:00:00+00:00"}
            ),
            self.agent_id,
            self.user_id,
        )
        lines = [e["payload"]["content"] for e in self.store.events.for_run(run.id, "agent_action")]
        return run, outcome, lines


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[World]:
    from elinara import accounts
    from elinara.agent import lifecycle
    from elinara.config import load_settings
    from elinara.store import open_store

    with (
        FakeOAuth() as idp,
        FakeDrive(auth=idp.valid_access_token) as drive,
        FakeGraph(auth=idp.valid_access_token) as graph,
    ):
        for name, value in idp.env(("google", "microsoft")).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("ELINARA_GOOGLE_DRIVE_URL", drive.api_url)
        monkeypatch.setenv("ELINARA_GRAPH_URL", graph.api_url)
        settings = load_settings()
        store = open_store(f"sqlite:///{tmp_path / 'agent.db'}")
        user = accounts.create_user(store, "ana@example.pt", None)
        agent = lifecycle.create_agent(store, settings, user.id, "Drive agent", "manual", {})
        try:
            yield World(store, settings, idp, drive, graph, user.id, agent.id)
        finally:
            store.close()


def test_drive_spreadsheet_runs_end_to_end_and_skips_it_when_unchanged(world: World) -> None:
    world.connect("google")
    sheet = world.drive.add_file("Leads Norte.xlsx", SAMPLE_BYTES)
    world.source("google_drive", sheet.id, "Leads Norte.xlsx")

    _, first, lines = world.run()
    assert first.status == "completed", (first.message, lines)
    assert first.counts["leads"] >= 40 and first.counts["matches"] > 0
    assert any(line.startswith("Downloaded Leads Norte.xlsx from Google Drive") for line in lines)
    assert world.drive.downloads() == [sheet.id]
    leads = world.store.leads.count(world.agent_id)
    matches = world.store.matches.count([world.agent_id])

    _, second, lines = world.run()
    assert second.status == "completed", second.message
    skipped = [line for line in lines if "unchanged" in line and "skipped the download" in line]
    assert skipped and skipped[0].startswith("Leads Norte.xlsx is unchanged in Google Drive")
    assert world.drive.downloads() == [sheet.id]  # not fetched again
    assert second.counts["leads"] == first.counts["leads"]
    assert second.counts["matches"] == first.counts["matches"] and second.counts["new_matches"] == 0
    assert world.store.leads.count(world.agent_id) == leads
    assert world.store.matches.count([world.agent_id]) == matches

    # edited and renamed in Drive: downloaded again, read under its new name
    world.drive.update(sheet.id, leads_csv(1, 3))
    world.drive.items[sheet.id].name = "Leads Norte.csv"
    world.drive.items[sheet.id].mime_type = "text/csv"
    _, third, lines = world.run()
    assert third.status == "completed", third.message
    assert any("Downloaded Leads Norte.csv" in line and "(changed)" in line for line in lines)
    assert third.counts["leads"] == 3
    # the companies read under the file's old name left with it
    assert world.store.leads.count(world.agent_id) == 3


def test_a_native_google_sheet_is_exported_as_xlsx(world: World) -> None:
    world.connect("google")
    sheet = world.drive.add_sheet("Leads 2026", SAMPLE_BYTES)
    world.source("google_drive", sheet.id, "Leads 2026")
    _, outcome, lines = world.run()
    assert outcome.status == "completed", (outcome.message, lines)
    assert any("(exported as xlsx)" in line for line in lines)
    assert any(r.path.endswith(f"/files/{sheet.id}/export") for r in world.drive.requests)

    world.drive.update(sheet.id, SAMPLE_BYTES)
    world.drive.items[sheet.id].too_large = True
    _, failed, _ = world.run()
    assert failed.status == "failed"
    assert "10 MB" in failed.message and "exportSizeLimitExceeded" in failed.message


def test_a_folder_with_a_glob_and_files_that_leave(world: World) -> None:
    world.connect("google")
    folder = world.drive.add_folder("Leads")
    north = world.drive.add_file("norte.xlsx", SAMPLE_BYTES, parent=folder.id)
    extra = world.drive.add_file("extra.csv", leads_csv(900, 4), parent=folder.id, mime="text/csv")
    world.drive.add_file("notes.txt", b"hello", parent=folder.id, mime="text/plain")
    world.source("google_drive", folder.id, "Leads", glob="*.xlsx")

    _, first, lines = world.run()
    assert first.status == "completed", (first.message, lines)
    assert any("Folder Leads in Google Drive: 1 spreadsheet(s) matching *.xlsx" in x for x in lines)
    assert world.drive.downloads() == [north.id]
    assert extra.id not in world.drive.downloads()

    # all spreadsheets of the folder: the csv joins, the xlsx is skipped as unchanged
    source = world.store.datasources.list(agent_id=world.agent_id)[0]
    world.store.datasources.update(source.id, {"config": []})
    _, second, lines = world.run()
    assert second.status == "completed"
    assert second.counts["leads"] == first.counts["leads"] + 4
    assert any(line.startswith("norte.xlsx is unchanged") for line in lines)

    world.drive.trash(north.id)
    world.drive.rate_limit(2, status=403)  # userRateLimitExceeded, retried
    _, third, lines = world.run()
    assert third.status == "completed", third.message
    left = [line for line in lines if "leave the agent's leads" in line]
    assert left and left[0].startswith("norte.xlsx is no longer in Leads in Google Drive")
    assert third.counts["leads"] == 4
    assert world.store.leads.count(world.agent_id) == 4  # norte.xlsx's companies are gone


def test_a_deleted_file_leaves_and_the_run_says_so(world: World) -> None:
    world.connect("google")
    kept = world.drive.add_file("kept.csv", leads_csv(1, 5), mime="text/csv")
    gone = world.drive.add_file("gone.csv", leads_csv(100, 3), mime="text/csv")
    world.source("google_drive", kept.id, "kept.csv")
    world.source("google_drive", gone.id, "gone.csv")
    _, first, _ = world.run()
    assert first.status == "completed" and first.counts["leads"] == 8
    world.drive.delete(gone.id)
    _, second, lines = world.run()
    assert second.status == "completed", second.message
    assert any(line.startswith("gone.csv was deleted from Google Drive") for line in lines)
    assert world.store.leads.count(world.agent_id) == 5


def test_onedrive_spreadsheet_runs_and_skips_when_unchanged(world: World) -> None:
    world.connect("microsoft", expires_in=5)  # about to expire: renewed through msal first
    folder = world.graph.add_folder("Clientes")
    item = world.graph.add_file("Leads.xlsx", SAMPLE_BYTES, parent=folder.id)
    world.source("sharepoint", folder.id, "Clientes")
    world.graph.rate_limit(1)  # 429 with Retry-After: 0
    _, first, lines = world.run()
    assert first.status == "completed", (first.message, lines)
    assert any(line.startswith("Downloaded Leads.xlsx from OneDrive") for line in lines)
    _, second, lines = world.run()
    assert any(line.startswith("Leads.xlsx is unchanged in OneDrive") for line in lines)
    assert second.counts["matches"] == first.counts["matches"]
    contents = [p for p in world.graph.paths() if p.endswith(f"{item.id}/content")]
    assert len(contents) == 1
    refreshed = [r for r in world.idp.token_requests if r.get("grant_type") == "refresh_token"]
    assert refreshed and "Files.Read.All" in refreshed[0]["scope"]


def test_tokens_sealed_under_another_secret_key_ask_to_reconnect(world: World) -> None:
    from elinara.cloud import TokenExpired, tokens

    world.connect("google")
    doc = world.store.provider_tokens.get(world.user_id, "google")
    assert doc["access_token"].startswith("gAAAA")  # Fernet
    assert tokens.access_token(world.store, world.settings, world.user_id, "google").startswith(
        "at-"
    )
    rotated = world.settings.with_overrides(secret_key="another-secret-key-" + "x" * 40)
    with pytest.raises(TokenExpired, match="expired or revoked"):
        tokens.access_token(world.store, rotated, world.user_id, "google")


def test_an_unconnected_or_revoked_drive_fails_the_run_clearly(world: World) -> None:
    sheet = world.drive.add_file("Leads.xlsx", SAMPLE_BYTES)
    world.source("google_drive", sheet.id, "Leads.xlsx")
    run, outcome, _ = world.run()
    assert outcome.status == "failed" and "Google Drive is not connected" in outcome.message
    assert run.pipeline["establish_connection"]["status"] == "error"

    world.connect("google")
    world.idp.revoke()
    world.idp.expire_access()
    _, outcome, _ = world.run()
    assert outcome.status == "failed"
    assert "invalid_grant" in outcome.message and "expired or revoked" in outcome.message
