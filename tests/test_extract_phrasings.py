"""Extraction on phrasings of report genres the first rules did not see (work summaries,
news items, traditional-script write-ups, tables); every sentence is written for these tests."""

from __future__ import annotations

import pytest

from junheng.extract.pipeline import extract_text


def one(text: str, surface: str, **kw):
    claims = extract_text(text, doc_id=kw.get("doc_id", "t.txt"))
    found = [c for c in claims if c.surface == surface]
    assert found, f"{surface!r} not found in {[c.surface for c in claims]}"
    return found[kw.get("nth", 0)]


@pytest.mark.parametrize(
    "text,surface,subject",
    [
        ("全县社会捐资不超过800万元。", "800万元", "社会捐资"),
        ("专项资金每年不少于600万元。", "600万元", "专项资金每年"),
        ("乡村教师补助人均每月不低于300元。", "300元", "乡村教师补助人均每月"),
    ],
)
def test_subject_leaves_out_the_comparator(text, surface, subject):
    c = one(text, surface)
    assert c.subject == subject
    assert c.qualifier in ("le", "ge")


def test_summary_signed_next_year_reads_its_title_year():
    text = (
        "青禾县教育局2022年工作总结\n\n全年新建学校4所，教育经费总投入达到3.2亿元。\n\n"
        "青禾县教育局\n2023年1月18日\n"
    )
    c = one(text, "3.2亿元")
    assert c.doc_year == 2022
    assert c.time == "2022"


@pytest.mark.parametrize("zero", ["〇", "○", "零"])
def test_years_in_chinese_digits_are_times_not_claims(zero):
    text = f"二{zero}二二年，青禾縣新建學校三所，投入資金一億二千萬元。"
    claims = extract_text(text)
    assert [c.surface for c in claims] == ["三所", "一億二千萬元"]  # no 二二年 = 22 years
    assert all(c.time == "2022" for c in claims)
    assert all(text[c.start : c.end] == c.surface for c in claims)


def test_chinese_year_view_keeps_length():
    from junheng.corpus.analysis import analysis_view

    text = "一九九八年建校，二〇二五年前建成，十二年一贯制"
    view = analysis_view(text)
    assert view.text == "1998年建校,2025年前建成,十二年一贯制"
    assert view.to_orig is None


@pytest.mark.parametrize(
    "text,surface,time",
    [
        ("近年来补充师资，四年累计招聘教师356名。", "356名", "last 4 years"),
        ("两年共新建学校7所，其中农村学校5所。", "5所", "last 2 years"),
        ("力争两年内新增学位4000个。", "4000个", "next 2 years"),
        ("三年间共投入资金1.6亿元。", "1.6亿元", "last 3 years"),
        ("自2020年起，每年安排专项资金500万元。", "500万元", "since 2020"),
        ("2022年内新建学校5所。", "5所", "2022"),
    ],
)
def test_time_windows(text, surface, time):
    assert one(text, surface).time == time


def test_a_time_window_is_no_claim():
    assert [c.surface for c in extract_text("三年共招聘教师512人。")] == ["512人"]


@pytest.mark.parametrize(
    "text,surface,value,unit",
    [
        ("明年将投入一点五亿元改造校舍。", "一点五亿元", 150_000_000, "CNY"),
        ("县财政安排三点二万元。", "三点二万元", 32_000, "CNY"),
        ("小学校际差异系数为零点三八。", "零点三八", 0.38, "coefficient"),
        ("初中綜合差異係數為零點四二。", "零點四二", 0.42, "coefficient"),
        ("共发放问卷2400份。", "2400份", 2400, "count"),
        ("全年召开专题会议11次。", "11次", 11, "count"),
        ("服务半径不超过3公里。", "3公里", 3, "other"),
    ],
)
def test_more_numbers_and_counters(text, surface, value, unit):
    c = one(text, surface)
    assert c.value == pytest.approx(value)
    assert c.unit == unit


def test_a_chinese_decimal_needs_a_unit_or_a_coefficient():
    assert extract_text("要一点一点推进，做到三点一线。") == []


