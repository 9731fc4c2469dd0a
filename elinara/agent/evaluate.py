"""Measure a matcher against hand-labelled company x call pairs.

A labels file is a CSV with the columns ``nif``, ``aviso_id`` and ``label`` (1/0, yes/no,
true/false, sim/não), and optionally ``rule``: for a pair labelled 0, the kind of rule that makes
it 0 (dates, geography, beneficiary, size, cae, fit). With rules, the figures are also given per
kind: the positives plus the pairs that kind rules out, so a kind's precision shows how many of
its pairs the matcher wrongly proposes. A verdict counts as a predicted match when ``match_score >= threshold``;
a labelled pair with no verdict at all counts as predicted *not* a match (a matcher that stays
silent about a pair has not recommended it). Verdicts for pairs that carry no label are ignored
and counted apart.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from elinara.agent.call_files import load_calls
from elinara.agent.matching.offline import OfflineMatcher
from elinara.agent.notices.read import read_call_notices
from elinara.agent.sheets import read_leads
from elinara.config import Settings
from elinara.errors import BadInput
from elinara.models import FundingCall, Lead, Verdict
from elinara.store import Store

Pair = tuple[str, str]

_TRUE = frozenset({"1", "yes", "y", "true", "t", "sim", "s"})
_FALSE = frozenset({"0", "no", "n", "false", "f", "nao", "não"})
_COLUMNS = ("nif", "aviso_id", "label")
# The order in which a consultant checks a pair (README of tests/data/eval); other kinds follow.
RULE_KINDS = ("dates", "geography", "beneficiary", "size", "cae", "fit")
BIN_LABELS = (*(f"{low}-{low + 9}" for low in range(0, 90, 10)), "90-100")


def read_labels(path: str | Path) -> dict[Pair, bool]:
    """``{(nif, aviso_id): is_match}`` from a labels CSV; ``BadInput`` when the file is unusable."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadInput(f"Labels file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"Labels file {path} cannot be read as UTF-8 text: {exc}.") from None
    rows = csv.reader(text.splitlines())
    header = next(rows, None)
    if header is None:
        raise BadInput(f"Labels file {path} is empty; it needs the columns nif, aviso_id, label.")
    names = [h.strip().casefold() for h in header]
    missing = [c for c in _COLUMNS if c not in names]
    if missing:
        raise BadInput(
            f"Labels file {path} lacks the column(s) {', '.join(missing)}; "
            "it needs nif, aviso_id and label."
        )
    at = {c: names.index(c) for c in _COLUMNS}
    labels: dict[Pair, bool] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [row[at[c]].strip() if at[c] < len(row) else "" for c in _COLUMNS]
        nif, aviso_id, raw = cells
        if not nif or not aviso_id:
            raise BadInput(f"Labels file {path}, line {line}: nif and aviso_id must not be empty.")
        value = raw.casefold()
        if value in _TRUE:
            label = True
        elif value in _FALSE:
            label = False
        else:
            raise BadInput(
                f"Labels file {path}, line {line}: label {raw!r} is not one of "
                "1/0, yes/no, true/false."
            )
        pair = (nif, aviso_id)
        if labels.get(pair, label) != label:
            raise BadInput(
                f"Labels file {path}, line {line}: the pair {nif} x {aviso_id} is labelled twice "
                "with different labels."
            )
        labels[pair] = label
    if not labels:
        raise BadInput(f"Labels file {path} has a header but no labelled pairs.")
    return labels


