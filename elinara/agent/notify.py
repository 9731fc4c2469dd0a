"""The two notification stages: the discovery report and the final alert.

``email_alert`` (Discovery Report) e-mails the agent's ``alert_emails`` what the run found before
matching (calls, new calls since the agent's previous run, companies read, invalid NIFs).
``sending_email`` (Final Alert) e-mails the matches (an HTML table and its plain-text twin, best
matches first, the full export attached as .xlsx) and sends a task's ``phone`` a short summary,
through a JSON webhook or a Twilio-compatible SMS API.

The messages are written in ``messages.py`` and sent by ``transports.py`` (SMTP, webhook, SMS);
this module decides who gets what, when. A notification never fails a run: a send that still fails is a stage error
(``status: "error"`` with a readable label) plus an ``error`` line in the thought stream, and the
run's matches stay stored. Passwords and tokens are never written to a message or a log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from elinara.agent.export import xlsx_bytes
from elinara.agent.messages import (
    Email,
    build_message,
    discovery_email,
    phone_summary,
    ranked,
    results_email,
    webhook_payload,
)
from elinara.agent.normalize import normalize_phone
from elinara.agent.stages import DISCOVERY_ALERT, RESULTS_ALERT
from elinara.agent.transports import (
    PHONE_HINT,
    SMTP_HINT,
    NotifyError,
    SmtpTarget,
    parse_smtp_url,
    phone_channel,
    send_email,
    send_sms,
    send_webhook,
)
from elinara.errors import RunCancelled

if TYPE_CHECKING:
    from elinara.agent.context import RunContext
    from elinara.config import Settings


log = logging.getLogger(__name__)


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
    _guarded(ctx, DISCOVERY_ALERT, "Discovery report", lambda: _discovery(ctx))


def _discovery(ctx: RunContext) -> None:
    key, title = DISCOVERY_ALERT, "Discovery report"
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
    _guarded(ctx, RESULTS_ALERT, "Final alert", lambda: _results(ctx))


def _results(ctx: RunContext) -> None:

    key, title = RESULTS_ALERT, "Final alert"
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

                matches = ranked(ctx.outcome.matches)
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
