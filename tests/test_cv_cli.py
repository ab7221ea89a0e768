"""`junheng cv` and cv_report: output formats, atomic writes, exit status 2 on bad tables."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from junheng.cli import main
from junheng.indicators.cli_cv import cv_report
from junheng.indicators.schools import SchoolTableError

CANONICAL7 = {
    "teachers_above_required_qualification_per_100",
    "backbone_teachers_per_100",
    "pe_arts_teachers_per_100",
    "teaching_space_per_student",
    "sports_area_per_student",
    "equipment_value_per_student",
    "multimedia_classrooms_per_100",
}


def school_table(tmp_path, bad: bool = False):
    rows = []
    for county, stage, n in [("甲县", "小学", 3), ("甲县", "初中", 2), ("乙区", "小学", 2)]:
        for i in range(n):
            students = 400 + 150 * i
            rows.append(
                {
                    "县": county, "年度": 2024, "学校": f"{county}{stage}{i}", "学段": stage,
                    "在校生数": students if not (bad and i == 1) else 0,
                    "高于规定学历教师数": students * 0.06, "县级以上骨干教师数": students * 0.012,
                    "体育艺术专任教师数": students * 0.01, "教学及辅助用房面积": students * 6.0,
                    "体育运动场馆面积": students * (11 + i), "教学仪器设备值": students * 2600,
                    "网络多媒体教室数": students * 0.025,
                }
            )  # fmt: skip
    p = tmp_path / "schools.csv"
    pd.DataFrame(rows).to_csv(p, index=False)
    return p


def run(*args):
    return CliRunner().invoke(main, ["cv", *map(str, args)])


def test_json_output(tmp_path):
    res = run(school_table(tmp_path))
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert {r["indicator"] for r in d["results"]} == CANONICAL7
    assert len(d["results"]) == 3 * 7  # 甲县 primary + junior, 乙区 primary
    r = d["results"][0]
    assert {"county", "year", "stage", "indicator", "mean", "cv", "threshold", "pass"} <= set(r)
    assert len(d["schools"]) == 7
    verdicts = {v["county"]: v for v in d["counties"]}
    assert verdicts["甲县"]["pass"] is True
    assert verdicts["乙区"]["pass"] is False  # no junior schools
    assert any("no junior schools" in x for x in verdicts["乙区"]["reasons"])


def test_csv_and_table_formats(tmp_path):
    path = school_table(tmp_path)
    res = run(path, "--format", "csv")
    assert res.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 21 and rows[0]["county"] == "甲县" and rows[0]["pass"] in ("True", "False")
    res = run(path, "--format", "table")
    assert res.exit_code == 0
    assert "quality_balance_2017 (教督〔2017〕6号): PASS" in res.stdout
    assert "FAIL" in res.stdout and "equipment_value_per_student" in res.stdout


def test_output_file_is_written_whole(tmp_path):
    out = tmp_path / "cv.json"
    res = run(school_table(tmp_path), "-o", out)
    assert res.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["results"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_bad_table_exit_2_message_and_no_output(tmp_path):
    out = tmp_path / "cv.json"
    out.write_text("previous result", encoding="utf-8")
    res = run(school_table(tmp_path, bad=True), "-o", out)
    assert res.exit_code == 2
    assert "row 3" in res.stderr and "在校生数" in res.stderr and "positive" in res.stderr
    assert "Traceback" not in res.output
    assert out.read_text(encoding="utf-8") == "previous result"
    fresh = tmp_path / "fresh.json"
    assert run(school_table(tmp_path, bad=True), "-o", fresh).exit_code == 2
    assert not fresh.exists()
    res = run(tmp_path / "absent.xlsx")
    assert res.exit_code == 2 and "cannot read file" in res.stderr


def test_cv_report_for_the_api(tmp_path):
    path = school_table(tmp_path)
    from_path = cv_report(path)
    from_bytes = cv_report(path.read_bytes(), filename="upload.csv")
    from_frame = cv_report(pd.read_csv(path), include_values=False)
    assert from_path["results"] == from_bytes["results"] == from_frame["results"]
    assert from_bytes["source"] == "upload.csv"
    assert "values" not in from_frame["schools"][0]
    json.dumps(from_path, allow_nan=False)
    with pytest.raises(SchoolTableError):
        cv_report(b"a,b\n1,2\n", filename="bad.csv")
