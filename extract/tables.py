"""Tables in text: pipe tables (Markdown) and tab-separated rows (the loaders write HTML and
DOCX table rows that way). A number in a table cell takes its subject and unit from the row
label (生均教学及辅助用房面积（平方米）) and its stage from the column header (小学 / 初中), or
else from the table's caption (表1 小学资源配置指标校际差异系数). A column of coefficients
(差异系数) holds coefficients whatever unit its row names.

A header with no bracketed unit gives one by its own words (在校生数 -> person, 生均仪器设备值
-> CNY), and a unit statement just above the table (设备值单位为元, 单位：万元) gives the unit
and scale of the columns it names, or of the whole table. A column or row that names a
standard (国家标准, 小学标准) holds thresholds: its cells have ``standard`` set. The words are
data: ``extract/data/tables.yaml``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from junheng.extract import datafiles

_SEP_ROW = re.compile(r"^[\s|:\-—]+$")
_UNIT_HINT = re.compile(r"[(（]\s*([^()（）]{1,6})\s*[)）]")
_CAPTION_MAX = 40  # longer lines above a table are prose, not its caption

_DATA = datafiles.load("tables.yaml")
UNITS: dict[str, tuple[str, float]] = {
    w: (spec["unit"], float(spec.get("scale", 1.0))) for w, spec in _DATA["units"].items()
}
# kept for callers of the old names: unit word -> unit class, unit word -> scale
UNIT_HINTS = {w: u for w, (u, _) in UNITS.items()}
SCALE = {w: s for w, (_, s) in UNITS.items() if s != 1.0}
_WORDS = [
    (re.compile(r["match"]), r["unit"], bool(r.get("override"))) for r in _DATA["header_words"]
]
_WHOLE_TABLE = tuple(_DATA["statement_whole_table"])
_STANDARD = re.compile(_DATA["standard_header"])
_NOT_STANDARD = tuple(_DATA["not_standard"])
_UNIT_ALT = "|".join(re.escape(w) for w in sorted(UNITS, key=len, reverse=True))
# [name]单位为|是|：<unit>, the unit ending at a mark (单位：人、所 names two units: no statement)
_STATEMENT = re.compile(
    r"(?P<name>[^，,；;。（()）：:、\s]{0,10})单位\s*(?:为|是|[:：])\s*"
    rf"(?P<unit>{_UNIT_ALT})(?:/[^\s，,；;。()（）/]{{1,4}})?(?=[）)，,。；;：:\s]|$)"
)


@dataclass(slots=True)
class Cell:
    start: int
    end: int
    row_label: str
    col_header: str
    unit: str | None
    scale: float
    caption: str = ""  # the short line just above the table, if any
    standard: bool = False  # its column or row names a standard (国家标准): a threshold


@dataclass(slots=True)
class _Statement:
    name: str  # "" for the whole table
    unit: str
    scale: float


class Tables:
    """All table cells of a view, searchable by position."""

    def __init__(self, text: str):
        self.cells: list[Cell] = []
        header: list[str] | None = None
        caption = last = before = ""
        statements: list[_Statement] = []
        aligned = _aligned_rows(text) if "  " in text else {}
        for m in re.finditer(r"[^\n]*", text):
            line = m.group()
            if not line:
                continue
            if m.start() in aligned:
                parts, offsets = aligned[m.start()]
            elif "\t" in line:
                parts = line.split("\t")
                offsets = _offsets(line, "\t", m.start())
            elif line.count("|") >= 2 and line.strip().startswith("|"):
                inner = line.strip()
                lead = m.start() + line.index(inner[0]) + 1
                parts = inner.strip("|").split("|")
                offsets = _offsets(inner.strip("|"), "|", lead)
            else:
                header = None
                before, last = last, line.strip()
                continue
            if _SEP_ROW.match(line):
                continue
            if header is None:
                header = [p.strip() for p in parts]
                caption = last if len(last) <= _CAPTION_MAX else ""
                statements = _statements(last)
                if len(last) <= _CAPTION_MAX and before:
                    # a caption line and a unit line (单位：万元), in either order
                    statements += _statements(before)
                    if (
                        statements
                        and not _STATEMENT.sub("", last).strip(" （()）:：")
                        and len(before) <= _CAPTION_MAX
                    ):
                        caption = before
                named = [s for s in statements if s.name]
                statements = named + [s for s in statements if not s.name]
                continue
            label = parts[0].strip()
            for k in range(1, len(parts)):
                col = header[k] if k < len(header) else ""
                row_words, col_words = _words(label), _words(col)
                unit, scale = _cell_unit(label, col, row_words, col_words, statements)
                self.cells.append(
                    Cell(
                        offsets[k],
                        offsets[k] + len(parts[k]),
                        row_words,
                        col_words,
                        unit,
                        scale,
                        caption,
                        _is_standard(col_words) or _is_standard(row_words),
                    )
                )
        self.starts = [c.start for c in self.cells]

    def cell_at(self, pos: int) -> Cell | None:
        i = bisect_right(self.starts, pos) - 1
        if i >= 0 and self.cells[i].start <= pos < self.cells[i].end:
            return self.cells[i]
        return None


def _cell_unit(
    label: str, col: str, row_words: str, col_words: str, statements: list[_Statement]
) -> tuple[str | None, float]:
    """Unit and scale of a cell; the order is that of ``tables.yaml``."""
    by_col = _header_unit(col_words)
    if by_col is not None and by_col[1]:
        return by_col[0], 1.0  # 差异系数, 达标率: the column decides
    for text in (label, col):
        hint = _bracket_unit(text)
        if hint is not None:
            return hint
    words = by_col or _header_unit(row_words)
    own = words[0] if words else None
    for st in statements:
        if st.name and not (_names(st.name, col_words) or _names(st.name, row_words)):
            continue
        if own is None or own == st.unit:
            return st.unit, st.scale
    return own, 1.0


def _bracket_unit(text: str) -> tuple[str, float] | None:
    for hint in _UNIT_HINT.finditer(text):
        word = hint.group(1).strip()
        got = UNITS.get(word) or UNITS.get(word.split("/")[0].strip())
        if got is not None:
            return got
    return None


@lru_cache(maxsize=4096)
def _header_unit(words: str) -> tuple[str, bool] | None:
    """(unit, override) that a header's own words name, or None."""
    if not words:
        return None
    for pattern, unit, override in _WORDS:
        if pattern.search(words):
            return unit, override
    return None


