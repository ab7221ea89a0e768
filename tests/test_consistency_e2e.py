"""End to end: the extractor's own claims on the planted-error reports and on the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from junheng.corpus.load import document_from_text
from junheng.extract.pipeline import extract_document, extract_path
from junheng.indicators.consistency import check_corpus, check_document

FIXTURES = Path(__file__).parent / "fixtures" / "checks"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"


def _sig(f) -> tuple[str, tuple[str, ...]]:
    return f.type, tuple(sorted(c["surface"] for c in f.claims))


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("report_*.txt")))
def test_planted_reports_on_extracted_claims(name):
    spec = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
    doc, claims = extract_path(FIXTURES / f"{name}.txt")
    got = sorted(_sig(f) for f in check_document(doc, claims))
    want = sorted((e["type"], tuple(sorted(e["claims"]))) for e in spec["expected"])
    # every planted error, and nothing else (cross-document pairs need place names the
    # gazetteer knows; the reports' places are invented, so that check runs on hand-built claims)
    assert got == want


def _seed(prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"shared seeds not found at {SEEDS}")
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def test_seeds_have_no_findings():
    if not SEEDS.is_dir():
        pytest.skip(f"shared seeds not found at {SEEDS}")
    items = [extract_path(p) for p in sorted(SEEDS.glob("*.txt"))]
    assert [f.message for f in check_corpus(items)] == []


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("小学44所", "小学45所", "parts_total"),
        ("8.29%", "8.92%", "average_growth"),
        ("0.290(", "0.490(", "cv_compliance"),
    ],
)
def test_seed_perturbed_is_flagged(old, new, kind):
    text = _seed("002").read_text(encoding="utf-8")
    assert old in text
    doc = document_from_text(text.replace(old, new), "002_perturbed.txt")
    found = check_document(doc, extract_document(doc))
    assert [f.type for f in found] == [kind]
