"""Region comparison: panel selection rule, years, progress, ranking, inputs, CLI."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from junheng.extract.record import Claim
from junheng.indicators.cli_compare import compare_cmd
from junheng.indicators.compare import (
    DocMeta,
    build_panel,
    candidates,
    claim_year,
    compare,
    group_claims,
    progress,
    ranking,
    read_claims_jsonl,
)


def c(doc, value, time="2022", region="甲县", indicator="school_count", unit="school", **kw):
    start = kw.pop("start", 0)
    surface = kw.pop("surface", f"{value:g}所")
    return Claim(
        doc=doc,
        start=start,
        end=start + len(surface),
        surface=surface,
        value=value,
        unit=unit,
        time=time,
        region=region,
        indicator=indicator,
        **kw,
    )


def panel_of(items, **kw):
    cands, skipped = candidates(items, **kw)
    return build_panel(cands), skipped


def test_claim_year():
    assert claim_year(c("a", 1, time="2021"), 2023) == (2021, "time")
    assert claim_year(c("a", 1, time="2016-2021"), 2023) == (2021, "period_end")
    assert claim_year(c("a", 1, time="since 2016"), 2023) == (2023, "document")
    assert claim_year(c("a", 1, time=None), None) == (None, "")


def test_selection_rule_exact_before_approx_then_latest_document():
    old = DocMeta("old.txt", 2021)
    new = DocMeta("new.txt", 2023)
    items = [
        (old, [c("old.txt", 120)]),
        (new, [c("new.txt", 118, qualifier="approx"), c("new.txt", 121, start=50)]),
    ]
    panel, _ = panel_of(items)
    assert len(panel) == 1
    row = panel[0]
    # eq beats approx; of the two eq figures the later document wins
    assert (row["value"], row["doc"], row["start"]) == (121, "new.txt", 50)
    assert row["n_candidates"] == 3 and row["n_docs"] == 2 and row["conflict"] is True


def test_no_conflict_when_figures_agree_within_rounding():
    items = [
        (
            DocMeta("a.txt", 2022),
            [
                c(
                    "a.txt",
                    36.8e8,
                    unit="CNY",
                    surface="36.8亿元",
                    indicator="education_expenditure_total",
                )
            ],
        ),
        (
            DocMeta("b.txt", 2023),
            [
                c(
                    "b.txt",
                    36.84e8,
                    unit="CNY",
                    surface="36.84亿元",
                    indicator="education_expenditure_total",
                )
            ],
        ),
    ]
    panel, _ = panel_of(items)
    assert panel[0]["conflict"] is False and panel[0]["doc"] == "b.txt"


def test_left_out_claims_and_anonymised_regions():
    doc = DocMeta("x.txt", 2022)
    items = [
        (doc, [
            c("x.txt", 5, qualifier="target"),
            c("x.txt", 0.5, unit="coefficient", indicator="cv", kind="threshold"),
            c("x.txt", 7, duplicate_of="x.txt:0-2"),
            c("x.txt", 9, indicator="other"),
            c("x.txt", 10, region="**市"),
        ]),
        (DocMeta("y.txt", 2022), [c("y.txt", 11, region="**市")]),
    ]  # fmt: skip
    panel, skipped = panel_of(items)
    assert skipped == {"target": 1, "threshold": 1, "repeated body": 1, "no indicator": 1}
    # two anonymised places are not merged into one region
    assert sorted(r["region"] for r in panel) == ["**市 [x.txt]", "**市 [y.txt]"]


def test_progress_and_ranking():
    items = [
        (
            DocMeta("a.txt", 2022),
            [
                c("a.txt", 100, time="2018", region="甲县"),
                c("a.txt", 121, time="2020", region="甲县", start=9),
            ],
        ),
        (DocMeta("b.txt", 2022), [c("b.txt", 90, time="2020", region="乙县")]),
    ]
    panel, _ = panel_of(items)
    prog = {r["region"]: r for r in progress(panel)}
    assert prog["甲县"]["change"] == 21 and prog["甲县"]["annual_growth_pct"] == pytest.approx(10.0)
    assert prog["乙县"]["change"] is None and prog["乙县"]["n_years"] == 1
    rank = ranking(panel, {"school_count": "higher"})
    assert [(r["region"], r["rank"], r["year"]) for r in rank] == [
        ("甲县", 1, 2020),
        ("乙县", 2, 2020),
    ]
    assert ranking(panel, {"school_count": "lower"})[0]["region"] == "乙县"
    assert ranking(panel, {"school_count": "none"}) == []


def test_ranking_keeps_levels_apart():
    items = [(DocMeta("a.txt", 2022), [
        c("a.txt", 0.3, unit="coefficient", indicator="cv", level="primary", region="甲县"),
        c("a.txt", 0.2, unit="coefficient", indicator="cv", level="junior", region="乙县", start=5),
    ])]  # fmt: skip
    panel, _ = panel_of(items)
    assert ranking(panel, {"cv": "lower"}) == []  # one region per level: nothing to rank


def test_read_claims_jsonl_reports_bad_lines(tmp_path):
    good = c("a.txt", 3).to_dict()
    p = tmp_path / "claims.jsonl"
    p.write_text(json.dumps(good, ensure_ascii=False) + "\n{oops\n[1]\n", encoding="utf-8")
    claims, problems = read_claims_jsonl(p)
    assert len(claims) == 1
    assert [x.split(": ")[1] for x in problems] == ["line 2", "line 3"]
    ((meta, cs),) = group_claims(claims)
    assert meta.doc_id == "a.txt" and len(cs) == 1


def test_compare_writes_tables(tmp_path):
    items = [(DocMeta("a.txt", 2022), [c("a.txt", 10), c("a.txt", 12, time="2023", start=5)])]
    res = compare(items, out_dir=tmp_path, charts=False)
    names = sorted(p.name for p in res.files)
    assert names == ["panel.csv", "panel.parquet", "progress.csv", "ranking.csv"]
    df = pd.read_parquet(tmp_path / "panel.parquet")
    assert list(df["value"]) == [10, 12] and list(df["year"]) == [2022, 2023]
    assert pd.read_csv(tmp_path / "ranking.csv").empty  # header only


def test_cli_compare_on_documents_and_jsonl(tmp_path):
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures" / "checks"
    export = tmp_path / "b.jsonl"
    from junheng.extract.pipeline import extract_path

    _, claims = extract_path(fixtures / "report_b.txt")
    export.write_text(
        "".join(json.dumps(x.to_dict(), ensure_ascii=False) + "\n" for x in claims),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    res = CliRunner().invoke(
        compare_cmd, [str(fixtures / "report_a.txt"), str(fixtures / "report_c.txt"), str(export),
                      "--out", str(out), "--indicator", "education_expenditure_total"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    panel = pd.read_csv(out / "panel.csv")
    assert set(panel["indicator"]) == {"education_expenditure_total"}
    assert {"report_a.txt", "report_b.txt", "report_c.txt"} <= set(panel["doc"])
    assert (out / "trend_education_expenditure_total.png").stat().st_size > 5000
    assert (out / "verdict_heatmap.svg").exists()


def test_cli_compare_fails_cleanly_when_nothing_reads(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    res = CliRunner().invoke(compare_cmd, [str(bad), "--out", str(tmp_path / "o")])
    assert res.exit_code != 0
    assert "bad.jsonl: line 1" in res.output and "Traceback" not in res.output
