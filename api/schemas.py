"""Pydantic models of the API: the claim record of CLAIMS.md and the envelopes around it.

They document the responses in OpenAPI (/docs) and let tests validate what the API returns.
List endpoints return ``{"items": [...], "total": N}``; errors ``{"error": "...", "status": N}``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from junheng.extract.record import AREAS, KINDS, LEVELS, QUALIFIERS, UNITS

Unit = Literal[UNITS]  # type: ignore[valid-type]
Qualifier = Literal[QUALIFIERS]  # type: ignore[valid-type]
Kind = Literal[KINDS]  # type: ignore[valid-type]
Level = Literal[LEVELS]  # type: ignore[valid-type]
Area = Literal[AREAS]  # type: ignore[valid-type]


class ClaimRecord(BaseModel):
    """One quantitative claim (CLAIMS.md), grounded by offsets into the original text."""

    model_config = ConfigDict(extra="allow")

    doc: str = Field(description="the source document's file name (or id)")
    start: int = Field(description="0-based offset of the number and its unit in the text")
    end: int = Field(description="end offset, exclusive; text[start:end] == surface")
    surface: str
    subject: str = Field("", description="what the number measures, in the document's words")
    value: float | None = Field(None, description="value in canonical units; null for a range")
    value_low: float | None = None
    value_high: float | None = None
    unit: Unit = "other"
    qualifier: Qualifier = "eq"
    kind: Kind = "level"
    time: str | None = Field(None, description='"2022", "2016-2021", "since 2016", ...')
    region: str | None = None
    level: Level = "all"
    area: Area | None = None
    indicator: str = "other"
    about: str | None = Field(
        None, description="for a coefficient (差异系数): the indicator whose spread it measures"
    )
    id: str = Field("", description="the claim's id within its document")
    duplicate_of: str | None = Field(None, description="id of the claim this one repeats")
    sentence_start: int | None = None
    sentence_end: int | None = None
    doc_year: int | None = None
    verdict: dict[str, Any] | None = Field(None, description="compliance verdict, if checked")
    doc_key: str = Field(description="the store's document id (content hash prefix)")


class ClaimQuery(BaseModel):
    """Filters of GET /claims (every given filter must match)."""

    region: str | None = Field(None, description="the claim's region, as written (常州市)")
    indicator: str | None = Field(None, description="indicator id (see /indicators)")
    level: Level | None = None
    year_from: int | None = Field(
        None, ge=1900, le=2100, description="claims about this year or later"
    )
    year_to: int | None = Field(
        None, ge=1900, le=2100, description="claims about this year or earlier"
    )
    kind: Kind | None = None
    verdict: str | None = Field(
        None,
        max_length=100,
        description="verdict status: meets, falls_short, not_comparable, unchecked (no verdict)",
    )
    q: str | None = Field(None, max_length=200, description="text in the subject or surface")
    doc: str | None = Field(None, max_length=200, description="a document id or file name")
    limit: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description=(
            "page size: default 50 and at most 1000 for JSON; CSV/JSONL default to all matches"
        ),
    )
    offset: int = Field(0, ge=0)
    format: Literal["json", "csv", "jsonl"] = "json"


class DocumentRef(BaseModel):
    id: str = Field(description="document id in the store (content hash prefix)")
    name: str = Field(description="file name or upload name")
    title: str | None = None
    date: str | None = None
    year: int | None = None
    region: str | None = None


class ClaimWithDocument(ClaimRecord):
    document: DocumentRef


class ClaimList(BaseModel):
    items: list[ClaimWithDocument]
    total: int
    limit: int
    offset: int


class DocumentClaims(BaseModel):
    items: list[ClaimRecord]
    total: int


class DocumentSummary(BaseModel):
    id: str
    name: str
    title: str | None = None
    date: str | None = None
    year: int | None = None
    region: str | None = None
    format: str
    source: str | None = None
    n_chars: int
    n_claims: int
    n_findings: int
    extractor_version: str | None = None
    ingested_at: str | None = Field(None, description="ISO 8601, UTC")


class Span(BaseModel):
    start: int
    end: int


class DuplicateSpan(Span):
    first_start: int = Field(description="where the first copy of this body starts")


class DocumentDetail(DocumentSummary):
    content_hash: str
    encoding: str | None = None
    chrome: list[Span]
    duplicates: list[DuplicateSpan]
    warnings: list[str]
    text: str


class DocumentList(BaseModel):
    items: list[DocumentSummary]
    total: int
    limit: int
    offset: int


class Finding(BaseModel):
    """A consistency finding about a document's claims (sums, contradictions, ...)."""

    document: DocumentRef
    kind: str
    severity: str
    message: str
    claim_ids: list[str]
    data: dict[str, Any]