def test_a_session_is_no_count():
    assert [c.surface for c in extract_text("学习市委十三届四次全会精神，召开会议6次。")] == ["6次"]


@pytest.mark.parametrize(
    "text,surfaces",
    [
        ("小学、初中生师比分别为16.2:1和12.4:1。", ["16.2:1", "12.4:1"]),
        ("全县师生比1∶13.5。", ["1∶13.5"]),
        ("普职比大体相当，为52:48。", ["52:48"]),
        ("生师比为14.1:1，会议于9:30开始。", ["14.1:1"]),  # a clock time after a comma
        ("与上年相比，活动于10:00开始。", []),
    ],
)
def test_ratios(text, surfaces):
    assert [c.surface for c in extract_text(text)] == surfaces


@pytest.mark.parametrize(
    "text,surface,kind",
    [
        ("家长满意度为91.2%，高于80%的评估要求。", "80%", "threshold"),
        ("巩固率仅为83.1%，低于85%的底线要求。", "85%", "threshold"),
        ("生均仪器设备值为1760元，距国家标准2000元还差240元。", "2000元", "threshold"),
        ("平均班额47.2人，略高于国家规定的45人标准。", "45人", "threshold"),
        ("平均班额47.2人，略高于国家规定的45人标准。", "47.2人", "level"),
        ("在全省率先提出五项标准。", "五项", "level"),  # a count of standards
        ("每个镇建设2—3所标准化学校。", "2—3所", "level"),
    ],
)
def test_standards_quoted_beside_a_figure(text, surface, kind):
    assert one(text, surface).kind == kind


@pytest.mark.parametrize(
    "text,surface,kind,qualifier",
    [
        ("全年培训教师2.1万人次，比上年增长近两成。", "两成", "growth_rate", "approx"),
        ("巩固率较上年上升1.6个百分点。", "1.6个百分点", "change", "eq"),
        ("比上一轮监测高出3.1个百分点。", "3.1个百分点", "change", "eq"),
        ("全年消除大班额126个。", "126个", "change", "eq"),
        ("校外培训机构压减40%以上。", "40%", "change", "ge"),
        ("建议每年安排专项资金不低于600万元。", "600万元", "level", "target"),
        ("办理人大代表建议56件。", "56件", "level", "eq"),  # a proposal is a noun here
        ("通过“乡村教师支持计划”补充教师近两百名。", "两百名", "change", "approx"),
        ("力争使覆盖率由目前的58%提高到70%。", "58%", "level", "eq"),
        ("力争使覆盖率由目前的58%提高到70%。", "70%", "level", "target"),
    ],
)
def test_change_and_target_cues(text, surface, kind, qualifier):
    c = one(text, surface)
    assert (c.kind, c.qualifier) == (kind, qualifier)


def test_a_segment_that_opens_with_a_county_switches_the_region():
    text = (
        "**省义务教育优质均衡督导情况通报\n\n"
        "**省各地普遍加大投入，全省新建学校73所。其中，常州市溧阳市新建学校11所，"
        "小学差异系数降至0.361；无锡市江阴市招聘教师885名，交流比例超过15%。"
        "全省抽查学校达标率为89.6%。\n"
    )
    assert one(text, "73所").region == "**省"
    assert one(text, "11所").region == "溧阳市"
    assert one(text, "0.361").region == "溧阳市"
    assert one(text, "885名").region == "江阴市"  # the later switch wins
    assert one(text, "15%").region == "江阴市"
    assert one(text, "89.6%").region == "**省"  # the next sentence is the province's again


