"""What a run reads and how it judges: resolved from the run's parameters, its agent's data
sources and settings, or the sample shipped with the package."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from elinara.agent.llm.providers import settle_provider
from elinara.agent.options import RunOptions
from elinara.agent.uploads import check_name, readable_source_path, upload_folder
from elinara.cloud import PLATFORM_PROVIDERS, PROVIDER_PLATFORMS
from elinara.config import Settings
from elinara.errors import BadInput, NotFound
from elinara.models import LOCAL_AGENT_ID, AgentSettings, DataSource, Run
from elinara.store import Store
from elinara.times import LISBON, parse_iso, utcnow

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
SAMPLE_LEADS = SAMPLE_DIR / "leads.xlsx"
SAMPLE_CALLS = SAMPLE_DIR / "p2030_avisos.json"
# The sample was recorded on this day: runs on it judge "open" as of then, so the demo shows the
# same matches in any year (a later --as-of still works).
SAMPLE_AS_OF = datetime(2026, 12, 1, 12, 0, tzinfo=LISBON)
LEADS_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")
PLATFORM_ALIASES = {"microsoft_onedrive": "sharepoint", "onedrive": "sharepoint"}


@dataclass
class LeadSource:
    """A leads spreadsheet (or folder of them): local, or in a cloud drive."""

    platform: str  # local_file | google_drive | sharepoint
    identifier: str  # a path, or a drive file / folder id
    name: str
    datasource_id: str | None = None
    config: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunPlan:
    agent_id: int
    user_id: int | None
    leads: list[LeadSource]
    calls: list[str]  # paths, URLs, or "p2030"
    provider: str
    model: str
    min_score: int
    dry_run: bool = False
    as_of: datetime = field(default_factory=utcnow)
    alert_emails: list[str] = field(default_factory=list)
    phone: str = ""
    sample: bool = False
    settings: AgentSettings | None = None
    options: RunOptions = field(default_factory=RunOptions)
    provider_note: str = ""  # why the run judges with another provider than asked (a fallback)
    call_payloads: dict[str, dict[str, Any]] = field(default_factory=dict)  # API filters by URL
    download_urls: dict[str, str] = field(default_factory=dict)  # notices' endpoint by query URL
    # The leads are all the agent has (its data sources, or what the local agent was given),
    # not a one-off file (an uploaded task, --leads for an agent), the sample or a dry run:
    # they replace its stored ones.
    whole_leads: bool = True


def agent_settings(store: Store, settings: Settings, agent_id: int, user_id: int) -> AgentSettings:
    """The agent's settings, or the defaults for a brand-new agent (not stored until changed)."""
    found = store.settings.get(agent_id)
    if found is not None:
        return found
    return AgentSettings(
        id=agent_id,
        user_id=user_id,
        llm_provider=settings.default_provider,
        llm_model=settings.default_model,
        min_score=settings.min_score,
    )


def _from_datasource(
    source: DataSource,
    settings: Settings,
    leads: list[LeadSource],
    calls: list[str],
    payloads: dict[str, dict[str, Any]] | None = None,
    download_urls: dict[str, str] | None = None,
) -> None:
    platform = PLATFORM_ALIASES.get(source.platform, source.platform)
    if platform == "external_api":
        cfg = source.config[0] if source.config else {}
        url = str(cfg.get("query_url") or source.resource_identifier or "p2030")
        calls.append(url)
        if payloads is not None and isinstance(cfg.get("payload"), dict) and cfg["payload"]:
            payloads[url] = dict(cfg["payload"])  # the agent's filters (programme, state, ...)
        if download_urls is not None and cfg.get("download_url"):
            download_urls[url] = str(cfg["download_url"])
    elif platform == "local_file":
        path = readable_source_path(settings, source.user_id, source.resource_identifier)
        if path.suffix.lower() in (".json",):
            calls.append(str(path))
        else:
            leads.append(
                LeadSource("local_file", str(path), source.resource_name or path.name, source.id)
            )
    elif platform in PLATFORM_PROVIDERS:
        leads.append(
            LeadSource(
                platform,
                source.resource_identifier,
                source.resource_name or source.resource_identifier,
                source.id,
                source.config[0] if source.config else {},
            )
        )


