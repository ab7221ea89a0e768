"""Offsets of a page's plain text in the page's own markup.

CLAIMS.md grounds a claim in the original text "as Python reads it": for an HTML file that is
the markup itself, while extraction reads the loader's plain text (``formats.html_to_text``).
This module maps every character of the plain text back to its offset in the markup, so an
export can give both.

The map is built without trusting the HTML parser's idea of positions: the markup is read once
into its visible characters (outside tags, comments, ``<script>``/``<style>``, entities decoded),
each with its offset, and the plain text's lines are found in that stream in order. Whitespace
is left out on both sides (the loader collapses and inserts it), so a line matches the stream
however the page broke it; a character that cannot be placed maps to -1.
"""

from __future__ import annotations

import html
import re

# what the stream skips: tags, comments, declarations, and the bodies of elements never shown
_SKIP = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style|noscript|template|textarea)\b[^>]*>.*?(?:</\1\s*>|$)"
    r"|<![^>]*>|<\?[^>]*>|</?[A-Za-z][^>]*>",
    re.S | re.I,
)
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
_WINDOW = 200_000  # how far ahead of the last placed line the next line is looked for
_REACH = 200  # how far ahead a character of a rewritten line is looked for
_SPACE = frozenset(" \t\r\n\f\v\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff")


def visible_stream(markup: str) -> tuple[str, list[int]]:
    """The visible non-space characters of ``markup`` and the offset of each in it."""
    chars: list[str] = []
    offs: list[int] = []
    pos = 0
    for m in _SKIP.finditer(markup):
        _add_text(markup, pos, m.start(), chars, offs)
        pos = m.end()
    _add_text(markup, pos, len(markup), chars, offs)
    return "".join(chars), offs


def _add_text(markup: str, a: int, b: int, chars: list[str], offs: list[int]) -> None:
    i = a
    while i < b:
        ch = markup[i]
        if ch == "&":
            m = _ENTITY.match(markup, i, b)
            if m is not None:
                for c in html.unescape(m.group()):
                    if c not in _SPACE:
                        chars.append(c)
                        offs.append(i)  # every character of an entity points at its '&'
                i = m.end()
                continue
        if ch not in _SPACE:
            chars.append(ch)
            offs.append(i)
        i += 1


def source_offsets(markup: str, text: str) -> list[int]:
    """For each character of ``text`` (the plain text of ``markup``), its offset in
    ``markup``, or -1 for whitespace the loader made and characters it could not place."""
    stream, offs = visible_stream(markup)
    out = [-1] * len(text)
    cursor = 0
    line_start = 0
    for line in text.split("\n"):
        idx = [line_start + k for k, ch in enumerate(line) if ch not in _SPACE]
        line_start += len(line) + 1
        if not idx:
            continue
        key = "".join(text[k] for k in idx)
        # a line stands close after the one before; a bounded look keeps a page whose lines
        # do not match from costing a scan of the whole stream per line
        at = stream.find(key, cursor, cursor + len(key) + _WINDOW)
        if at < 0:
            # a line that is not one run of the stream (text the loader rewrote): place its
            # characters one by one, each after the one before
            at = cursor
            for k in idx:
                j = stream.find(text[k], at, at + _REACH)
                if j < 0:
                    continue  # not near: leave it unplaced rather than jump ahead
                out[k] = offs[j]
                at = j + 1
            cursor = at
            continue
        for n, k in enumerate(idx):
            out[k] = offs[at + n]
        cursor = at + len(key)
    return out


def source_span(markup: str, offsets: list[int], start: int, end: int) -> tuple[int, int] | None:
    """The markup span of ``text[start:end]``: from its first placed character to the end of
    its last (an entity's whole length included); None where nothing in it is placed."""
    a = next((offsets[k] for k in range(start, end) if offsets[k] >= 0), -1)
    b = next((offsets[k] for k in range(end - 1, start - 1, -1) if offsets[k] >= 0), -1)
    if a < 0 or b < a:
        return None
    m = _ENTITY.match(markup, b) if markup.startswith("&", b) else None
    return a, m.end() if m is not None else b + 1
