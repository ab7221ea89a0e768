"""Repeated bodies: web pages that print the article twice (a print view, a mobile copy).

``detect_duplicates(text)`` finds the second occurrence of a run of paragraphs (lines) that
already appeared earlier, and returns ``DuplicateBody(start, end, first_start)`` pieces with
``text[start:end] == text[first_start:first_start + (end - start)]`` exactly. Paragraphs are
compared with all whitespace removed; where the two copies differ in whitespace, the piece is
split so that every piece is an exact copy (a claim inside a piece maps to its first copy by
the piece's offset shift).

A run counts when it has at least ``min_paragraphs`` paragraphs and ``min_run_chars``
characters, or a single paragraph of at least ``min_chars`` characters. Short lines next to an
accepted run (a repeated title) join it.
"""

from __future__ import annotations

import re

from junheng.corpus.document import DuplicateBody

_WS = re.compile(r"\s+")
_STRIP = " \t\r\u3000\u00a0\ufeff"
MAX_CANDIDATES = 8


def _paragraphs(text: str) -> tuple[list[int], list[int], list[str]]:
    starts: list[int] = []
    ends: list[int] = []
    keys: list[str] = []
    pos = 0
    n = len(text)
    while pos <= n:
        e = text.find("\n", pos)
        if e < 0:
            e = n
        s, t = pos, e
        while s < t and text[s] in _STRIP:
            s += 1
        while t > s and text[t - 1] in _STRIP:
            t -= 1
        if s < t:
            key = _WS.sub("", text[s:t])
            if key:
                starts.append(s)
                ends.append(t)
                keys.append(key)
        pos = e + 1
    return starts, ends, keys


def detect_duplicates(
    text: str,
    min_paragraphs: int = 2,
    min_run_chars: int = 30,
    min_chars: int = 200,
    neighbour_lines: int = 4,
) -> list[DuplicateBody]:
    starts, ends, keys = _paragraphs(text)
    n = len(keys)
    if n < 2:
        return []
    occ: dict[str, list[int]] = {}
    covered = [False] * n
    pairs: list[tuple[int, int]] = []  # (paragraph in the later copy, paragraph in the first)
    runs: list[tuple[int, int, int]] = []  # (i, j, m)

    i = 0
    while i < n:
        prev = occ.get(keys[i])
        best_m, best_j = 0, -1
        if prev:
            for j in prev:
                m = 0
                while i + m < n and j + m < i and keys[j + m] == keys[i + m]:
                    m += 1
                if m > best_m:
                    best_m, best_j = m, j
        accepted = False
        if best_m:
            chars = sum(len(keys[i + k]) for k in range(best_m))
            if (best_m >= min_paragraphs and chars >= min_run_chars) or chars >= min_chars:
                accepted = True
        step = best_m if accepted else 1
        for k in range(step):
            lst = occ.setdefault(keys[i + k], [])
            if len(lst) < MAX_CANDIDATES:
                lst.append(i + k)
        if accepted:
            runs.append((i, best_j, best_m))
            for k in range(best_m):
                covered[i + k] = True
                pairs.append((i + k, best_j + k))
        i += step

    # repeated short lines (a title, a byline) next to an accepted run join it
    for i, j, m in runs:
        for p_range, q_range in (
            (range(max(0, i - neighbour_lines), i), range(max(0, j - neighbour_lines), j)),
            (
                range(i + m, min(n, i + m + neighbour_lines)),
                range(j + m, min(i, j + m + neighbour_lines)),
            ),
        ):
            for p in p_range:
                if covered[p] or len(keys[p]) < 6:
                    continue
                for q in q_range:
                    if q < p and not covered[q] and keys[q] == keys[p]:
                        covered[p] = True
                        pairs.append((p, q))
                        break

    pairs.sort()
    pieces: list[list[int]] = []
    for p, q in pairs:
        for s, e, f in _exact_pieces(text, starts[p], ends[p], starts[q], ends[q]):
            if pieces:
                ls, le, lf = pieces[-1]
                gap = s - le
                if (
                    s - ls == f - lf
                    and gap >= 0
                    and lf + (e - ls) <= ls
                    and text[le:s] == text[lf + (le - ls) : f]
                ):
                    pieces[-1][1] = e
                    continue
            pieces.append([s, e, f])
    return [DuplicateBody(s, e, f) for s, e, f in pieces]


def _exact_pieces(text: str, bs: int, be: int, as_: int, ae: int) -> list[tuple[int, int, int]]:
    """Pieces ``(start, end, first_start)`` of paragraph ``text[bs:be]`` that equal ``text[as_:ae]``
    character for character, skipping whitespace where the two differ."""
    a = text[as_:ae]
    b = text[bs:be]
    if a == b:
        return [(bs, be, as_)]
    out: list[tuple[int, int, int]] = []
    i = j = 0
    cur: tuple[int, int] | None = None
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            if cur is None:
                cur = (i, j)
            i += 1
            j += 1
            continue
        if cur is not None:
            out.append((bs + cur[1], bs + j, as_ + cur[0]))
            cur = None
        if a[i].isspace():
            i += 1
        elif b[j].isspace():
            j += 1
        else:  # not a whitespace difference after all: stop here
            break
    if cur is not None:
        out.append((bs + cur[1], bs + j, as_ + cur[0]))
    # drop trailing/leading whitespace-only pieces
    return [(s, e, f) for s, e, f in out if text[s:e].strip()]


def duplicate_of(dups: list[DuplicateBody], start: int, end: int) -> tuple[int, int] | None:
    """Where ``text[start:end]`` (inside a later copy) first appears, or None."""
    for d in dups:
        if d.start <= start and end <= d.end:
            shift = d.first_start - d.start
            return start + shift, end + shift
    return None
