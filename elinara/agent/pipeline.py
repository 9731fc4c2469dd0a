"""A run's six stages, in order, emitting progress and thoughts as it goes.

Cancel and pause are honoured at item boundaries (between files, between companies, between
batches of matches) through ``RunControl.checkpoint``. Matches are written only in the
``send_results`` stage and are upserted by (agent, NIF, call), so a run that is cancelled, crashes
or runs again never leaves duplicates.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from elinara.agent.events import RunEvents
from elinara.agent.inputs import LeadSource, RunPlan, expand_leads_path
from elinara.agent.stages import Stages
from elinara.config import Settings
from elinara.errors import BadInput, ElinaraError, RunCancelled
from elinara.models import FundingCall, Lead, Match, Verdict
from elinara.store import Store
from elinara.times import local_day, now_iso

if TYPE_CHECKING:
    from elinara.agent.sheets import LeadSink
    from elinara.store.repos import LeadSaver

log = logging.getLogger(__name__)
SAVE_BATCH = 500


class RunControl:
    """Checks, at safe points, whether the run was asked to stop or pause."""

    def __init__(self, poll: Callable[[], dict[str, bool]] | None = None, every: float = 0.5):
        self._poll = poll
        self._every = every
        self._last = 0.0
        self._flags: dict[str, bool] = {}
        self.on_pause: Callable[[bool], None] | None = None

    def _refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if self._poll is not None and (force or now - self._last >= self._every):
            self._last = now
            self._flags = self._poll()

    def checkpoint(self) -> None:
        self._refresh()
        paused = False
        while self._flags.get("pause") and not self._flags.get("cancel"):
            if not paused and self.on_pause:
                self.on_pause(True)
            paused = True
            time.sleep(self._every)
            self._refresh(force=True)
        if self._flags.get("cancel") or self._flags.get("lost"):
            raise RunCancelled("The run was stopped.")
        if paused and self.on_pause:
            self.on_pause(False)


@dataclass
class RunOutcome:
    status: str  # completed | failed | cancelled
    counts: dict[str, int] = field(default_factory=dict)
    matches: list[Match] = field(default_factory=list)
    usage: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    error: ElinaraError | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    prompts: list[dict[str, Any]] = field(default_factory=list)  # dry run + LLM: would be sent


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(
        ("leads", "leads_invalid", "calls", "calls_open", "candidates", "matches", "new_matches"), 0
    )


def empty_usage() -> dict[str, Any]:
    return {"calls": 0, "cached": 0, "input_tokens": 0, "output_tokens": 0, "cost_usd": 0.0}


class Pipeline:
    def __init__(
        self,
        plan: RunPlan,
        run_id: str,
        store: Store,
        settings: Settings,
        events: RunEvents,
        control: RunControl | None = None,
        on_progress: Callable[[int, str], None] | None = None,
    ) -> None:
        self.plan = plan
        self.run_id = run_id
        self.store = store
        self.settings = settings
        self.events = events
        self.control = control or RunControl()
        self.stages = Stages(self._publish_pipeline)
        self.outcome = RunOutcome(status="running", counts=empty_counts(), usage=empty_usage())
        self._on_progress = on_progress
        self.leads: list[Lead] = []
        self.calls: list[FundingCall] = []
        self.worker_id: str | None = None  # who holds the run; its writes stop if it loses it

    # -- helpers ---------------------------------------------------------------------------
    def _publish_pipeline(self, stages: dict[str, Any]) -> None:
        """To the sockets and to the run record (what /agent/status shows mid-run)."""
        self.events.pipeline(stages)
        self.store.runs.update_held(self.run_id, self.worker_id, {"pipeline": stages})

    def _progress(self, percent: int, message: str) -> None:
        if self._on_progress:
            self._on_progress(percent, message)

    def _warn(self, message: str) -> None:
        self.outcome.warnings.append(message)
        self.events.error(message)

    # -- the run ---------------------------------------------------------------------------
    def run(self) -> RunOutcome:
        started = time.monotonic()
        try:
            if self.plan.provider_note:  # the LLM fell back (inputs.py)
                self._warn(self.plan.provider_note)
            if self.plan.sample:
                self.events.thought(
                    "No leads or calls given: running on the sample data shipped with elinara, "
                    f"judging calls as open on {local_day(self.plan.as_of)}."
                )
            self.establish_connection()
            self.loading_data()
            self.email_alert()
            verdicts = self.cross_data()
            self.send_results(verdicts)
            self.sending_email()
            self.outcome.status = "completed"
            took = time.monotonic() - started
            c = self.outcome.counts
            self.outcome.message = (
                f"{c['matches']} matches ({c['new_matches']} new) from {c['leads']} companies "
                f"x {c['calls_open']} open calls in {took:.1f}s"
            )
            if self.outcome.warnings:
                self.outcome.message += f"; {len(self.outcome.warnings)} warning(s)"
        except RunCancelled:
            self.outcome.status = "cancelled"
            self.outcome.message = "Stopped on request; matches saved so far are kept."
            self.stages.fail_current("stopped")
            self.events.action("observation", self.outcome.message)
        except ElinaraError as exc:
            self.outcome.status = "failed"
            self.outcome.error = exc
            self.outcome.message = exc.message
            self.stages.fail_current(exc.message)
            self.events.error(exc.message)
        self._progress(100, self.outcome.message)
        return self.outcome

    def establish_connection(self) -> None:
        key = "establish_connection"
        sources = self.plan.leads
        self.stages.start(key, total=len(sources) + len(self.plan.calls))
        done = 0
        for source in sources:
            self.control.checkpoint()
            if source.platform == "local_file":
                expand_leads_path(Path(source.identifier))  # raises a clear BadInput
            else:
                from elinara.agent.sources.cloud import check_source

                check_source(self.store, self.settings, self.plan.user_id, source)
            done += 1
            self.stages.progress(key, done)
        for spec in self.plan.calls:
            is_url = spec == "p2030" or spec.startswith(("http://", "https://"))
            if not is_url and not Path(spec).exists():
                raise BadInput(f"Calls file {spec} does not exist.")
            done += 1
            self.stages.progress(key, done)
        self.events.action(
            "action",
            f"Checked {len(sources)} leads source(s) and {len(self.plan.calls)} calls source(s).",
        )
        self.stages.complete(key, f"{done} sources ready")
        self._progress(5, "sources checked")

    def _read_leads_source(
        self, source: LeadSource, sink_for_file: Callable[[], LeadSink]
    ) -> list[Lead]:
        from elinara.agent.sheets import read_leads

        if source.platform == "local_file":
            paths = expand_leads_path(Path(source.identifier))
        else:
            from elinara.agent.sources.cloud import download_leads

            paths = download_leads(self.store, self.settings, self.plan, source, self.events)
        leads: list[Lead] = []
        for path in paths:
            self.control.checkpoint()
            found, report = read_leads(path, sink_for_file())
            leads.extend(found)
            self.outcome.sources.append(report.to_dict())
            note = f"Read {len(found)} companies from {path.name}"
            extras = []
            if report.rows_invalid:
                extras.append(f"{report.rows_invalid} with an invalid NIF")
            if report.duplicates_merged:
                extras.append(f"{report.duplicates_merged} duplicates merged")
            if report.rows_skipped:
                extras.append(f"{report.rows_skipped} rows skipped")
            if extras:
                note += " (" + ", ".join(extras) + ")"
            self.events.action("observation", note + ".")
        return leads

    def loading_data(self) -> None:
        """Leads first (local and quick to refuse when malformed), then calls (network). The
        leads are stored while they are read and while the calls load; a bad file stores
        nothing, and leads read before a later failure are stored whole. Once both are loaded,
        a run over all the agent's leads (see ``RunPlan.whole_leads``) leaves only its
        companies."""
        key = "loading_data"
        self.stages.start(key, total=len(self.plan.leads) + len(self.plan.calls))
        with self.store.leads.saving(self.plan.agent_id, self.run_id) as saver:
            self.leads = self._load_leads(key, saver)
            self.calls = self._load_calls(key, done=len(self.plan.leads))
        if self.plan.whole_leads:
            self._drop_companies_no_longer_given()
        self.outcome.counts["leads"] = len(self.leads)
        self.outcome.counts["leads_invalid"] = sum(1 for lead in self.leads if not lead.nif_valid)
        self.stages.complete(key, f"{len(self.leads)} companies, {len(self.calls)} calls")
        self._progress(30, "data loaded")

    def _drop_companies_no_longer_given(self) -> None:
        """The agent's leads are now its sources' companies: the others leave, and so do
        their matches."""
        agent_id = self.plan.agent_id
        gone = self.store.leads.keep_only(agent_id, {lead.key for lead in self.leads})
        if gone:
            self.store.matches.retire(agent_id, gone, self.run_id)
            what = "1 company" if len(gone) == 1 else f"{len(gone)} companies"
            self.events.action(
                "observation",
                f"{what} no longer in the leads given left the agent's leads, with their matches.",
            )

    def _load_leads(self, key: str, saver: LeadSaver) -> list[Lead]:
        """The first file naming a company wins, in memory and in the store."""
        leads: dict[str, Lead] = {}
        owner: dict[str, object] = {}  # Lead.key -> the file whose lead is stored

        def sink_for_file() -> LeadSink:
            file = object()

            def store(batch: list[Lead]) -> None:
                saver.add([lead for lead in batch if owner.setdefault(lead.key, file) is file])

            return store

        for done, source in enumerate(self.plan.leads, start=1):
            for lead in self._read_leads_source(source, sink_for_file):
                leads.setdefault(lead.key, lead)
            self.stages.progress(key, done, f"{len(leads)} companies")
        if not leads:
            raise BadInput(
                "No companies found in the leads given; check the spreadsheet's columns."
            )
        return list(leads.values())

    def _load_calls(self, key: str, done: int) -> list[FundingCall]:
        from elinara.agent.calls import dedupe_calls, load_calls

        found_all: list[FundingCall] = []
        for spec in self.plan.calls:
            self.control.checkpoint()
            where = "Portugal 2030" if spec == "p2030" else spec
            self.events.action("action", f"Fetching funding calls from {where}.")
            found, problems = load_calls(
                spec, self.settings, payload=self.plan.call_payloads.get(spec)
            )
            for problem in problems:
                self._warn(problem)
            found_all.extend(found)
            done += 1
            self.stages.progress(key, done, f"{len(found_all)} calls")
        calls = dedupe_calls(found_all)  # one per code, the most recently updated
        open_calls = [c for c in calls if c.status_on(self.plan.as_of) == "open"]
        self.outcome.counts["calls"] = len(calls)
        self.outcome.counts["calls_open"] = len(open_calls)
        self.events.action(
            "observation",
            f"{len(calls)} funding calls, {len(open_calls)} open on {local_day(self.plan.as_of)}.",
        )
        return calls

    def email_alert(self) -> None:
        from elinara.agent.notify import send_discovery_report

        send_discovery_report(self)

    def cross_data(self) -> list[Verdict]:
        from elinara.agent.matching.offline import OfflineMatcher

        key = "cross_data"
        total = len(self.leads)
        self.stages.start(key, total=total, label=f"0/{total} companies")
        matcher = OfflineMatcher(self.calls, self.plan.as_of)
        self.events.thought(
            f"Matching {total} companies against {self.outcome.counts['calls_open']} open calls: "
            "eligibility (dates, region, size), then fit (sector, activity)."
        )
        verdicts: list[Verdict] = []
        for index, lead in enumerate(self.leads, start=1):
            self.control.checkpoint()
            verdicts.extend(matcher.candidates(lead, self.plan.min_score))
            self.stages.progress(key, index, f"{index}/{total} companies")
            self._progress(30 + int(50 * index / max(total, 1)), f"{index}/{total} companies")
        verdicts = self.judge(verdicts)
        self.outcome.counts["candidates"] = len(verdicts)
        # The threshold filters offline verdicts only: a pair the LLM judged keeps its verdict
        # (and its low score, if low), so the LLM never silently drops a candidate.
        kept = [
            v for v in verdicts if v.match_score >= self.plan.min_score or v.provider != "offline"
        ]
        companies = len({v.nif for v in kept})
        low = sum(1 for v in kept if v.match_score < self.plan.min_score)
        lower = f", and {low} the LLM scored lower (kept, with its reasons)" if low else ""
        self.events.thought(
            f"{len(kept) - low} matches at score {self.plan.min_score} or more{lower}, "
            f"for {companies} companies."
        )
        self.stages.complete(key, f"{len(kept)} matches")
        return kept

    def judge(self, verdicts: list[Verdict]) -> list[Verdict]:
        """The optional LLM judgement; the offline verdicts stand when the provider is offline."""
        if self.plan.provider == "offline":
            return verdicts
        from elinara.agent.matching.judge import judge_candidates

        return judge_candidates(self, verdicts)

    def send_results(self, verdicts: list[Verdict]) -> None:
        key = "send_results"
        titles = {c.aviso_id: c.title for c in self.calls}
        companies = {lead.key: lead.company for lead in self.leads}
        now = now_iso()
        matches = [
            Match(
                id="",
                agent_id=self.plan.agent_id,
                aviso_id=v.aviso_id,
                nif=v.nif,
                company=companies.get(v.nif, v.nif),
                title=titles.get(v.aviso_id, v.aviso_id),
                match_score=v.match_score,
                eligible=v.eligible,
                reasoning=v.reasoning,
                provider=v.provider,
                model=v.model,
                run_id=self.run_id,
                user_id=self.plan.user_id,
                matched_at=now,
            )
            for v in verdicts
        ]
        matches.sort(key=lambda m: (-m.match_score, m.company, m.aviso_id))
        self.outcome.matches = matches
        self.outcome.counts["matches"] = len(matches)
        if self.plan.dry_run:
            self.stages.skip(key, "dry run: nothing written")
            self.events.action("observation", f"Dry run: {len(matches)} matches not saved.")
            return
        self.stages.start(key, total=len(matches))
        new = 0
        for start in range(0, len(matches), SAVE_BATCH):
            self.control.checkpoint()
            new += self.store.matches.upsert_many(matches[start : start + SAVE_BATCH])
            self.stages.progress(key, min(start + SAVE_BATCH, len(matches)))
        self.outcome.counts["new_matches"] = new
        retired = self.store.matches.retire(
            self.plan.agent_id, [lead.key for lead in self.leads], self.run_id
        )
        note = f"Saved {len(matches)} matches, {new} of them new."
        if retired:
            note += f" Removed {retired} earlier matches that no longer hold."
        self.events.action("observation", note)
        self.stages.complete(key, f"{len(matches)} saved, {new} new")
        self._progress(95, "results saved")

    def sending_email(self) -> None:
        from elinara.agent.notify import send_results

        send_results(self)
