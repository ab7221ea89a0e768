"""Every endpoint through TestClient, on a store with known content; responses are validated
against the pydantic models that document them."""

from __future__ import annotations

import csv
import importlib
import io
import json
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from junheng.api import schemas as S
from junheng.api.app import create_app

HERE = Path(__file__).resolve().parent


def _support():
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    return importlib.import_module("test_api_support")


def _fakes():
    return importlib.import_module("test_ingest_support")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("api") / "store"
    ids = _support().build_store(root)
    return root, ids


def _client(root: Path):
    fakes = (_support(), _fakes())[1]
    app = create_app(
        root,
        max_upload_bytes=2000,
        refresh_interval=0,
        loader=fakes.load_bytes,
        processor=fakes.process,
    )
    return TestClient(app)


@pytest.fixture(scope="module")
def client(store) -> TestClient:
    """Read-only tests share one store."""
    with _client(store[0]) as c:
        yield c


@pytest.fixture
def writable(tmp_path: Path) -> TestClient:
    """Tests that upload get a store of their own."""
    _support().build_store(tmp_path / "s")
    with _client(tmp_path / "s") as c:
        yield c


def ok(r, model=None, status=200):
    assert r.status_code == status, r.text
    if model is not None:
        return model.model_validate(r.json())
    return r.json()


def err(r, status: int, *words: str):
    assert r.status_code == status, r.text
    body = S.ErrorBody.model_validate(r.json())
    assert body.status == status
    for w in words:
        assert w in body.error, body.error
    return body


# ----------------------------------------------------------------------------- store and docs


def test_health(client):
    h = ok(client.get("/health"), S.Health)
    assert (h.documents, h.claims, h.findings) == (5, 11, 1)
    assert h.store_seq >= 5


def test_documents_list_filters_and_pages(client, store):
    ids = store[1]
    page = ok(client.get("/documents"), S.DocumentList)
    assert page.total == 5 and len(page.items) == 5
    assert ok(client.get("/documents?region=甲市"), S.DocumentList).total == 2
    y = ok(client.get("/documents?year=2022"), S.DocumentList)
    assert [d.id for d in y.items] == [ids["yi-2022.txt"]]
    q = ok(client.get("/documents", params={"q": "巩固率为96"}), S.DocumentList)  # in the text
    assert [d.id for d in q.items] == [ids["yi-2022.txt"]]
    assert ok(client.get("/documents", params={"q": "丙区报告"}), S.DocumentList).total == 2
    p1 = ok(client.get("/documents?limit=2&offset=0"), S.DocumentList)
    p2 = ok(client.get("/documents?limit=2&offset=2"), S.DocumentList)
    p3 = ok(client.get("/documents?limit=2&offset=4"), S.DocumentList)
    seen = [d.id for d in p1.items + p2.items + p3.items]
    assert len(seen) == len(set(seen)) == 5 and p1.total == 5
    err(client.get("/documents?limit=0"), 422, "limit")
    err(client.get("/documents?year=abc"), 422, "year")


def test_document_by_id_and_by_unique_name(client, store):
    ids = store[1]
    d = ok(client.get(f"/documents/{ids['甲市2023年教育工作报告']}"), S.DocumentDetail)
    assert d.name == "jia-2023.txt" and d.region == "甲市" and d.n_claims == 4
    assert d.text.startswith("首页 > 新闻") and d.chrome == [S.Span(start=0, end=7)]
    by_name = ok(client.get("/documents/yi-2022.txt"), S.DocumentDetail)
    assert by_name.id == ids["yi-2022.txt"] and len(by_name.duplicates) == 1
    err(client.get("/documents/report.txt"), 409, "2 documents")
    err(client.get("/documents/nope"), 404, "no document 'nope'")


