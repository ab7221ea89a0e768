"""Reading school tables: Chinese headers, formats, direct values, and one clear error per table."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from junheng.indicators.coefficients import compute
from junheng.indicators.schools import SchoolTableError, read_school_table

HEADER_ZH = (
    "区县,年度,学校名称,学段,在校生数（人）,高于规定学历教师数,县级以上骨干教师数,"
    "体育、艺术（美术、音乐）专任教师数,教学及辅助用房面积（平方米）,体育运动场馆面积（平方米）,"
    "教学仪器设备值（元）,网络多媒体教室数（间）,备注"
)
ROWS_ZH = [
    "东城县,2023年,第一小学,小学,1000,50,12,10,5000,8000,2500000,25,",
    "东城县,2023年,第二小学,小学部,500,20,4,5,2000,3000,900000,10,",
    "东城县,2023年,第一中学,初中,800,50,10,8,5000,9000,2200000,20,",
]
EN = {
    "county": ["A", "A", "A"],
    "year": [2023, 2023, 2023],
    "school": ["p1", "p2", "j1"],
    "stage": ["primary", "primary", "junior"],
    "students": [1000, 500, 800],
    "teachers_above_qualification": [50, 20, 50],
    "backbone_teachers": [12, 4, 10],
    "pe_arts_teachers": [10, 5, 8],
    "teaching_space_m2": [5000, 2000, 5000],
    "sports_area_m2": [8000, 3000, 9000],
    "equipment_value_yuan": [2500000, 900000, 2200000],
    "multimedia_classrooms": [25, 10, 20],
}


def csv_text(rows=ROWS_ZH, title: bool = True, footer: bool = True) -> str:
    lines = (["东城县义务教育学校办学条件统计表"] if title else []) + [HEADER_ZH, *rows]
    if footer:
        lines += ["", "合计,,,,2300,,,,,,,,"]
    return "\n".join(lines) + "\n"


def write(tmp_path, text: str, name="t.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def cvs(report) -> dict:
    r = report.results
    return {
        (s, i): round(v, 12) for s, i, v in zip(r["stage"], r["indicator"], r["cv"], strict=True)
    }


def test_chinese_headers_title_row_units_and_summary_rows(tmp_path):
    t = read_school_table(write(tmp_path, csv_text()))
    assert t.header_row == 2
    assert t.frame["row"].tolist() == [3, 4, 5]
    assert t.frame["stage"].tolist() == ["primary", "primary", "junior"]
    assert t.frame["year"].tolist() == [2023] * 3
    assert t.frame["teachers_above_required_qualification_per_100"].tolist() == [5.0, 4.0, 6.25]
    assert t.frame["equipment_value_per_student"].tolist() == [2500.0, 1800.0, 2750.0]
    assert t.standards == ("quality_balance_2017",)
    assert t.ignored == ("备注",)
    assert any("summary row" in n for n in t.notes)
    assert t.columns["students"] == "在校生数（人）"


def test_csv_xlsx_parquet_and_dataframe_agree(tmp_path):
    base = compute(read_school_table(pd.DataFrame(EN)))
    df = pd.DataFrame(EN)
    df.to_parquet(tmp_path / "t.parquet")
    with pd.ExcelWriter(tmp_path / "t.xlsx") as xw:  # title rows above the header in Excel
        pd.DataFrame([["某县办学条件"], [""]]).to_excel(xw, index=False, header=False)
        df.to_excel(xw, index=False, startrow=3)
    df.to_csv(tmp_path / "t.tsv", sep="\t", index=False)
    for name in ("t.parquet", "t.xlsx", "t.tsv"):
        got = compute(read_school_table(tmp_path / name))
        assert cvs(got) == cvs(base), name
    xlsx = read_school_table(tmp_path / "t.xlsx")
    assert xlsx.header_row == 4 and xlsx.frame["row"].tolist() == [5, 6, 7]


def test_same_numbers_in_english_and_chinese(tmp_path):
    zh = compute(read_school_table(write(tmp_path, csv_text())))
    en = compute(read_school_table(pd.DataFrame(EN)))
    assert cvs(zh) == cvs(en)


def test_gb18030_csv_and_bytes_input(tmp_path):
    p = write(tmp_path, csv_text(), encoding="gb18030")
    assert len(read_school_table(p).frame) == 3
    t = read_school_table(p.read_bytes(), filename="upload.csv")
    assert t.source == "upload.csv" and len(t.frame) == 3
    assert len(read_school_table(io.BytesIO(p.read_bytes())).frame) == 3


def test_direct_per_pupil_values_give_the_same_cvs():
    counts = pd.DataFrame(EN)
    direct = counts[["county", "year", "school", "stage", "students"]].rename(
        columns={
            "county": "县",
            "year": "年度",
            "school": "学校",
            "stage": "学段",
            "students": "学生数",
        }
    )
    s = counts["students"]
    direct["每百名学生拥有高于规定学历教师数"] = counts["teachers_above_qualification"] / s * 100
    direct["每百名学生拥有县级以上骨干教师数"] = counts["backbone_teachers"] / s * 100
    direct["每百名学生拥有体育、艺术专任教师数"] = counts["pe_arts_teachers"] / s * 100
    direct["生均教学及辅助用房面积（平方米）"] = counts["teaching_space_m2"] / s
    direct["生均体育运动场馆面积"] = counts["sports_area_m2"] / s
    direct["生均教学仪器设备值（元）"] = counts["equipment_value_yuan"] / s
    direct["每百名学生拥有网络多媒体教室数"] = counts["multimedia_classrooms"] / s * 100
    t = read_school_table(direct)
    assert len(t.direct) == 7
    got, want = compute(t), compute(read_school_table(counts))
    for key, value in cvs(want).items():
        assert cvs(got)[key] == pytest.approx(value, abs=1e-12)


def test_numbers_with_separators_and_full_width_digits(tmp_path):
    rows = list(ROWS_ZH)
    rows[0] = rows[0].replace(",2500000,", ',"2,500,000",').replace(",1000,", ",１０００,")
    t = read_school_table(write(tmp_path, csv_text(rows)))
    assert t.frame["students"].iloc[0] == 1000
    assert t.frame["equipment_value_per_student"].iloc[0] == 2500


@pytest.mark.parametrize(
    ("mutate", "row", "column", "problem"),
    [
        (lambda r: r.__setitem__(1, r[1].replace(",500,", ",0,")), 4, "在校生数（人）", "positive"),
        (lambda r: r.__setitem__(1, r[1].replace(",500,", ",-5,")), 4, "在校生数（人）", "positive"),
        (lambda r: r.__setitem__(2, r[2].replace(",9000,", ",九千,")), 5, "体育运动场馆面积（平方米）",
         "not a number"),
        (lambda r: r.__setitem__(2, r[2].replace(",初中,", ",高中,")), 5, "学段", "unknown stage"),
        (lambda r: r.__setitem__(0, r[0].replace(",小学,", ",九年一贯制,")), 3, "学段", "one row per"),
        (lambda r: r.__setitem__(1, r[1].replace(",4,", ",,")), 4, "县级以上骨干教师数", "empty"),
        (lambda r: r.__setitem__(1, r[1].replace("2023年", "去年")), 4, "年度", "not a year"),
        (lambda r: r.__setitem__(2, r[2].replace(",20,", ",-1,")), 5, "网络多媒体教室数（间）",
         "negative"),
        (lambda r: r.__setitem__(2, r[0]), 5, "学校名称", "duplicate"),
    ],
)  # fmt: skip
def test_bad_cells_name_file_row_and_column(tmp_path, mutate, row, column, problem):
    rows = list(ROWS_ZH)
    mutate(rows)
    path = write(tmp_path, csv_text(rows))
    with pytest.raises(SchoolTableError) as err:
        read_school_table(path)
    e = err.value
    assert (e.row, e.column) == (row, column)
    assert problem in e.problem
    assert str(path) in str(e) and f"row {row}" in str(e)


def test_first_problem_in_file_order_and_a_count_of_the_rest(tmp_path):
    rows = [r.replace(",1000,", ",0,").replace(",800,", ",x,") for r in ROWS_ZH]
    with pytest.raises(SchoolTableError) as err:
        read_school_table(write(tmp_path, csv_text(rows)))
    assert err.value.row == 3 and err.value.more == 1
    assert "1 more problem" in str(err.value)


def test_missing_columns(tmp_path):
    df = pd.DataFrame(EN).drop(columns=["students"])
    with pytest.raises(SchoolTableError, match="missing required column students") as err:
        read_school_table(df, filename="t.csv")
    assert err.value.row == 1 and err.value.column == "students"
    df = pd.DataFrame(EN).drop(columns=["sports_area_m2"])
    with pytest.raises(SchoolTableError, match="sports_area_per_student") as err:
        read_school_table(df)
    assert err.value.row == 1


def test_duplicate_header_and_no_header(tmp_path):
    df = pd.DataFrame(EN)
    df.insert(5, "在校生数", df["students"])
    with pytest.raises(SchoolTableError, match="both give students"):
        read_school_table(df)
    with pytest.raises(SchoolTableError, match="no header row"):
        read_school_table(write(tmp_path, "a,b,c\n1,2,3\n"))
    with pytest.raises(SchoolTableError, match="empty"):
        read_school_table(write(tmp_path, ""))
    with pytest.raises(SchoolTableError, match="no school rows"):
        read_school_table(write(tmp_path, HEADER_ZH + "\n"))
    with pytest.raises(SchoolTableError, match="cannot read"):
        read_school_table(tmp_path / "absent.csv")


def test_corrupt_workbook_is_a_table_error(tmp_path):
    p = tmp_path / "t.xlsx"
    p.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SchoolTableError, match="cannot read as xlsx"):
        read_school_table(p)


def test_2012_columns_enable_the_composite():
    df = pd.DataFrame(EN)
    df["计算机台数"] = [100, 40, 90]
    df["图书册数"] = [30000, 9000, 32000]
    df["专任教师数"] = [60, 30, 70]
    df["中级及以上专业技术职务教师数"] = [30, 10, 40]
    t = read_school_table(df)
    assert t.standards == ("quality_balance_2017", "basic_balance_2012")
    assert "books_per_student" in t.indicators and "teacher_student_ratio" in t.indicators
    assert t.frame["teacher_student_ratio"].tolist() == pytest.approx([0.06, 0.06, 0.0875])
    partial = pd.DataFrame(EN)
    partial["图书册数"] = [1, 2, 3]
    t = read_school_table(partial)
    assert t.standards == ("quality_balance_2017",)
    assert any("basic_balance_2012 not assessed" in n for n in t.notes)
