"""Charts: PNG and SVG written and non-empty; the bundled CJK font covers the labels used."""

from __future__ import annotations

from pathlib import Path

from junheng.extract.record import Claim
from junheng.indicators.charts import (
    FONT_FILE,
    chart_labels,
    font_chars,
    missing_glyphs,
    register_font,
    write_charts,
)
from junheng.indicators.compare import DocMeta, build_panel, candidates

FIXTURES = Path(__file__).parent / "fixtures" / "checks"


def _panel():
    claims = []
    for i, (region, year, value, status) in enumerate([
        ("青禾县", "2020", 0.41, "meets"), ("青禾县", "2022", 0.52, "falls_short"),
        ("南嶺區", "2021", 0.38, None), ("白鹭市", "2022", 0.30, "not_comparable"),
    ]):  # fmt: skip
        claims.append(
            Claim(
                doc="a.txt",
                start=i * 10,
                end=i * 10 + 4,
                surface=f"{value}",
                value=value,
                unit="coefficient",
                indicator="cv",
                level="primary",
                time=year,
                region=region,
                verdict={"status": status} if status else None,
            )
        )
    cands, _ = candidates([(DocMeta("a.txt", 2023), claims)])
    return build_panel(cands)


def test_charts_written(tmp_path):
    files = write_charts(_panel(), tmp_path)
    names = sorted(p.name for p in files)
    assert names == ["trend_cv.png", "trend_cv.svg", "verdict_heatmap.png", "verdict_heatmap.svg"]
    for p in files:
        assert p.stat().st_size > 2000
        head = p.read_bytes()[:8]
        assert head.startswith(b"\x89PNG") if p.suffix == ".png" else b"<" in head


def test_charts_on_empty_panel(tmp_path):
    files = write_charts([], tmp_path)
    assert [p.name for p in files] == ["verdict_heatmap.png", "verdict_heatmap.svg"]


def test_font_is_registered_under_its_own_name():
    assert FONT_FILE.is_file() and (FONT_FILE.parent / "OFL.txt").is_file()
    assert register_font() == "Junheng CJK Subset"


def test_font_covers_the_chart_labels():
    labels = chart_labels(_panel())
    assert "青禾县" in labels and "南嶺區" in labels
    assert missing_glyphs(labels) == set()


def test_font_covers_all_indicator_names_and_simplified_traditional_places():
    from junheng.indicators.ontology import load

    names = [ind.name_zh for ind in load().all()]
    assert missing_glyphs(names) == set()
    # rarer place-name characters of both scripts
    assert (
        missing_glyphs(["盱眙县", "濉溪县", "黟县", "嘉定区", "钟楼区", "鍾樓區", "常州市"])
        == set()
    )
    assert len(font_chars()) > 9000


def test_missing_glyphs_reports_what_the_font_lacks():
    assert missing_glyphs(["𠀀"]) == {"𠀀"}
