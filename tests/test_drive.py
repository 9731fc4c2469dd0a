"""Drive listings (docs/api.md, Cloud files) against the local fake Drive and Graph servers, with the
drive connected through the real OAuth flow."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cloud_helpers import Browser, body, build_app, configure, sign_in_with, signed_up, store_of
from fakes.drive import FOLDER, XLSX, FakeDrive
from fakes.graph import FakeGraph
from fakes.oauth import Account, FakeOAuth
from quart import Quart

pytestmark = pytest.mark.anyio

DRIVE_FILE_KEYS = {
    "id",
    "name",
    "mimeType",
    "is_folder",
    "size",
    "modifiedTime",
    "webViewLink",
    "iconLink",
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def idp() -> Iterator[FakeOAuth]:
    with FakeOAuth() as fake:
        yield fake


@pytest.fixture
def drive(idp: FakeOAuth) -> Iterator[FakeDrive]:
    with FakeDrive(auth=idp.valid_access_token, page_size=3) as fake:
        yield fake


@pytest.fixture
def graph(idp: FakeOAuth) -> Iterator[FakeGraph]:
    with FakeGraph(auth=idp.valid_access_token, page_size=2) as fake:
        yield fake


@pytest.fixture
def app(
    idp: FakeOAuth,
    drive: FakeDrive,
    graph: FakeGraph,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Quart:
    configure(
        monkeypatch,
        {
            **idp.env(),
            "ELINARA_GOOGLE_DRIVE_URL": drive.api_url,
            "ELINARA_GRAPH_URL": graph.api_url,
        },
    )
    return build_app(tmp_path)


async def connected(app: Quart, idp: FakeOAuth, *providers: str) -> Browser:
    """A password user who connected the given drives (the callback with a session links)."""
    browser = await signed_up(app, "consultant@example.pt")
    for n, provider in enumerate(providers):
        await sign_in_with(browser, idp, provider, Account(subject=f"9{n}", email="ana@drive.pt"))
    return browser


async def test_google_drive_lists_a_folder_with_the_contract_shape(
    app: Quart, idp: FakeOAuth, drive: FakeDrive
) -> None:
    leads = drive.add_folder("Leads")
    drive.add_file("zeta.xlsx", b"z" * 1200)
    drive.add_file("Alpha.csv", b"a,b\n1,2\n", mime="text/csv")
    drive.add_folder("Archive")
    drive.add_file("norte.xlsx", b"n" * 10, parent=leads.id)
    browser = await connected(app, idp, "google")

    response = await browser.get("/api/v1/drive/files")
    data = await body(response)
    assert response.status_code == 200 and data["success"] is True
    assert data["data"]["folder_id"] == "root"
    files = data["data"]["files"]
    assert [f["name"] for f in files] == ["Archive", "Leads", "Alpha.csv", "zeta.xlsx"]
    for item in files:
        assert set(item) == DRIVE_FILE_KEYS
        assert item["mimeType"]
    folder = files[1]
    assert folder["is_folder"] is True and folder["mimeType"] == FOLDER
    sheet = files[3]
    assert sheet["is_folder"] is False and sheet["size"] == 1200 and sheet["mimeType"] == XLSX
    assert sheet["webViewLink"].endswith("/view") and sheet["iconLink"]
    assert sheet["modifiedTime"]
    # five items over pages of three: pagination followed
    pages = [r for r in drive.requests if r.path == "/drive/v3/files"]
    assert len(pages) == 2 and pages[1].query["pageToken"] == "3"
    assert pages[0].query["q"] == "'root' in parents and trashed = false"

    inside = await body(await browser.get(f"/api/v1/drive/files?folder_id={leads.id}"))
    assert inside["data"]["folder_id"] == leads.id
    assert [f["name"] for f in inside["data"]["files"]] == ["norte.xlsx"]
    # every request stayed under the configured Drive root, with the user's token
    assert all(r.path.startswith("/drive/v3/") for r in drive.requests)
    assert all(idp.valid_access_token(r.bearer) for r in drive.requests)


async def test_trashed_files_are_not_listed_and_single_file_metadata(
    app: Quart, idp: FakeOAuth, drive: FakeDrive
) -> None:
    kept = drive.add_file("kept.xlsx", b"k" * 5)
    gone = drive.add_file("gone.xlsx", b"g")
    drive.trash(gone.id)
    browser = await connected(app, idp, "google")
    files = (await body(await browser.get("/api/v1/drive/files")))["data"]["files"]
    assert [f["id"] for f in files] == [kept.id]

    response = await browser.get(f"/api/v1/drive/file/{kept.id}")
    meta = await body(response)
    assert response.status_code == 200
    assert set(meta) >= DRIVE_FILE_KEYS and meta["id"] == kept.id and meta["size"] == 5
    assert meta["md5Checksum"] and meta["version"] == "1" and meta["parents"] == ["root"]
    missing = await browser.get("/api/v1/drive/file/nope")
    assert missing.status_code == 404 and (await body(missing))["msg"]


async def test_onedrive_lists_through_graph(app: Quart, idp: FakeOAuth, graph: FakeGraph) -> None:
    docs = graph.add_folder("Documents")
    graph.add_file("b.xlsx", b"bb")
    graph.add_file("a.csv", b"a", mime="text/csv")
    graph.add_file("inner.xlsx", b"i", parent=docs.id)
    browser = await connected(app, idp, "microsoft")

    response = await browser.get("/api/v1/drive/microsoft/files")
    data = await body(response)
    assert response.status_code == 200 and data["success"] is True
    files = data["data"]["files"]
    assert [f["name"] for f in files] == ["Documents", "a.csv", "b.xlsx"]  # folders first
    folder, csv, xlsx = files
    assert DRIVE_FILE_KEYS | {"lastModifiedDateTime", "folder"} == set(folder)
    assert folder["is_folder"] is True and folder["mimeType"] and folder["folder"]
    assert "folder" not in xlsx and xlsx["mimeType"] == XLSX and xlsx["size"] == 2
    assert xlsx["webViewLink"].startswith("https://contoso-my.sharepoint.com/")
    assert xlsx["lastModifiedDateTime"] == xlsx["modifiedTime"]
    assert csv["mimeType"] == "text/csv"
    # three items over pages of two: @odata.nextLink followed
    assert graph.paths().count("/v1.0/me/drive/root/children") == 2

    inside = await body(await browser.get(f"/api/v1/drive/microsoft/files?folder_id={docs.id}"))
    assert [f["name"] for f in inside["data"]["files"]] == ["inner.xlsx"]
    one = await body(await browser.get(f"/api/v1/drive/microsoft/file/{docs.id}"))
    assert one["id"] == docs.id and one["is_folder"] is True


async def test_not_connected_and_disconnect_answer_401(
    app: Quart, idp: FakeOAuth, drive: FakeDrive, graph: FakeGraph
) -> None:
    browser = await signed_up(app, "consultant@example.pt")
    for path in ("/api/v1/drive/files", "/api/v1/drive/microsoft/files"):
        response = await browser.get(path)
        assert response.status_code == 401
        assert "not connected" in (await body(response))["msg"]
    assert (await app.test_client().get("/api/v1/drive/files")).status_code == 401

    for n, provider in enumerate(("google", "microsoft")):
        await sign_in_with(browser, idp, provider, Account(subject=f"8{n}", email="d@x.pt"))
    assert (await browser.get("/api/v1/drive/files")).status_code == 200
    assert (await browser.get("/api/v1/drive/microsoft/files")).status_code == 200
    for provider, path in (
        ("google", "/api/v1/drive/files"),
        ("microsoft", "/api/v1/drive/microsoft/files"),
    ):
        assert (await browser.post(f"/api/v1/auth/disconnect/{provider}")).status_code == 200
        response = await browser.get(path)
        assert response.status_code == 401 and (await body(response))["msg"]
    user = await browser.me()
    assert user["has_drive_access"] is False and user["has_microsoft_drive_access"] is False


async def test_an_expired_token_is_refreshed(
    app: Quart, idp: FakeOAuth, drive: FakeDrive, graph: FakeGraph
) -> None:
    drive.add_file("a.xlsx", b"a")
    graph.add_file("b.xlsx", b"b")
    browser = await connected(app, idp, "google", "microsoft")
    store = store_of(app)
    before = store.provider_tokens.get(browser.user["id"], "google")["access_token"]
    idp.expire_access()  # the provider stops accepting them: the listing sees 401, refreshes
    assert (await browser.get("/api/v1/drive/files")).status_code == 200
    assert (await browser.get("/api/v1/drive/microsoft/files")).status_code == 200
    refreshes = [r for r in idp.token_requests if r.get("grant_type") == "refresh_token"]
    assert len(refreshes) == 2
    assert store.provider_tokens.get(browser.user["id"], "google")["access_token"] != before


async def test_a_revoked_grant_says_reconnect(
    app: Quart, idp: FakeOAuth, drive: FakeDrive, graph: FakeGraph
) -> None:
    browser = await connected(app, idp, "google", "microsoft")
    idp.revoke()
    for path in ("/api/v1/drive/files", "/api/v1/drive/microsoft/files"):
        response = await browser.get(path)
        msg = (await body(response))["msg"]
        assert response.status_code == 401
        assert "invalid_grant" in msg and "expired or revoked" in msg


async def test_cloud_files_aggregates_with_per_provider_errors(
    app: Quart, idp: FakeOAuth, drive: FakeDrive
) -> None:
    drive.add_folder("Leads")
    sheet = drive.add_file("a.xlsx", b"a")
    browser = await connected(app, idp, "google")
    response = await browser.get("/api/v1/cloud/files")
    data = await body(response)
    assert response.status_code == 200
    by_provider = {entry["provider"]: entry for entry in data["data"]}
    assert set(by_provider) == {"google", "microsoft"} and data["count"] == 2
    google = by_provider["google"]
    assert google["status"] == "success"
    assert google["files"][1] == {
        "id": sheet.id,
        "name": "a.xlsx",
        "type": XLSX,
        "webViewLink": f"https://drive.google.com/file/d/{sheet.id}/view",
        "iconLink": google["files"][1]["iconLink"],
    }
    microsoft = by_provider["microsoft"]
    assert microsoft["status"] == "error" and microsoft["files"] == []
    assert "not connected" in microsoft["message"]


async def test_rate_limits_are_retried(
    app: Quart, idp: FakeOAuth, drive: FakeDrive, graph: FakeGraph
) -> None:
    drive.add_file("a.xlsx", b"a")
    graph.add_file("b.xlsx", b"b")
    browser = await connected(app, idp, "google", "microsoft")
    drive.rate_limit(1, status=403)  # userRateLimitExceeded
    drive.rate_limit(1, status=429)
    graph.rate_limit(2)
    google = await browser.get("/api/v1/drive/files")
    assert google.status_code == 200
    assert len((await body(google))["data"]["files"]) == 1
    onedrive = await browser.get("/api/v1/drive/microsoft/files")
    assert onedrive.status_code == 200
    assert len((await body(onedrive))["data"]["files"]) == 1
