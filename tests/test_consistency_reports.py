"""Planted-error reports (tests/fixtures/checks/report_*.txt): every planted error is found and
no consistent figure is flagged — on hand-built claims, and on the extractor's own claims."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from junheng.corpus.document import Document
from junheng.extract.record import Claim
from junheng.indicators.consistency import check_corpus, check_document

FIXTURES = Path(__file__).parent / "fixtures" / "checks"
REPORTS = sorted(p.stem for p in FIXTURES.glob("report_*.txt"))

_UNITS = [
    ("个百分点", "percentage_point"),
    ("%", "percent"),
    ("所", "school"),
    ("人", "person"),
    ("元", "CNY"),
    ("倍", "multiple"),
    ("个", "count"),
]


def _infer(surface: str) -> dict:
    """Unit and value of a simple written figure (85所, 36.8亿元, 21.6萬人, 0.512)."""
    num = float(re.search(r"\d+(?:\.\d+)?", surface).group())
    mult = 1e8 if re.search("[亿億]", surface) else 1e4 if re.search("[万萬]", surface) else 1
    unit = next((u for suffix, u in _UNITS if suffix in surface), "coefficient")
    return {"unit": unit, "value": num * mult}


def build_claims(text: str, doc: str, specs: list[dict], defaults: dict) -> list[Claim]:
    """Hand-built claims located in text order (each spec's surface after the previous one)."""
    out, pos = [], 0
    for spec in specs:
        spec = dict(spec)
        surface = spec.pop("s")
        i = text.find(surface, pos)
        assert i >= 0, f"{doc}: {surface!r} not found after offset {pos}"
        fields = {**_infer(surface), **defaults, **spec}
        out.append(Claim(doc=doc, start=i, end=i + len(surface), surface=surface, **fields))
        pos = i + len(surface)
    return out


def load_report(name: str) -> tuple[Document, list[Claim], dict]:
    spec = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
    text = (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")
    doc = Document(doc_id=spec["doc"], text=text, year=spec["year"], region=spec["region"])
    claims = build_claims(text, spec["doc"], spec["claims"], spec.get("defaults", {}))
    return doc, claims, spec


def signature(finding) -> tuple[str, tuple[str, ...]]:
    return finding.type, tuple(sorted(c["surface"] for c in finding.claims))


def expected_signatures(entries: list[dict]) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((e["type"], tuple(sorted(e["claims"]))) for e in entries)


@pytest.mark.parametrize("name", REPORTS)
def test_report_findings_exact(name):
    doc, claims, spec = load_report(name)
    findings = check_document(doc, claims)
    assert sorted(signature(f) for f in findings) == expected_signatures(spec["expected"])
    for f in findings:
        assert f.doc == spec["doc"] and f.severity in ("error", "warning", "info")
        assert f.stated is not None and f.expected is not None
        for c in f.claims:
            assert doc.text[c["start"] : c["end"]] == c["surface"]
        # the message quotes the document's own figures
        assert any(f"“{c['surface']}”" in f.message for c in f.claims)


def test_reports_cross_document():
    loaded = [load_report(n) for n in REPORTS]
    findings = check_corpus([(doc, claims) for doc, claims, _ in loaded])
    cross = [f for f in findings if f.type == "cross_document"]
    for doc, _, spec in loaded:
        got = sorted(signature(f) for f in cross if f.doc == doc.doc_id)
        assert got == expected_signatures(spec.get("cross_expected", []))
    assert all(f.severity == "warning" for f in cross)


def test_there_are_enough_planted_reports():
    assert len(REPORTS) >= 3
    kinds = set()
    for name in REPORTS:
        spec = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
        kinds |= {e["type"] for e in spec["expected"] + spec.get("cross_expected", [])}
    assert kinds >= {
        "parts_total",
        "share_count",
        "average_growth",
        "yoy_growth",
        "total_growth",
        "change_levels",
        "multiple",
        "coefficient_average",
        "cv_compliance",
        "cross_document",
    }


CASES = yaml.safe_load((FIXTURES / "cases.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case):
    doc = Document(doc_id="t.txt", text=case["text"], year=2023)
    claims = build_claims(case["text"], "t.txt", case["claims"], {"region": "某县"})
    findings = check_document(doc, claims)
    assert sorted(signature(f) for f in findings) == expected_signatures(case["expected"])
    for f, e in zip(
        sorted(findings, key=signature),
        sorted(case["expected"], key=lambda e: (e["type"], tuple(sorted(e["claims"])))),
        strict=True,
    ):
        assert f.severity == e.get("severity", "error")
