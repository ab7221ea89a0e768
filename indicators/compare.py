"""Region comparison: a panel region × indicator × year from the claims of many documents, the
progress of each region on each indicator, and rankings of regions where figures are comparable.

Selection rule (one value per panel cell): the cell is (region, indicator, level, area, unit,
kind, year); its candidates are the claims that state a fact for it (duplicates of repeated
bodies, targets and quoted thresholds are left out). Best first:

1. exactness: a plain figure (eq) before a bound (达到/以上: ge, le, gt, lt), before an
   approximate one (近 约 余), before a range;
2. the latest document (document year, then date): a later report revises earlier figures;
3. a year the text states (time "2022", or the end of "2016-2021") before a year inferred
   from the document ("目前", "以来", no time);
4. the document name and the first mention in it (stable order).

``n_candidates`` and ``conflict`` (candidates whose values differ beyond their rounding) stay in
the panel, so a reader sees when the choice mattered.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from junheng.corpus.document import Document
from junheng.extract.record import Claim

PANEL_COLUMNS = (
    "region", "indicator", "level", "area", "unit", "kind", "year", "value", "value_low",
    "value_high", "qualifier", "verdict_status", "doc", "start", "end", "surface", "time",
    "year_source", "doc_year", "n_candidates", "n_docs", "conflict",
)  # fmt: skip
PROGRESS_COLUMNS = (
    "region", "indicator", "level", "area", "unit", "kind", "first_year", "last_year",
    "first_value", "last_value", "n_years", "change", "annual_growth_pct", "first_doc", "last_doc",
)  # fmt: skip
RANKING_COLUMNS = (
    "indicator", "level", "area", "unit", "kind", "year", "direction", "rank", "n_regions",
    "region", "value", "doc",
)  # fmt: skip

_QUAL_RANK = {"eq": 0, "ge": 1, "le": 1, "gt": 1, "lt": 1, "approx": 2}
_NO_GROWTH_UNITS = ("percent", "percentage_point", "rank", "coefficient")
_ANON = re.compile(r"^\(|\*|[xX]{2,}|某")


class InputError(ValueError):
    """A claims export that cannot be read: names the file, the line and the problem."""


@dataclass(slots=True)
class DocMeta:
    """What comparison needs of a document: its id, year and date."""

    doc_id: str
    year: int | None = None
    date: str | None = None
    region: str | None = None

    @classmethod
    def of(cls, doc: Document) -> DocMeta:
        return cls(doc.doc_id, doc.year, doc.date, doc.region)


@dataclass(slots=True)
class Candidate:
    claim: Claim
    region: str
    year: int
    year_source: str  # time | period_end | document
    doc: DocMeta


# ----------------------------------------------------------------------------- inputs


def read_claims_jsonl(path: Path) -> tuple[list[Claim], list[str]]:
    """Claims of a ``junheng extract -o`` export; bad lines are reported, not fatal."""
    claims, problems = [], []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                if not isinstance(d, dict) or "doc" not in d or "start" not in d:
                    raise ValueError("not a claim record (needs doc, start, end, surface)")
                claims.append(Claim.from_dict(d))
            except (ValueError, TypeError) as exc:
                problems.append(f"{path}: line {n}: {exc}")
    return claims, problems


def group_claims(claims: Iterable[Claim]) -> list[tuple[DocMeta, list[Claim]]]:
    """Claims grouped by document, with the document year the claims carry."""
    by_doc: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_doc[c.doc].append(c)
    out = []
    for doc, cs in by_doc.items():
        years = [c.doc_year for c in cs if c.doc_year]
        out.append((DocMeta(doc, max(years) if years else None), cs))
    return out


# ----------------------------------------------------------------------------- panel


def claim_year(claim: Claim, doc_year: int | None) -> tuple[int | None, str]:
    """The year a claim refers to: a single year, the end of a period, else the document's."""
    t = (claim.time or "").strip()
    if re.fullmatch(r"\d{4}", t):
        return int(t), "time"
    m = re.fullmatch(r"\d{4}\s*-\s*(\d{4})", t)
    if m:
        return int(m.group(1)), "period_end"
    year = doc_year or claim.doc_year
    return (year, "document") if year else (None, "")


def panel_region(claim: Claim, doc: DocMeta) -> str | None:
    """The claim's region; an anonymised one (**市, (unnamed county)) is kept per document."""
    region = claim.region or doc.region
    if not region:
        return None
    return f"{region} [{doc.doc_id}]" if _ANON.search(region) else region


