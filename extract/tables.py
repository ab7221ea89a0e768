"""Tables in text: pipe tables (Markdown) and tab-separated rows (the loaders write HTML and
DOCX table rows that way). A number in a table cell takes its subject and unit from the row
label (生均教学及辅助用房面积（平方米）) and its stage from the column header (小学 / 初中), or
else from the table's caption (表1 小学资源配置指标校际差异系数). A column of coefficients
(差异系数) holds coefficients whatever unit its row names.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_SEP_ROW = re.compile(r"^[\s|:\-—]+$")
_UNIT_HINT = re.compile(r"[(（]\s*([^()（）]{1,6})\s*[)）]")
UNIT_HINTS = {
    "平方米": "m2",
    "㎡": "m2",
    "m2": "m2",
    "元": "CNY",
    "万元": "CNY",
    "亿元": "CNY",
    "%": "percent",
    "％": "percent",
    "人": "person",
    "名": "person",
    "所": "school",
    "个": "count",
    "间": "count",
    "台": "count",
    "册": "count",
    "倍": "multiple",
}
SCALE = {"万元": 1e4, "亿元": 1e8}
_CAPTION_MAX = 40  # longer lines above a table are prose, not its caption


@dataclass(slots=True)
class Cell:
    start: int
    end: int
    row_label: str
    col_header: str
    unit: str | None
    scale: float
    caption: str = ""  # the short line just above the table, if any


class Tables:
    """All table cells of a view, searchable by position."""

    def __init__(self, text: str):
        self.cells: list[Cell] = []
        header: list[str] | None = None
        caption = last = ""
        for m in re.finditer(r"[^\n]*", text):
            line = m.group()
            if not line:
                continue
            if "\t" in line:
                parts = line.split("\t")
                offsets = _offsets(line, "\t", m.start())
            elif line.count("|") >= 2 and line.strip().startswith("|"):
                inner = line.strip()
                lead = m.start() + line.index(inner[0]) + 1
                parts = inner.strip("|").split("|")
                offsets = _offsets(inner.strip("|"), "|", lead)
            else:
                header = None
                last = line.strip()
                continue
            if _SEP_ROW.match(line):
                continue
            if header is None:
                header = [p.strip() for p in parts]
                caption = last if len(last) <= _CAPTION_MAX else ""
                continue
            label = parts[0].strip()
            for k in range(1, len(parts)):
                col = header[k] if k < len(header) else ""
                hint = _UNIT_HINT.search(label) or _UNIT_HINT.search(col)
                unit_word = hint.group(1).strip() if hint else ""
                if "系数" in col:
                    unit_word = ""  # the engine makes it a coefficient
                self.cells.append(
                    Cell(
                        offsets[k],
                        offsets[k] + len(parts[k]),
                        _UNIT_HINT.sub("", label).strip(),
                        _UNIT_HINT.sub("", col).strip(),
                        UNIT_HINTS.get(unit_word),
                        SCALE.get(unit_word, 1.0),
                        caption,
                    )
                )
        self.starts = [c.start for c in self.cells]

    def cell_at(self, pos: int) -> Cell | None:
        i = bisect_right(self.starts, pos) - 1
        if i >= 0 and self.cells[i].start <= pos < self.cells[i].end:
            return self.cells[i]
        return None


def _offsets(line: str, sep: str, base: int) -> list[int]:
    out, pos = [], base
    for part in line.split(sep):
        out.append(pos)
        pos += len(part) + len(sep)
    return out
