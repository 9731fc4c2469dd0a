"""The ``offline`` matcher: deterministic eligibility + cheap thematic fit, no LLM.

Every company x call pair gets a :class:`~elinara.models.Verdict` with a 0-100 ``match_score`` and
one sentence of reasoning. The default threshold of 50 keeps eligible pairs with a real fit.

Eligibility (all must hold; each failure is named in the reasoning)
    * the call is open on the run date (``call.status_on(as_of) == "open"``). A *scheduled* call
      is not eligible yet: its verdict says "Not open yet: opens on ..." and what its fit would be,
      so a UI can show it as upcoming (see :meth:`OfflineMatcher.upcoming`); closed calls say when
      they closed;
    * the call is for companies: a call whose wording targets only public bodies ("administração
      pública", "municípios", "escolas", ...) is not (:func:`themes.call_audience`);
    * the company's region is covered (``call.regions is None`` = national). Unknown region: not
      excluded, the reasoning says "region unknown";
    * the company's size is allowed: ``pme`` = micro/small/medium, ``non_pme`` and ``large`` =
      large, ``any`` = all. Unknown size: not excluded, the reasoning says "size unknown".

Fit (0-100), from themes (:mod:`elinara.agent.matching.themes`) and shared words
    The call's *focus* themes are those of its title when the title names any, else those of its
    text (plus ``call.themes``). If the focus holds **sector** themes (tourism, fisheries,
    agri-food, ...) the call is a *sector call*, else if it holds **cross-sector** themes it is a
    *horizontal call*. The company's themes come from its CAE code and its activity text.

    ==================================================  ======  =========
    case                                                  base   overlap
    ==================================================  ======  =========
    sector call, CAE and activity both in the sector        85    <= 15
    sector call, CAE in the sector                          80    <= 15
    sector call, only the activity text in the sector       60    <= 15
      (70 when the company has no CAE)
    sector call, company sector unknown (no CAE/text)       50    <= 15
    sector call, company in another sector                  10    <= 30
    horizontal call, business company                       60    <= 15
      +10 when the company's themes include one of the call's (ICT firm x digital call)
      +5 when they include a sector the call's text names outside its focus
    horizontal call, non-business CAE (farming, fishing,    20    <= 15
      finance, public admin, ...), unless FSE+ funded
    horizontal "Inovação Produtiva" call (regional          20    <= 15
      investment aid), CAE in transport/energy/steel
    no recognisable theme: business / non-business       50 / 20  <= 15
    ==================================================  ======  =========

    A sector call also naming a horizontal theme the company has gives +5. Calls funded by the
    FSE+ alone (training, employment) have no business-sector exclusion: every CAE counts as
    business for them. *Overlap* is ``10 x sum(weight)`` over the significant word stems that the
    call's text and the company's activity share, each weighted ``ln(N/df) / ln(N)`` over the N
    calls (1 for a word only one call uses, near 0 for boilerplate every call repeats), capped
    as in the table. The fit is capped at 100.

Score
    ``score = fit`` for eligible pairs; ``score = round(0.3 x fit)`` (so <= 30) for ineligible
    ones, which keeps them below the default threshold of 50 while still ranking them.

Speed: per-call features are computed once; per company, the calls are filtered through a
(region, size) eligibility index, the thematic part of the fit is cached per company *profile*
(CAE themes, activity themes, business flag) and word overlap goes through an inverted index, so
only pairs that are returned are ever turned into ``Verdict`` objects with a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from elinara.agent.matching.themes import (
    CROSS_SECTOR,
    REGIONAL_AID_THEMES,
    SECTION_LABELS,
    THEMES_BY_KEY,
    cae_digits,
    cae_section,
    call_audience,
    idf_weights,
    is_business,
    regional_aid_excluded,
    significant_stems,
    theme_label,
    themes_in_text,
    themes_of_cae,
)
from elinara.models import REGIONS, FundingCall, Lead, Verdict
from elinara.text import fold
from elinara.times import LISBON, local_day

PROVIDER = "offline"
INELIGIBLE_FACTOR = 0.3
INELIGIBLE_CAP = 30  # the highest score an ineligible pair can get
DEFAULT_THRESHOLD = 50

PME_SIZES = frozenset({"micro", "small", "medium"})
_ALLOWED_SIZES: dict[str, frozenset[str]] = {
    "pme": PME_SIZES,
    "non_pme": frozenset({"large"}),
    "large": frozenset({"large"}),
    "any": frozenset({"micro", "small", "medium", "large"}),
}
_SIZE_RULE_TEXT = {
    "pme": "PME only",
    "non_pme": "non-PME (large) companies only",
    "large": "large companies only",
}
_CAE = "\x00"  # placeholder for the company's CAE text inside cached fit sentences


@dataclass(slots=True)
class _Call:
    index: int
    call: FundingCall
    status: str
    regions: frozenset[str] | None
    sizes: frozenset[str]
    public: bool
    sector: frozenset[str]  # sector themes of the focus: the call is for these sectors only
    cross: frozenset[str]  # horizontal themes anywhere in the call
    soft: frozenset[str]  # sector themes mentioned outside the focus (no restriction)
    regional_aid: bool  # a horizontal call about regional-aid themes only (Inovação Produtiva)
    all_sectors: bool  # funded by the FSE+ alone: no business-sector exclusions
    focus_label: str  # "'Turismo'" / "'Inovação produtiva', 'Internacionalização'"
    window: str  # "call open until 2026-12-31"
    fixed_reasons: tuple[str, ...]  # status / audience reasons, the same for every company
    words: dict[str, float]  # significant stem -> weight


@dataclass(slots=True)
class _Profile:
    """What the thematic fit depends on; many companies share one."""

    cae_themes: frozenset[str]
    text_themes: frozenset[str]
    business: bool | None  # None: no CAE known
    section: str | None
    aid_excluded: bool  # a sector EU regional investment aid excludes (transport, energy, ...)


@dataclass(slots=True)
class _Lead:
    lead: Lead
    lead_key: str  # Lead.key: the NIF, or name:... without one
    region: str | None
    size: str | None
    cae_text: str  # "CAE 10711 (indústria transformadora)" or "no CAE"
    who: str  # "Norte company, PME (small)"
    profile: _Profile
    stems: frozenset[str]


_ProfileKey = tuple[frozenset[str], frozenset[str], bool | None, str | None, bool]


def _is_esf(fund: str) -> bool:
    """The European Social Fund Plus, however the source spells it."""
    name = fold(fund).replace(" ", "")
    return name.startswith(("fse", "esf")) or "fundosocialeuropeu" in name


def _quoted(keys: Iterable[str]) -> str:
    return ", ".join(f"'{theme_label(k)}'" for k in keys)


def _ordered(keys: Iterable[str], order: list[str]) -> list[str]:
    wanted = set(keys)
    return [k for k in order if k in wanted]


class OfflineMatcher:
    """Judges companies against a fixed list of calls as of one moment (see module docstring)."""

    provider = PROVIDER
    model = ""

    def __init__(self, calls: list[FundingCall], as_of: datetime) -> None:
        if as_of.tzinfo is None:  # a naive run date is Lisbon wall-clock time
            as_of = as_of.replace(tzinfo=LISBON)
        self.as_of = as_of
        self.calls = list(calls)
        self._calls = [self._prepare(i, c) for i, c in enumerate(self.calls)]
        weights = idf_weights([frozenset(c.words) for c in self._calls])
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for c in self._calls:
            c.words = {w: weights[w] for w in c.words}
            for word, weight in c.words.items():
                if weight > 0:
                    self._postings.setdefault(word, []).append((c.index, weight))
        self._eligible_index: dict[tuple[str | None, str | None], list[int]] = {}
        self._fits: dict[_ProfileKey, list[tuple[int, int, str]]] = {}

    # ---- per-call features ------------------------------------------------------------------

    def _prepare(self, index: int, call: FundingCall) -> _Call:
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
        public = call_audience(call.title, call.text) == "public"
        if public:
            reasons.append("call is for public bodies, not companies")
        window = (
            f"call open until {local_day(call.closes_at)}"
            if call.closes_at is not None
            else "call open (no closing date)"
        )
        shown = [k for k in focus if k in sector] or list(focus)
        focus_cross = {k for k in focus if k in CROSS_SECTOR}
        regional_aid = not sector and bool(focus_cross) and focus_cross <= REGIONAL_AID_THEMES
        regions = frozenset(call.regions) if call.regions else None  # [] read as national
        return _Call(
            index=index,
            call=call,
            status=status,
            regions=regions,
            sizes=_ALLOWED_SIZES.get(call.size_rule, _ALLOWED_SIZES["any"]),
            public=public,
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

    def _eligible(self, region: str | None, size: str | None) -> list[int]:
        """Indices of the calls a company of this region and size may apply to now."""
        key = (region, size)
        found = self._eligible_index.get(key)
        if found is None:
            found = [
                c.index
                for c in self._calls
                if c.status == "open"
                and not c.public
                and (c.regions is None or region is None or region in c.regions)
                and (size is None or size in c.sizes)
            ]
            self._eligible_index[key] = found
        return found

    # ---- per-company features ---------------------------------------------------------------

    def _lead(self, lead: Lead) -> _Lead:
        digits = cae_digits(lead.cae)
        section = cae_section(lead.cae, lead.cae_section)
        profile = _Profile(
            cae_themes=frozenset(themes_of_cae(lead.cae, lead.cae_section)),
            text_themes=frozenset(themes_in_text(lead.activity)),
            business=is_business(lead.cae, lead.cae_section),
            section=section,
            aid_excluded=regional_aid_excluded(lead.cae),
        )
        sector_name = SECTION_LABELS.get(section or "", "")
        if digits:
            cae_text = f"CAE {digits}" + (f" ({sector_name})" if sector_name else "")
        elif section:
            cae_text = f"CAE section {section}" + (f" ({sector_name})" if sector_name else "")
        else:
            cae_text = "no CAE"
        region = lead.region if lead.region in REGIONS else None
        size = lead.size if lead.size in _ALLOWED_SIZES["any"] else None
        where = f"{REGIONS[region]} company" if region else "company region unknown"
        if size is None:
            how = "size unknown"
        elif size in PME_SIZES:
            how = f"PME ({size})"
        else:
            how = "large company"
        return _Lead(
            lead=lead,
            lead_key=lead.key,
            region=region,
            size=size,
            cae_text=cae_text,
            who=f"{where}, {how}",
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
        )
        table = self._fits.get(key)
        if table is None:
            table = [self._fit(c, profile) for c in self._calls]
            self._fits[key] = table
        return table

    @staticmethod
    def _fit(c: _Call, p: _Profile) -> tuple[int, int, str]:
        mine = p.cae_themes | p.text_themes
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
            if by_text:
                base = 70 if p.business is None else 60
                return (
                    base + extra,
                    15,
                    f"fits: activity mentions {_quoted(sorted(by_text))} ↔ call on "
                    f"{_quoted(sorted(by_text))}; main activity {_CAE}",
                )
            if p.business is None and not p.text_themes:
                return (
                    50,
                    15,
                    f"company sector unknown ({_CAE}); call targets {c.focus_label}: check",
                )
            return 10, 30, f"weak fit: call targets {c.focus_label}; company is {_CAE}"
        if c.cross:
            if p.business is False and not c.all_sectors:
                return (
                    20,
                    15,
                    f"weak fit: call on {c.focus_label} is for business sectors, and {_CAE} is "
                    "funded by other programmes",
                )
            if c.regional_aid and p.aid_excluded:
                return (
                    20,
                    15,
                    f"weak fit: {c.focus_label} is regional investment aid, closed to transport, "
                    f"energy and steel: {_CAE}",
                )
            base = 60
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
            return 20, 15, f"weak fit: call topic not recognised; {_CAE}"
        return 50, 15, f"call topic not recognised, open to any sector: {_CAE}; check"

    def _overlap(self, stems: frozenset[str]) -> dict[int, float]:
        points: dict[int, float] = {}
        postings = self._postings
        for word in stems:
            for index, weight in postings.get(word, ()):
                points[index] = points.get(index, 0.0) + weight
        return points

    # ---- verdicts ---------------------------------------------------------------------------

    def _reasons(self, c: _Call, f: _Lead) -> list[str]:
        reasons = list(c.fixed_reasons)
        if c.regions is not None and f.region is not None and f.region not in c.regions:
            covered = ", ".join(REGIONS.get(r, r) for r in sorted(c.regions))
            reasons.append(f"call covers {covered} only; company is in {REGIONS[f.region]}")
        if f.size is not None and f.size not in c.sizes:
            rule = _SIZE_RULE_TEXT.get(c.call.size_rule, c.call.size_rule)
            size = f"PME ({f.size})" if f.size in PME_SIZES else "large"
            reasons.append(f"call is for {rule}; company is {size}")
        return reasons

    def _verdict(
        self, c: _Call, f: _Lead, fit: int, cap: int, text: str, overlap: float
    ) -> Verdict:
        shared = ""
        if overlap > 0:
            common = sorted(w for w in f.stems if c.words.get(w, 0.0) > 0)
            if common:
                shared = "; shared terms: " + ", ".join(common[:4])
        total = min(100, fit + min(cap, round(10 * overlap)))
        fit_text = text.replace(_CAE, f.cae_text) + shared
        reasons = self._reasons(c, f)
        if not reasons:
            return Verdict(
                lead_key=f.lead_key,
                aviso_id=c.call.aviso_id,
                eligible=True,
                match_score=total,
                reasoning=f"Eligible: {f.who}, {c.window}; {fit_text}.",
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
            self._verdict(c, f, *table[c.index], overlap.get(c.index, 0.0)) for c in self._calls
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
            indices: Iterable[int] = self._eligible(f.region, f.size)
        else:
            indices = range(len(self._calls))
        out: list[Verdict] = []
        for i in indices:
            fit, cap, text = table[i]
            points = overlap.get(i, 0.0)
            if fit + min(cap, round(10 * points)) < min_score:
                continue  # cheap pre-check: the score can only be lower than this sum
            verdict = self._verdict(self._calls[i], f, fit, cap, text, points)
            if verdict.match_score >= min_score:
                out.append(verdict)
        out.sort(key=lambda v: (-v.match_score, v.aviso_id))
        return out

    def upcoming(self, lead: Lead, min_fit: int = DEFAULT_THRESHOLD) -> list[Verdict]:
        """Scheduled calls the company could apply to once they open, with fit >= ``min_fit``.

        Their verdicts are the same as :meth:`judge` gives (not eligible, score capped); this
        only picks those whose region, size and fit would qualify, best fit first.
        """
        f = self._lead(lead)
        table = self._fit_table(f.profile)
        overlap = self._overlap(f.stems)
        picked: list[tuple[int, Verdict]] = []
        for c in self._calls:
            if c.status != "scheduled" or c.public or self._reasons(c, f)[1:]:
                continue
            fit, cap, text = table[c.index]
            points = overlap.get(c.index, 0.0)
            total = min(100, fit + min(cap, round(10 * points)))
            if total >= min_fit:
                picked.append((total, self._verdict(c, f, fit, cap, text, points)))
        picked.sort(key=lambda item: (-item[0], item[1].aviso_id))
        return [v for _, v in picked]
