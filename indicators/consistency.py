"""Consistency checks: do a document's figures agree with each other and with other documents?

Reports restate the same facts in several forms (a total and its breakdown, a share and its
count, two levels and the change or growth between them). When they disagree, one of them is
wrong. Each check finds such a structure *from the text around the claims* (same sentence, the
cue words of data/consistency.yaml), recomputes one figure from the others and flags it only
when the stated value lies outside the interval the other figures imply.

Tolerance: a figure written with k decimals stands for ``value ± 0.5·10^-k`` in the units it was
written in (12.4亿元 -> ± 0.05亿元); approximate figures (近 约 余 左右) widen by a relative margin.
Intervals propagate through the arithmetic (sum, difference, ratio, power), so rounding in the
inputs never produces a false alarm.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from junheng.corpus.analysis import to_halfwidth, to_simplified
from junheng.corpus.document import Document
from junheng.extract.record import Claim

SEVERITIES = ("error", "warning", "info")
FINDING_TYPES = (
    "parts_total",
    "share_count",
    "average_growth",
    "yoy_growth",
    "total_growth",
    "change_levels",
    "multiple",
    "coefficient_average",
    "cv_compliance",
    "cross_document",
)


@dataclass(slots=True)
class Finding:
    """One inconsistency: which figure (``stated``) disagrees with what the others imply."""

    doc: str
    type: str
    severity: str
    message: str
    stated: float | None
    expected: float | None
    claims: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ----------------------------------------------------------------------------- configuration


@lru_cache(maxsize=1)
def config() -> dict[str, Any]:
    """The cue words and tolerances of data/consistency.yaml."""
    ref = resources.files("junheng.indicators").joinpath("data/consistency.yaml")
    with ref.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=4)
def cv_limits(standard: str) -> dict[str, float]:
    """CV limits by stage under one standard, from junheng.indicators.standards."""
    from junheng.indicators.standards import load_standards

    std = load_standards()
    return {stage: std.cv_limit(stage, standard).value for stage in ("primary", "junior")}


# ----------------------------------------------------------------------------- intervals


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed interval [lo, hi]; ±inf for one-sided bounds."""

    lo: float
    hi: float

    @staticmethod
    def point(x: float) -> Interval:
        return Interval(x, x)

    def __add__(self, o: Interval) -> Interval:
        return Interval(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: Interval) -> Interval:
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def __mul__(self, o: Interval) -> Interval:
        ps = [_mul(a, b) for a in (self.lo, self.hi) for b in (o.lo, o.hi)]
        return Interval(min(ps), max(ps))

    def __truediv__(self, o: Interval) -> Interval:
        if o.lo <= 0 <= o.hi:
            return Interval(-math.inf, math.inf)
        return self * Interval(1 / o.hi, 1 / o.lo)

    def scale(self, k: float) -> Interval:
        a, b = _mul(self.lo, k), _mul(self.hi, k)
        return Interval(min(a, b), max(a, b))

    def shift(self, k: float) -> Interval:
        return Interval(self.lo + k, self.hi + k)

    def root(self, n: float) -> Interval:
        """x ** (1/n) for a positive interval (monotonic)."""
        lo = max(self.lo, 0.0)
        return Interval(lo ** (1 / n), self.hi ** (1 / n) if self.hi < math.inf else math.inf)

    def widen(self, rel: float) -> Interval:
        pad = (
            rel * max(abs(self.lo), abs(self.hi), 1e-300) if math.isfinite(self.lo + self.hi) else 0
        )
        return Interval(self.lo - pad, self.hi + pad)

    def overlaps(self, o: Interval) -> bool:
        return self.lo <= o.hi and o.lo <= self.hi

    @property
    def mid(self) -> float:
        if math.isinf(self.lo) or math.isinf(self.hi):
            return self.lo if math.isfinite(self.lo) else self.hi
        return (self.lo + self.hi) / 2


def _mul(a: float, b: float) -> float:
    if a == 0 or b == 0:
        return 0.0
    return a * b


def isum(ivs: Iterable[Interval]) -> Interval:
    out = Interval.point(0.0)
    for iv in ivs:
        out = out + iv
    return out


# ----------------------------------------------------------------------------- figures

_ARABIC = re.compile(r"\d[\d,]*(?:\.(\d+))?")
_CN_POINT = "点點"
_CN_DIGITS = "零〇一二两兩三四五六七八九"


def normalise(text: str) -> str:
    """Half-width, simplified view of ``text`` with the same length (offsets stay valid)."""
    return to_simplified(to_halfwidth(text))


def written_scale(claim: Claim) -> tuple[float, str, int]:
    """(value of one written unit, the unit as written, decimals) of a claim's figure.

    ``12.4亿元`` -> (1e8, "亿元", 1); ``85%`` -> (1, "%", 0); ``百分之九十五点三`` -> (1, "%", 1).
    """
    s = to_halfwidth(claim.surface or "")
    value = claim.value if claim.value is not None else claim.value_high
    m = _ARABIC.search(s)
    if m:
        literal = float(m.group().replace(",", ""))
        decimals = len(m.group(1) or "")
        scale = (value / literal) if (value and literal) else 1.0
        suffix = s[m.end() :]
        return _clean_scale(scale), suffix, decimals
    # Chinese numerals: precision = the place of the last non-zero digit
    unit = "%" if claim.unit == "percent" else ""
    if value is None:
        return 1.0, unit, 0
    decimals = 0
    if any(p in s for p in _CN_POINT):
        after = s.split(next(p for p in _CN_POINT if p in s), 1)[1]
        decimals = len(re.match(f"[{_CN_DIGITS}]*", after).group())
        return 1.0, unit, decimals
    place = _last_place(value)
    return place, unit, 0


