"""The judge's prompt, its answer schema, and the checking of answers.

One prompt judges a batch of company x call pairs. The instructions go in the system message; the
user message is one JSON object with named fields, each company and each call given once:

    {"companies": [{"nif", "name", "cae", "region", "size", "activity", ...}],
     "calls": [{"aviso_id", "title", "programmes", "regions", "size_rule", "closes", "text"}],
     "pairs": [{"nif", "aviso_id", "offline_eligible", "offline_score", "offline_reasoning"}]}

The answer is ``{"verdicts": [{nif, aviso_id, eligible, match_score, reasoning}]}``, one per pair.
``PROMPT_VERSION`` is part of every cache key: change it whenever the prompt or the payload
changes meaning, so old cached verdicts are not reused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from elinara.models import REGIONS, FundingCall, Lead, Verdict
from elinara.text import clip
from elinara.times import local_day

PROMPT_VERSION = "judge-v1"
OUTPUT_TOKENS_PER_PAIR = 80  # a verdict object with one or two sentences, for estimates
ACTIVITY_CHARS = 400
CALL_TEXT_CHARS = 700
REASONING_CHARS = 600

PairId = tuple[str, str]  # (nif, aviso_id)

VERDICT_FIELDS = ("nif", "aviso_id", "eligible", "match_score", "reasoning")
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "verdicts": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "nif": {"type": "string"},
                    "aviso_id": {"type": "string"},
                    "eligible": {"type": "boolean"},
                    "match_score": {"type": "integer", "minimum": 0, "maximum": 100},
                    "reasoning": {"type": "string"},
                },
                "required": list(VERDICT_FIELDS),
                "additionalProperties": False,
            },
        }
    },
    "required": ["verdicts"],
    "additionalProperties": False,
}

_INSTRUCTIONS = {
    "en": """\
You are a funding consultant in Portugal. For each company x funding call pair you decide whether \
the company can apply to the Portugal 2030 / EU call now and how worthwhile it is to tell it \
about the call.

The input is JSON: "companies" (by "nif"), "calls" (by "aviso_id") and "pairs" to judge. Each \
pair carries the assessment of a deterministic matcher ("offline_eligible", "offline_score", \
"offline_reasoning") from rules on dates, region (NUTS II), company size and sector (CAE). Use it, \
and correct it where the call's text or the company's activity show it is wrong (for example a \
local service such as a restaurant or a care home for regional investment aid meant for tradable \
goods, or a company whose activity fits a call its CAE code hides).

Return exactly one verdict per pair, with:
- "nif" and "aviso_id" copied from the pair;
- "eligible": true when the company may apply now (call open, region, size, sector, type of \
promoter allowed);
- "match_score": an integer 0-100: 80 or more a strong fit, 50-79 plausible, below 50 weak or \
not eligible;
- "reasoning": one or two sentences a consultant can act on, naming the decisive facts.

Never drop a pair and never invent facts that are not in the input. Write "reasoning" in English.
Answer only with JSON: {"verdicts": [...]}.""",
    "pt": """\
És um consultor de fundos europeus em Portugal. Para cada par empresa x aviso decides se a \
empresa pode candidatar-se agora ao aviso do Portugal 2030 e quanto vale a pena apresentar-lhe \
esse aviso.

A entrada é JSON: "companies" (por "nif"), "calls" (por "aviso_id") e "pairs" a avaliar. Cada par \
traz a avaliação de um classificador determinístico ("offline_eligible", "offline_score", \
"offline_reasoning") feita com regras de datas, região (NUTS II), dimensão da empresa e setor \
(CAE). Usa-a e corrige-a quando o texto do aviso ou a atividade da empresa mostram que está errada \
(por exemplo um serviço local, como um restaurante ou um lar, num aviso de auxílio regional ao \
investimento para bens transacionáveis, ou uma empresa cuja atividade se ajusta a um aviso que o \
seu CAE esconde).

Devolve exatamente um veredicto por par, com:
- "nif" e "aviso_id" copiados do par;
- "eligible": true quando a empresa se pode candidatar agora (aviso aberto, região, dimensão, \
setor e tipo de promotor admitidos);
- "match_score": um inteiro de 0 a 100: 80 ou mais um ajuste forte, 50-79 plausível, abaixo de \
50 fraco ou não elegível;
- "reasoning": uma ou duas frases com que um consultor possa agir, com os factos decisivos.

