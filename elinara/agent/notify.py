"""The two notification stages: the discovery report and the final alert."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from elinara.agent.pipeline import Pipeline


def _skip_reason(pipeline: Pipeline, wants_phone: bool) -> str | None:
    if not pipeline.plan.alert_emails and not (wants_phone and pipeline.plan.phone):
        return "no alert e-mails configured"
    if pipeline.plan.dry_run:
        return "dry run: nothing sent"
    return None


def send_discovery_report(pipeline: Pipeline) -> None:
    key = "email_alert"
    reason = _skip_reason(pipeline, wants_phone=False) or "e-mail delivery is not configured"
    pipeline.stages.skip(key, f"skipped: {reason}")
    if pipeline.plan.alert_emails:
        pipeline.events.thought(f"Discovery report not sent: {reason}.")


def send_results(pipeline: Pipeline) -> None:
    key = "sending_email"
    reason = (
        _skip_reason(pipeline, wants_phone=True) or "e-mail and phone delivery are not configured"
    )
    pipeline.stages.skip(key, f"skipped: {reason}")
    if pipeline.plan.alert_emails or pipeline.plan.phone:
        pipeline.events.thought(f"Results not sent: {reason}.")
