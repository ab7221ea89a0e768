"""A small store with known content for the API tests (no tests here).

Three regions' documents with hand-made claims: verdicts, a trend over two years, chrome, a
repeated body with a repeated claim, findings, two documents sharing a file name, and text
that needs HTML escaping. All sentences are written for these tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from junheng.corpus.document import Document, DuplicateBody
from junheng.corpus.store import Batch, Store, doc_key_of
from junheng.extract.record import Claim

BODY_C = "乙县义务教育巩固率为96%，小学校际差异系数0.55。"

DOCS: list[dict[str, Any]] = [
    {
        "name": "jia-2023.txt",
        "region": "甲市",
        "year": 2023,
        "date": "2024-01-15",
        "title": "甲市2023年教育工作报告",
        "text": "首页 > 新闻\n甲市2023年教育工作报告\n全市新建学校12所，义务教育巩固率达到99.5%，"
        "小学校际差异系数为0.42。<b>注</b>&说明：教育经费4.5亿元。\n",
        "chrome": ["首页 > 新闻"],
        "claims": [
            (
                "12所",
                dict(
                    unit="school",
                    kind="change",
                    indicator="new_or_expanded_schools",
                    value=12.0,
                    time="2023",
                    subject="新建学校",
                ),
            ),
            (
                "99.5%",
                dict(
                    unit="percent",
                    indicator="retention_rate",
                    value=99.5,
                    time="2023",
                    qualifier="ge",
                    level="compulsory",
                    verdict={"status": "meets"},
                ),
            ),
            (
                "0.42",
                dict(
                    unit="coefficient",
                    indicator="cv",
                    value=0.42,
                    level="primary",
                    time="2023",
                    verdict={"status": "meets", "threshold": 0.5, "op": "le"},
                ),
            ),
            (
                "4.5亿元",
                dict(
                    unit="CNY",
                    indicator="education_expenditure_total",
                    value=450000000.0,
                    time="2023",
                ),
            ),
        ],
    },
    {
        "name": "jia-2021.txt",
        "region": "甲市",
        "year": 2021,
        "date": "2022-02-01",
        "title": "甲市2021年教育工作报告",
        "text": "甲市2021年义务教育巩固率为98.0%，新建学校5所。\n",
        "claims": [
            (
                "98.0%",
                dict(
                    unit="percent",
                    indicator="retention_rate",
                    value=98.0,
                    time="2021",
                    level="compulsory",
                    verdict={"status": "meets"},
                ),
            ),
            (
                "5所",
                dict(
                    unit="school",
                    kind="change",
                    indicator="new_or_expanded_schools",
                    value=5.0,
                    time="2021",
                ),
            ),
        ],
    },
    {
        "name": "yi-2022.txt",
        "region": "乙县",
        "year": 2022,
        "date": "2022-12-30",
        "title": None,
        "text": BODY_C + "\n" + BODY_C + "\n",
        "duplicate_body": True,
        "claims": [
            (
                "96%",
                dict(
                    unit="percent",
                    indicator="retention_rate",
                    value=96.0,
                    time="2022",
                    level="compulsory",
                    verdict={"status": "falls_short", "margin": -0.5},
                ),
            ),
            (
                "0.55",
                dict(
                    unit="coefficient",
                    indicator="cv",
                    value=0.55,
                    level="primary",
                    time="2022",
                    verdict={"status": "falls_short", "threshold": 0.5},
                ),
            ),
        ],
        "findings": [
            {
                "type": "cv_compliance",
                "severity": "warning",
                "message": "差异系数0.55高于0.5",
                "claims": [{"surface": "0.55"}],
            }
        ],
    },
    {
        "name": "report.txt",
        "region": "丙区",
        "year": 2020,
        "date": None,
        "title": "丙区报告一",
        "text": "丙区2020年有学校30所。\n",
        "claims": [
            ("30所", dict(unit="school", indicator="school_count", value=30.0, time="2020"))
        ],
    },
    {
        "name": "report.txt",
        "region": "丙区",
        "year": 2019,
        "date": None,
        "title": "丙区报告二",
        "text": "丙区2019年有学校28所。\n",
        "claims": [
            ("28所", dict(unit="school", indicator="school_count", value=28.0, time="2019"))
        ],
    },
]


def build_store(root: Path) -> dict[str, str]:
    """Write the sample store; returns {title or name: document id}."""
    store = Store(root)
    ids = {}
    for spec in DOCS:
        text = spec["text"]
        doc = Document(
            doc_id=spec["name"],
            text=text,
            source=f"/samples/{spec['name']}",
            title=spec["title"],
            date=spec["date"],
            year=spec["year"],
            region=spec["region"],
        )
        for piece in spec.get("chrome", []):
            i = text.index(piece)
            doc.chrome.append((i, i + len(piece)))
        if spec.get("duplicate_body"):
            n = len(BODY_C)
            doc.duplicates.append(DuplicateBody(n + 1, 2 * n + 1, 0))
        claims = []
        for surface, fields in spec["claims"]:
            start = text.index(surface)
            claims.append(
                Claim(
                    doc=spec["name"],
                    start=start,
                    end=start + len(surface),
                    surface=surface,
                    region=spec["region"],
                    doc_year=spec["year"],
                    **fields,
                )
            )
        if spec.get("duplicate_body"):  # the second copy repeats the first claim
            first = claims[0]
            start = text.index(first.surface, len(BODY_C))
            claims.append(
                Claim(
                    doc=spec["name"],
                    start=start,
                    end=start + len(first.surface),
                    surface=first.surface,
                    region=spec["region"],
                    doc_year=spec["year"],
                    unit=first.unit,
                    indicator=first.indicator,
                    value=first.value,
                    time=first.time,
                    level=first.level,
                    verdict=first.verdict,
                    duplicate_of=first.id,
                )
            )
        findings = []
        for f in spec.get("findings", []):  # name claims by span, as the checks do
            refs = [
                {
                    "start": text.index(r["surface"]),
                    "end": text.index(r["surface"]) + len(r["surface"]),
                }
                for r in f["claims"]
            ]
            findings.append({**f, "claims": refs})
        b = Batch()
        key = b.add_document(doc)
        b.add_extraction(
            key,
            claims,
            findings,
            extractor_version="test-1",
            extracted_at=0,
            region=spec["region"],
            year=spec["year"],
        )
        store.commit(b)
        ids[spec["title"] or spec["name"]] = key
        assert key == doc_key_of(doc.content_hash)
    return ids


SCHOOL_TABLE = (
    "县,年份,学校,学段,在校生数,专任教师数,高于规定学历教师数,县级以上骨干教师数,"
    "体育艺术专任教师数,教学及辅助用房面积,体育运动场馆面积,教学仪器设备值,网络多媒体教室数\n"
    "甲县,2023,一小,小学,1000,60,50,12,10,5000,8000,2300000,25\n"
    "甲县,2023,二小,小学,500,30,22,6,5,2100,3500,900000,11\n"
    "甲县,2023,三小,小学,800,45,38,9,8,3900,6200,1800000,19\n"
)
