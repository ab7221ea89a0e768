"""Claim extraction on sentences written for these tests: spans, values, units, attributes, and
the numbers that are not claims."""

from __future__ import annotations

import pytest

from junheng.extract.pipeline import extract_text


def claims_of(text: str, **kw):
    return extract_text(text, doc_id=kw.get("doc_id", "t.txt"))


def one(text: str, surface: str):
    found = [c for c in claims_of(text) if c.surface == surface]
    assert found, f"{surface!r} not found in {[c.surface for c in claims_of(text)]}"
    return found[0]


# ---------------------------------------------------------------- spans, values, units
@pytest.mark.parametrize(
    "text,surface,value,unit",
    [
        ("全县共有小学38所。", "38所", 38, "school"),
        ("累计投入资金1.7亿元。", "1.7亿元", 170_000_000, "CNY"),
        ("新增学位3.6万个。", "3.6万个", 36_000, "count"),
        ("建筑面积12.5万平方米。", "12.5万平方米", 125_000, "m2"),
        ("交流教师占比百分之九十五点三。", "百分之九十五点三", 95.3, "percent"),
        ("巩固率提高了2.5个百分点。", "2.5个百分点", 2.5, "percentage_point"),
        ("经费标准达到普通学校的6倍。", "6倍", 6, "multiple"),
        ("全区有三千二百名专任教师。", "三千二百名", 3200, "person"),
        ("全县有１２３所学校。", "１２３所", 123, "school"),
        ("接待学生12万人次。", "12万人次", 120_000, "person_time"),
        ("各类图书56,000册。", "56,000册", 56_000, "count"),
        ("学校占地80亩。", "80亩", round(80 * 10000 / 15, 6), "m2"),
        ("全市超过九成学校实现集团化办学。", "九成", 90, "percent"),
        ("全县共有教学点8千余个。", "8千余个", 8000, "count"),
        ("兩萬名學生參加。", "兩萬名", 20000, "person"),
        ("在校生增长近一倍。", "一倍", 1, "multiple"),
        ("初中1，056所。", "1，056所", 1056, "school"),
    ],
)
def test_values_and_units(text, surface, value, unit):
    c = one(text, surface)
    assert c.value == pytest.approx(value)
    assert c.unit == unit
    assert text[c.start : c.end] == c.surface


@pytest.mark.parametrize(
    "text,surface,low,high,unit",
    [
        ("每校配备3—5所帮扶学校。", "3—5所", 3, 5, "school"),
        ("提高2至3个百分点。", "2至3个百分点", 2, 3, "percentage_point"),
        ("补助3000至5000元。", "3000至5000元", 3000, 5000, "CNY"),
        ("每年有十几个社团获奖。", "十几个", 10, 19, "count"),
    ],
)
def test_ranges(text, surface, low, high, unit):
    c = one(text, surface)
    assert c.value is None and (c.value_low, c.value_high) == (low, high)
    assert c.unit == unit


def test_hedge_inside_surface_and_outside():
    c = one("筹集资金4.5亿余元。", "4.5亿余元")
    assert c.qualifier == "approx" and c.value == pytest.approx(450_000_000)
    c = one("先后投入近3亿元。", "3亿元")
    assert c.qualifier == "approx"
    c = one("建有社团260多个。", "260多个")
    assert c.qualifier == "approx" and c.value == 260


def test_number_broken_by_a_line_break_keeps_offsets():
    text = "年度教育经费投入1.7\n亿元,同比增长5%。"
    c = one(text, "1.7\n亿元")
    assert c.value == pytest.approx(170_000_000)
    assert text[c.start : c.end] == "1.7\n亿元"


def test_coefficient_without_unit():
    text = "全县小学校际差异系数为0.386,初中为0.301。"
    cs = {c.surface: c for c in claims_of(text)}
    assert cs["0.386"].unit == "coefficient" and cs["0.386"].level == "primary"
    assert cs["0.301"].unit == "coefficient" and cs["0.301"].level == "junior"
    assert cs["0.386"].indicator == "cv"


def test_rank():
    c = one("全县义务教育质量监测成绩位居全市第二。", "第二")
    assert c.unit == "rank" and c.value == 2


