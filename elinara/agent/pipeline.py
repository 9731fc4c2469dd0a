"""A run's six stages, in order, emitting progress and thoughts as it goes.

Cancel and pause are honoured at item boundaries (between files, between companies, between
batches of matches) through ``RunControl.checkpoint``. Matches are written only in the
``save_matches`` stage (wire key ``send_results``) and are upserted by (agent, NIF, call), so a run that is cancelled, crashes
or runs again never leaves duplicates.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from elinara.agent.call_files import load_calls
from elinara.agent.calls import dedupe_calls
from elinara.agent.context import RunContext, RunControl, RunOutcome
from elinara.agent.events import RunEvents
from elinara.agent.inputs import LeadSource, RunPlan, expand_leads_path
from elinara.agent.matching.judge import judge_candidates
from elinara.agent.matching.offline import OfflineMatcher
from elinara.agent.notices.llm_fill import fill_with_llm
from elinara.agent.notices.read import read_call_notices
from elinara.agent.notify import send_discovery_report, send_results
from elinara.agent.sheet_limits import SheetLimits
from elinara.agent.sheets import read_leads
from elinara.agent.sources.cloud import check_source, download_leads
from elinara.agent.stages import CHECK_SOURCES, LOAD_DATA, MATCH, SAVE_MATCHES, Stages
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


class Pipeline:
    """Runs the six stages in order over one ``RunContext``."""

    def __init__(
        self,
        plan: RunPlan,
        run_id: str,
        store: Store,
        settings: Settings,
        events: RunEvents,
        control: RunControl | None = None,
        on_progress: Callable[[int, str], None] | None = None,
        worker_id: str | None = None,
    ) -> None:
        self.ctx = RunContext(
            plan=plan,
            run_id=run_id,
            store=store,
            settings=settings,
            events=events,
            stages=Stages(self._publish_pipeline),
            control=control or RunControl(),
            on_progress=on_progress,
            worker_id=worker_id,
        )

    def _publish_pipeline(self, stages: dict[str, Any]) -> None:
        """To the sockets and to the run record (what /agent/status shows mid-run)."""
        ctx = self.ctx
        ctx.events.pipeline(stages)
        ctx.store.runs.update_held(ctx.run_id, ctx.worker_id, {"pipeline": stages})

    # -- the run ---------------------------------------------------------------------------
    def run(self) -> RunOutcome:
        started = time.monotonic()
        try:
            if self.ctx.plan.provider_note:  # the LLM fell back (inputs.py)
                self.ctx.warn(self.ctx.plan.provider_note)
            if self.ctx.plan.sample:
                self.ctx.events.thought(
                    "No leads or calls given: running on the sample data shipped with elinara, "
                    f"judging calls as open on {local_day(self.ctx.plan.as_of)}."
                )
            self.check_sources()
            self.load_data()
            self.send_discovery_alert()
            verdicts = self.match()
            self.save_matches(verdicts)
            self.send_results_alert()
            self.ctx.outcome.status = "completed"
            took = time.monotonic() - started
            c = self.ctx.outcome.counts
            self.ctx.outcome.message = (
                f"{c['matches']} matches ({c['new_matches']} new) from {c['leads']} companies "
                f"x {c['calls_open']} open calls in {took:.1f}s"
            )
            if self.ctx.outcome.warnings:
                self.ctx.outcome.message += f"; {len(self.ctx.outcome.warnings)} warning(s)"
        except RunCancelled:
            self.ctx.outcome.status = "cancelled"
            self.ctx.outcome.message = "Stopped on request; matches saved so far are kept."
            self.ctx.stages.fail_current("stopped")
            self.ctx.events.action("observation", self.ctx.outcome.message)
        except ElinaraError as exc:
            self.ctx.outcome.status = "failed"
            self.ctx.outcome.error = exc
            self.ctx.outcome.message = exc.message
            self.ctx.stages.fail_current(exc.message)
            self.ctx.events.error(exc.message)
        self.ctx.progress(100, self.ctx.outcome.message)
        return self.ctx.outcome

    def check_sources(self) -> None:
        key = CHECK_SOURCES
        sources = self.ctx.plan.leads
        self.ctx.stages.start(key, total=len(sources) + len(self.ctx.plan.calls))
        done = 0
        for source in sources:
            self.ctx.control.checkpoint()
            if source.platform == "local_file":
                expand_leads_path(Path(source.identifier))  # raises a clear BadInput
            else:
                check_source(self.ctx.store, self.ctx.settings, self.ctx.plan.user_id, source)
            done += 1
            self.ctx.stages.progress(key, done)
        for spec in self.ctx.plan.calls:
            is_url = spec == "p2030" or spec.startswith(("http://", "https://"))
            if not is_url and not Path(spec).exists():
                raise BadInput(f"Calls file {spec} does not exist.")
            done += 1
            self.ctx.stages.progress(key, done)
        self.ctx.events.action(
            "action",
            f"Checked {len(sources)} leads source(s) and {len(self.ctx.plan.calls)} calls source(s).",
        )
        self.ctx.stages.complete(key, f"{done} sources ready")
        self.ctx.progress(5, "sources checked")

    def _read_leads_source(
        self, source: LeadSource, sink_for_file: Callable[[], LeadSink]
    ) -> list[Lead]:

        if source.platform == "local_file":
            paths = expand_leads_path(Path(source.identifier))
        else:
            paths = download_leads(
                self.ctx.store, self.ctx.settings, self.ctx.plan, source, self.ctx.events
            )
        leads: list[Lead] = []
        for path in paths:
            self.ctx.control.checkpoint()
            found, report = read_leads(
                path, sink_for_file(), SheetLimits.from_settings(self.ctx.settings)
            )
            leads.extend(found)
            self.ctx.outcome.sources.append(report.to_dict())
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
            self.ctx.events.action("observation", note + ".")
        return leads

    def load_data(self) -> None:
        """Leads first (local and quick to refuse when malformed), then calls (network). The
        leads are stored while they are read and while the calls load; a bad file stores
        nothing, and leads read before a later failure are stored whole. Once both are loaded,
        a run over all the agent's leads (see ``RunPlan.whole_leads``) leaves only its
        companies."""
        key = LOAD_DATA
        self.ctx.stages.start(key, total=len(self.ctx.plan.leads) + len(self.ctx.plan.calls))
        with self.ctx.store.leads.saving(self.ctx.plan.agent_id, self.ctx.run_id) as saver:
            self.ctx.leads = self.load_leads(key, saver)
            self.ctx.calls = self.load_calls(key, done=len(self.ctx.plan.leads))
        if self.ctx.plan.whole_leads:
            self._drop_companies_no_longer_given()
        self.ctx.outcome.counts["leads"] = len(self.ctx.leads)
        self.ctx.outcome.counts["leads_invalid"] = sum(
            1 for lead in self.ctx.leads if not lead.nif_valid
        )
        self.ctx.stages.complete(
            key, f"{len(self.ctx.leads)} companies, {len(self.ctx.calls)} calls"
        )
        self.ctx.progress(30, "data loaded")

    def _drop_companies_no_longer_given(self) -> None:
        """The agent's leads are now its sources' companies: the others leave, and so do
        their matches."""
        agent_id = self.ctx.plan.agent_id
        gone = self.ctx.store.leads.keep_only(agent_id, {lead.key for lead in self.ctx.leads})
        if gone:
            self.ctx.store.matches.retire(agent_id, gone, self.ctx.run_id)
            what = "1 company" if len(gone) == 1 else f"{len(gone)} companies"
            self.ctx.events.action(
                "observation",
                f"{what} no longer in the leads given left the agent's leads, with their matches.",
            )

    def load_leads(self, key: str, saver: LeadSaver) -> list[Lead]:
        """The first file naming a company wins, in memory and in the store."""
        leads: dict[str, Lead] = {}
        owner: dict[str, object] = {}  # Lead.key -> the file whose lead is stored

        def sink_for_file() -> LeadSink:
            file = object()

            def store(batch: list[Lead]) -> None:
                saver.add([lead for lead in batch if owner.setdefault(lead.key, file) is file])

            return store

        for done, source in enumerate(self.ctx.plan.leads, start=1):
            for lead in self._read_leads_source(source, sink_for_file):
                leads.setdefault(lead.key, lead)
            self.ctx.stages.progress(key, done, f"{len(leads)} companies")
        if not leads:
            raise BadInput(
                "No companies found in the leads given; check the spreadsheet's columns."
            )
        return list(leads.values())

    def load_calls(self, key: str, done: int) -> list[FundingCall]:

        found_all: list[FundingCall] = []
        for spec in self.ctx.plan.calls:
            self.ctx.control.checkpoint()
            where = "Portugal 2030" if spec == "p2030" else spec
            self.ctx.events.action("action", f"Fetching funding calls from {where}.")
            found, problems = load_calls(
                spec, self.ctx.settings, payload=self.ctx.plan.call_payloads.get(spec)
            )
            for problem in problems:
                self.ctx.warn(problem)
            found_all.extend(self.read_notices(spec, found))
            done += 1
            self.ctx.stages.progress(key, done, f"{len(found_all)} calls")
        calls = dedupe_calls(found_all)  # one per code, the most recently updated
        open_calls = [c for c in calls if c.status_on(self.ctx.plan.as_of) == "open"]
        self.ctx.outcome.counts["calls"] = len(calls)
        self.ctx.outcome.counts["calls_open"] = len(open_calls)
        self.ctx.events.action(
            "observation",
            f"{len(calls)} funding calls, {len(open_calls)} open on {local_day(self.ctx.plan.as_of)}.",
        )
        return calls

    def read_notices(self, spec: str, calls: list[FundingCall]) -> list[FundingCall]:
        """The calls with the criteria their notices state (docs/notices.md)."""
        ctx = self.ctx
        ctx.control.checkpoint()
        read, results = read_call_notices(
            calls,
            spec,
            store=ctx.store,
            settings=ctx.settings,
            as_of=ctx.plan.as_of,
            folder=ctx.plan.options.notices,
            download_urls=ctx.plan.download_urls,
            warn=ctx.warn,
            progress=lambda done, total: ctx.control.checkpoint(),
        )
        if results is None:
            return calls
        read = fill_with_llm(ctx, read, results)
        for key, value in results.counts().items():
            ctx.outcome.counts[key] = ctx.outcome.counts.get(key, 0) + value
        ctx.events.action(
            "observation",
            f"{results.read} of {len(results)} notices read ({results.downloads} downloaded, "
            f"{results.parses} parsed, the others unchanged since a run before); "
            f"{results.failed} could not be read.",
        )
        return read

    def send_discovery_alert(self) -> None:

        send_discovery_report(self.ctx)

    def match(self) -> list[Verdict]:

        key = MATCH
        total = len(self.ctx.leads)
        self.ctx.stages.start(key, total=total, label=f"0/{total} companies")
        matcher = OfflineMatcher(self.ctx.calls, self.ctx.plan.as_of)
        self.ctx.events.thought(
            f"Matching {total} companies against {self.ctx.outcome.counts['calls_open']} open calls: "
            "eligibility (dates, region, size), then fit (sector, activity)."
        )
        verdicts: list[Verdict] = []
        for index, lead in enumerate(self.ctx.leads, start=1):
            self.ctx.control.checkpoint()
            verdicts.extend(matcher.candidates(lead, self.ctx.plan.min_score))
            self.ctx.stages.progress(key, index, f"{index}/{total} companies")
            self.ctx.progress(30 + int(50 * index / max(total, 1)), f"{index}/{total} companies")
        verdicts = self.judge(verdicts)
        self.ctx.outcome.counts["candidates"] = len(verdicts)
        # The threshold filters offline verdicts only: a pair the LLM judged keeps its verdict
        # (and its low score, if low), so the LLM never silently drops a candidate.
        kept = [
            v
            for v in verdicts
            if v.match_score >= self.ctx.plan.min_score or v.provider != "offline"
        ]
        companies = len({v.lead_key for v in kept})
        low = sum(1 for v in kept if v.match_score < self.ctx.plan.min_score)
        lower = f", and {low} the LLM scored lower (kept, with its reasons)" if low else ""
        self.ctx.events.thought(
            f"{len(kept) - low} matches at score {self.ctx.plan.min_score} or more{lower}, "
            f"for {companies} companies."
        )
        self.ctx.stages.complete(key, f"{len(kept)} matches")
        return kept

    def judge(self, verdicts: list[Verdict]) -> list[Verdict]:
        """The optional LLM judgement; the offline verdicts stand when the provider is offline."""
        if self.ctx.plan.provider == "offline":
            return verdicts

        return judge_candidates(self.ctx, verdicts)

    def save_matches(self, verdicts: list[Verdict]) -> None:
        key = SAVE_MATCHES
        titles = {c.aviso_id: c.title for c in self.ctx.calls}
        companies = {lead.key: lead.company for lead in self.ctx.leads}
        now = now_iso()
        matches = [
            Match(
                id="",
                agent_id=self.ctx.plan.agent_id,
                aviso_id=v.aviso_id,
                lead_key=v.lead_key,
                company=companies.get(v.lead_key, v.lead_key),
                title=titles.get(v.aviso_id, v.aviso_id),
                match_score=v.match_score,
                eligible=v.eligible,
                reasoning=v.reasoning,
                provider=v.provider,
                model=v.model,
                run_id=self.ctx.run_id,
                user_id=self.ctx.plan.user_id,
                matched_at=now,
            )
            for v in verdicts
        ]
        matches.sort(key=lambda m: (-m.match_score, m.company, m.aviso_id))
        self.ctx.outcome.matches = matches
        self.ctx.outcome.counts["matches"] = len(matches)
        if self.ctx.plan.dry_run:
            self.ctx.stages.skip(key, "dry run: nothing written")
            self.ctx.events.action("observation", f"Dry run: {len(matches)} matches not saved.")
            return
        self.ctx.stages.start(key, total=len(matches))
        new = 0
        for start in range(0, len(matches), SAVE_BATCH):
            self.ctx.control.checkpoint()
            new += self.ctx.store.matches.upsert_many(matches[start : start + SAVE_BATCH])
            self.ctx.stages.progress(key, min(start + SAVE_BATCH, len(matches)))
        self.ctx.outcome.counts["new_matches"] = new
        retired = self.ctx.store.matches.retire(
            self.ctx.plan.agent_id, [lead.key for lead in self.ctx.leads], self.ctx.run_id
        )
        note = f"Saved {len(matches)} matches, {new} of them new."
        if retired:
            note += f" Removed {retired} earlier matches that no longer hold."
        self.ctx.events.action("observation", note)
        self.ctx.stages.complete(key, f"{len(matches)} saved, {new} new")
        self.ctx.progress(95, "results saved")

    def send_results_alert(self) -> None:

        send_results(self.ctx)