@pytest.mark.parametrize(
    "text,surface,area",
    [
        # a breakdown item is no topic for the clauses after it
        ("共抽查学校80所，其中农村学校52所，召开座谈会27场。", "27场", None),
        ("共抽查学校80所，其中农村学校52所，召开座谈会27场。", "52所", "rural"),
        # the first item's place word is not the second item's
        ("任务分解到9个乡镇和21个县直部门。", "21个", None),
        # what follows 中 is a part of the total
        ("全区18所小学中城区学校7所、农村学校11所。", "18所", None),
        ("全区18所小学中城区学校7所、农村学校11所。", "7所", "urban"),
        # a topic said in a clause of its own still holds
        ("实施乡村学校提升工程，三年投入2.5亿元。", "2.5亿元", "rural"),
        # … but not for a new item after ；同时
        (
            "实施城区学校扩容工程，新增学位3200个；同时推行集团化办学，组建5个教育集团。",
            "5个",
            None,
        ),
    ],
)
def test_area_stays_with_its_item(text, surface, area):
    assert one(text, surface).area == area


@pytest.mark.parametrize(
    "text,surface,level",
    [
        ("去年新建了县第二中学、城西小学等学校6所，改扩建学校14所。", "6所", "all"),
        ("去年新建了县第二中学、城西小学等学校6所，改扩建学校14所。", "14所", "all"),
        ("完成城北小学教学楼、河口镇中心小学食堂等项目5个。", "5个", "all"),
        ("全县小学、初中等学校共74所。", "74所", "compulsory"),
        ("全县农村小学等学校41所。", "41所", "primary"),
        ("省级课程基地承担了省中小学生体质提升等项目9个。", "9个", "k12"),
        ("差异系数的国家标准要求小学小于或等于0.50，初中小于或等于0.45。", "0.50", "primary"),
    ],
)
def test_school_names_name_no_stage(text, surface, level):
    assert one(text, surface).level == level


def test_an_item_naming_its_stage_after_its_counter():
    text = "此次监测覆盖全区26所公办小学、11所公办初中。"
    assert one(text, "26所").level == "primary"
    assert one(text, "11所").level == "junior"


def test_a_class_size_category_is_a_threshold():
    text = "全县56人以上大班额已全部消除，66人以上超大班额动态清零。"
    assert one(text, "56人").kind == "threshold"
    assert one(text, "56人").indicator == "large_class_size_threshold"
    assert one(text, "66人").indicator == "super_large_class_size_threshold"


def test_a_total_is_no_per_pupil_figure():
    text = "小学生均公用经费850元，全年拨付公用经费1.6亿元。"
    assert one(text, "850元").indicator == "public_funds_per_student"
    assert one(text, "1.6亿元").indicator != "public_funds_per_student"


def test_list_items_keep_their_lists_indicator():
    text = "小学生均图书为28.4册、初中为39.5册，每百名学生拥有计算机台数小学13.1台、初中17.6台。"
    assert one(text, "13.1台").indicator == "computers_per_100_students"
    assert one(text, "17.6台").indicator == "computers_per_100_students"
    assert one(text, "39.5册").indicator == "books_per_student"


def test_a_figure_with_a_measure_of_its_own_is_no_parallel_item():
    text = (
        "全县网络多媒体教室达到980间，每百名学生拥有网络多媒体教室数为2.9间；"
        "专递课堂覆盖全部18个农村教学点，每周开课260余节。"
    )
    assert one(text, "2.9间").indicator == "multimedia_classrooms_per_100"
    assert one(text, "260余节").indicator == "other"


def test_a_populations_stage_stays_in_its_clause():
    text = "全县适龄残疾儿童少年入学率为97.1%，进城务工人员随迁子女在公办学校就读的比例约为88%。"
    assert one(text, "97.1%").level == "special"
    assert one(text, "88%").level != "special"
    assert one("特殊教育学校2所，在校生310人。", "310人").level == "special"


def test_a_deadline_year_sets_a_target():
    text = "确保2026年底前全县小学、初中差异系数分别不高于0.48、0.42。"
    assert one(text, "0.48").qualifier == "target"
    assert one(text, "0.48").time == "2026"
    assert one("2021年前已建成学校5所。", "5所").qualifier == "eq"


