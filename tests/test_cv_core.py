"""The CV and compliance core: official formula, six-of-seven rule, rounding, edge cases."""

from __future__ import annotations

import copy
import math
import statistics

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.indicators.coefficients import compute, round_half_up, weighted_cv
from junheng.indicators.schools import read_school_table
from junheng.indicators.standards import DATA, load_standards, parse_standards

# Worked example (five primary schools, library books): enrolment and totals.
PUPILS = [45, 37, 89, 76, 55]
BOOKS = [279, 137, 935, 160, 402]
COUNTS = {  # per-pupil factors that comfortably meet every 2017 primary threshold
    "teachers_above_qualification": 0.05,
    "backbone_teachers": 0.012,
    "pe_arts_teachers": 0.01,
    "teaching_space_m2": 5.0,
    "sports_area_m2": 8.0,
    "equipment_value_yuan": 2200.0,
    "multimedia_classrooms": 0.025,
}


def table(rows: list[dict]) -> pd.DataFrame:
    """A school table from partial rows: defaults fill counts that meet every threshold."""
    out = []
    for i, r in enumerate(rows):
        students = r.get("students", 100)
        row = {
            "county": r.get("county", "甲县"),
            "year": r.get("year", 2022),
            "school": r.get("school", f"学校{i}"),
            "stage": r.get("stage", "小学"),
            "students": students,
        }
        for col, per in COUNTS.items():
            factor = per * (1.3 if r.get("stage") == "初中" else 1.0)
            row[col] = r.get(col, students * factor)
        out.append(row)
    return pd.DataFrame(out)


def one(report, **where):
    res = report.results
    for k, v in where.items():
        res = res[res[k] == v]
    assert len(res) == 1, where
    return res.iloc[0]


def test_worked_example_reference_function():
    values = [b / p for b, p in zip(BOOKS, PUPILS, strict=True)]
    assert round(weighted_cv(PUPILS, values), 4) == 0.5153
    # the wrong formulas give the other published figures, so the vector discriminates
    assert round(statistics.pstdev(values) / statistics.mean(values), 4) == 0.4888
    assert round(statistics.stdev(values) / statistics.mean(values), 4) == 0.5465


def test_worked_example_matches_the_shipped_test_vector():
    tv = load_standards().cv_method.test_vector
    values = [b / p for b, p in zip(tv["totals"], tv["enrolment"], strict=True)]
    assert weighted_cv(tv["enrolment"], values) == pytest.approx(tv["cv"], abs=5e-5)
    assert sum(tv["totals"]) / sum(tv["enrolment"]) == pytest.approx(tv["mean"], abs=5e-5)


def test_worked_example_through_the_vectorised_core():
    # CV is scale-free: use the books as equipment totals of five primary schools
    rows = [{"students": p, "equipment_value_yuan": b} for p, b in zip(PUPILS, BOOKS, strict=True)]
    report = compute(read_school_table(table(rows)))
    r = one(report, indicator="equipment_value_per_student", stage="primary")
    assert round(r["cv"], 4) == 0.5153
    assert r["cv_rounded"] == 0.515 and r["threshold"] == 0.5 and r["pass"] is False
    assert r["mean"] == pytest.approx(1913 / 302)
    county = report.counties[0]
    assert county["pass"] is False and county["cv_failing"] == 1
    assert any("equipment_value_per_student: CV 0.515 > 0.5" in x for x in county["reasons"])


def test_2012_books_column_gives_the_same_cv():
    rows = [{"students": p} for p in PUPILS]
    df = table(rows)
    df["books"] = BOOKS
    df["computers"] = df["students"] * 0.1
    df["teachers"] = df["students"] * 0.06
    df["mid_senior_title_teachers"] = df["students"] * 0.03
    report = compute(read_school_table(df))
    assert set(report.standards) == {"quality_balance_2017", "basic_balance_2012"}
    r = one(report, indicator="books_per_student")
    assert round(r["cv"], 4) == 0.5153 and r["standard"] == "basic_balance_2012"
    assert r["pass"] is None and math.isnan(r["threshold"])
    comp = report.composites.iloc[0]
    cvs = report.results.set_index("indicator")["cv"]
    expected = np.mean([cvs[c] for c in load_standards().composite_2012.components])
    assert comp["composite"] == pytest.approx(expected)
    assert comp["threshold"] == 0.65 and bool(comp["pass"]) == (round(expected, 3) <= 0.65)
    assert {v["standard"] for v in report.counties} == {
        "quality_balance_2017",
        "basic_balance_2012",
    }


