"""The ``offline`` matcher: deterministic eligibility from each call's criteria, then an
evidence-based fit, no LLM.

Every company x call pair gets a :class:`~elinara.models.Verdict` with a 0-100 ``match_score`` and
one sentence of reasoning that names the clauses it rests on.

Criteria (:func:`elinara.agent.matching.metadata.effective_criteria`)
    What the call's notice states (geography, beneficiaries, sizes, CAE clauses), and where it
    says nothing, Portugal 2030's structure: the regions its programmes cover, the kind of
    beneficiary its title names, the size rule of its title. Unknown stays unknown: it never
    excludes, and the verdict says what could not be checked.

Eligibility (all must hold; each failure is named in the reasoning)
    * the call is open on the run date. A *scheduled* call is not eligible yet: its verdict says
      "Not open yet: opens on ..." and what its fit would be (see :meth:`OfflineMatcher.upcoming`);
    * geography: the company's NUTS II region, NUTS III subregion or municipality is listed;
      a company whose place is known only to a coarser level than the call's list is not
      excluded ("check: the call lists subregions"). A carve-out (a subregion or municipality
      the notice takes out: "com exceção de Ourém") excludes the companies there whatever the
      wider territory, and the verdict quotes the clause that takes it out;
    * beneficiary kind: the call's beneficiaries include what the company is
      (:func:`~elinara.agent.matching.beneficiaries.lead_kinds`: a company unless its CAE or its
      legal form say otherwise);
    * size, for companies: allowed by the call (micro / small / medium / large);
    * CAE: under one of the notice's eligible items when it lists them, under none of its
      excluded ones (an exception inside an eligible list, "divisões 10 a 33, com exceção da
      divisão 12", is an excluded item: it wins). A company without a CAE is not excluded.

Fit (0-100): the evidence that the company's activity fits the call
    ==============================================================  ======  =========
    evidence                                                          base   overlap
    ==============================================================  ======  =========
    the notice's eligible CAE list names the company's CAE              80    <= 15
    sector call (tourism, fisheries, ...), CAE and activity in it       85    <= 15
    sector call, CAE in the sector                                      80    <= 15
    sector call, only the activity text in the sector (no CAE: 70)      60    <= 15
    sector call, company sector unknown                                 50    <= 15
    sector call, company in another sector                              10    <= 30
    call meant for the company's kind (training providers, ...)         75    <= 15
    horizontal call, business company                                   55    <= 15
      +10 when the company's themes include one of the call's
      +5 when they include a sector the call's text names outside its focus
    horizontal call, non-business CAE (farming, finance, public         20    <= 15
      administration, membership organisations), unless FSE+ funded
    horizontal regional investment aid, CAE in transport/energy/steel   20    <= 15
    no recognisable theme: business / non-business                    52 / 20  <= 15
    ==============================================================  ======  =========

    *Overlap* is ``10 x sum(weight)`` over the significant word stems the call's text and the
    company's activity share, each weighted ``ln(N/df) / ln(N)`` over the N calls, capped as in
    the table. The fit is capped at 100. The default threshold, 50, reads "worth a consultant's
    look": every eligible pair with a fit (any business on a horizontal call, a company of the
    call's sector or kind) is above it, and an eligible pair of another sector is below.

Score
    ``score = fit`` for eligible pairs; ``score = round(0.3 x fit)`` (so <= 30) for ineligible
    ones, which keeps them below the default threshold while still ranking them.

Speed: per-call features are computed once; per company, the calls are filtered through an
eligibility index keyed by what eligibility depends on (place, size, kind), CAE clauses are
checked only for calls that have them, the thematic fit is cached per company *profile*, and word
overlap goes through an inverted index, so only returned pairs become ``Verdict`` objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from elinara.agent.cae import SECTION_LABELS, cae_digits, cae_in, cae_section, item_text
from elinara.agent.criteria import BENEFICIARY_KINDS, CARVE_OUT, KINDS_EXCLUDED, Clause, Criteria
from elinara.agent.matching.beneficiaries import kinds_text, lead_kinds
from elinara.agent.matching.metadata import COMPANIES_PRESUMED, effective_criteria
from elinara.agent.matching.themes import (
    CROSS_SECTOR,
    REGIONAL_AID_THEMES,
    THEMES_BY_KEY,
    idf_weights,
    is_business,
    regional_aid_excluded,
    significant_stems,
    theme_label,
    themes_in_text,
    themes_of_cae,
)
from elinara.agent.normalize import find_municipality, municipalities, place_key
from elinara.models import REGIONS, SIZES, FundingCall, Lead, Verdict
from elinara.text import fold
from elinara.times import LISBON, local_day

PROVIDER = "offline"
INELIGIBLE_FACTOR = 0.3
INELIGIBLE_CAP = 30  # the highest score an ineligible pair can get
DEFAULT_THRESHOLD = 50

PME_SIZES = frozenset(SIZES[:3])
PUBLIC = frozenset({"municipality", "public_admin"})
_CAE = "\x00"  # placeholder for the company's CAE text inside cached fit sentences


class _PairFit(NamedTuple):
    """How a company fits one call: its fit and the cap on shared words, the fit's sentence,
    the CAE clauses' reasons to exclude it, and the clause that admits its CAE."""

    fit: int
    cap: int
    text: str
    cae_reasons: list[str]
    cae_cited: str


