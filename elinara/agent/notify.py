"""The two notification stages: the discovery report and the final alert.

``email_alert`` (Discovery Report) e-mails the agent's ``alert_emails`` what the run found before
matching (calls, new calls since the agent's previous run, companies read, invalid NIFs).
``sending_email`` (Final Alert) e-mails the matches (an HTML table and its plain-text twin, best
matches first, the full export attached as .xlsx) and sends a task's ``phone`` a short summary,
through a JSON webhook or a Twilio-compatible SMS API.

E-mail goes out with the standard library: ``smtp://`` is plain SMTP upgraded with STARTTLS when
the server offers it, ``smtps://`` is SMTP over TLS. Each message is one try per connection;
connection errors, timeouts and 4xx replies are retried with backoff up to ``notify_retries``,
5xx replies are final. A notification never fails a run: a send that still fails is a stage error
(``status: "error"`` with a readable label) plus an ``error`` line in the thought stream, and the
run's matches stay stored. Passwords and tokens are never written to a message or a log.
"""

from __future__ import annotations

import contextlib
import html
import logging
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from elinara.agent.sources.http import backoff_delay, tries_text
from elinara.agent.stages import DISCOVERY_ALERT, RESULTS_ALERT
from elinara.errors import ElinaraError, RunCancelled
from elinara.models import LOCAL_AGENT_ID, FundingCall, Match
from elinara.net import is_loopback_host
from elinara.times import parse_iso

if TYPE_CHECKING:
    from elinara.agent.context import RunContext
    from elinara.config import Settings

log = logging.getLogger(__name__)

DISCOVERY = DISCOVERY_ALERT
RESULTS = RESULTS_ALERT
TABLE_ROWS = 50  # matches in the e-mail's table; all of them are in the attachment
LIST_CALLS = 50  # open calls listed in the discovery report
LIST_INVALID = 20  # companies with an invalid NIF listed in the discovery report
TOP_IN_SUMMARY = 5  # best matches in the webhook payload
RETRY_BASE_DELAY = 1.0
RETRY_MAX_DELAY = 30.0
XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
SMTP_HINT = "set ELINARA_SMTP_URL (smtp://user:password@host:587 or smtps://…:465)"
PHONE_HINT = (
    "set ELINARA_PHONE_WEBHOOK_URL, or ELINARA_TWILIO_ACCOUNT_SID, ELINARA_TWILIO_AUTH_TOKEN "
    "and ELINARA_TWILIO_FROM"
)

# Waits between retries; a test replaces it to keep retries instant.
_sleep: Callable[[float], Any] = time.sleep


