"""The analysis view: the text extraction matches against, with a map back to the original.

Normalisation: traditional -> simplified (OpenCC ``t2s``, one character for one), full-width ->
half-width ASCII, ideographic space -> space, years in Chinese digits -> Arabic digits
(``二〇二三年`` -> ``2023年``), and line breaks that split a number or a number
and its unit removed (``1.7\\n亿元``). ``to_orig[i]`` is the original offset of view character i,
so any span of the view maps back exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_FW = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FW[0x3000] = 0x20
# Full-width punctuation that Chinese text keeps as its own (、 。 are not in the FF range).
# We map everything in FF01-FF5E to ASCII: ，→ ,  ：→ :  （→ (  ％→ %  ．→ .  etc.
# Split-number joins: a line break (with optional spaces) between a digit/numeral and a digit,
# decimal point, multiplier or counter.
# The match includes the character before the break (a leading character class lets ``re`` skip
# ahead quickly, where a look-behind would be tried at every position); the join removes
# what follows that character.
_SPLIT = re.compile(
    r"[0-9.零〇一二两三四五六七八九十百千万亿][ \t]*\r?\n[ \t]*(?=[0-9.%万亿千百元所个名人倍])"
)
# str.translate looks up every character; a regex finds the few full-width ones much faster
_FW_RE = re.compile("[\uff01-\uff5e\u3000]")
_FW_CHARS = {chr(k): chr(v) for k, v in _FW.items()}


def to_halfwidth(text: str) -> str:
    """Full-width ASCII forms and the ideographic space to half-width; same length."""
    return _FW_RE.sub(lambda m: _FW_CHARS[m.group()], text)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s").convert


@dataclass(slots=True)
class AnalysisView:
    text: str
    to_orig: list[int] | None  # None when the view is 1:1 with the original

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        if self.to_orig is None:
            return start, end
        return self.to_orig[start], self.to_orig[end - 1] + 1

    def orig_index(self, i: int) -> int:
        if self.to_orig is None:
            return i
        if i >= len(self.to_orig):
            return self.to_orig[-1] + 1 if self.to_orig else 0
        return self.to_orig[i]


@lru_cache(maxsize=1)
def _traditional_chars() -> re.Pattern:
    """Every CJK character that t2s changes (computed once from OpenCC itself)."""
    block = "".join(chr(c) for c in range(0x3400, 0xA000))
    conv = _t2s()(block)
    if len(conv) != len(block):
        return re.compile(".")
    chars = "".join(a for a, b in zip(block, conv, strict=True) if a != b)
    return re.compile(f"[{re.escape(chars)}]")


def to_simplified(text: str) -> str:
    """t2s conversion; falls back to the text itself if OpenCC ever changes the length. Text with
    no traditional character is returned as it is (the check runs at C speed)."""
    if not _traditional_chars().search(text):
        return text
    out = _t2s()(text)
    return out if len(out) == len(text) else text


# A year in Chinese digits (二〇二三年, 二零二三年, 一九九八年) reads as the Arabic year it is: one
# digit for one character, so every date and time rule sees 2023年
_CN_YEAR = re.compile("(?:一九|二[〇○零])[〇○零一二三四五六七八九]{2}(?=\\s*年)")
_CN_YEAR_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")


def arabic_years(text: str) -> str:
    """Years written in Chinese digits as Arabic digits; same length."""
    if "〇" not in text and "○" not in text and "零" not in text and "一九" not in text:
        return text
    return _CN_YEAR.sub(lambda m: m.group().translate(_CN_YEAR_DIGITS), text)


def analysis_view(text: str, traditional: bool | None = None) -> AnalysisView:
    """Build the normalised view of ``text``.

    ``traditional=None`` converts always (t2s leaves simplified text unchanged, at a cost of a few
    ms per MB); pass False to skip it.
    """
    view = to_halfwidth(text)
    if traditional is not False:
        view = to_simplified(view)
    view = arabic_years(view)
    if "\n" not in view or not _SPLIT.search(view):
        return AnalysisView(view, None)
    keep: list[int] = []
    pieces: list[str] = []
    pos = 0
    for m in _SPLIT.finditer(view):
        cut = m.start() + 1
        pieces.append(view[pos:cut])
        keep.extend(range(pos, cut))
        pos = m.end()
    pieces.append(view[pos:])
    keep.extend(range(pos, len(view)))
    return AnalysisView("".join(pieces), keep)