Nunca omitas um par nem inventes factos que não estejam na entrada. Escreve "reasoning" em \
português europeu.
Responde apenas com JSON: {"verdicts": [...]}.""",
}


def system_prompt(language: str) -> str:
    return _INSTRUCTIONS.get(language, _INSTRUCTIONS["en"])


def _compact(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v not in (None, "", [], {})}


def company_fields(lead: Lead) -> dict[str, Any]:
    """What the prompt says about a company (and what its verdicts' cache key covers)."""
    return _compact(
        {
            "nif": lead.key,
            "name": lead.company,
            "cae": lead.cae,
            "cae_section": lead.cae_section,
            "region": REGIONS.get(lead.region or "", lead.region),
            "municipality": lead.municipality,
            "size": lead.size,
            "employees": lead.employees,
            "activity": clip(lead.activity or "", ACTIVITY_CHARS),
        }
    )


def call_fields(call: FundingCall) -> dict[str, Any]:
    """What the prompt says about a funding call."""
    closes = local_day(call.closes_at) if call.closes_at else None
    opens = local_day(call.opens_at) if call.opens_at else None
    regions = [REGIONS.get(r, r) for r in call.regions] if call.regions else "national"
    text = " ".join((call.text or "").split())
    if text.startswith(call.title):  # the text repeats the title first: say it once
        text = text[len(call.title) :].strip()
    return _compact(
        {
            "aviso_id": call.aviso_id,
            "title": call.title,
            "programmes": list(call.programmes),
            "funds": list(call.funds),
            "regions": regions,
            "size_rule": call.size_rule,
            "opens": opens,
            "closes": closes,
            "text": clip(text, CALL_TEXT_CHARS),
        }
    )


def pair_fields(offline: Verdict) -> dict[str, Any]:
    return {
        "nif": offline.lead_key,
        "aviso_id": offline.aviso_id,
        "offline_eligible": offline.eligible,
        "offline_score": offline.match_score,
        "offline_reasoning": offline.reasoning,
    }


def cache_key(
    company: dict[str, Any],
    call: dict[str, Any],
    pair: dict[str, Any],
    provider: str,
    model: str,
    language: str,
) -> str:
    """The verdict cache's key: everything the prompt says about the pair, and who judges it."""
    material = json.dumps(
        [PROMPT_VERSION, provider, model, language, company, call, pair],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def user_message(
    companies: Iterable[dict[str, Any]],
    calls: Iterable[dict[str, Any]],
    pairs: Iterable[dict[str, Any]],
) -> str:
    """The batch as one JSON object (companies and calls once each, then the pairs)."""
    seen_companies: dict[str, dict[str, Any]] = {}
    for company in companies:
        seen_companies.setdefault(company["nif"], company)
    seen_calls: dict[str, dict[str, Any]] = {}
    for call in calls:
        seen_calls.setdefault(call["aviso_id"], call)
    return json.dumps(
        {
            "companies": list(seen_companies.values()),
            "calls": list(seen_calls.values()),
            "pairs": list(pairs),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


@dataclass(frozen=True)
class PairVerdict:
    eligible: bool
    match_score: int
    reasoning: str


def _strip_fences(text: str) -> str:
    text = text.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        if text.rstrip().endswith("```"):
            text = text.rstrip()[:-3]
    return text.strip()


def _check(item: Any) -> tuple[PairId, PairVerdict] | str:
    """One answer item against the schema: the verdict, or what is wrong with it."""
    if not isinstance(item, dict):
        return "a verdict is not an object"
    missing = [k for k in VERDICT_FIELDS if k not in item]
    if missing:
        return f"a verdict lacks {', '.join(missing)}"
    nif, aviso_id = item["nif"], item["aviso_id"]
    eligible, score, reasoning = item["eligible"], item["match_score"], item["reasoning"]
    if not isinstance(nif, str) or not isinstance(aviso_id, str):
        return "nif and aviso_id must be strings"
    if not isinstance(eligible, bool):
        return "eligible must be true or false"
    if isinstance(score, float) and score.is_integer():
        score = int(score)
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        return f"match_score {score!r} is not an integer from 0 to 100"
    if not isinstance(reasoning, str) or not reasoning.strip():
        return "reasoning must be a non-empty string"
    text = clip(reasoning, REASONING_CHARS)
    return (nif.strip(), aviso_id.strip()), PairVerdict(eligible, score, text)


def parse_verdicts(text: str, wanted: Iterable[PairId]) -> tuple[dict[PairId, PairVerdict], str]:
    """The valid verdicts of an answer for the pairs asked about, and a note on what was wrong
    ("" when every pair got a valid verdict). Verdicts for pairs not asked about are ignored;
    the first verdict for a pair wins."""
    asked = set(wanted)
    try:
        data = json.loads(_strip_fences(text))
    except ValueError:
        return {}, "the answer is not JSON"
    items = data.get("verdicts") if isinstance(data, dict) else data
    if not isinstance(items, list):
        return {}, 'the answer has no "verdicts" list'
    found: dict[PairId, PairVerdict] = {}
    problems: list[str] = []
    for item in items:
        checked = _check(item)
        if isinstance(checked, str):
            problems.append(checked)
            continue
        pair, verdict = checked
        if pair in asked and pair not in found:
            found[pair] = verdict
    missing = len(asked) - len(found)
    if not missing:
        return found, ""
    problems.append(f"{missing} of {len(asked)} pairs have no valid verdict")
    return found, "; ".join(dict.fromkeys(problems))
