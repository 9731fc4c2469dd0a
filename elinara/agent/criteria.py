"""Who may apply to a call: the criteria its notice (or, lacking one, its metadata) states.

Each criterion is ``None`` when unknown: an unknown criterion never excludes a company, and the
verdict says it could not be checked. Every known criterion keeps the clause it rests on
(:class:`Clause`: where in the notice, and the quoted words), so a verdict can cite it.

CAE items (``cae_included`` / ``cae_excluded``) are written in one normal form:

* a section letter, ``"C"``;
* a digit prefix of 2 to 5 digits: a division ``"10"``, group ``"101"``, class ``"1011"`` or
  subclass ``"10110"``;
* an inclusive range of prefixes of the same length, ``"10-33"`` (divisions 10 to 33) or
  ``"5510-5530"``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, Self

# Kinds of beneficiary a notice may name, with the Portuguese words a verdict shows.
BENEFICIARY_KINDS: dict[str, str] = {
    "company": "empresas",
    "public_admin": "entidades da administração pública",
    "central_admin": "serviços e organismos da administração central do Estado",
    "municipality": "municípios e entidades intermunicipais",
    "association": "associações empresariais",
    "training_provider": "entidades formadoras certificadas",
    "rd_entity": "entidades do sistema de I&I e instituições de ensino superior",
    "non_profit": "entidades sem fins lucrativos",
    "ipss": "instituições particulares de solidariedade social (IPSS)",
    "cooperative": "cooperativas",
}
CriteriaSource = Literal["notice", "metadata", "llm"]
# The keys of Criteria.clauses and Criteria.unread.
CRITERIA_KEYS = ("geography", "beneficiaries", "sizes", "cae_included", "cae_excluded")
# The clause of a territory's carve-outs (Criteria.subregions_excluded / municipalities_excluded);
# a carve-out the notice states but the parser cannot resolve puts "geography" in unread.
CARVE_OUT = "geography_excluded"
# The clause of the kinds a notice turns away (Criteria.beneficiaries_excluded).
KINDS_EXCLUDED = "beneficiaries_excluded"


@dataclass(frozen=True, slots=True)
class Clause:
    """Where a criterion was read: ``section`` ("5. Beneficiários", "Anexo I", "programme
    COMPETE 2030") and the words it rests on, quoted (short: one sentence or a list)."""

    section: str
    quote: str

    def cite(self) -> str:
        return f"{self.section}: «{self.quote}»" if self.quote else self.section


@dataclass(slots=True)
class Criteria:
    """Who may apply to one call. ``None`` = not stated / not read = no restriction."""

    source: CriteriaSource = "metadata"
    # Geography: a company is inside when its NUTS II region, its NUTS III subregion or its
    # municipality is listed (the union of the three lists). All three None: unknown.
    regions: list[str] | None = None  # NUTS II keys of elinara.models.REGIONS
    subregions: list[str] | None = None  # NUTS III names as in elinara/data/municipalities.csv
    municipalities: list[str] | None = None  # municipality names as in municipalities.csv
    beneficiaries: list[str] | None = None  # BENEFICIARY_KINDS keys
    sizes: list[str] | None = None  # elinara.models.SIZES allowed for companies
    cae_included: list[str] | None = None  # normal form above; None = any activity
    cae_excluded: list[str] | None = None
    clauses: dict[str, Clause] = field(default_factory=dict)  # CRITERIA_KEYS -> clause
    unread: list[str] = field(default_factory=list)  # CRITERIA_KEYS the notice left unclear
    # Carve-outs of the territory ("todo o Continente, excluindo a NUTS III Lezíria do Tejo",
    # "a NUTS III Médio Tejo, com exceção de Ourém"): a company in one of these is outside,
    # whatever the lists above say (the more specific place wins). Regions taken out of a wider
    # territory are simply left out of ``regions``. The clause is ``clauses[CARVE_OUT]``.
    subregions_excluded: list[str] | None = None
    municipalities_excluded: list[str] | None = None
    # Kinds a notice turns away in so many words ("não são elegíveis ... nem as cooperativas")
    # that it does not also admit: a lead of one of them is outside even when another of its
    # kinds is admitted (a cooperative is a company too). The clause is
    # ``clauses[KINDS_EXCLUDED]``.
    beneficiaries_excluded: list[str] | None = None

    @property
    def has_geography(self) -> bool:
        return any(x is not None for x in (self.regions, self.subregions, self.municipalities))

    def known(self, key: str) -> bool:
        """Whether a criterion (a CRITERIA_KEYS key) was stated: geography by any of its lists."""
        return self.has_geography if key == "geography" else getattr(self, key) is not None

    @property
    def has_carve_outs(self) -> bool:
        return bool(self.subregions_excluded or self.municipalities_excluded)

    def to_doc(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["clauses"] = {k: asdict(c) for k, c in self.clauses.items()}
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        values = dict(doc)
        values["clauses"] = {k: Clause(**c) for k, c in (doc.get("clauses") or {}).items()}
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in values.items() if k in names})