# ---------------------------------------------------------------- not claims
@pytest.mark.parametrize(
    "text",
    [
        "2023年10月15日召开推进会。",
        "发布时间:2024-04-17 09:30:12",
        "一、总体情况",
        "(三)强化保障",
        "1.完善机制",
        "一是加强领导,二是完善制度。",
        "全面落实“十四五”规划。",
        "深入推进“五育”并举,培养“四有”好老师。",
        "构建“1+9”政策体系。",
        "实施151工程。",
        "市第61中学获评示范校。",
        "进一步统一城乡标准,推进九年一贯制学校建设。",
        "我们从五个方面推进工作。",
        "实现“一校一品”。",
        "党的二十大报告提出要求。",
        "市人大1号议案落实情况。",
        "每百名学生拥有骨干教师数达标。",
        "传承百年文脉。",
        "近3年来,学校面貌焕然一新。",
        "第七届人民代表大会第四次会议。",
    ],
)
def test_not_claims(text):
    assert claims_of(text) == [], [c.surface for c in claims_of(text)]


def test_a_slogan_does_not_run_across_a_clause_mark():
    # the digits after a sentence end or a comma belong to the next figure, not to a slogan
    text = "教职工一万二千余名。\n2023年,全市新建学校三所,5所在建。"
    assert [c.surface for c in claims_of(text)] == ["一万二千余名", "三所", "5所"]
    assert claims_of("打造一校一品,两条主线三级联动。") == []


def test_duration_is_a_claim_but_time_window_is_not():
    surfaces = [c.surface for c in claims_of("连续五年承办现场会,近五年累计投入2亿元。")]
    assert "五年" in surfaces
    assert surfaces.count("五年") == 1


# ---------------------------------------------------------------- qualifiers
@pytest.mark.parametrize(
    "text,surface,qualifier",
    [
        ("入学率达98.5%。", "98.5%", "ge"),
        ("覆盖率达到95%以上。", "95%", "ge"),
        ("班额控制在45人以内。", "45人", "le"),
        ("大班额比例低于5%。", "5%", "lt"),
        ("满意度高于90%。", "90%", "gt"),
        ("派出教师500名左右。", "500名", "approx"),
        ("总投资约2.4亿元。", "2.4亿元", "approx"),
        ("力争到2025年新建学校12所。", "12所", "target"),
        ("计划新增学位8000个。", "8000个", "target"),
        ("今年，我们要确保完成新建学校8所，新增学位6000个以上。", "6000个", "target"),
        # a cue inside a clause that describes the noun says nothing of the figure
        ("7项指标均达到要求的小学18所。", "18所", "eq"),
        ("差异系数达到国家规定的0.50。", "0.50", "ge"),
        ("交流轮岗比例均超过国家规定的10%。", "10%", "ge"),
        ("交流轮岗比例均不超过国家规定的10%。", "10%", "le"),
        ("全县共有小学38所。", "38所", "eq"),
        ("资源配置达标率为100%。", "100%", "eq"),
    ],
)
def test_qualifiers(text, surface, qualifier):
    assert one(text, surface).qualifier == qualifier


@pytest.mark.parametrize(
    "text,surface,qualifier",
    [
        # a bare list of figures shares the word after its last one
        ("综合差异系数均未达到国家规定的0.50和0.45以内的要求。", "0.50", "le"),
        ("入学率分别达到85%、92%、75%以上。", "85%", "ge"),
        ("入学率分别达到85%、92%、75%以上。", "92%", "ge"),
        # and the comparison said before its first one
        ("生均公用经费分别达到780元、1010元。", "1010元", "ge"),
        ("覆盖率分别达到71%和77%。", "77%", "ge"),
        ("生均公用经费分别为780元、1010元。", "1010元", "eq"),
        # but not a word after one figure, nor across words that are not list marks
        ("骨干教师10人以上、学科带头人5人。", "5人", "eq"),
        ("招聘教师120人以上、5人。", "5人", "eq"),
        ("小学5所和初中3所以上。", "5所", "eq"),
    ],
)
def test_lists_share_their_comparison(text, surface, qualifier):
    assert one(text, surface).qualifier == qualifier


def test_heading_makes_targets():
    text = "一、主要成效\n全县共有小学38所。\n二、下一步工作打算\n新建学校6所,新增学位2400个。"
    cs = {c.surface: c for c in claims_of(text)}
    assert cs["38所"].qualifier == "eq"
    assert cs["6所"].qualifier == "target" and cs["2400个"].qualifier == "target"