def resolve_upload(
    store: Store, settings: Settings, user_id: int | None, filename: str
) -> LeadSource:
    """The leads file a task names: the user's upload, one of their agents' sources, or one of
    their saved cloud files; never another user's file nor the shared folder (elinara/agent/uploads.py).
    """
    name = Path(check_name(filename)).name
    if user_id is not None:
        upload = upload_folder(settings, user_id) / name
        if upload.is_file():
            return LeadSource("local_file", str(upload), name)
        for source in store.datasources.list(user_id=user_id):
            if name in (source.resource_name, Path(source.resource_identifier).name):
                leads: list[LeadSource] = []
                _from_datasource(source, settings, leads, [])
                if leads:
                    return leads[0]
        for saved in store.cloud_files.list(user_id):
            if saved["name"] == name:
                platform = PROVIDER_PLATFORMS[saved["provider"]]
                return LeadSource(platform, saved["id"], name)
    raise NotFound(
        f"Leads file {filename!r} is not known: upload it (POST /api/files or 'elinara files "
        "upload'), add it as a data source, or save it from your drive first."
    )


def build_plan(store: Store, settings: Settings, run: Run) -> RunPlan:
    options = RunOptions.from_params(run.params)
    leads = [LeadSource("local_file", p, Path(p).name) for p in options.leads]
    calls = list(options.calls)
    payloads: dict[str, dict[str, Any]] = {}
    download_urls: dict[str, str] = {}
    agent = None
    if run.agent_id != LOCAL_AGENT_ID:
        found = store.agents.get(run.agent_id)
        if found is None:
            raise NotFound(f"Agent {run.agent_id} does not exist.")
        agent = agent_settings(store, settings, found.id, found.user_id)
        if options.filename:
            leads.append(resolve_upload(store, settings, agent.user_id, options.filename))
        if not options.leads and not options.filename:
            extra_leads: list[LeadSource] = []
            for source in store.datasources.list(agent_id=agent.id):
                _from_datasource(source, settings, extra_leads, calls, payloads, download_urls)
            leads.extend(extra_leads)
        elif not calls:
            for source in store.datasources.list(agent_id=agent.id):
                _from_datasource(source, settings, [], calls, payloads, download_urls)
    sample = False
    if not leads and not calls and run.agent_id == LOCAL_AGENT_ID:
        leads = [LeadSource("local_file", str(SAMPLE_LEADS), SAMPLE_LEADS.name)]
        calls = [str(SAMPLE_CALLS)]
        sample = True
    if not calls:
        calls = ["p2030"]
    if not leads:
        raise BadInput(
            "No leads to read: give --leads PATH, or add a leads spreadsheet data source to the agent."
            if agent is None
            else f"Agent {run.agent_id} has no leads to read: add a leads spreadsheet data source "
            "to it (an uploaded file or a drive spreadsheet), or start a task on a file."
        )
    provider = (
        options.provider or (agent.llm_provider if agent else "") or settings.default_provider
    ).lower()
    model = options.model or (agent.llm_model if agent else "") or settings.default_model
    min_score = options.min_score
    if min_score is None:
        min_score = agent.min_score if agent else settings.min_score
    as_of = parse_iso(options.as_of) or (SAMPLE_AS_OF if sample else utcnow())
    plan = RunPlan(
        agent_id=run.agent_id,
        user_id=run.user_id,
        leads=leads,
        calls=calls,
        provider=provider,
        model=model,
        min_score=int(min_score),
        dry_run=options.dry_run,
        as_of=as_of,
        alert_emails=list(agent.alert_emails) if agent else list(options.alert_emails),
        phone=options.phone,
        sample=sample,
        settings=agent,
        options=options,
        call_payloads=payloads,
        download_urls=download_urls,
        whole_leads=not (sample or options.dry_run)
        and (agent is None or not (options.leads or options.filename)),
    )
    # The effective provider is decided here, before the run's first event (docs/api.md): one
    # without a key (or unknown) falls back to offline, and the pipeline shows the note.
    plan.provider_note = settle_provider(plan, settings) or ""
    return plan


def expand_leads_path(path: Path) -> list[Path]:
    """A leads path: a spreadsheet, or a folder whose spreadsheets are all read."""
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix.lower() in LEADS_SUFFIXES and not p.name.startswith(("~$", "."))
        )
        if not files:
            raise BadInput(f"Folder {path} has no spreadsheets (.xlsx, .xls, .csv).")
        return files
    if not path.exists():
        raise BadInput(f"Leads file {path} does not exist.")
    return [path]
