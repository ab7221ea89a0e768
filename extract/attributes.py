"""Attribute readers: qualifier, kind, time, region, level, area, subject and indicator of a
candidate number, read from the text around it.

Every reader looks at the same nested contexts (see ``Context``): the claim's own words, its
clause, its segment (up to ；), its sentence (up to 。), its paragraph and the headings above it.
Cue words are data (data/cues.yaml); the indicator linker reads the ontology.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from junheng.corpus.analysis import to_simplified
from junheng.corpus.document import Document
from junheng.extract import datafiles, places
from junheng.extract.record import Claim
from junheng.extract.structure import Structure
from junheng.extract.tables import Tables
from junheng.extract.wordlist import alternation, trie_pattern

if TYPE_CHECKING:
    from junheng.extract.engine import Candidate

_CONJ = re.compile(r"[和与及、]|以及")
# 80个考场建设, 9所学校运动场地改扩建: built in the period
_BUILT_AFTER = re.compile(r"^[^,，;；。]{1,14}(?:建设|竣工|改扩建|改造)$")
# the words between two figures of one clause that join them as items: 运动场和 / 及
# after a list of figures: all of them within a bound (，均小于或等于0.50)
_ALL_WITHIN = re.compile(
    r"\s*(?:[,，]\s*)?(?:且|并)?均(?:小于或等于|小于等于|低于或等于|不超过|不高于|不大于|控制在|"
    r"大于或等于|大于等于|不低于|不少于|不小于)"
)
_JOINED_ITEM = re.compile(r"[^,，;；。:：\d]{0,8}(?:和|及|以及|与|、)[^,，;；。:：\d比较]{0,8}")
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")
_CLAUSE_MARK = re.compile(r"[,，;；。:：(（]")
_LEADING_HEDGE = re.compile(r"^(?:余|多|左右|以上|以下)")
_DISCOURSE_LEAD = re.compile(
    r"\s*(?:据介绍|据了解|据统计|据悉|数据显示|统计显示|资料显示|记者了解到|会议指出|会议强调|会议通报|"
    r"报告指出|报告显示|通报显示|总结指出)[,，:：]?\s*"
)
_MULTIPLE_OF = re.compile(r"的[^,，。;；]{0,10}倍")
_NOUN_AFTER_DE = re.compile(r"[\u4e00-\u9fff]")
_LIST_MARKS = ("、", "和", "与", "及", "或")
_LIST_FIRST = "、和与及或 \t"  # what can follow a figure that a list goes on from
_COORD = re.compile(r"\s?(?:[、和与及]|以及)\s?")
# a list of school names that a generic count or 等 sums up: 县第三中学、城东小学等学校9所,
# 城东小学、城北初中两所学校, 城南小学综合楼、白鹭镇中心小学风雨操场等建设项目
# (read from the end of a stage word that follows a name: the rest of the list)
_NAMES_AFTER = re.compile(
    r"(?:[\u3400-\u9fff]{0,5}?、[\u3400-\u9fff]{2,12}?(?:小学|初中|中学|学校))*"
    r"[\u3400-\u9fff]{0,5}?(?=等(?![于级同])|[\d两二三四五六七八九十]+所学校|$)"
)
_CHAPTER = re.compile(r"第[一二三四五六七八九十\d]+[章篇]")
_NOT_WORD = re.compile(r"[^\u3400-\u9fff]")
_COL_YEAR = re.compile(r"((?:19|20)\d\d)\s*年?")
# a place name as reports write one before 区/县/市 (东陵区, 河西县)
_PLACE = "[\u4e00-\u9fff]{2,6}?(?:自治县|区|县|市|旗)"
_PLACE_NAME = re.compile(f"({_PLACE})(?=$|[\\s,，:：。要在的])")
_PLACE_JOIN = re.compile(r"\s*(?:、|和|及|与|以及|,|，)\s*")
# a list of place-shaped names opening a clause (东坡县、西岭县未达标学校分别为…), for places
# the gazetteer does not know
_PLACE_LIST = re.compile(
    r"^\s*(?:其中|对|在)?((?:[\u4e00-\u9fff]{2,4}?(?:自治县|县|区|市|旗)(?:、|和|及|与))+"
    r"[\u4e00-\u9fff]{2,4}?(?:自治县|县|区|市|旗))"
)
_LIST_END = re.compile(r"[,，;；。\n]")
_PLACE_RUN = re.compile(
    r"(?<![\u4e00-\u9fff])(?:[\u4e00-\u9fff]{2,3}?(?:县|区|市|旗)[、和及与])+"
    r"[\u4e00-\u9fff]{2,3}?(?:县|区|市|旗)"
)
# what may stand before a place that opens a clause: a list mark, 其中, 一是
_CLAUSE_LEAD = re.compile(
    r"[ \t\u3000]*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+是|其中[,，]?|另外[,，]?)?"
    r"[ \t\u3000]*"
)
# a place name that runs on into a word (县域, 市级, 区委…): not a place opening the clause
_NOT_AFTER_PLACE = re.compile("[域级委府长情直属和、及与]|分别")
_OWN_PLACE = re.compile(f"(?:^|[:：,，、])({_PLACE})\\s*$")
_ADDRESSEES = re.compile(
    f"(?m)^\\s*((?:{_PLACE}[、,，和及])+{_PLACE})(?:人民政府|政府|教育局|教体局|教育体育局)?\\s*[:：]\\s*$"
)
_ISSUER = re.compile(
    r"([\u4e00-\u9fff]{2,6}?(?:市|州|县|区|省))(?:人民政府|政府|教育局|教育督导|教体局)"
)
_BASE_BEFORE = re.compile(r"[,，\s]*(?:比|较|同比|与)")
_RATE_AND_POINTS = ("percent", "percentage_point")
_LABEL_LEAD = re.compile(r"\s*(?:[(（][一二三四五六七八九十\d]+[)）]|\d+[.．])")
_PERIOD = re.compile(r"((?:19|20)\d\d)\s*年?\s*[-—–~～至到]\s*(?:19|20)\d\d")
_PLACE_LEAD = re.compile(r"\s*(?:全县|全市|全区|全省|全镇|我县|我市|我区|我省|本县|本市|本区)")
_COUNT_WORD = re.compile(r"[\d一二三四五六七八九十两]+[项个类]?")
_CJK2 = re.compile("[\u3400-\u9fff]{2}")
_SCHOOL_STAGES = frozenset(("小学", "初中", "中学", "初级中学"))
_NEW_ITEM = re.compile(r"[;；\s]*(?:同时|此外|另外|还|[一二三四五六七八九十]是)")
_AMONG = re.compile(r"(?<!其)中(?=城|农|乡|镇|山区)")
_SWITCH_LEADS = ("", "在", "其中", "其中,", "另外,", "而", "如", "例如,", "同时,")
_PARENT_PLACE = re.compile(r"[\u4e00-\u9fff]{2,6}?[省市州盟]$")
_NOW_BASE = ("由目前的", "从目前的", "由现在的", "从现在的", "由当前的", "从当前的", "由现有的")
# a standard named after a compared figure: 高于85%的评估要求, 低于85%的底线要求
_STANDARD_AFTER = re.compile(r"的?[^,，。;；、\d]{0,6}?(?:要求|标准|规定|底线)")
# a figure that is itself the standard, whatever the comparison: 0.50的国家标准, 45人标准
_STANDARD_NAMED = re.compile(
    r"的?(?:国家|省定|省级|评估|规定的?)[\u4e00-\u9fff]{0,6}?标准(?!化)|标准(?!化)"
)
_STANDARD_BEFORE = ("标准", "标准为", "标准是", "国家规定的", "规定的", "要求的", "标准值")


def combine_levels(a: str, b: str) -> str:
    """The stage of a figure said of two stages together (小学、初中 -> compulsory)."""
    if a == b:
        return a
    if {a, b} <= {"primary", "junior", "compulsory"}:
        return "compulsory"
    if {a, b} <= {"primary", "junior", "senior", "k12", "compulsory"}:
        return "k12"
    return "all"


_YEAR = r"((?:19|20)\d{2})"


@dataclass(slots=True)
class DocContext:
    doc: Document
    view: str
    st: Structure
    year: int | None
    region: str | None
    scope_level: str | None
    headings_have_stage: bool
    switches: list[tuple[int, int, str]] = field(default_factory=list)
    time_cache: dict[int, list[tuple[int, int, str, str | None]]] = field(default_factory=dict)
    emitted: list[int] = field(default_factory=list)  # view starts of the claims emitted so far
    cand_starts: list[int] = field(default_factory=list)  # view starts of every candidate
    cand_ends: list[int] = field(default_factory=list)  # and their ends
    tables: Tables | None = None
    plans: list[tuple[int, int]] = field(default_factory=list)  # sections that set out plans
    plan_starts: list[int] = field(default_factory=list)
    term_cache: dict[int, _SegTerms] = field(default_factory=dict)
    level_cache: dict[int, _LevelHits] = field(default_factory=dict)
    area_hits: list[int] = field(default_factory=list)  # starts of area words in the view
    level_spans: tuple[list[int], list[int]] = ([], [])  # (starts, ends) of stage words
    heading_levels: dict[int, str | None] = field(default_factory=dict)
    # the year that opens a sentence (2023年，全市…), by sentence start; None where none does
    head_years: dict[int, str | None] = field(default_factory=dict)
    # the year carried into a sentence from earlier ones, by (sentence index, paragraphs crossed)
    carried_years: dict[tuple[int, int], str | None] = field(default_factory=dict)
    period_start: int | None = None  # the first year of a period the title names (2021—2025年)
    dated_year: str | None = None  # the year a statistical title dates every figure with
    place_names: set[str] = field(default_factory=set)  # every place the document names
    scope_area: str | None = None  # the area the title is about (乡村教师 -> rural)
    label_cache: dict[int, frozenset[str]] = field(default_factory=dict)  # by paragraph start
    # the places listed before a 分别 (东坡县、西岭县…分别为), by the offset of that 分别
    respective_places: dict[int, list[str]] = field(default_factory=dict)
    place_re: re.Pattern[str] | None = None  # every place name of the document, longest first


@dataclass(slots=True)
class Context:
    """The text around one candidate (view offsets)."""

    s: int
    e: int
    cs: int
    ce: int
    sep: str
    gs: int
    ge: int
    ss: int
    se: int
    pre_local: str  # clause text between the previous number and this one
    post_local: str  # clause text after this number up to the next number or bracket
    own_pre: str  # the claim's own words before it
    own_post: str  # the claim's own words after it
    tail: str  # the clause's shared predicate after its last number
    bracket: tuple[int, int] | None
    pre_clean: str  # the clause before the number (or its bracket), other brackets blanked
    in_cell: bool = False
    prev_end: int = 0
    in_list: bool = False  # right after the claim before it in a bare list (780元、1010元)


class AttributeReader:
    def __init__(self, cues: dict):
        self.cues = cues
        q = cues["qualifier"]
        self.q_immediate = sorted(q["immediate"].items(), key=lambda kv: -len(kv[0]))
        self.q_clause = sorted(q["clause"].items(), key=lambda kv: -len(kv[0]))
        self.q_after = sorted(q["after"].items(), key=lambda kv: -len(kv[0]))
        self.q_skip = q["skip_before"]
        self.q_immediate_words = tuple(w for w, _ in self.q_immediate)
        self.q_after_words = tuple(w for w, _ in self.q_after)
        self.q_clause_re = alternation(w for w, _ in self.q_clause)
        self.q_not = tuple(q["not_cue_prefixes"])
        self.target_clause = alternation(cues["target"]["clause"])
        self.target_lead = tuple(cues["target"]["sentence_lead"])
        self.target_past = alternation(cues["target"]["past"])
        self.target_not = tuple(cues["target"]["not_clause"])
        self.target_heading = alternation(cues["target"]["heading"])
        self.target_heading_past = alternation(cues["target"]["heading_past"])
        self.plan_title = alternation(cues["target"]["plan_title"])
        self.not_plan_title = alternation(cues["target"]["not_plan_title"])
        self.target_to_year = re.compile(
            r"(?:^|[,，;；:：\s(（“「]|力争|争取|计划|预计|确保)(?:到|至)" + _YEAR + "年"
            r"|(?:确保|力争|争取|计划|预计|要|将)在?" + _YEAR + r"年(?:底|末)?(?:前|以前)"
        )
        k = cues["kind"]
        self.k_growth = alternation(k["growth_rate"])
        self.k_share_before = alternation(k["share_before"])
        # N%的学校, N%以上的乡村学校: a share of the schools (up to four words between)
        self.k_share_after = re.compile(
            "的[\u4e00-\u9fff]{0,4}?(?:"
            + "|".join(re.escape(w.removeprefix("的")) for w in k["share_after"])
            + ")"
        )
        self.k_change = alternation(k["change"])
        self.k_change_after = alternation(k["change_after"])
        self.k_change_percent = tuple(sorted(k["change_percent"], key=len, reverse=True))
        self.k_level_after = alternation(k["level_after_change"])
        self.k_threshold = alternation(k["threshold"])
        self.k_threshold_after = tuple(k["threshold_after"])
        lv = cues["level"]["terms"]
        self.level_terms = lv
        self.level_re = alternation(lv)
        self.stage_modifiers = frozenset(cues["level"]["stage_modifiers"])
        self.carry_terms: dict[str, list[str]] = cues["level"]["carried_only_by"]
        self.scope_terms = cues["level"]["document_scope"]
        ar = cues["area"]
        self.area_of = {w: "rural" for w in ar["rural"]} | {w: "urban" for w in ar["urban"]}
        self.area_of |= {w: "mixed" for w in ar["mixed"]}
        self.area_re = alternation(self.area_of)
        self.area_topic_re = re.compile(
            "(" + trie_pattern(self.area_of) + ")"
            r"(?:学校|教育|教师|小学|初中|中小学|地区|薄弱学校|幼儿园|学生)"
        )
        self.area_mixed_re = alternation(ar["mixed"])
        self.area_scope: dict[str, str] = ar["document_scope"]
        t = cues["time"]
        self.plans = t["plans"]
        plan_alt = "|".join(map(re.escape, self.plans))
        num = r"(\d+|[一二两三四五六七八九十]+)"
        self.events = t["since_events"]
        event_alt = "|".join(map(re.escape, self.events))
        now_first = "".join(sorted({w[0] for w in t["now"] + t["last_year"]}))
        # the look-ahead lets the scan skip to possible starts; Chinese numerals start a
        # marker only in 三年来 or a congress's name, so they are let in only for those
        self.time_re = re.compile(
            rf"(?=[截到至\d十近最过未今连{re.escape(now_first)}]"
            rf"|[一二两三四五六七八九十]+\s*年(?:来|累计|共|内|间)|{event_alt})"
            rf"(?:(?P<upto>截至|截止|截止到|到|至){_YEAR}\s*年"
            rf"|{_YEAR}\s*年?\s*[-—–~～至到]\s*{_YEAR}\s*学?年"
            rf"|{_YEAR}\s*年\s*(?:以来|至今|来|起)"
            rf"|(?P<event>{event_alt})(?:以来|来)"
            rf"|(?<!\d)(?P<ago>\d{{1,2}}|[一二两三四五六七八九十]+)\s*年来"
            rf"|连续(?P<running>\d{{1,2}}|[一二两三四五六七八九十]+)\s*年"
            rf"|(?<![\d年])(?P<window>\d{{1,2}}|[一二两三四五六七八九十]+)\s*年(?:累计|共|内|间)"
            rf"|(?P<plan>{plan_alt})[”\"’]?\s*(?P<pmode>以来|期间|时期|末|初|规划|期末)?"
            rf"|(?:近|最近|过去){num}\s*年"
            rf"|(?:未来|今后){num}\s*年"
            rf"|(?P<now>{'|'.join(map(re.escape, sorted(t['now'], key=len, reverse=True)))})"
            rf"|(?P<last>{'|'.join(map(re.escape, sorted(t['last_year'], key=len, reverse=True)))})"
            rf"|{_YEAR}\s*年(?:度|底|末|初|秋季|春季)?)"
        )
        self.previous_words = tuple(t["previous"])
        self.dated_title = alternation(t["dated_titles"])
        trailing = cues["subject"]["trailing"]
        self.trail_re = re.compile("(?:" + "|".join(map(re.escape, trailing)) + ")+$")
        self.trail_last = frozenset(w[-1] for w in trailing)
        self.generic_re = alternation(cues["subject"]["generic"])

    # ------------------------------------------------------------------ document level
    def document_context(self, doc: Document, view: str, st: Structure) -> DocContext:
        title = doc.title
        if title is None:
            for line in view.splitlines():
                if line.strip():
                    title = line.strip()
                    break
        year = doc.year
        if year is None:
            m = re.search(r"((?:19|20)\d{2})\s*年", title or "") or re.search(
                r"((?:19|20)\d{2})[-/.年]\d{1,2}[-/.月]\d{1,2}", view[:2000]
            )
            year = int(m.group(1)) if m else None
        local = places.local_names(view, title)
        mentions = places.without_inner(places.find_places(view), local)
        region = doc.region or places.document_region(view, title, mentions, local)
        if doc.region is None:
            doc.region = region
        scope = None
        lines = [ln.strip() for ln in view[:2000].splitlines() if ln.strip()][:6]
        heads = [title or ""] + [ln for ln in lines if 8 <= len(ln) <= 60 and "。" not in ln]
        heads = [h.replace("其中", "其 ") for h in heads]  # 其中小学 names no 中小学
        for term, lvl in self.scope_terms.items():  # the first in the data's order wins
            if any(term in h for h in heads):
                scope = lvl
                break
        has_stage = any(self.level_re.search(h.text) for h in st.headings if 0 < h.rank < 5)
        ctx = DocContext(doc, view, st, year, region, scope, has_stage)
        t_title = to_simplified(title or "")
        if "。" in t_title or len(t_title) > 40:
            t_title = ""  # a first line of prose is no title to scope a document
        for term, area in self.area_scope.items():
            if term in t_title and not self.area_mixed_re.search(t_title):
                ctx.scope_area = area
                break
        m_period = _PERIOD.search(title or "")
        if m_period:
            ctx.period_start = int(m_period.group(1))
        elif title and self.dated_title.search(title):
            m_year = re.search(_YEAR + "年", title)
            ctx.dated_year = m_year.group(1) if m_year else None
        ctx.place_names = {pm.place.name for pm in mentions} | {pm.place.name for pm in local}
        for h in st.headings:  # （一）东陵区: a heading that is a place name
            m_h = _PLACE_NAME.fullmatch(h.text)
            if m_h and h.rank:
                ctx.place_names.add(m_h.group(1))
        m_to = _ADDRESSEES.search(view, 0, 3000)
        if m_to:
            # 东陵区、石门县、白沙县、横塘县人民政府：a text addressed to several places is the
            # issuer's (岚州市人民政府教育督导委员会办公室), not one of theirs
            names = [n for n in re.split("[、,，和及]", m_to.group(1)) if n]
            ctx.place_names.update(names)
            m_from = _ISSUER.match(view.lstrip())
            if ctx.region in names and m_from and m_from.group(1) not in names:
                ctx.region = doc.region = m_from.group(1)
        for m_list in _PLACE_RUN.finditer(view):
            # 柘溪县、望川县、梅岭县、槐安区分别有…: places the gazetteer does not know, listed
            # together and named again elsewhere in the text
            names = re.split("[、和及与]", m_list.group())
            if not any(places.GENERIC.search(n) for n in names):
                ctx.place_names.update(n for n in names if view.count(n) >= 2)
        names = sorted((n for n in ctx.place_names if len(n) >= 3), key=len, reverse=True)
        if names:
            ctx.place_re = re.compile("|".join(map(re.escape, names)))
        ctx.switches = self._region_switches(ctx, mentions)
        ctx.area_hits = [m.start() for m in self.area_re.finditer(view)]
        spans = [m.span() for m in self.level_re.finditer(view)]
        ctx.level_spans = ([a for a, _ in spans], [b for _, b in spans])
        ctx.plans = self._plan_sections(st, view)
        if title and self.plan_title.search(title) and not self.not_plan_title.search(title):
            # 实施方案（2023—2027年）: the whole document is a plan, but for sections that
            # look back (一、基本情况)
            ctx.plans = self._plan_document(st, view)
        ctx.plan_starts = [a for a, _ in ctx.plans]
        return ctx

    def _plan_document(self, st: Structure, view: str) -> list[tuple[int, int]]:
        out, start = [], 0
        hs = [h for h in st.headings if 0 < h.rank < 5]
        chapters = [h for h in st.headings if _CHAPTER.match(h.text)]
        if chapters:  # 第一章 发展基础 … 第二章 发展目标: the chapters divide the plan
            hs = chapters
        for i, h in enumerate(hs):
            if self.target_heading_past.search(h.text):
                out.append((start, h.start))
                nxt = next((g for g in hs[i + 1 :] if g.rank <= h.rank), None)
                start = nxt.start if nxt else len(view)
        out.append((start, len(view)))
        return [(a, b) for a, b in out if b > a]

    def _plan_sections(self, st: Structure, view: str) -> list[tuple[int, int]]:
        """Sections under a heading that announces plans (二、下一步工作打算, 2019年重点工作任务):
        from the heading to the next heading of the same or a higher rank, or to a new piece
        of a compilation page."""
        out = []
        hs = st.headings
        for i, h in enumerate(hs):
            if h.rank == 0 or not self.target_heading.search(h.text):
                continue
            if self.target_heading_past.search(h.text) or len(h.text) > 40:
                continue
            end = len(view)
            for g in hs[i + 1 :]:
                if (
                    g.rank == 0
                    or (h.rank < 5 and 0 < g.rank <= h.rank)
                    or (h.rank == 5 and g.rank == 5 and self.target_heading_past.search(g.text))
                ):
                    end = g.start
                    break
            out.append((h.start, end))
        return out

    def _region_switches(self, ctx: DocContext, mentions) -> list[tuple[int, int, str]]:
        st, view = ctx.st, ctx.view
        out = []
        doc_place = places.gazetteer().get(ctx.region or "")
        # a provincial document's figures can be about one of its cities
        of_province = (doc_place is not None and doc_place.rank == 1) or (
            ctx.region or ""
        ).endswith(("省", "自治区"))
        local = places.local_mentions(view, {pm.place.name for pm in mentions})
        for pm in sorted(list(mentions) + local, key=lambda m: m.start):
            name = pm.place.name
            if name == ctx.region:
                continue
            if pm.place.rank not in (0, 3) and not (pm.place.rank == 2 and of_province):
                continue
            if doc_place is not None and places.contains(pm.place, doc_place):
                continue
            si, ss, se = st.sentence(pm.start)
            gi, gs, ge = st.segment(pm.start)
            # a sentence, or a segment after ；, that opens with the place (or with its city
            # first: 其中，鹿川市安平县…；石门市云溪区…)
            lead = _PARENT_PLACE.sub("", view[gs : pm.start].strip())
            if lead not in _SWITCH_LEADS:
                continue
            nxt = view[pm.end : pm.end + 3]
            if nxt.startswith(("的", "教育局", "政府", "人民", "委", "区委", "县委", "市委")):
                continue
            pi, ps, pe = st.paragraph(pm.start)
            if gs > ss:
                out.append((gs, se, name))
            elif _PARENT_PLACE.sub("", view[ps : pm.start].strip()) == lead:
                out.append((ps, pe, name))
            else:
                out.append((ss, se, name))
        out += self._place_sections(ctx, {pm.place.name for pm in mentions} | ctx.place_names)
        out.sort()
        return out

    def _place_sections(self, ctx: DocContext, known: set[str]) -> list[tuple[int, int, str]]:
        """A heading that names a place (（一）东陵区) switches the region for its section, to
        the next heading of the same or a higher rank."""
        hs = ctx.st.headings
        out = []
        for i, h in enumerate(hs):
            if h.rank == 0:
                continue
            m = _PLACE_NAME.match(h.text)
            if m is None or m.group(1) == ctx.region:
                continue
            name = m.group(1)
            if name not in known and m.end() != len(h.text):
                continue  # an unknown name must be the whole heading
            end = len(ctx.view)
            for g in hs[i + 1 :]:
                if g.rank == 0 or (0 < g.rank <= h.rank):
                    end = g.start
                    break
            out.append((h.start, end, name))
        return out

    # ------------------------------------------------------------------ one claim
    def context(self, c: Candidate, ctx: DocContext, prev_end: int, next_start: int) -> Context:
        st, view = ctx.st, ctx.view
        s, e = c.start, c.end
        n = len(view)
        starts = st.clause_starts
        ci = bisect_right(starts, s) - 1
        cs, ce = starts[ci], starts[ci + 1] if ci + 1 < len(starts) else n
        sep = st.clause_seps[ci]
        # a clause does not start inside a bracket that closed before the number
        if st.bracket_spans:
            b = st.bracket_at(cs, strict=True)
            if b is not None and b[1] <= s:
                cs, sep = b[1], ""
        starts = st.seg_starts
        i = bisect_right(starts, s) - 1
        gs, ge = starts[i], starts[i + 1] if i + 1 < len(starts) else n
        starts = st.sent_starts
        i = bisect_right(starts, s) - 1
        ss, se = starts[i], starts[i + 1] if i + 1 < len(starts) else n
        bracket = st.bracket_at(s) if st.bracket_spans else None
        lo = max(cs, prev_end)
        if bracket and bracket[0] < s:
            lo = max(lo, bracket[0] + 1)
        pre_local = view[lo:s]
        hi = min(ce, next_start)
        k = view.find("(", e, hi)  # the view has half-width brackets only
        if k >= 0:
            hi = k
        if bracket:
            hi = min(hi, bracket[1] - 1)
        post_local = view[e:hi]
        own_pre = pre_local
        if prev_end > cs:
            m = _CONJ.search(pre_local)
            own_pre = pre_local[m.end() :] if m else pre_local
        m = _CONJ.search(post_local)
        own_post = post_local[: m.start()] if m else post_local
        # shared predicate: the clause after the last number in it
        tail = view[max(e, hi) : ce] if next_start >= ce else ""
        if next_start < ce:
            tail = view[next_start:ce]
        return Context(
            s,
            e,
            cs,
            ce,
            sep,
            gs,
            ge,
            ss,
            se,
            pre_local,
            post_local,
            own_pre,
            own_post,
            tail,
            bracket,
            st.strip_brackets(bracket[0] + 1 if bracket and bracket[0] >= cs else cs, s, keep=s),
            False,
            prev_end,
        )

    def fill(
        self,
        claim: Claim,
        c: Candidate,
        ctx: DocContext,
        prev_end: int,
        next_start: int,
        done: list[Claim],
    ) -> Context:
        """Set every attribute of ``claim``; returns the context read (its spans are reused)."""
        x = self.context(c, ctx, prev_end, next_start)
        cell = ctx.tables.cell_at(c.start) if ctx.tables is not None else None
        if cell is not None:
            # a table cell reads its row label and column header as its own words
            x.own_pre, x.own_post, x.tail = cell.row_label, "", cell.col_header
            x.pre_local = cell.row_label
            x.in_cell = True
        prev = done[-1] if done else None
        x.in_list = self._follows_in_list(x, ctx, prev)
        claim.qualifier = self.qualifier(c, x, ctx, prev)
        claim.kind = self.kind(c, x, ctx, claim.qualifier, prev)
        if cell is not None and cell.standard:
            claim.kind = "threshold"  # a standard's column or row (国家标准) of a table
        col_year = _COL_YEAR.search(cell.col_header) if cell is not None else None
        if col_year is not None:
            # 指标 | 2020年 | 2025年: a year column dates its cells; in a plan, a column before
            # its period is the base, one after the document's year a target
            y = int(col_year.group(1))
            start = ctx.period_start or ctx.year
            if claim.qualifier == "target" and start is not None and y < start:
                claim.qualifier = self.qualifier(c, x, ctx, None, plans=False)
            elif ctx.year is not None and y > ctx.year and claim.qualifier != "target":
                claim.qualifier = "target"
        claim.time = self.time(c, x, ctx, claim.kind, claim.qualifier)
        if col_year is not None and claim.kind != "threshold":
            claim.time = col_year.group(1)
        elif cell is not None and claim.time is None and claim.kind != "threshold":
            cap_year = _COL_YEAR.search(cell.caption)  # 表1 2023年度各县(区)…
            claim.time = cap_year.group(1) if cap_year else None
        claim.region = self.region(x, ctx, claim.kind)
        if cell is not None and claim.kind != "threshold":
            m_place = _PLACE_NAME.fullmatch(cell.row_label) or _PLACE_NAME.fullmatch(
                cell.col_header
            )
            if m_place is not None:
                claim.region = m_place.group(1)  # a row of the table per county
        claim.subject = self.subject(x, prev, bool(ctx.emitted) and ctx.emitted[-1] >= x.gs)
        claim.indicator, default_level = self.indicator(claim, x, ctx)
        if (
            claim.indicator == "other"
            and claim.kind in ("change", "growth_rate")
            and prev is not None
            and prev.indicator != "other"
            and (prev.unit == claim.unit or (prev.unit, claim.unit) == _RATE_AND_POINTS)
            and ctx.emitted
            and ctx.emitted[-1] >= x.gs
            and _BASE_BEFORE.match(ctx.view, max(x.prev_end, x.cs), x.s)
        ):
            # 全市共有小学672所，比上年减少14所: the change of the level said just before
            claim.indicator = prev.indicator
        if (
            prev is not None
            and x.sep == "、"
            and prev.unit == claim.unit
            and prev.indicator not in ("other", claim.indicator)
            and ctx.emitted
            and ctx.emitted[-1] >= x.gs
            and self.bare_subject(claim.subject)
        ):
            # 每百名学生拥有计算机台数小学14.3台、初中19.8台: an item that names only its stage
            # is of the list's indicator, not of one named earlier in the segment
            claim.indicator = prev.indicator
        if claim.indicator == "cv":
            claim.about = _linker().about(x, ctx)
        claim.level = (
            cell is not None
            and (
                self._first_level(cell.col_header)
                or self._first_level(cell.row_label)
                or self._first_level(cell.caption)
            )
        ) or self.level(c, x, ctx, default_level, done)
        claim.area = self.area(x, ctx)
        ctx.emitted.append(c.start)
        return x

    # ------------------------------------------------------------------ qualifier
    def qualifier(
        self,
        c: Candidate,
        x: Context,
        ctx: DocContext,
        prev: Claim | None = None,
        plans: bool = True,
    ) -> str:
        view = ctx.view
        if plans and self._is_target(x, ctx, prev) and not view.endswith(_NOW_BASE, x.cs, x.s):
            return "target"  # but 由目前的62%提高到75%: the start is the level now
        q_after = self._after_word(view, x.e) or self._list_after_word(x, ctx)
        if q_after:
            return q_after
        q_list = self._list_qualifier(x, ctx, prev)
        if q_list:
            return q_list
        pre = x.pre_local.rstrip()
        stripped = pre.rstrip(self.q_skip)
        if stripped.endswith(self.q_immediate_words):
            for w, q in self.q_immediate:
                if stripped.endswith(w):
                    return q
        if self.q_clause_re.search(pre):
            for w, q in self.q_clause:
                k = pre.rfind(w)
                if k >= 0 and not pre.startswith(self.q_not, k) and not _in_relative(pre, k):
                    return q
        if c.hedged or c.low is not None and c.value is None and "几" in view[x.s : x.e]:
            return "approx"
        return "eq"

    def _after_word(self, view: str, end: int) -> str | None:
        if view.startswith(self.q_after_words, end):
            for w, q in self.q_after:
                if view.startswith(w, end):
                    return q
        return None

    def _list_after_word(self, x: Context, ctx: DocContext) -> str | None:
        """A bare list of figures shares the word after its last one: 0.50和0.45以内,
        85%、92%、75%以上 (only list marks between the figures)."""
        starts, ends, view = ctx.cand_starts, ctx.cand_ends, ctx.view
        if view[x.e : x.e + 1] not in _LIST_FIRST:
            return None  # most figures are not followed by a list mark
        i = bisect_left(starts, x.s)
        while i + 1 < len(starts) and view[ends[i] : starts[i + 1]].strip() in _LIST_MARKS:
            i += 1
            q = self._after_word(view, ends[i])
            if q:
                return q
        return None

    @staticmethod
    def _follows_in_list(x: Context, ctx: DocContext, prev: Claim | None) -> bool:
        """Whether the figure comes right after the claim before it in a bare list of figures
        (780元、1010元 / 4.2%和5.6%): only a list mark between the two."""
        return (
            prev is not None
            and bool(ctx.emitted)
            and ctx.emitted[-1] < x.prev_end <= x.s
            and ctx.view[x.prev_end : x.s].strip() in _LIST_MARKS
        )

    def _list_qualifier(self, x: Context, ctx: DocContext, prev: Claim | None) -> str | None:
        """The next figure of a bare list takes the comparison said before the list's first
        figure: 分别达到780元、1010元 -> both at least (not a word after the first figure:
        10人以上、5人 says nothing of the 5)."""
        if prev is None or prev.qualifier not in ("ge", "gt", "le", "lt") or not x.in_list:
            return None
        if self._after_word(ctx.view, x.prev_end):
            return None
        return prev.qualifier

    def _is_target(self, x: Context, ctx: DocContext, prev: Claim | None) -> bool:
        # word-list patterns have no anchors: searching a range equals searching its slice
        m = self.target_clause.search(ctx.view, x.cs, x.s)
        while m is not None and (
            _in_quotes(ctx.view, x.cs, m.start())  # “银龄讲学计划” is a name
            or ctx.view.startswith(self.target_not, m.start())  # 争取上级资金: obtained
        ):
            m = self.target_clause.search(ctx.view, m.end(), x.s)
        lead = self.target_lead
        if m is not None or ctx.view.startswith(lead, x.ss) or ctx.view.startswith(lead, x.gs):
            return True
        seg_before = ctx.view[x.gs : x.s]
        if "到" in seg_before or "至" in seg_before or "年前" in seg_before or "底前" in seg_before:
            for m in self.target_to_year.finditer(seg_before):
                y = m.group(1) or m.group(2)
                # 到2020年底全县已有186所 in a plan for 2021—2025 (or written in 2021) looks back
                now = ctx.period_start or ctx.year
                if now is None or int(y) >= now:
                    return True
        # a plan's later figures: 规划建设23所学校，建筑面积68万平方米
        if (
            prev is not None
            and prev.qualifier == "target"
            and ctx.emitted
            and ctx.emitted[-1] >= x.gs
        ):
            return True
        if (
            prev is not None
            and prev.qualifier == "target"
            and ctx.emitted
            and ctx.emitted[-1] >= x.ss
            and ctx.view[x.gs - 1 : x.gs] in ("；", ";")
            and self.target_past.search(ctx.view, x.gs, x.s) is None
        ):
            # 将新建学校3所；年内完成校舍改造1.2万平方米: the plan of a sentence runs on
            # across its semicolons, until a clause looks back
            return True
        i = bisect_right(ctx.plan_starts, x.s) - 1
        return i >= 0 and x.s < ctx.plans[i][1]

    # ------------------------------------------------------------------ kind
    def kind(
        self, c: Candidate, x: Context, ctx: DocContext, qualifier: str, prev: Claim | None
    ) -> str:
        view = ctx.view
        if qualifier in ("le", "ge", "lt", "gt"):
            lo = x.bracket[0] if x.bracket else x.cs
            if self.k_threshold.search(view, lo, x.s) or _STANDARD_AFTER.match(x.post_local):
                return "threshold"  # 不低于国家规定的…, 高于85%的评估要求
            if x.bracket and self.k_threshold.search(view, max(x.cs, x.bracket[0] - 8), lo):
                return "threshold"  # 高于国家标准(不低于85%)
        if (
            qualifier in ("le", "ge", "lt", "gt")
            and prev is not None
            and prev.unit == c.unit
            and x.prev_end > x.gs
            and _ALL_WITHIN.fullmatch(x.pre_local)
        ):
            return "threshold"  # 依次为0.312、0.405…，均小于或等于0.50: the bound the list keeps
        if x.bracket and x.bracket[0] > 0:
            m_std = self.k_threshold.search(view, max(0, x.bracket[0] - 8), x.bracket[0])
            if m_std is not None and m_std.end() == x.bracket[0]:
                return "threshold"  # 高于省定标准（小学4.2人、初中5.3人）: the standard quoted
        if view.startswith(self.k_threshold_after, x.e):
            return "threshold"  # 56人以上大班额
        if c.unit != "count" and (
            _STANDARD_NAMED.match(x.post_local) or view.endswith(_STANDARD_BEFORE, x.cs, x.s)
        ):
            # 距国家标准2000元, 略高于国家规定的45人标准, 0.50的国家标准 (but 六项标准 counts
            # standards, and 规定的8项指标 counts indicators)
            return "threshold"
        if x.in_list and prev is not None and prev.unit == c.unit:
            # 分别增长4.2%和5.6%: the figures of a bare list are of one kind
            return prev.kind
        pre = x.pre_local
        if c.unit in ("percent", "percentage_point") and self.k_growth.search(view, x.cs, x.s):
            # 增长了3个百分点 is a rate's change, not a rate of growth
            return "growth_rate" if c.unit == "percent" else "change"
        if c.unit == "percent":
            post = x.post_local.removeprefix("以上").removeprefix("左右")  # 80%以上的乡村学校
            if self.k_share_before.search(view, x.cs, x.s) or self.k_share_after.match(post):
                return "share"
            tail_pre = pre.rstrip(self.q_skip + "近约逾超")  # 比上年增长近两成
            if tail_pre.endswith(
                ("增长", "增长了", "增幅", "增幅为", "增速", "增长率", "增长率为")
            ):
                return "growth_rate"
            if tail_pre.endswith(self.k_change_percent):
                return "change"
            return "level"
        if x.sep == "、":
            # 新建了县第三中学、城东小学等学校9所: a list of names after the verb, no figure
            # between them, is read from the verb on
            pre = self._list_head(x, ctx) + pre
        changes = list(self.k_change.finditer(pre))
        if changes:
            last = changes[-1]
            # a level cue after the verb cancels it (增加到, 新增…累计); one inside the verb's
            # own word does not (建成 in 新建成, 建成投用)
            lv = [
                m
                for m in self.k_level_after.finditer(pre)
                if m.start() >= last.end() or (m.start() <= last.start() and m.end() > last.end())
            ]
            return "level" if lv else "change"
        if self.k_level_after.search(pre):
            return "level"
        if _BUILT_AFTER.search(x.own_post.rstrip("。.!?！？\n ")):
            return "change"
        if (
            prev is not None
            and prev.kind == "change"
            and prev.unit == c.unit
            and ctx.view[x.prev_end : x.s].lstrip(" ,，").startswith("其中")
            and ctx.emitted
            and ctx.emitted[-1] >= x.ss
        ):
            return "change"  # 补充教师612名，其中音体美教师147名: an item of the change
        if (
            x.sep == "、"
            and prev is not None
            and prev.kind == "change"
            and ctx.emitted
            and ctx.emitted[-1] >= ctx.st.clause(x.cs - 1)[1]
        ):
            return "change"  # 新增学科带头人8名、骨干教师15名: the item before was a change
        if (
            prev is not None
            and prev.kind == "change"
            and x.prev_end > x.cs
            and _JOINED_ITEM.fullmatch(ctx.view, x.prev_end, x.s)
        ):
            return "change"  # 新建2座运动场和1座学校: an item joined to a change in its clause
        return "level"

    def _list_head(self, x: Context, ctx: DocContext) -> str:
        """The text of the 、-separated clauses before the figure's clause that hold no figure
        (a list of names said after the clause's verb), brackets blanked."""
        st = ctx.st
        ci = bisect_right(st.clause_starts, x.cs) - 1
        lo = x.cs
        while ci > 0 and st.clause_seps[ci] == "、":
            a = st.clause_starts[ci - 1]
            i = bisect_left(ctx.cand_starts, a)
            if i < len(ctx.cand_starts) and ctx.cand_starts[i] < lo:
                break  # that clause has a figure: a list of figures, not of names
            lo, ci = a, ci - 1
        return st.strip_brackets(lo, x.cs) if lo < x.cs else ""

    # ------------------------------------------------------------------ time
    def _markers(self, ctx: DocContext, gs: int, ge: int) -> list[tuple[int, int, str, str | None]]:
        """(start, end, type, value) time markers of a segment, cached by segment start."""
        hit = ctx.time_cache.get(gs)
        if hit is not None:
            return hit
        out: list[tuple[int, int, str, str | None]] = []
        for m in self.time_re.finditer(ctx.view, gs, ge):
            g = m.groups()
            text = m.group()
            if m.group("upto"):
                y = _first(_YEAR, text)
                typ = "upto" if m.group("upto") in ("截至", "截止", "截止到") else "to"
                out.append((m.start(), m.end(), typ, y))
            elif m.group("plan"):
                span = self.plans[m.group("plan")]
                mode = m.group("pmode") or ""
                if mode == "以来":
                    out.append((m.start(), m.end(), "since", span[:4]))
                elif mode in ("末", "期末"):
                    out.append((m.start(), m.end(), "year", span[-4:]))
                elif mode == "初":
                    out.append((m.start(), m.end(), "year", span[:4]))
                else:
                    out.append((m.start(), m.end(), "range", span))
            elif m.group("now"):
                year = str(ctx.year) if ctx.year else None
                if m.group("now") in ("全年", "年内", "本年") and out and out[-1][2] == "year":
                    year = out[-1][3]  # 2022年…取得成效：全年教育支出… is that year's
                out.append((m.start(), m.end(), "now", year))
            elif m.group("last"):
                out.append((m.start(), m.end(), "year", str(ctx.year - 1) if ctx.year else None))
            elif m.group("event"):
                out.append((m.start(), m.end(), "since", self.events[m.group("event")]))
            elif m.group("window"):  # 三年累计 / 三年内: the last three years, or the next
                n = _small_int(m.group("window"))
                out.append((m.start(), m.end(), "window", str(n) if n else None))
            elif m.group("running"):  # 连续三年保持在95%以上: the last three years
                n = _small_int(m.group("running"))
                out.append((m.start(), m.end(), "last", f"last {n} years" if n else None))
            elif m.group("ago"):  # 三年来: the last three years
                n = _small_int(m.group("ago"))
                out.append((m.start(), m.end(), "last", f"last {n} years" if n else None))
            elif ctx.view[max(0, m.start() - 1) : m.start()] in ("较", "比", "与", "同"):
                continue  # 较2020年提高15个百分点: a base of comparison, not the figure's time
            elif ctx.view[max(0, m.start() - 1) : m.start()] in ("是", "为") and _MULTIPLE_OF.match(
                ctx.view, m.end()
            ):
                continue  # 是2018年的1.8倍: the base of a multiple
            elif "以来" in text or "至今" in text or text.endswith(("来", "起")):
                y = _first(_YEAR, text)
                out.append((m.start(), m.end(), "since", y))
            elif text.startswith(("近", "最近", "过去")):
                n = _small_int(_first(r"(\d+|[一二两三四五六七八九十]+)", text))
                if n == 1 and text.startswith("过去") and ctx.year:
                    # 过去一年 in a speech or report: the year before the document's
                    out.append((m.start(), m.end(), "year", str(ctx.year - 1)))
                    continue
                out.append((m.start(), m.end(), "last", f"last {n} years" if n else None))
            elif text.startswith(("未来", "今后")):
                n = _small_int(_first(r"(\d+|[一二两三四五六七八九十]+)", text))
                out.append((m.start(), m.end(), "next", f"next {n} years" if n else None))
            else:
                ys = re.findall(_YEAR, text)
                if len(ys) == 2:
                    out.append((m.start(), m.end(), "range", f"{ys[0]}-{ys[1]}"))
                elif ys:
                    out.append((m.start(), m.end(), "year", ys[0]))
            del g
        ctx.time_cache[gs] = out
        return out

    def _head_year(self, ctx: DocContext, ss: int) -> str | None:
        """The year a sentence opens with (2023年，全市… / 据统计，2023年…), or None."""
        if ss in ctx.head_years:
            return ctx.head_years[ss]
        lead = _sentence_lead(ctx.view, ss)
        first = self._markers(ctx, ss, ctx.st.segment(ss)[2])[:1]
        year = None
        if (
            first
            and first[0][0] <= ss + lead
            and first[0][2] == "year"
            and not ctx.view.startswith("的", first[0][1])
        ):
            year = first[0][3]
        ctx.head_years[ss] = year
        return year

    def _paragraph_year(self, x: Context, ctx: DocContext, qualifier: str) -> str | None:
        """For a figure whose sentence says no time: the year an earlier sentence of its
        paragraph opened with (2023年，全市教育支出68.47亿元…。义务教育生均…小学13862元), or
        the lead-in paragraph's before a list (2024年，我市将…：\n一是…). A sentence that opens
        with another time, or a heading, ends the search; a plan does not take a past year.
        Each step's answer is kept per (sentence, paragraphs crossed), so a long paragraph is
        walked once, not once per figure."""
        st = ctx.st
        i, hops = bisect_right(st.sent_starts, x.ss) - 1, 0
        chain: list[tuple[int, int]] = []
        y: str | None = None
        while True:
            key = (i, hops)
            if key in ctx.carried_years:
                y = ctx.carried_years[key]
                break
            chain.append(key)
            if i <= 0:
                break
            s0, ps = st.sent_starts[i - 1], st.paragraph(st.sent_starts[i])[1]
            if s0 < ps:
                # the paragraph before runs on into this one where it is a lead-in (ends with a
                # colon) or this one is an item of a list (一是… / （二）… / 3.…)
                item = _ITEM_LEAD.match(ctx.view, ps) is not None
                if hops >= 12 or not (item or _colon_before(ctx.view, ps)):
                    break
                hops += 1
            if _in_heading_line(st, s0):
                break
            y = self._head_year(ctx, s0)
            if y is not None:
                break
            ms = self._markers(ctx, s0, st.segment(s0)[2])
            if ms and ms[0][0] <= s0 + 2:
                break  # 近三年来，… : another time opens this sentence
            i -= 1
        for key in chain:
            ctx.carried_years[key] = y
        if y is not None and qualifier == "target" and ctx.year is not None and int(y) < ctx.year:
            return None
        return y

    def time(
        self, c: Candidate, x: Context, ctx: DocContext, kind: str, qualifier: str = "eq"
    ) -> str | None:
        if kind == "threshold":
            return None
        view = ctx.view
        if view.endswith(self.previous_words, max(x.cs, x.s - 2), x.s) or (
            x.s > 0 and view[x.s - 1] == "原"
        ):
            return None
        ms = [mk for mk in self._markers(ctx, x.gs, x.ge) if mk[1] <= x.s]
        years = [mk for mk in ms if mk[2] in ("year", "to")]
        # 从A增长到B: the clause's own from/to numbers take the from/to years said before it
        # in the sentence (小学由2022年的850元提高到2023年的950元；初中由1050元提高到1150元)
        clause_ms = [mk for mk in ms if mk[0] >= x.cs]
        if not clause_ms and len(years) < 2 and x.gs > x.ss:
            starts = ctx.st.seg_starts
            prior = []
            for k in range(bisect_right(starts, x.ss) - 1, len(starts)):
                g = starts[k]
                if g >= x.gs:
                    break
                if g >= x.ss:
                    prior += self._markers(ctx, g, starts[k + 1])
            if len([mk for mk in prior if mk[2] in ("year", "to")]) >= 2 and re.search(
                "[从由]", view[x.cs : x.s]
            ):
                years = [mk for mk in prior if mk[2] in ("year", "to")]
        if not ms and x.gs > x.ss:
            # 2022年全县教育经费总投入8.65亿元…；其中财政性教育经费7.9亿元: a time said in the
            # sentence's first clause holds for the whole sentence
            lead = _sentence_lead(ctx.view, x.ss)
            first_seg = self._markers(ctx, x.ss, ctx.st.segment(x.ss)[2])
            head = [
                mk
                for mk in first_seg
                if mk[0] <= x.ss + lead and not ctx.view.startswith("的", mk[1])
            ]
            if not head:
                # 深化…改革，2022年全县交流轮岗教师426名…；其中骨干教师98名: a year that opens
                # the clause of the sentence's first figure sets the sentence's time too
                first = ctx.cand_starts[bisect_left(ctx.cand_starts, x.ss)]
                fc = ctx.st.clause(first)[1]
                head = [
                    mk
                    for mk in first_seg
                    if mk[2] == "year"
                    and fc <= mk[0] < first
                    and not ctx.view[fc : mk[0]].strip(" ,，")
                    and not ctx.view.startswith("的", mk[1])
                ]
            if head:
                ms = head[:1]
        if not ms and len(years) < 2:
            carried = self._paragraph_year(x, ctx, qualifier)
            if carried is not None:
                return carried
            return ctx.dated_year  # 2023年教育事业发展统计公报: its figures are that year's
        if not clause_ms and len(years) >= 2:
            clause = view[x.cs : x.ce]
            k_from = max(clause.find("从"), clause.find("由"))
            k_to = max(
                (
                    clause.find(w)
                    for w in (
                        "增长到",
                        "提高到",
                        "提升到",
                        "增长至",
                        "提高至",
                        "提升至",
                        "增至",
                        "到",
                        "至",
                    )
                ),
                default=-1,
            )
            rel = x.s - x.cs
            if k_from >= 0 and k_to > k_from:
                return years[-2][3] if rel < k_to else years[-1][3]
        if kind == "growth_rate":
            distinct = sorted({mk[3] for mk in years if mk[3]})
            near = ms[-1]
            if len(distinct) >= 2 and near[2] in ("year", "to"):
                return f"{distinct[0]}-{distinct[-1]}"
        if not ms:
            return None
        # 由2021年的8.6%下降到2.1%: a year followed by 的 qualifies the next figure only
        while (
            ms
            and ctx.view.startswith("的", ms[-1][1])
            and any(ms[-1][1] < p < x.s for p in ctx.emitted)
        ):
            ms = ms[:-1]
        if not ms:
            return None
        mk = ms[-1]
        if mk[2] == "since":
            return f"since {mk[3]}"
        if mk[2] == "window":  # 三年累计招聘418名 / 计划三年内补充60名
            if mk[3] is None:
                return None
            return f"{'next' if qualifier == 'target' else 'last'} {mk[3]} years"
        return mk[3]

    # ------------------------------------------------------------------ region
    def region(self, x: Context, ctx: DocContext, kind: str) -> str | None:
        if kind == "threshold" and re.search("国家|全国", ctx.view[x.gs : x.s]):
            return "全国"
        found = ctx.region
        for s, e, name in ctx.switches:  # by start: the latest switch holding x wins
            if s > x.s:
                break
            if x.s < e:
                found = name
        own = x.own_pre.rstrip()
        m = _OWN_PLACE.search(own) if own and own[-1] in "区县市旗" else None
        if m and m.group(1) in ctx.place_names and not x.in_cell:
            return m.group(1)  # 分别为：东陵区92.6%、石门县88.3%
        k = ctx.view.rfind("分别", x.gs, x.s) if not x.in_cell else -1
        if k >= 0:
            # 东坡县、西岭县未达标学校分别为3所、5所: the places listed before 分别 map onto
            # the figures after it, one each
            names = self._respective_places(ctx, k)
            if not names:
                # 在校生分别为…: a second list of the sentence, for the places of the first
                k0 = ctx.view.rfind("分别", x.ss, k)
                if k0 >= 0:
                    names = self._respective_places(ctx, k0)
            if names:
                # the figures of the list after 分别: up to the next clause mark that is no
                # list mark (…分别为5200元、5600元，均低于6000元的标准 has two)
                m_end = _LIST_END.search(ctx.view, k + 2, x.ge)
                end = m_end.start() if m_end else x.ge
                after = _starts_within(ctx.cand_starts, k, end)
                if x.s < end and len(after) == len(names):
                    return names[sum(1 for p in after if p < x.s)]
        if ctx.place_re is not None and not x.in_cell:
            # 丹霞县初中…差异系数达到零点五二；松溪区小学…为零点四八: a place that opens the
            # figure's clause, or else its segment, is what the figure is about
            ci = bisect_right(ctx.st.clause_starts, x.cs) - 1
            opens = [x.gs] if ci >= 0 and ctx.st.clause_seps[ci] == "、" else [x.cs, x.gs]
            for a in opens:  # a clause after 、 is an item of a list, not a new subject
                m_lead = _CLAUSE_LEAD.match(ctx.view, a)
                p = m_lead.end() if m_lead else a
                m_p = ctx.place_re.match(ctx.view, p)
                while m_p is not None:  # 常州市溧阳市: the most specific of a run of names
                    m_next = ctx.place_re.match(ctx.view, m_p.end())
                    if m_next is None:
                        break
                    m_p = m_next
                if m_p is not None and p < x.s and not _NOT_AFTER_PLACE.match(ctx.view, m_p.end()):
                    return m_p.group()
        return found

    def _respective_places(self, ctx: DocContext, k: int) -> list[str]:
        """The places named as a list (东坡县、西岭县) in the clause before the 分别 at ``k``;
        empty unless two or more stand there joined by list marks only."""
        hit = ctx.respective_places.get(k)
        if hit is None:
            _, gs, _ = ctx.st.segment(k)
            text = ctx.view[gs:k]
            text = text[max(text.rfind(c) for c in "，,；;。：:\n") + 1 :]  # 、 joins the list
            hit, end = [], -1
            # the document's names, longest first at each place (岚县 inside 青岚县 is skipped)
            for m in ctx.place_re.finditer(text) if ctx.place_re is not None else ():
                if hit and not _PLACE_JOIN.fullmatch(text, end, m.start()):
                    hit = []  # not one list: start again from this place
                hit.append(m.group())
                end = m.end()
            if len(hit) < 2:
                hit = _shaped_place_list(text)
            ctx.respective_places[k] = hit
        return hit

    # ------------------------------------------------------------------ level
    def bare_subject(self, subject: str) -> bool:
        """Whether a subject names nothing but a stage or an area (初中, 农村小学, ""): the item
        of a list whose measure is said once for all its items."""
        rest = self.level_re.sub("", subject)
        rest = self.area_re.sub("", rest) if rest else rest
        rest = self.generic_re.sub("", rest) if rest else rest
        rest = _COUNT_WORD.sub("", rest) if rest else rest
        return len(rest.strip(" ,，、")) < 2

    def _level_text(self, text: str) -> str:
        """``text`` as the stage readers see it: 其中 is no 中 of a stage word, and the stage
        words of school names in a list (城东小学、县第三中学等学校9所) are blanked."""
        text = text.replace("其中", "其 ")
        if "小学" not in text and "初中" not in text and "中学" not in text:
            return text  # no stage word that can end a school's name
        if "等" not in text and "所学校" not in text and "、" not in text:
            return text
        chars: list[str] | None = None
        for h in self.level_re.finditer(text):
            if h.group() not in _SCHOOL_STAGES:
                continue  # 中小学, 义务教育: never the end of a school's name
            before = text[max(0, h.start() - 2) : h.start()]
            if len(before) < 2 or not _CJK2.match(before) or before in self.stage_modifiers:
                continue  # 全县小学, 中小学, 、初中: the stage itself
            m = _NAMES_AFTER.match(text, h.end())
            if m is None:
                continue
            if m.end() == len(text) and "、" not in text[max(0, h.start() - 16) : m.end()]:
                continue  # at the end of the words before a figure: only a list of names
            if chars is None:
                chars = list(text)
            for k in range(h.start(), h.end()):
                chars[k] = " "
        return text if chars is None else "".join(chars)

    def _last_level(self, text: str) -> str | None:
        text = self._level_text(text)
        hits = list(self.level_re.finditer(text))
        if not hits:
            return None
        last = hits[-1]
        if len(hits) >= 2 and _COORD.fullmatch(text, hits[-2].end(), last.start()):
            # 小学、初中各项…: two stages named together speak of both
            return combine_levels(
                self.level_terms[hits[-2].group()], self.level_terms[last.group()]
            )
        return self.level_terms[last.group()]

    def _segment_levels(self, ctx: DocContext, gs: int, ge: int) -> _LevelHits:
        hit = ctx.level_cache.get(gs)
        if hit is None:
            text = self._level_text(ctx.st.strip_brackets(gs, ge))
            hits = []
            prev: re.Match[str] | None = None
            for m in self.level_re.finditer(text):
                lv = self.level_terms[m.group()]
                if prev is not None and _COORD.fullmatch(text, prev.end(), m.start()):
                    lv = combine_levels(self.level_terms[prev.group()], lv)
                item = bool(self._ITEM.match(text, m.end()))
                # 其中新建城区小学2所，竣工校舍面积…: the stage of a 其中 item is that item's only
                k = max(text.rfind(mark, 0, m.start()) for mark in "，,；;。")
                sub = item and "其 " in text[k + 1 : m.start()]
                hits.append((gs + m.end(), lv, item, sub))
                prev = m
            hit = ctx.level_cache[gs] = _LevelHits(hits)
        return hit

    _ITEM = re.compile(r"(?:学校|阶段|部)?\s?[\d一二三四五六七八九十两]")

    def _mask_breakdown(self, text: str) -> str:
        """Blank out the stage words of a breakdown list (小学29所、初中17所): each names its own
        figure, so none of them is the stage of a figure that follows the list."""
        text = self._level_text(text)
        items = [m for m in self.level_re.finditer(text) if self._ITEM.match(text, m.end())]
        if len({self.level_terms[m.group()] for m in items}) < 2:
            return text
        chars = list(text)
        for m in items:
            for k in range(m.start(), m.end()):
                chars[k] = " "
        return "".join(chars)

    def _first_level(self, text: str) -> str | None:
        m = self.level_re.search(self._level_text(text))
        return self.level_terms[m.group()] if m else None

    def level(
        self,
        c: Candidate,
        x: Context,
        ctx: DocContext,
        default_level: str | None,
        done: list[Claim],
    ) -> str:
        view, st = ctx.view, ctx.st
        k = view.rfind("分别", x.gs, x.s)
        if k >= 0:
            # 小学、初中…分别为A、B: the stages named before 分别 map onto the figures after it
            terms = self._stages_before(st, x.gs, k)
            after = _starts_within(ctx.cand_starts, k, x.ge)
            idx = sum(1 for p in after if p < x.s)
            if not terms and x.gs > x.ss:
                # 小学、初中…分别为A、B；…数分别为C、D: a later 分别 of the sentence that names
                # no stage keeps the stages of the one before, for as many figures
                k0 = view.rfind("分别", x.ss, x.gs)
                if k0 >= 0:
                    earlier = self._stages_before(st, st.segment(k0)[1], k0)
                else:
                    # 小学为1.08人,初中为1.02人;差异系数分别为0.287和0.231: the stages the
                    # segment before named, in their order
                    earlier = self._stages_before(st, st.segment(x.gs - 1)[1], x.gs)
                if len(earlier) == len(after):
                    terms = earlier
            if len(terms) >= 2 and len(after) >= 2:
                terms = terms[-len(after) :] if len(terms) >= len(after) else terms
                if len(after) > len(terms):
                    # 分别低于0.65和0.55…，较认定时的0.512和0.433: each pair of figures joined by
                    # 和/、 repeats the stages (the last ones named, as many as the pair has)
                    group, at = self._figure_group(x, ctx)
                    if 2 <= len(group) <= len(terms) and len(after) % len(group) == 0:
                        terms, idx = terms[-len(group) :], at
                if idx < len(terms):
                    return terms[idx]
        if x.bracket is None and not _any_within(ctx.level_spans, x.gs, x.ge):
            # no stage word in the segment (everything read below lies in it): the figure
            # takes the stage its indicator implies, or the headings', or the document's
            return default_level or self._heading_level(ctx, x.s)
        if not x.in_cell:
            # 22所公办小学、9所公办初中: a figure whose own words name a stage right after its
            # counter is of that stage, whatever the clause before said
            lv = _first_stage_after(self, view[x.e : min(x.ge, x.e + 12)])
            if lv:
                return lv
        clause_pre = x.pre_clean
        if x.sep == "、" and x.bracket is None:
            # 区内小学、初中各项…: a stage named alone in the clause before is coordinated
            _, pcs, _ = st.clause(x.cs - 1)
            clause_pre = st.strip_brackets(pcs, x.cs) + clause_pre
        lv = self._last_level(clause_pre) or self._first_level(x.own_post)
        if lv:
            return lv
        if default_level:
            return default_level
        if x.bracket is not None and x.bracket[0] < x.s:
            # 幼儿园82所（乡69所）: a figure in brackets belongs to the item before the bracket
            _, bcs, _ = st.clause(x.bracket[0])
            lv = self._last_level(st.strip_brackets(bcs, x.bracket[0]))
            if lv:
                return lv
        if x.bracket is None:
            lv = self._segment_levels(ctx, x.gs, x.ge).last_before(x.s)
            carriers = self.carry_terms.get(lv or "")
            if (
                carriers is not None
                and self._last_level(view[x.cs : x.s]) != lv
                and not any(w in view[x.gs : x.s] for w in carriers)
            ):
                lv = None  # 残疾儿童少年入学率…，随迁子女…比例: a population's stage stays in its clause
        else:
            before = st.strip_brackets(x.gs, x.s, keep=x.s)
            lv = self._last_level(self._mask_breakdown(before))
        if lv:
            return lv
        return self._heading_level(ctx, x.s)

    @staticmethod
    def _figure_group(x: Context, ctx: DocContext) -> tuple[list[int], int]:
        """The figures joined to this one by list marks only (0.512和0.433), and its place."""
        starts, ends, view = ctx.cand_starts, ctx.cand_ends, ctx.view
        i = bisect_left(starts, x.s)
        lo = hi = i
        while lo > 0 and view[ends[lo - 1] : starts[lo]].strip() in _LIST_MARKS:
            lo -= 1
        while hi + 1 < len(starts) and view[ends[hi] : starts[hi + 1]].strip() in _LIST_MARKS:
            hi += 1
        return starts[lo : hi + 1], i - lo

    def _stages_before(self, st: Structure, start: int, end: int) -> list[str]:
        """The stages named in ``[start, end)`` (brackets blanked), repeats in a row merged."""
        head = self._level_text(st.strip_brackets(start, end))
        terms = [self.level_terms[m.group()] for m in self.level_re.finditer(head)]
        return [t for i, t in enumerate(terms) if i == 0 or t != terms[i - 1]]

    def _heading_level(self, ctx: DocContext, pos: int) -> str:
        """The stage named by the nearest numbered heading above ``pos`` that names one, else
        the document's scope, else all."""
        for h in reversed(ctx.st.active_headings(pos)):
            if 0 < h.rank < 5:
                lv = ctx.heading_levels.get(h.start, "")
                if lv == "":
                    lv = ctx.heading_levels[h.start] = self._last_level(h.text)
                if lv:
                    return lv
        if ctx.scope_level and not ctx.headings_have_stage:
            return ctx.scope_level
        return "all"

    # ------------------------------------------------------------------ area
    def _area_in(self, text: str) -> str | None:
        found = {self.area_of[m.group()] for m in self.area_re.finditer(text)}
        if not found:
            return None
        if "mixed" in found or len(found) > 1:
            return "mixed"
        return found.pop()

    def area(self, x: Context, ctx: DocContext) -> str | None:
        # every text read below lies in the claim's sentence, and an area word never spans a
        # sentence mark: no area word in the sentence, no area
        k = bisect_left(ctx.area_hits, x.ss)
        if k == len(ctx.area_hits) or ctx.area_hits[k] >= x.se:
            return ctx.scope_area  # a report on 乡村教师 speaks of rural figures throughout
        st = ctx.st
        own = x.pre_clean
        if x.prev_end > x.cs and not x.in_cell:
            # a later figure of the clause: the clause's head before its first figure, and its
            # own words (落实到11个乡镇和19个县直部门: 乡镇 is the first item's)
            first = ctx.cand_starts[bisect_left(ctx.cand_starts, x.cs)]
            own = st.strip_brackets(x.cs, first, keep=x.s) + " " + x.own_pre
        # 22所小学中城区学校9所: what follows 中 is a part of the figure, not its area
        post = _AMONG.split(x.post_local, maxsplit=1)[0]
        for text in (own, post):
            a = self._area_in(text)
            if a:
                return None if a == "mixed" else a
        if x.sep == "、":
            _, ps, pe = st.clause(x.cs - 1)
            a = self._area_in(st.strip_brackets(ps, pe))
            if a:
                return None if a == "mixed" else a
        # the sentence's topic: 推进农村学校改薄工程，…投入3.5亿元 — an area word on an
        # education noun (乡村学校, 农村教师), not a bare place word (辖12个乡镇), said in a
        # clause with no figure (其中农村学校61所，召开座谈会32场: that clause is an item)
        lo = x.ss
        if x.gs > x.ss:  # a segment that opens a new item (；同时推行…, ；二是…) starts afresh
            starts = st.seg_starts
            for k in range(bisect_right(starts, x.gs) - 1, bisect_right(starts, x.ss) - 1, -1):
                if _NEW_ITEM.match(ctx.view, starts[k]):
                    lo = starts[k]
                    break
        before = st.strip_brackets(lo, x.cs, keep=x.s)
        if self.area_mixed_re.search(before):
            return None
        found: set[str] = set()
        for m in self.area_topic_re.finditer(before):
            _, c0, c1 = st.clause(lo + m.start())
            i = bisect_left(ctx.cand_starts, c0)
            if i == len(ctx.cand_starts) or ctx.cand_starts[i] >= c1:
                found.add(self.area_of[m.group(1)])
        if len(found) == 1 and "mixed" not in found:
            return found.pop()
        return ctx.scope_area

    # ------------------------------------------------------------------ subject
    _TIME = re.compile(
        r"(?:截至|截止|到|至|由|从)?(?:19|20)\d{2}\s*年(?:\d{1,2}月)?(?:底|末|初|度|秋季|春季)?(?:的|以来|至今)?"
        r"|“?十[一二三四五]五”?(?:以来|期间|时期|末)?|(?:近|最近)\d+年来?|(?:近|最近)[一二三四五六七八九十]+年来?"
    )
    _LEAD = re.compile(
        r"^(?:[,，、;；:：\s]|截至|截止|目前|现有|其中|全市|全区|全县|全省|全镇|我市|我区|我县|我省|本市|本区|本县|"
        r"共有|共|已有|已|近年来|同时|另外|此外|先后|累计|每年|今年|去年|当年|年内|建有|拥有|有)+"
    )

    def _strip_trail(self, text: str) -> str:
        """``trail_re.sub("", text)``, skipped when the text cannot end in one of its words (the
        anchored pattern would otherwise be tried at every position)."""
        t = text[:-1] if text.endswith("\n") else text
        if not t or t[-1] not in self.trail_last:
            return text
        return self.trail_re.sub("", text)

    _VERBS_ONLY = re.compile(
        r"^(?:增长|提高|提升|增加|下降|降低|减少|增至|达到|达|为|到|至|了|的)*$"
    )

    def subject(self, x: Context, prev: Claim | None = None, same_segment: bool = False) -> str:
        pre = x.own_pre
        if "(" in pre or "（" in pre:
            pre = _BRACKETED.sub("", pre)
        if "年" in pre or "五" in pre:  # every form of _TIME has one of them
            pre = self._TIME.sub("", pre)
        if "分别" in pre:  # 分别新建学校: an adverb of the list, not the measure's words
            pre = pre.replace("分别", "")
        pre = self._LEAD.sub("", pre.strip())
        pre = self._strip_trail(pre).strip(' ,，、“”"')
        if len(pre) >= 2 and not self._VERBS_ONLY.match(pre):
            return pre[-40:]
        own_post = x.own_post
        if own_post.startswith("的") and not pre:
            # 80%的学校达到标准, 三分之二的教师: the figure qualifies the noun after it
            own_post = own_post[1:]
        post = _CLAUSE_MARK.split(own_post, maxsplit=1)[0]
        post = _LEADING_HEDGE.sub("", post)
        post = self._strip_trail(post.strip(' ,，、“”"'))
        if (
            prev is not None
            and same_segment
            and prev.subject
            and self._VERBS_ONLY.match(pre)
            and (pre or len(post) < 2)
        ):
            # 分别为45人、50人 / 增长到8.93亿元: the figure shares the measure before it, unless
            # its own words follow it (8所普通高中均为…)
            return prev.subject
        return (post or pre)[:40]

    # ------------------------------------------------------------------ indicator
    def indicator(self, claim: Claim, x: Context, ctx: DocContext) -> tuple[str, str | None]:
        value = claim.value if claim.value is not None else claim.value_high
        return _linker().link(claim.unit, claim.kind, x, ctx, value)


_ITEM_LEAD = re.compile(
    r"[ \t\u3000]*(?:[一二三四五六七八九十]+是|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．](?!\d))"
)


def _sentence_lead(view: str, ss: int) -> int:
    """How many characters open the sentence at ``ss`` before its content: spaces, 在/于, a
    discourse lead (据介绍，) or a self-reference (全县/我市)."""
    head_text = view[ss : ss + 12]
    lead = len(head_text) - len(head_text.lstrip(" \t\u3000在于"))
    m_lead = _DISCOURSE_LEAD.match(head_text) or _PLACE_LEAD.match(head_text)
    return m_lead.end() if m_lead else lead  # 据介绍，2023年全市… / 全县现有…


def _colon_before(view: str, pos: int) -> bool:
    """Whether the last non-space character before ``pos`` is a colon (a lead-in line)."""
    j = pos - 1
    while j >= 0 and view[j].isspace():
        j -= 1
    return j >= 0 and view[j] in "：:"


def _in_heading_line(st, pos: int) -> bool:
    """Whether ``pos`` lies in a heading's own words (（一）经费保障。 of a paragraph that runs
    on after its label, or a title line)."""
    i = bisect_right(st.heading_starts, pos) - 1
    if i < 0:
        return False
    h = st.headings[i]
    if not (h.start <= pos < h.end):
        return False
    k = st.text.find(h.text, h.start, h.end)
    return k < 0 or pos < k + len(h.text)


def _starts_within(starts: list[int], a: int, b: int) -> list[int]:
    """The sorted ``starts`` in [a, b), by bisection (a scan of all would cost each claim the
    whole document's candidates)."""
    return starts[bisect_left(starts, a) : bisect_left(starts, b)]


def _shaped_place_list(text: str) -> list[str]:
    """The names of a list of place-shaped words that opens ``text`` (东坡县、西岭县…), none of
    them generic (城区, 全县); empty where there is no such list."""
    m = _PLACE_LIST.match(text)
    if m is None:
        return []
    names = re.split("[、和及与]", m.group(1))
    if any(places.GENERIC.search(n) for n in names):
        return []
    return names


def _any_within(spans: tuple[list[int], list[int]], a: int, b: int) -> bool:
    """Whether one of the sorted, non-overlapping spans overlaps ``[a, b)``. A word that a scan
    of a slice finds overlaps a word of the whole text's scan, so "no" here is safe."""
    starts, ends = spans
    i = bisect_right(ends, a)
    return i < len(starts) and starts[i] < b


def _first_stage_after(reader: AttributeReader, own_post: str) -> str | None:
    """The stage word that a figure's own words start with, after at most a two-character
    modifier (9所公办初中, 12所初中)."""
    m = reader.level_re.search(own_post, 0, 8)
    if m is None or m.start() > 2 or _NOT_WORD.search(own_post, 0, m.start()):
        return None
    lv = reader.level_terms[m.group()]
    c = _COORD.match(own_post, m.end())
    if c is not None:  # 四年级、八年级学生: both stages
        m2 = reader.level_re.match(own_post, c.end())
        if m2 is not None:
            lv = combine_levels(lv, reader.level_terms[m2.group()])
    return lv


def _in_quotes(view: str, lo: int, pos: int) -> bool:
    """Whether ``pos`` sits inside a quotation or title opened after ``lo`` (“银龄讲学计划”)."""
    return view.count("“", lo, pos) > view.count("”", lo, pos) or view.count(
        "《", lo, pos
    ) > view.count("》", lo, pos)


def _in_relative(pre: str, k: int) -> bool:
    """Whether the cue at ``pre[k]`` sits in a clause that describes a noun, not the figure:
    in 达到要求的小学18所 a noun (小学) stands between the cue's 的 and the figure; in
    达到国家规定的0.50 nothing does, and the figure is what is reached."""
    d = pre.rfind("的", k)
    return d >= 0 and _NOUN_AFTER_DE.search(pre, d + 1) is not None


def _first(pattern: str, text: str) -> str:
    """Group 1 of the first match of ``pattern``, which the caller knows to be in ``text``."""
    m = re.search(pattern, text)
    if m is None:
        raise ValueError(f"{pattern!r} not in {text!r}")
    return m.group(1)


def _small_int(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    from junheng.extract.numerals import NumeralError, parse_cn

    try:
        return int(parse_cn(s))
    except NumeralError:
        return None


class Linker:
    """Scores every ontology link rule against the claim's context; best rule wins.

    All rule terms are compiled into one trie pattern; ``scan`` reports the longest term starting
    at every position (overlaps included). Each segment is scanned once, and a claim's own
    words, clause tail and the segment before it become sets of terms by bisection.
    """

    def __init__(self) -> None:
        from junheng.indicators.ontology import load

        cues = datafiles.load("cues.yaml")
        # a measure word with a noun of its own in front (评估的比例), not one that refers back
        # to what was just named (学校24所，占比达到98.5%)
        self.own_measure = re.compile(
            "[\u4e00-\u9fff]{2}(?:" + trie_pattern(cues["indicator"]["own_measure"]) + ")"
        )

        self.onto = load()
        self.by_unit: dict[str, list] = {}
        terms: set[str] = set()
        for ind in self.onto.all():
            for r in ind.links:
                for u in r.units:
                    self.by_unit.setdefault(u, []).append((ind, r))
                terms.update(r.any)
                terms.update(r.all)
                terms.update(r.none)
        terms.discard("")
        self.term_re = re.compile(trie_pattern(terms)) if terms else None
        # the resource indicators a coefficient can be about, longest name first, each with
        # the words its rule needs besides (每百名学生 names the computers only with 计算机)
        self._about_terms = sorted(
            (
                (t, ind.id, tuple(r.all))
                for ind in self.onto.all()
                if ind.group in self.ABOUT_GROUPS and ind.unit != "percent"
                for r in ind.links
                for t in r.any
            ),
            key=lambda p: -len(p[0]),
        )
        # a term found also stands for every shorter term inside it that starts later
        self.sub_terms = {t: frozenset(u for u in terms if u != t and u in t) for t in terms}
        # a term with every shorter term inside it: what one occurrence stands for
        self.expanded = {t: self.sub_terms[t] | {t} for t in terms}
        # rules reachable from a term (rules without `any` terms are always candidates)
        self.by_unit_term: dict[str, dict[str, list]] = {}
        self.always: dict[str, list] = {}
        self.masks: dict[int, tuple[str, ...]] = {}
        self.any_sets: dict[int, frozenset[str]] = {}
        self.order: dict[int, int] = {}
        self.unit_terms: dict[str, frozenset[str]] = {}
        for unit, rules in self.by_unit.items():
            idx: dict[str, list] = {}
            for pair in rules:
                r = pair[1]
                self.order.setdefault(id(r), len(self.order))
                self.masks[id(r)] = tuple(t for t in r.any if any(n in t for n in r.none))
                self.any_sets[id(r)] = frozenset(r.any)
                if r.any:
                    for t in r.any:
                        idx.setdefault(t, []).append(pair)
                else:
                    self.always.setdefault(unit, []).append(pair)
            self.by_unit_term[unit] = idx
            self.unit_terms[unit] = frozenset(idx)

    def scan(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, str]]:
        """(end offset, term) of every term occurrence in ``text[start:end]``: the longest term
        at each position, overlaps included (a search again from the next character, which lets
        ``re`` skip to the terms' first characters; a look-ahead pattern could not). Offsets
        are those of ``text``; the pattern has no anchors, so a range reads like a slice."""
        if self.term_re is None:
            return []
        end = len(text) if end is None else end
        out = []
        search = self.term_re.search
        m = search(text, start, end)
        while m is not None:
            out.append((m.end(), m.group()))
            m = search(text, m.start() + 1, end)
        return out

    def _set(self, hits: list[tuple[int, str]]) -> set[str]:
        out: set[str] = set()
        for _, t in hits:
            if t not in out:
                out |= self.expanded[t]
        return out

    ABOUT_GROUPS = ("resource_allocation", "resource_allocation_2012")

    def _label_terms(self, x: Context, ctx: DocContext) -> frozenset[str]:
        """The terms of a paragraph's label sentence ((四)生均教学及辅助用房面积。) for the
        figures of the sentences after it; empty where the paragraph opens otherwise."""
        _, ps, _ = ctx.st.paragraph(x.s)
        hit = ctx.label_cache.get(ps)
        if hit is None:
            _, s0, e0 = ctx.st.sentence(ps)
            hit = frozenset()
            if e0 - s0 <= 40 and _LABEL_LEAD.match(ctx.view, ps):
                hit = frozenset(self._set(self.scan(ctx.view, s0, e0)))
            ctx.label_cache[ps] = hit
        if hit and x.ss == ctx.st.sentence(ps)[1]:
            return frozenset()  # the label's own sentence reads its words as usual
        return hit

    def about(self, x: Context, ctx: DocContext) -> str | None:
        """For a coefficient: the resource indicator named in its own words or clause
        (小学生均体育运动场馆面积差异系数为0.531 -> sports_area_per_student)."""
        # the segment's words before it: a name like 体育、艺术 spans clause marks, and a
        # standard quoted after a figure (…为0.531，达到小于或等于0.50的标准) is about the same
        lo = x.s if x.in_cell else x.gs
        text = ctx.view[lo : x.s] + " " + x.own_pre + " " + x.own_post + " " + x.tail
        for term, ind_id, needs in self._about_terms:
            if term in text and all(w in text for w in needs):
                return ind_id
        return None

    def link(
        self, unit: str, kind: str, x: Context, ctx: DocContext, value: float | None = None
    ) -> tuple[str, str | None]:
        rules = self.by_unit.get(unit)
        if not rules:
            return "other", None
        if x.in_cell:
            own_terms = self._set(self.scan(x.own_pre + " " + x.own_post))
            near = own_terms | self._set(self.scan(x.tail))
            far = near
        else:
            seg = ctx.term_cache.get(x.gs)
            if seg is None:
                seg = _SegTerms(self, self.scan(ctx.view, x.gs, x.ge))
                ctx.term_cache[x.gs] = seg
            label = self._label_terms(x, ctx)
            if (
                not self.always.get(unit)
                and seg.upto(x.ge).isdisjoint(self.unit_terms[unit])
                and label.isdisjoint(self.unit_terms[unit])
            ):
                return "other", None  # no term in the whole segment leads to a rule
            # the claim's own words and the clause's tail are slices of the segment: take their
            # terms from the segment's scan instead of scanning again
            a, b = x.s - len(x.own_pre), x.e + len(x.own_post)
            own_terms = seg.within(a, x.s) | seg.within(x.e, b)
            near = own_terms | seg.within(x.ce - len(x.tail), x.ce)
            far = near | seg.upto(x.s)
            if label and far.isdisjoint(self.unit_terms[unit]):
                # (四)生均教学及辅助用房面积。全县小学为5.93平方米: the paragraph's label names it
                far = far | label
        idx = self.by_unit_term[unit]
        always = self.always.get(unit, ())
        reach = far & self.unit_terms[unit]
        if not reach and not always:
            return "other", None
        own_measure = unit == "percent" and self.own_measure.search(x.own_pre) is not None
        own = x.own_pre + " " + x.own_post
        if not x.in_cell and x.prev_end > x.cs:
            # a later figure of the clause (由64人增加到139人): the clause's noun is its own too
            own = ctx.view[x.cs : x.s] + " " + x.own_post
        elif (
            not x.in_cell
            and not own_terms
            and ctx.view[x.prev_end : x.s].strip() not in _LIST_MARKS
        ):
            # no term of its own (…8.1平方米，比上年增加0.4平方米): the figure borrows its terms
            # from the segment before it, and with them that text's exclusions (生均); the next
            # figure of a bare list (最大班额分别为45人、50人) shares the first one's words instead
            own = ctx.view[x.gs : x.s] + " " + x.own_post
        best = None
        best_score: tuple[int, int, int] | None = None
        seen: set[int] = set()
        candidates = list(always)
        for t in reach:
            for pair in idx[t]:
                if id(pair[1]) not in seen:
                    seen.add(id(pair[1]))
                    candidates.append(pair)
        # rules in the ontology's order, so that a tie goes the same way in every process
        # (a set's order follows string hashes, which Python salts per process)
        order = self.order
        candidates.sort(key=lambda pair: order[id(pair[1])])
        for ind, r in candidates:
            if r.kinds and kind not in r.kinds:
                continue
            if ind.max_value is not None and value is not None and value > ind.max_value:
                continue  # 全年拨付公用经费1.2亿元 is no per-pupil figure
            if r.none and _excluded(own, r, self.masks[id(r)]):
                continue
            # `all` terms may stand anywhere in the segment (每百名学生 said once for a list)
            if r.all and not all(t in far for t in r.all):
                continue
            any_terms = self.any_sets[id(r)]
            for found, is_near in ((near, True), (far, False)):
                if not is_near and r.near and own_measure:
                    break
                if any_terms:
                    hits = any_terms & found
                    if not hits:
                        continue
                    length = max(map(len, hits))
                else:
                    length = 0
                score = (1 if (is_near or not r.near) else 0, r.priority, length)
                if best_score is None or score > best_score:
                    best, best_score = ind, score
                break
        if best is None:
            return "other", None
        return best.id, best.default_level


class _LevelHits:
    """Stage words of a segment (brackets blanked) with whether each names a list item of its
    own (小学29所); answers "the stage in force before position p" by bisection."""

    __slots__ = ("ends", "levels", "items", "subs")

    def __init__(self, hits: list[tuple[int, str, bool, bool]]):
        self.ends = [h[0] for h in hits]
        self.levels = [h[1] for h in hits]
        self.items = [h[2] for h in hits]
        self.subs = [h[3] for h in hits]

    def last_before(self, pos: int) -> str | None:
        i = bisect_right(self.ends, pos)
        if i == 0:
            return None
        item_levels = {self.levels[k] for k in range(i) if self.items[k]}
        breakdown = len(item_levels) >= 2
        for k in range(i - 1, -1, -1):
            if not (breakdown and self.items[k]) and not self.subs[k]:
                return self.levels[k]
        return None


class _SegTerms:
    """The linker terms of one segment, sorted by end; the expanded set of everything up to a
    position is built when a claim asks for it (most segments hold one or two claims)."""

    __slots__ = ("ends", "starts", "terms", "cumulative", "linker")

    def __init__(self, linker: Linker, hits: list[tuple[int, str]]):
        hits.sort()
        self.linker = linker
        self.ends = [h[0] for h in hits]
        self.terms = [h[1] for h in hits]
        self.starts = [h[0] - len(h[1]) for h in hits]
        self.cumulative: dict[int, frozenset[str]] = {}

    def upto(self, pos: int) -> frozenset[str]:
        i = bisect_right(self.ends, pos)
        hit = self.cumulative.get(i)
        if hit is None:
            acc: set[str] = set()
            expanded = self.linker.expanded
            for t in self.terms[:i]:
                acc |= expanded[t]
            hit = self.cumulative[i] = frozenset(acc)
        return hit

    def within(self, a: int, b: int) -> set[str]:
        out: set[str] = set()
        if a >= b:
            return out
        ends = self.ends
        lo = bisect_right(ends, a)
        if lo == len(ends) or ends[lo] > b:
            return out  # no term ends in (a, b]
        expanded = self.linker.expanded
        for i in range(lo, bisect_right(ends, b)):
            if self.starts[i] >= a:
                out |= expanded[self.terms[i]]
        return out


def _excluded(own: str, r, masks: tuple[str, ...]) -> bool:
    """Whether one of the rule's ``none`` terms is in the claim's own words, not counting
    occurrences inside one of its own ``any`` terms (最大班额 is not 大班额)."""
    for t in masks:
        own = own.replace(t, " " * len(t))
    return any(n in own for n in r.none)


@lru_cache(maxsize=1)
def _linker() -> Linker:
    return Linker()