def _exact_count(unit: str, scale: float, decimals: int, tol: dict[str, Any]) -> bool:
    """A whole number of discrete things at scale 1 (19所) is an exact count."""
    return unit in tol["exact_units"] and scale == 1.0 and decimals == 0


def _clean_scale(x: float) -> float:
    if x <= 0:
        return 1.0
    p = round(math.log10(x))
    return 10.0**p if math.isclose(x, 10.0**p, rel_tol=1e-6) else x


def _last_place(value: float) -> float:
    """10^k of the last non-zero digit of an integer-looking value (三千万 -> 1e7)."""
    v = abs(value)
    if v == 0 or v != round(v):
        return 1.0
    k = 0
    while k < 15 and round(v) % (10 ** (k + 1)) == 0:
        k += 1
    return float(10**k)


@dataclass(slots=True)
class Fig:
    """A claim with the interval of values its written figure stands for."""

    claim: Claim
    iv: Interval
    scale: float
    suffix: str
    decimals: int

    @property
    def c(self) -> Claim:
        return self.claim

    def ref(self) -> dict[str, Any]:
        return {"start": self.claim.start, "end": self.claim.end, "surface": self.claim.surface}

    def q(self) -> str:
        """The figure as the document wrote it, quoted."""
        return f"“{self.claim.surface}”"

    def fmt(self, x: float, extra_decimals: int = 2) -> str:
        """A computed value in this figure's written unit (亿元, %, 所 ...)."""
        return _fmt(x / self.scale, self.decimals + extra_decimals) + self.suffix


def _fmt(x: float, decimals: int) -> str:
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    s = f"{x:.{max(decimals, 0)}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def _fmt_iv(iv: Interval, fig: Fig, extra: int = 2) -> str:
    lo, hi = fig.fmt(iv.lo, extra), fig.fmt(iv.hi, extra)
    return lo if lo == hi else f"{lo}–{hi}"


# ----------------------------------------------------------------------------- document context

_SENT_END = "。！？!?\n"


class _Doc:
    """A document's normalised text, sentences and usable claims, with structural helpers."""

    def __init__(self, doc: Document, claims: Sequence[Claim]):
        self.doc = doc
        self.cfg = config()
        self.text = normalise(doc.text)
        excluded = [(d.start, d.end) for d in doc.duplicates] + list(doc.chrome)
        figs = []
        for c in claims:
            if c.duplicate_of or any(s <= c.start < e for s, e in excluded):
                continue
            if not (0 <= c.start < c.end <= len(doc.text)):
                continue
            fig = self._fig(c)
            if fig is not None:
                figs.append(fig)
        self.figs = sorted(figs, key=lambda f: (f.c.start, f.c.end))
        self.sentences = self._sentences()
        self.by_sentence: dict[int, list[Fig]] = defaultdict(list)
        for f in self.figs:
            self.by_sentence[self.sentence_of(f.c.start)].append(f)

    # -- figures

    def _fig(self, c: Claim) -> Fig | None:
        tol = self.cfg["tolerance"]
        if c.value is None and (c.value_low is None or c.value_high is None):
            return None
        scale, suffix, decimals = written_scale(c)
        half = tol["half_unit"] * scale * 10.0**-decimals
        if _exact_count(c.unit, scale, decimals, tol):
            half = 0.0
        if c.value is None:
            iv = Interval(c.value_low - half, c.value_high + half)
        else:
            iv = Interval(c.value - half, c.value + half)
        q = self.effective_qualifier(c)
        if q == "approx":
            iv = iv.widen(tol["approx_relative"])
        elif q in ("ge", "gt"):
            iv = Interval(iv.lo, math.inf)
        elif q in ("le", "lt"):
            iv = Interval(-math.inf, iv.hi)
        iv = iv.widen(tol["float_slack"])
        return Fig(c, iv, scale, suffix, decimals)

    def effective_qualifier(self, c: Claim) -> str:
        """ge/le only when a real bound word (以上 不低于 …) is next to the figure.

        达 达到 提高到 state the level reached: checked as an equality.
        """
        if c.qualifier not in ("ge", "gt", "le", "lt"):
            return c.qualifier
        cues = self.cfg["bound_cues"]
        before = self.text[max(0, c.start - 8) : c.start]
        before = re.split(r"[，,；;。:：]", before)[-1]
        after = self.text[c.end : c.end + 4]
        if any(w in before for w in cues["before"]) or any(
            after.startswith(w) for w in cues["after"]
        ):
            return c.qualifier
        return "eq"

    # -- text structure

    def _sentences(self) -> list[tuple[int, int]]:
        out, start = [], 0
        for i, ch in enumerate(self.text):
            if ch in _SENT_END:
                out.append((start, i + 1))
                start = i + 1
        if start < len(self.text):
            out.append((start, len(self.text)))
        return out or [(0, 0)]

    def sentence_of(self, pos: int) -> int:
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self.sentences[mid][1] <= pos:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def sentence_figs(self, f: Fig) -> list[Fig]:
        return self.by_sentence[self.sentence_of(f.c.start)]

    def gap(self, a: Fig, b: Fig) -> str:
        return self.text[a.c.end : b.c.start]

    def depth(self, sent: int, pos: int) -> int:
        """Parenthesis depth at ``pos`` counted from the sentence start."""
        s = self.text[self.sentences[sent][0] : pos]
        return max(0, s.count("(") - s.count(")"))

    def before(self, f: Fig, n: int, clause: bool = True) -> str:
        """Up to n characters before the figure (within its clause when ``clause``)."""
        sent_start = self.sentences[self.sentence_of(f.c.start)][0]
        s = self.text[max(sent_start, f.c.start - n) : f.c.start]
        if clause:
            s = re.split(r"[，,；;。:：、]", s)[-1]
        return s

    def year(self, f: Fig) -> int | None:
        """The single year a figure refers to: its time, or ``2016年(的)`` right before it."""
        t = f.c.time or ""
        if re.fullmatch(r"\d{4}", t):
            return int(t)
        m = re.search(r"(\d{4})年(?:的|底|末|年底|年末|度)?[^\d，,；;。]{0,2}$", self.before(f, 12))
        return int(m.group(1)) if m else None

    def doc_year(self, f: Fig) -> int | None:
        return self.year(f) or f.c.doc_year or self.doc.year

    def finding(
        self,
        type_: str,
        severity: str,
        message: str,
        stated: float | None,
        expected: float | None,
        figs: Iterable[Fig],
    ) -> Finding:
        refs = [f.ref() for f in sorted(figs, key=lambda f: f.c.start)]
        return Finding(
            self.doc.doc_id, type_, severity, message, _num(stated), _num(expected), refs
        )


