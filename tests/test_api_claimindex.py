"""The claim index answers exactly what a plain filter over the rows answers."""

from __future__ import annotations

import json
import random

import pyarrow as pa
import pytest

from junheng.api.claimindex import ClaimIndex

REGIONS = ["甲市", "乙县", "丙区", None]
INDICATORS = ["cv", "retention_rate", "school_count"]
LEVELS = ["primary", "junior", "all"]
KINDS = ["level", "change"]
VERDICTS = ["meets", "falls_short", "unchecked"]
SUBJECTS = ["新建学校", "巩固率", "差异系数", None]


def random_rows(rng: random.Random, docs: list[str], n: int, tag: str) -> list[dict]:
    rows = []
    for i in range(n):
        lo = rng.choice([None, 2018, 2020, 2022])
        hi = None if lo is None else lo + rng.choice([0, 0, 2])
        row = {
            "doc_key": rng.choice(docs),
            "region": rng.choice(REGIONS),
            "indicator": rng.choice(INDICATORS),
            "level": rng.choice(LEVELS),
            "kind": rng.choice(KINDS),
            "verdict_status": rng.choice(VERDICTS),
            "year_lo": lo,
            "year_hi": hi,
            "subject": rng.choice(SUBJECTS),
            "surface": f"{rng.randint(1, 99)}所",
        }
        row["json"] = json.dumps({"tag": tag, "i": i, **row}, ensure_ascii=False)
        rows.append(row)
    return rows


def table(rows: list[dict]) -> pa.Table:
    schema = pa.schema([(k, pa.int32() if k.startswith("year") else pa.string()) for k in rows[0]])
    return pa.Table.from_pylist(rows, schema=schema)


def naive(rows, eq, year_from, year_to, q):
    out = []
    for r in rows:
        if any(v is not None and r[k] != v for k, v in eq.items()):
            continue
        if year_from is not None and (r["year_hi"] is None or r["year_hi"] < year_from):
            continue
        if year_to is not None and (r["year_lo"] is None or r["year_lo"] > year_to):
            continue
        if q and q not in (r["subject"] or "") and q not in r["surface"]:
            continue
        out.append(r["json"])
    return out


@pytest.mark.parametrize("seed", range(4))
def test_index_matches_a_plain_filter(seed: int):
    rng = random.Random(seed)
    docs = [f"d{i}" for i in range(12)]
    index, live = ClaimIndex.empty(), []
    for step in range(4):  # appends, some re-extracting (superseding) documents
        superseded = set(rng.sample(docs, 3)) if step else set()
        live = [r for r in live if r["doc_key"] not in superseded]
        fresh = random_rows(rng, docs if step == 0 else sorted(superseded), 150, f"s{step}")
        index = index.append(table(fresh), superseded)
        live += fresh
    assert int(index.alive.sum()) == len(live)
    for _ in range(300):
        eq = {
            "doc_key": rng.choice([None, *docs[:3]]),
            "region": rng.choice([None, *REGIONS]),
            "indicator": rng.choice([None, *INDICATORS]),
            "level": rng.choice([None, *LEVELS]),
            "kind": rng.choice([None, *KINDS]),
            "verdict_status": rng.choice([None, *VERDICTS, "nope"]),
        }
        year_from = rng.choice([None, 2019, 2021])
        year_to = rng.choice([None, 2020, 2023])
        q = rng.choice([None, None, "学校", "1所"])
        got = index.json(index.select(eq, year_from, year_to, q))
        assert got == naive(live, eq, year_from, year_to, q), (eq, year_from, year_to, q)


def test_empty_index():
    index = ClaimIndex.empty()
    assert index.json(index.select({"region": "甲市"})) == []
    assert index.json(index.select({})) == []
