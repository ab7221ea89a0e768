"""Charts of a comparison panel (GET /compare?format=png|svg), drawn with matplotlib (Agg)."""

from __future__ import annotations

import io
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

MAX_SERIES = 12  # lines in one chart; the longest series first
CJK_FILES = ("NotoSansCJK", "NotoSerifCJK", "wqy", "DroidSansFallback", "SourceHanSans")
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)


@lru_cache(maxsize=1)
def _font_family() -> list[str]:
    """junheng's bundled CJK font (indicators/fonts), then system CJK fonts, then the default.

    matplotlib caches its font list, so system CJK fonts installed after that cache was built
    are looked for on disk and added.
    """
    from matplotlib import font_manager

    shipped = []
    try:
        from junheng.indicators.charts import register_font

        shipped = [register_font()]
    except Exception:  # noqa: BLE001 - no bundled font: system fonts only
        pass
    fm = font_manager.fontManager
    found = [f for f in CJK_FONTS if f in {x.name for x in fm.ttflist}]
    if not found:
        for path in font_manager.findSystemFonts():
            if any(k in Path(path).name for k in CJK_FILES):
                try:
                    fm.addfont(path)
                except (OSError, RuntimeError, ValueError):  # pragma: no cover
                    continue
        found = [f for f in CJK_FONTS if f in {x.name for x in fm.ttflist}]
    return [*shipped, *found[:1], "DejaVu Sans"]


def compare_chart(panel: dict[str, Any], fmt: str) -> bytes:
    """One line per series (region, level, unit, kind): value by year."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    family = _font_family()
    with (
        warnings.catch_warnings(),
        matplotlib.rc_context(
            {
                "font.family": "sans-serif",
                "font.sans-serif": family,
                "axes.unicode_minus": False,
                "svg.fonttype": "path",
            }
        ),
    ):
        # Without a CJK font Chinese names draw as boxes; a missing glyph is cosmetic.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig = Figure(figsize=(8, 4.5), dpi=110, layout="constrained")
        ax = fig.subplots()
        units = sorted({s["unit"] for s in panel["items"]})
        shown = sorted(panel["items"], key=lambda s: -len(s["points"]))[:MAX_SERIES]
        for s in shown:
            pts = s["points"]
            if not pts:
                continue
            label = s["region"] + ("" if s["level"] == "all" else f" · {s['level']}")
            if len(units) > 1 or s["kind"] != "level":
                label += f" ({s['kind']}, {s['unit']})"
            ax.plot([p["year"] for p in pts], [p["value"] for p in pts], marker="o", label=label)
        title = panel["indicator"] + (f" · {panel['name_zh']}" if panel.get("name_zh") else "")
        ax.set_title(title)
        ax.set_xlabel("year")
        ax.set_ylabel(", ".join(units) or "value")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
        if panel["items"]:
            ax.legend(fontsize=8)
        else:
            ax.text(
                0.5,
                0.5,
                "no claims for these regions",
                ha="center",
                va="center",
                transform=ax.transAxes,
                color="grey",
            )
        if panel.get("missing"):
            fig.text(
                0.01, 0.01, "no data: " + ", ".join(panel["missing"]), fontsize=8, color="grey"
            )
        if len(panel["items"]) > len(shown):
            fig.text(
                0.99,
                0.01,
                f"+{len(panel['items']) - len(shown)} more series (see JSON)",
                fontsize=8,
                color="grey",
                ha="right",
            )
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt)
    return buf.getvalue()