def _num(x: float | None) -> float | None:
    if x is None or not math.isfinite(x):
        return None
    return float(f"{x:.6g}")


def _cue_before(text: str, cues: Sequence[str]) -> str | None:
    """The longest cue that ``text`` contains (the text right before a figure)."""
    found = [c for c in cues if c in text]
    return max(found, key=len) if found else None


def _additive(f: Fig, cfg: dict[str, Any]) -> bool:
    c = f.c
    if c.unit not in cfg["additive_units"] or c.kind in ("share", "growth_rate", "threshold"):
        return False
    ind = c.indicator or ""
    return not any(p in ind for p in cfg["non_additive_indicator_parts"])


def _same_quantity(a: Claim, b: Claim) -> bool:
    """One indicator (a known id), or with no known id the same subject in the same words."""
    vague = ("", "other", None)
    if a.indicator not in vague or b.indicator not in vague:
        return a.indicator == b.indicator
    return bool(a.subject) and _norm_short(a.subject) == _norm_short(b.subject)


@lru_cache(maxsize=4096)
def _norm_short(s: str) -> str:
    return normalise(s)


def _same_indicator(a: Claim, b: Claim) -> bool:
    vague = ("", "other", None)
    return a.indicator in vague or b.indicator in vague or a.indicator == b.indicator


# ----------------------------------------------------------------------------- checks: parts


def _check_partitions(d: _Doc) -> list[Finding]:
    cfg = d.cfg
    pc = cfg["partition"]
    out: list[Finding] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for sent, figs in d.by_sentence.items():
        for i, total in enumerate(figs):
            if not _additive(total, cfg):
                continue
            cands = []
            paren = _paren_parts(d, sent, total, figs[i + 1 :])
            if paren is not None:
                cands.append(paren)
            cued = _cued_parts(d, sent, total, figs, i)
            if cued is not None:
                cands.append(cued)
            for parts, exhaustive, how in cands:
                key = (total.c.id, tuple(p.c.id if isinstance(p, Fig) else str(p) for p in parts))
                if key in seen or len(parts) < 2:
                    continue
                seen.add(key)
                f = _judge_partition(d, total, parts, exhaustive, how, pc)
                if f is not None:
                    out.append(f)
    return out


def _paren_parts(d: _Doc, sent: int, total: Fig, after: list[Fig]):
    """``72所义务教育学校（九年一贯制学校8所，初中21所，小学43所）`` or ``72所 (8+21+43)``."""
    pc = d.cfg["partition"]
    text = d.text
    s_end = d.sentences[sent][1]
    window = text[total.c.end : min(s_end, total.c.end + pc["max_gap_to_paren"] + 1)]
    m = re.match(r"[^，,、；;。:：()\d%]*\(", window)
    if not m:
        return None
    open_at = total.c.end + m.end() - 1
    depth, close_at = 0, None
    for j in range(open_at, s_end):
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            depth -= 1
            if depth == 0:
                close_at = j
                break
    if close_at is None:
        return None
    base = d.depth(sent, open_at + 1)
    inner = [
        f
        for f in after
        if open_at < f.c.start and f.c.end <= close_at and d.depth(sent, f.c.start) == base
    ]
    content = text[open_at + 1 : close_at]
    exhaustive = not any(content.rstrip().endswith(w) for w in pc["not_exhaustive"])
    parts = [f for f in inner if f.c.unit == total.c.unit and _additive(f, d.cfg)]
    if len(parts) >= 2:
        if not all(_same_indicator(total.c, p.c) for p in parts):
            return None
        return parts, exhaustive, "parentheses"
    if inner:
        return None
    # bare numbers: 85所 (19+22+44)
    if re.fullmatch(r"\s*\d+(?:\.\d+)?(?:\s*[+、,，]\s*\d+(?:\.\d+)?)+\s*", content):
        nums = re.findall(r"\d+(?:\.\d+)?", content)
        tol = d.cfg["tolerance"]
        bare = []
        for n in nums:
            dec = len(n.split(".")[1]) if "." in n else 0
            v = float(n) * total.scale
            h = tol["half_unit"] * total.scale * 10.0**-dec
            if _exact_count(total.c.unit, total.scale, dec, tol):
                h = 0.0
            bare.append(_Bare(n, v, Interval(v - h, v + h)))
        return bare, True, "parentheses"
    return None


@dataclass(slots=True)
class _Bare:
    """A bare number of a parenthesised sum (``19+22+44``): a part with no claim of its own."""

    text: str
    value: float
    iv: Interval

    def __str__(self) -> str:
        return self.text