@pytest.mark.parametrize(
    ("overrides", "met", "passes"),
    [
        ({}, 7, True),
        # one indicator at 90 % of its threshold (above the 85 % floor): 6 met, pass
        ({"teachers_above_qualification": 4.2 * 0.9}, 6, True),
        # exactly at the floor (3.57 per 100 pupils) still passes
        ({"teachers_above_qualification": 3.57}, 6, True),
        # below the floor fails even with six met
        ({"teachers_above_qualification": 3.5}, 6, False),
        # two misses fail even when both are above the floor
        ({"teachers_above_qualification": 4.0, "sports_area_m2": 7.0 * 100}, 5, False),
        # exactly at the threshold counts as met (4.2 per 100 pupils)
        ({"teachers_above_qualification": 4.2}, 7, True),
    ],
)
def test_six_of_seven_rule(overrides, met, passes):
    row = {"students": 100, **overrides}
    report = compute(read_school_table(table([row])))
    school = report.schools.iloc[0]
    assert school["indicators_met"] == met
    assert bool(school["pass"]) is passes
    assert len(school["unmet"]) == 7 - met


def test_junior_thresholds_apply_to_junior_rows():
    # 5.0 per 100 pupils meets primary (4.2) but not junior (5.3); 90 % of 5.3 = 4.77 > floor
    rows = [
        {"stage": "小学", "students": 1000, "teachers_above_qualification": 50},
        {"stage": "初中", "students": 1000, "teachers_above_qualification": 50},
    ]
    report = compute(read_school_table(table(rows)))
    met = dict(zip(report.schools["stage"], report.schools["indicators_met"], strict=True))
    assert met == {"primary": 7, "junior": 6}
    unmet = report.schools.set_index("stage")["unmet"]
    assert unmet["junior"] == ["teachers_above_required_qualification_per_100"]


def _two_schools_with_cv(cv: float, stage: str = "primary") -> pd.DataFrame:
    # equal enrolment: CV = (a - b) / (a + b) with a = 1 + cv, b = 1 - cv
    a, b = 3000 * (1 + cv), 3000 * (1 - cv)
    return table(
        [
            {"students": 1000, "stage": stage, "equipment_value_yuan": a * 1000},
            {"students": 1000, "stage": stage, "equipment_value_yuan": b * 1000},
        ]
    )


@pytest.mark.parametrize(
    ("cv", "rounded", "passes", "near"),
    [
        (0.5004, 0.500, True, True),  # rounds to the limit: inclusive, passes
        (0.5006, 0.501, False, False),
        (0.4996, 0.500, True, True),
        (0.4990, 0.499, True, False),
        (0.5200, 0.520, False, False),
    ],
)
def test_cv_rounding_and_inclusive_limit(cv, rounded, passes, near):
    report = compute(read_school_table(_two_schools_with_cv(cv)))
    r = one(report, indicator="equipment_value_per_student")
    assert r["cv"] == pytest.approx(cv)
    assert r["cv_rounded"] == rounded and r["pass"] is passes
    assert bool(r["near_threshold"]) is near


def test_round_half_up():
    assert list(round_half_up([0.4445, 0.5005, 0.12345, 1.0], 3)) == [0.445, 0.501, 0.123, 1.0]
    assert math.isnan(round_half_up(float("nan"), 3))


def test_single_school_has_cv_zero_and_passes():
    report = compute(read_school_table(table([{"stage": "初中"}])))
    r = one(report, indicator="sports_area_per_student")
    assert r["cv"] == pytest.approx(0, abs=1e-12) and r["pass"] is True
    assert "one school" in r["note"]


def test_zero_mean_gives_undefined_cv_and_a_failing_county():
    rows = [{"multimedia_classrooms": 0, "students": 100}, {"multimedia_classrooms": 0}]
    report = compute(read_school_table(table(rows)))
    r = one(report, indicator="multimedia_classrooms_per_100")
    assert math.isnan(r["cv"]) and r["pass"] is False and "CV undefined" in r["note"]
    reasons = " ".join(report.counties[0]["reasons"])
    assert "multimedia_classrooms_per_100: CV undefined" in reasons
    d = report.to_dict()
    row = next(x for x in d["results"] if x["indicator"] == "multimedia_classrooms_per_100")
    assert row["cv"] is None  # JSON-safe


def test_missing_stage_is_reported_and_not_passed():
    report = compute(read_school_table(table([{"stage": "小学"}, {"stage": "小学"}])))
    assert set(report.results["stage"]) == {"primary"}
    verdict = report.counties[0]
    assert verdict["stages_assessed"] == ["primary"] and verdict["pass"] is False
    assert any("no junior schools" in r for r in verdict["reasons"])


