"""The claim record of ../shared/CLAIMS.md, as one typed dataclass.

Every export (JSONL, CSV), the store and the API use this record; the field order below is the
order of CLAIMS.md followed by the fields junheng adds (id, duplicate_of, sentence offsets,
document year, verdict).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

UNITS = (
    "school",
    "count",
    "person",
    "person_time",
    "CNY",
    "percent",
    "percentage_point",
    "m2",
    "coefficient",
    "multiple",
    "year",
    "rank",
    "other",
)
QUALIFIERS = ("eq", "ge", "gt", "le", "lt", "approx", "target")
KINDS = ("level", "change", "growth_rate", "share", "threshold")
LEVELS = (
    "primary",
    "junior",
    "compulsory",
    "preschool",
    "senior",
    "vocational",
    "special",
    "higher",
    "k12",
    "all",
)
AREAS = ("urban", "rural")


@dataclass(slots=True)
class Claim:
    """One quantitative claim, grounded by character offsets into the ORIGINAL document text."""

    doc: str
    start: int
    end: int
    surface: str
    subject: str = ""
    value: float | None = None
    value_low: float | None = None
    value_high: float | None = None
    unit: str = "other"
    qualifier: str = "eq"
    kind: str = "level"
    time: str | None = None
    region: str | None = None
    level: str = "all"
    area: str | None = None
    indicator: str = "other"
    # junheng additions (the scorer ignores unknown fields)
    about: str | None = None  # for a coefficient (差异系数): the indicator whose spread it measures
    id: str = ""
    duplicate_of: str | None = None
    sentence_start: int | None = None
    sentence_end: int | None = None
    doc_year: int | None = None
    verdict: dict[str, Any] | None = field(default=None)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = claim_id(self.doc, self.start, self.end)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Claim:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


CLAIM_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Claim))


def claim_id(doc: str, start: int, end: int) -> str:
    """Stable id of a claim: the document and its span."""
    return f"{doc}:{start}-{end}"