# ---------------------------------------------------------------- kinds
@pytest.mark.parametrize(
    "text,surface,kind",
    [
        ("教育经费年均增长8.5%。", "8.5%", "growth_rate"),
        ("同比增长12.3%。", "12.3%", "growth_rate"),
        ("其中农村学校占比62%。", "62%", "share"),
        ("85%的学校建成智慧校园。", "85%", "share"),
        ("新建学校12所。", "12所", "change"),
        ("新增学位3000个。", "3000个", "change"),
        ("合格率提高了3个百分点。", "3个百分点", "change"),
        ("学校总数增至56所。", "56所", "level"),
        ("校际差异系数的国家标准要求小学小于或等于0.50。", "0.50", "threshold"),
        ("全县共有初中12所。", "12所", "level"),
        # the figures of a bare list are of one kind
        ("小学、初中生均教育经费分别增长4.2%和5.6%。", "5.6%", "growth_rate"),
        ("小学、初中生均教育经费分别提高到850元和1150元。", "1150元", "level"),
        ("两项指标分别占35%、40%。", "40%", "share"),
    ],
)
def test_kinds(text, surface, kind):
    assert one(text, surface).kind == kind


# ---------------------------------------------------------------- time
@pytest.mark.parametrize(
    "text,surface,time",
    [
        ("截至2023年底,全县共有小学38所。", "38所", "2023"),
        ("“十三五”以来,新建学校20所。", "20所", "since 2016"),
        ("“十四五”期间,规划建设学校9所。", "9所", "2021-2025"),
        ("近3年,新增学位6000个。", "6000个", "last 3 years"),
        ("2018年至今,投入资金2亿元。", "2亿元", "since 2018"),
        ("全市教育经费由2019年的40亿元增长到2023年的52亿元。", "52亿元", "2023"),
        ("全市教育经费由2019年的40亿元增长到2023年的52亿元。", "40亿元", "2019"),
        ("每年派出教师200名。", "200名", None),
        # the year a multiple is taken of is its base, not its time
        ("2023年,全市教育投入102.6亿元,是2018年的1.8倍。", "1.8倍", "2023"),
        ("三年来,新建学校12所。", "12所", "last 3 years"),
        ("党的十八大以来,新建学校30所。", "30所", "since 2012"),
        ("2022—2023学年,全县在校生5.2万人。", "5.2万人", "2022-2023"),
        ("2018年来,新建学校5所。", "5所", "since 2018"),
    ],
)
def test_time(text, surface, time):
    assert one(text, surface).time == time


def test_now_uses_document_year():
    text = "在2023年全县教育工作会议上的讲话\n目前,全县共有小学38所。"
    assert one(text, "38所").time == "2023"


def test_parallel_from_to_years():
    text = "教育投入从2016年的30亿元增长到2021年的45亿元,占财政支出比重从15%提高到18%,年均增长率达到8.45%。"
    cs = {c.surface: c for c in claims_of(text)}
    assert cs["15%"].time == "2016" and cs["18%"].time == "2021"
    assert cs["8.45%"].time == "2016-2021" and cs["8.45%"].kind == "growth_rate"


# ---------------------------------------------------------------- region, level, area
def test_document_region_and_switch():
    text = (
        "关于全市义务教育优质均衡发展情况的报告\n全市共有小学120所,常州市各辖区均已达标。\n"
        "钟楼区新建学校5所,新增学位3000个。\n全市新建学校20所。"
    )
    cs = claims_of(text)
    by = {c.surface: c for c in cs}
    assert by["5所"].region == "钟楼区"
    assert by["20所"].region == "常州市"


def test_anonymised_and_unnamed_places():
    assert one("**县共有小学38所,全县教师3000名。", "38所").region == "**县"
    assert one("我县共有小学38所。", "38所").region == "(unnamed county)"


