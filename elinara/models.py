"""Domain types shared by the engine, the store and the edges."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, Self

if TYPE_CHECKING:
    from elinara.agent.criteria import Criteria

# NUTS II regions as the Portugal 2030 regional programmes cover them.
REGIONS: dict[str, str] = {
    "norte": "Norte",
    "centro": "Centro",
    "lisboa": "Lisboa",
    "alentejo": "Alentejo",
    "algarve": "Algarve",
    "acores": "Açores",
    "madeira": "Madeira",
}

# Company size classes (EU SME definition); "pme" = micro, small or medium.
SIZES = ("micro", "small", "medium", "large")
SizeRule = Literal["pme", "non_pme", "large", "any"]
CallStatus = Literal["open", "scheduled", "closed"]
LOCAL_AGENT_ID = 0  # the built-in agent of `elinara agent run` without --agent
MAX_ID = 2**63 - 1  # the largest integer id the stores hold (SQLite and BSON int64)


class Record:
    """A dataclass that round-trips through a store document (``_id`` <-> ``id``)."""

    def to_doc(self) -> dict[str, Any]:
        doc = asdict(self)  # type: ignore[call-overload]
        doc["_id"] = doc.pop("id")
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        values = {k: v for k, v in doc.items() if k in names}
        values["id"] = doc["_id"]
        return cls(**values)


@dataclass
class User(Record):
    id: int
    username: str
    email: str
    password_hash: str | None = None
    firstname: str = ""
    lastname: str = ""
    phone: str = ""
    country: str = ""
    address: str = ""
    postal_code: str = ""
    is_administrator: bool = False
    # The address was confirmed by an OAuth provider (never by a password sign-up: there is no
    # confirmation mail); only then may a provider sign-in with that address reach the account.
    email_verified: bool = False
    connection_emails: list[str] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""


@dataclass
class Agent(Record):
    id: int
    user_id: int
    name: str
    status: str = "idle"  # idle | running | paused | completed | failed
    # The frontend's own fields, kept and returned as given (docs/api.md, Agents); nothing in the
    # engine reads them: when an agent runs is its AgentSettings.execution_mode.
    trigger_type: str = "manual"  # manual | scheduled | interval | webhook
    config_snapshot: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""
    updated_at: str = ""


@dataclass
class AgentSettings(Record):
    id: int  # the agent id
    user_id: int
    agent_status: str = "stopped"  # active | stopped | paused
    execution_mode: str = "manual"  # manual | scheduled | interval
    execution_interval: int = 60
    scheduled_time: str = "08:00"
    alert_emails: list[str] = field(default_factory=list)
    llm_provider: str = "offline"
    llm_model: str = ""
    min_score: int = 50
    max_cost_usd: float | None = None
    max_calls: int | None = None
    next_run: str | None = None
    last_run: str | None = None
    created_at: str = ""
    updated_at: str = ""


@dataclass
class DataSource(Record):
    id: str
    user_id: int
    agent_id: int
    platform: str  # google_drive | sharepoint | external_api | local_file
    resource_identifier: str = ""
    resource_name: str = ""
    resource_format: str = ""
    config: list[dict[str, Any]] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""


@dataclass
class Run(Record):
    """One execution of an agent's pipeline; a task is a run of kind "task" over one file."""

    id: str
    agent_id: int
    user_id: int | None = None
    kind: str = "run"  # run | task
    trigger: str = "manual"  # manual | scheduled | interval | task | cli
    status: str = "queued"  # queued | running | paused | completed | failed | cancelled
    params: dict[str, Any] = field(default_factory=dict)
    worker_id: str | None = None
    lease_until: str | None = None
    attempts: int = 0
    cancel_requested: bool = False
    pause_requested: bool = False
    pipeline: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)
    usage: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    progress: int = 0
    message: str = ""
    created_at: str = ""
    updated_at: str = ""
    started_at: str | None = None
    finished_at: str | None = None