def test_a_ratio_said_with_bili_is_a_level():
    # the gold convention: 占/占比/比重/其中 make a share, a named 比例 is the level of a rate
    assert one("全县教师交流比例为12.6%。", "12.6%").kind == "level"
    assert one("骨干教师占交流教师的21.5%。", "21.5%").kind == "share"


@pytest.mark.parametrize(
    "text,surface",
    [
        ("去年新建了县第五中学、河西小学等学校7所。", "7所"),
        ("新建城南小学、城西初中两所学校。", "两所"),
        ("计划新建、改扩建中小学、幼儿园9所。", "9所"),
    ],
)
def test_a_verb_before_a_list_of_names_governs_the_count(text, surface):
    c = one(text, surface)
    assert c.kind == "change"
    assert c.indicator == "new_or_expanded_schools"


def test_a_list_of_figures_is_not_a_list_of_names():
    assert one("全县有小学38所、初中12所。", "12所").kind == "level"


def test_a_list_said_again_for_another_stage_in_the_next_sentence():
    text = (
        "一、县域平均值\n小学：每百名学生拥有高于规定学历教师数5.91人，每百名学生拥有县级以上骨干"
        "教师数1.28人，生均教学及辅助用房面积6.40平方米，生均教学仪器设备值3180元。\n"
        "初中：上述四项指标分别为6.52人、1.51人、8.27平方米和4260元。\n"
    )
    got = {c.surface: c for c in extract_text(text)}
    assert "四项" not in got  # 上述四项 refers back to the list; it claims nothing
    assert got["6.52人"].indicator == "teachers_above_required_qualification_per_100"
    assert got["8.27平方米"].indicator == "teaching_space_per_student"
    assert got["4260元"].indicator == "equipment_value_per_student"
    assert got["4260元"].level == "junior"
    assert got["4260元"].subject == "生均教学仪器设备值"


def test_pairs_after_fenbie_repeat_the_stages():
    text = (
        "按照《县域义务教育均衡发展督导评估暂行办法》测算，全区小学综合差异系数为0.371，"
        "初中综合差异系数为0.288，分别低于0.65和0.55，较上一轮的0.498和0.421明显下降。"
    )
    levels = {c.surface: c.level for c in extract_text(text)}
    assert levels["0.65"] == "primary" and levels["0.55"] == "junior"
    assert levels["0.498"] == "primary" and levels["0.421"] == "junior"


@pytest.mark.parametrize(
    "text,surface,low,high",
    [
        ("乡镇工作补贴每月300元至900元不等。", "300元至900元", 300, 900),
        ("音体美教师缺口在200人至260人之间。", "200人至260人", 200, 260),
        ("每生补助150元—600元。", "150元—600元", 150, 600),
    ],
)
def test_ranges_with_the_unit_on_both_ends(text, surface, low, high):
    c = one(text, surface)
    assert (c.value, c.value_low, c.value_high) == (None, low, high)


def test_from_one_level_to_another_is_no_range():
    assert [c.surface for c in extract_text("生均经费从860元到990元。")] == ["860元", "990元"]


@pytest.mark.parametrize(
    "text,surface,qualifier",
    [
        ("最大校额均未超过2000人。", "2000人", "le"),
        ("巩固率尚未达到95%。", "95%", "lt"),
        ("全县约有140名教师明年退休。", "140名", "approx"),
    ],
)
def test_negated_and_split_comparators(text, surface, qualifier):
    assert one(text, surface).qualifier == qualifier


def test_labels_and_ranks():
    assert extract_text("下面重点抓好以下几项工作。") == []
    c = one("教学质量进入全市前十名。", "前十名")
    assert (c.unit, c.value) == ("rank", 10)


def test_multiplied_values_have_no_float_noise():
    assert one("累计发放资助资金1.12亿元。", "1.12亿元").value == 112_000_000
    assert one("新增建筑面积2.36万平方米。", "2.36万平方米").value == 23_600


def test_grades_name_their_stage():
    assert one("对1620名四年级、八年级学生开展体质抽测。", "1620名").level == "compulsory"
    assert one("六年级学生合格率为97.5%。", "97.5%").level == "primary"


