"""The FastAPI service over a store: documents, claims, indicators, regions, checks, uploads.

``create_app(store_dir)`` builds the app; ``junheng serve`` runs it with uvicorn. Reads go to an
in-memory mirror of the store (api/queries.py) that follows commits of a running ingestion;
uploads go through the same pipeline as ``junheng ingest`` (corpus/ingest.py) and are committed
to the store. Every error is JSON ``{"error": ..., "status": ...}``; bad input gets a 4xx.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException

from junheng.api import schemas as S
from junheng.api.queries import (
    DOC_REF_SQL,
    Ambiguous,
    ClaimFilter,
    NotFound,
    StoreReader,
    claim_out,
    find_claims,
    iter_claims,
    parse_json,
)
from junheng.corpus.document import Document, DocumentError
from junheng.extract.record import CLAIM_FIELDS, KINDS, LEVELS

log = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD = 10 * 1024 * 1024
MAX_PAGE = 1000
Level = Literal[LEVELS]  # type: ignore[valid-type]
Kind = Literal[KINDS]  # type: ignore[valid-type]
ERRORS = {
    400: {"model": S.ErrorBody},
    404: {"model": S.ErrorBody},
    # a document may be named by its file name; a name that several stored documents share
    # is ambiguous wherever a document id is accepted
    409: {"model": S.ErrorBody, "description": "a file name that names several documents"},
    422: {"model": S.ErrorBody},
}


# Errors of an HTML endpoint are still JSON (a "model" would be documented as text/html).
JSON_ERROR = {
    "description": "error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
}


class ApiError(Exception):
    def __init__(self, status: int, message: str, detail: Any = None):
        super().__init__(message)
        self.status, self.message, self.detail = status, message, detail


def _json(payload: Any, status: int = 200) -> Response:
    """Serialise once with the stdlib (the models document the shape; tests validate it)."""
    body = json.dumps(payload, ensure_ascii=False, allow_nan=False, default=str)
    return Response(body, status_code=status, media_type="application/json")


def _error(status: int, message: str, detail: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message, "status": status}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse(body, status_code=status)


def _validation_message(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    parts, detail = [], []
    for e in exc.errors():
        loc = [str(x) for x in e.get("loc", ())]
        where = f"{loc[0]} parameter '{'.'.join(loc[1:])}'" if len(loc) > 1 else ".".join(loc)
        parts.append(f"{where}: {e.get('msg')}")
        detail.append({"loc": loc, "msg": e.get("msg"), "type": e.get("type")})
    return "invalid request: " + "; ".join(parts), detail


def create_app(
    store_dir: str | Path,
    *,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
    refresh_interval: float = 0.5,
    loader: Callable[[bytes, str], Document] | None = None,
    processor: Callable[[Document], Any] | None = None,
) -> FastAPI:
    """The app over ``store_dir`` (created empty if absent).

    ``loader(data, name)`` and ``processor(doc)`` default to ``junheng.corpus.load.load_bytes``
    and ``junheng.corpus.ingest.process_document``.
    """
    from junheng.corpus.store import Store

    store = Store(store_dir)
    reader = StoreReader(store.root, refresh_interval=refresh_interval)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        reader.close()

    app = FastAPI(
        lifespan=lifespan,
        title="junheng",
        version=_version(),
        description="Quantitative claims of Chinese compulsory-education documents: grounded "
        "records (CLAIMS.md), verdicts against national standards, regional comparison.",
    )
    app.state.store, app.state.reader = store, reader
    upload_lock = threading.Lock()

    # -- errors as JSON

    @app.exception_handler(HTTPException)
    def _http(request: Request, exc: HTTPException) -> JSONResponse:
        msg = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and msg == "Not Found":
            msg = f"no such endpoint: {request.method} {request.url.path}"
        elif exc.status_code == 405:
            msg = f"method {request.method} not allowed on {request.url.path}"
        return _error(exc.status_code, msg)

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        msg, detail = _validation_message(exc)
        return _error(422, msg, detail)

    @app.exception_handler(ApiError)
    def _api(request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.message, exc.detail)

    @app.exception_handler(NotFound)
    def _missing(request: Request, exc: NotFound) -> JSONResponse:
        return _error(404, str(exc))

    @app.exception_handler(Ambiguous)
    def _ambiguous(request: Request, exc: Ambiguous) -> JSONResponse:
        return _error(409, str(exc))

    @app.exception_handler(Exception)
    def _crash(request: Request, exc: Exception) -> JSONResponse:  # pragma: no cover
        log.exception("unhandled error on %s", request.url.path)
        return _error(500, f"internal error: {type(exc).__name__}: {exc}")

    # -- helpers

    def resolve(doc_id: str) -> dict[str, Any]:
        """A document row by store id, or by file name when exactly one document has it."""
        key = reader.resolve(doc_id)
        rows = reader.rows("SELECT * FROM documents WHERE doc_key = ?", [key])
        if not rows:
            raise NotFound(f"no document '{doc_id}' in the store")
        return rows[0]

    def summary(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": row["doc_key"],
            "name": row["doc_id"],
            "title": row["title"],
            "date": row["date"],
            "year": row["year"],
            "region": row["region"],
            "format": row["format"],
            "source": row["source"],
            "n_chars": row["n_chars"],
            "n_claims": row["n_claims"] or 0,
            "n_findings": row["n_findings"] or 0,
            "extractor_version": row["extractor_version"],
            "ingested_at": row["ingested_at"],
        }

    def doc_claims(key: str) -> list[dict[str, Any]]:
        return [
            claim_out(r)
            for r in reader.rows("SELECT * FROM claims WHERE doc_key = ? ORDER BY ordinal", [key])
        ]

    def finding_out(r: dict[str, Any]) -> dict[str, Any]:
        return {
            "document": {
                "id": r["doc_key"],
                "name": r["_name"],
                "title": r["_title"],
                "date": r["_date"],
                "year": r["_year"],
                "region": r["_region"],
            },
            "kind": r["kind"] or "",
            "severity": r["severity"] or "",
            "message": r["message"] or "",
            "claim_ids": parse_json(r["claim_ids"], []),
            "data": parse_json(r["data"], {}),
        }

    def page(limit: int | None, offset: int, total: int) -> dict[str, int]:
        return {"total": total, "limit": limit if limit is not None else total, "offset": offset}

    # -- endpoints

    @app.get("/health", response_model=S.Health, tags=["store"])
    def health() -> Response:
        counts = reader.rows(
            "SELECT (SELECT count(*) FROM cur) d, (SELECT count(*) FROM claims) c, "
            "(SELECT count(*) FROM findings) f, (SELECT count(*) FROM errors) e"
        )[0]
        return _json(
            {
                "status": "ok",
                "store": str(store.root),
                "documents": counts["d"],
                "claims": counts["c"],
                "findings": counts["f"],
                "errors": counts["e"],
                "store_seq": reader.seq,
                "extractor_version": _extractor_version(),
            }
        )

    @app.get("/documents", response_model=S.DocumentList, tags=["documents"], responses=ERRORS)
    def list_documents(
        region: str | None = None,
        year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
        q: Annotated[
            str | None, Query(max_length=200, description="in the name, title or text")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> Response:
        conds, params = [], []
        if region is not None:
            conds.append("region = ?")
            params.append(region)
        if year is not None:
            conds.append("year = ?")
            params.append(year)
        if q:
            keys = reader.text_matches(q)
            conds.append(
                "(contains(doc_id, ?) OR contains(coalesce(title, ''), ?) "
                "OR doc_key IN (SELECT unnest(?::VARCHAR[])))"
            )
            params += [q, q, keys]
        where = " AND ".join(conds) or "TRUE"
        total = reader.value(f"SELECT count(*) FROM documents WHERE {where}", params)
        rows = reader.rows(
            f"SELECT * FROM documents WHERE {where} ORDER BY doc_id, doc_key "
            f"LIMIT {limit} OFFSET {offset}",
            params,
        )
        return _json({"items": [summary(r) for r in rows], **page(limit, offset, total)})

    @app.get(
        "/documents/{doc_id}",
        response_model=S.DocumentDetail,
        tags=["documents"],
        responses={**ERRORS, 409: {"model": S.ErrorBody}},
    )
    def get_document(doc_id: str) -> Response:
        row = resolve(doc_id)
        return _json(
            {
                **summary(row),
                "content_hash": row["content_hash"],
                "encoding": row["encoding"],
                "chrome": [{"start": s, "end": e} for s, e in parse_json(row["chrome"], [])],
                "duplicates": [
                    {"start": s, "end": e, "first_start": f}
                    for s, e, f in parse_json(row["duplicates"], [])
                ],
                "warnings": parse_json(row["warnings"], []),
                "text": reader.document_text(row),
            }
        )

    @app.get(
        "/documents/{doc_id}/claims",
        response_model=S.DocumentClaims,
        tags=["documents"],
        responses={**ERRORS, 409: {"model": S.ErrorBody}},
    )
    def get_document_claims(doc_id: str) -> Response:
        items = doc_claims(resolve(doc_id)["doc_key"])
        return _json({"items": items, "total": len(items)})

    @app.get(
        "/documents/{doc_id}/view",
        response_class=HTMLResponse,
        tags=["documents"],
        responses={code: JSON_ERROR for code in (404, 409, 422)},
    )
    def view_document(doc_id: str) -> HTMLResponse:
        from junheng.api.view import render_view

        row = resolve(doc_id)
        findings = reader.rows(
            "SELECT kind, severity, message FROM findings WHERE doc_key = ? ORDER BY ordinal",
            [row["doc_key"]],
        )
        doc = {
            **summary(row),
            "chrome": parse_json(row["chrome"], []),
            "duplicates": parse_json(row["duplicates"], []),
        }
        page_html = render_view(
            doc, reader.document_text(row), doc_claims(row["doc_key"]), findings
        )
        return HTMLResponse(page_html)

    @app.post(
        "/documents",
        response_model=S.UploadResult,
        status_code=201,
        tags=["documents"],
        responses={
            200: {"model": S.UploadResult, "description": "already stored"},
            413: {"model": S.ErrorBody},
            422: {"model": S.ErrorBody},
        },
    )
    def upload(
        file: Annotated[UploadFile, File(description="a .txt/.html/.pdf/.docx file")],
    ) -> Response:
        from junheng.corpus.ingest import add_processed, process_document
        from junheng.corpus.store import Batch, doc_key_of

        name = Path(file.filename or "upload.txt").name or "upload.txt"
        data = file.file.read(max_upload_bytes + 1)
        if len(data) > max_upload_bytes:
            raise ApiError(413, f"{name}: larger than the upload limit of {max_upload_bytes} bytes")
        if not data:
            raise ApiError(422, f"{name}: the file is empty")
        load = loader or _load_bytes()
        try:
            doc = load(data, name)
        except DocumentError as exc:
            raise ApiError(422, f"{name}: {exc.problem}") from None
        except Exception as exc:  # noqa: BLE001 - unreadable input is the client's problem
            raise ApiError(
                422, f"{name}: cannot read the file ({type(exc).__name__}: {exc})"
            ) from None
        if not doc.text.strip():
            raise ApiError(422, f"{name}: no text in the file")
        if doc.source is None:
            doc.source = f"upload:{name}"
        key = doc_key_of(doc.content_hash)
        with upload_lock:  # one extraction at a time: uploads must not starve queries
            known = reader.rows("SELECT * FROM documents WHERE doc_key = ?", [key])
            if known:
                return _json(_upload_result(False, summary(known[0]), doc_claims(key), key), 200)
            try:
                processed = (processor or process_document)(doc)
            except DocumentError as exc:
                raise ApiError(422, f"{name}: {exc.problem}") from None
            except Exception as exc:  # noqa: BLE001
                log.exception("extraction failed on upload %s", name)
                raise ApiError(
                    422, f"{name}: extraction failed ({type(exc).__name__}: {exc})"
                ) from None
            batch = Batch()
            add_processed(batch, processed, run_id="api-upload", new=True)
            result = store.commit(batch)
            reader.refresh()
        row = reader.rows("SELECT * FROM documents WHERE doc_key = ?", [key])[0]
        body = _upload_result(not result.dropped, summary(row), doc_claims(key), key)
        body["problems"] = [f"{s}: {m}" for s, m in processed.problems]
        return _json(body, 201 if body["created"] else 200)

    def _upload_result(
        created: bool, doc: dict[str, Any], claims: list[dict[str, Any]], key: str
    ) -> dict[str, Any]:
        findings = reader.rows(
            f"SELECT f.*, {DOC_REF_SQL} FROM findings f JOIN documents d USING (doc_key) "
            "WHERE doc_key = ? ORDER BY ordinal",
            [key],
        )
        return {
            "created": created,
            "document": doc,
            "claims": claims,
            "findings": [finding_out(r) for r in findings],
            "problems": [],
        }

    @app.get(
        "/claims",
        response_model=S.ClaimList,
        openapi_extra={"parameters": _openapi_query(S.ClaimQuery)},
        tags=["claims"],
        responses={
            **ERRORS,
            200: {"content": {"application/json": {}, "text/csv": {}, "application/x-ndjson": {}}},
        },
    )
    async def list_claims(request: Request) -> Response:
        """Claims matching every given filter, in commit order (a stable order for paging).

        The hot path: parameters are validated by one pydantic model (documented from it),
        records come pre-serialised from the claim index.
        """
        p = _query_model(S.ClaimQuery, request)
        if p.year_from is not None and p.year_to is not None and p.year_from > p.year_to:
            raise ApiError(422, f"year_from ({p.year_from}) is after year_to ({p.year_to})")
        f = ClaimFilter(
            p.region,
            p.indicator,
            p.level,
            p.year_from,
            p.year_to,
            p.kind,
            p.verdict,
            p.q,
            reader.resolve(p.doc) if p.doc else None,
        )
        if p.format != "json":
            return _export(iter_claims(reader, f, p.limit, p.offset), p.format)
        limit = 50 if p.limit is None else p.limit
        if limit > MAX_PAGE:
            raise ApiError(
                422,
                f"limit {limit} is over {MAX_PAGE} for JSON; use format=csv or "
                "format=jsonl for bulk exports",
            )
        items, total = find_claims(reader, f, limit, p.offset)
        body = (
            f'{{"items":[{",".join(items)}],"total":{total},"limit":{limit},"offset":{p.offset}}}'
        )
        return Response(body, media_type="application/json")

    @app.get("/indicators", response_model=S.IndicatorList, tags=["indicators"])
    def list_indicators() -> Response:
        counts = indicator_counts()
        items = [{**_indicator_dict(i), "n_claims": counts.get(i.id, 0)} for i in _ontology()]
        return _json({"items": items, "total": len(items)})

    @app.get(
        "/indicators/{indicator_id}",
        response_model=S.IndicatorDetail,
        tags=["indicators"],
        responses=ERRORS,
    )
    def get_indicator(indicator_id: str) -> Response:
        ind = next((i for i in _ontology() if i.id == indicator_id), None)
        if ind is None:
            raise NotFound(f"no indicator '{indicator_id}' in the ontology")
        return _json(
            {
                **_indicator_dict(ind),
                "n_claims": indicator_counts().get(ind.id, 0),
                "standards": _standards_for(ind.id),
            }
        )

    def indicator_counts() -> dict[str, int]:
        return dict(
            reader.cursor()
            .execute("SELECT indicator, count(*) FROM claims GROUP BY indicator")
            .fetchall()
        )

    @app.get("/regions", response_model=S.RegionList, tags=["regions"])
    def list_regions() -> Response:
        rows = reader.rows(
            "SELECT region AS name, count(DISTINCT doc_key) AS n_documents, "
            "count(*) AS n_claims, min(year_lo) AS year_min, max(year_hi) AS year_max "
            "FROM claims WHERE region IS NOT NULL AND region <> '' "
            "GROUP BY region ORDER BY n_claims DESC, name"
        )
        return _json({"items": rows, "total": len(rows)})

    @app.get(
        "/regions/{name}/scorecard", response_model=S.Scorecard, tags=["regions"], responses=ERRORS
    )
    def scorecard(name: str) -> Response:
        """The region's indicators: latest value, verdicts, trend (one value a year)."""
        from junheng.api.regions import scorecard as build

        rows = reader.rows(
            f"SELECT c.*, {DOC_REF_SQL} FROM claims c JOIN documents d USING (doc_key) "
            "WHERE c.region = ? ORDER BY c.extracted_at, c.ordinal",
            [name],
        )
        if not rows:
            raise NotFound(f"no claims about region '{name}'")
        onto = {i.id: i for i in _ontology()}
        return _json(build(name, rows, reader.snapshot().refs, onto))

    @app.get(
        "/compare",
        response_model=S.ComparePanel,
        tags=["regions"],
        responses={
            **ERRORS,
            200: {"content": {"application/json": {}, "image/png": {}, "image/svg+xml": {}}},
        },
    )
    def compare(
        indicator: Annotated[str, Query(min_length=1)],
        regions: Annotated[str, Query(min_length=1, description="comma-separated region names")],
        format: Literal["json", "png", "svg"] = "json",
    ) -> Response:
        names = [r.strip() for r in regions.replace("，", ",").split(",") if r.strip()]
        if not names:
            raise ApiError(422, "regions: give at least one region name")
        if len(names) > 50:
            raise ApiError(422, f"regions: at most 50 regions, got {len(names)}")
        from junheng.api.regions import compare_panel

        rows = reader.rows(
            f"SELECT c.*, {DOC_REF_SQL} FROM claims c JOIN documents d USING (doc_key) "
            "WHERE c.indicator = ? AND c.region IN (SELECT unnest(?::VARCHAR[])) "
            "ORDER BY c.extracted_at, c.ordinal",
            [indicator, names],
        )
        info = next((i for i in _ontology() if i.id == indicator), None)
        panel = compare_panel(indicator, names, rows, getattr(info, "name_zh", None))
        if format == "json":
            return _json(panel)
        from junheng.api.charts import compare_chart

        return Response(
            compare_chart(panel, format),
            media_type="image/png" if format == "png" else "image/svg+xml",
        )

    @app.get("/checks", response_model=S.FindingList, tags=["checks"], responses=ERRORS)
    def list_checks(
        doc: Annotated[str | None, Query(description="a document id")] = None,
        kind: str | None = None,
        severity: str | None = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> Response:
        conds, params = [], []
        if doc:
            conds.append("f.doc_key = ?")
            params.append(resolve(doc)["doc_key"])
        for col, v in (("kind", kind), ("severity", severity)):
            if v is not None:
                conds.append(f"f.{col} = ?")
                params.append(v)
        where = " AND ".join(conds) or "TRUE"
        total = reader.value(f"SELECT count(*) FROM findings f WHERE {where}", params)
        rows = reader.rows(
            f"SELECT f.*, {DOC_REF_SQL} FROM findings f JOIN documents d USING (doc_key) "
            f"WHERE {where} ORDER BY f.doc_key, f.ordinal LIMIT {limit} OFFSET {offset}",
            params,
        )
        return _json({"items": [finding_out(r) for r in rows], **page(limit, offset, total)})

    @app.post(
        "/coefficients",
        response_model=S.CVReportOut,
        tags=["checks"],
        responses={**ERRORS, 413: {"model": S.ErrorBody}},
    )
    def coefficients(
        file: Annotated[UploadFile, File(description="a school table: .csv, .xlsx or .parquet")],
    ) -> Response:
        """Coefficients of variation (差异系数), school checks and county verdicts of a table.

        One row per school section (county, year, school, stage, students and the resource
        columns); see `junheng cv --help` for the accepted headers.
        """
        from junheng.indicators.cli_cv import cv_report

        name = Path(file.filename or "schools.csv").name or "schools.csv"
        data = file.file.read(max_upload_bytes + 1)
        if len(data) > max_upload_bytes:
            raise ApiError(413, f"{name}: larger than the upload limit of {max_upload_bytes} bytes")
        if not data:
            raise ApiError(422, f"{name}: the file is empty")
        try:
            report = cv_report(data, filename=name)
        except ValueError as exc:  # SchoolTableError names the row and column
            raise ApiError(422, str(exc)) from None
        return _json(report)

    return app


# ----------------------------------------------------------------------------- helpers


def _query_model(model: type[Any], request: Request) -> Any:
    """Validate the query string with one pydantic model (much cheaper than per-parameter)."""
    from pydantic import ValidationError

    try:
        return model.model_validate(dict(request.query_params))
    except ValidationError as exc:
        errors = [{**e, "loc": ("query", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from None


def _openapi_query(model: type[Any]) -> list[dict[str, Any]]:
    """OpenAPI query parameters documenting a pydantic model's fields."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    out = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        desc = prop.pop("description", None)
        prop.pop("title", None)
        param = {
            "name": name,
            "in": "query",
            "required": name in schema.get("required", []),
            "schema": prop,
        }
        if desc:
            param["description"] = desc
        out.append(param)
    return out


def _export(records: Iterator[str], fmt: str) -> StreamingResponse:
    """A streamed CSV or JSON Lines download of claim records (JSON texts)."""
    if fmt == "jsonl":

        def chunks() -> Iterator[str]:  # ~64 KB a chunk: one thread hop each, not one a line
            buf: list[str] = []
            size = 0
            for r in records:
                buf.append(r)
                size += len(r)
                if size > 64 * 1024:
                    yield "\n".join(buf) + "\n"
                    buf, size = [], 0
            if buf:
                yield "\n".join(buf) + "\n"

        return StreamingResponse(
            chunks(),
            media_type="application/x-ndjson",
            headers={"Content-Disposition": 'attachment; filename="claims.jsonl"'},
        )
    cols = [*CLAIM_FIELDS, "doc_key", "doc_name", "doc_title"]

    def lines() -> Iterator[str]:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(cols)
        for text in records:
            r = json.loads(text)
            d = r.pop("document")
            r.update(doc_name=d["name"], doc_title=d["title"])
            if r.get("verdict") is not None:
                r["verdict"] = json.dumps(r["verdict"], ensure_ascii=False)
            w.writerow(["" if r.get(c) is None else r.get(c) for c in cols])
            if buf.tell() > 64 * 1024:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue()

    return StreamingResponse(
        lines(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="claims.csv"'},
    )


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("junheng")
    except Exception:  # noqa: BLE001 - not installed: a source checkout
        return "0"


def _extractor_version() -> str | None:
    try:
        from junheng.extract.pipeline import EXTRACTOR_VERSION
    except ImportError:  # pragma: no cover
        return None
    return EXTRACTOR_VERSION


def _load_bytes() -> Callable[[bytes, str], Document]:
    from junheng.corpus.load import load_bytes

    return load_bytes


def _ontology() -> list[Any]:
    from junheng.indicators.ontology import load

    return load().all()


def _indicator_dict(ind: Any) -> dict[str, Any]:
    d = ind.to_dict() if hasattr(ind, "to_dict") else dict(ind)
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in d.items()}


def _standards_for(indicator: str) -> list[dict[str, Any]]:
    """The national thresholds of an indicator (an empty list without a standards module)."""
    from dataclasses import asdict

    try:
        from junheng.indicators.standards import load_standards
    except ImportError:  # pragma: no cover
        return []
    out = []
    for t in load_standards().find(indicator):
        d = asdict(t)
        out.append({k: (list(v) if isinstance(v, tuple) else v) for k, v in d.items()})
    return out
