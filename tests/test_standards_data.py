"""The national standards file: facts, internal consistency, strict loading, lookups."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from junheng.extract.record import LEVELS, UNITS, Claim
from junheng.indicators.standards import (
    DATA,
    StandardsError,
    compare,
    load_standards,
    parse_standards,
    standards_for_claim,
)

ONTOLOGY_DIR = Path(DATA).parent / "ontology"
MY_ONTOLOGY = ("standards_2017.yaml", "standards_2012.yaml", "other.yaml")
RESOURCE7 = (
    "teachers_above_required_qualification_per_100",
    "backbone_teachers_per_100",
    "pe_arts_teachers_per_100",
    "teaching_space_per_student",
    "sports_area_per_student",
    "equipment_value_per_student",
    "multimedia_classrooms_per_100",
)


@pytest.fixture(scope="module")
def std():
    return load_standards()


@pytest.fixture()
def raw():
    with open(DATA, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_2017_resource_thresholds_by_stage(std):
    expected = {  # 教督〔2017〕6号, primary / junior
        "teachers_above_required_qualification_per_100": (4.2, 5.3),
        "backbone_teachers_per_100": (1.0, 1.0),
        "pe_arts_teachers_per_100": (0.9, 0.9),
        "teaching_space_per_student": (4.5, 5.8),
        "sports_area_per_student": (7.5, 10.2),
        "equipment_value_per_student": (2000, 2500),
        "multimedia_classrooms_per_100": (2.3, 2.4),
    }
    assert set(expected) == set(std.six_of_seven.indicators)
    for ind, (p, j) in expected.items():
        tp = std.lookup(ind, "primary", "quality_balance_2017")
        tj = std.lookup(ind, "junior", "quality_balance_2017")
        assert (tp.value, tj.value) == (p, j), ind
        assert tp.op == tj.op == "ge"
        assert tp.doc_no == "教督〔2017〕6号" and tp.year == 2017


def test_floors_are_85_percent_of_the_threshold(std):
    ratio = std.six_of_seven.floor_ratio
    assert ratio == 0.85 and std.six_of_seven.min_met == 6
    floored = [t for t in std.thresholds if t.floor is not None]
    assert len(floored) == 14
    for t in floored:
        assert t.floor == pytest.approx(t.value * ratio, abs=1e-9), t.key()


def test_cv_limits(std):
    assert std.cv_limit("primary").value == 0.50
    assert std.cv_limit("junior").value == 0.45
    assert std.cv_limit("primary", "basic_balance_2012").value == 0.65
    assert std.cv_limit("junior", "basic_balance_2012").value == 0.55
    each = std.cv_limit("primary")
    assert each.check == "each" and set(each.applies_to) == set(RESOURCE7)
    comp = std.cv_limit("junior", "basic_balance_2012")
    assert comp.check == "composite" and len(comp.applies_to) == 8
    assert std.cv_method.rounding == 3 and std.cv_method.inclusive


def test_composite_rule_matches_published_tables(std):
    comp = std.composite_2012
    assert len(comp.components) == 8 and comp.checks
    for check in comp.checks:
        mean = sum(check["cvs"]) / len(check["cvs"])
        assert round(mean, 3) == pytest.approx(check["composite"], abs=5e-4)


@pytest.mark.parametrize(
    ("indicator", "stage", "op", "value"),
    [
        ("class_size_limit", "primary", "le", 45),
        ("class_size_limit", "junior", "le", 50),
        ("school_enrolment_size", "primary", "le", 2000),
        ("through_school_enrolment_size", "junior", "le", 2500),
        ("special_ed_public_funds_per_student", "primary", "ge", 6000),
        ("teacher_rotation_ratio", "junior", "ge", 10),
        ("backbone_teacher_rotation_share", "primary", "ge", 20),
        ("nearby_enrolment_ratio", "primary", "ge", 100),
        ("nearby_enrolment_ratio", "junior", "ge", 95),
        ("disabled_children_enrolment_rate", "primary", "ge", 95),
        ("retention_rate", "junior", "ge", 95),
        ("satisfaction_rate", "junior", "ge", 85),
        ("migrant_children_public_school_ratio", "primary", "ge", 85),
        ("quality_high_school_quota_allocation", "junior", "ge", 50),
        ("teacher_training_budget_share", "primary", "ge", 5),
        ("teacher_training_360h_completion", "junior", "ge", 100),
        ("teacher_certification_rate", "primary", "ge", 100),
        ("nat_monitoring_between_school_ratio", "junior", "lt", 0.15),
        ("public_edu_spending_gdp_share", "junior", "ge", 4),
        ("public_funds_per_student", "primary", "ge", 650),
        ("public_funds_per_student", "junior", "ge", 850),
        ("large_class_share", "primary", "le", 5),
        ("super_large_class_share", "junior", "le", 2),
        ("county_government_work_score", "primary", "ge", 85),
    ],
)
def test_national_figures(std, indicator, stage, op, value):
    t = std.lookup(indicator, stage)
    assert t is not None, indicator
    assert (t.op, t.value) == (op, value)
    assert t.source.startswith("http")


def test_definitions_of_large_classes(std):
    large = std.find("large_class_size_threshold")[0]
    huge = std.find("super_large_class_size_threshold")[0]
    assert (large.role, large.value, huge.value) == ("definition", 56, 66)


def test_every_record_is_complete_and_typed(std):
    assert len(std.thresholds) > 50
    for t in std.thresholds:
        assert t.unit in UNITS and all(u in UNITS for u in t.also_units)
        assert t.verified in std.verification
        assert t.stage in ("primary", "junior", "both")
        assert t.doc_no and t.source
        if t.role == "target":
            assert t.target_year


def test_find_ranks_the_2017_standard_first(std):
    found = std.find("retention_rate", "junior")
    assert [t.standard for t in found][:2] == ["quality_balance_2017", "national_reference"]
    assert std.lookup("disabled_children_enrolment_rate", "primary").value == 95
    assert std.lookup("retention_rate", "primary").standard == "national_reference"
    assert std.lookup("quality_high_school_quota_allocation", "primary") is None


def test_compare_tolerates_float_noise_only():
    assert compare(42 / 1000 * 100, "ge", 4.2)
    assert not compare(4.19, "ge", 4.2)
    assert compare(0.15, "le", 0.15) and not compare(0.15, "lt", 0.15)
    assert compare(1.0000001, "gt", 1) and not compare(1, "gt", 1)


def test_standards_for_claim_uses_stage_and_aliases(std):
    cv_j = Claim("d", 0, 4, "0.29", indicator="cv_junior", unit="coefficient", value=0.29)
    got = standards_for_claim(cv_j, std)
    assert {t.stage for t in got} == {"junior"}
    assert {t.standard for t in got} == {"quality_balance_2017", "basic_balance_2012"}
    share = Claim("d", 0, 2, "3%", indicator="large_class_count", unit="percent", value=3)
    assert standards_for_claim(share, std)[0].indicator == "large_class_share"
    huge = Claim(
        "d", 0, 2, "1%", indicator="large_class_count", unit="percent", subject="超大班额比例"
    )
    assert standards_for_claim(huge, std)[0].indicator == "super_large_class_share"
    count = Claim("d", 0, 2, "3个", indicator="large_class_count", unit="count", value=3)
    assert standards_for_claim(count, std) == []
    special = Claim("d", 0, 5, "6000元", indicator="public_funds_per_student", level="special")
    assert standards_for_claim(special, std)[0].value == 6000
    mixed = Claim("d", 0, 4, "100%", indicator="nearby_enrolment_ratio", level="compulsory")
    assert {t.stage for t in standards_for_claim(mixed, std)} == {"primary", "junior"}


def test_loader_rejects_typos_and_bad_values(raw):
    parse_standards(raw)  # the shipped file loads
    bad_field = copy.deepcopy(raw)
    bad_field["thresholds"][0]["valeu"] = 1
    with pytest.raises(StandardsError, match="unknown field"):
        parse_standards(bad_field)
    bad_op = copy.deepcopy(raw)
    bad_op["thresholds"][0]["op"] = ">="
    with pytest.raises(StandardsError, match="op"):
        parse_standards(bad_op)
    bad_unit = copy.deepcopy(raw)
    bad_unit["thresholds"][0]["unit"] = "teachers"
    with pytest.raises(StandardsError, match="unit"):
        parse_standards(bad_unit)
    no_floor = copy.deepcopy(raw)
    del no_floor["thresholds"][0]["floor"]
    with pytest.raises(StandardsError, match="floor"):
        parse_standards(no_floor)
    no_target_year = copy.deepcopy(raw)
    t = next(t for t in no_target_year["thresholds"] if t.get("role") == "target")
    del t["target_year"]
    with pytest.raises(StandardsError, match="target_year"):
        parse_standards(no_target_year)


def _entries(name: str) -> list[dict]:
    with open(ONTOLOGY_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_my_ontology_entries_are_well_formed():
    keys = {"id", "name_zh", "name_en", "unit", "stages", "direction", "group", "synonyms"}
    ids: list[str] = []
    for name in MY_ONTOLOGY:
        for e in _entries(name):
            assert keys <= set(e), (name, e.get("id"))
            assert e["unit"] in UNITS and e["direction"] in ("higher", "lower", "none")
            assert set(e["stages"]) <= set(LEVELS) and e["synonyms"]
            assert all(u in UNITS for u in e.get("link", {}).get("units", []))
            ids.append(e["id"])
    assert len(ids) == len(set(ids))
    canonical = ONTOLOGY_DIR / "canonical.yaml"
    if canonical.exists():
        with open(canonical, encoding="utf-8") as fh:
            theirs = {e["id"] for e in yaml.safe_load(fh)}
        assert not theirs & set(ids), "ids already in canonical.yaml"


def test_every_threshold_indicator_is_in_the_ontology(std):
    ontology = pytest.importorskip("junheng.indicators.ontology").load()
    comps = set(std.composite_2012.components)
    missing = sorted(i for i in std.indicators() | comps if ontology.get(i) is None)
    assert not missing