def test_a_plans_look_back_is_no_target():
    text = (
        "青禾县教育事业发展规划（2021—2025年）\n第一章 发展基础\n到2020年底，全县共有学校186所。\n"
        "第二章 发展目标\n到2025年，新建学校12所。校长说：“到2025年，我们要让80%以上的学校达标。”\n"
    )
    assert one(text, "186所").qualifier == "eq"
    assert one(text, "12所").qualifier == "target"
    assert one(text, "80%").qualifier == "target"


def test_a_statistical_bulletin_dates_its_figures():
    text = "青禾市2023年教育事业发展统计公报\n全市共有小学214所，在校生12.6万人。\n"
    assert one(text, "214所").time == "2023"
    # a speech titled with a year does not (the gold leaves such figures without time)
    assert one("在2023年全县教育工作会议上的讲话\n全县共有小学48所。\n", "48所").time is None


def test_a_plans_table_of_base_and_target_years():
    text = (
        "青禾县教育事业发展规划（2021—2025年）\n\n主要指标\n"
        "指标\t2020年\t2025年\n"
        "九年义务教育巩固率（%）\t96.1\t97以上\n"
        "小学校际差异系数\t0.52\t≤0.50\n"
    )
    got = {c.surface: c for c in extract_text(text)}
    assert (got["96.1"].time, got["96.1"].qualifier) == ("2020", "eq")
    assert (got["97"].time, got["97"].qualifier) == ("2025", "target")
    assert got["0.50"].unit == "coefficient"
    assert (got["0.50"].time, got["0.50"].qualifier) == ("2025", "target")


def test_place_sections_addressees_and_items():
    text = (
        "青州市人民政府教育督导委员会办公室\n\n关于2024年督导评估的意见书\n\n"
        "河东区、河西县人民政府：\n督导组共抽查学校40所。满意度分别为：河东区91.2%、河西县87.5%。\n\n"
        "一、存在的问题\n（一）河东区\n1.学位不足。全区仍有大班额31个。\n"
        "（二）河西县\n1.经费不足。全县生均公用经费为700元。\n"
    )
    assert one(text, "40所").region == "青州市"  # the issuer, not one of the addressees
    assert one(text, "91.2%").region == "河东区"
    assert one(text, "87.5%").region == "河西县"
    assert one(text, "31个").region == "河东区"
    assert one(text, "700元").region == "河西县"


def test_a_section_of_required_corrections_sets_targets():
    text = "三、整改要求\n1.交流轮岗比例不低于10%，骨干教师占比不低于20%。\n"
    assert one(text, "10%").qualifier == "target"
    assert one(text, "20%").qualifier == "target"


@pytest.mark.parametrize(
    "text,surface,kind,indicator",
    [
        ("全市共有小学641所，比上年减少12所。", "12所", "change", "school_count"),
        (
            "初中三年巩固率为97.1%，比上年提高0.38个百分点。",
            "0.38个百分点",
            "change",
            "retention_rate",
        ),
        ("补充教师580名，其中音乐、体育、美术教师131名。", "131名", "change", "teacher_count"),
        ("完成7所学校运动场地改扩建。", "7所", "change", "new_or_expanded_schools"),
    ],
)
def test_changes_said_after_their_level_or_object(text, surface, kind, indicator):
    c = one(text, surface)
    assert (c.kind, c.indicator) == (kind, indicator)


def test_a_share_of_schools_with_a_comparator_between():
    assert one("全县80%以上的乡村学校建成标准化运动场。", "80%").kind == "share"


def test_a_few_half_and_spans():
    assert extract_text("这几年学校变化很大，几位老教师都说好。") == []
    c = one("占县区总数的一半。", "一半")
    assert (c.value, c.unit, c.kind) == (50, "percent", "share")
    # a span with the clause's own figure in it is no claim; a run of years is
    assert [c.surface for c in extract_text("“强师工程”五年培训教师1.2万人次。")] == ["1.2万人次"]
    assert one("连续五年承办全市现场会。", "五年").unit == "year"