def _cued_parts(d: _Doc, sent: int, total: Fig, figs: list[Fig], i: int):
    """``学校120所，其中小学70所、初中50所`` / ``…分别为70所、50所`` (parts after a cue)."""
    pc = d.cfg["partition"]
    text = d.text
    s_start, s_end = d.sentences[sent]
    tdepth = d.depth(sent, total.c.start)
    # the stretch after the total up to the next same-unit figure at the same depth
    later = [f for f in figs[i + 1 :] if d.depth(sent, f.c.start) == tdepth]
    nxt = next((f for f in later if f.c.unit == total.c.unit), None)
    if nxt is None:
        return None
    stretch = text[total.c.end : nxt.c.start]
    if any(ch in pc["stop_chars"] for ch in stretch):
        return None
    cues = pc["cues_exhaustive"] + pc["cues_open"]
    hits = [(stretch.rfind(c), c) for c in cues if c in stretch]
    if not hits:
        return None
    pos, cue = max(hits, key=lambda h: (h[0], len(h[1])))
    cue_end = total.c.end + pos + len(cue)
    if d.depth(sent, cue_end) != tdepth:
        return None
    parts: list[Fig] = []
    prev_end = cue_end
    labels: list[str] = []
    for f in later:
        if f.c.start < cue_end:
            continue
        between = text[prev_end : f.c.start]
        if any(ch in pc["stop_chars"] for ch in between):
            break
        if parts and any(c in between for c in cues):
            break  # a nested breakdown of the last part
        if f.c.unit != total.c.unit:
            continue  # a share or rate attached to a part
        if not _additive(f, d.cfg) or not _same_indicator(total.c, f.c):
            break
        parts.append(f)
        labels.append(between)
        prev_end = f.c.end
    if len(parts) < 2:
        return None
    tail = text[parts[-1].c.end : min(s_end, parts[-1].c.end + 2)]
    exhaustive = cue in pc["cues_exhaustive"] or _family_partition(d, parts, labels)
    if tail.startswith(tuple(pc["not_exhaustive"])):
        exhaustive = False
    return parts, exhaustive, cue


def _family_partition(d: _Doc, parts: list[Fig], labels: list[str]) -> bool:
    """Parts named by distinct members of one category family (小学…、初中…) or closed by 其余."""
    pc = d.cfg["partition"]
    if any(w in labels[-1] for w in pc["remainder_words"]):
        return True
    levels = [p.c.level for p in parts]
    if all(lv in pc["exclusive_levels"] for lv in levels) and len(set(levels)) == len(levels):
        return True
    areas = [p.c.area for p in parts]
    if all(areas) and len(set(areas)) == len(areas):
        return True
    for members in pc["families"].values():
        named = []
        for lab in labels:
            hit = [m for m in members if m in lab]
            if not hit:
                break
            named.append(max(hit, key=len))
        else:
            if len(set(named)) == len(named):
                return True
    return False


def _judge_partition(d: _Doc, total: Fig, parts, exhaustive: bool, how: str, pc) -> Finding | None:
    s = isum(p.iv for p in parts)
    if s.overlaps(total.iv):
        return None
    over = s.lo > total.iv.hi
    if not over and not exhaustive:
        return None  # fewer parts than the total: an open list (其中…) of examples
    severity = "error" if exhaustive else "warning"
    expected = sum(p.value if isinstance(p, _Bare) else _val(p) for p in parts)
    names = " + ".join(f"“{p.text}”" if isinstance(p, _Bare) else p.q() for p in parts)
    verb = "exceed" if over else "fall short of"
    msg = (
        f"Parts do not add up to the stated total: {names} = {total.fmt(expected, 0)}, "
        f"which would {verb} the total {total.q()} (breakdown by {how}; "
        f"the parts allow {_fmt_iv(s, total, 1)})."
    )
    figs = [total] + [p for p in parts if isinstance(p, Fig)]
    return d.finding("parts_total", severity, msg, _val(total), expected, figs)


def _val(f: Fig) -> float:
    c = f.c
    if c.value is not None:
        return c.value
    return (c.value_low + c.value_high) / 2


# ----------------------------------------------------------------------------- checks: shares


def _share_figs(d: _Doc, figs: list[Fig]):
    """(count Y, share P) pairs: ``优质学校322所，占比88.22%``."""
    sc = d.cfg["share"]
    for j, p in enumerate(figs):
        if p.c.unit != "percent" or p.c.kind == "threshold" or j == 0:
            continue
        y = figs[j - 1]
        gap = d.gap(y, p)
        if not _additive(y, d.cfg) or any(ch in gap for ch in "；;。"):
            continue
        if len(gap) > sc["max_gap"] or _cue_before(d.before(p, 6), sc["share_cues"]) is None:
            continue
        yield j, y, p


def _check_shares(d: _Doc) -> list[Finding]:
    sc = d.cfg["share"]
    within = re.compile(sc["within_pattern"])
    out: list[Finding] = []
    for figs in d.by_sentence.values():
        for j, y, p in _share_figs(d, figs):
            # a total stated in the same sentence before the part: X所…中/其中…Y所…占P
            total = None
            for t in reversed(figs[: j - 1]):
                if t.c.unit != y.c.unit:
                    continue
                gap = d.gap(t, y)
                if re.search(r"[)）]", gap) and not re.search(r"[(（]", gap):
                    continue  # an aside in brackets (总数（1400人）) is not the whole of 其中
                if within.search(gap) and not any(ch in gap for ch in "；;。"):
                    total = t
                break
            if total is not None:
                implied = (y.iv / total.iv).scale(100)
                if not implied.overlaps(p.iv):
                    exp = _val(y) / _val(total) * 100
                    msg = (
                        f"Share does not match its counts: {p.q()} stated, but {y.q()} of "
                        f"{total.q()} is {p.fmt(exp)} (allowing for rounding "
                        f"{_fmt_iv(implied, p)})."
                    )
                    out.append(d.finding("share_count", "error", msg, _val(p), exp, [total, y, p]))
                continue
            f = _implied_total(d, y, p)
            if f is not None:
                out.append(f)
    return out