@dataclass(slots=True)
class _Call:
    index: int
    call: FundingCall
    criteria: Criteria
    status: str
    regions: frozenset[str] | None  # None: no geography known
    subregions: frozenset[str]  # place keys
    places: frozenset[str]  # municipality place keys
    finer_regions: frozenset[str]  # regions holding a listed subregion or municipality
    # Carve-outs: place key -> name of the subregions and municipalities taken out, and the
    # regions holding them (where a company of unknown municipality cannot be told apart).
    subregions_out: dict[str, str]
    places_out: dict[str, str]
    carved_regions: frozenset[str]
    beneficiaries: frozenset[str] | None
    kinds_out: frozenset[str]  # kinds the notice turns away (Criteria.beneficiaries_excluded)
    sizes: frozenset[str] | None
    cae_included: tuple[str, ...] | None
    cae_excluded: tuple[str, ...] | None
    sector: frozenset[str]  # sector themes of the focus: the call is for these sectors only
    cross: frozenset[str]  # horizontal themes anywhere in the call
    soft: frozenset[str]  # sector themes mentioned outside the focus (no restriction)
    regional_aid: bool  # a horizontal call about regional-aid themes only (Inovação Produtiva)
    all_sectors: bool  # funded by the FSE+ alone: no business-sector exclusions
    focus_label: str  # "'Turismo'" / "'Inovação produtiva', 'Internacionalização'"
    window: str  # "call open until 2026-12-31"
    fixed_reasons: tuple[str, ...]  # status reasons, the same for every company
    words: dict[str, float]  # significant stem -> weight


@dataclass(slots=True)
class _Profile:
    """What the thematic fit depends on; many companies share one."""

    cae_themes: frozenset[str]
    text_themes: frozenset[str]
    business: bool | None  # None: no CAE known
    section: str | None
    aid_excluded: bool  # a sector EU regional investment aid excludes (transport, energy, ...)
    kinds: frozenset[str]
    has_activity: bool  # the company describes its activity (which names no theme when empty)


@dataclass(slots=True)
class _Lead:
    lead: Lead
    lead_key: str  # Lead.key: the NIF, or name:... without one
    region: str | None
    subregion: str | None  # place key of its NUTS III
    place: str | None  # place key of its municipality
    size: str | None
    kinds: frozenset[str]
    cae_text: str  # "CAE 10711 (indústria transformadora)" or "no CAE"
    who: str  # "Norte company, PME (small)"
    profile: _Profile
    stems: frozenset[str]


_ProfileKey = tuple[
    frozenset[str], frozenset[str], bool | None, str | None, bool, frozenset[str], bool
]


