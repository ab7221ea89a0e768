"""The document view: the original text with every claim highlighted and coloured by verdict.

Server-side rendering cuts the text at every claim, chrome and duplicate-body boundary and wraps
each piece once, so offsets stay exact and no markup nests across claims. The page (template in
templates/view.html) adds a legend with counts, a side panel with the selected record,
keyboard/scroll navigation, greyed page chrome and marked duplicate copies.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Any

import yaml

HERE = Path(__file__).parent
CONTEXT_CHARS = 60  # either side of a claim when its sentence is unknown


@dataclass(frozen=True, slots=True)
class VerdictStyle:
    id: str
    legend: str
    colour: str
    background: str
    labels: tuple[str, ...]


@lru_cache(maxsize=1)
def verdict_styles() -> tuple[VerdictStyle, ...]:
    raw = yaml.safe_load((HERE / "data" / "verdicts.yaml").read_text(encoding="utf-8"))
    return tuple(
        VerdictStyle(
            d["id"],
            d["legend"],
            d["colour"],
            d["background"],
            tuple(str(x).lower() for x in d.get("labels", [])),
        )
        for d in raw
    )


def verdict_class(label: str | None) -> str:
    """The style id of a verdict label (``info`` for labels the data file does not know)."""
    low = (label or "unchecked").lower()
    for style in verdict_styles():
        if low == style.id or low in style.labels:
            return style.id
    return "info"


@lru_cache(maxsize=1)
def _template() -> Template:
    return Template((HERE / "templates" / "view.html").read_text(encoding="utf-8"))


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _segments(
    n: int,
    claims: list[dict[str, Any]],
    chrome: list[tuple[int, int]],
    dups: list[tuple[int, int, int]],
) -> list[tuple[int, int, int, bool, bool]]:
    """(start, end, claim index or -1, in chrome, in duplicate body) for each piece of text."""
    cuts = {0, n}
    for c in claims:
        cuts.update((c["start"], c["end"]))
    for s, e in chrome:
        cuts.update((s, e))
    for s, e, first in dups:
        cuts.update((s, e, first))
    cuts = sorted(x for x in cuts if 0 <= x <= n)
    by_start = sorted(range(len(claims)), key=lambda i: (claims[i]["start"], -claims[i]["end"]))
    out, k, active = [], 0, []
    for a, b in zip(cuts, cuts[1:], strict=False):
        while k < len(by_start) and claims[by_start[k]]["start"] <= a:
            active.append(by_start[k])
            k += 1
        active = [i for i in active if claims[i]["end"] > a]
        claim = min(active, key=lambda i: claims[i]["end"] - claims[i]["start"], default=-1)
        out.append((a, b, claim, _inside(chrome, a, b), any(s <= a and b <= e for s, e, _ in dups)))
    return out


def render_body(
    text: str,
    claims: list[dict[str, Any]],
    chrome: list[tuple[int, int]],
    dups: list[tuple[int, int, int]],
) -> str:
    """The text as HTML: <mark class="c v-…" data-i=…> per claim piece, chrome and repeats marked."""
    claims_ok = [c for c in claims if 0 <= c["start"] < c["end"] <= len(text)]
    index = {id(c): i for i, c in enumerate(claims)}
    dup_starts = {s: first for s, _, first in dups}
    anchors = {first for _, _, first in dups}
    parts: list[str] = []
    for a, b, ci, in_chrome, in_dup in _segments(len(text), claims_ok, chrome, dups):
        if a in anchors:
            parts.append(f'<span id="at-{a}"></span>')
        if a in dup_starts:
            parts.append(
                f'<span class="dup-badge" data-first="{dup_starts[a]}" title="this body '
                f'repeats the text from offset {dup_starts[a]}; click to go there">'
                "↻ repeated copy</span>"
            )
        piece = html.escape(text[a:b], quote=False)
        classes = (["chrome"] if in_chrome else []) + (["dup"] if in_dup else [])
        if ci >= 0:
            c = claims_ok[ci]
            classes = [
                "c",
                f"v-{c['_vclass']}",
                *(["dupc"] if c.get("duplicate_of") else []),
                *classes,
            ]
            parts.append(
                f'<mark class="{" ".join(classes)}" data-i="{index[id(c)]}">{piece}</mark>'
            )
        elif classes:
            parts.append(f'<span class="{" ".join(classes)}">{piece}</span>')
        else:
            parts.append(piece)
    return "".join(parts)


def _context(text: str, c: dict[str, Any]) -> tuple[str, list[int]]:
    s, e = c.get("sentence_start"), c.get("sentence_end")
    if s is None or e is None or not (0 <= s <= c["start"] and c["end"] <= e <= len(text)):
        s, e = max(0, c["start"] - CONTEXT_CHARS), min(len(text), c["end"] + CONTEXT_CHARS)
    return text[s:e].strip("\n"), [
        c["start"] - s - _lstrip(text[s:e]),
        c["end"] - s - _lstrip(text[s:e]),
    ]


def _lstrip(s: str) -> int:
    return len(s) - len(s.lstrip("\n"))


def render_view(
    doc: dict[str, Any], text: str, claims: list[dict[str, Any]], findings: list[dict[str, Any]]
) -> str:
    """The whole HTML page of one document.

    ``doc`` has the API's document fields (id, name, title, date, year, region, chrome,
    duplicates as lists); ``claims`` are API claim records.
    """
    chrome = [(int(s), int(e)) for s, e in (doc.get("chrome") or [])]
    dups = [(int(s), int(e), int(f)) for s, e, f in (doc.get("duplicates") or [])]
    labels: dict[str, str] = {}
    data = []
    for i, c in enumerate(claims):
        from junheng.corpus.store import verdict_status

        label = verdict_status(c.get("verdict"))
        c["_vclass"] = vclass = verdict_class(label)
        labels.setdefault(vclass, label)
        ctx, hl = _context(text, c)
        data.append(
            {
                **{
                    k: c.get(k)
                    for k in (
                        "id",
                        "surface",
                        "subject",
                        "value",
                        "value_low",
                        "value_high",
                        "unit",
                        "qualifier",
                        "kind",
                        "time",
                        "region",
                        "level",
                        "area",
                        "indicator",
                        "verdict",
                        "duplicate_of",
                        "start",
                        "end",
                    )
                },
                "i": i,
                "vclass": vclass,
                "vlabel": label,
                "context": ctx,
                "context_hl": hl,
                "in_chrome": _inside(chrome, c["start"], c["end"]),
            }
        )
    counts = Counter(d["vclass"] for d in data)
    legend = []
    for st in verdict_styles():
        if counts.get(st.id) or st.id in ("pass", "fail", "unchecked"):
            legend.append(
                f'<li data-v="{st.id}" class="v-{st.id}"><span class="sw"></span>'
                f'{html.escape(st.legend)}<span class="n">{counts.get(st.id, 0)}</span></li>'
            )
    n_dup_claims = sum(1 for c in claims if c.get("duplicate_of"))
    legend.append(
        '<li class="static"><span class="sw" style="background:#f3f3f3;box-shadow:none">'
        f'</span>page chrome (greyed)<span class="n">{len(chrome)}</span></li>'
    )
    legend.append(
        '<li class="static"><span class="dup-badge">↻</span>repeated copy of the body (tinted)'
        f'<span class="n">{len(dups)}</span></li>'
    )
    if n_dup_claims:
        legend.append(
            '<li class="static"><span class="sw" style="background:repeating-linear-'
            'gradient(135deg,#ddd 0 4px,#fff 4px 7px)"></span>claim repeating an '
            f'earlier one<span class="n">{n_dup_claims}</span></li>'
        )
    css = "\n".join(
        f".v-{st.id} {{ --vc: {st.colour}; --vb: {st.background}; }}" for st in verdict_styles()
    )
    meta = [f"<span>{html.escape(str(doc.get('name') or ''))}</span>"]
    for key in ("region", "date", "year"):
        if doc.get(key):
            meta.append(f"<span>{html.escape(str(doc[key]))}</span>")
    meta.append(f"<span>{len(claims)} claims</span>")
    meta.append(
        f'<span><a href="/documents/{doc["id"]}">JSON</a> · '
        f'<a href="/documents/{doc["id"]}/claims">claims</a></span>'
    )
    fl = ""
    if findings:
        items = "".join(
            f"<li>{html.escape(f.get('message') or f.get('kind') or '')} "
            f'<span class="sev">{html.escape(f.get("severity") or "")} '
            f"{html.escape(f.get('kind') or '')}</span></li>"
            for f in findings
        )
        fl = f'<h2>Consistency findings</h2><ol class="findings">{items}</ol>'
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return _template().safe_substitute(
        title=html.escape(doc.get("title") or doc.get("name") or doc["id"]),
        meta="".join(meta),
        body=render_body(text, claims, chrome, dups),
        legend="".join(legend),
        claims_json=payload,
        verdict_css=css,
        findings=fl,
    )
