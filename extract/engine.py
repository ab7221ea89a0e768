"""The extraction engine: find candidate numbers fast, then read each one's context.

One compiled regex finds every number with its unit on the analysis view; rejection rules drop
dates, ordinals, names and slogans; attribute readers (``attributes.py``) look at the clause,
segment, sentence, paragraph and headings around the number, all located by bisection on a
structure computed once per document. No segmentation of whole documents on the hot path.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from junheng.corpus.analysis import AnalysisView, analysis_view
from junheng.corpus.document import Document
from junheng.extract import datafiles, numerals
from junheng.extract.record import Claim, claim_id
from junheng.extract.structure import Structure, analyse
from junheng.extract.tables import Tables
from junheng.extract.wordlist import trie_pattern

if TYPE_CHECKING:
    from junheng.extract.attributes import AttributeReader


@dataclass(slots=True)
class Candidate:
    """A number found in the view, before attributes: view offsets, value and unit."""

    start: int
    end: int
    value: float | None
    low: float | None
    high: float | None
    unit: str
    hedged: bool  # 余 / 多 / 几 inside the surface
    chinese: bool


_CN_CLASS = "零〇一二两三四五六七八九十百千万亿几"
# dates and times: their numbers go into `time`, never into claims. Every alternative starts
# with a digit, so the scan skips the Chinese text between numbers quickly.
_DATES = re.compile(
    r"(?=\d)(?<!\d)(?:\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{4}[-/]\d{1,2}(?![\d.])"
    r"|\d{1,2}:\d{2}(?::\d{2})?"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
    r"|(?:19|20)\d{2}\s*[-—–~～至到]\s*(?:19|20)?\d{2}(?!\d)\s*年?)"
)
_CN_DATES = re.compile(
    r"(?=[零〇一二三四五六七八九])[零〇一二三四五六七八九]{4}\s*年(?:[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?)?"
)
# a ratio (15.2:1, 1∶12.6) is a claim where a ratio's name (生师比, 普职比, 比例) stands shortly
# before it in the same sentence: 生师比分别为15.6:1和11.1:1; a clock time (9:30) has none
_RATIO = re.compile(
    r"(?<![\d.:∶])(?P<r>(?P<a>\d+(?:\.\d+)?)\s*[:∶]\s*(?P<b>\d+(?:\.\d+)?))(?![\d.:∶])"
)
# a fraction: 三分之二, 4分之1, 千分之三 (百分之 is read by the number pattern)
_FRACTION = re.compile(
    r"(?<![\d零〇一二两三四五六七八九十百千万])(?P<d>[\d一二两三四五六七八九十]+|千|万)分之"
    r"(?P<n>[\d一二两三四五六七八九十]+(?:点[零〇一二三四五六七八九]+)?)"
)
_COLON = re.compile("[:∶]")  # a ratio is looked for only around a colon (most texts have few)
_SENTENCE_END = re.compile(r"[。;；!?！？\n]")
_GAP_END = re.compile(r"[。!?！？\n;；,，:：]")
_QUOTES = re.compile(
    r"“[^”\n]{1,14}”|\"[^\"\n]{1,14}\"|「[^」\n]{1,14}」|『[^』\n]{1,14}』|《[^》\n]{1,40}》"
)


class Extractor:
    """Holds the compiled patterns and cue tables; ``extract(doc)`` is re-entrant."""

    _default: ClassVar[Extractor | None] = None

    def __init__(self) -> None:
        from junheng.compiled import warn_if_stale

        warn_if_stale()  # a compiled module older than its source would hide edits to it
        units = datafiles.load("units.yaml")
        self.units: dict[str, dict] = units["units"]
        self.blocklist: dict[str, list[str]] = units["counter_blocklist"]
        self.cues: dict = datafiles.load("cues.yaml")
        unit_alt = trie_pattern(self.units)
        ar = r"(?<![\d.])\d{1,3}(?:,\d{3}(?!\d))+(?:\.\d+)?|(?<![\d.])\d+(?:\.\d+)?"
        cn = f"[{_CN_CLASS}]+(?:点[零〇一二三四五六七八九]+[万亿]?)?"
        num = f"(?:(?:{ar})[千万亿]*|{cn})"
        # the look-ahead lets the scan skip text that cannot start a number at C speed
        self.pattern = re.compile(
            rf"(?=[\d百{_CN_CLASS}])(?P<pct>百分之)?(?P<n1>{num})(?:(?P<h1>[余多])(?P<m1>[千万亿]+)?)?"
            rf"(?:(?P<conn>\s*[-—–~～至到]\s*)(?P<pct2>百分之)?(?P<n2>{num})"
            rf"(?:(?P<h2>[余多])(?P<m2>[千万亿]+)?)?)?"
            rf"(?P<unit>{unit_alt})?"
        )
        self.rank_pattern = re.compile(
            "(?:" + "|".join(map(re.escape, self.cues["rank"]["context"])) + ")"
            r"(?:全国|全省|全市|全区|全县|同类城市|全国同类|世界|全球|国内)?"
            r"(?P<r>第(?P<n>[一二三四五六七八九十\d]+)(?:位|名)?|前(?P<m>[一二三四五六七八九十\d]+)(?:位|名)?|首位)(?![\d.%])"
        )
        from junheng.extract.attributes import AttributeReader

        self.reader = AttributeReader(self.cues)
        rej = self.cues["reject"]
        self.rej_before = tuple(rej["before"])
        self.rej_window = tuple(rej["time_window_before"])
        self.rej_label = tuple(rej["label_after"])
        gap = rej.get("label_gap", 0)
        self.label_re = re.compile(
            f"[^,，。;；、\\s]{{0,{gap}}}(?:{'|'.join(map(re.escape, self.rej_label))})"
        )
        self.rej_name = tuple(rej["name_after"])
        self.blocktuple = {k: tuple(v) for k, v in self.blocklist.items()}

    @classmethod
    def default(cls) -> Extractor:
        if cls._default is None:
            cls._default = Extractor()
        return cls._default

    # ------------------------------------------------------------------ candidates
    def candidates(self, view: str, st: Structure, tables=None) -> list[Candidate]:
        blocked = _spans(_DATES, view)
        if "〇" in view or "零" in view:
            blocked = sorted(blocked + _spans(_CN_DATES, view))
        quotes = [(m.start(), m.end()) for m in _QUOTES.finditer(view)]
        out: list[Candidate] = []
        has_cells = tables is not None and bool(tables.cells)
        for m in self.pattern.finditer(view):
            unit_word, n1 = m.group("unit"), m.group("n1")
            # a year (2022年) or a date part never becomes a claim: skip the parse
            if unit_word == "年" and len(n1) == 4 and n1.isdigit():
                continue
            # a Chinese numeral with no counter is never a claim (进一步, 一是, 三个): skip it
            if unit_word is None and not n1[0].isdigit() and not m.group("pct") and "点" not in n1:
                continue
            # a bare whole number of two digits or more (9月, 第61, 151工程) is no claim outside
            # a table cell or a ratio
            if (
                unit_word is None
                and not m.group("pct")
                and not has_cells
                and n1.isdigit()
                and len(n1) >= 2
                and not view.startswith(":", m.end())
            ):
                continue
            if blocked and _overlaps(blocked, m.start(), m.end("n1")):
                continue
            cell = tables.cell_at(m.start()) if has_cells else None
            c = self._candidate(m, view, cell)
            if c is None:
                continue
            if _overlaps(blocked, c.start, c.end):
                continue
            q = _inside(quotes, c.start, c.end)
            if q is not None and c.unit != "percent" and not view.startswith("《", q[0]):
                continue
            if q is not None and view.startswith("《", q[0]):
                continue  # a title: 《…2021-2025…》
            if c.chinese and c.unit not in ("percent", "CNY") and _in_heading(st, view, c.start):
                continue  # （一）七项指标达标情况: a heading names a list, it claims nothing
            out.append(c)
        out = _join_ranges(out, view)
        # ratios and ranks win over the numbers inside them (前50位 is a rank, not a count); a
        # later one wins over an earlier one it overlaps
        wins: list[Candidate] = []
        ratios: list[re.Match[str]] = []
        for colon in _COLON.finditer(view):
            p = colon.start()
            if p > 0 and (view[p - 1].isdigit() or view[p - 1] == " "):
                for m_ in _RATIO.finditer(view, max(0, p - 14), p + 16):
                    if m_.start("r") < p < m_.end("r"):
                        ratios.append(m_)
                        break
        for m in ratios:
            k = view.rfind("比", max(0, m.start() - 32), m.start())
            if k <= 0 or _SENTENCE_END.search(view, k, m.start()):
                continue
            if not ("\u4e00" <= view[k - 1] <= "\u9fff" or view.startswith("比例", k)):
                continue
            a_, b_ = m.group("a"), m.group("b")
            clock = a_.isdigit() and len(b_) == 2 and b_.isdigit() and int(a_) <= 24
            if clock and _GAP_END.search(view, k, m.start()):
                continue  # 9:30 after a clause mark is a clock time
            # 生师比为15.2:1 / 师生比为1:12.6 — the ratio's value is its term other than 1
            a, b = float(m.group("a")), float(m.group("b"))
            value = a if b == 1 else b
            r = Candidate(m.start("r"), m.end("r"), value, None, None, "other", False, False)
            wins = [c for c in wins if c.end <= r.start or c.start >= r.end] + [r]
        ratio_spans = [(r.start, r.end) for r in wins]
        rank_spans: list[tuple[int, int]] = []
        for m in self.rank_pattern.finditer(view):
            raw = m.group("n") or m.group("m")
            try:
                v = numerals.parse_number(raw)[0] if raw else 1.0
            except numerals.NumeralError:
                continue
            r = Candidate(m.start("r"), m.end("r"), v, None, None, "rank", False, False)
            wins = [c for c in wins if c.end <= r.start or c.start >= r.end] + [r]
            rank_spans.append((r.start, r.end))
        for m in _FRACTION.finditer(view):
            # 三分之二的学校, 千分之三: a fraction is a percentage (百分之… is the number pattern's)
            try:
                d = numerals.parse_number(m.group("d"))[0] if m.group("d") != "千" else 1000.0
                n = numerals.parse_number(m.group("n"))[0]
            except numerals.NumeralError:
                continue
            if not d or n > d or _overlaps(blocked, m.start(), m.end()):
                continue
            r = Candidate(
                m.start(),
                m.end(),
                round(n / d * 100, 2),
                None,
                None,
                "percent",
                False,
                not m.group("d")[0].isdigit(),
            )
            wins = [c for c in wins if c.end <= r.start or c.start >= r.end] + [r]
            rank_spans.append((r.start, r.end))
        if ratio_spans or rank_spans:
            # each list comes from one finditer: sorted, no overlaps within it
            out = [
                c
                for c in out
                if not _overlaps(ratio_spans, c.start, c.end)
                and not _overlaps(rank_spans, c.start, c.end)
            ]
        out += wins
        out.sort(key=lambda c: c.start)
        return out

    def _candidate(self, m: re.Match, view: str, cell=None) -> Candidate | None:
        n1, unit_word = m.group("n1"), m.group("unit")
        s, e = m.start(), m.end()
        chinese = not n1[0].isdigit()
        pct = bool(m.group("pct"))
        # a counter that is really the first character of a word: 一个人才 / 5人民
        if unit_word and unit_word in self.blocklist:
            after = view[m.start("unit") : m.start("unit") + 4]
            if after.startswith(self.blocktuple[unit_word]):
                if m.group("n2") is None:
                    unit_word = None
                    e = _end1(m)
                else:
                    return None
        spec = self.units.get(unit_word) if unit_word else None
        if spec and spec.get("chinese_only") and not chinese:
            spec, unit_word = None, None
            e = _end1(m)
        if spec and spec.get("needs_next"):
            nxt = view[e : e + 3]
            if not nxt.startswith(tuple(spec["needs_next"])):
                if "otherwise" not in spec:
                    return None
                spec = {"unit": spec["otherwise"]}  # 3座教学楼: a count of buildings
        unit = "percent" if pct else (spec["unit"] if spec else None)
        prev = view[s - 1] if s > 0 else ""
        # inside a longer run of digits or a word: 2.0培训, 统一
        if prev and prev in _CN_CLASS and chinese:
            return None
        if chinese:
            core = n1.rstrip("万亿") if len(n1) > 1 else n1
            if unit is None and not pct and "点" not in n1:
                return None
            if n1 in ("几", "幾"):
                return None  # 几位老教师, 这几年: a few, no figure
            if (
                (n1 == "一" or core == "一" and not pct)
                and unit != "multiple"
                and unit_word != "半"
            ):
                return None  # 一个/一所 are words (一校一品); 增长近一倍 and 一半 are figures
            if unit_word == "半" and n1 != "一":
                return None
            if not pct and all(ch in "百千万亿" for ch in n1):
                # 近万名 / 上万人: about ten thousand; 数千名: some thousands; but 百年文脉,
                # 千家万户 are words
                if unit == "CNY" and len(n1) == 2 and prev in "近上逾超破过":
                    # 突破百亿元, 超千万元: a round amount passed or neared
                    v = numerals.parse_number(n1)[0]
                    return Candidate(s, e, v, None, None, unit, prev in "近上逾", True)
                if unit is None or len(n1) != 1:
                    return None
                m_ = numerals.multiplier(n1) if n1 != "百" else 100.0
                if prev in "近上逾超":
                    return Candidate(s, e, m_, None, None, unit, True, True)
                if prev == "数":
                    return Candidate(s - 1, e, None, 2 * m_, 9 * m_, unit, True, True)
                return None
        # ordinals, per-unit phrases, list numbers
        if view.endswith(self.rej_before, 0, s):
            return None
        try:
            low, high = numerals.parse_number(n1)
            if m.group("m1"):  # 8600余万元: the multiplier after the hedge
                low = high = numerals.scaled(low, numerals.multiplier(m.group("m1")))
            if m.group("n2"):
                low2, high2 = numerals.parse_number(m.group("n2"))
                high = high2
                if m.group("m2"):
                    high = numerals.scaled(high, numerals.multiplier(m.group("m2")))
        except numerals.NumeralError:
            return None
        hedged = bool(m.group("h1") or m.group("h2")) or ("几" in n1)
        if unit is None and cell is not None and not chinese:
            e = _end1(m)
            rest = view[cell.start : cell.end].strip().replace(view[s:e], "", 1)
            if rest and rest not in _CELL_COMPARATORS:
                return None  # a number inside a longer cell text: leave it to the prose rules
            unit = cell.unit or (
                "coefficient" if "系数" in cell.row_label + cell.col_header else "other"
            )
            low, high = numerals.scaled(low, cell.scale), numerals.scaled(high, cell.scale)
            return Candidate(
                s,
                e,
                low if low == high else None,
                None if low == high else low,
                None if low == high else high,
                unit,
                False,
                chinese,
            )
        if unit is None:
            return self._unitless(m, view, low, high, chinese)
        scale = float(spec.get("scale", 1.0)) if spec else 1.0
        low, high = numerals.scaled(low, scale), numerals.scaled(high, scale)
        if unit == "year":
            if low == high and 1900 <= low <= 2100 and float(low).is_integer():
                return None
            if view.endswith(self.rej_window, 0, s):
                return None
            if re.match(
                r"年(?:来|内|间|里|以来|后|前|累计|共计|共(?!同)|行动|规划|计划|攻坚|巩固率|义务教育|一贯制|制)",
                view[e - 1 : e + 5],
            ):
                return None
            if not view.endswith(("连续", "持续"), 0, s) and _FIGURE_AFTER.match(view, e):
                return None  # 五年培训教师1.5万人次: a span the clause's figure falls in
        # a Chinese count that introduces a slogan: 五个100%, 一校一品, 两条主线三级联动
        if (
            chinese
            and unit not in ("percent", "CNY")
            and not (unit == "year" and view.endswith(("连续", "持续"), 0, s))
        ):
            gap = view[e : e + 1 + self.cues["reject"]["slogan_gap"]]
            # a slogan never runs across a clause mark (一万二千余名。\n2023年…)
            gap = _GAP_END.split(gap, maxsplit=1)[0]
            if re.search(f"[\\d{_CN_CLASS}]", gap):
                return None
        if chinese and self.label_re.match(view, e):
            return None
        # names: 1号, 二十届, 三中全会 handled by units not matching; 第N is rejected above
        if view.startswith(self.rej_name, e):
            return None
        if low == high:
            return Candidate(s, e, low, None, None, unit, hedged, chinese)
        return Candidate(s, e, None, low, high, unit, hedged, chinese)

    def _unitless(
        self, m: re.Match, view: str, low: float, high: float, chinese: bool
    ) -> Candidate | None:
        """A bare number is a claim only as a coefficient (差异系数 0.223) or a ratio indicator."""
        s, e = m.start(), _end1(m)
        if m.group("n2"):
            e = max(m.end("n2"), m.end("h2"), m.end("m2"))
        if chinese and "点" not in m.group("n1") or view[e : e + 1] in ".-/:":
            return None  # a Chinese numeral needs a unit, but for a decimal (零点四一)
        nxt = view[e : e + 1]
        if nxt and (nxt.isalnum() and not ("\u4e00" <= nxt <= "\u9fff")):
            return None
        if "." not in m.group("n1") and high >= 10:
            return None
        window = view[max(0, s - 240) : s]
        cut = max(window.rfind("。"), window.rfind("\n"))
        window = window[cut + 1 :]
        if "系数" in window and high < 10:
            unit = "coefficient"
        elif re.search(r"每百名|生均|师生比", window) and "系数" not in window:
            unit = "other"
        else:
            return None
        if low == high:
            return Candidate(s, e, low, None, None, unit, False, chinese)
        return Candidate(s, e, None, low, high, unit, False, chinese)

    # ------------------------------------------------------------------ documents
    def extract(self, doc: Document) -> list[Claim]:
        view = analysis_view(doc.text)
        st = analyse(view.text)
        has_rows = "\t" in view.text or "|" in view.text or "  " in view.text
        tables = Tables(view.text) if has_rows else None
        cands = self.candidates(view.text, st, tables)
        chrome = sorted(doc.chrome)
        ctx = self.reader.document_context(doc, view.text, st)
        ctx.cand_starts = [c.start for c in cands]
        ctx.cand_ends = [c.end for c in cands]
        ctx.tables = tables
        claims: list[Claim] = []
        where: list[tuple[int, int]] = []  # (segment start, sentence start) of each claim
        for i, c in enumerate(cands):
            os_, oe = view.orig_span(c.start, c.end)
            if chrome and _overlaps(chrome, os_, oe):
                continue
            claim = Claim(
                doc=doc.doc_id,
                start=os_,
                end=oe,
                surface=doc.text[os_:oe],
                value=c.value,
                value_low=c.low,
                value_high=c.high,
                unit=c.unit,
                doc_year=ctx.year,
            )
            prev_end = cands[i - 1].end if i > 0 else 0
            next_start = cands[i + 1].start if i + 1 < len(cands) else len(view.text)
            x = self.reader.fill(claim, c, ctx, prev_end, next_start, claims)
            claim.sentence_start, claim.sentence_end = _orig_range(view, x.ss, x.se)
            claims.append(claim)
            where.append((x.gs, x.ss))
        _parallel_lists(claims, where, self.reader)
        _mark_duplicates(doc, claims)
        return claims


# what a table cell may say around its figure (95以上, ≤0.50): the qualifier reads it
_CELL_COMPARATORS = frozenset(
    (
        "以上",
        "以下",
        "以内",
        "左右",
        "≤",
        "≥",
        "<",
        ">",
        "<=",
        ">=",
        "约",
        "不低于",
        "不高于",
        "不超过",
    )
)
# another figure later in the clause (…培训教师1.5万人次)
_FIGURE_AFTER = re.compile(
    r"[^,，。;；:：\n\d]{1,12}?[\d一二两三四五六七八九十百千万]+(?:\.\d+)?[万亿千]?[所个名人元项间台册%]"
)
_RANGE_CONN = re.compile(r"\s*[-—–~～至到]\s*")
_FROM = re.compile("[从由]")


def _join_ranges(cands: list[Candidate], view: str) -> list[Candidate]:
    """Two figures of one unit joined by a range mark only are one range: 200元至800元,
    300人—400人 (3—5所 and 3亿—5亿元 are read as ranges by the number pattern itself)."""
    if len(cands) < 2:
        return cands
    out: list[Candidate] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        if i + 1 < len(cands):
            b = cands[i + 1]
            if (
                a.unit == b.unit
                and a.value is not None
                and b.value is not None
                and a.value < b.value
                and view[a.end - 1] == view[b.end - 1]  # the same counter (元…元)
                and _RANGE_CONN.fullmatch(view, a.end, b.start)
                # 从850元到950元 is a change from one level to another, not a range
                and not _FROM.search(_GAP_END.split(view[max(0, a.start - 24) : a.start])[-1])
            ):
                out.append(
                    Candidate(a.start, b.end, None, a.value, b.value, a.unit, a.hedged, a.chinese)
                )
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _in_heading(st: Structure, view: str, pos: int) -> bool:
    i = bisect_right(st.heading_starts, pos) - 1
    if i < 0:
        return False
    h = st.headings[i]
    if not (h.start <= pos < h.end) or h.rank == 0:
        return False
    k = view.find(h.text, h.start, h.end)
    return k >= 0 and k <= pos < k + len(h.text)


def _orig_range(view: AnalysisView, s: int, e: int) -> tuple[int, int]:
    if e <= s:
        return view.orig_index(s), view.orig_index(s)
    return view.orig_span(s, e)


def _end1(m: re.Match) -> int:
    """The end of the first number with its hedge and a multiplier after it (8600余万)."""
    return max(m.end("n1"), m.end("h1"), m.end("m1"))


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    i = bisect_right(spans, (s, 10**12)) - 1
    if i >= 0 and spans[i][0] < e and s < spans[i][1]:
        return True
    i += 1
    return i < len(spans) and spans[i][0] < e and s < spans[i][1]


def _inside(spans: list[tuple[int, int]], s: int, e: int) -> tuple[int, int] | None:
    i = bisect_right(spans, (s, 10**12)) - 1
    if i >= 0 and spans[i][0] <= s and e <= spans[i][1]:
        return spans[i]
    return None


def _parallel_lists(
    claims: list[Claim], where: list[tuple[int, int]], reader: AttributeReader
) -> None:
    """Figures that name no indicator of their own take it from a parallel list said just
    before in the same sentence: 小学…5.1人、…2.6间；初中分别为6.2人、…2.8间 and
    小学生均公用经费由850元提高到950元；初中由1050元提高到1150元."""
    i = 0
    n = len(claims)
    while i < n:
        if claims[i].indicator != "other":
            i += 1
            continue
        j = i
        while j + 1 < n and claims[j + 1].indicator == "other" and where[j + 1][0] == where[i][0]:
            j += 1
        run = claims[i : j + 1]
        seg, sent = where[i]
        k0 = i
        while k0 > 0 and where[k0 - 1][1] == sent:
            k0 -= 1
        before = [k for k in range(k0, i) if where[k][0] < seg]
        units = [c.unit for c in run]
        src = None
        if len(before) >= len(run):
            cand = [claims[k] for k in before[-len(run) :]]
            if [c.unit for c in cand] == units:
                src = cand
        if src is None and len(set(units)) == 1:
            same = [claims[k] for k in before if claims[k].unit == units[0]]
            if len(same) >= len(run):
                src = same[-len(run) :]
        if src is None and len(run) >= 3 and k0 > 0 and not before:
            # 小学：…七项指标…。初中：上述七项指标分别为6.74人、…3.6间 — a list of three or more
            # figures whose units follow, in order, the last figures of the sentence before
            prev_sent = where[k0 - 1][1]
            k1 = k0
            while k1 > 0 and where[k1 - 1][1] == prev_sent:
                k1 -= 1
            cand = claims[k1:k0][-len(run) :]
            if len(cand) == len(run) and [c.unit for c in cand] == units:
                src = cand
        if (
            src is not None
            and any(c.indicator != "other" for c in src)
            and all(c.kind == p.kind for c, p in zip(run, src, strict=True))
            # a parallel list names its stages only (初中分别为6.2人、2.8间), not a measure of
            # its own (…，每周开课300余节)
            and reader.bare_subject(run[0].subject)
        ):
            for c, p in zip(run, src, strict=True):
                c.indicator = p.indicator
                if reader.bare_subject(c.subject):
                    c.subject = p.subject
                if c.time is None and p.time is not None and c.qualifier == p.qualifier:
                    c.time = p.time
        i = j + 1


def _mark_duplicates(doc: Document, claims: list[Claim]) -> None:
    """Claims inside a repeated body point at their twin in the first copy."""
    if not doc.duplicates:
        return
    by_span = {(c.start, c.end): c for c in claims}
    for c in claims:
        for d in doc.duplicates:
            if d.start <= c.start and c.end <= d.end:
                shift = d.start - d.first_start
                twin = by_span.get((c.start - shift, c.end - shift))
                if twin is not None and twin.surface == c.surface:
                    c.duplicate_of = claim_id(doc.doc_id, twin.start, twin.end)
                break