def test_document_claims(client, store):
    ids = store[1]
    c = ok(client.get(f"/documents/{ids['yi-2022.txt']}/claims"), S.DocumentClaims)
    assert c.total == 3 and [x.surface for x in c.items] == ["96%", "0.55", "96%"]
    assert c.items[2].duplicate_of == c.items[0].id
    text = client.get(f"/documents/{ids['yi-2022.txt']}").json()["text"]
    assert all(text[x.start : x.end] == x.surface for x in c.items)
    err(client.get("/documents/nope/claims"), 404)


def test_view_page(client, store):
    ids = store[1]
    r = client.get(f"/documents/{ids['甲市2023年教育工作报告']}/view")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert page.count('class="c v-pass') == 2  # 99.5% and 0.42 meet their standards
    assert page.count('class="c v-unchecked') == 2
    assert '<span class="chrome">首页 &gt; 新闻</span>' in page
    assert "&lt;b&gt;注&lt;/b&gt;&amp;说明" in page and "<b>注</b>" not in page
    data = json.loads(page.split('type="application/json">', 1)[1].split("</script>", 1)[0])
    assert [c["surface"] for c in data] == ["12所", "99.5%", "0.42", "4.5亿元"]
    assert data[2]["vclass"] == "pass" and "0.42" in data[2]["context"]
    dup = client.get(f"/documents/{ids['yi-2022.txt']}/view").text
    assert dup.count("dup-badge") >= 2 and "c v-fail dupc dup" in dup
    assert "差异系数0.55高于0.5" in dup  # the finding is listed
    err(client.get("/documents/nope/view"), 404)


# ----------------------------------------------------------------------------- uploads


def test_upload_new_then_same_content(writable):
    client = writable
    files = {"file": ("new.txt", "丁镇新建学校7所，巩固率97%。".encode())}
    r = ok(client.post("/documents", files=files), S.UploadResult, status=201)
    assert r.created and r.document.name == "new.txt" and r.document.region == "乙县"
    assert [c.surface for c in r.claims] == ["7所", "97%"]
    assert ok(client.get(f"/documents/{r.document.id}"), S.DocumentDetail).n_claims == 2
    again = ok(
        client.post("/documents", files={"file": ("other-name.txt", files["file"][1])}),
        S.UploadResult,
    )
    assert not again.created and again.document.id == r.document.id
    assert len(again.claims) == 2
    listed = ok(client.get("/claims", params={"doc": r.document.id}), S.ClaimList)
    assert listed.total == 2  # stored and indexed at once


def test_upload_errors(writable):
    client = writable
    err(
        client.post("/documents", files={"file": ("big.txt", b"x" * 2001)}),
        413,
        "big.txt",
        "2000 bytes",
    )
    err(client.post("/documents", files={"file": ("e.txt", b"")}), 422, "empty")
    err(
        client.post("/documents", files={"file": ("bad.txt", b"\xff\xfe\xfa")}),
        422,
        "bad.txt",
        "not UTF-8",
    )
    err(client.post("/documents", files={"file": ("blank.txt", b"   \n")}), 422, "no text")
    err(client.post("/documents"), 422, "file")


# ----------------------------------------------------------------------------- claims


def test_claims_filters(client, store):
    ids = store[1]

    def q(**params):
        return ok(client.get("/claims", params=params), S.ClaimList)

    everything = q(limit=1000)
    assert everything.total >= 11
    assert {c.document.id for c in everything.items} >= set(ids.values())
    jia = q(region="甲市")
    assert jia.total == 6 and all(c.region == "甲市" for c in jia.items)
    assert q(indicator="retention_rate").total >= 4
    r = q(indicator="retention_rate", region="甲市")
    assert sorted(c.value for c in r.items) == [98.0, 99.5]
    assert [c.surface for c in q(level="primary").items] == ["0.42", "0.55"]
    assert q(kind="change").total == 2
    assert {c.surface for c in q(verdict="falls_short").items} == {"96%", "0.55"}
    assert q(verdict="meets").total == 3
    assert {c.time for c in q(year_from=2022).items} >= {"2022", "2023"}
    assert all(c.time in ("2019", "2020", "2021") for c in q(year_to=2021).items)
    assert {c.surface for c in q(year_from=2020, year_to=2020).items} == {"30所"}
    assert [c.surface for c in q(q="新建学校").items] == ["12所"]  # the subject
    assert q(q="4.5亿").total == 1  # the surface
    assert q(doc="yi-2022.txt").total == 3
    assert q(region="nowhere").total == 0
    one = q(region="甲市", indicator="retention_rate", verdict="meets", year_from=2023)
    assert [c.surface for c in one.items] == ["99.5%"]
    assert one.items[0].document.title == "甲市2023年教育工作报告"


