"""E-mail and phone alerts, end to end through the real pipeline.

A real SMTP server (aiosmtpd, on 127.0.0.1) receives the messages and the tests read them back;
a stdlib HTTP server stands in for the phone webhook and for a Twilio-compatible SMS API.
"""

from __future__ import annotations

import base64
import datetime as dt
import email
import io
import ipaddress
import json
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from fakes.base import FakeService, Reply, Request, json_reply

from elinara.accounts import create_user
from elinara.agent import lifecycle, messages, transports
from elinara.agent.events import EventBus
from elinara.agent.inputs import SAMPLE_CALLS
from elinara.agent.lifecycle import queue_task
from elinara.agent.options import RunOptions
from elinara.agent.runner import Worker, run_now
from elinara.config import Settings, load_settings
from elinara.models import Run
from elinara.store import Store, open_store

AS_OF = "2026-05-01T09:00:00+00:00"
ALERTS = ["ana@consult.example", "rui@consult.example"]
SENDER = "Elinara <alerts@consult.example>"
PHONE = "912 345 678"
PHONE_E164 = "+351912345678"

# The AUTH server of these tests runs without TLS on purpose (the client allows it on loopback).
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


# -- a real local SMTP server ----------------------------------------------------------------


@dataclass
class Inbox:
    """The aiosmtpd handler: keeps every message it accepts, and who logged in."""

    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    answer: str = "250 Message accepted"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self.answer.startswith("250"):
            return self.answer
        parsed = email.message_from_bytes(envelope.original_content, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return self.answer

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == b"agent@consult.example"
            and auth_data.password == b"p@ss word"
        )
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)

    def by_subject(self, fragment: str) -> list[tuple[str, list[str], EmailMessage]]:
        return [m for m in self.messages if fragment in str(m[2]["Subject"])]