def _implied_total(d: _Doc, y: Fig, p: Fig) -> Finding | None:
    """``优质学校322所，占比88.22%`` implies ≈365 schools: compare with a total stated elsewhere."""
    sc = d.cfg["share"]
    if y.c.kind != "level":
        return None
    ind = sc["total_indicator"].get(y.c.indicator) or sc["total_by_unit"].get(y.c.unit)
    if not ind or ind == y.c.indicator:
        return None
    year = d.doc_year(y)
    cands = [
        t
        for t in d.figs
        if t is not y
        and t.c.indicator == ind
        and t.c.unit == y.c.unit
        and t.c.kind == "level"
        and t.c.qualifier not in ("target",)
        and t.c.level == y.c.level
        and t.c.area == y.c.area
        and (t.c.region or "") == (y.c.region or "")
        and d.doc_year(t) == year
        and _val(t) > _val(y)
    ]
    if not cands:
        return None
    implied_total = y.iv / p.iv.scale(0.01)
    if any(implied_total.overlaps(t.iv) for t in cands):
        return None
    # several candidates (a subset mislabelled as a count of all schools): the whole is the
    # largest; flagged as a warning only, since the document's total is then less certain
    total = max(cands, key=_val)
    severity = "error" if len({round(_val(t), 6) for t in cands}) == 1 else "warning"
    exp = _val(y) / _val(total) * 100
    msg = (
        f"Share does not match the stated total: {y.q()} at {p.q()} implies a total of "
        f"{total.fmt(_val(y) / _val(p) * 100, 0)} ({_fmt_iv(implied_total, total, 0)}), but the "
        f"document states {total.q()}, which makes the share {p.fmt(exp)}."
    )
    return d.finding("share_count", severity, msg, _val(p), exp, [y, p, total])


# ----------------------------------------------------------------------------- checks: from A to B


@dataclass(slots=True)
class _Pair:
    a: Fig
    b: Fig
    ya: int | None
    yb: int | None


def _pairs(d: _Doc, figs: list[Fig]) -> list[_Pair]:
    """``从/由 A (增长)到/至 B``: two levels of one quantity in one sentence."""
    ft = d.cfg["from_to"]
    # 到/至 right before B (only its year between), not the 达到 of a reached level
    to_re = re.compile(
        "(?<!["
        + "".join(ft["not_to_prefix"])
        + "])("
        + "|".join(ft["to_cues"])
        + ")[^，,；;。、]{0,10}$"
    )
    out = []
    for i, a in enumerate(figs[:-1]):
        b = figs[i + 1]
        if a.c.unit != b.c.unit or a.c.kind == "threshold" or b.c.kind == "threshold":
            continue
        gap = d.gap(a, b)
        if len(gap) > ft["max_gap_to"] or any(ch in gap for ch in "；;。"):
            continue
        if not to_re.search(gap) or b.c.kind == "growth_rate":
            continue
        before = d.before(a, ft["max_gap_from"], clause=False)
        before = re.split(r"[；;。]", before)[-1]
        if not any(c in before for c in ft["from_cues"]):
            continue
        out.append(_Pair(a, b, d.year(a), d.year(b)))
    return out


def _growth_cue(d: _Doc, g: Fig, cues: Sequence[str]) -> str | None:
    return _cue_before(d.before(g, d.cfg["growth"]["max_cue_gap"]), cues)


def _check_growth(d: _Doc) -> list[Finding]:
    gc = d.cfg["growth"]
    out: list[Finding] = []
    for figs in d.by_sentence.values():
        pairs = _pairs(d, figs)
        paired = {id(p.a) for p in pairs} | {id(p.b) for p in pairs}
        for g in figs:
            if g.c.unit != "percent" or id(g) in paired or g.c.kind == "threshold":
                continue
            annual = _growth_cue(d, g, gc["annual_cues"] + gc["annual_decline_cues"])
            if annual:
                sign = -1 if annual in gc["annual_decline_cues"] else 1
                f = _annual(d, g, sign, annual, pairs)
                if f:
                    out.append(f)
                continue
            yoy = _growth_cue(d, g, gc["yoy_cues"] + gc["yoy_decline_cues"])
            if yoy:
                sign = -1 if yoy in gc["yoy_decline_cues"] else 1
                f = _yoy_growth(d, g, sign, yoy, figs)
                if f:
                    out.append(f)
                continue
            total = _growth_cue(d, g, gc["total_cues"] + gc["total_decline_cues"])
            if total and (before := [p for p in pairs if p.b.c.end <= g.c.start]):
                pair = before[-1]
                if pair.a.c.unit == "percent" or _next_fig(figs, pair.b) is not g:
                    continue
                sign = -1 if total in gc["total_decline_cues"] else 1
                exp_iv = (pair.b.iv / pair.a.iv).shift(-1).scale(100 * sign)
                if not exp_iv.overlaps(g.iv):
                    exp = (_val(pair.b) / _val(pair.a) - 1) * 100 * sign
                    msg = (
                        f"Stated growth {g.q()} does not match its two levels: from "
                        f"{pair.a.q()} to {pair.b.q()} is {g.fmt(exp)} "
                        f"({_fmt_iv(exp_iv, g)})."
                    )
                    out.append(
                        d.finding(
                            "total_growth", "error", msg, sign * _val(g), exp, [pair.a, pair.b, g]
                        )
                    )
    return out


