"""Document metadata from the text: title, date (ISO) and year.

``extract_metadata(text, chrome)`` looks, in this order, for the date:

1. a header field: 发布时间/发布日期/成文日期 (publishing fields first), then 更新时间/时间/日期;
2. a speech date under the title: ``——2022年10月27日在…`` or ``（2022年10月27日）``;
3. a line near the top that starts with a date (``2022-11-01 点击数:``);
4. the first full date in the heading (first 10 lines);
5. a date line that signs off the document (last lines: ``某某县人民政府\\n2023年5月10日``).

The year is the date's year, else the year in the title (``在2024年全省…`` -> 2024,
``2021年度`` -> 2021, ``2016—2020年`` -> 2020), else None; a title naming the year before the
date's (``2023年工作总结`` signed in January 2024) gives the title's year, the year reported on. The region stays None (extraction
sets it). Traditional-script documents are read through their t2s view.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from junheng.corpus.chrome import view_for_detection

_FW_DIGITS = str.maketrans("０１２３４５６７８９：－／．", "0123456789:-/.")
_CN_DIGIT = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

WS = r"[^\S\n]"
_YMD = (
    rf"(?P<y>(?:19|20)\d\d){WS}*(?:[-/.]{WS}*(?P<m>\d{{1,2}}){WS}*[-/.]{WS}*(?P<d>\d{{1,2}})(?!\d)"
    rf"|年{WS}*(?P<m2>\d{{1,2}}){WS}*月(?:{WS}*(?P<d2>\d{{1,2}}){WS}*[日号])?)"
)
_CN_YMD = r"(?P<cy>[〇○零一二三四五六七八九]{4})年(?P<cm>[一二三四五六七八九十]{1,2})月(?:(?P<cd>[一二三四五六七八九十]{1,3})日)?"
DATE_RE = re.compile(f"(?:{_YMD}|{_CN_YMD})")

_PUBLISH_FIELD = re.compile(
    rf"(?:发布|发表|发文|成文|印发|公布|刊发|签发){WS}*(?:时{WS}*间|日{WS}*期){WS}*[:：]?{WS}*(?={DATE_RE.pattern})"
)
_OTHER_FIELD = re.compile(
    rf"(?:(?:更新|修改|录入|上传)?{WS}*(?:时{WS}*间|日{WS}*期)){WS}*[:：]{WS}*(?={DATE_RE.pattern})"
)
_SPEECH = re.compile(rf"(?:——|--|—){WS}*(?={DATE_RE.pattern})")
_BRACKETED_LINE = re.compile(rf"^{WS}*[（(]{WS}*(?={DATE_RE.pattern})", re.M)
_MD_HEADING = re.compile(r"#{0,6}[ \t]*")
_SALUTATION = re.compile(r"^[^\n]{0,30}[:：]$")
_HAS_WORD = re.compile(r"[A-Za-z\u3400-\u9fff]")
_TITLE_RANGE = re.compile(r"((?:19|20)\d\d)\s*(?:年)?\s*[-—–~～至到]\s*((?:19|20)\d\d)\s*年")
_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)\s*(?:年|学年|届)")
_TITLE_CN_YEAR = re.compile(r"([〇○零一二三四五六七八九]{4})年")


@dataclass(slots=True)
class Metadata:
    title: str | None
    date: str | None
    year: int | None


def _cn_small(s: str) -> int | None:
    """一..九十九 (month/day numerals)."""
    if not s:
        return None
    if "十" in s:
        a, _, b = s.partition("十")
        tens = _CN_DIGIT.get(a, 1) if a else 1
        ones = _CN_DIGIT.get(b, 0) if b else 0
        return tens * 10 + ones
    if len(s) == 1:
        return _CN_DIGIT.get(s)
    return None


def parse_date(m: re.Match) -> str | None:
    """ISO string (YYYY-MM-DD or YYYY-MM) of a ``DATE_RE`` match, or None when invalid."""
    g = m.groupdict()
    if g.get("y"):
        y = int(g["y"])
        mo = g.get("m") or g.get("m2")
        d = g.get("d") or g.get("d2")
    elif g.get("cy"):
        y = int("".join(str(_CN_DIGIT[c]) for c in g["cy"]))
        mo = _cn_small(g["cm"])
        d = _cn_small(g["cd"]) if g.get("cd") else None
    else:
        return None
    if not (1949 <= y <= 2100):
        return None
    if mo is None:
        return f"{y:04d}"
    mo = int(mo)
    if not 1 <= mo <= 12:
        return None
    if d is None:
        return f"{y:04d}-{mo:02d}"
    d = int(d)
    if not 1 <= d <= 31:
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _date_after(
    v: str, pattern: re.Pattern, lo: int, hi: int, full_only: bool = False
) -> str | None:
    for m in pattern.finditer(v, lo, hi):
        dm = DATE_RE.match(v, m.end())
        if dm:
            iso = parse_date(dm)
            if iso and (not full_only or len(iso) == 10):
                return iso
    return None


def _lines(v: str, lo: int = 0, hi: int | None = None):
    """(start, end) of the non-empty lines of ``v[lo:hi]``, stripped."""
    hi = len(v) if hi is None else hi
    pos = lo
    while pos < hi:
        e = v.find("\n", pos, hi)
        e = hi if e < 0 else e
        s, t = pos, e
        while s < t and v[s].isspace():
            s += 1
        while t > s and v[t - 1].isspace():
            t -= 1
        if s < t:
            yield s, t
        pos = e + 1


def find_date(v: str) -> str | None:
    """The document date of the (t2s, half-width digit) view ``v``; see the module docstring."""
    head_end = min(len(v), 3000)
    d = _date_after(v, _PUBLISH_FIELD, 0, head_end)
    if d:
        return d
    d = _date_after(v, _OTHER_FIELD, 0, head_end)
    if d:
        return d
    d = _date_after(v, _SPEECH, 0, min(len(v), 1500))
    if d:
        return d
    d = _date_after(v, _BRACKETED_LINE, 0, min(len(v), 1500))
    if d:
        return d
    top = list(_lines(v, 0, head_end))[:10]
    for s, _e in top:
        dm = DATE_RE.match(v, s)
        if dm and parse_date(dm):
            return parse_date(dm)
    if top:
        for dm in DATE_RE.finditer(v, 0, top[-1][1]):
            iso = parse_date(dm)
            if iso and len(iso) == 10:
                return iso
    tail_start = max(0, len(v) - 600)
    tail = list(_lines(v, tail_start))[-6:]
    for s, e in reversed(tail):
        dm = DATE_RE.match(v, s)
        if dm and dm.end() >= e - 1:
            iso = parse_date(dm)
            if iso and len(iso) >= 7:
                return iso
    return None


def _covered(chrome: list[tuple[int, int]], s: int, e: int) -> int:
    n = 0
    for cs, ce in chrome:
        if ce <= s:
            continue
        if cs >= e:
            break
        n += min(e, ce) - max(s, cs)
    return n


# a line that only names an office (the issuer printed above a document's title)
_ISSUER_LINE = re.compile(
    r"[\u4e00-\u9fff]{2,30}(?:办公室|委员会|教育局|教育厅|教育体育局|人民政府|督导室|督导组)"
)


def find_title(text: str, v: str, chrome: list[tuple[int, int]], max_len: int = 100) -> str | None:
    """The first substantive line that is not chrome, a salutation, a date or a dash line."""
    seen = 0
    issuer: str | None = None
    for s, e in _lines(v):
        seen += 1
        if seen > 40:
            break
        line = v[s:e]
        if _covered(chrome, s, e) * 2 >= e - s:
            continue
        if not _HAS_WORD.search(line):
            continue
        if line.startswith(("——", "--", "—")) or _SALUTATION.match(line):
            continue
        dm = DATE_RE.match(line)
        if dm and len(line) - dm.end() <= 12:
            continue
        if len(line) < 4:
            continue
        if len(line) > max_len:
            return None
        s += len(_MD_HEADING.match(line).group())  # "# 标题" in Markdown
        if issuer is None and _ISSUER_LINE.fullmatch(line.strip()):
            # 省人民政府教育督导委员会办公室 / 关于…的反馈意见: an issuer's line above the title
            issuer = text[s:e].strip()
            continue
        title = text[s:e].strip() or None
        if issuer is not None and not (title or "").startswith("关于"):
            return issuer  # the issuer's line was the heading after all
        return title
    return issuer


def title_year(title: str | None) -> int | None:
    if not title:
        return None
    t = view_for_detection(title).translate(_FW_DIGITS)
    m = _TITLE_RANGE.search(t)
    if m:
        return int(m.group(2))
    m = _TITLE_YEAR.search(t)
    if m:
        return int(m.group(1))
    m = _TITLE_CN_YEAR.search(t)
    if m:
        y = int("".join(str(_CN_DIGIT[c]) for c in m.group(1)))
        if 1949 <= y <= 2100:
            return y
    return None


def extract_metadata(
    text: str,
    chrome: list[tuple[int, int]] | None = None,
    title_hint: str | None = None,
    view: str | None = None,
) -> Metadata:
    v = view if view is not None and len(view) == len(text) else view_for_detection(text)
    chrome = chrome or []
    cut = max(3000, len(v) - 600)  # only the head and the tail are searched for dates
    vv = v[:3000].translate(_FW_DIGITS) + v[3000:cut] + v[cut:].translate(_FW_DIGITS)
    date = find_date(vv)
    title = title_hint.strip() if title_hint and title_hint.strip() else None
    if title is None:
        title = find_title(text, v, chrome)
    ty = title_year(title)
    year = int(date[:4]) if date else ty
    if year is not None and ty == year - 1 and not _TITLE_RANGE.search(title or ""):
        # 2023年工作总结, signed 2024年1月15日: the report is about the year its title names
        # (全年, 今年), not the year it was signed in
        year = ty
    return Metadata(title=title, date=date, year=year)
