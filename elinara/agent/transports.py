"""How notifications travel: e-mail over SMTP (``smtp://`` with STARTTLS when offered,
``smtps://`` over TLS), and a phone summary through a JSON webhook or a Twilio-compatible SMS API.

Each message is one try per connection; connection errors, timeouts and 4xx replies are retried
with backoff up to ``notify_retries``, 5xx replies are final. Passwords and tokens are never
written to a message or a log. What the messages say is in ``messages.py``; when they are sent
(the two notification stages) is in ``notify.py``.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

import httpx

from elinara.agent.sources.http import backoff_delay, request_with_retries, safe_url, tries_text
from elinara.errors import ElinaraError
from elinara.net import is_loopback_host

if TYPE_CHECKING:
    from elinara.config import Settings

log = logging.getLogger(__name__)

RETRY_BASE_DELAY = 1.0


RETRY_MAX_DELAY = 30.0


SMTP_HINT = "set ELINARA_SMTP_URL (smtp://user:password@host:587 or smtps://…:465)"


PHONE_HINT = (
    "set ELINARA_PHONE_WEBHOOK_URL, or ELINARA_TWILIO_ACCOUNT_SID, ELINARA_TWILIO_AUTH_TOKEN "
    "and ELINARA_TWILIO_FROM"
)


# Waits between retries; a test replaces it to keep retries instant.
retry_sleep: Callable[[float], Any] = time.sleep


class NotifyError(Exception):
    """One message could not be delivered; ``transient`` failures are worth another try."""

    def __init__(self, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient

    def __str__(self) -> str:
        return self.message


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
        retry_sleep(backoff_delay(tries, RETRY_BASE_DELAY, RETRY_MAX_DELAY))


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

    try:
        with httpx.Client(timeout=settings.http_timeout) as client:
            response = request_with_retries(
                client,
                "POST",
                url,
                retries=settings.notify_retries,
                base_delay=RETRY_BASE_DELAY,
                max_delay=RETRY_MAX_DELAY,
                sleep=retry_sleep,
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