def _next_fig(figs: list[Fig], f: Fig) -> Fig | None:
    for i, x in enumerate(figs):
        if x is f:
            return figs[i + 1] if i + 1 < len(figs) else None
    return None


def _annual(d: _Doc, g: Fig, sign: int, cue: str, pairs: list[_Pair]) -> Finding | None:
    """``从2017年的12.4亿元增长到2022年的17.6亿元…年均增长率达到7.26%``."""
    usable = [p for p in pairs if p.ya and p.yb and p.yb > p.ya]
    if not usable:
        return None
    # an average growth rate is a rate of a stock: absolute units first, then the nearest pair
    usable.sort(key=lambda p: (p.a.c.unit == "percent", abs(g.c.start - p.b.c.end)))
    stated = g.iv.scale(sign)
    results = []
    for p in usable:
        n = p.yb - p.ya
        ratio = p.b.iv / p.a.iv
        if ratio.lo <= 0:
            continue
        exp_iv = ratio.root(n).shift(-1).scale(100)
        if exp_iv.overlaps(stated):
            return None
        results.append((p, n, exp_iv))
    if not results:
        return None
    p, n, exp_iv = results[0]
    exp = ((_val(p.b) / _val(p.a)) ** (1 / n) - 1) * 100
    msg = (
        f"Stated average annual growth {g.q()} ({cue}) does not match its start and end: "
        f"{p.a.q()} ({p.ya}) to {p.b.q()} ({p.yb}) over {n} years is {g.fmt(exp)} a year "
        f"({_fmt_iv(exp_iv, g)})."
    )
    return d.finding("average_growth", "error", msg, sign * _val(g), exp, [p.a, p.b, g])


def _prior(d: _Doc, b: Fig, figs: list[Fig], unit: str) -> Fig | None:
    """The same quantity one year before ``b``: in the sentence by year, else by indicator."""
    yb = d.doc_year(b)
    if yb is None:
        return None
    for f in figs:
        if f is not b and f.c.unit == unit and d.year(f) == yb - 1 and f.c.start < b.c.start:
            return f
    cands = [
        f
        for f in d.figs
        if f is not b
        and f.c.unit == unit
        and f.c.level == b.c.level
        and f.c.area == b.c.area
        and f.c.kind == b.c.kind
        and (f.c.region or "") == (b.c.region or "")
        and f.c.qualifier != "target"
        and d.year(f) == yb - 1
        and _same_quantity(f.c, b.c)
    ]
    values = {round(_val(f), 9) for f in cands}
    return cands[0] if len(values) == 1 else None


def _yoy_pair(d: _Doc, x: Fig, figs: list[Fig], unit: str) -> tuple[Fig, Fig] | None:
    """(last year, this year) for a year-on-year figure x: two dated figures before it in the
    sentence (``2022年…Y，2021年为X，同比…``), else the nearest one and its prior year."""
    i = figs.index(x)
    before = [
        f for f in figs[:i] if f.c.unit == unit and not any(ch in d.gap(f, x) for ch in "；;。")
    ]
    if not before:
        return None
    years = {d.year(f): f for f in before if d.year(f)}
    for y in sorted(years, reverse=True):
        if y - 1 in years:
            return years[y - 1], years[y]
    b = before[-1]
    a = _prior(d, b, figs, unit)
    return (a, b) if a is not None else None


def _yoy_growth(d: _Doc, g: Fig, sign: int, cue: str, figs: list[Fig]) -> Finding | None:
    """``2022年…Y亿元，同比增长Z%`` against the 2021 figure."""
    i = figs.index(g)
    near = next((f for f in reversed(figs[:i]) if _additive(f, d.cfg)), None)
    if near is None:
        return None
    pair = _yoy_pair(d, g, figs, near.c.unit)
    if pair is None:
        return None
    a, b = pair
    exp_iv = (b.iv / a.iv).shift(-1).scale(100 * sign)
    if exp_iv.overlaps(g.iv):
        return None
    exp = (_val(b) / _val(a) - 1) * 100 * sign
    msg = (
        f"Stated year-on-year growth {g.q()} ({cue}) does not match the two years: "
        f"{a.q()} to {b.q()} is {g.fmt(exp)} ({_fmt_iv(exp_iv, g)})."
    )
    return d.finding("yoy_growth", "error", msg, sign * _val(g), exp, [a, b, g])


def _check_changes(d: _Doc) -> list[Finding]:
    """``由A增长到B，增加C`` / ``从15.4%提高到22.2%，提高6.8个百分点`` / ``同比提升14.8个百分点``."""
    cc = d.cfg["change"]
    out: list[Finding] = []
    for figs in d.by_sentence.values():
        pairs = _pairs(d, figs)
        paired = {id(p.a) for p in pairs} | {id(p.b) for p in pairs}
        for c in figs:
            if id(c) in paired or c.c.kind == "threshold":
                continue
            before = d.before(c, cc["max_cue_gap"])
            inc = _cue_before(before, cc["increase_cues"])
            dec = _cue_before(before, cc["decrease_cues"])
            if not inc and not dec:
                continue
            cue = max((x for x in (inc, dec) if x), key=len)
            if re.search(re.escape(cue) + r"[到至]", before):
                continue  # 增长到: the level reached, not a change
            sign = 1 if cue == inc else -1
            yoy = any(p in before for p in cc["yoy_prefixes"])
            prior = [p for p in pairs if p.b.c.end <= c.c.start]
            pair = prior[-1] if prior and not yoy else None
            if pair is not None:
                a, b = pair.a, pair.b
                if _next_fig(figs, b) is not c and d.gap(b, c).count("，") > 1:
                    continue
            elif yoy:
                want = "percent" if c.c.unit == "percentage_point" else c.c.unit
                found = _yoy_pair(d, c, figs, want)
                if found is None:
                    continue
                a, b = found
            else:
                continue
            if a.c.unit == "percent":
                if c.c.unit != "percentage_point":
                    continue
            elif c.c.unit != a.c.unit:
                continue
            exp_iv = (b.iv - a.iv).scale(sign)
            if exp_iv.overlaps(c.iv):
                continue
            exp = (_val(b) - _val(a)) * sign
            unit = "percentage points" if c.c.unit == "percentage_point" else "change"
            msg = (
                f"Stated {unit} {c.q()} ({cue}) does not match its two levels: {a.q()} to "
                f"{b.q()} is {c.fmt(exp)} ({_fmt_iv(exp_iv, c)})."
            )
            out.append(d.finding("change_levels", "error", msg, sign * _val(c), exp, [a, b, c]))
    return out