def test_passing_county_and_groups_are_separate():
    rows = [
        {"county": "甲县", "stage": "小学"},
        {"county": "甲县", "stage": "初中"},
        {"county": "乙县", "stage": "小学"},
        {"county": "乙县", "stage": "初中", "sports_area_m2": 100 * 9.0},  # 9.0 < 10.2, > floor
        {"county": "乙县", "stage": "初中", "school": "差校", "backbone_teachers": 0.5},
        {"county": "甲县", "year": 2023, "stage": "小学"},
        {"county": "甲县", "year": 2023, "stage": "初中"},
    ]
    report = compute(read_school_table(table(rows)))
    verdicts = {(v["county"], v["year"]): v for v in report.counties}
    assert verdicts[("甲县", 2022)]["pass"] is True
    assert verdicts[("甲县", 2023)]["pass"] is True
    bad = verdicts[("乙县", 2022)]
    assert bad["pass"] is False and bad["schools_failing"] == 1
    assert "差校 (junior)" in bad["reasons"][0]
    assert len(report.results) == 3 * 2 * 7


def test_thresholds_come_from_the_standards_data():
    with open(DATA, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    looser = copy.deepcopy(raw)
    for t in looser["thresholds"]:
        if t["indicator"] == "cv" and t["standard"] == "quality_balance_2017":
            t["value"] = 0.6
        if t["indicator"] == "teachers_above_required_qualification_per_100":
            t["value"], t["floor"] = 1.0, 0.85
    custom = parse_standards(looser)
    df = _two_schools_with_cv(0.52)
    df.loc[0, "teachers_above_qualification"] = 20.0  # 2 per 100 of 1000 pupils
    default = compute(read_school_table(df))
    relaxed = compute(read_school_table(df), standards=custom)
    assert one(default, indicator="equipment_value_per_student")["pass"] is False
    assert one(relaxed, indicator="equipment_value_per_student")["pass"] is True
    assert one(relaxed, indicator="equipment_value_per_student")["threshold"] == 0.6
    assert not default.schools["pass"].iloc[0] and relaxed.schools["pass"].iloc[0]


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),  # county
            st.sampled_from(["小学", "初中"]),
            st.integers(1, 3000),  # students
            st.floats(0, 1e6, allow_nan=False),  # equipment value
        ),
        min_size=1,
        max_size=40,
    )
)
def test_vectorised_cv_equals_the_reference_per_group(rows):
    data = [
        {"county": f"县{c}", "stage": s, "students": p, "equipment_value_yuan": v}
        for c, s, p, v in rows
    ]
    report = compute(read_school_table(table(data)))
    frame = pd.DataFrame(rows, columns=["county", "stage", "students", "value"])
    for (c, s), g in frame.groupby(["county", "stage"]):
        r = one(
            report,
            county=f"县{c}",
            stage={"小学": "primary", "初中": "junior"}[s],
            indicator="equipment_value_per_student",
        )
        values = (g["value"] / g["students"]).tolist()
        ref = weighted_cv(g["students"].tolist(), values)
        if math.isnan(ref):
            assert math.isnan(r["cv"])
        else:
            assert r["cv"] == pytest.approx(ref, rel=1e-9, abs=1e-9)


def test_to_dict_is_json_ready_and_carries_the_promised_keys():
    import json

    report = compute(read_school_table(table([{"stage": "小学"}, {"stage": "初中"}])))
    d = json.loads(json.dumps(report.to_dict(), allow_nan=False))
    assert {"county", "year", "stage", "indicator", "mean", "cv", "threshold", "pass"} <= set(
        d["results"][0]
    )
    assert {"county", "year", "school", "stage", "indicators_met", "pass"} <= set(d["schools"][0])
    assert set(d["schools"][0]["values"]) == set(load_standards().six_of_seven.indicators)
    assert d["counties"][0]["pass"] is True


def test_a_2012_only_table_is_assessed_under_2012_only():
    df = pd.DataFrame(
        {
            "县": ["A"] * 3, "年度": [2014] * 3, "学校": ["a", "b", "c"],
            "学段": ["小学", "小学", "初中"], "学生数": [100, 200, 300],
            "教学及辅助用房面积": [500, 900, 1600], "体育运动场馆面积": [800, 1500, 3000],
            "教学仪器设备值": [1e5, 3e5, 6e5], "计算机台数": [10, 15, 40],
            "图书册数": [2000, 3000, 9000], "专任教师数": [6, 10, 20],
            "高于规定学历教师数": [4, 8, 12], "中级及以上专业技术职务教师数": [3, 4, 10],
        }
    )  # fmt: skip
    report = compute(read_school_table(df))
    assert report.standards == ("basic_balance_2012",)
    assert report.results["pass"].isna().all() and report.schools["pass"].isna().all()
    [verdict] = report.counties
    assert verdict["standard"] == "basic_balance_2012" and verdict["pass"] is True
    assert any("quality_balance_2017 not assessed" in n for n in report.notes)
    primary = report.composites.set_index("stage").loc["primary"]
    assert primary["composite"] == pytest.approx(np.mean(list(primary["components"].values())))