def read_rules(path: str | Path) -> dict[Pair, str]:
    """``{(nif, aviso_id): rule}`` from a labels CSV's ``rule`` column ("" for a match).

    Empty when the file has no ``rule`` column. Call it after ``read_labels``, which reports what
    is wrong with an unusable file.
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    rows = csv.reader(text.splitlines())
    names = [h.strip().casefold() for h in next(rows, [])]
    if "rule" not in names:
        return {}
    at = [names.index(c) for c in ("nif", "aviso_id", "rule")]
    rules: dict[Pair, str] = {}
    for row in rows:
        if len(row) <= max(at[:2]) or not row[at[0]].strip():
            continue
        rule = row[at[2]].strip().casefold() if at[2] < len(row) else ""
        rules[(row[at[0]].strip(), row[at[1]].strip())] = rule
    return rules


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


@dataclass(frozen=True)
class EvalResult:
    threshold: int
    tp: int
    fp: int
    fn: int
    tn: int
    unlabelled: int = 0  # verdicts about pairs the labels do not cover (ignored)
    missing: int = 0  # labelled pairs no verdict was given for (counted as predicted negative)
    false_positives: tuple[Pair, ...] = field(default=(), repr=False)
    false_negatives: tuple[Pair, ...] = field(default=(), repr=False)
    # per rule kind: the positives plus the pairs that kind rules out (empty without rules)
    by_rule: dict[str, EvalResult] = field(default_factory=dict, repr=False, compare=False)
    # counts of labelled pairs per 10-point score bin: {"match": [...], "no_match": [...]}
    histogram: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 0.0 when nothing was predicted."""
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 0.0 when nothing is labelled a match."""
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "threshold": self.threshold,
            **self.summary(),
            "unlabelled": self.unlabelled,
            "missing": self.missing,
            "false_positives": [list(p) for p in self.false_positives],
            "false_negatives": [list(p) for p in self.false_negatives],
            "by_rule": {kind: r.summary() for kind, r in self.by_rule.items()},
            "histogram": {"bins": list(BIN_LABELS), **self.histogram},
        }

    def summary(self) -> dict[str, Any]:
        """The headline figures without the lists of pairs."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
        }


def evaluate(
    verdicts: list[Verdict],
    labels: dict[Pair, bool],
    threshold: int,
    rules: dict[Pair, str] | None = None,
) -> EvalResult:
    """Confusion counts of ``verdicts`` against ``labels`` at ``threshold``.

    When several verdicts cover one pair (e.g. two providers), the highest score counts. With
    ``rules`` (see ``read_rules``) the result also holds the figures per rule kind.
    """
    scores: dict[Pair, int] = {}
    for v in verdicts:
        pair = (v.lead_key, v.aviso_id)
        if pair not in scores or v.match_score > scores[pair]:
            scores[pair] = v.match_score
    result = _confusion(scores, labels, threshold)
    by_rule: dict[str, EvalResult] = {}
    if rules:
        found = {rules[p] for p in labels if not labels[p] and rules.get(p)}
        kinds = [k for k in RULE_KINDS if k in found] + sorted(found - set(RULE_KINDS))
        for kind in kinds:
            subset = {p: v for p, v in labels.items() if v or rules.get(p) == kind}
            by_rule[kind] = _confusion(scores, subset, threshold)
    return replace(result, by_rule=by_rule, histogram=_histogram(scores, labels))