def _names(name: str, header: str) -> bool:
    """Whether a unit statement's name (生均面积, 设备值) is about this header."""
    if not header:
        return False
    if name in header:
        return True
    a, b = _header_unit(name), _header_unit(header)
    return a is not None and b is not None and a[0] == b[0]


def _statements(line: str) -> list[_Statement]:
    if "单位" not in line:
        return []
    out = []
    for m in _STATEMENT.finditer(line):
        name = m.group("name")
        if name.startswith(_WHOLE_TABLE) and not _header_unit(name):
            name = ""
        unit, scale = UNITS[m.group("unit")]
        out.append(_Statement(name, unit, scale))
    return out


def _is_standard(words: str) -> bool:
    return (
        bool(words)
        and _STANDARD.search(words) is not None
        and not any(w in words for w in _NOT_STANDARD)
    )


_CHUNK = re.compile(r"[^ ]+(?: [^ ]+)*")  # a cell of a space-aligned row: runs of one space inside
_NUMERIC = re.compile(r"[<>≤≥约]?\d[\d,.]*%?(?:以上|以下|以内)?")


def _aligned_rows(text: str) -> dict[int, tuple[list[str], list[int]]]:
    """Rows of tables laid out with runs of two or more spaces (text taken from PDFs and
    fixed-width reports): a block of adjacent lines with the same number (three or more) of
    cells, a header and at least one row whose cells past the first are mostly numbers. Line
    start -> (cells, cell offsets)."""
    rows: list[tuple[int, int, list[str], list[int]]] = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        if "  " not in line.strip():
            continue
        chunks = list(_CHUNK.finditer(line))
        if len(chunks) < 3 or any(
            line[a.end() : b.start()].count(" ") < 2
            for a, b in zip(chunks, chunks[1:], strict=False)
        ):
            continue
        rows.append(
            (
                m.start(),
                m.end(),
                [c.group() for c in chunks],
                [m.start() + c.start() for c in chunks],
            )
        )
    out: dict[int, tuple[list[str], list[int]]] = {}
    i = 0
    while i < len(rows):
        j = i
        while (
            j + 1 < len(rows)
            and text[rows[j][1] : rows[j + 1][0]] == "\n"
            and len(rows[j + 1][2]) == len(rows[i][2])
        ):
            j += 1
        body = rows[i + 1 : j + 1]
        if body and all(
            sum(bool(_NUMERIC.fullmatch(c)) for c in r[2][1:]) * 2 >= len(r[2]) - 1 for r in body
        ):
            for start, _, cells, offsets in rows[i : j + 1]:
                out[start] = (cells, offsets)
        i = j + 1
    return out


def _words(header: str) -> str:
    """A label or header without its unit hint, but for a per-100 hint (人/百生), which names
    the measure (每百名学生拥有…)."""
    words = _UNIT_HINT.sub("", header).strip()
    if _PER_100.search(header) and "每百名" not in words:
        words = "每百名学生" + words
    return words


_PER_100 = re.compile(r"[(（][^()（）]*(?:百生|百名)[^()（）]*[)）]")


def _offsets(line: str, sep: str, base: int) -> list[int]:
    out, pos = [], base
    for part in line.split(sep):
        out.append(pos)
        pos += len(part) + len(sep)
    return out