def test_a_county_in_the_title_on_a_citys_site():
    text = (
        "云州市人民政府门户网站\n\n云溪县通过国家义务教育优质均衡发展督导评估\n"
        "发布时间:2024-06-12 来源:市教育局\n\n近日，我市云溪县通过认定。近年来，云溪县累计投入9.6亿元，"
        "全县共有义务教育学校52所。云溪县将持续深化改革。\n"
    )
    assert one(text, "52所").region == "云溪县"
    assert one(text, "9.6亿元").region == "云溪县"


def test_the_speakers_place():
    text = "在全区教育大会上的讲话\n\n中共青川区委书记 王某\n\n同志们：\n全区共有学校86所。\n"
    assert one(text, "86所").region == "青川区"


def test_stage_and_area_of_a_report_on_rural_school_teachers():
    text = "青峪縣鄉村中小學教師隊伍建設情況報告\n\n全縣鄉村學校86所，發放生活補助1,572萬元。\n"
    c = one(text, "1,572萬元")
    assert (c.level, c.area) == ("k12", "rural")


def test_stages_said_in_the_segment_before_fenbie():
    text = "全县小学为1.08人，初中为1.02人；差异系数分别为0.287和0.231。"
    assert [one(text, s).level for s in ("0.287", "0.231")] == ["primary", "junior"]


def test_a_qizhong_items_stage_stays_with_it():
    text = "实施义务教育学校扩容工程，新建学校5所，其中新建城区小学2所，新增学位3960个。"
    assert one(text, "2所").level == "primary"
    assert one(text, "3960个").level == "compulsory"


def test_a_standard_in_brackets_and_a_local_rate():
    assert one("满意度为92.1%，高于国家标准（不低于85%）。", "85%").kind == "threshold"
    text = "小学、初中分别按每生每年750元、950元的标准足额拨付。"
    assert [one(text, s).kind for s in ("750元", "950元")] == ["level", "level"]


def test_a_paragraphs_label_names_its_figures_indicator():
    text = (
        "三、资源配置情况\n\n（四）生均教学及辅助用房面积。全县小学为5.71平方米，初中为7.28平方米；"
        "差异系数分别为0.335和0.298。\n\n（五）生均体育运动场馆面积。全县小学为8.2平方米。\n"
    )
    assert one(text, "5.71平方米").indicator == "teaching_space_per_student"
    assert one(text, "7.28平方米").indicator == "teaching_space_per_student"
    assert one(text, "8.2平方米").indicator == "sports_area_per_student"
    assert one(text, "0.335").indicator == "cv"


@pytest.mark.parametrize(
    "surface,value",
    [
        ("8600余万元", 86_000_000.0),
        ("3600多万元", 36_000_000.0),
        ("十余万元", 100_000.0),
        ("两千余万人次", 20_000_000.0),
        ("4.5亿余元", 450_000_000.0),
    ],
)
def test_a_hedge_between_the_number_and_its_multiplier(surface, value):
    c = one(f"全年投入资金{surface}。", surface)
    assert (c.value, c.qualifier) == (value, "approx")


@pytest.mark.parametrize(
    "text,surface,unit",
    [
        ("开工建设教学楼3栋。", "3栋", "count"),
        ("新建运动场2座。", "2座", "count"),
        ("新建2座学校。", "2座", "school"),
        ("结对帮扶困难家庭320户。", "320户", "count"),
    ],
)
def test_counters_of_buildings_and_households(text, surface, unit):
    assert one(text, surface).unit == unit


def test_a_seat_or_household_word_is_no_counter():
    surfaces = [c.surface for c in extract_text("召开3座谈会，核查2户籍人口。")]
    assert "3座" not in surfaces and "2户" not in surfaces


@pytest.mark.parametrize(
    "text,surface",
    [
        ("全年新建成投用学校4所。", "4所"),
        ("开工建设校舍3栋。", "3栋"),
        ("新建2座运动场和1座学校。", "1座"),
        ("学校数增加3所和教师12名。", "12名"),
    ],
)
def test_completion_verbs_and_joined_items_are_changes(text, surface):
    assert one(text, surface).kind == "change"