def candidates(
    items: Iterable[tuple[DocMeta, Sequence[Claim]]], indicator: str | None = None
) -> tuple[list[Candidate], dict[str, int]]:
    """Facts that can enter the panel, and counts of what was left out and why."""
    out: list[Candidate] = []
    skipped: dict[str, int] = defaultdict(int)
    for doc, claims in items:
        for c in claims:
            if indicator and c.indicator != indicator:
                continue
            why = _skip_reason(c)
            if why:
                skipped[why] += 1
                continue
            region = panel_region(c, doc)
            year, source = claim_year(c, doc.year)
            if region is None:
                skipped["no region"] += 1
            elif year is None:
                skipped["no year"] += 1
            else:
                out.append(Candidate(c, region, year, source, doc))
    return out, dict(skipped)


def _skip_reason(c: Claim) -> str | None:
    if c.duplicate_of:
        return "repeated body"
    if c.qualifier == "target":
        return "target"
    if c.kind == "threshold":
        return "threshold"
    if c.indicator in ("", "other", None):
        return "no indicator"
    if c.value is None and (c.value_low is None or c.value_high is None):
        return "no value"
    return None


def panel_indicator(c: Claim) -> str:
    """The panel's indicator column: a coefficient is kept apart by what it measures
    (``cv/sports_area_per_student``), so the 7 CVs of one stage and year do not collide."""
    about = getattr(c, "about", None)
    return f"{c.indicator}/{about}" if about else c.indicator


def cell_key(cand: Candidate) -> tuple:
    c = cand.claim
    return (cand.region, panel_indicator(c), c.level, c.area or "", c.unit, c.kind, cand.year)


def _preference(cand: Candidate) -> tuple:
    c = cand.claim
    exact = _QUAL_RANK.get(c.qualifier, 2) if c.value is not None else 3
    return (
        exact,
        -(cand.doc.year or c.doc_year or 0),
        _neg_date(cand.doc.date),
        cand.year_source == "document",
        cand.doc.doc_id,
        c.start,
    )


def _neg_date(date: str | None) -> tuple[int, ...]:
    nums = [int(x) for x in re.findall(r"\d+", date or "")][:3]
    return tuple(-n for n in nums + [0] * (3 - len(nums)))


def _value(c: Claim) -> float:
    return c.value if c.value is not None else (c.value_low + c.value_high) / 2


def _interval(c: Claim) -> tuple[float, float]:
    from junheng.indicators.consistency import written_scale

    scale, _, decimals = written_scale(c)
    half = 0.5 * scale * 10.0**-decimals
    lo = (c.value if c.value is not None else c.value_low) - half
    hi = (c.value if c.value is not None else c.value_high) + half
    return lo, hi


def _conflict(cands: Sequence[Candidate]) -> bool:
    ivs = [_interval(x.claim) for x in cands]
    return any(a[0] > b[1] or b[0] > a[1] for a in ivs for b in ivs)


def build_panel(cands: Sequence[Candidate]) -> list[dict[str, Any]]:
    """One row a panel cell, chosen by the selection rule of the module docstring."""
    cells: dict[tuple, list[Candidate]] = defaultdict(list)
    for cand in cands:
        cells[cell_key(cand)].append(cand)
    rows = []
    for key in sorted(cells, key=_sort_key):
        group = sorted(cells[key], key=_preference)
        best = group[0]
        c = best.claim
        region, indicator, level, area, unit, kind, year = key
        rows.append(
            {
                "region": region, "indicator": indicator, "level": level, "area": area,
                "unit": unit, "kind": kind, "year": year, "value": _value(c),
                "value_low": c.value_low, "value_high": c.value_high, "qualifier": c.qualifier,
                "verdict_status": (c.verdict or {}).get("status"), "doc": best.doc.doc_id,
                "start": c.start, "end": c.end, "surface": c.surface, "time": c.time,
                "year_source": best.year_source, "doc_year": best.doc.year or c.doc_year,
                "n_candidates": len(group), "n_docs": len({g.doc.doc_id for g in group}),
                "conflict": _conflict(group),
            }
        )  # fmt: skip
    return rows


def _sort_key(key: tuple) -> tuple:
    return tuple("" if v is None else str(v).zfill(6) if isinstance(v, int) else v for v in key)


# ----------------------------------------------------------------------------- progress, ranking


def _series_key(row: dict[str, Any]) -> tuple:
    return (row["region"], row["indicator"], row["level"], row["area"], row["unit"], row["kind"])