def _histogram(scores: dict[Pair, int], labels: dict[Pair, bool]) -> dict[str, list[int]]:
    """Labelled pairs per 10-point bin of their score; pairs without a verdict counted apart."""
    counts = {"match": [0] * len(BIN_LABELS), "no_match": [0] * len(BIN_LABELS)}
    silent = {"match": 0, "no_match": 0}
    for pair, actual in labels.items():
        key = "match" if actual else "no_match"
        score = scores.get(pair)
        if score is None:
            silent[key] += 1
        else:
            counts[key][min(max(score, 0) // 10, len(BIN_LABELS) - 1)] += 1
    return {**counts, "no_verdict": [silent["match"], silent["no_match"]]}


def _confusion(scores: dict[Pair, int], labels: dict[Pair, bool], threshold: int) -> EvalResult:
    tp = fp = fn = tn = missing = 0
    fps: list[Pair] = []
    fns: list[Pair] = []
    for pair in sorted(labels):
        actual = labels[pair]
        score = scores.get(pair)
        if score is None:
            missing += 1
        predicted = score is not None and score >= threshold
        if predicted and actual:
            tp += 1
        elif predicted:
            fp += 1
            fps.append(pair)
        elif actual:
            fn += 1
            fns.append(pair)
        else:
            tn += 1
    unlabelled = sum(1 for pair in scores if pair not in labels)
    return EvalResult(
        threshold=threshold,
        tp=tp,
        fp=fp,
        fn=fn,
        tn=tn,
        unlabelled=unlabelled,
        missing=missing,
        false_positives=tuple(fps),
        false_negatives=tuple(fns),
    )


def format_result(result: EvalResult, *, show_errors: int = 0) -> str:
    """A few lines for a terminal; ``show_errors`` lists up to that many misses of each kind."""
    lines = [
        f"threshold {result.threshold}: precision {result.precision:.3f}, "
        f"recall {result.recall:.3f}, F1 {result.f1:.3f}",
        f"tp {result.tp}  fp {result.fp}  fn {result.fn}  tn {result.tn}  "
        f"({result.tp + result.fp + result.fn + result.tn} labelled pairs)",
    ]
    if result.missing:
        lines.append(f"{result.missing} labelled pairs had no verdict (counted as not matched)")
    if result.unlabelled:
        lines.append(f"{result.unlabelled} verdicts had no label (ignored)")
    if show_errors:
        for name, pairs in (
            ("false positives", result.false_positives),
            ("false negatives", result.false_negatives),
        ):
            if pairs:
                shown = ", ".join(f"{n}x{a}" for n, a in pairs[:show_errors])
                more = f" (+{len(pairs) - show_errors} more)" if len(pairs) > show_errors else ""
                lines.append(f"{name}: {shown}{more}")
    if result.by_rule:
        lines.append("")
        lines.append("per rule kind (the positives plus the pairs that kind rules out):")
        lines.append(
            f"{'rule':<12} {'ruled out':>9} {'fp':>5} {'precision':>9} {'recall':>7} {'F1':>6}"
        )
        for kind, r in result.by_rule.items():
            lines.append(
                f"{kind:<12} {r.fp + r.tn:>9} {r.fp:>5} {r.precision:>9.3f} "
                f"{r.recall:>7.3f} {r.f1:>6.3f}"
            )
    if result.histogram:
        lines.append("")
        lines.append("score distribution (labelled pairs per score bin):")
        lines.append(f"{'score':<10} {'label 1':>8} {'label 0':>8}")
        hist = result.histogram
        for name, yes, no in zip(BIN_LABELS, hist["match"], hist["no_match"], strict=True):
            lines.append(f"{name:<10} {yes:>8} {no:>8}")
        yes, no = hist["no_verdict"]
        if yes or no:
            lines.append(f"{'no verdict':<10} {yes:>8} {no:>8}")
    return "\n".join(lines)


def labelled_run_verdicts(
    store: Store,
    settings: Settings,
    leads: Path,
    calls: str,
    as_of: datetime,
    *,
    notices: str | None = None,
    with_notices: bool = True,
    warn: Callable[[str], None] | None = None,
) -> tuple[list[Lead], list[FundingCall], list[Verdict]]:
    """What a run would judge on these files, every pair scoring 1 or more: the leads, the calls
    (with their notices' criteria, read as a run reads them, unless ``with_notices`` is off) and
    the offline verdicts."""
    found_leads, _ = read_leads(leads)
    found_calls, problems = load_calls(calls, settings)
    for problem in problems:
        if warn is not None:
            warn(problem)
    if with_notices:
        found_calls, _ = read_call_notices(
            found_calls,
            calls,
            store=store,
            settings=settings,
            as_of=as_of,
            folder=notices,
            warn=warn,
        )
    matcher = OfflineMatcher(found_calls, as_of)
    verdicts = [v for lead in found_leads for v in matcher.candidates(lead, 1)]
    return found_leads, found_calls, verdicts