@dataclass
class Lead:
    """One company read from a leads spreadsheet, normalised."""

    company: str
    nif: str | None = None  # 9 digits when valid, else the text as given
    nif_valid: bool = False
    cae: str | None = None  # CAE Rev.4 code digits, e.g. "10711"
    cae_section: str | None = None  # "C"
    district: str | None = None
    municipality: str | None = None
    region: str | None = None  # a key of REGIONS
    size: str | None = None  # a value of SIZES
    employees: int | None = None
    activity: str = ""
    email: str | None = None
    phone: str | None = None  # E.164
    website: str | None = None
    source: str = ""
    row: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """What identifies the company across runs: its NIF, else its name."""
        return self.nif or f"name:{self.company.casefold()}"


@dataclass
class FundingCall:
    """One funding call (aviso), normalised from the Portugal 2030 API or a file."""

    aviso_id: str
    title: str
    global_id: str | None = None
    title_en: str | None = None
    classification: str | None = None
    programmes: list[str] = field(default_factory=list)
    programme_codes: list[str] = field(default_factory=list)
    funds: list[str] = field(default_factory=list)
    regions: list[str] | None = None  # REGIONS keys its programmes cover; None = unknown
    size_rule: str = "any"  # SizeRule
    themes: list[str] = field(default_factory=list)
    text: str = ""  # title, priority, objective and typology text, for recall
    published_at: datetime | None = None
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    budget: float | None = None
    documents: list[dict[str, Any]] = field(default_factory=list)
    source_updated_at: datetime | None = None
    source: str = ""
    # What the call's notice states (read once per notice); None: no notice was read.
    criteria: Criteria | None = None

    def status_on(self, moment: datetime) -> CallStatus:
        if self.closes_at is not None and moment > self.closes_at:
            return "closed"
        if self.opens_at is not None and moment < self.opens_at:
            return "scheduled"
        return "open"


@dataclass
class Verdict:
    """A matcher's (or an LLM judge's) decision on one company x call pair."""

    lead_key: str  # the company's Lead.key: its NIF, or "name:..." when it has none
    aviso_id: str
    eligible: bool
    match_score: int
    reasoning: str
    provider: str = "offline"
    model: str = ""


@dataclass
class Match(Record):
    id: str
    agent_id: int
    aviso_id: str
    lead_key: str  # the company's Lead.key (its NIF, or "name:..."); "nif" on the wire and stored
    company: str
    title: str
    match_score: int
    eligible: bool
    reasoning: str
    provider: str = "offline"
    model: str = ""
    run_id: str | None = None
    user_id: int | None = None
    matched_at: str = ""
    created_at: str = ""
    updated_at: str = ""

    # Stored under the name the wire uses (and the unique index of matches: agent, nif, call).
    def to_doc(self) -> dict[str, Any]:
        doc = super().to_doc()
        doc["nif"] = doc.pop("lead_key")
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        return super().from_doc({**doc, "lead_key": doc.get("nif", doc.get("lead_key", ""))})


@dataclass
class Notice(Record):
    """A call's notice as last read, kept so an unchanged notice is neither downloaded nor
    parsed again: the same aviso with the same ``dataUltimaAlteracao``, or the same bytes."""

    id: str  # the aviso's code (codigoAviso)
    title: str = ""  # the call's title when its notice was read
    source_updated_at: str | None = None  # the call's dataUltimaAlteracao when read (ISO)
    origin: str = ""  # where it was read: "download" or "file"
    document: dict[str, str] = field(default_factory=dict)  # name, type, path, container | file
    content_hash: str | None = None  # sha256 of the PDF's bytes
    size: int = 0  # bytes
    text: str = ""  # extracted, headers and footers removed
    criteria: dict[str, Any] | None = None  # Criteria.to_doc() of what the parser read
    parser_version: str | None = None  # of the parser that read ``criteria``
    reason: str | None = None  # why it could not be read (corrupt, encrypted, too large...)
    fetched_at: str = ""
    parsed_at: str | None = None
    updated_at: str = ""