@pytest.mark.parametrize(
    "text,surface,level",
    [
        ("全县共有小学38所、初中12所。", "12所", "junior"),
        ("全县共有幼儿园60所。", "60所", "preschool"),
        ("全县85所义务教育学校均已达标。", "85所", "compulsory"),
        ("中小学专任教师5200名。", "5200名", "k12"),
        ("特殊教育学校生均公用经费达到6000元。", "6000元", "special"),
        ("小学和初中生均公用经费分别为800元和1000元。", "800元", "primary"),
        ("小学和初中生均公用经费分别为800元和1000元。", "1000元", "junior"),
        # a later 分别 of the sentence naming no stage keeps the stages of the one before
        ("小学、初中生均公用经费分别为800元、1000元；生均图书分别为30册、40册。", "40册", "junior"),
        (
            "小学、初中生均公用经费分别为800元、1000元；生均图书分别为30册、40册。",
            "30册",
            "primary",
        ),
        # not when it names its own, nor for another number of figures
        ("小学、初中分别为800元、1000元；高中分别为30册、40册。", "40册", "senior"),
        ("小学、初中分别为800元、1000元；分别为30册、40册、50册。", "40册", "all"),
    ],
)
def test_levels(text, surface, level):
    assert one(text, surface).level == level


@pytest.mark.parametrize(
    "text,surface,area",
    [
        ("其中农村学校52所。", "52所", "rural"),
        ("城区学校教师交流比例30%、干部交流比例18%。", "18%", "urban"),
        ("城乡学校共有教师3000名。", "3000名", None),
    ],
)
def test_areas(text, surface, area):
    assert one(text, surface).area == area


# ---------------------------------------------------------------- indicators
@pytest.mark.parametrize(
    "text,surface,indicator",
    [
        ("全县一般公共预算教育经费达到12.5亿元。", "12.5亿元", "education_expenditure_total"),
        ("小学生均一般公共预算教育支出12000元。", "12000元", "expenditure_per_student"),
        ("教师交流轮岗比例达到15%。", "15%", "teacher_rotation_ratio"),
        ("随迁子女在公办学校就读比例达92%。", "92%", "migrant_children_public_school_ratio"),
        ("学生体质健康测试合格率达95.1%。", "95.1%", "physical_health_pass_rate"),
        ("新建、改扩建学校15所。", "15所", "new_or_expanded_schools"),
        ("新增学位6000个。", "6000个", "new_school_places"),
        ("残疾儿童少年入学率达97%。", "97%", "disabled_children_enrolment_rate"),
        ("初中三年巩固率达99.2%。", "99.2%", "retention_rate"),
    ],
)
def test_indicators(text, surface, indicator):
    assert one(text, surface).indicator == indicator


def test_a_percentage_naming_its_own_measure_takes_no_earlier_indicator():
    cs = {
        c.surface: c
        for c in claims_of("学前教育毛入园率提高到94%，全市通过督导评估的比例达到30%。")
    }
    assert cs["94%"].indicator == "enrolment_rate" and cs["30%"].indicator == "other"
    cs = {c.surface: c for c in claims_of("城区学校校长交流比例100%、中层干部交流比例75%。")}
    assert cs["100%"].indicator == "principal_rotation_ratio" and cs["75%"].indicator == "other"
    # a bare 占比 refers back to what was just named
    assert one("新创省义务教育标准化学校24所，占比达到98.5%。", "98.5%").indicator == (
        "standard_school_ratio"
    )


def test_a_figure_without_words_of_its_own_borrows_the_exclusions_too():
    # 0.4平方米 takes its terms from the clause before, 生均 included: not the total floor area
    cs = claims_of("小学生均校舍建筑面积8.1平方米,比上年增加0.4平方米。")
    assert [c.indicator for c in cs] == ["other", "other"]
    assert one("新增省正高级教师19人,评定高级职称783人。", "783人").indicator == "other"
    # the next figure of a bare list shares the first one's words, not the whole segment's
    text = "全县小学、初中大班额全部消除,最大班额分别为45人、50人。"
    assert [c.indicator for c in claims_of(text)] == ["class_size_limit", "class_size_limit"]


@pytest.mark.parametrize(
    "text",
    [
        "音乐、美术专任教师缺额由2021年的126人减少到2023年的38人。",
        "乡村学校县级以上骨干教师数由2020年的64人增加到2023年的139人。",
    ],
)
def test_from_to_figures_share_the_exclusions_of_their_noun(text):
    # the second figure's own words (增加到2023年的) hold no noun: the clause's noun rules out
    # the teacher count for both figures alike
    cs = claims_of(text)
    assert len(cs) == 2
    assert {c.indicator for c in cs} == {"other"}


def test_traditional_script_matches_like_simplified():
    simp = one("教師交流輪崗比例達到15%。", "15%")
    assert simp.indicator == "teacher_rotation_ratio" and simp.qualifier == "ge"


