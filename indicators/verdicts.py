"""Claim verdicts: does a claimed figure meet the national standard for its indicator?

A verdict is only given where the comparison is sound. The claim's level picks the stage (a
"compulsory" figure cannot be held against a limit that differs for primary and junior), the unit
must match, a target or a quoted threshold is not an achieved value, a change is not a level.
A claim that says 达标 while its number is over the limit is flagged, and so is any value short
of a national standard, whether or not the document mentions the standard.

verdict["margin"] is signed by direction: positive means on the good side of the threshold
(value − threshold for "higher is better", threshold − value for limits).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from junheng.indicators.standards import (
    Standards,
    Threshold,
    claim_stage,
    compare,
    load_standards,
)

NON_COMPULSORY = ("preschool", "senior", "vocational", "higher")
SYMBOL = {"ge": "≥", "le": "≤", "gt": ">", "lt": "<", "eq": "="}
_SENTENCE_END = re.compile(r"[。！？；!?;\n]")
_YEAR = re.compile(r"(?:19|20)\d\d")


def verdict_for(
    claim: Any,
    ontology: Any = None,
    text: str | None = None,
    standards: Standards | None = None,
) -> dict[str, Any] | None:
    """The verdict for one claim, or None when no national standard bears on its indicator.

    text: the document's original text; with the claim's sentence offsets (or, failing those,
    its span) it supplies the sentence used to spot compliance claims (达标, 均小于 …) and
    composite-CV wording.
    """
    std = standards or load_standards()
    ind, cv_of = _indicator(claim, std)
    records = std.find(ind, None, claim=None if cv_of else claim)
    if not records:
        return None
    sentence = _sentence(claim, text)
    year = _claim_year(claim)
    level = getattr(claim, "level", None) or "all"
    stage = claim_stage(claim, std)
    unit = getattr(claim, "unit", None)
    kind = getattr(claim, "kind", "level")
    qualifier = getattr(claim, "qualifier", "eq")
    name = _name(ind, ontology)
    flags: list[str] = [f"cv_of:{cv_of}"] if cv_of else []

    if level in NON_COMPULSORY:
        return _result(
            "not_comparable",
            records[0],
            None,
            f"the standard covers compulsory education; the claim is about {level}",
            flags,
            with_threshold=False,
        )

    if stage is None:
        candidates = [t for t in records if t.stage == "both"]
        if not candidates:
            return _result(
                "not_comparable",
                records[0],
                None,
                f"{name}: the standard differs by stage ({_by_stage(records)}); "
                f"the claim's level is {level}",
                flags + ["stage_specific_standard"],
                with_threshold=False,
            )
    else:
        candidates = [t for t in records if t.stage in (stage, "both")]
        if not candidates:
            return _result(
                "not_comparable",
                records[0],
                None,
                f"{name}: the standard applies to {_by_stage(records)} only; the claim is {stage}",
                flags + ["stage_specific_standard"],
                with_threshold=False,
            )
    record = _choose(candidates, claim, sentence, year, std, kind)
    if record.derived_from:
        flags.append(f"derived_from:{record.derived_from}")
    if record.verified != "verified":
        flags.append(f"threshold_{record.verified}")
    if record.level == "school":
        flags.append("school_level_standard")
    if record.level == "national" and (getattr(claim, "region", None) or "") != "全国":
        flags.append("national_level_standard")
    if record.de_facto_from and year is not None and year < record.de_facto_from:
        flags.append("de_facto_threshold")
    doc_year = record.year or std.documents[record.standard].year
    if doc_year and year is not None and year < doc_year:
        flags.append("predates_standard")

    if unit not in record.units:
        return _result(
            "not_comparable",
            record,
            None,
            f"{name}: claim unit {unit}, the standard is in {record.unit} ({record.measure})",
            flags + ["unit_mismatch"],
        )

    low, high, lo_open, hi_open = _interval(claim)
    if _reads_as_value(claim, text, std):
        low = high = float(claim.value)
        lo_open = hi_open = False
        flags.append("qualifier_read_as_value")
    if kind == "threshold":
        flags.append(_quoted_flag(record, claim, low, high, std))
        return _result(
            "not_comparable",
            record,
            None,
            f"the document quotes a threshold ({SYMBOL.get(qualifier, qualifier)} "
            f"{_fmt(claim.value)}); national: {name} {SYMBOL[record.op]} {_fmt(record.value)}",
            flags,
        )
    if record.role == "definition":
        return _result(
            "not_comparable",
            record,
            None,
            f"{name} is a definition ({record.measure}), not a requirement",
            flags,
        )
    if qualifier == "target":
        if low is not None and _decide(low, high, lo_open, hi_open, record, std) is False:
            flags.append("target_short_of_standard")
        return _result(
            "not_comparable",
            record,
            None,
            f"a target, not an achieved value (national: {SYMBOL[record.op]} {_fmt(record.value)})",
            flags + ["target"],
        )
    change_kinds = ("change", "growth_rate")
    if record.kind == "level" and kind in change_kinds:
        return _result(
            "not_comparable",
            record,
            None,
            f"a {kind} claim; the standard is about levels ({record.measure})",
            flags + ["kind_mismatch"],
        )
    if record.kind == "change" and kind not in change_kinds:
        return _result(
            "not_comparable",
            record,
            None,
            f"a {kind} claim; the standard is about year-on-year change ({record.measure})",
            flags + ["kind_mismatch"],
        )
    if low is None:
        return _result("not_comparable", record, None, "the claim carries no value", flags)
    if record.kind == "change" and _says(sentence or claim.subject, std, "decrease"):
        low, high, lo_open, hi_open = -high, -low, hi_open, lo_open
        flags.append("decrease")
    if qualifier == "approx":
        flags.append("approximate_value")

    decided = _decide(low, high, lo_open, hi_open, record, std)
    point = low if low == high else (claim.value if claim.value is not None else None)
    if record.kind == "change" and "decrease" in flags and point is not None:
        point = -abs(point)
    margin = None if point is None else _round(record.margin(_as_compared(point, record, std)))
    rel = f"{SYMBOL[record.op]} {_fmt(record.value)}"
    what = f"{name} ({record.stage})" if record.stage != "both" else name
    if decided is None:
        return _result(
            "not_comparable",
            record,
            margin,
            f"the claimed bound ({SYMBOL.get(qualifier, qualifier)} {_fmt(claim.value)}) "
            f"does not settle {what} {rel}",
            flags + ["bound_undecided"],
        )
    due = record.target_year
    if record.role == "target" and due and year is not None and year < due and not decided:
        return _result(
            "not_comparable",
            record,
            margin,
            f"target {rel} due by {record.target_year}; the claim refers to {year}",
            flags + ["target_not_yet_due"],
        )
    status = "meets" if decided else "falls_short"
    if not decided:
        flags.append(
            "above_national_limit" if record.direction == "lower" else "below_national_standard"
        )
        if _says(sentence, std, "compliant"):
            flags.append(
                "claimed_compliant_but_over"
                if record.direction == "lower"
                else "claimed_compliant_but_under"
            )
    if (
        record.floor is not None
        and point is not None
        and not compare(point, record.op, record.floor)
    ):
        flags.append("below_85pct_floor")
    near = std.cv_method.near_margin
    if record.check is not None and point is not None and abs(point - record.value) < near:
        flags.append("near_threshold")
    value_text = _fmt(point) if point is not None else f"{_fmt(low)}–{_fmt(high)}"
    verb = "meets" if decided else "falls short of"
    return _result(
        status,
        record,
        margin,
        f"{what} {value_text} {verb} {rel} ({record.doc_no})",
        flags,
    )


def apply_verdicts(
    claims: Iterable[Any],
    text: str | Mapping[str, str] | None = None,
    ontology: Any = None,
    standards: Standards | None = None,
) -> list[Any]:
    """Set claim.verdict on every claim (None where no standard applies); returns the claims.

    text: the document text, or a mapping doc -> text for claims of several documents. A value
    short of a standard in a document that quotes no threshold for that indicator is flagged
    "standard_not_quoted_in_document".
    """
    std = standards or load_standards()
    claims = list(claims)
    quoted: set[tuple[str, str]] = set()
    for c in claims:
        if getattr(c, "kind", None) == "threshold":
            quoted.add((c.doc, _indicator(c, std)[0]))
    for c in claims:
        doc_text = text.get(c.doc) if isinstance(text, Mapping) else text
        v = verdict_for(c, ontology=ontology, text=doc_text, standards=std)
        if v is not None and v["status"] == "falls_short" and (c.doc, v["indicator"]) not in quoted:
            v["flags"].append("standard_not_quoted_in_document")
        c.verdict = v
    return claims


# ----------------------------------------------------------------------------- helpers


def _indicator(claim: Any, std: Standards) -> tuple[str, str | None]:
    """(threshold indicator id, resource indicator when the claim is that indicator's CV)."""
    alias = std.resolve(getattr(claim, "indicator", "") or "", claim)
    ind = alias.indicator
    if getattr(claim, "unit", None) == "coefficient" and ind != "cv":
        covered = {i for t in std.thresholds if t.indicator == "cv" for i in t.applies_to}
        if ind in covered:
            return "cv", ind
    return ind, None


def _choose(
    candidates: list[Threshold],
    claim: Any,
    sentence: str | None,
    year: int | None,
    std: Standards,
    kind: str,
) -> Threshold:
    """The best threshold for the claim among stage-compatible candidates (already ranked)."""
    pool = candidates
    if any(t.check for t in pool):
        composite = _says(sentence or getattr(claim, "subject", ""), std, "composite_cv")
        composite = composite or (year is not None and year < 2017)
        want = "composite" if composite else "each"
        pool = [t for t in pool if t.check == want] or pool
    if kind == "threshold" and claim.value is not None:
        same = [t for t in pool if math.isclose(t.value, claim.value, rel_tol=1e-9)]
        if same:
            return same[0]
    if year is not None:
        existing = [t for t in pool if (t.year or 0) <= year]
        if existing:
            pool = existing
    return pool[0]


def _interval(claim: Any) -> tuple[float | None, float | None, bool, bool]:
    """(low, high, low open, high open) the claim asserts for the value."""
    v = getattr(claim, "value", None)
    q = getattr(claim, "qualifier", "eq")
    if v is None:
        lo, hi = getattr(claim, "value_low", None), getattr(claim, "value_high", None)
        if lo is None or hi is None:
            return None, None, False, False
        return float(lo), float(hi), False, False
    v = float(v)
    if q == "ge":
        return v, math.inf, False, False
    if q == "gt":
        return v, math.inf, True, False
    if q == "le":
        return -math.inf, v, False, False
    if q == "lt":
        return -math.inf, v, False, True
    return v, v, False, False


def _reads_as_value(claim: Any, text: str | None, std: Standards) -> bool:
    """达到 98.8% is tagged `ge` but states the value: a bound only with 以上/不低于 … nearby."""
    q = getattr(claim, "qualifier", "eq")
    start, end = getattr(claim, "start", None), getattr(claim, "end", None)
    if q not in ("ge", "gt", "le", "lt") or not text or claim.value is None or start is None:
        return False
    if not (0 <= start <= end <= len(text)):
        return False
    after = _simplified(text[end : end + 4])
    before = _simplified(text[max(0, start - 6) : start])
    lang = std.claim_language
    if any(after.startswith(w) for w in lang.get("bound_after", ())):
        return False
    return not any(w in before for w in lang.get("bound_before", ()))


def _as_compared(x: float, record: Threshold, std: Standards) -> float:
    """Coefficients are compared at the published precision (3 decimals, half up)."""
    if record.check is None or not math.isfinite(x):
        return x
    d = 10.0**std.cv_method.rounding
    return math.floor(x * d + 0.5 + 1e-9) / d


def _decide(
    low: float, high: float, lo_open: bool, hi_open: bool, record: Threshold, std: Standards
) -> bool | None:
    """True: every value the claim allows meets; False: none does; None: undecided."""
    lo, hi = _as_compared(low, record, std), _as_compared(high, record, std)
    t, op = record.value, record.op
    if op in ("ge", "gt"):
        if compare(lo, op, t):
            return True
        if not compare(hi, op, t) or (hi_open and compare(hi, "le", t)):
            return False
        return None
    if op in ("le", "lt"):
        if compare(hi, op, t):
            return True
        if not compare(lo, op, t) or (lo_open and compare(lo, "ge", t)):
            return False
        return None
    if lo == hi:
        return compare(lo, "eq", t)
    return False if (t < lo or t > hi) else None


def _quoted_flag(
    record: Threshold, claim: Any, low: float | None, high: float | None, std: Standards
) -> str:
    value = getattr(claim, "value", None)
    if value is None:
        return "quoted_threshold_range"
    same_value = math.isclose(float(value), record.value, rel_tol=1e-9, abs_tol=1e-12)
    return "quoted_threshold_matches" if same_value else "quoted_threshold_differs"


def _sentence(claim: Any, text: str | None) -> str | None:
    """The claim's sentence from the document text (offsets, else punctuation around the span)."""
    if not text:
        return None
    s, e = getattr(claim, "sentence_start", None), getattr(claim, "sentence_end", None)
    if s is not None and e is not None and 0 <= s < e <= len(text):
        return _simplified(text[s:e])
    start = getattr(claim, "start", None)
    end = getattr(claim, "end", None)
    if start is None or end is None or not (0 <= start <= end <= len(text)):
        return None
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    m = _SENTENCE_END.search(text, end)
    return _simplified(text[left : m.end() if m else len(text)])


def _simplified(snippet: str) -> str:
    """Simplified, half-width text: the claim-language words are written that way."""
    from junheng.corpus.analysis import to_simplified

    return to_simplified(unicodedata.normalize("NFKC", snippet))


def _says(sentence: str | None, std: Standards, which: str) -> bool:
    return bool(sentence) and any(w in sentence for w in std.claim_language.get(which, ()))


def _claim_year(claim: Any) -> int | None:
    """The year a claim refers to: the last year in its time, else the document's year."""
    years = _YEAR.findall(str(getattr(claim, "time", None) or ""))
    if years:
        return int(years[-1])
    doc_year = getattr(claim, "doc_year", None)
    return int(doc_year) if doc_year else None


def _by_stage(records: list[Threshold]) -> str:
    seen: dict[str, str] = {}
    for t in records:
        seen.setdefault(t.stage, f"{t.stage} {SYMBOL[t.op]} {_fmt(t.value)}")
    return "; ".join(seen.values())


def _name(indicator: str, ontology: Any) -> str:
    """A readable indicator name for reasons (Chinese name from the ontology when available)."""
    onto = ontology
    if onto is None:
        try:
            from junheng.indicators.ontology import load

            onto = load()
        except Exception:  # the ontology is optional here: fall back to the id
            return indicator
    entry = onto.get(indicator) if hasattr(onto, "get") else None
    get = entry.get if isinstance(entry, Mapping) else lambda k: getattr(entry, k, None)
    name = get("name_zh")
    return f"{name} ({indicator})" if name else indicator


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    if isinstance(x, float) and math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:g}"


def _round(x: float) -> float:
    return round(x, 6)


def _result(
    status: str,
    record: Threshold,
    margin: float | None,
    reason: str,
    flags: list[str],
    with_threshold: bool = True,
) -> dict[str, Any]:
    return {
        "status": status,
        "threshold": record.value if with_threshold else None,
        "op": record.op,
        "standard": record.standard,
        "doc_no": record.doc_no,
        "source": record.source,
        "margin": margin,
        "reason": reason,
        "flags": list(dict.fromkeys(flags)),
        "indicator": record.indicator,
        "stage": record.stage,
        "floor": record.floor,
        "verification": record.verified,
    }