def progress(panel: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Change and annualised growth between each series' first and last years."""
    series: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for row in panel:
        series[_series_key(row)].append(row)
    out = []
    for key, rows in series.items():
        rows = sorted(rows, key=lambda r: r["year"])
        first, last = rows[0], rows[-1]
        span = last["year"] - first["year"]
        growth = None
        if span > 0 and key[4] not in _NO_GROWTH_UNITS and first["value"] > 0 and last["value"] > 0:
            growth = ((last["value"] / first["value"]) ** (1 / span) - 1) * 100
        out.append(
            dict(
                zip(
                    PROGRESS_COLUMNS,
                    (
                        *key, first["year"], last["year"], first["value"], last["value"],
                        len(rows), last["value"] - first["value"] if span > 0 else None,
                        growth, first["doc"], last["doc"],
                    ),
                    strict=True,
                )
            )
        )  # fmt: skip
    return out


def directions() -> dict[str, str]:
    """Indicator id -> higher | lower | none, from the ontology."""
    from junheng.indicators.ontology import load

    return {ind.id: ind.direction for ind in load().all()}


def ranking(panel: Sequence[dict[str, Any]], direction: dict[str, str] | None = None):
    """Regions ranked per (indicator, level, area, unit, kind, year); 1 is best.

    Only indicators whose ontology direction says which way is better, and only groups with at
    least two regions: one unit, one level, one year, so the figures are comparable.
    """
    direction = directions() if direction is None else direction
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for row in panel:
        d = direction.get(row["indicator"].split("/")[0], "none")
        if d in ("higher", "lower"):
            key = (
                row["indicator"],
                row["level"],
                row["area"],
                row["unit"],
                row["kind"],
                row["year"],
            )
            groups[key].append(row)
    out = []
    for key in sorted(groups, key=_sort_key):
        rows = groups[key]
        if len({r["region"] for r in rows}) < 2:
            continue
        d = direction[key[0]]
        ordered = sorted(rows, key=lambda r: -r["value"] if d == "higher" else r["value"])
        rank, prev = 0, None
        for i, r in enumerate(ordered, 1):
            if r["value"] != prev:
                rank, prev = i, r["value"]
            out.append(
                dict(zip(RANKING_COLUMNS, (*key, d, rank, len(rows), r["region"], r["value"],
                                           r["doc"]), strict=True))
            )  # fmt: skip
    return out


# ----------------------------------------------------------------------------- outputs


@dataclass(slots=True)
class CompareResult:
    panel: list[dict[str, Any]]
    progress: list[dict[str, Any]]
    ranking: list[dict[str, Any]]
    skipped: dict[str, int]
    files: list[Path]

    def summary(self) -> dict[str, Any]:
        d = asdict(self)
        d["panel"] = len(self.panel)
        d["progress"] = len(self.progress)
        d["ranking"] = len(self.ranking)
        d["files"] = [str(p) for p in self.files]
        return d


def compare(
    items: Iterable[tuple[DocMeta, Sequence[Claim]]],
    out_dir: Path | None = None,
    indicator: str | None = None,
    charts: bool = True,
) -> CompareResult:
    """Panel, progress and ranking (and, with ``out_dir``, their files and the charts)."""
    cands, skipped = candidates(items, indicator)
    panel = build_panel(cands)
    prog = progress(panel)
    rank = ranking(panel)
    files: list[Path] = []
    if out_dir is not None:
        files = write_tables(out_dir, panel, prog, rank)
        if charts:
            from junheng.indicators.charts import write_charts

            files += write_charts(panel, out_dir, indicator=indicator)
    return CompareResult(panel, prog, rank, skipped, files)


def write_tables(out_dir: Path, panel, prog, rank) -> list[Path]:
    """panel.csv, panel.parquet, progress.csv, ranking.csv (headers even when empty)."""
    import pandas as pd

    out_dir.mkdir(parents=True, exist_ok=True)
    frames = {
        "panel": pd.DataFrame(panel, columns=list(PANEL_COLUMNS)),
        "progress": pd.DataFrame(prog, columns=list(PROGRESS_COLUMNS)),
        "ranking": pd.DataFrame(rank, columns=list(RANKING_COLUMNS)),
    }
    frames["panel"] = frames["panel"].astype({"year": "Int64", "start": "Int64", "end": "Int64"})
    files = []
    for name, df in frames.items():
        path = out_dir / f"{name}.csv"
        df.to_csv(path, index=False, encoding="utf-8")
        files.append(path)
    pq = out_dir / "panel.parquet"
    frames["panel"].to_parquet(pq, index=False)
    files.insert(1, pq)
    return files


def fmt_value(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return f"{x:.6g}"
