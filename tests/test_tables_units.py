"""Units of table cells from the headers' own words and from a unit statement above the table;
a column or row that names a standard holds thresholds."""

from junheng.extract.pipeline import extract_text


def cells(text: str) -> dict:
    return {c.surface: c for c in extract_text(text)}


def test_tab_table_header_words_give_units():
    text = (
        "二、各校情况\n"
        "学校名称\t学生数\t专任教师数\t生均教学及辅助用房\t生均运动场地\t生均仪器设备值\t"
        "合格项数\t优良率\n"
        "青石镇第一小学\t1357\t82\t5.46\t9.13\t2671\t6\t88.5\n"
        "青石镇中学\t904\t71\t7.38\t13.52\t3349\t7\t91.2\n"
    )
    cs = cells(text)
    assert cs["1357"].unit == "person" and cs["1357"].indicator == "student_count"
    assert cs["82"].unit == "person"
    assert cs["5.46"].unit == "m2" and cs["9.13"].unit == "m2"
    assert cs["2671"].unit == "CNY" and cs["2671"].indicator == "equipment_value_per_student"
    assert cs["6"].unit == "count"
    assert cs["88.5"].unit == "percent"


def test_school_count_and_coefficient_columns():
    text = "片区\t学校数\t教学班个数\t差异系数\n东片\t14\t236\t0.318\n西片\t11\t187\t0.402\n"
    cs = cells(text)
    assert cs["14"].unit == "school"
    assert cs["236"].unit == "count"
    assert cs["0.318"].unit == "coefficient"


def test_unit_statement_above_the_table_names_its_columns():
    text = (
        "抽查学校的主要数据见下（活动场地单位为平方米，经费单位为万元）：\n"
        "学校\t生均活动场地\t年度公用经费\t在校生数\n"
        "红枫小学\t6.25\t83.4\t1208\n"
    )
    cs = cells(text)
    assert cs["6.25"].unit == "m2"
    assert cs["83.4"].unit == "CNY" and cs["83.4"].value == 834000.0
    assert cs["1208"].unit == "person" and cs["1208"].value == 1208.0


def test_whole_table_unit_statement_and_caption():
    text = (
        "表3 各镇初中教育经费投入情况\n"
        "单位：万元\n"
        "镇\t一般公共预算\t其中公用部分\t同比增长率\n"
        "桂山镇\t1862\t315\t6.4\n"
    )
    cs = cells(text)
    assert cs["1862"].unit == "CNY" and cs["1862"].value == 18620000.0
    assert cs["315"].value == 3150000.0
    # a rate column keeps its own unit whatever the table's unit line says
    assert cs["6.4"].unit == "percent" and cs["6.4"].value == 6.4
    # the caption above the unit line still gives the stage
    assert cs["1862"].level == "junior"


def test_unit_statement_on_the_caption_line():
    text = "附表 各校参训教师（单位:人）\n学校\t骨干\t新任\n梅园小学\t12\t9\n"
    cs = cells(text)
    assert cs["12"].unit == "person" and cs["9"].unit == "person"


def test_bracketed_hints_win_over_header_words_and_statements():
    text = (
        "（经费单位为元）\n"
        "学校\t在校生数（万人）\t生均公用经费（万元）\t校舍面积（万平方米）\n"
        "滨江中学\t0.21\t0.12\t3.4\n"
    )
    cs = cells(text)
    assert cs["0.21"].unit == "person" and cs["0.21"].value == 2100.0
    assert cs["0.12"].unit == "CNY" and cs["0.12"].value == 1200.0
    assert cs["3.4"].unit == "m2" and cs["3.4"].value == 34000.0


def test_per_student_bracket_unit():
    text = "| 指标 | 小学 | 初中 |\n|---|---|---|\n| 生均公用经费（元/生） | 720 | 940 |\n"
    cs = cells(text)
    assert cs["720"].unit == "CNY" and cs["940"].level == "junior"


def test_standard_column_holds_thresholds():
    text = (
        "| 指标 | 小学县均值 | 小学标准 | 初中县均值 | 省定标准 | 初中差异系数 |\n"
        "|---|---|---|---|---|---|\n"
        "| 生均教学仪器设备值（元） | 2315 | 2000 | 2967 | 2600 | 0.287 |\n"
        "| 生均教学及辅助用房面积（平方米） | 4.86 | 4.5 | 6.72 | 5.8 | 0.244 |\n"
    )
    cs = cells(text)
    for s in ("2000", "2600", "4.5", "5.8"):
        assert cs[s].kind == "threshold", s
        assert cs[s].qualifier == "eq"
    assert cs["2000"].unit == "CNY" and cs["2000"].level == "primary"
    assert cs["5.8"].unit == "m2" and cs["5.8"].indicator == "teaching_space_per_student"
    for s in ("2315", "2967", "4.86", "6.72"):
        assert cs[s].kind == "level", s
    assert cs["0.287"].kind == "level" and cs["0.287"].unit == "coefficient"


def test_standard_row_holds_thresholds_but_reaching_it_does_not():
    text = (
        "项目\t小学\t初中\n"
        "全县均值（平方米）\t5.12\t6.84\n"
        "国家标准值（平方米）\t4.5\t5.8\n"
        "达到标准学校数（所）\t17\t8\n"
    )
    cs = cells(text)
    assert cs["4.5"].kind == "threshold" and cs["5.8"].kind == "threshold"
    assert cs["5.12"].kind == "level"
    assert cs["17"].kind != "threshold" and cs["17"].unit == "school"


def test_table_with_no_unit_words_stays_other():
    text = "年份\t甲\t乙\n2021\t15\t27\n"
    cs = cells(text)
    assert cs["15"].unit == "other"


def test_space_aligned_table_rows():
    text = (
        "表2  2023年度各县（区）初中资源配置指标平均值\n\n"
        "县（区）  骨干教师（人/百生）  生均教学及辅助用房（平方米）  生均教学仪器设备值（元）\n"
        "河东区    1.31    6.85    3120\n"
        "河西县    1.02    5.96    2790\n\n"
        "发布时间:2024-06-12   来源:市教育局   浏览次数:2867\n"
    )
    got = {c.surface: c for c in extract_text(text)}
    assert got["1.31"].indicator == "backbone_teachers_per_100"
    assert (got["6.85"].unit, got["6.85"].indicator) == ("m2", "teaching_space_per_student")
    assert (got["2790"].unit, got["2790"].region) == ("CNY", "河西县")
    assert got["3120"].time == "2023" and got["3120"].level == "junior"
    assert "2867" not in got  # a chrome line with wide gaps is no table row
