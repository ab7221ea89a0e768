"""Sentence, segment, clause, bracket and heading structure of an analysis view.

Computed once per document so that every candidate number looks up its context by bisection
instead of scanning the text again.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

SENT_END = "。!?！？\n"
SEG_END = SENT_END + ";；"
CLAUSE_END = SEG_END + ",，、:："
OPEN = "(（[【"
CLOSE = ")）]】"

_HEADING = re.compile(
    r"[ \t\u3000]*(?:"
    r"(?P<h1>[一二三四五六七八九十]+[、.．])"
    r"|(?P<h2>[(（][一二三四五六七八九十]+[)）])"
    r"|(?P<h3>\d{1,2}[、.．](?!\d))"
    r"|(?P<h4>第[一二三四五六七八九十]+[,，、])"
    r")"
)


@dataclass(slots=True)
class Heading:
    start: int
    end: int
    rank: int  # 0 = a new piece (…第2篇), 1 = 一、 2 = (一) 3 = 1. 4 = 第一, 5 = a short line
    text: str


@dataclass(slots=True)
class Structure:
    text: str
    sent_starts: list[int]
    seg_starts: list[int]
    clause_starts: list[int]
    clause_seps: list[str]  # the separator that ends the clause before each clause start
    para_starts: list[int]
    headings: list[Heading] = field(default_factory=list)
    heading_starts: list[int] = field(default_factory=list)
    bracket_spans: list[tuple[int, int]] = field(default_factory=list)  # closed (start, end)
    bracket_starts: list[int] = field(default_factory=list)
    bracket_parent: list[int] = field(default_factory=list)  # enclosing span's index, or -1
    _active_cache: dict[int, list[Heading]] = field(default_factory=dict)

    # -- lookups -----------------------------------------------------------------------------
    def _span(self, starts: list[int], pos: int) -> tuple[int, int, int]:
        i = bisect_right(starts, pos) - 1
        end = starts[i + 1] if i + 1 < len(starts) else len(self.text)
        return i, starts[i], end

    def sentence(self, pos: int) -> tuple[int, int, int]:
        return self._span(self.sent_starts, pos)

    def segment(self, pos: int) -> tuple[int, int, int]:
        return self._span(self.seg_starts, pos)

    def clause(self, pos: int) -> tuple[int, int, int]:
        return self._span(self.clause_starts, pos)

    def paragraph(self, pos: int) -> tuple[int, int, int]:
        return self._span(self.para_starts, pos)

    def bracket_at(self, pos: int, strict: bool = False) -> tuple[int, int] | None:
        """The innermost closed bracket span containing ``pos`` (with ``strict``, one that
        opens before ``pos``). Spans nest, so the candidates are the last span opening at or
        before ``pos`` and the spans enclosing it."""
        i = bisect_right(self.bracket_starts, pos) - 1
        spans, parent = self.bracket_spans, self.bracket_parent
        while i >= 0:
            s, e = spans[i]
            if pos < e and (s < pos or not strict):
                return s, e
            i = parent[i]
        return None

    def active_headings(self, pos: int) -> list[Heading]:
        """Headings in force at ``pos``, outermost first (one per rank)."""
        i = bisect_right(self.heading_starts, pos) - 1
        hit = self._active_cache.get(i)
        if hit is None:
            hit = self._active_cache[i] = self._active(i)
        return hit

    def _active(self, i: int) -> list[Heading]:
        chosen: dict[int, Heading] = {}
        min_rank = 99
        while i >= 0 and min_rank > 1:
            h = self.headings[i]
            if h.rank == 0:  # a new piece starts: nothing above it applies
                break
            if h.rank < min_rank:
                chosen[h.rank] = h
                min_rank = h.rank
            i -= 1
        return [chosen[r] for r in sorted(chosen)]

    def strip_brackets(self, start: int, end: int, keep: int | None = None) -> str:
        """``text[start:end]`` with closed brackets blanked out (same length), except the
        bracket that contains ``keep``."""
        j = bisect_right(self.bracket_starts, start) - 1
        j = max(j, 0)
        spans = self.bracket_spans
        if j >= len(spans) or (
            spans[j][1] <= start and (j + 1 >= len(spans) or spans[j + 1][0] >= end)
        ):
            return self.text[start:end]
        seg = list(self.text[start:end])
        for s, e in self.bracket_spans[j:]:
            if s >= end:
                break
            if e <= start or (keep is not None and s <= keep < e):
                continue
            for k in range(max(s, start), min(e, end)):
                seg[k - start] = " "
        return "".join(seg)


# a line that opens a new piece in a compilation page: …发言第2篇, …的讲话
_NEW_DOC = re.compile(r"第\d+篇$|(?:讲话|发言|报告|致辞)(?:稿)?$")
_CLAUSE = re.compile(f"[{re.escape(CLAUSE_END)}]")
_SENT_MARK = re.compile(r"[。!?！？]")
_PROSE_MARK = re.compile(r"[。!?！？;；,，]")
_DIGIT = re.compile(r"\d")
_YEAR_TITLE = re.compile(r"(?:19|20)\d{2}年[^\d]{2,20}")


def analyse(text: str) -> Structure:
    # one scan for every clause mark; segment, sentence and paragraph starts are the subsets
    # of clause starts whose mark is of their kind
    n = len(text)
    ends = [m.end() for m in _CLAUSE.finditer(text)]
    if ends and ends[-1] == n:
        ends.pop()
    marks = [text[e - 1] for e in ends]
    seg = [0] + [e for e, c in zip(ends, marks, strict=True) if c in SEG_END]
    sent = [0] + [e for e, c in zip(ends, marks, strict=True) if c in SENT_END]
    paras = [0] + [e for e, c in zip(ends, marks, strict=True) if c == "\n"]
    st = Structure(text, sent, seg, [0, *ends], ["", *marks], paras)
    _brackets(st)
    _headings(st)
    return st


def _brackets(st: Structure) -> None:
    stack: list[int] = []
    spans = []
    for m in re.finditer(r"[()（）\[\]【】\n]", st.text):
        c = m.group()
        if c == "\n":
            stack.clear()
        elif c in OPEN:
            stack.append(m.start())
        elif stack:
            spans.append((stack.pop(), m.end()))
    spans.sort()
    st.bracket_spans = spans
    st.bracket_starts = [s for s, _ in spans]
    parent: list[int] = []
    open_: list[int] = []
    for i, (s, _) in enumerate(spans):
        while open_ and spans[open_[-1]][1] <= s:
            open_.pop()
        parent.append(open_[-1] if open_ else -1)
        open_.append(i)
    st.bracket_parent = parent


def _headings(st: Structure) -> None:
    text = st.text
    for p in st.para_starts:
        end = text.find("\n", p)
        end = len(text) if end < 0 else end
        line = text[p:end]
        stripped = line.strip()
        if not stripped:
            continue
        m = _HEADING.match(line)
        rank = -1
        if m:
            rank = m.lastindex or -1  # h1..h4 are the pattern's only groups: never None
            # a numbered line that is a whole paragraph of prose is not a heading
            body = line[m.end() :]
            head = _SENT_MARK.split(body, maxsplit=1)[0]
            text_h = head if len(head) <= 60 else head[:60]
        elif len(stripped) <= 60 and _NEW_DOC.search(stripped):
            rank, text_h = 0, stripped
        elif (
            len(stripped) <= 30
            and not _PROSE_MARK.search(stripped)
            and (not _DIGIT.search(stripped) or _YEAR_TITLE.fullmatch(stripped))
        ):
            rank, text_h = 5, stripped
        if rank >= 0:
            st.headings.append(Heading(p, end, rank, text_h))
    st.heading_starts = [h.start for h in st.headings]