def test_a_level_cue_after_the_verb_still_cancels_it():
    assert one("学校由64所增加到139所。", "139所").kind == "level"


@pytest.mark.parametrize("sep", ["、", "和"])
def test_places_listed_before_fenbie_map_onto_the_figures(sep):
    text = f"青山县教育局工作总结\n全县学校56所。东坡县{sep}西岭县未达标学校分别为3所、5所。"
    a, b = one(text, "3所"), one(text, "5所")
    assert (a.region, b.region) == ("东坡县", "西岭县")
    assert a.subject == "西岭县未达标学校" if sep == "、" else a.subject.endswith("未达标学校")


def test_generic_places_before_fenbie_are_no_list():
    text = "青山县教育局工作总结\n城区、镇区学校分别为12所、30所。"
    assert one(text, "30所").region == "青山县"


def test_a_plan_runs_on_across_semicolons_until_a_clause_looks_back():
    text = "2024年，全县将新建学校3所；年内完成校舍改造1.2万平方米；目前已建成学校5所。"
    assert one(text, "1.2万平方米").qualifier == "target"
    assert one(text, "5所").qualifier == "eq"


@pytest.mark.parametrize(
    "text,surface,qualifier",
    [
        ("明年全县还将新增学位2400个。", "2400个", "target"),
        ("全市将投资3亿元用于学校建设。", "3亿元", "target"),
        ("城东片区将于年底建成小学3所。", "3所", "target"),
        ("县政府将经费12万元列入预算。", "12万元", "eq"),
    ],
)
def test_jiang_before_a_verb_is_the_future_but_not_as_a_disposal_mark(text, surface, qualifier):
    assert one(text, surface).qualifier == qualifier


@pytest.mark.parametrize(
    "surface,value",
    [
        ("三分之二", 66.67),
        ("四分之一", 25.0),
        ("千分之三", 0.3),
        ("万分之五", 0.05),
        ("3分之1", 33.33),
    ],
)
def test_fractions_are_percentages(surface, value):
    c = one(f"全县{surface}的学校达到标准。", surface)
    assert (c.value, c.unit, c.kind) == (value, "percent", "share")
    assert c.subject == "学校达到标准"


def test_a_percentage_of_schools_names_them_as_its_subject():
    text = "全县80%的学校达到标准，约60%的教师参加培训。"
    assert one(text, "60%").subject == "教师参加培训"


def test_a_bare_list_item_still_shares_the_measure_before_it():
    assert one("最大班额分别为45人、50人。", "50人").subject == "最大班额"


def test_a_standard_quoted_in_brackets_after_its_name_is_a_threshold():
    text = "每百名学生拥有高于规定学历教师数小学4.8人，高于省定标准（小学4.2人、初中5.3人）。"
    assert one(text, "4.8人").kind == "level"
    assert [one(text, s).kind for s in ("4.2人", "5.3人")] == ["threshold", "threshold"]


def test_percentage_points_grow_by_a_change_not_a_rate():
    assert one("巩固率同比增长了3个百分点。", "3个百分点").kind == "change"
    assert one("经费同比增长3%。", "3%").kind == "growth_rate"


def test_mu_converts_without_noise():
    assert one("学校占地面积共计1260亩。", "1260亩").value == 840000.0


def test_a_vice_mayors_speech_is_about_the_speakers_city_and_last_year():
    text = (
        "在全市教育工作会议上的讲话\n白鹭市副市长 林晓东\n（2024年3月12日）\n同志们：\n"
        "过去一年，全市新增公办学位1.8万个。白鹭市教育局将继续推进。"
    )
    c = one(text, "1.8万个")
    assert (c.region, c.time, c.kind) == ("白鹭市", "2023", "change")