def test_every_record_is_grounded():
    text = "截至2023年底,全县共有小学38所(农村24所),专任教师3,250名,教育经费达到12.5亿元。"
    for c in claims_of(text):
        assert text[c.start : c.end] == c.surface
        assert c.id == f"t.txt:{c.start}-{c.end}"


# ---------------------------------------------------------------- later additions
def test_ratio_and_score():
    cs = {c.surface: c for c in claims_of("全县生师比为15.2:1,满意度测评得分92.6分。")}
    assert cs["15.2:1"].value == 15.2 and cs["15.2:1"].indicator == "student_teacher_ratio"
    assert cs["92.6分"].unit == "other"


def test_dropout_is_not_retention():
    cs = {c.surface: c for c in claims_of("义务教育巩固率达99.5%,辍学率控制在0.5%以内。")}
    assert cs["99.5%"].indicator == "retention_rate"
    assert cs["0.5%"].indicator == "dropout_rate" and cs["0.5%"].qualifier == "le"


def test_place_words_are_not_an_area_topic():
    cs = {c.surface: c for c in claims_of("全县辖12个乡镇,共有义务教育学校86所。")}
    assert cs["86所"].area is None
    c = one("全力推进农村学校改薄工程,累计投入3.5亿元新建校舍。", "3.5亿元")
    assert c.area == "rural"


def test_sentence_initial_time_holds_for_the_sentence():
    text = "2022年全县教育经费总投入8.65亿元,比上年增长12.3%;其中财政性教育经费7.9亿元。"
    assert one(text, "7.9亿元").time == "2022"
    text = "全市教育经费由2020年的12亿元增长到2022年的15亿元;特殊教育学校生均公用经费达到普通学校的8倍。"
    assert one(text, "8倍").time is None


def test_parallel_list_takes_indicators_from_the_list_before():
    text = (
        "全县小学生均教学及辅助用房面积5.2平方米,生均教学仪器设备值2350元;"
        "初中分别为6.4平方米、2980元。"
    )
    cs = {c.surface: c for c in claims_of(text)}
    assert cs["6.4平方米"].indicator == "teaching_space_per_student"
    assert cs["2980元"].indicator == "equipment_value_per_student"
    assert cs["2980元"].level == "junior"


def test_breakdown_list_does_not_leak_its_stages():
    text = "全区共有义务教育学校46所,其中小学29所、初中17所,在校学生6.2万余人。"
    assert one(text, "6.2万余人").level == "compulsory"


def test_table_cells_take_row_label_and_column_header():
    text = "| 指标 | 小学 | 初中 |\n|---|---|---|\n| 生均教学仪器设备值（元） | 2460 | 3120 |\n"
    cs = {c.surface: c for c in claims_of(text)}
    assert cs["2460"].unit == "CNY" and cs["2460"].level == "primary"
    assert cs["3120"].level == "junior" and cs["3120"].indicator == "equipment_value_per_student"


def test_table_caption_gives_the_stage_and_a_coefficient_column_its_unit():
    text = (
        "表1 小学资源配置指标校际差异系数\n"
        "指标\t全县均值\t差异系数\n"
        "每百名学生拥有县级以上骨干教师数\t1.2\t0.455\n"
        "生均教学及辅助用房面积（平方米）\t6.1\t0.288\n"
    )
    cs = {c.surface: c for c in claims_of(text)}
    assert all(c.level == "primary" for c in cs.values())
    assert cs["6.1"].unit == "m2" and cs["6.1"].indicator == "teaching_space_per_student"
    # the column says coefficient, whatever unit the row names
    assert cs["0.288"].unit == "coefficient" and cs["0.288"].indicator == "cv"
    assert cs["0.288"].about == "teaching_space_per_student"
    # 每百名学生 names the computers only together with 计算机
    assert cs["0.455"].about == "backbone_teachers_per_100"


def test_plan_section_under_a_plain_heading():
    text = "2023年工作回顾\n全县新建学校3所。\n2024年重点工作任务\n新建学校4所,新增学位2000个。"
    cs = {c.surface: c for c in claims_of(text)}
    assert cs["3所"].qualifier == "eq"
    assert cs["4所"].qualifier == "target" and cs["2000个"].qualifier == "target"


