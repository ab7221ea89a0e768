"""Scorecards and comparison panels of regions, from the store's claims.

The choice of one value per (region, indicator, level, area, unit, kind, year) is
junheng.indicators.compare's (exact figures first, then the latest document, then a stated
year; repeated bodies, targets and quoted thresholds left out), so the API, ``junheng compare``
and its charts agree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from junheng.api.queries import claim_out, parse_json
from junheng.extract.record import Claim

SeriesKey = tuple[str, str, str, str | None, str, str]  # region, indicator, level, area, unit, kind


def build_panel(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[tuple, dict]]:
    """Panel rows (indicators.compare) of store claim rows, and the claim rows by span."""
    from junheng.indicators.compare import DocMeta, build_panel, candidates

    by_doc: dict[str, list[Claim]] = defaultdict(list)
    metas: dict[str, DocMeta] = {}
    spans: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        by_doc[r["doc_key"]].append(Claim.from_dict({**r, "verdict": parse_json(r["verdict"])}))
        metas[r["doc_key"]] = DocMeta(r["doc_key"], r["_year"], r["_date"], r["_region"])
        spans[(r["doc_key"], r["start"], r["end"])] = r
    cands, _skipped = candidates([(metas[k], cs) for k, cs in by_doc.items()])
    return build_panel(cands), spans


def _key(row: dict[str, Any]) -> SeriesKey:
    return (
        row["region"],
        row["indicator"],
        row["level"],
        row["area"] or None,
        row["unit"],
        row["kind"],
    )


def _point(row: dict[str, Any], spans: dict[tuple, dict]) -> dict[str, Any]:
    claim = spans[(row["doc"], row["start"], row["end"])]
    return {
        "year": row["year"],
        "value": row["value"],
        "claim_id": claim["id"],
        "doc_key": row["doc"],
        "surface": row["surface"],
        "qualifier": row["qualifier"],
        "verdict_status": row["verdict_status"],
        "n_candidates": row["n_candidates"],
        "conflict": row["conflict"],
    }


def _change(points: list[dict[str, Any]]) -> str | None:
    if len(points) < 2:
        return None
    a, b = points[-2]["value"], points[-1]["value"]
    return "flat" if abs(b - a) <= 1e-9 * max(1.0, abs(a)) else ("up" if b > a else "down")


def _series(panel: list[dict[str, Any]]) -> dict[SeriesKey, list[dict[str, Any]]]:
    series: dict[SeriesKey, list[dict[str, Any]]] = defaultdict(list)
    for row in panel:
        series[_key(row)].append(row)
    for rows in series.values():
        rows.sort(key=lambda r: r["year"])
    return series


def scorecard(
    name: str, rows: list[dict[str, Any]], refs: dict[str, dict], indicators: dict[str, Any]
) -> dict[str, Any]:
    """Per indicator series of a region: the latest value, verdicts, trend and its direction."""
    panel, spans = build_panel(rows)
    verdicts: dict[tuple, Counter] = defaultdict(Counter)
    for r in rows:
        verdicts[(r["indicator"], r["level"], r["unit"], r["kind"])][r["verdict_status"]] += 1
    items = []
    for key, series in sorted(_series(panel).items(), key=lambda kv: [str(x) for x in kv[0]]):
        _region, ind, level, area, unit, kind = key
        trend = [_point(r, spans) for r in series]
        change = _change(trend)
        info = indicators.get(ind)
        direction = getattr(info, "direction", "none")
        improving = None
        if change is not None and direction in ("higher", "lower"):
            improving = change == "flat" or (change == "up") == (direction == "higher")
        last = series[-1]
        items.append(
            {
                "indicator": ind,
                "name_zh": getattr(info, "name_zh", None),
                "level": level,
                "area": area,
                "unit": unit,
                "kind": kind,
                "latest": claim_out(spans[(last["doc"], last["start"], last["end"])], refs),
                "verdicts": dict(verdicts[(ind, level, unit, kind)]),
                "trend": trend,
                "change": change,
                "improving": improving,
            }
        )
    return {"region": name, "items": items, "total": len(items)}


def compare_panel(
    indicator: str, names: list[str], rows: list[dict[str, Any]], name_zh: str | None
) -> dict[str, Any]:
    """The panel of one indicator for the given regions, one series per region and breakdown.

    An anonymised region (**市, (unnamed county)) stays per document: "**市 [doc id]".
    """
    panel, spans = build_panel(rows)

    def asked(region: str) -> str | None:
        return next((n for n in names if region == n or region.startswith(n + " [")), None)

    items, found = [], set()
    series = _series(panel)
    for key in sorted(
        series, key=lambda k: (names.index(asked(k[0]) or names[0]), [str(x) for x in k])
    ):
        region, _ind, level, area, unit, kind = key
        if asked(region) is None:
            continue
        found.add(asked(region))
        items.append(
            {
                "region": region,
                "level": level,
                "area": area,
                "unit": unit,
                "kind": kind,
                "points": [_point(r, spans) for r in series[key]],
            }
        )
    return {
        "indicator": indicator,
        "name_zh": name_zh,
        "regions": names,
        "items": items,
        "total": len(items),
        "missing": [n for n in names if n not in found],
    }