def _is_esf(fund: str) -> bool:
    """The European Social Fund Plus, however the source spells it."""
    name = fold(fund).replace(" ", "")
    return name.startswith(("fse", "esf")) or "fundosocialeuropeu" in name


def _quoted(keys: Iterable[str]) -> str:
    return ", ".join(f"'{theme_label(k)}'" for k in keys)


def _ordered(keys: Iterable[str], order: list[str]) -> list[str]:
    wanted = set(keys)
    return [k for k in order if k in wanted]


def _cite(clause: Clause | None) -> str:
    if clause is None:
        return ""
    if clause.quote:
        return f" ({clause.section}: «{clause.quote}»)"
    return f" ({clause.section})"


def _size_text(size: str) -> str:
    return f"PME ({size})" if size in PME_SIZES else "large"


def _subregion_of_place() -> dict[str, tuple[str, str]]:
    """Municipality place key -> (NUTS III place key, region)."""
    return {place_key(m.name): (place_key(m.nuts3), m.region) for m in municipalities()}


def _region_of_subregion() -> dict[str, str]:
    return {place_key(m.nuts3): m.region for m in municipalities()}


class OfflineMatcher:
    """Judges companies against a fixed list of calls as of one moment (see module docstring)."""

    provider = PROVIDER
    model = ""

    def __init__(self, calls: list[FundingCall], as_of: datetime) -> None:
        if as_of.tzinfo is None:  # a naive run date is Lisbon wall-clock time
            as_of = as_of.replace(tzinfo=LISBON)
        self.as_of = as_of
        self.calls = list(calls)
        self._places = _subregion_of_place()
        self._subregion_regions = _region_of_subregion()
        self._calls = [self._prepare(i, c) for i, c in enumerate(self.calls)]
        weights = idf_weights([frozenset(c.words) for c in self._calls])
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for c in self._calls:
            c.words = {w: weights[w] for w in c.words}
            for word, weight in c.words.items():
                if weight > 0:
                    self._postings.setdefault(word, []).append((c.index, weight))
        self._eligible_index: dict[tuple[object, ...], list[int]] = {}
        self._fits: dict[_ProfileKey, list[tuple[int, int, str]]] = {}
        self._checked_cache: dict[tuple[object, ...], str] = {}

    # ---- per-call features ------------------------------------------------------------------

    def _prepare(self, index: int, call: FundingCall) -> _Call:
        criteria = effective_criteria(call)
        title_themes = themes_in_text(call.title)
        text = " ".join(p for p in (call.title, call.title_en or "", call.text) if p)
        given = [k for k in call.themes if k in THEMES_BY_KEY]  # the normaliser's, if any
        order = themes_in_text(text) + given
        all_themes = set(order)
        focus = title_themes or _ordered(all_themes, order)
        sector = frozenset(k for k in focus if k not in CROSS_SECTOR)
        cross = frozenset(k for k in all_themes if k in CROSS_SECTOR)
        soft = frozenset(k for k in all_themes if k not in CROSS_SECTOR) - sector
        status = call.status_on(self.as_of)
        reasons: list[str] = []
        if status == "closed" and call.closes_at is not None:
            reasons.append(f"call closed on {local_day(call.closes_at)}")
        elif status == "scheduled" and call.opens_at is not None:
            reasons.append(f"call opens on {local_day(call.opens_at)}")
        window = (
            f"call open until {local_day(call.closes_at)}"
            if call.closes_at is not None
            else "call open (no closing date)"
        )
        shown = [k for k in focus if k in sector] or list(focus)
        focus_cross = {k for k in focus if k in CROSS_SECTOR}
        regional_aid = not sector and bool(focus_cross) and focus_cross <= REGIONAL_AID_THEMES
        subregions = frozenset(place_key(s) for s in criteria.subregions or ())
        places = frozenset(place_key(m) for m in criteria.municipalities or ())
        finer_regions = frozenset(
            self._subregion_regions[s] for s in subregions if s in self._subregion_regions
        ) | frozenset(self._places[p][1] for p in places if p in self._places)
        subregions_out = {place_key(n): n for n in criteria.subregions_excluded or ()}
        places_out = {place_key(n): n for n in criteria.municipalities_excluded or ()}
        carved_regions = frozenset(
            self._subregion_regions[s] for s in subregions_out if s in self._subregion_regions
        ) | frozenset(self._places[p][1] for p in places_out if p in self._places)
        if criteria.has_geography:
            regions: frozenset[str] | None = frozenset(criteria.regions or ())
        else:
            regions = None
        return _Call(
            index=index,
            call=call,
            criteria=criteria,
            status=status,
            regions=regions,
            subregions=subregions,
            places=places,
            finer_regions=finer_regions,
            subregions_out=subregions_out,
            places_out=places_out,
            carved_regions=carved_regions,
            beneficiaries=(
                frozenset(criteria.beneficiaries) if criteria.beneficiaries is not None else None
            ),
            kinds_out=frozenset(criteria.beneficiaries_excluded or ()),
            sizes=frozenset(criteria.sizes) if criteria.sizes is not None else None,
            cae_included=tuple(criteria.cae_included) if criteria.cae_included else None,
            cae_excluded=tuple(criteria.cae_excluded) if criteria.cae_excluded else None,
            sector=sector,
            cross=cross,
            soft=soft,
            regional_aid=regional_aid,
            all_sectors=bool(call.funds) and all(_is_esf(f) for f in call.funds),
            focus_label=_quoted(shown) if shown else f"'{call.title}'",
            window=window,
            fixed_reasons=tuple(reasons),
            words=dict.fromkeys(significant_stems(text), 1.0),
        )

    # ---- eligibility ------------------------------------------------------------------------

    @staticmethod
    def _carved_out(c: _Call, f: _Lead) -> str | None:
        """The subregion or municipality the notice takes out of its territory that the company
        is in (its name), or None."""
        if f.place is not None and f.place in c.places_out:
            return c.places_out[f.place]
        if f.subregion is not None and f.subregion in c.subregions_out:
            return c.subregions_out[f.subregion]
        return None

    @staticmethod
    def _inside(c: _Call, f: _Lead) -> bool | None:
        """Whether the company is inside the call's territory; None when it cannot be told.
        A carve-out wins over the wider territory it is cut from."""
        if f.region in c.carved_regions:  # only there can a carve-out hold the company
            if f.place is not None and OfflineMatcher._carved_out(c, f) is not None:
                return False
            if f.place is None and c.regions is not None and f.region in c.regions:
                return None  # the company's municipality is unknown: it cannot be told
        if c.regions is None or f.region is None:
            return None
        if f.region in c.regions:
            return True
        if f.subregion is not None and f.subregion in c.subregions:
            return True
        if f.place is not None and f.place in c.places:
            return True
        if f.subregion is None and f.region in c.finer_regions:
            return None  # the call lists subregions or municipalities of the company's region
        return False

    @staticmethod
    def _kind_ok(c: _Call, f: _Lead) -> bool:
        if c.kinds_out & f.kinds:
            return False
        return c.beneficiaries is None or bool(c.beneficiaries & f.kinds)

    @staticmethod
    def _size_ok(c: _Call, f: _Lead) -> bool:
        if c.sizes is None or f.size is None or "company" not in f.kinds:
            return True
        if c.beneficiaries is not None and "company" not in c.beneficiaries:
            return True  # the size rule is about companies; this call is not for them
        return f.size in c.sizes

    def _eligible(self, f: _Lead) -> list[int]:
        """Indices of the calls open now whose territory, beneficiaries and size admit the
        company (CAE clauses aside: see :meth:`_cae_reasons`)."""
        key = (f.region, f.subregion, f.place, f.size, f.kinds)
        found = self._eligible_index.get(key)
        if found is None:
            found = [
                c.index
                for c in self._calls
                if c.status == "open"
                and self._inside(c, f) is not False
                and self._kind_ok(c, f)
                and self._size_ok(c, f)
            ]
            self._eligible_index[key] = found
        return found

    @staticmethod
    def _cae_reasons(c: _Call, f: _Lead) -> tuple[list[str], bool | None, str]:
        """(reasons the CAE clauses exclude the company, whether the eligible list names its
        CAE (None: unknown or no list), the sentence citing the clause that admits it)."""
        lead = f.lead
        reasons: list[str] = []
        listed: bool | None = None
        cited = ""
        if c.cae_included:
            listed, item = cae_in(lead.cae, lead.cae_section, c.cae_included)
            clause = c.criteria.clauses.get("cae_included")
            where = clause.section if clause else "the notice"
            if listed is False:
                reasons.append(f"{f.cae_text} is not among the eligible CAE of {where}")
            elif listed:
                cited = f"{f.cae_text} in {where} ({item_text(item)})"
        if c.cae_excluded:
            excluded, item = cae_in(lead.cae, lead.cae_section, c.cae_excluded)
            if excluded:
                clause = c.criteria.clauses.get("cae_excluded")
                where = clause.section if clause else "the notice"
                quote = f": «{clause.quote}»" if clause and clause.quote else ""
                reasons.append(f"{f.cae_text} is excluded by {where} ({item_text(item)}){quote}")
        return reasons, listed, cited

    # ---- per-company features ---------------------------------------------------------------

    def _lead(self, lead: Lead) -> _Lead:
        digits = cae_digits(lead.cae)
        section = cae_section(lead.cae, lead.cae_section)
        kinds = lead_kinds(lead.company, lead.cae)
        profile = _Profile(
            cae_themes=frozenset(themes_of_cae(lead.cae, lead.cae_section)),
            text_themes=frozenset(themes_in_text(lead.activity)),
            business=is_business(lead.cae, lead.cae_section),
            section=section,
            aid_excluded=regional_aid_excluded(lead.cae),
            kinds=kinds,
            has_activity=bool(significant_stems(lead.activity)),
        )
        sector_name = SECTION_LABELS.get(section or "", "")
        if digits:
            cae_text = f"CAE {digits}" + (f" ({sector_name})" if sector_name else "")
        elif section:
            cae_text = f"CAE section {section}" + (f" ({sector_name})" if sector_name else "")
        else:
            cae_text = "no CAE"
        region = lead.region if lead.region in REGIONS else None
        size = lead.size if lead.size in SIZES else None
        subregion = place = None
        if lead.municipality:
            found = find_municipality(lead.municipality, lead.district, region)
            if found is not None and (region is None or found.region == region):
                place, subregion = place_key(found.name), place_key(found.nuts3)
                region = found.region
        where = f"{REGIONS[region]}" if region else "region unknown"
        if "company" in kinds:
            what = "company" if kinds == {"company"} else kinds_text(kinds)
            how = "size unknown" if size is None else _size_text(size)
            who = f"{where} {what}, {how}" if region else f"{what} ({where}), {how}"
        else:
            what = kinds_text(kinds)
            who = f"{what} in {where}" if region else f"{what} ({where})"
        return _Lead(
            lead=lead,
            lead_key=lead.key,
            region=region,
            subregion=subregion,
            place=place,
            size=size,
            kinds=kinds,
            cae_text=cae_text,
            who=who,
            profile=profile,
            stems=significant_stems(lead.activity),
        )

    def _fit_table(self, profile: _Profile) -> list[tuple[int, int, str]]:
        """(base fit, overlap cap, fit sentence) per call for one company profile, cached."""
        key = (
            profile.cae_themes,
            profile.text_themes,
            profile.business,
            profile.section,
            profile.aid_excluded,
            profile.kinds,
            profile.has_activity,
        )
        table = self._fits.get(key)
        if table is None:
            table = [self._fit(c, profile) for c in self._calls]
            self._fits[key] = table
        return table

    @staticmethod
    def _fit(c: _Call, p: _Profile) -> tuple[int, int, str]:
        mine = p.cae_themes | p.text_themes
        meant = (c.beneficiaries or frozenset()) & p.kinds - {"company"}
        if meant and c.sector - {"social"} and not c.sector & mine and not p.kinds & PUBLIC:
            # a business sector's call (blue economy, tourism) meant for associations or
            # cooperatives of that sector: the kind alone is no fit, the sector decides
            meant = frozenset()
        if meant:
            names = ", ".join(BENEFICIARY_KINDS[k] for k in sorted(meant))
            return 75, 15, f"fits: the call is meant for {names}: {_CAE}"
        if c.sector:
            by_cae = c.sector & p.cae_themes
            by_text = c.sector & p.text_themes
            extra = 5 if c.cross & mine else 0
            if by_cae:
                base = 85 if by_text else 80
                return (
                    base + extra,
                    15,
                    f"fits: {_CAE} ↔ call on {_quoted(sorted(by_cae))}",
                )
            if by_text and p.section is not None:
                return (
                    45,
                    15,
                    f"check: activity mentions {_quoted(sorted(by_text))} but the main activity, "
                    f"{_CAE}, is outside the call's sector",
                )
            if by_text:
                base = 70
                return (
                    base + extra,
                    15,
                    f"fits: activity mentions {_quoted(sorted(by_text))} ↔ call on "
                    f"{_quoted(sorted(by_text))}; main activity {_CAE}",
                )
            if p.business is None and not p.text_themes and not p.has_activity:
                return (
                    50,
                    15,
                    f"company sector unknown ({_CAE}); call targets {c.focus_label}: check",
                )
            if p.business is None and not p.text_themes:
                return (
                    45,
                    15,
                    f"check: the company's activity does not name the call's sector "
                    f"({c.focus_label}); {_CAE}",
                )
            return 10, 30, f"weak fit: call targets {c.focus_label}; company is {_CAE}"
        if c.cross:
            if p.business is False and not c.all_sectors:
                return (
                    51,
                    15,
                    f"check: cross-sector call on {c.focus_label}; business schemes often leave "
                    f"{_CAE} to other programmes: read the notice's CAE clauses",
                )
            if c.regional_aid and p.aid_excluded:
                return (
                    51,
                    15,
                    f"check: {c.focus_label} is regional investment aid, which leaves out "
                    f"transport, energy and steel (GBER art. 13): {_CAE}",
                )
            base = 55
            hits = c.cross & mine
            scope = "every sector (FSE+)" if c.all_sectors else "any business sector"
            text = f"fits: cross-sector call on {c.focus_label}, open to {scope}: {_CAE}"
            if hits:
                base += 10
                text += f"; company profile ↔ {_quoted(sorted(hits))}"
            soft_hits = c.soft & mine
            if soft_hits:
                base += 5
                text += f"; call mentions {_quoted(sorted(soft_hits))}"
            return base, 15, text
        if p.business is False:
            return 51, 15, f"call topic not recognised; check the notice's CAE clauses: {_CAE}"
        return 52, 15, f"call topic not recognised, open to any sector: {_CAE}; check"

    def _overlap(self, stems: frozenset[str]) -> dict[int, float]:
        points: dict[int, float] = {}
        postings = self._postings
        for word in stems:
            for index, weight in postings.get(word, ()):
                points[index] = points.get(index, 0.0) + weight
        return points

    # ---- verdicts ---------------------------------------------------------------------------

    def _reasons(self, c: _Call, f: _Lead) -> list[str]:
        """Why the company may not apply (empty: it may), status first."""
        reasons = list(c.fixed_reasons)
        clauses = c.criteria.clauses
        carved = self._carved_out(c, f) if f.region in c.carved_regions else None
        if carved is not None:
            reasons.append(
                f"{carved} is excluded from the call's territory"
                f"{_cite(clauses.get(CARVE_OUT) or clauses.get('geography'))}; "
                f"company is in {f.lead.municipality}"
            )
        elif self._inside(c, f) is False:
            listed = [REGIONS.get(r, r) for r in sorted(c.regions or ())]
            listed += [s for s in c.criteria.subregions or ()]
            listed += [m for m in c.criteria.municipalities or ()]
            where = REGIONS[f.region] if f.region else "elsewhere"
            reasons.append(
                f"call covers {', '.join(listed)} only{_cite(clauses.get('geography'))}; "
                f"company is in {where}"
            )
        if c.kinds_out & f.kinds:
            names = ", ".join(BENEFICIARY_KINDS[k] for k in sorted(c.kinds_out & f.kinds))
            reasons.append(
                f"call turns away {names}{_cite(clauses.get(KINDS_EXCLUDED))}; "
                f"{f.lead.company} is {kinds_text(f.kinds)}"
            )
        elif not self._kind_ok(c, f):
            names = ", ".join(BENEFICIARY_KINDS[k] for k in sorted(c.beneficiaries or ()))
            reasons.append(
                f"call is for {names}{_cite(clauses.get('beneficiaries'))}; "
                f"{f.lead.company} is {kinds_text(f.kinds)}"
            )
        elif not self._size_ok(c, f) and f.size is not None:
            allowed = [s for s in SIZES if s in (c.sizes or ())]
            names = " and ".join(filter(None, [", ".join(allowed[:-1]), allowed[-1]]))
            reasons.append(
                f"call is for {names} companies{_cite(clauses.get('sizes'))}; "
                f"company is {_size_text(f.size)}"
            )
        return reasons

    def _checked(self, c: _Call, f: _Lead, cae_cited: str) -> str:
        """The clauses the pair was checked against, and what could not be checked (the same
        for every company alike in place precision and kind: cached)."""
        key = (c.index, self._inside(c, f), "company" in f.kinds, cae_cited)
        found = self._checked_cache.get(key)
        if found is None:
            found = self._checked_text(c, f, cae_cited)
            self._checked_cache[key] = found
        return found

    def _checked_text(self, c: _Call, f: _Lead, cae_cited: str) -> str:
        clauses = c.criteria.clauses
        parts: list[str] = []
        geo = clauses.get("geography")
        if geo is not None and c.regions is not None:
            inside = self._inside(c, f)
            if inside:
                parts.append(f"territory{_cite(geo)}")
            else:
                parts.append(f"territory not checked (company place too vague){_cite(geo)}")
        ben = clauses.get("beneficiaries")
        if ben is not None and ben != COMPANIES_PRESUMED:
            parts.append(f"beneficiaries{_cite(ben)}")
        sizes = clauses.get("sizes")
        if sizes is not None and "company" in f.kinds:
            parts.append(f"sizes{_cite(sizes)}")
        if cae_cited:
            parts.append(cae_cited)
        unread = [k for k in c.criteria.unread if k not in clauses]
        if unread:
            parts.append("notice unclear on " + ", ".join(u.replace("_", " ") for u in unread))
        return "; ".join(parts)

    def _pair_fit(self, c: _Call, f: _Lead, entry: tuple[int, int, str]) -> _PairFit:
        """The fit of the company's profile to the call (``entry``, from the fit table), raised
        to 80 where the notice's eligible CAE names the company's; with the CAE clauses' reasons
        to exclude it and the sentence citing the clause that admits it."""
        fit, cap, text = entry
        if not (c.cae_included or c.cae_excluded):
            return _PairFit(fit, cap, text, [], "")
        cae_reasons, listed, cae_cited = self._cae_reasons(c, f)
        if listed and fit < 80 and not (c.beneficiaries or frozenset()) & f.kinds - {"company"}:
            fit, cap, text = 80, 15, f"fits: {cae_cited}"
        return _PairFit(fit, cap, text, cae_reasons, cae_cited)

    def _verdict(self, c: _Call, f: _Lead, pair: _PairFit, overlap: float) -> Verdict:
        fit, cap, text, cae_reasons, cae_cited = pair
        shared = ""
        if overlap > 0:
            common = sorted(w for w in f.stems if c.words.get(w, 0.0) > 0)
            if common:
                shared = "; shared terms: " + ", ".join(common[:4])
        total = min(100, fit + min(cap, round(10 * overlap)))
        fit_text = text.replace(_CAE, f.cae_text) + shared
        reasons = self._reasons(c, f) + cae_reasons
        if not reasons:
            checked = self._checked(c, f, cae_cited)
            basis = f" Checked: {checked}." if checked else ""
            return Verdict(
                lead_key=f.lead_key,
                aviso_id=c.call.aviso_id,
                eligible=True,
                match_score=total,
                reasoning=f"Eligible: {f.who}, {c.window}; {fit_text}.{basis}",
                provider=PROVIDER,
                model="",
            )
        score = min(INELIGIBLE_CAP, round(INELIGIBLE_FACTOR * total))
        if c.status == "scheduled" and len(reasons) == 1:
            sentence = f"Not open yet: {reasons[0]}; otherwise eligible as {f.who}; {fit_text}."
        else:
            sentence = "Not eligible: " + "; ".join(reasons) + "."
        return Verdict(
            lead_key=f.lead_key,
            aviso_id=c.call.aviso_id,
            eligible=False,
            match_score=score,
            reasoning=sentence,
            provider=PROVIDER,
            model="",
        )

    def judge(self, lead: Lead) -> list[Verdict]:
        """A verdict for every call, in the order of the calls given to the constructor."""
        f = self._lead(lead)
        table = self._fit_table(f.profile)
        overlap = self._overlap(f.stems)
        return [
            self._verdict(c, f, self._pair_fit(c, f, table[c.index]), overlap.get(c.index, 0.0))
            for c in self._calls
        ]

    def candidates(self, lead: Lead, min_score: int = DEFAULT_THRESHOLD) -> list[Verdict]:
        """Every verdict with ``match_score >= min_score``, best first (ties: aviso id).

        Complete for any ``min_score``: above :data:`INELIGIBLE_CAP` only eligible calls are
        looked at, since no ineligible pair can score more.
        """
        f = self._lead(lead)
        table = self._fit_table(f.profile)
        overlap = self._overlap(f.stems)
        if min_score > INELIGIBLE_CAP:
            indices: Iterable[int] = self._eligible(f)
        else:
            indices = range(len(self._calls))
        out: list[Verdict] = []
        for i in indices:
            c = self._calls[i]
            pair = self._pair_fit(c, f, table[i])
            points = overlap.get(i, 0.0)
            if pair.fit + min(pair.cap, round(10 * points)) < min_score:
                continue  # cheap pre-check: the score can only be lower than this sum
            verdict = self._verdict(c, f, pair, points)
            if verdict.match_score >= min_score:
                out.append(verdict)
        out.sort(key=lambda v: (-v.match_score, v.aviso_id))
        return out

    def upcoming(self, lead: Lead, min_fit: int = DEFAULT_THRESHOLD) -> list[Verdict]:
        """Scheduled calls the company could apply to once they open, with fit >= ``min_fit``.

        Their verdicts are the same as :meth:`judge` gives (not eligible, score capped); this
        only picks those where the opening date is the only reason, best fit first.
        """
        f = self._lead(lead)
        table = self._fit_table(f.profile)
        overlap = self._overlap(f.stems)
        picked: list[tuple[int, Verdict]] = []
        for c in self._calls:
            if c.status != "scheduled" or self._reasons(c, f)[1:]:
                continue
            pair = self._pair_fit(c, f, table[c.index])
            if pair.cae_reasons:
                continue
            points = overlap.get(c.index, 0.0)
            total = min(100, pair.fit + min(pair.cap, round(10 * points)))
            if total >= min_fit:
                picked.append((total, self._verdict(c, f, pair, points)))
        picked.sort(key=lambda item: (-item[0], item[1].aviso_id))
        return [v for _, v in picked]