# ----------------------------------------------------------------------------- checks: multiples


def _check_multiples(d: _Doc) -> list[Finding]:
    """``A是B的N倍`` with both values stated."""
    mc = d.cfg["multiple"]
    out: list[Finding] = []
    for figs in d.by_sentence.values():
        for i, m in enumerate(figs):
            if m.c.unit != "multiple" or i < 2:
                continue
            b = figs[i - 1]
            if not re.fullmatch(r"的\s*(约|近|大约)?", d.gap(b, m)):
                continue
            a = figs[i - 2]
            gap = d.gap(a, b)
            if a.c.unit != b.c.unit or len(gap) > mc["max_gap"] or any(ch in gap for ch in "；;。"):
                continue
            if not any(c in gap for c in mc["copula_cues"]):
                continue
            exp_iv = a.iv / b.iv
            if exp_iv.overlaps(m.iv):
                continue
            exp = _val(a) / _val(b)
            msg = (
                f"Stated multiple {m.q()} does not match the two values: {a.q()} is "
                f"{_fmt(exp, m.decimals + 2)} times {b.q()} ({_fmt_iv(exp_iv, m)})."
            )
            out.append(d.finding("multiple", "error", msg, _val(m), exp, [a, b, m]))
    return out


# ----------------------------------------------------------------------------- checks: coefficients


def _coefficient(f: Fig) -> bool:
    return (
        f.c.unit == "coefficient"
        and f.c.kind != "threshold"
        and f.c.qualifier not in ("le", "lt", "target")
    )


def _check_averages(d: _Doc) -> list[Finding]:
    """``7项指标差异系数平均为0.32`` with the seven listed."""
    ac = d.cfg["average"]
    count_re = re.compile(ac["count_pattern"])
    out: list[Finding] = []
    for sent, figs in d.by_sentence.items():
        for avg in figs:
            if not _coefficient(avg):
                continue
            cue = _cue_before(d.before(avg, ac["max_cue_gap"]), ac["cues"])
            if not cue:
                continue
            s_start, s_end = d.sentences[sent]
            n = _stated_count(d.text[s_start : avg.c.start], count_re)

            def listed(pool: list[Fig], avg: Fig = avg) -> list[Fig]:
                return [
                    f
                    for f in pool
                    if f is not avg
                    and _coefficient(f)
                    and not _cue_before(d.before(f, 4), ac["exclude_before"])
                    and not _cue_before(d.before(f, ac["max_cue_gap"]), ac["cues"])
                ]

            clause = _clause_figs(d, sent, avg, figs)
            parts = listed(clause)
            if n is not None and len(parts) != n or n is None and len(parts) < 2:
                parts = listed(figs)
            if n is not None and len(parts) != n:
                neighbours = d.by_sentence.get(sent + 1, [])
                parts = listed(figs) + listed(neighbours)
            if (n is not None and len(parts) != n) or len(parts) < 2:
                continue
            mean_iv = isum(p.iv for p in parts).scale(1 / len(parts))
            if mean_iv.overlaps(avg.iv):
                continue
            exp = sum(_val(p) for p in parts) / len(parts)
            listed_s = "、".join(p.q() for p in parts)
            msg = (
                f"Stated average {avg.q()} ({cue}) does not match the {len(parts)} listed "
                f"coefficients {listed_s}: their mean is {avg.fmt(exp, 2)} "
                f"({_fmt_iv(mean_iv, avg)})."
            )
            out.append(
                d.finding("coefficient_average", "error", msg, _val(avg), exp, [avg, *parts])
            )
    return out


def _stated_count(text: str, count_re: re.Pattern) -> int | None:
    ms = list(count_re.finditer(text))
    if not ms:
        return None
    tok = ms[-1].group(1)
    if tok.isdigit():
        return int(tok)
    from junheng.extract.numerals import parse_cn

    try:
        return int(parse_cn(tok))
    except ValueError:
        return None


def _clause_figs(d: _Doc, sent: int, f: Fig, figs: list[Fig]) -> list[Fig]:
    """The figures of f's ；-clause."""
    s_start, s_end = d.sentences[sent]
    left = max(d.text.rfind(ch, s_start, f.c.start) for ch in "；;")
    right = [d.text.find(ch, f.c.end, s_end) for ch in "；;"]
    right = min([r for r in right if r >= 0], default=s_end)
    left = s_start if left < 0 else left
    return [x for x in figs if left <= x.c.start and x.c.end <= right]