class NotifyError(Exception):
    """One message could not be delivered; ``transient`` failures are worth another try."""

    def __init__(self, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient

    def __str__(self) -> str:
        return self.message


# -- SMTP ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmtpTarget:
    """Where and how to deliver e-mail, read from ``smtp_url``."""

    tls: bool  # smtps://: TLS from the first byte; smtp://: STARTTLS when offered
    host: str
    port: int
    username: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30.0

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def parse_smtp_url(url: str, timeout: float = 30.0) -> SmtpTarget:
    """``smtp://user:pass@host:port`` or ``smtps://…``; the error never repeats the URL."""
    bad = NotifyError(
        "ELINARA_SMTP_URL is not a valid SMTP URL: use smtp://user:password@host:587 "
        "(STARTTLS when offered) or smtps://user:password@host:465, with special characters "
        "in the password percent-encoded."
    )
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise bad from None
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps") or not parts.hostname:
        raise bad
    return SmtpTarget(
        tls=scheme == "smtps",
        host=parts.hostname,
        port=port or (465 if scheme == "smtps" else 25),
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        timeout=timeout,
    )


def _helo_name() -> str:
    # The host's own name, without the DNS lookups of socket.getfqdn().
    return socket.gethostname() or "localhost"


def _reply_text(value: Any) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "..."


def _classify(exc: BaseException, where: str) -> NotifyError:
    """A delivery failure in words, and whether another try might succeed."""
    if isinstance(exc, NotifyError):
        return exc
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        replies = "; ".join(f"{code} {_reply_text(msg)}" for code, msg in exc.recipients.values())
        transient = bool(codes) and all(400 <= code < 500 for code in codes)
        return NotifyError(f"the SMTP server {where} refused the recipient ({replies})", transient)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return NotifyError(
            f"the SMTP server {where} refused the login ({exc.smtp_code} "
            f"{_reply_text(exc.smtp_error)}); check the user and password in ELINARA_SMTP_URL",
            400 <= exc.smtp_code < 500,
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        code = exc.smtp_code
        return NotifyError(
            f"the SMTP server {where} answered {code} {_reply_text(exc.smtp_error)}",
            not 500 <= code < 600,
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return NotifyError(f"the SMTP server {where} closed the connection", True)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return NotifyError(f"the SMTP server {where} does not support {exc}")
    if isinstance(exc, smtplib.SMTPException):
        return NotifyError(f"the SMTP exchange with {where} failed ({_reply_text(exc)})")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return NotifyError(
            f"the TLS certificate of {where} could not be verified ({exc.verify_message})"
        )
    if isinstance(exc, ssl.SSLError):
        return NotifyError(
            f"the TLS handshake with {where} failed ({exc.reason or exc}); smtps:// needs a TLS "
            "port (465), smtp:// a plain one (587 or 25)"
        )
    if isinstance(exc, TimeoutError):
        return NotifyError(f"the SMTP server {where} timed out", True)
    if isinstance(exc, ConnectionRefusedError):
        return NotifyError(f"the SMTP server {where} refused the connection", True)
    if isinstance(exc, socket.gaierror):
        return NotifyError(
            f"the SMTP host {where} could not be resolved ({exc.strerror})",
            exc.errno == socket.EAI_AGAIN,
        )
    if isinstance(exc, OSError):
        detail = exc.strerror or type(exc).__name__
        return NotifyError(f"the SMTP server {where} could not be reached ({detail})", True)
    return NotifyError(f"sending through {where} failed ({type(exc).__name__})")


def _send_once(target: SmtpTarget, message: EmailMessage, sender: str, to: list[str]) -> None:
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if target.tls:
        client = smtplib.SMTP_SSL(
            target.host,
            target.port,
            local_hostname=_helo_name(),
            timeout=target.timeout,
            context=context,
        )
    else:
        client = smtplib.SMTP(
            target.host, target.port, local_hostname=_helo_name(), timeout=target.timeout
        )
    try:
        client.ehlo_or_helo_if_needed()
        encrypted = target.tls
        if not encrypted and client.has_extn("starttls"):
            client.starttls(context=context)
            client.ehlo()
            encrypted = True
        if target.username:
            if not encrypted and not is_loopback_host(target.host):
                raise NotifyError(
                    f"the SMTP server {target.where} offers no STARTTLS; the password is not "
                    "sent unencrypted (use smtps:// and the server's TLS port)"
                )
            client.login(target.username, target.password)
        client.send_message(message, from_addr=sender, to_addrs=to)
        # The message is accepted: a failed goodbye must not send it again.
        with contextlib.suppress(smtplib.SMTPException, OSError):
            client.quit()
    finally:
        client.close()


def send_email(target: SmtpTarget, message: EmailMessage, retries: int) -> None:
    """Deliver ``message`` to its To recipients; raise NotifyError when it cannot be done."""
    sender = parseaddr(str(message["From"]))[1] or str(message["From"])
    to = [parseaddr(str(value))[1] or str(value) for value in message.get_all("To", [])]
    tries = 0
    while True:
        tries += 1
        try:
            _send_once(target, message, sender, to)
            return
        except Exception as exc:
            problem = _classify(exc, target.where)
            if not problem.transient or tries > max(0, retries):
                raise NotifyError(
                    f"{problem} after {tries_text(tries)}", problem.transient
                ) from None
            log.info("e-mail through %s failed (%s); retrying", target.where, problem)
        _sleep(backoff_delay(tries, RETRY_BASE_DELAY, RETRY_MAX_DELAY))


# -- phone -----------------------------------------------------------------------------------


def phone_channel(settings: Settings) -> str | None:
    """``webhook``, ``twilio``, or None when no phone notifier is configured."""
    if settings.phone_webhook_url:
        return "webhook"
    if settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from:
        return "twilio"
    return None


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL, without user info, path or query."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def _post(
    settings: Settings, url: str, what: str, hint: str, idempotent: bool = True, **kwargs: Any
) -> Any:
    import httpx

    from elinara.agent.sources.http import request_with_retries, safe_url

    try:
        with httpx.Client(timeout=settings.http_timeout) as client:
            response = request_with_retries(
                client,
                "POST",
                url,
                retries=settings.notify_retries,
                base_delay=RETRY_BASE_DELAY,
                max_delay=RETRY_MAX_DELAY,
                sleep=_sleep,
                what=what,
                hint=hint,
                idempotent=idempotent,
                **kwargs,
            )
    except ElinaraError as exc:
        # A webhook's path is often its secret: name only the server.
        raise NotifyError(exc.message.replace(safe_url(url), _origin(url)).rstrip(".")) from None
    if not response.is_success:
        detail = ""
        try:
            body = response.json()
            if isinstance(body, dict) and body.get("message"):
                detail = f": {_reply_text(body['message'])}"
        except ValueError:
            pass
        raise NotifyError(f"{what} at {_origin(url)} answered {response.status_code}{detail}")
    return response


def send_webhook(settings: Settings, payload: dict[str, Any]) -> None:
    _post(
        settings,
        settings.phone_webhook_url,
        "the phone webhook",
        "check ELINARA_PHONE_WEBHOOK_URL",
        json=payload,
    )


def send_sms(settings: Settings, phone: str, body: str) -> None:
    sid = settings.twilio_account_sid
    base = (settings.twilio_base_url or "https://api.twilio.com").rstrip("/")
    url = f"{base}/2010-04-01/Accounts/{quote(sid, safe='')}/Messages.json"
    sender = settings.twilio_from
    form = {"To": phone, "Body": body}
    if sender.startswith("MG") and not sender.startswith("+"):
        form["MessagingServiceSid"] = sender  # a Twilio messaging service instead of a number
    else:
        form["From"] = sender
    _post(
        settings,
        url,
        "the SMS API",
        "check the ELINARA_TWILIO_* settings",
        idempotent=False,  # a repeated POST is a second SMS
        data=form,
        auth=(sid, settings.twilio_auth_token),
    )


# -- what the messages say -------------------------------------------------------------------


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _agent_name(ctx: RunContext) -> str:
    if ctx.plan.agent_id == LOCAL_AGENT_ID:
        return "local agent"
    try:
        agent = ctx.store.agents.get(ctx.plan.agent_id)
    except ElinaraError:
        agent = None
    return agent.name if agent is not None and agent.name else "local agent"


def _zone(ctx: RunContext) -> ZoneInfo:
    try:
        return ZoneInfo(str(ctx.settings.timezone))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Lisbon")


def _day(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).date().isoformat() if moment is not None else ""


def _previous_run_start(ctx: RunContext) -> datetime | None:
    """When the agent's last completed run before this one started (None: this is the first)."""
    try:
        runs = ctx.store.runs.list(agent_ids=[ctx.plan.agent_id], status="completed", limit=5)
    except ElinaraError:
        return None
    for run in runs:
        if run.id != ctx.run_id and run.started_at:
            return parse_iso(run.started_at)
    return None


@dataclass
class Email:
    subject: str
    text: str
    html: str
    attachment: tuple[str, bytes] | None = None


def _html_page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{_esc(title)}</title></head>\n"
        '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222">\n'
        f"{body}\n</body></html>\n"
    )


_TH = 'style="text-align:left;padding:6px 8px;background:#1F4E78;color:#fff"'
_TD = 'style="padding:6px 8px;border-bottom:1px solid #ddd;vertical-align:top"'


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th {_TH}>{_esc(h)}</th>" for h in headers)
    lines = [
        "<tr>" + "".join(f"<td {_TD}>{_esc(cell)}</td>" for cell in row) + "</tr>" for row in rows
    ]
    return (
        '<table style="border-collapse:collapse;width:100%" cellspacing="0">\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(lines) + "\n</tbody></table>"
    )


def discovery_email(ctx: RunContext) -> Email:
    plan, counts, zone = ctx.plan, ctx.outcome.counts, _zone(ctx)
    name = _agent_name(ctx)
    today = _day(plan.as_of, zone)
    open_calls = [c for c in ctx.calls if c.status_on(plan.as_of) == "open"]
    since = _previous_run_start(ctx)
    new_ids = (
        {c.aviso_id for c in open_calls if c.published_at and c.published_at > since}
        if since is not None
        else set()
    )
    far = datetime.max.replace(tzinfo=UTC)

    def order(call: FundingCall) -> tuple[bool, datetime, str]:
        return (call.aviso_id not in new_ids, call.closes_at or far, call.aviso_id)

    listed = sorted(open_calls, key=order)[:LIST_CALLS]
    more_calls = len(open_calls) - len(listed)
    invalid = [lead for lead in ctx.leads if not lead.nif_valid]
    files = [str(s.get("source") or "") for s in ctx.outcome.sources if s.get("source")]
    if not files:
        files = [source.name for source in plan.leads]

    calls_line = (
        f"Funding calls: {counts['calls']} read, {counts['calls_open']} open on {today}"
        + (
            f" ({len(new_ids)} new since the previous run on {_day(since, zone)})."
            if since is not None
            else " (the agent's first run: every open call is new)."
        )
    )
    leads_line = f"Companies: {counts['leads']} read from {', '.join(files) or 'the leads'}" + (
        f" ({counts['leads_invalid']} with an invalid NIF)." if counts["leads_invalid"] else "."
    )
    subject = f"elinara · {name}: {counts['calls_open']} open calls, {counts['leads']} companies"

    text = [f"elinara · {name} — discovery report, {today}", "", calls_line, leads_line, ""]
    if listed:
        text.append("Open calls" + (", new ones first:" if new_ids else ", closing soonest first:"))
        for call in listed:
            mark = "[new] " if call.aviso_id in new_ids else ""
            closes = f" — closes {_day(call.closes_at, zone)}" if call.closes_at else ""
            text.append(f"  {mark}{call.aviso_id}  {call.title}{closes}")
        if more_calls:
            text.append(f"  … and {more_calls} more.")
        text.append("")
    if invalid:
        text.append("Companies with an invalid NIF (worth checking in the spreadsheet):")
        for lead in invalid[:LIST_INVALID]:
            text.append(f"  - {lead.company} (NIF given: {lead.nif or 'none'})")
        if len(invalid) > LIST_INVALID:
            text.append(f"  … and {len(invalid) - LIST_INVALID} more.")
        text.append("")
    text += [
        "Matching runs next; the results follow in a second e-mail.",
        "",
        f"-- elinara, run {ctx.run_id}",
    ]

    parts = [
        f"<h2>elinara · {_esc(name)} — discovery report, {_esc(today)}</h2>",
        f"<p>{_esc(calls_line)}<br>{_esc(leads_line)}</p>",
    ]
    if listed:
        parts.append(
            _html_table(
                ("", "Call", "Title", "Closes"),
                [
                    (
                        "new" if c.aviso_id in new_ids else "",
                        c.aviso_id,
                        c.title,
                        _day(c.closes_at, zone),
                    )
                    for c in listed
                ],
            )
        )
        if more_calls:
            parts.append(f"<p>… and {more_calls} more open calls.</p>")
    if invalid:
        items = "".join(
            f"<li>{_esc(lead.company)} (NIF given: {_esc(lead.nif or 'none')})</li>"
            for lead in invalid[:LIST_INVALID]
        )
        extra = len(invalid) - LIST_INVALID
        more = f"<li>… and {extra} more.</li>" if extra > 0 else ""
        parts.append(
            f"<p>Companies with an invalid NIF (worth checking in the spreadsheet):</p><ul>{items}{more}</ul>"
        )
    parts.append("<p>Matching runs next; the results follow in a second e-mail.</p>")
    parts.append(f'<p style="color:#888;font-size:12px">elinara, run {_esc(ctx.run_id)}</p>')
    return Email(subject, "\n".join(text) + "\n", _html_page(subject, "\n".join(parts)))


def _ranked(matches: list[Match]) -> list[Match]:
    return sorted(matches, key=lambda m: (-m.match_score, m.company, m.aviso_id))


def attachment_name(ctx: RunContext) -> str:
    return f"elinara-matches-{_day(ctx.plan.as_of, _zone(ctx))}.xlsx"


def results_email(ctx: RunContext, xlsx: bytes | None) -> Email:
    plan, counts, zone = ctx.plan, ctx.outcome.counts, _zone(ctx)
    name = _agent_name(ctx)
    today = _day(plan.as_of, zone)
    matches = _ranked(ctx.outcome.matches)
    shown = matches[:TABLE_ROWS]
    more = len(matches) - len(shown)
    companies = len({m.nif for m in matches})
    filename = attachment_name(ctx)
    total, new = counts["matches"], counts["new_matches"]
    if total:
        subject = f"elinara · {name}: {total} matches ({new} new)"
    else:
        subject = f"elinara · {name}: no matches this run"
    summary = (
        f"{total} matches ({new} new) for {companies} companies, from {counts['leads']} "
        f"companies × {counts['calls_open']} open calls on {today}, score {plan.min_score} or more."
    )

    text = [f"elinara · {name} — results, {today}", "", summary, ""]
    if shown:
        text.append("Best matches first (score · company · NIF · call · title):")
        for m in shown:
            text.append(
                f"  {m.match_score:>3}  {m.company} (NIF {m.nif}) · {m.aviso_id} · {m.title}"
            )
            if m.reasoning:
                text.append(f"       {m.reasoning}")
        if more:
            text.append(f"  … and {more} more in the attachment {filename}.")
        elif xlsx is not None:
            text.append(f"  All matches are also in the attachment {filename}.")
    else:
        text.append("No company matched an open call this time.")
    text += ["", f"-- elinara, run {ctx.run_id}"]

    parts = [
        f"<h2>elinara · {_esc(name)} — results, {_esc(today)}</h2>",
        f"<p>{_esc(summary)}</p>",
    ]
    if shown:
        parts.append(
            _html_table(
                ("Company", "NIF", "Call", "Title", "Score", "Reasoning"),
                [
                    (m.company, m.nif, m.aviso_id, m.title, m.match_score, m.reasoning)
                    for m in shown
                ],
            )
        )
        if more:
            parts.append(f"<p>… and {more} more in the attachment {_esc(filename)}.</p>")
        elif xlsx is not None:
            parts.append(f"<p>All matches are also in the attachment {_esc(filename)}.</p>")
    else:
        parts.append("<p>No company matched an open call this time.</p>")
    parts.append(f'<p style="color:#888;font-size:12px">elinara, run {_esc(ctx.run_id)}</p>')
    attachment = (filename, xlsx) if xlsx is not None else None
    return Email(subject, "\n".join(text) + "\n", _html_page(subject, "\n".join(parts)), attachment)


def phone_summary(ctx: RunContext) -> str:
    counts = ctx.outcome.counts
    matches = _ranked(ctx.outcome.matches)
    where = ctx.plan.leads[0].name if len(ctx.plan.leads) == 1 else ""
    head = f"elinara ({where})" if where else "elinara"
    if not matches:
        return (
            f"{head}: no matches for {counts['leads']} companies × "
            f"{counts['calls_open']} open calls."
        )
    best = matches[0]
    company = best.company if len(best.company) <= 40 else best.company[:39] + "…"
    companies = len({m.nif for m in matches})
    return (
        f"{head}: {counts['matches']} matches ({counts['new_matches']} new) for {companies} "
        f"companies. Best: {company} – {best.aviso_id} ({best.match_score})."
    )


def webhook_payload(ctx: RunContext, phone: str) -> dict[str, Any]:
    counts = ctx.outcome.counts
    return {
        "phone": phone,
        "agent_id": ctx.plan.agent_id,
        "run_id": ctx.run_id,
        "summary": phone_summary(ctx),
        "matches": counts["matches"],
        "new_matches": counts["new_matches"],
        "top": [
            {
                "company": m.company,
                "nif": m.nif,
                "aviso_id": m.aviso_id,
                "title": m.title,
                "match_score": m.match_score,
            }
            for m in _ranked(ctx.outcome.matches)[:TOP_IN_SUMMARY]
        ],
    }


def build_message(settings: Settings, recipient: str, email: Email) -> EmailMessage:
    sender = str(settings.smtp_from or "elinara@localhost")
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    if email.attachment is not None:
        filename, data = email.attachment
        message.add_attachment(data, maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=filename)
    return message


# -- the stages ------------------------------------------------------------------------------


@dataclass
class Outgoing:
    """One message to send: what it is (for the thought stream) and how to send it."""

    what: str
    send: Callable[[], None]


def _recipients(ctx: RunContext) -> list[str]:
    seen: dict[str, str] = {}
    for raw in ctx.plan.alert_emails:
        address = str(raw).strip()
        if address and address.lower() not in seen:
            seen[address.lower()] = address
    return list(seen.values())


def _email_to(
    settings: Settings, target: SmtpTarget, address: str, email: Email, retries: int
) -> None:
    send_email(target, build_message(settings, address, email), retries)


def _refuse(problem: NotifyError) -> None:
    raise problem


def _email_items(
    ctx: RunContext, recipients: list[str], make: Callable[[], Email]
) -> list[Outgoing]:
    """One message per recipient (no one sees the others' addresses), through ``smtp_url``."""
    settings = ctx.settings
    try:
        target = parse_smtp_url(str(settings.smtp_url), float(settings.smtp_timeout))
    except NotifyError as problem:
        return [Outgoing(f"e-mail to {', '.join(recipients)}", partial(_refuse, problem))]
    email = make()
    retries = int(settings.notify_retries)
    return [
        Outgoing(
            f"e-mail to {address}", partial(_email_to, settings, target, address, email, retries)
        )
        for address in recipients
    ]


def _deliver(ctx: RunContext, key: str, title: str, items: list[Outgoing], done: str) -> None:
    total = len(items)
    ctx.stages.start(key, total=total, label=f"0/{total} sent")
    sent = 0
    failures: list[str] = []
    for item in items:
        ctx.control.checkpoint()
        try:
            item.send()
        except NotifyError as exc:
            failures.append(f"{item.what}: {exc}")
            ctx.warn(f"{title}: {item.what} not sent: {exc}.")
        except (RunCancelled, KeyboardInterrupt):
            raise
        except Exception as exc:  # never let a notification fail the run
            log.exception("sending %s failed", item.what)
            failures.append(f"{item.what}: {type(exc).__name__}")
            ctx.warn(f"{title}: {item.what} not sent ({type(exc).__name__}).")
        else:
            sent += 1
            ctx.events.action("observation", f"{title}: sent {item.what}.")
        ctx.stages.progress(key, sent, f"{sent}/{total} sent")
    if failures:
        extra = f" (and {len(failures) - 1} more failures)" if len(failures) > 1 else ""
        ctx.stages.fail(key, f"{sent} of {total} sent; {failures[0]}{extra}")
    else:
        ctx.stages.complete(key, done)


def _guarded(ctx: RunContext, key: str, title: str, body: Callable[[], None]) -> None:
    try:
        body()
    except (RunCancelled, KeyboardInterrupt):
        raise
    except NotifyError as exc:  # a configuration problem found before sending
        ctx.stages.fail(key, str(exc))
        ctx.warn(f"{title} not sent: {exc}")
    except Exception as exc:  # never let a notification fail the run
        log.exception("%s failed", title)
        ctx.stages.fail(key, f"{title} not sent ({type(exc).__name__})")
        ctx.warn(f"{title} not sent: {type(exc).__name__}: {exc}")


def send_discovery_report(ctx: RunContext) -> None:
    _guarded(ctx, DISCOVERY, "Discovery report", lambda: _discovery(ctx))


def _discovery(ctx: RunContext) -> None:
    key, title = DISCOVERY, "Discovery report"
    recipients = _recipients(ctx)
    if not recipients:
        ctx.stages.skip(key, "skipped: no alert e-mails configured")
        return
    if ctx.plan.dry_run:
        ctx.stages.skip(key, "dry run: nothing sent")
        ctx.events.thought(f"{title} not sent: this is a dry run.")
        return
    if not str(ctx.settings.smtp_url or "").strip():
        ctx.stages.skip(key, "skipped: e-mail delivery is not configured")
        ctx.events.thought(
            f"{title} not sent to {len(recipients)} address(es): e-mail delivery is not "
            f"configured; {SMTP_HINT}."
        )
        return
    items = _email_items(ctx, recipients, lambda: discovery_email(ctx))
    ctx.events.action("action", f"Sending the discovery report to {', '.join(recipients)}.")
    _deliver(ctx, key, title, items, f"sent to {len(items)} recipient(s)")


def send_results(ctx: RunContext) -> None:
    _guarded(ctx, RESULTS, "Final alert", lambda: _results(ctx))


def _results(ctx: RunContext) -> None:
    from elinara.agent.normalize import normalize_phone

    key, title = RESULTS, "Final alert"
    settings = ctx.settings
    recipients = _recipients(ctx)
    raw_phone = ctx.plan.phone.strip()
    if not recipients and not raw_phone:
        ctx.stages.skip(key, "skipped: no alert e-mails configured")
        return
    if ctx.plan.dry_run:
        ctx.stages.skip(key, "dry run: nothing sent")
        ctx.events.thought(f"{title} not sent: this is a dry run.")
        return
    items: list[Outgoing] = []
    notes: list[str] = []
    if recipients:
        if not str(settings.smtp_url or "").strip():
            notes.append("e-mail delivery is not configured")
            ctx.events.thought(
                f"Results not e-mailed to {len(recipients)} address(es): e-mail delivery is not "
                f"configured; {SMTP_HINT}."
            )
        else:

            def make() -> Email:
                from elinara.agent.export import xlsx_bytes

                matches = _ranked(ctx.outcome.matches)
                return results_email(ctx, xlsx_bytes(matches) if matches else None)

            items.extend(_email_items(ctx, recipients, make))
    if raw_phone:
        channel = phone_channel(settings)
        phone = normalize_phone(raw_phone)
        if channel is None:
            notes.append("phone delivery is not configured")
            ctx.events.thought(
                f"Summary not sent to the task's phone: phone delivery is not configured; "
                f"{PHONE_HINT}."
            )
        elif phone is None:
            problem = NotifyError(f"{raw_phone!r} is not a phone number that can be read")
            items.append(Outgoing("phone summary", partial(_refuse, problem)))
        elif channel == "webhook":
            payload = webhook_payload(ctx, phone)
            items.append(
                Outgoing(
                    f"phone summary for {phone} to the webhook",
                    partial(send_webhook, settings, payload),
                )
            )
        else:
            body = phone_summary(ctx)
            items.append(Outgoing(f"SMS to {phone}", partial(send_sms, settings, phone, body)))
    if not items:
        ctx.stages.skip(key, "skipped: " + " and ".join(notes))
        return
    ctx.events.action("action", f"Sending the results: {', '.join(i.what for i in items)}.")
    done = f"{len(items)} sent" + (f"; {' and '.join(notes)}" if notes else "")
    _deliver(ctx, key, title, items, done)
