"""What notifications say: the discovery report and the results e-mail (an HTML table and its
plain-text twin, best matches first), the phone summary and the webhook payload. How they travel
is in ``transports.py``; when they are sent is in ``notify.py``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from elinara.errors import ElinaraError
from elinara.models import LOCAL_AGENT_ID, FundingCall, Match
from elinara.times import parse_iso

if TYPE_CHECKING:
    from elinara.agent.context import RunContext
    from elinara.config import Settings

TABLE_ROWS = 50  # matches in the e-mail's table; all of them are in the attachment


LIST_CALLS = 50  # open calls listed in the discovery report


LIST_INVALID = 20  # companies with an invalid NIF listed in the discovery report


TOP_IN_SUMMARY = 5  # best matches in the webhook payload


XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


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


def ranked(matches: list[Match]) -> list[Match]:
    return sorted(matches, key=lambda m: (-m.match_score, m.company, m.aviso_id))


def attachment_name(ctx: RunContext) -> str:
    return f"elinara-matches-{_day(ctx.plan.as_of, _zone(ctx))}.xlsx"


def results_email(ctx: RunContext, xlsx: bytes | None) -> Email:
    plan, counts, zone = ctx.plan, ctx.outcome.counts, _zone(ctx)
    name = _agent_name(ctx)
    today = _day(plan.as_of, zone)
    matches = ranked(ctx.outcome.matches)
    shown = matches[:TABLE_ROWS]
    more = len(matches) - len(shown)
    companies = len({m.lead_key for m in matches})
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
                f"  {m.match_score:>3}  {m.company} (NIF {m.lead_key}) · {m.aviso_id} · {m.title}"
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
                    (m.company, m.lead_key, m.aviso_id, m.title, m.match_score, m.reasoning)
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
    matches = ranked(ctx.outcome.matches)
    where = ctx.plan.leads[0].name if len(ctx.plan.leads) == 1 else ""
    head = f"elinara ({where})" if where else "elinara"
    if not matches:
        return (
            f"{head}: no matches for {counts['leads']} companies × "
            f"{counts['calls_open']} open calls."
        )
    best = matches[0]
    company = best.company if len(best.company) <= 40 else best.company[:39] + "…"
    companies = len({m.lead_key for m in matches})
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
                "nif": m.lead_key,
                "aviso_id": m.aviso_id,
                "title": m.title,
                "match_score": m.match_score,
            }
            for m in ranked(ctx.outcome.matches)[:TOP_IN_SUMMARY]
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