@pytest.mark.parametrize(
    "text,surface,qualifier",
    [
        ("我们争取上级资金5.6亿元。", "5.6亿元", "eq"),
        ("力争巩固率达到99%。", "99%", "target"),
        ("今年全市要完成新建改扩建学校25所。", "25所", "target"),
    ],
)
def test_zhengqu_with_funds_is_obtained_not_aimed_for(text, surface, qualifier):
    assert one(text, surface).qualifier == qualifier


def test_passing_a_round_amount():
    c = one("全市教育经费总投入首次突破百亿元。", "百亿元")
    assert (c.value, c.qualifier, c.subject) == (1e10, "ge", "教育经费总投入")
    assert "百年" not in [x.surface for x in extract_text("一所百年老校，千家万户受益。")]


def test_a_year_that_opens_a_paragraph_dates_its_later_sentences():
    text = (
        "白鹭市教育局2023年工作总结\n"
        "2023年，全市教育支出68.47亿元。义务教育生均支出小学13862元。\n"
        "近三年来，全市新建学校12所。全市有教师8000名。\n"
        "2024年，市教育局将重点做好以下工作：\n一是新建中小学校22所。\n二是招聘教师1200名。\n"
    )
    assert one(text, "13862元").time == "2023"
    assert one(text, "12所").time == "last 3 years"
    assert one(text, "8000名").time is None  # another time opened the sentence before
    assert one(text, "1200名").time == "2024"  # the lead-in before the list's items


def test_a_running_span_dates_the_figure_it_keeps():
    text = "学生体质健康测试合格率连续三年保持在百分之九十五以上。"
    assert one(text, "百分之九十五").time == "last 3 years"
    assert one(text, "三年").unit == "year"


def test_the_bound_after_a_list_is_a_threshold():
    text = "小学各项指标差异系数依次为0.312、0.405、0.387，均小于或等于0.50。"
    assert one(text, "0.50").kind == "threshold"
    assert one(text, "0.387").kind == "level"


def test_a_date_before_an_office_names_no_place():
    from junheng.extract import places

    names = [
        m.place.name
        for m in places.local_names(
            "于2024年12月31日前报省人民政府。2023年澄溪县人民政府印发。", None
        )
    ]
    assert names == ["澄溪县"]


def test_an_issuers_line_above_the_title_and_a_province_that_only_compares():
    from junheng.corpus.load import document_from_text
    from junheng.extract.pipeline import extract_document

    text = (
        "省人民政府教育督导委员会办公室\n关于青岚市义务教育督导评估情况的反馈意见\n\n青岚市人民政府：\n"
        "全市学生体质健康优良率为48.6%，低于全省平均水平5.2个百分点。\n青岚市教育局要加快整改。\n"
    )
    doc = document_from_text(text, "f.txt")
    assert doc.title.startswith("关于青岚市")
    extract_document(doc)
    assert doc.region == "青岚市"


def test_a_place_that_opens_a_clause_is_what_its_figures_are_about():
    text = (
        "云岭市教育局工作通报\n丹霞县、松溪区分别有学校68所、57所，在校生分别为6.1万人、5.3万人。\n"
        "丹霞县初中生均教学仪器设备值差异系数达到0.52，超出国家标准；"
        "松溪区小学差异系数为0.48。全市学校共125所。\n"
    )
    assert [one(text, s).region for s in ("68所", "57所")] == ["丹霞县", "松溪区"]
    assert [one(text, s).region for s in ("6.1万人", "5.3万人")] == ["丹霞县", "松溪区"]
    assert one(text, "0.52").region == "丹霞县"
    assert one(text, "0.48").region == "松溪区"
    assert one(text, "125所").region == "云岭市"


def test_a_fenbie_list_ends_at_its_clause():
    text = (
        "青岚市教育局通报\n柘溪县、梅岭县特殊教育学校生均公用经费分别为5200元、5600元，"
        "均低于6000元的标准。柘溪县、梅岭县另有学校3所。\n"
    )
    assert [one(text, s).region for s in ("5200元", "5600元")] == ["柘溪县", "梅岭县"]
    assert one(text, "6000元").kind == "threshold"