def test_coefficient_knows_what_it_measures():
    text = (
        "小学生均体育运动场馆面积差异系数为0.531;初中每百名学生拥有体育、艺术专任教师数差异系数为0.472。"
        "全县小学综合差异系数为0.386。"
    )
    cs = {c.surface: c for c in claims_of(text)}
    assert cs["0.531"].about == "sports_area_per_student"
    assert cs["0.472"].about == "pe_arts_teachers_per_100"
    assert cs["0.386"].about is None
    assert all(c.indicator == "cv" for c in cs.values())


def test_round_multiplier_hedges():
    c = one("全县近万名教师参加培训。", "万名")
    assert c.value == 10000 and c.qualifier == "approx"
    c = one("数千名学生参加活动。", "数千名")
    assert (c.value_low, c.value_high) == (2000, 9000)
    assert claims_of("关系千家万户,传承百年文脉。") == []


def test_city_never_named_is_unnamed_even_when_districts_are():
    text = (
        "我市召开推进会。全市已有3个县(市、区)通过评估,城南区、河西区已接受核查。\n"
        "城南区在会上作交流发言。该区近三年累计投入12亿元,建成学校8所。\n"
        "全市新增学位3.5万个。"
    )
    cs = {c.surface: c for c in claims_of(text)}
    assert cs["3个"].region == "(unnamed city)"
    assert cs["12亿元"].region == "城南区" and cs["12亿元"].time == "last 3 years"
    assert cs["3.5万个"].region == "(unnamed city)"


def test_stages_named_together():
    assert one("区内小学、初中各项指标校际差异系数均控制在0.35以内。", "0.35").level == "compulsory"
    assert one("全市小学和初中家长满意度达96.8%。", "96.8%").level == "compulsory"


def test_base_year_and_discourse_lead():
    cs = {c.surface: c for c in claims_of("比例提升至78.6%,较2020年提高15.2个百分点。")}
    assert cs["15.2个百分点"].time is None
    text = "据介绍,2023年全市共投入教育经费56.8亿元;新建学校42所。"
    assert one(text, "42所").time == "2023"


def test_counts_in_headings_name_lists():
    text = "(一)七项指标达标情况。全县小学七项指标全部达标。"
    assert [c.surface for c in claims_of(text)] == ["七项"]
    assert claims_of(text)[0].start > text.index("。")


def test_enumerated_change_does_not_leak_past_its_list():
    text = "新增学位2700个,全县小学、初中平均班额分别为41.5人、46.3人。"
    cs = {c.surface: c for c in claims_of(text)}
    assert cs["2700个"].kind == "change"
    assert cs["41.5人"].kind == "level" and cs["46.3人"].kind == "level"
    cs = {c.surface: c for c in claims_of("新增学科带头人8名、骨干教师15名。")}
    assert cs["15名"].kind == "change"


def test_whole_year_is_the_document_year():
    text = "XX县2022年度教育工作总结\n全年共投入教育资金4.2亿元。"
    c = one(text, "4.2亿元")
    assert c.time == "2022" and c.indicator == "education_expenditure_total"


def test_ratios_either_way_round():
    cs = {c.surface: c for c in claims_of("生师比为15.2:1,师生比为1:12.6。")}
    assert cs["15.2:1"].value == 15.2 and cs["1:12.6"].value == 12.6
    assert cs["1:12.6"].indicator == "student_teacher_ratio"


def test_whole_year_after_a_stated_year():
    text = (
        "某县2023年教育工作会议召开\n会议指出,2022年全县教育工作取得成效:一是全年教育支出6.85亿元;"
        "二是投资1.26亿元新建学校1所。"
    )
    cs = {c.surface: c for c in claims_of(text)}
    assert cs["6.85亿元"].time == "2022"
    assert cs["1.26亿元"].time == "2022"


def test_plan_documents_set_out_targets():
    text = (
        "某市推进义务教育优质均衡发展实施方案(2023—2027年)\n一、基本情况\n全市现有义务教育学校320所。\n"
        "二、重点任务\n新建、改扩建学校100所以上,新增学位8万个。"
    )
    cs = {c.surface: c for c in claims_of(text)}
    assert cs["320所"].qualifier == "eq"
    assert cs["100所"].qualifier == "target" and cs["8万个"].qualifier == "target"
    report = "某市2023年义务教育工作总结\n新建学校10所。"
    assert one(report, "10所").qualifier == "eq"
