"""Charts of the region comparison (matplotlib, Agg): a verdict heatmap region × indicator and
an indicator over the years per region. PNG and SVG.

Chinese labels need a CJK font. junheng ships one (fonts/JunhengCJK-Subset.otf: Noto Sans CJK SC
cut to GB 2312 and its traditional forms, SIL OFL 1.1) and registers it with matplotlib at
chart time, with system CJK fonts behind it as per-glyph fallbacks for rarer characters.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

FONT_FILE = Path(__file__).parent / "fonts" / "JunhengCJK-Subset.otf"
FONT_FAMILY = "Junheng CJK Subset"
FALLBACK_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC", "DejaVu Sans")
STATUS_COLOURS = {  # verdict status -> colour; None: no verdict for the figure
    "meets": "#4caf50",
    "falls_short": "#e53935",
    "not_comparable": "#b0bec5",
    None: "#f5f5f5",
}
STATUS_LABELS = {
    "meets": "达标 meets",
    "falls_short": "未达标 falls short",
    "not_comparable": "不可比 not comparable",
    None: "无结论 no verdict",
}
MAX_TREND_CHARTS = 20  # without --indicator: the indicators with the most data points first
MAX_HEATMAP_ROWS = 60
MAX_HEATMAP_COLUMNS = 30


@lru_cache(maxsize=1)
def font_chars() -> frozenset[str]:
    """Characters the shipped CJK font has glyphs for."""
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(FONT_FILE), lazy=True).getBestCmap()
    return frozenset(chr(c) for c in cmap)


def missing_glyphs(texts: Iterable[str]) -> set[str]:
    """Characters of the labels that the shipped font cannot draw (fallback fonts may)."""
    have = font_chars()
    return {ch for t in texts for ch in t if not ch.isspace() and ch not in have}


@lru_cache(maxsize=1)
def register_font() -> str:
    """Add the shipped font to matplotlib's font manager; returns its family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(FONT_FILE))
    return font_manager.FontProperties(fname=str(FONT_FILE)).get_name()


def _rc() -> dict[str, Any]:
    from matplotlib import font_manager

    family = register_font()
    installed = {f.name for f in font_manager.fontManager.ttflist}
    fallbacks = [f for f in FALLBACK_FAMILIES if f in installed]
    return {
        "font.family": [family, *fallbacks],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
    }


def _indicator_names() -> dict[str, str]:
    try:
        from junheng.indicators.ontology import load

        return {ind.id: ind.name_zh for ind in load().all()}
    except (ImportError, OSError, ValueError):
        return {}


LEVEL_ZH = {
    "primary": "小学", "junior": "初中", "compulsory": "义务教育", "preschool": "学前",
    "senior": "高中", "vocational": "职业", "special": "特教", "higher": "高校", "k12": "中小学",
    "all": "",
}  # fmt: skip


AREA_ZH = {"urban": "城区", "rural": "乡村"}
KIND_ZH = {"level": "", "change": "增量", "growth_rate": "增长率", "share": "占比"}
UNIT_ZH = {
    "school": "所", "count": "个", "person": "人", "person_time": "人次", "CNY": "元",
    "percent": "%", "percentage_point": "个百分点", "m2": "平方米", "coefficient": "差异系数",
    "multiple": "倍", "year": "年", "rank": "名次", "other": "",
}  # fmt: skip


def indicator_label(indicator: str, level: str, names: dict[str, str]) -> str:
    base, _, about = indicator.partition("/")
    name = names.get(base, base)
    if about:  # cv/sports_area_per_student: the coefficient of that indicator
        name = f"{name}·{names.get(about, about)}"
    lv = LEVEL_ZH.get(level, level)
    return f"{name}（{lv}）" if lv else name


def _save(fig, out_dir: Path, stem: str) -> list[Path]:
    paths = []
    for ext in ("png", "svg"):
        p = out_dir / f"{stem}.{ext}"
        fig.savefig(p, dpi=150 if ext == "png" else None, bbox_inches="tight")
        paths.append(p)
    return paths


def _latest(panel: Sequence[dict[str, Any]]) -> dict[tuple, dict[str, Any]]:
    """(region, indicator, level) -> the row of its latest year (area-less rows preferred)."""
    best: dict[tuple, dict[str, Any]] = {}
    for r in panel:
        key = (r["region"], r["indicator"], r["level"])
        cur = best.get(key)
        if cur is None or (r["year"], not r["area"]) > (cur["year"], not cur["area"]):
            best[key] = r
    return best


