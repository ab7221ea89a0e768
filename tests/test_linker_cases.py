"""Indicator links that hinge on the ontology's data (indicators/data/ontology/*.yaml): figures
that sit next to a canonical indicator's words but are not it, canonical ids said in other
words, and the links next to them that must stay. The sentences are made up for these tests."""

from __future__ import annotations

import pytest

from junheng.extract.pipeline import extract_text


def indicator_of(text: str, surface: str, nth: int = 0) -> str:
    found = [c for c in extract_text(text) if c.surface == surface]
    assert len(found) > nth, (surface, [c.surface for c in extract_text(text)])
    return found[nth].indicator


CASES = [
    # ---- class size: the average is not the limit; a standard quoted next to it is
    ("城关镇小学平均班额为41.2人。", "41.2人", "average_class_size"),
    ("全市初中平均班额从54人下降到47人。", "54人", "average_class_size"),
    ("全市初中平均班额从54人下降到47人。", "47人", "average_class_size"),
    ("该校平均班额为47人，超过国家规定的45人标准。", "45人", "class_size_limit"),
    ("各校班额均不超过45人。", "45人", "class_size_limit"),
    ("全镇小学最大班额为48人。", "48人", "class_size_limit"),
    # the size from which a class is large or super-large
    ("全县已全面消除56人以上大班额。", "56人", "large_class_size_threshold"),
    ("全市已无66人以上超大班额。", "66人", "super_large_class_size_threshold"),
    # a percent of large classes is their share; a number of classes stays the count
    ("初中大班额比例从3.2%降至0.8%。", "3.2%", "large_class_share"),
    ("初中大班额比例从3.2%降至0.8%。", "0.8%", "large_class_share"),
    ("全市超大班额占比为0.3%。", "0.3%", "super_large_class_share"),
    ("全年共消除大班额126个。", "126个", "large_class_count"),
    # ---- physical health: near-sightedness and the excellent rate are not the pass rate
    ("全区学生体质健康合格率为96.1%，总体近视率为50.2%。", "96.1%", "physical_health_pass_rate"),
    ("全区学生体质健康合格率为96.1%，总体近视率为50.2%。", "50.2%", "myopia_rate"),
    ("学生近视率下降到51.5%。", "51.5%", "myopia_rate"),
    ("学生体质健康测试合格率达到94.8%，优良率为51.3%。", "94.8%", "physical_health_pass_rate"),
    ("学生体质健康测试合格率达到94.8%，优良率为51.3%。", "51.3%", "physical_health_excellent_rate"),
    # ---- areas: sports grounds are not floor area
    ("今年新建运动场地3.6万平方米。", "3.6万平方米", "sports_ground_area"),
    ("新增校舍建筑面积5.2万平方米、运动场面积2.1万平方米。", "5.2万平方米", "floor_area"),
    ("新增校舍建筑面积5.2万平方米、运动场面积2.1万平方米。", "2.1万平方米", "sports_ground_area"),
    ("小学生均体育运动场馆面积9.4平方米。", "9.4平方米", "sports_area_per_student"),
    # ---- money: student aid is not an investment project; 公用经费 in a total is the total
    ("全年发放学生资助资金8600万元。", "8600万元", "student_aid_funding"),
    ("累计投入薄弱学校改造资金2.5亿元。", "2.5亿元", "investment_project_amount"),
    ("全县义务教育经费3.2亿元，其中公用经费6800万元。", "6800万元", "public_funds_total"),
    ("全县义务教育经费3.2亿元，其中公用经费6800万元。", "3.2亿元", "education_expenditure_total"),
    ("小学生均公用经费达到850元。", "850元", "public_funds_per_student"),
    ("生均公用经费标准小学700元、初中900元。", "900元", "public_funds_per_student"),
    ("公用经费按每生每年750元拨付。", "750元", "public_funds_per_student"),
    # ---- teachers: people met, sanctioned or taking part, posts and per-school minimums
    ("调研组共访谈校长、教师和家长380余人。", "380余人", "other"),
    ("通报查处违规办班教师5人。", "5人", "other"),
    ("课后服务参与教师1.3万人。", "1.3万人", "other"),
    ("要求每校至少配备2名专职心理健康教师。", "2名", "other"),
    ("县编办核定中小学教职工编制3500名，目前空编45名。", "3500名", "staff_quota"),
    ("县编办核定中小学教职工编制3500名，目前空编45名。", "45名", "staff_vacancy"),
    ("全县共有专任教师1200名。", "1200名", "teacher_count"),
    ("实有在编教职工2980名。", "2980名", "teacher_count"),
    # ---- pupils: one school's enrolment is not the stock; the stock stays
    ("全市有6所初中在校生超过2200人，规模最大的一所达2900人。", "2200人", "school_enrolment_size"),
    ("全市有6所初中在校生超过2200人，规模最大的一所达2900人。", "2900人", "school_enrolment_size"),
    ("城区初中平均每校在校生1500人。", "1500人", "school_enrolment_size"),
    ("两县小学最大校额分别为1720人、1480人。", "1480人", "school_enrolment_size"),
    ("全区31所义务教育学校在校生35306人。", "35306人", "student_count"),
    ("全县在校生超过4万人。", "4万人", "student_count"),
    # ---- canonical ids said in other words
    # a name cut at its 、 (体育、艺术专任教师数) is still the per-100 figure, not the teacher stock
    (
        "每百名学生拥有骨干教师数1.25人，每百名学生拥有体育、艺术专任教师数0.98人。",
        "0.98人",
        "pe_arts_teachers_per_100",
    ),
    ("全县新招聘艺术专任教师35名。", "35名", "teacher_count"),
    (
        "按照每校7项指标至少6项达标的要求，全县42所学校均达标，达标率为100%。",
        "100%",
        "resource_indicators_compliance_rate",
    ),
    (
        "全面推进集团化办学，组建教育集团9个，覆盖学校28所，覆盖率为70%。",
        "70%",
        "group_schooling_coverage",
    ),
    ("推進集團化辦學，覆蓋率達到百分之七十。", "百分之七十", "group_schooling_coverage"),
    ("组建城乡学校共同体15个，覆盖率85%。", "85%", "group_schooling_coverage"),
    ("推进集团化办学，课后服务覆盖率100%。", "100%", "other"),
]


@pytest.mark.parametrize("text,surface,indicator", CASES)
def test_linker_cases(text, surface, indicator):
    assert indicator_of(text, surface) == indicator


def test_the_pupils_a_small_school_is_funded_for():
    # the figure is the 100 itself: the words after it name the rule (…按100人核定公用经费)
    assert indicator_of("不足100人的教学点按100人核定公用经费。", "100人", nth=1) == (
        "small_school_funding_floor"
    )