class FindingList(BaseModel):
    items: list[Finding]
    total: int
    limit: int
    offset: int


class UploadResult(BaseModel):
    created: bool = Field(description="false when the store held this content already")
    document: DocumentSummary
    claims: list[ClaimRecord]
    findings: list[dict[str, Any]]
    problems: list[str] = Field(description="non-fatal problems (a verdict or check step)")


class IndicatorInfo(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    name_zh: str
    name_en: str = ""
    unit: str = "other"
    stages: list[str] = []
    direction: str = "none"
    group: str = ""
    synonyms: list[str] = []
    n_claims: int = Field(0, description="current claims in the store with this indicator")


class IndicatorDetail(IndicatorInfo):
    standards: list[dict[str, Any]] = Field(description="national thresholds for it")


class IndicatorList(BaseModel):
    items: list[IndicatorInfo]
    total: int


class RegionInfo(BaseModel):
    name: str
    n_documents: int = Field(description="documents about this region")
    n_claims: int = Field(description="claims about this region")
    year_min: int | None = None
    year_max: int | None = None


class RegionList(BaseModel):
    items: list[RegionInfo]
    total: int


class TrendPoint(BaseModel):
    """The value chosen for one year (see junheng.indicators.compare's selection rule)."""

    year: int
    value: float
    claim_id: str
    doc_key: str
    surface: str
    qualifier: str
    verdict_status: str | None = None
    n_candidates: int = Field(description="claims that stated a value for this year")
    conflict: bool = Field(description="those claims disagree beyond their rounding")


class ScorecardRow(BaseModel):
    indicator: str
    name_zh: str | None = None
    level: str
    area: str | None = None
    unit: str
    kind: str
    latest: ClaimWithDocument
    verdicts: dict[str, int] = Field(description="claims of this row by verdict label")
    trend: list[TrendPoint] = Field(description="latest value per year, oldest first")
    change: Literal["up", "down", "flat"] | None = None
    improving: bool | None = Field(None, description="change read with the indicator's direction")


class Scorecard(BaseModel):
    region: str
    items: list[ScorecardRow]
    total: int


class Series(BaseModel):
    region: str = Field(description="an anonymised region is per document: '**市 [doc id]'")
    level: str
    area: str | None = None
    unit: str
    kind: str
    points: list[TrendPoint]


class ComparePanel(BaseModel):
    indicator: str
    name_zh: str | None = None
    regions: list[str]
    items: list[Series]
    total: int
    missing: list[str] = Field(description="requested regions with no claim of the indicator")


class CVReportOut(BaseModel):
    """Coefficients of variation, school checks and county verdicts of a school table."""

    model_config = ConfigDict(extra="allow")

    source: str
    standards: list[str]
    results: list[dict[str, Any]] = Field(
        description="one row per county, year, stage, indicator: mean, cv, threshold, pass"
    )
    schools: list[dict[str, Any]]
    composites: list[dict[str, Any]]
    counties: list[dict[str, Any]] = Field(description="one verdict per county, year, standard")
    notes: list[str]


class Health(BaseModel):
    status: Literal["ok"]
    store: str
    documents: int
    claims: int
    findings: int
    errors: int
    store_seq: int = Field(description="manifest sequence number the API has loaded")
    extractor_version: str | None = None


class ErrorBody(BaseModel):
    error: str = Field(description="what went wrong, in one sentence")
    status: int
    detail: Any | None = None