class LocalSMTP(Controller):
    """An aiosmtpd controller on an ephemeral port (port 0, read back once bound)."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = LocalSMTP(inbox, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def smtp_auth_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller = LocalSMTP(
        inbox,
        hostname="127.0.0.1",
        port=0,
        authenticator=inbox.authenticate,
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


def _self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "elinara test SMTP")])
    now = dt.datetime.now(dt.UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(ski, critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


# -- fake webhook / Twilio -------------------------------------------------------------------


class FakeHTTP(FakeService):
    """A webhook / SMS API recording each request and answering from a script of statuses."""

    def __init__(
        self, statuses: list[int] | None = None, delays: list[float] | None = None
    ) -> None:
        super().__init__()
        self.statuses = list(statuses or [])
        self.delays = list(delays or [])  # seconds to wait before each answer

    def handle(self, request: Request) -> Reply:
        if self.delays:
            time.sleep(self.delays.pop(0))
        status = self.statuses.pop(0) if self.statuses else 200
        return json_reply({"sid": "SM123", "message": f"status {status}"}, status)


# -- helpers ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _instant_retries(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []
    monkeypatch.setattr(transports, "retry_sleep", waits.append)
    return waits


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path / 'elinara.db'}")
    try:
        yield store
    finally:
        store.close()


def _leads_csv(path: Path) -> Path:
    path.write_text(
        "Empresa;NIF;CAE;Distrito;Dimensão;Atividade\n"
        "Conservas Atlântico Lda;503306665;10201;Porto;Pequena;Conservas de peixe e inovação\n"
        "Software Douro SA;509442013;62010;Braga;Média;Desenvolvimento de software e digitalização\n"
        'Têxteis <b>&"Minho"</b> Lda;123456788;13100;Braga;Pequena;Têxteis técnicos e inovação\n',
        encoding="utf-8",
    )
    return path


def _settings(**overrides: Any) -> Settings:
    return load_settings(overrides={"notify_retries": 2, "smtp_timeout": 5.0, **overrides})


def _agent(store: Store, settings: Settings, emails: list[str]) -> tuple[int, int]:
    user = create_user(store, "consultant@consult.example", None)
    agent = lifecycle.create_agent(store, settings, user.id, "Norte <PME>")
    if emails:
        lifecycle.update_settings(store, settings, agent, {"alert_emails": emails})
    return agent.id, user.id


def _run(
    store: Store, settings: Settings, tmp_path: Path, emails: list[str], **params: Any
) -> tuple[Run, Any]:
    agent_id, user_id = _agent(store, settings, emails)
    leads = _leads_csv(tmp_path / "leads.csv")
    run_params = {"leads": [str(leads)], "calls": [str(SAMPLE_CALLS)], "as_of": AS_OF, **params}
    return run_now(
        store,
        settings,
        EventBus(store),
        RunOptions.from_params(run_params),
        agent_id=agent_id,
        user_id=user_id,
    )


def _thoughts(store: Store, run_id: str) -> list[tuple[str, str]]:
    return [
        (e["payload"]["type"], e["payload"]["content"])
        for e in store.events.for_run(run_id, "agent_action")
    ]


def _parts(message: EmailMessage) -> tuple[str, str, list[EmailMessage]]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content(), list(message.iter_attachments())


# -- e-mail ----------------------------------------------------------------------------------


def test_agent_with_alert_emails_gets_both_messages(
    db: Store, tmp_path: Path, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    settings = _settings(smtp_url=f"smtp://127.0.0.1:{port}", smtp_from=SENDER)
    run, outcome = _run(db, settings, tmp_path, ALERTS)

    assert run.status == "completed", run.message
    assert run.pipeline["email_alert"]["status"] == "completed"
    assert run.pipeline["email_alert"]["total"] == 2 == run.pipeline["email_alert"]["current"]
    assert run.pipeline["sending_email"]["status"] == "completed"
    assert run.pipeline["sending_email"]["total"] == 2
    assert len(inbox.messages) == 4  # each report goes to each address on its own

    reports = inbox.by_subject("open calls")
    assert sorted(rcpt[0] for _, rcpt, _ in reports) == sorted(ALERTS)
    for mail_from, rcpt, message in reports:
        assert mail_from == "alerts@consult.example"
        assert str(message["To"]) == rcpt[0]
        assert str(message["From"]) == SENDER
        counts = outcome.counts
        assert str(message["Subject"]) == (
            f"elinara · Norte <PME>: {counts['calls_open']} open calls, 3 companies"
        )
        text, html, attachments = _parts(message)
        assert attachments == []
        assert f"{counts['calls']} read, {counts['calls_open']} open on 2026-05-01" in text
        assert "first run" in text
        assert "1 with an invalid NIF" in text and "123456788" in text
        assert "NORTE2030-2026-12" in text and "NORTE2030-2026-12" in html
        assert "Norte &lt;PME&gt;" in html and "<PME>" not in html
        assert "&lt;b&gt;" in html and "<b>" not in html

    results = inbox.by_subject("matches (")
    assert sorted(rcpt[0] for _, rcpt, _ in results) == sorted(ALERTS)
    total = outcome.counts["matches"]
    assert total > 0
    _, _, message = results[0]
    assert str(message["Subject"]) == f"elinara · Norte <PME>: {total} matches ({total} new)"
    text, html, attachments = _parts(message)
    assert "<table" in html and "<script" not in html
    best = outcome.matches[0]
    assert best.company in text and best.aviso_id in html
    scores = [int(line.split()[0]) for line in text.splitlines() if line[:5].strip().isdigit()]
    assert scores == sorted(scores, reverse=True) and len(scores) == min(total, 50)
    assert len(attachments) == 1
    attachment = attachments[0]
    assert attachment.get_filename() == "elinara-matches-2026-05-01.xlsx"
    assert attachment.get_content_type().endswith("spreadsheetml.sheet")

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(attachment.get_content()))["Matches"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == total == len(db.matches.list(limit=1000))
    assert {(r[1], r[2]) for r in rows} == {(m.lead_key, m.aviso_id) for m in outcome.matches}

    kinds = _thoughts(db, run.id)
    assert any(k == "observation" and "sent e-mail to ana@" in c for k, c in kinds)


def test_second_run_reports_new_calls_and_no_new_matches(
    db: Store, tmp_path: Path, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    settings = _settings(smtp_url=f"smtp://127.0.0.1:{port}")
    _run(db, settings, tmp_path, ALERTS[:1])
    agent = db.agents.list()[0]
    leads = str(tmp_path / "leads.csv")
    params = {"leads": [leads], "calls": [str(SAMPLE_CALLS)], "as_of": AS_OF}
    run, outcome = run_now(
        db,
        settings,
        EventBus(db),
        RunOptions.from_params(params),
        agent_id=agent.id,
        user_id=agent.user_id,
    )
    assert run.status == "completed"
    second = inbox.messages[2:]
    assert len(second) == 2
    text = second[0][2].get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "new since the previous run on" in text
    total = outcome.counts["matches"]
    assert str(second[1][2]["Subject"]).endswith(f"{total} matches (0 new)")


def test_smtp_login_with_credentials(
    db: Store, tmp_path: Path, smtp_auth_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_auth_server
    url = f"smtp://agent%40consult.example:p%40ss%20word@127.0.0.1:{port}"
    run, _ = _run(db, _settings(smtp_url=url), tmp_path, ALERTS[:1])
    assert run.status == "completed"
    assert run.pipeline["sending_email"]["status"] == "completed"
    assert len(inbox.messages) == 2 and inbox.logins == ["agent@consult.example"] * 2


def test_wrong_password_is_a_stage_error_without_the_password(
    db: Store, tmp_path: Path, smtp_auth_server: tuple[Inbox, int], _instant_retries: list[float]
) -> None:
    _, port = smtp_auth_server
    url = f"smtp://agent%40consult.example:not-it-s3cret@127.0.0.1:{port}"
    run, _ = _run(db, _settings(smtp_url=url), tmp_path, ALERTS[:1])
    assert run.status == "completed"
    label = run.pipeline["email_alert"]["label"]
    assert run.pipeline["email_alert"]["status"] == "error"
    assert "refused the login (535" in label and "after 1 try" in label  # 5xx: no retry
    assert _instant_retries == []
    everything = json.dumps(_thoughts(db, run.id)) + json.dumps(run.pipeline) + run.message
    assert "not-it-s3cret" not in everything


def test_starttls_when_the_server_offers_it(
    db: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ssl

    cert, key = _self_signed(tmp_path)
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    inbox = Inbox()
    controller = LocalSMTP(
        inbox,
        hostname="127.0.0.1",
        port=0,
        tls_context=server_tls,
        require_starttls=True,
        authenticator=inbox.authenticate,
        auth_required=True,
    )
    controller.start()
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts the test certificate
    try:
        url = f"smtp://agent%40consult.example:p%40ss%20word@127.0.0.1:{controller.port}"
        run, _ = _run(db, _settings(smtp_url=url), tmp_path, ALERTS[:1])
    finally:
        controller.stop()
    assert run.pipeline["email_alert"]["status"] == "completed", run.pipeline["email_alert"]
    assert run.pipeline["sending_email"]["status"] == "completed"
    assert len(inbox.messages) == 2 and inbox.logins


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_smtp_down_is_a_stage_error_and_the_run_keeps_its_matches(
    db: Store, tmp_path: Path, _instant_retries: list[float]
) -> None:
    port = _closed_port()
    settings = _settings(smtp_url=f"smtp://127.0.0.1:{port}", notify_retries=2)
    run, outcome = _run(db, settings, tmp_path, ALERTS[:1])

    assert run.status == "completed"
    for key in ("email_alert", "sending_email"):
        stage = run.pipeline[key]
        assert stage["status"] == "error"
        assert stage["label"] == (
            f"0 of 1 sent; e-mail to {ALERTS[0]}: the SMTP server 127.0.0.1:{port} "
            "refused the connection after 3 tries"
        )
    assert len(_instant_retries) == 4  # 2 retries for each of the two messages
    assert outcome.counts["matches"] > 0
    assert len(db.matches.list(limit=1000)) == outcome.counts["matches"]
    errors = [c for k, c in _thoughts(db, run.id) if k == "error"]
    assert any(c.startswith("Discovery report: e-mail to") for c in errors)
    assert any(c.startswith("Final alert: e-mail to") for c in errors)
    assert len(run.params) and "warning" in run.message


def test_temporary_smtp_rejection_is_retried(
    db: Store, tmp_path: Path, smtp_server: tuple[Inbox, int], _instant_retries: list[float]
) -> None:
    inbox, port = smtp_server
    inbox.answer = "451 Try again later"
    settings = _settings(smtp_url=f"smtp://127.0.0.1:{port}", notify_retries=1)
    run, _ = _run(db, settings, tmp_path, ALERTS[:1])
    assert run.status == "completed"
    label = run.pipeline["email_alert"]["label"]
    assert "answered 451 Try again later after 2 tries" in label
    assert len(_instant_retries) == 2


def test_permanent_smtp_rejection_is_not_retried(
    db: Store, tmp_path: Path, smtp_server: tuple[Inbox, int], _instant_retries: list[float]
) -> None:
    inbox, port = smtp_server
    inbox.answer = "554 Rejected as spam"
    run, _ = _run(db, _settings(smtp_url=f"smtp://127.0.0.1:{port}"), tmp_path, ALERTS[:1])
    assert run.pipeline["sending_email"]["status"] == "error"
    assert "answered 554 Rejected as spam after 1 try" in run.pipeline["sending_email"]["label"]
    assert _instant_retries == []


def test_unconfigured_smtp_skips_with_a_thought(db: Store, tmp_path: Path) -> None:
    run, _ = _run(db, _settings(), tmp_path, ALERTS)
    assert run.status == "completed"
    for key in ("email_alert", "sending_email"):
        stage = run.pipeline[key]
        assert stage["status"] == "completed" and stage["total"] == 0
        assert stage["label"] == "skipped: e-mail delivery is not configured"
    thoughts = [c for k, c in _thoughts(db, run.id) if k == "thought"]
    assert any("Discovery report not sent" in c and "ELINARA_SMTP_URL" in c for c in thoughts)
    assert any("Results not e-mailed" in c and "ELINARA_SMTP_URL" in c for c in thoughts)


def test_no_alert_emails_skips_quietly(
    db: Store, tmp_path: Path, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    run, _ = _run(db, _settings(smtp_url=f"smtp://127.0.0.1:{port}"), tmp_path, [])
    for key in ("email_alert", "sending_email"):
        assert run.pipeline[key]["label"] == "skipped: no alert e-mails configured"
        assert run.pipeline[key]["status"] == "completed"
    assert inbox.messages == []


def test_dry_run_sends_nothing(db: Store, tmp_path: Path, smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    settings = _settings(smtp_url=f"smtp://127.0.0.1:{port}")
    run, _ = _run(db, settings, tmp_path, ALERTS, dry_run=True)
    for key in ("email_alert", "sending_email"):
        assert run.pipeline[key]["label"] == "dry run: nothing sent"
    assert inbox.messages == []


def test_bad_smtp_url_is_an_error_that_hides_the_password(db: Store, tmp_path: Path) -> None:
    run, _ = _run(db, _settings(smtp_url="imap://me:hunter2@mail.example"), tmp_path, ALERTS)
    assert run.status == "completed"
    stage = run.pipeline["email_alert"]
    assert stage["status"] == "error" and "not a valid SMTP URL" in stage["label"]
    assert "hunter2" not in json.dumps(run.pipeline) + json.dumps(_thoughts(db, run.id))


def test_smtp_url_password_is_masked_in_config_show() -> None:
    settings = load_settings(
        overrides={"smtp_url": "smtps://me:hunter2@smtp.example:465", "twilio_auth_token": "tok"}
    )
    shown = {row[0]: row[2] for row in settings.shown()}
    assert shown["smtp_url"] == "smtps://me:****@smtp.example:465"
    assert shown["twilio_auth_token"] == "********"


def test_many_matches_cap_the_table_and_keep_all_in_the_attachment() -> None:
    from elinara.models import Match

    class Plan:
        agent_id, as_of, min_score, leads = 0, dt.datetime(2026, 5, 1, tzinfo=dt.UTC), 50, []

    class Outcome:
        counts: ClassVar[dict[str, int]] = {
            "matches": 60,
            "new_matches": 60,
            "leads": 60,
            "calls_open": 3,
        }
        matches: ClassVar[list[Match]] = [
            Match("", 0, "A-1", f"5{n:08d}", f"Co {n}", "T", 40 + n % 60, True, "why")
            for n in range(60)
        ]

    class Fake:
        plan, outcome, run_id = Plan(), Outcome(), "r1"
        settings = load_settings()

    built = messages.results_email(Fake(), b"xlsx")  # type: ignore[arg-type]
    assert "… and 10 more in the attachment elinara-matches-2026-05-01.xlsx." in built.text
    assert built.html.count("<tr>") == 51  # the header and 50 rows
    first = [line for line in built.text.splitlines() if line.startswith("   99")]
    assert first, built.text[:400]


# -- phone -----------------------------------------------------------------------------------


def _task(store: Store, settings: Settings, tmp_path: Path, phone: str) -> Run:
    """Queue a task (as POST /agent/task does) and let a worker execute it."""
    agent_id, user_id = _agent(store, settings, [])
    upload = settings.uploads_path / str(user_id)
    upload.mkdir(parents=True)
    _leads_csv(upload / "leads.csv")
    agent = store.agents.get(agent_id)
    assert agent is not None
    bus = EventBus(store)
    queued = queue_task(store, settings, bus, agent, "leads.csv", phone)
    store.runs.update(
        queued.id, {"params": {**queued.params, "as_of": AS_OF, "calls": [str(SAMPLE_CALLS)]}}
    )
    worker = Worker(lambda: store, settings, lambda s: bus)
    assert worker.run_one(store, bus, "test-worker")
    done = store.runs.get(queued.id)
    assert done is not None
    return done


def test_task_with_a_phone_posts_its_summary_to_the_webhook(db: Store, tmp_path: Path) -> None:
    with FakeHTTP() as hook:
        settings = _settings(phone_webhook_url=f"{hook.url}/hooks/sms?token=abc")
        run = _task(db, settings, tmp_path, PHONE)
    assert run.status == "completed", run.message
    assert run.pipeline["sending_email"]["status"] == "completed"
    assert run.pipeline["sending_email"]["total"] == 1
    assert run.pipeline["email_alert"]["label"] == "skipped: no alert e-mails configured"
    assert len(hook.requests) == 1
    request = hook.requests[0]
    assert (request.path, request.query) == ("/hooks/sms", {"token": "abc"})
    assert request.headers["content-type"] == "application/json"
    payload = json.loads(request.body)
    assert set(payload) == {
        "phone",
        "agent_id",
        "run_id",
        "summary",
        "matches",
        "new_matches",
        "top",
    }
    assert payload["phone"] == PHONE_E164 and payload["run_id"] == run.id
    assert payload["matches"] == run.counts["matches"] > 0
    assert payload["summary"].startswith("elinara (leads.csv): ")
    scores = [t["match_score"] for t in payload["top"]]
    assert scores == sorted(scores, reverse=True) and 0 < len(scores) <= 5
    assert set(payload["top"][0]) == {"company", "nif", "aviso_id", "title", "match_score"}


def test_webhook_answering_500_then_200_is_retried(
    db: Store, tmp_path: Path, _instant_retries: list[float]
) -> None:
    with FakeHTTP([500, 200]) as hook:
        run = _task(db, _settings(phone_webhook_url=hook.url), tmp_path, PHONE)
    assert run.pipeline["sending_email"]["status"] == "completed"
    assert len(hook.requests) == 2 and len(_instant_retries) == 1


def test_webhook_failing_every_time_is_a_stage_error(db: Store, tmp_path: Path) -> None:
    with FakeHTTP([503, 503, 503]) as hook:
        url = f"{hook.url}/hooks/catch/s3cret-path"
        run = _task(db, _settings(phone_webhook_url=url), tmp_path, PHONE)
    assert run.status == "completed" and run.counts["matches"] > 0
    stage = run.pipeline["sending_email"]
    assert stage["status"] == "error"
    assert stage["label"] == (
        f"0 of 1 sent; phone summary for {PHONE_E164} to the webhook: the phone webhook at "
        f"{hook.url} answered 503 after 3 tries; check ELINARA_PHONE_WEBHOOK_URL"
    )
    assert len(hook.requests) == 3
    assert "s3cret-path" not in json.dumps(_thoughts(db, run.id)) + json.dumps(run.pipeline)


def test_task_with_a_phone_sends_an_sms_through_twilio(db: Store, tmp_path: Path) -> None:
    with FakeHTTP([201]) as api:
        settings = _settings(
            twilio_account_sid="AC123",
            twilio_auth_token="s3cret-token",
            twilio_from="+351210000000",
            twilio_base_url=api.url,
        )
        run = _task(db, settings, tmp_path, PHONE)
    assert run.pipeline["sending_email"]["status"] == "completed", run.pipeline
    assert len(api.requests) == 1
    request = api.requests[0]
    assert request.path == "/2010-04-01/Accounts/AC123/Messages.json"
    assert request.headers["authorization"] == "Basic " + base64.b64encode(
        b"AC123:s3cret-token"
    ).decode("ascii")
    form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
    assert form["To"] == PHONE_E164 and form["From"] == "+351210000000"
    assert form["Body"].startswith("elinara (leads.csv): ") and "matches" in form["Body"]
    assert "s3cret-token" not in json.dumps(_thoughts(db, run.id))


def test_twilio_rejection_is_reported(db: Store, tmp_path: Path) -> None:
    with FakeHTTP([400]) as api:
        settings = _settings(
            twilio_account_sid="AC123",
            twilio_auth_token="tok",
            twilio_from="+351210000000",
            twilio_base_url=api.url,
        )
        run = _task(db, settings, tmp_path, PHONE)
    stage = run.pipeline["sending_email"]
    assert stage["status"] == "error" and "answered 400: status 400" in stage["label"]
    assert len(api.requests) == 1  # a 4xx is an answer, not retried


def _twilio(api: FakeHTTP, **overrides: Any) -> Settings:
    return _settings(
        twilio_account_sid="AC123",
        twilio_auth_token="tok",
        twilio_from="+351210000000",
        twilio_base_url=api.url,
        **overrides,
    )


def test_an_sms_is_not_sent_again_when_the_gateway_may_have_sent_it(
    db: Store, tmp_path: Path
) -> None:
    """A timeout after the request went out may hide a delivered SMS: a second try would text
    the consultant twice."""
    with FakeHTTP(delays=[2.0]) as api:
        run = _task(db, _twilio(api, http_timeout=0.5), tmp_path, PHONE)
    stage = run.pipeline["sending_email"]
    assert (
        stage["status"] == "error"
        and "it may or may not have been delivered, so it was not sent again" in (stage["label"])
    )
    assert len(api.requests) == 1


def test_an_sms_the_gateway_failed_on_is_not_sent_again(db: Store, tmp_path: Path) -> None:
    with FakeHTTP([500]) as api:
        run = _task(db, _twilio(api), tmp_path, PHONE)
    assert "the SMS API at" in run.pipeline["sending_email"]["label"]
    assert "answered 500" in run.pipeline["sending_email"]["label"]
    assert len(api.requests) == 1


def test_an_sms_the_gateway_refused_to_take_is_sent_again(db: Store, tmp_path: Path) -> None:
    with FakeHTTP([429, 503, 201]) as api:
        run = _task(db, _twilio(api), tmp_path, PHONE)
    assert run.pipeline["sending_email"]["status"] == "completed", run.pipeline
    assert len(api.requests) == 3


def test_phone_without_a_notifier_skips_with_a_thought(db: Store, tmp_path: Path) -> None:
    run = _task(db, _settings(), tmp_path, PHONE)
    assert run.status == "completed"
    assert run.pipeline["sending_email"]["label"] == "skipped: phone delivery is not configured"
    thoughts = [c for k, c in _thoughts(db, run.id) if k == "thought"]
    assert any("ELINARA_PHONE_WEBHOOK_URL" in c for c in thoughts)


def test_unreadable_phone_is_a_stage_error(db: Store, tmp_path: Path) -> None:
    with FakeHTTP() as hook:
        run = _task(db, _settings(phone_webhook_url=hook.url), tmp_path, "call me")
    stage = run.pipeline["sending_email"]
    assert stage["status"] == "error" and "not a phone number" in stage["label"]
    assert hook.requests == []