def verdict_heatmap(panel: Sequence[dict[str, Any]], out_dir: Path) -> list[Path]:
    """Region × indicator cells coloured by the verdict of the latest figure, value written in."""
    import matplotlib as mpl
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    latest = _latest(panel)
    names = _indicator_names()
    # columns: the indicators that carry verdicts; without any, the most reported ones
    with_verdict = {(k[1], k[2]) for k, r in latest.items() if r["verdict_status"]}
    count: dict[tuple, int] = defaultdict(int)
    for k in latest:
        count[(k[1], k[2])] += 1
    pool = with_verdict or set(count)
    cols = sorted(pool, key=lambda c: (-count[c], c))[:MAX_HEATMAP_COLUMNS]
    cols.sort()
    regions = sorted({k[0] for k in latest if (k[1], k[2]) in cols})[:MAX_HEATMAP_ROWS]
    col_labels = [indicator_label(i, lv, names) for i, lv in cols]
    with mpl.rc_context(_rc()):
        w = max(6.0, 0.55 * len(cols) + 3)
        h = max(3.0, 0.45 * len(regions) + 2.5)
        fig = Figure(figsize=(w, h))
        ax = fig.add_subplot()
        for y, region in enumerate(regions):
            for x, col in enumerate(cols):
                row = latest.get((region, *col))
                status = row["verdict_status"] if row else None
                colour = STATUS_COLOURS.get(status, STATUS_COLOURS["not_comparable"])
                ax.add_patch(mpl.patches.Rectangle((x, y), 1, 1, color=colour, ec="white"))
                if row:
                    ax.text(x + 0.5, y + 0.5, _short(row["value"]), ha="center", va="center",
                            fontsize=6)  # fmt: skip
        ax.set_xlim(0, max(len(cols), 1))
        ax.set_ylim(max(len(regions), 1), 0)
        ax.set_xticks([i + 0.5 for i in range(len(cols))], col_labels, rotation=60, ha="right",
                      fontsize=7)  # fmt: skip
        ax.set_yticks([i + 0.5 for i in range(len(regions))], regions, fontsize=8)
        ax.set_title("各地区指标达标情况（最新年份）Verdicts by region and indicator")
        ax.legend(
            handles=[Patch(color=STATUS_COLOURS[s], label=STATUS_LABELS[s]) for s in STATUS_LABELS],
            loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=7, frameon=False,
        )  # fmt: skip
        if not panel:
            ax.text(0.5, 0.5, "无数据 no data", ha="center", va="center", transform=ax.transAxes)
        return _save(fig, out_dir, "verdict_heatmap")


def _short(x: float) -> str:
    if abs(x) >= 1e8:
        return f"{x / 1e8:.3g}亿"
    if abs(x) >= 1e4:
        return f"{x / 1e4:.3g}万"
    return f"{x:.4g}"


def trend_chart(
    panel: Sequence[dict[str, Any]], indicator: str, out_dir: Path, names: dict[str, str]
) -> list[Path]:
    """One indicator over the years, a line per region (and level/area where several)."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    rows = [r for r in panel if r["indicator"] == indicator]
    series: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        series[(r["region"], r["level"], r["area"], r["unit"], r["kind"])].append(r)
    several = {k[1:] for k in series}
    units = sorted({k[3] for k in series})
    top = max((abs(r["value"]) for r in rows), default=0.0)
    div, prefix = (1e8, "亿") if top >= 1e8 else (1e4, "万") if top >= 1e5 else (1.0, "")
    unit_text = "、".join(prefix + UNIT_ZH.get(u, u) for u in units)
    with mpl.rc_context(_rc()):
        fig = Figure(figsize=(8, 4.8))
        ax = fig.add_subplot()
        for key in sorted(series):
            pts = sorted(series[key], key=lambda r: r["year"])
            region, level, area, unit, kind = key
            label = region
            if len(several) > 1:
                parts = (
                    LEVEL_ZH.get(level, level),
                    AREA_ZH.get(area, area or ""),
                    KIND_ZH.get(kind, kind),
                )
                extra = "·".join(x for x in parts if x)
                label = f"{region}（{extra}）"
            values = [p["value"] / div for p in pts]
            ax.plot([p["year"] for p in pts], values, marker="o", label=label)
        ax.set_title(f"{names.get(indicator, indicator)}  {indicator}")
        ax.set_xlabel("年份 year")
        ax.set_ylabel(f"数值 value（{unit_text}）" if unit_text else "数值 value")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
        if series:
            ax.legend(fontsize=8, frameon=False, loc="best")
        stem = "trend_" + re.sub(r"[^A-Za-z0-9_.-]+", "_", indicator)
        return _save(fig, out_dir, stem)


def trend_indicators(panel: Sequence[dict[str, Any]], indicator: str | None) -> list[str]:
    """The indicator asked for, else those with a series over at least two years."""
    if indicator:
        return [indicator]
    years: dict[tuple, set[int]] = defaultdict(set)
    points: dict[str, int] = defaultdict(int)
    for r in panel:
        years[(r["region"], r["indicator"], r["level"], r["area"])].add(r["year"])
        points[r["indicator"]] += 1
    multi = {k[1] for k, ys in years.items() if len(ys) >= 2}
    return sorted(multi, key=lambda i: (-points[i], i))[:MAX_TREND_CHARTS]


def write_charts(
    panel: Sequence[dict[str, Any]], out_dir: Path, indicator: str | None = None
) -> list[Path]:
    """The heatmap and the trend charts, PNG and SVG; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    names = _indicator_names()
    files = verdict_heatmap(panel, out_dir)
    for ind in trend_indicators(panel, indicator):
        files += trend_chart(panel, ind, out_dir, names)
    return files


def chart_labels(panel: Sequence[dict[str, Any]]) -> set[str]:
    """Every label text the charts of this panel draw (for glyph checks)."""
    names = _indicator_names()
    labels = {r["region"] for r in panel}
    labels |= {indicator_label(r["indicator"], r["level"], names) for r in panel}
    labels |= {names.get(r["indicator"], r["indicator"]) for r in panel}
    labels |= {"各地区指标达标情况（最新年份）", "年份", "数值", "无数据", *STATUS_LABELS.values()}
    labels |= {*LEVEL_ZH.values(), *AREA_ZH.values(), *KIND_ZH.values(), *UNIT_ZH.values(), "亿万"}
    return labels