def test_claims_pagination_is_stable(client):
    full = ok(client.get("/claims?limit=1000"), S.ClaimList)
    pages = []
    for offset in range(0, full.total, 3):
        page = ok(client.get(f"/claims?limit=3&offset={offset}"), S.ClaimList)
        assert page.total == full.total and page.limit == 3 and page.offset == offset
        pages.extend(page.items)
    assert [(c.doc_key, c.id) for c in pages] == [(c.doc_key, c.id) for c in full.items]
    assert ok(client.get(f"/claims?offset={full.total}"), S.ClaimList).items == []


def test_claims_exports(client):
    n = client.get("/claims?region=甲市").json()["total"]
    r = client.get("/claims?region=甲市&format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == n and {"surface", "value", "doc_key", "doc_name"} <= set(rows[0])
    verdicts = [json.loads(x["verdict"]) for x in rows if x["verdict"]]
    assert {"status": "meets"} in verdicts
    r = client.get("/claims?region=甲市&format=jsonl&limit=2&offset=1")
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert len(lines) == 2 and r.headers["content-type"].startswith("application/x-ndjson")
    assert all(S.ClaimWithDocument.model_validate(x) for x in lines)


def test_claims_bad_input_is_4xx(client):
    err(client.get("/claims?level=middle"), 422, "level")
    err(client.get("/claims?kind=x&limit=-1"), 422, "kind", "limit")
    err(client.get("/claims?year_from=2025&year_to=2020"), 422, "year_from")
    err(client.get("/claims?limit=5000"), 422, "format=csv")
    err(client.get("/claims?format=xml"), 422, "format")
    err(client.get("/claims?doc=report.txt"), 409)
    err(client.get("/claims?doc=absent"), 404)


# ----------------------------------------------------------------------------- indicators, regions


def test_indicators(client):
    lst = ok(client.get("/indicators"), S.IndicatorList)
    by_id = {i.id: i for i in lst.items}
    assert lst.total == len(lst.items) > 30
    assert by_id["retention_rate"].n_claims >= 4 and by_id["retention_rate"].name_zh
    cv = ok(client.get("/indicators/cv"), S.IndicatorDetail)
    limits = {(t["stage"], t["value"]) for t in cv.standards if t.get("op") == "le"}
    assert ("primary", 0.5) in limits and ("junior", 0.45) in limits
    err(client.get("/indicators/not_an_indicator"), 404, "not_an_indicator")


def test_regions_and_scorecard(client):
    regions = ok(client.get("/regions"), S.RegionList)
    by_name = {r.name: r for r in regions.items}
    assert by_name["甲市"].n_claims == 6 and by_name["甲市"].n_documents == 2
    assert (by_name["甲市"].year_min, by_name["甲市"].year_max) == (2021, 2023)
    card = ok(client.get("/regions/甲市/scorecard"), S.Scorecard)
    rows = {(r.indicator, r.level, r.kind): r for r in card.items}
    ret = rows[("retention_rate", "compulsory", "level")]
    assert ret.latest.surface == "99.5%" and ret.latest.document.name == "jia-2023.txt"
    assert [(p.year, p.value) for p in ret.trend] == [(2021, 98.0), (2023, 99.5)]
    assert ret.change == "up" and ret.improving is True and ret.verdicts == {"meets": 2}
    new = rows[("new_or_expanded_schools", "all", "change")]
    assert [p.value for p in new.trend] == [5.0, 12.0]
    err(client.get("/regions/无此地/scorecard"), 404, "无此地")


def test_compare(client):
    panel = ok(
        client.get("/compare", params={"indicator": "retention_rate", "regions": "甲市,乙县,丙区"}),
        S.ComparePanel,
    )
    assert panel.regions == ["甲市", "乙县", "丙区"] and panel.missing == ["丙区"]
    series = {(s.region, s.level): [(p.year, p.value) for p in s.points] for s in panel.items}
    assert series[("甲市", "compulsory")] == [(2021, 98.0), (2023, 99.5)]
    assert series[("乙县", "compulsory")] == [(2022, 96.0)]
    png = client.get(
        "/compare", params={"indicator": "cv", "regions": "甲市，乙县", "format": "png"}
    )
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    svg = client.get("/compare", params={"indicator": "cv", "regions": "甲市", "format": "svg"})
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content
    err(client.get("/compare?indicator=cv"), 422, "regions")
    err(client.get("/compare", params={"indicator": "cv", "regions": " , "}), 422, "region")
    err(client.get("/compare?indicator=cv&regions=a&format=gif"), 422, "format")


# ----------------------------------------------------------------------------- checks


def test_checks(client, store):
    ids = store[1]
    f = ok(client.get("/checks"), S.FindingList)
    assert f.total == 1
    item = f.items[0]
    assert item.document.id == ids["yi-2022.txt"] and item.kind == "cv_compliance"
    assert item.severity == "warning" and len(item.claim_ids) == 1
    assert ok(client.get("/checks?kind=sum"), S.FindingList).total == 0
    assert ok(client.get("/checks?doc=yi-2022.txt&severity=warning"), S.FindingList).total == 1
    err(client.get("/checks?doc=absent"), 404)


def test_coefficients(writable):
    client = writable
    table = _support().SCHOOL_TABLE.encode()
    r = ok(client.post("/coefficients", files={"file": ("schools.csv", table)}), S.CVReportOut)
    cvs = {x["indicator"]: x for x in r.results}
    assert cvs["teaching_space_per_student"]["schools"] == 3
    assert 0 <= cvs["teaching_space_per_student"]["cv"] < 0.5
    bad = table.replace(b"2100,3500", b"lots,3500")
    e = err(client.post("/coefficients", files={"file": ("schools.csv", bad)}), 422, "schools.csv")
    assert "row" in e.error
    err(client.post("/coefficients", files={"file": ("t.csv", b"")}), 422, "empty")
    err(client.post("/coefficients", files={"file": ("t.csv", b"x" * 3000)}), 413)


# ----------------------------------------------------------------------------- generic


def test_docs_and_errors(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/claims", "/documents/{doc_id}/view", "/coefficients"} <= set(spec["paths"])
    names = {p["name"] for p in spec["paths"]["/claims"]["get"]["parameters"]}
    assert {
        "region",
        "indicator",
        "level",
        "year_from",
        "year_to",
        "kind",
        "verdict",
        "q",
        "limit",
        "offset",
        "format",
    } <= names
    err(client.get("/no/such/path"), 404, "no such endpoint")
    err(client.delete("/claims"), 405, "DELETE")


def test_reader_follows_an_ingestion(tmp_path: Path):
    """Documents committed by another writer appear without restarting the API."""
    fakes = _fakes()
    from junheng.corpus.ingest import ingest

    app = create_app(tmp_path / "s", refresh_interval=0)
    with TestClient(app) as c:
        assert c.get("/health").json()["documents"] == 0
        fakes.write_corpus(tmp_path / "c", 3)
        ingest(
            [tmp_path / "c"],
            tmp_path / "s",
            workers=1,
            progress=False,
            loader=fakes.load,
            processor=fakes.process,
        )
        app.state.reader.maybe_refresh(wait=True)
        assert c.get("/health").json()["documents"] == 3
        assert c.get("/claims").json()["total"] == 9