def _check_cv_compliance(d: _Doc) -> list[Finding]:
    """A coefficient of variation presented as meeting the standard while over its limit."""
    cc = d.cfg["compliance"]
    out: list[Finding] = []
    doc_basic = any(w in d.text for w in cc["basic_balance_cues"])
    doc_quality = any(w in d.text for w in cc["quality_balance_cues"])
    for sent, figs in d.by_sentence.items():
        s_start, s_end = d.sentences[sent]
        sentence = d.text[s_start:s_end]
        thresholds = [
            f
            for f in figs
            if f.c.unit == "coefficient"
            and (f.c.kind == "threshold" or f.c.qualifier in ("le", "lt"))
        ]
        for v in figs:
            if (
                not _coefficient(v)
                or v.c.indicator not in ("cv", "", "other", None)
                and not str(v.c.indicator).startswith("cv")
            ):
                continue
            clause_before = re.split(r"[，,；;]", d.text[s_start : v.c.start])[-1]
            after = re.split(r"[；;]", d.text[v.c.end : s_end])[0]  # this figure's segment only
            window = clause_before + after
            m = next((m for p in cc["cue_patterns"] if (m := re.search(p, window))), None)
            cue = m.group() if m else None
            if not cue and not thresholds:
                continue
            if any(w in window for w in cc["negations"]):
                continue
            basic = any(w in sentence for w in cc["basic_balance_cues"]) or (
                doc_basic and not doc_quality
            )
            std = cc["standards"]["basic" if basic else "quality"]
            limits = cv_limits(std)
            stated_limit = _stated_limit(v, thresholds)
            if stated_limit is not None:
                limit, source = stated_limit, "the standard quoted in the sentence"
            elif cue:
                limit = limits.get(v.c.level, max(limits.values()))
                source = f"{std} ({v.c.level if v.c.level in limits else 'most lenient stage'})"
            else:
                continue
            if v.iv.lo <= limit:
                continue
            why = f"“{cue}”" if cue else "next to the quoted standard"
            msg = (
                f"Coefficient of variation {v.q()} is presented as compliant ({why}) but exceeds "
                f"the limit {_fmt(limit, 3)} of {source}."
            )
            figs_used = [v] + ([t for t in thresholds if _val(t) == limit] if stated_limit else [])
            out.append(d.finding("cv_compliance", "error", msg, _val(v), limit, figs_used))
    return out


def _stated_limit(v: Fig, thresholds: list[Fig]) -> float | None:
    same = [t for t in thresholds if t.c.level == v.c.level]
    return _val(same[0]) if same else None


# ----------------------------------------------------------------------------- entry points

_CHECKS = (
    _check_partitions,
    _check_shares,
    _check_growth,
    _check_changes,
    _check_multiples,
    _check_averages,
    _check_cv_compliance,
)


def check_document(doc: Document, claims: list[Claim]) -> list[Finding]:
    """All within-document findings, in text order."""
    return _check(_Doc(doc, claims))


def _check(d: _Doc) -> list[Finding]:
    out: list[Finding] = []
    for check in _CHECKS:
        out.extend(check(d))
    out.sort(key=lambda f: (min((c["start"] for c in f.claims), default=0), f.type))
    return out


def check_corpus(docs_and_claims: Iterable[tuple[Document, list[Claim]]]) -> list[Finding]:
    """Findings of every document plus cross-document disagreements."""
    docs = [_Doc(doc, claims) for doc, claims in docs_and_claims]
    out: list[Finding] = []
    for d in docs:
        out.extend(_check(d))
    out.extend(_cross(docs))
    return out


_ANONYMOUS = re.compile(r"^\(unnamed|[*＊×xX○〇□]{2}|某")


def cross_document(items: Sequence[tuple[Document, list[Claim]]]) -> list[Finding]:
    """Same region, indicator, level, area, unit, kind and time, different values."""
    return _cross([_Doc(doc, claims) for doc, claims in items])


def _cross(docs: Sequence[_Doc]) -> list[Finding]:
    xc = config()["cross_document"]
    groups: dict[tuple, list[tuple[_Doc, Fig]]] = defaultdict(list)
    for d in docs:
        own: dict[tuple, list[Fig]] = defaultdict(list)
        for f in d.figs:
            c = f.c
            if c.indicator in xc["skip_indicators"] or c.kind in xc["skip_kinds"]:
                continue
            if c.qualifier == "target" or not c.region or not c.time:
                continue
            if not re.fullmatch(r"\d{4}(-\d{4})?", c.time):
                continue
            region = normalise(c.region)  # 青禾縣 and 青禾县 are one place
            if _ANONYMOUS.search(region):
                # **县 in one document and **县 in another are not known to be one place
                region = f"{region}@{d.doc.doc_id}"
            key = (region, c.indicator, c.level, c.area, c.unit, c.kind, c.time)
            own[key].append(f)
        for key, figs in own.items():
            # a document that itself gives two values for a key (a total and a subset of the
            # same level) does not define the key: leave it out rather than guess
            if all(f.iv.overlaps(g.iv) for f in figs for g in figs):
                groups[key].append((d, figs[0]))
    out: list[Finding] = []
    for key, members in groups.items():
        for i, (da, fa) in enumerate(members):
            for db, fb in members[i + 1 :]:
                if da.doc.doc_id == db.doc.doc_id or fa.iv.overlaps(fb.iv):
                    continue
                region, indicator, level, _, _, _, time = key
                for (dx, fx), (dy, fy) in (((da, fa), (db, fb)), ((db, fb), (da, fa))):
                    msg = (
                        f"{region} {indicator} ({level}, {time}) is {fx.q()} here but "
                        f"{fy.q()} in {dy.doc.doc_id} (at {fy.c.start}-{fy.c.end})."
                    )
                    out.append(
                        dx.finding("cross_document", "warning", msg, _val(fx), _val(fy), [fx])
                    )
    return out


def findings_json(findings: Iterable[Finding]) -> dict[str, Any]:
    """The ``junheng check --format json`` document."""
    return {"findings": [f.to_dict() for f in findings]}
