"""Page chrome: the navigation, counters, bylines, share bars, related links, copyright and
paywall notes that web pages and template sites wrap around a document's body.

``detect_chrome(text)`` returns sorted, merged ``(start, end)`` spans of ``text`` (end
exclusive). Numbers inside these spans are not claims (CLAIMS.md: ``点击数``, ``全文共5225字``,
``责任编辑``, copyright years, ICP numbers, related-link titles).

Detection is line based and conservative: a line is chrome only when it is short and a cue
from ``data/chrome.yaml`` explains it; a few notes (paywall, 省略N字, URLs, ICP numbers) are
marked inside a line, from the note to the end of the note. Matching runs on the t2s view (same
length as the text, so offsets carry over) and accepts full-width punctuation and digits.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("data") / "chrome.yaml"

WS = r"[^\S\n]"  # whitespace other than a line break
COLON = r"[:：]"
D = r"[0-9０-９]"
CN_NUM = r"[〇零一二三四五六七八九十]"
DATE = (
    rf"(?:{D}{{4}}{WS}*[-/.－／．]{WS}*{D}{{1,2}}{WS}*[-/.－／．]{WS}*{D}{{1,2}}"
    rf"|{D}{{4}}{WS}*年{WS}*{D}{{1,2}}{WS}*月(?:{WS}*{D}{{1,2}}{WS}*[日号])?"
    rf"|{CN_NUM}{{4}}年{CN_NUM}{{1,2}}月(?:{CN_NUM}{{1,3}}日)?)"
)
TIME = rf"(?:{WS}*{D}{{1,2}}{WS}*[:：]{WS}*{D}{{2}}(?:{WS}*[:：]{WS}*{D}{{2}})?)"
BULLET = rf"(?:[-·•*■◆●▪►>]{WS}*)?"

# Frequent characters that exist only in traditional script (t2s is run only when one occurs).
_TRAD = re.compile(
    "[們這個來為國會時學說後經發與對開關長實頭點種業區縣體聯現員問間樣應進過還當於動產東義"
    "線記書從無麼將類護級權機設參總報導專務議師資與優質鄉鎮園費億萬網頁點擊數責編輯時間]"
)


@dataclass(slots=True)
class Cues:
    dominant: list[str]
    fields: list[str]
    date_fields: list[str]
    counters: list[str]
    line_starts: list[str]
    related: list[str]
    copyright: list[str]
    footer: list[str]
    paywall: list[str]
    template: list[str]
    category_labels: list[str]
    toc: list[str]
    site_suffixes: list[str]


@lru_cache(maxsize=4)
def load_cues(path: str | None = None) -> Cues:
    with open(path or DATA, encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    return Cues(**{k: [str(x) for x in raw.get(k, [])] for k in Cues.__slots__})


def _alt(words: list[str], spaced: bool = False) -> str:
    """Regex alternation of ``words``, longest first; ``spaced`` allows spaces between characters."""
    out = []
    for w in sorted(set(words), key=len, reverse=True):
        if spaced and len(w) > 1:
            out.append(f"{WS}*".join(re.escape(c) for c in w))
        else:
            out.append(re.escape(w))
    return "(?:" + "|".join(out) + ")"


class _Rules:
    """Compiled patterns for one cue set."""

    def __init__(self, cues: Cues):
        M = re.M
        field_alt = _alt(cues.fields, spaced=True)
        date_field_alt = _alt(cues.date_fields, spaced=True)
        self.cues = cues
        self.location = re.compile(
            rf"^{WS}*[【\[]?{WS}*(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|您当前的位置"
            rf"|当前所在位置|所在位置|现在位置|当前页面|当前栏目){WS}*{COLON}?[^\n]{{0,150}}$",
            M,
        )
        # 首页 followed by a separator, within the first 40 characters of a line of <= 160
        self.breadcrumb = re.compile(
            rf"(?:网站首页|首页|主页){WS}*(?:>>|＞＞|->|=>|[>＞»›→/／\\＼》|｜])"
        )
        # a breadcrumb without 首页: three or more short segments joined by > (江城市教育局 > 教育动态 > 正文)
        self.crumb_sep = re.compile(r"[>＞»›]")
        self.crumb_chain = re.compile(
            rf"^{WS}*[^\n>＞»›]{{1,16}}(?:{WS}*(?:>>|＞＞|[>＞»›]){WS}*[^\n>＞»›]{{1,16}}){{2,}}{WS}*$",
            M,
        )
        # a header/byline field at the start of a line (after an optional bullet or bracket)
        self.field_line = re.compile(
            rf"^{WS}*{BULLET}[【\[（(]?{WS}*(?:{field_alt}){WS}*{COLON}[^\n]*$", M
        )
        self.field_any = re.compile(rf"(?:{field_alt}){WS}*{COLON}")
        self.date_field_line = re.compile(
            rf"^{WS}*{BULLET}[【\[（(]?{WS}*(?:(?:发布|更新|发表|发文|成文|修改|录入|上传)?"
            rf"{date_field_alt}|{field_alt}){WS}*{COLON}?{WS}*{DATE}{TIME}?[^\n]{{0,60}}$",
            M,
        )
        # 点击数：1352 / 点击数: (empty) / 1352次浏览: the count stands alone, not in a sentence
        # (年浏览量达120万人次 is a claim)
        before = [c for c in cues.counters if c[0] in "次人"]
        after = [c for c in cues.counters if c[0] not in "次人"]
        self.counter = re.compile(
            rf"{_alt(after)}{WS}*[:：]?{WS}*(?:{D}+{WS}*次?)?(?=$|{WS}|[|｜/【\[（(])"
            rf"|{D}+{WS}*{_alt(before)}",
            M,
        )
        # the cue must stand alone: a line break, space, bracket or colon after it
        # ("收藏量达到120万册" wrapped onto a new line is not a "收藏" link)
        self.line_start = re.compile(
            rf"^{WS}*[【\[]?{WS}*{_alt(cues.line_starts)}"
            rf"(?:$|{WS}|[:：《【（(\[|｜/]|本文|本页|此文|此页)[^\n]{{0,80}}$",
            M,
        )
        # the heading alone ("相关阅读", "【相关链接】", "相关文章 更多>>"), or with a colon and a
        # link after it; "相关信息化建设投入…" is body
        self.related = re.compile(
            rf"^{WS}*[【\[]?{WS}*{_alt(cues.related)}{WS}*[】\]]?{WS}*"
            rf"(?:{COLON}[^\n]{{0,80}}|(?:更多)?{WS}*(?:>>|»|＞＞|>)?)$",
            M,
        )
        self.copyright = re.compile(_alt(cues.copyright))
        self.footer = re.compile(rf"{_alt(cues.footer, spaced=True)}{WS}*{COLON}")
        self.footer_special = re.compile(
            rf"^{WS}*(?:(?:建议|推荐)(?:使用|采用)[^\n]{{0,60}}浏览器[^\n]{{0,60}}"
            rf"|[^\n]{{0,40}}分辨率[^\n]{{0,8}}{D}+{WS}*[*×xX]{WS}*{D}+[^\n]{{0,40}}"
            rf"|本文由[^\n]{{0,40}}(?:整理|提供|发布|编辑|原创|收集)[^\n]{{0,60}})$",
            M,
        )
        # A paywall note runs from its cue (and an opening "……(未完," before it) to the line end.
        # The cues are found with str.find (their first characters are common ones);
        # 全文共/当前仅显示 count only with "N字" after them.
        self.paywall_cues = tuple(cues.paywall)
        self.paywall_count = re.compile(rf"(?:全文共|当前仅显示){WS}*{D}+{WS}*字")
        self.paywall_lead = re.compile(
            rf"(?:[…\.。·]{{0,6}}{WS}*[（(]{WS}*)?(?:未完[，,、]?{WS}*)?$"
        )
        # "……(某范文网省略736字,会员可阅读全文)……": from the bracket to the bracket
        self.omitted = re.compile(rf"省略{WS}*{D}+{WS}*字")
        self.omitted_lead = re.compile(rf"[…\.。·]{{0,6}}{WS}*[（(][^（()）\n]{{0,60}}$")
        self.omitted_tail = re.compile(rf"[^（()）\n]{{0,60}}[）)]{WS}*[…\.。·]{{0,6}}")
        self.template = re.compile(_alt(cues.template))
        self.template_start = re.compile(
            rf"^{WS}*以下是[^\n]{{0,20}}(?:推荐|整理|收集|精心|分享|编辑)[^\n]{{0,150}}$", M
        )
        # "…第1篇" titles are found from the rare 篇 at a line end, then checked
        self.piece_end = re.compile(rf"篇{WS}*$", M)
        self.nth_piece_tail = re.compile(rf"第{WS}*(?:{D}+|[一二三四五六七八九十]+){WS}*篇{WS}*$")
        self.nth_piece = re.compile(
            rf"^{WS}*[【\[]?{WS}*(?:篇|范文){WS}*(?:{D}+|[一二三四五六七八九十]+){WS}*[】\]]?"
            rf"{WS}*[:：]?[^\n]{{0,80}}$",
            M,
        )
        self.toc = re.compile(
            rf"^{WS}*[【\[]?{WS}*{_alt(cues.toc, spaced=True)}{WS}*[】\]]?{WS}*{COLON}?"
            rf"{WS}*[…\.。·]*{WS}*$",
            M,
        )
        # a table-of-contents entry with dot leaders and a page number (第一章 总则……3)
        self.dot_leader = re.compile(
            rf"(?:\.\.\.\.|……|····|－－－－|------)[.…·－\-]*{WS}*{D}+{WS}*$", M
        )
        self.punct_only = re.compile(
            rf"^{WS}*[-—–_=*·•…\.。|｜~～#+<>《》【】\[\]()（）/\\■□◆◇●○★☆▪►]+{WS}*$", M
        )
        self.date_only = re.compile(
            rf"^{WS}*[（(]?{WS}*{DATE}{TIME}?{WS}*(?:星期[一二三四五六日天]|周[一二三四五六日])?"
            rf"{WS}*[）)]?{WS}*$",
            M,
        )
        # a line ending with a site suffix (all end with 网 or 站), or a welcome line
        self.site_name = re.compile(rf"[网站]{WS}*$|欢迎(?:您)?(?:访问|光临)", M)
        self.site_suffixes = tuple(cues.site_suffixes)
        self.dominant = re.compile(_alt(cues.dominant + ["大中小", "大 中 小"]))
        self.url = re.compile(
            r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+"
            r"|www\.[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+[A-Za-z0-9\-._~/?#=&%]*"
        )
        self.email = re.compile(
            r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
        )
        # ICP numbers (苏ICP备12345678号-1) and police filing numbers (公网安备 32040202000123号);
        # the province character before them is added in detect_chrome
        self.icp = re.compile(
            rf"ICP[备证]?{WS}*{D}+{WS}*号?(?:{WS}*-{WS}*{D}+)?|公网安备{WS}*{D}+{WS}*号?"
        )
        self.category = set(cues.category_labels)
        self.numbered = re.compile(
            r"^(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十0-9０-９]+[）)]"
            r"|[0-9０-９]+(?:[、.．]|\s)|第[一二三四五六七八九十0-9]+[章节部分条篇]"
            r"|[一二三四五六七八九十]是|[①-⑳]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+[、.．]|[一二三四五六七八九十]要)"
        )


@lru_cache(maxsize=4)
def _rules(path: str | None = None) -> _Rules:
    return _Rules(load_cues(path))


# a figure with a unit: a line holding one states a claim (it is not a header field)
_CLAIMISH = re.compile(
    r"[0-9０-９]+(?:\.[0-9]+)?\s*(?:万|亿|千|百)?\s*"
    r"(?:所|人|名|元|个|%|％|平方米|间|项|倍|台|册|次|个百分点|学位|套)"
)

_SEP_CHARS = set(
    " \t\u3000\u00a0|｜/／\\·•-—_>＞»›→<《》【】[]()（）:：,，、;；.。!！?？*~～0123456789"
)
_WS_CHARS = " \t\r\u3000\u00a0\ufeff"


class _ShortLines:
    """The lines of <= 200 characters of ``v`` joined by line breaks, with a map back to ``v``.
    When short lines hold most of the text, ``v`` itself is used."""

    def __init__(self, v: str):
        starts: list[int] = []
        parts: list[str] = []
        total = 0
        pos = 0
        for line in v.split("\n"):
            n = len(line)
            if 0 < n <= 200:
                starts.append(pos)
                parts.append(line)
                total += n
            pos += n + 1
        if total > 0.6 * len(v):
            self.text = v
            self._starts = None
            return
        self.text = "\n".join(parts)
        self._starts = starts
        sv_starts = []
        pos = 0
        for part in parts:
            sv_starts.append(pos)
            pos += len(part) + 1
        self._sv_starts = sv_starts

    def to_v(self, p: int) -> int:
        if self._starts is None:
            return p
        k = bisect.bisect_right(self._sv_starts, p) - 1
        return self._starts[k] + (p - self._sv_starts[k])


def _find_all(text: str, literal: str):
    i = text.find(literal)
    while i >= 0:
        yield i
        i = text.find(literal, i + 1)


def _line_at(text: str, pos: int) -> tuple[int, int]:
    """(start, end) of the line holding ``pos``, end excluding the line break."""
    s = text.rfind("\n", 0, pos) + 1
    e = text.find("\n", pos)
    return s, (len(text) if e < 0 else e)


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _WS_CHARS:
        s += 1
    while e > s and text[e - 1] in _WS_CHARS:
        e -= 1
    return s, e


def _sentence_like(line: str) -> bool:
    """A line that reads as body text: sentence punctuation inside it."""
    return "。" in line.rstrip("。 \t\u3000") or line.count("，") >= 3


def view_for_detection(text: str) -> str:
    """The t2s view used for matching (same length as ``text``)."""
    if _TRAD.search(text):
        from junheng.corpus.analysis import to_simplified

        return to_simplified(text)
    return text


def detect_chrome(text: str, view: str | None = None) -> list[tuple[int, int]]:
    """Chrome spans of ``text`` (see the module docstring). ``view``: a same-length t2s view."""
    if not text:
        return []
    v = view if view is not None and len(view) == len(text) else view_for_detection(text)
    r = _rules()
    spans: list[tuple[int, int]] = []
    lines_done: set[int] = set()

    def add_line(pos: int, max_len: int = 200, body_check: bool = True) -> bool:
        s, e = _line_at(v, pos)
        if s in lines_done:
            return True
        s, e = _strip_span(v, s, e)
        if s >= e or e - s > max_len:
            return False
        if body_check and _sentence_like(v[s:e]):
            return False
        lines_done.add(_line_at(v, pos)[0])
        spans.append((s, e))
        return True

    # Line rules only ever mark lines of <= 200 characters: they run on the short lines alone.
    short = _ShortLines(v)
    sv, to_v = short.text, short.to_v

    for pat, max_len, check in (
        (r.location, 160, False),
        (r.line_start, 100, True),
        (r.template_start, 200, False),
        (r.nth_piece, 100, True),
        (r.dot_leader, 100, False),
        (r.punct_only, 200, False),
        (r.footer_special, 160, False),
        (r.counter, 100, True),
        (r.copyright, 200, False),
        (r.template, 150, True),
        (r.footer, 160, True),
    ):
        for m in pat.finditer(sv):
            add_line(to_v(m.start()), max_len, check)
    seen_sep: set[int] = set()
    for m in r.crumb_sep.finditer(sv):
        ls = sv.rfind("\n", 0, m.start()) + 1
        if ls in seen_sep:
            continue
        seen_sep.add(ls)
        if r.crumb_chain.match(sv, ls):
            add_line(to_v(ls), 80, True)
    for m in r.piece_end.finditer(sv):
        ls = sv.rfind("\n", 0, m.start()) + 1
        if m.start() - ls <= 100 and r.nth_piece_tail.search(sv, ls, m.end()):
            add_line(to_v(m.start()), 100, True)
    for m in r.breadcrumb.finditer(sv):
        if m.start() - (sv.rfind("\n", 0, m.start()) + 1) <= 40:
            add_line(to_v(m.start()), 160, True)
    # header fields: a line of "cue: value" fields. A line that states a figure with a unit
    # (时间：2023年3月，排查学校48所) is body, unless it holds two or more fields.
    for pat in (r.field_line, r.date_field_line):
        for m in pat.finditer(sv):
            pos = to_v(m.start())
            s, e = _strip_span(v, *_line_at(v, pos))
            line = v[s:e]
            n_fields = len(r.field_any.findall(line))
            limit = 160 if n_fields >= 2 else 80
            if e - s > limit or "。" in line.rstrip("。"):
                continue
            if n_fields < 2 and (_CLAIMISH.search(line) or "，" in line or "；" in line):
                continue
            add_line(pos, limit, False)
    for m in r.site_name.finditer(sv):
        pos = to_v(m.start())
        if m.group().startswith("欢迎"):
            add_line(pos, 60, True)
        else:
            s, e = _strip_span(v, *_line_at(v, pos))
            if e - s <= 30 and v[s:e].endswith(r.site_suffixes):
                add_line(pos, 30, True)

    # navigation and widget bars: lines made mostly of cues and separators
    checked: set[int] = set()
    for m in r.dominant.finditer(sv):
        ls, le = _line_at(v, to_v(m.start()))
        if ls in checked or ls in lines_done:
            continue
        checked.add(ls)
        s, e = _strip_span(v, ls, le)
        line = v[s:e]
        if not line or len(line) > 80:
            continue
        covered = 0
        strong = False
        for cm in r.dominant.finditer(line):
            covered += cm.end() - cm.start()
            strong = strong or (cm.end() - cm.start()) >= 2
        covered += sum(1 for c in line if c in _SEP_CHARS)
        if strong and covered >= 0.6 * len(line):
            add_line(s, 80, False)

    # header-area rules: date-only lines and category labels among the first lines
    _header_area(v, r, add_line)

    # blocks: table of contents, related-link lists
    last_seen: dict[str, int] | None = None
    for m in r.toc.finditer(sv):
        if last_seen is None:
            last_seen = _last_line_positions(v)
        _toc_block(v, to_v(m.start()), r, spans, lines_done, last_seen)
    for m in r.related.finditer(sv):
        pos = to_v(m.start())
        s, e = _strip_span(v, *_line_at(v, pos))
        if e - s > 90 or _sentence_like(v[s:e]):
            continue
        add_line(pos, 90, False)
        _related_block(v, _line_at(v, pos)[1], spans, lines_done)

    # notes inside lines
    for cue in r.paywall_cues:
        for pos in _find_all(v, cue):
            if cue in ("全文共", "当前仅显示") and not r.paywall_count.match(v, pos):
                continue
            ls, le = _line_at(v, pos)
            if le - pos > 120:
                continue
            lead = r.paywall_lead.search(v, max(ls, pos - 20), pos)
            s, e = _strip_span(v, lead.start() if lead else pos, le)
            if s < e:
                spans.append((s, e))
    for m in r.omitted.finditer(v):
        ls, le = _line_at(v, m.start())
        lead = r.omitted_lead.search(v, max(ls, m.start() - 70), m.start())
        tail = r.omitted_tail.match(v, m.end(), le)
        if lead and tail:
            s, e = _strip_span(v, lead.start(), tail.end())
        else:
            s, e = m.start(), m.end()
        spans.append((s, e))
    if "http" in v or "www." in v:
        for m in r.url.finditer(v):
            spans.append((m.start(), m.end()))
    if "@" in v:
        for m in r.email.finditer(v):
            spans.append((m.start(), m.end()))
    if "ICP" in v or "公网安备" in v:
        for m in r.icp.finditer(v):
            s = m.start()
            if s > 0 and "\u4e00" <= v[s - 1] <= "\u9fff":
                s -= 1
            spans.append((s, m.end()))

    return merge_spans(v, spans)


def _header_area(v: str, r: _Rules, add_line) -> None:
    pos = 0
    n = 0
    while pos < len(v) and n < 20:
        e = v.find("\n", pos)
        e = len(v) if e < 0 else e
        s2, e2 = _strip_span(v, pos, e)
        if s2 < e2:
            n += 1
            line = v[s2:e2]
            if line in r.category or (n <= 8 and len(line) <= 40 and r.date_only.match(v, pos, e)):
                add_line(s2, 40, False)
        pos = e + 1


def _next_line(v: str, pos: int) -> tuple[int, int] | None:
    if pos >= len(v):
        return None
    e = v.find("\n", pos)
    return pos, (len(v) if e < 0 else e)


_NOWS = re.compile(r"\s+")


def _last_line_positions(v: str) -> dict[str, int]:
    """Whitespace-free line text -> start of its last occurrence."""
    out: dict[str, int] = {}
    pos = 0
    for line in v.split("\n"):
        key = _NOWS.sub("", line)
        if key and len(line) <= 200:
            out[key] = pos
        pos += len(line) + 1
    return out


def _toc_block(
    v: str, header_pos: int, r: _Rules, spans: list, lines_done: set, last_seen: dict[str, int]
) -> None:
    """The header line of a table of contents and the heading lines after it: numbered
    headings, or lines that come back later in the document as headings."""
    hs, he = _line_at(v, header_pos)
    s, e = _strip_span(v, hs, he)
    spans.append((s, e))
    lines_done.add(hs)
    pos = he + 1
    taken = 0
    while taken < 80:
        nl = _next_line(v, pos)
        if nl is None:
            break
        ls, le = nl
        s, e = _strip_span(v, ls, le)
        pos = le + 1
        if s >= e:
            continue
        line = v[s:e]
        ok = bool(r.punct_only.match(line)) or (
            len(line) <= 60
            and "。" not in line
            and (bool(r.numbered.match(line)) or last_seen.get(_NOWS.sub("", line), -1) > ls)
        )
        if not ok:
            break
        spans.append((s, e))
        lines_done.add(ls)
        taken += 1


def _related_block(v: str, pos: int, spans: list, lines_done: set) -> None:
    pos += 1
    taken = 0
    while taken < 40:
        nl = _next_line(v, pos)
        if nl is None:
            break
        ls, le = nl
        s, e = _strip_span(v, ls, le)
        pos = le + 1
        if s >= e:
            continue
        line = v[s:e]
        if len(line) > 60 or "。" in line or "，" in line:
            break
        spans.append((s, e))
        lines_done.add(ls)
        taken += 1


def merge_spans(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlaps merged, and neighbours joined across whitespace-only gaps."""
    if not spans:
        return []
    spans = sorted(spans)
    out = [list(spans[0])]
    for s, e in spans[1:]:
        last = out[-1]
        if s <= last[1] or not text[last[1] : s].strip():
            if e > last[1]:
                last[1] = e
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def in_chrome(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one chrome span (spans sorted, as detect_chrome gives)."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def chrome_lines(text: str, spans: list[tuple[int, int]]) -> list[str]:
    """The chrome spans' text, for inspection."""
    return [text[s:e] for s, e in spans]
