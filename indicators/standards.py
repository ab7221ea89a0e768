"""National standards as typed data: the thresholds of data/standards.yaml.

Every number the project compares against (2017 resource thresholds, CV limits, class sizes,
funding benchmarks ...) lives in the YAML; code asks this module for it, so a corrected figure is
a one-line data change. The loader validates the file strictly: a typo in a field name or an
unknown operator fails loudly instead of silently dropping a threshold.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from junheng.extract.record import UNITS

DATA = Path(__file__).parent / "data" / "standards.yaml"

OPS = ("ge", "le", "gt", "lt", "eq")
STAGES = ("primary", "junior", "both")
THRESHOLD_LEVELS = ("school", "class", "county", "national")
KINDS = ("level", "change")
ROLES = ("requirement", "target", "definition")
CHECKS = ("each", "composite")
STAGE_LEVELS = ("primary", "junior")  # claim levels that name one stage
# Relative tolerance for threshold comparisons: 42 / 1000 * 100 must count as 4.2.
REL_TOL = 1e-9


class StandardsError(ValueError):
    """The standards file is malformed (names the record and the field)."""


@dataclass(frozen=True, slots=True)
class StandardDoc:
    """One normative text (or, for national_reference, a family of them)."""

    id: str
    title_zh: str
    title_en: str
    doc_no: str
    year: int | None
    issuer: str
    priority: int
    source: str | None
    keywords: tuple[str, ...] = ()
    official_url_unfetched: str | None = None


@dataclass(frozen=True, slots=True)
class Threshold:
    """One comparable threshold: `indicator` must be `op value` for `stage` under `standard`."""

    indicator: str
    standard: str
    doc_no: str
    year: int | None
    stage: str
    op: str
    value: float
    unit: str
    measure: str
    level: str
    verified: str
    source: str
    floor: float | None = None
    kind: str = "level"
    role: str = "requirement"
    check: str | None = None
    applies_to: tuple[str, ...] = ()
    also_units: tuple[str, ...] = ()
    target_year: int | None = None
    note: str | None = None
    derived_from: str | None = None
    de_facto_from: int | None = None

    @property
    def direction(self) -> str:
        """higher: larger values are better; lower: smaller are better; none for eq."""
        return {"ge": "higher", "gt": "higher", "le": "lower", "lt": "lower"}.get(self.op, "none")

    @property
    def units(self) -> tuple[str, ...]:
        return (self.unit, *self.also_units)

    def satisfied(self, x: float) -> bool:
        """Whether x meets the threshold (inclusive ops tolerate float noise)."""
        return compare(x, self.op, self.value)

    def margin(self, x: float) -> float:
        """Signed distance to the threshold: positive = on the good side (by direction)."""
        return x - self.value if self.direction != "lower" else self.value - x

    def key(self) -> str:
        return f"{self.standard}:{self.indicator}:{self.stage}"


@dataclass(frozen=True, slots=True)
class CVMethod:
    """How the 差异系数 is computed and compared (population form, enrolment weights)."""

    rounding: int
    inclusive: bool
    near_margin: float
    weights: str
    form: str
    verified: str
    source: str
    test_vector: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SixOfSeven:
    """2017 school rule: at least `min_met` indicators met, the rest >= floor_ratio of threshold."""

    standard: str
    indicators: tuple[str, ...]
    min_met: int
    floor_ratio: float
    source: str


@dataclass(frozen=True, slots=True)
class Composite:
    """2012 composite CV: the mean of the component indicators' CVs."""

    standard: str
    components: tuple[str, ...]
    checks: tuple[dict[str, Any], ...]
    source: str


@dataclass(frozen=True, slots=True)
class Requirement:
    """A qualitative (yes/no) item or a one-vote veto; nothing numeric to compare."""

    id: str
    name_zh: str
    verified: str
    source: str
    standard: str = "quality_balance_2017"
    group: str = "veto"
    item: int | None = None


@dataclass(frozen=True, slots=True)
class Alias:
    """A claim indicator id folded onto a threshold indicator, optionally under conditions."""

    indicator: str
    source_id: str = ""
    stage: str | None = None
    when_unit: str | None = None
    when_level: str | None = None
    when_subject: tuple[str, ...] = ()

    def matches(self, claim: Any) -> bool:
        if claim is None:
            return not (self.when_unit or self.when_level or self.when_subject)
        if self.when_unit and getattr(claim, "unit", None) != self.when_unit:
            return False
        if self.when_level and getattr(claim, "level", None) != self.when_level:
            return False
        subject = getattr(claim, "subject", "") or ""
        return not self.when_subject or any(w in subject for w in self.when_subject)


@dataclass(frozen=True, slots=True)
class Standards:
    """All national standards, with lookups by indicator, stage and standard."""

    documents: dict[str, StandardDoc]
    thresholds: tuple[Threshold, ...]
    cv_method: CVMethod
    six_of_seven: SixOfSeven
    composite_2012: Composite
    aliases: tuple[Alias, ...]
    claim_language: dict[str, tuple[str, ...]]
    requirements: tuple[Requirement, ...]
    vetoes: tuple[Requirement, ...]
    verification: dict[str, str]

    def resolve(self, indicator: str, claim: Any = None) -> Alias:
        """Fold a claim's indicator id (cv_primary, ...per100) onto the threshold id.

        With a claim, conditional rules apply too (large_class_count in percent is a share).
        """
        for alias in self.aliases:
            if alias.source_id == indicator and alias.matches(claim):
                return alias
        return Alias(indicator, indicator)

    def indicators(self) -> set[str]:
        return {t.indicator for t in self.thresholds}

    def find(
        self,
        indicator: str,
        stage: str | None = None,
        standard: str | None = None,
        roles: Iterable[str] | None = None,
        claim: Any = None,
    ) -> list[Threshold]:
        """Thresholds of an indicator, best first.

        stage primary/junior keeps records of that stage and stage-independent ones ("both");
        None keeps all. Order: exact stage, requirement before target before definition,
        document priority (2017 before 2012 before other national figures), file order.
        """
        ind = self.resolve(indicator, claim).indicator
        roles = tuple(roles) if roles is not None else ROLES
        found = [
            t
            for t in self.thresholds
            if t.indicator == ind
            and (standard is None or t.standard == standard)
            and (stage is None or t.stage in (stage, "both"))
            and t.role in roles
        ]
        return sorted(found, key=lambda t: self._rank(t, stage))

    def lookup(
        self, indicator: str, stage: str, standard: str | None = None, roles: Iterable[str] = ROLES
    ) -> Threshold | None:
        """The one threshold that applies to (indicator, stage[, standard]), or None."""
        found = self.find(indicator, stage, standard, roles)
        return found[0] if found else None

    def cv_limit(self, stage: str, standard: str = "quality_balance_2017") -> Threshold:
        """The CV limit of a stage (2017: per indicator; 2012: composite)."""
        t = self.lookup("cv", stage, standard)
        if t is None:
            raise KeyError(f"no CV limit for stage {stage!r} in {standard!r}")
        return t

    def _rank(self, t: Threshold, stage: str | None) -> tuple[int, int, int, int]:
        exact = 0 if stage is not None and t.stage == stage else 1
        doc = self.documents[t.standard]
        return (exact, ROLES.index(t.role), doc.priority, self.thresholds.index(t))


def compare(x: float, op: str, value: float) -> bool:
    """x op value, with a relative tolerance for the inclusive and equality operators."""
    tol = REL_TOL * max(1.0, abs(value))
    if op == "ge":
        return x >= value - tol
    if op == "le":
        return x <= value + tol
    if op == "gt":
        return x > value + tol
    if op == "lt":
        return x < value - tol
    if op == "eq":
        return math.isclose(x, value, rel_tol=REL_TOL, abs_tol=REL_TOL)
    raise ValueError(f"unknown operator {op!r}")


def claim_stage(claim: Any, standards: Standards | None = None) -> str | None:
    """primary / junior when the claim names one stage (by level or by its indicator id)."""
    std = standards or load_standards()
    implied = std.resolve(getattr(claim, "indicator", "") or "", claim).stage
    level = getattr(claim, "level", None)
    if level in STAGE_LEVELS:
        return level
    return implied


def standards_for_claim(claim: Any, standards: Standards | None = None) -> list[Threshold]:
    """Every threshold that bears on a claim's indicator, best first.

    A claim of one stage gets that stage's records and the stage-independent ones; a claim of
    mixed or unnamed stage (compulsory, all, ...) gets all records of its indicator, so callers
    can explain that the standard differs by stage.
    """
    std = standards or load_standards()
    return std.find(getattr(claim, "indicator", "") or "", claim_stage(claim, std), claim=claim)


# ----------------------------------------------------------------------------- loading


def _build(cls: type, raw: dict[str, Any], where: str, **extra: Any) -> Any:
    names = {f.name for f in fields(cls)}
    unknown = set(raw) - names
    if unknown:
        raise StandardsError(f"{where}: unknown field(s) {sorted(unknown)}")
    kwargs = {**raw, **extra}
    for k, v in list(kwargs.items()):
        if isinstance(v, list):
            kwargs[k] = tuple(v)
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise StandardsError(f"{where}: {exc}") from None


def _threshold(raw: dict[str, Any], docs: dict[str, StandardDoc], tags: set[str], i: int):
    where = f"thresholds[{i}] ({raw.get('indicator', '?')})"
    doc = docs.get(raw.get("standard", ""))
    if doc is None:
        raise StandardsError(f"{where}: unknown standard {raw.get('standard')!r}")
    raw = dict(raw)
    raw.setdefault("doc_no", doc.doc_no)
    raw.setdefault("year", doc.year)
    checks = {
        "op": OPS,
        "stage": STAGES,
        "level": THRESHOLD_LEVELS,
        "kind": KINDS,
        "role": ROLES,
        "verified": tuple(tags),
    }
    for name, allowed in checks.items():
        if name in raw and raw[name] not in allowed:
            raise StandardsError(f"{where}: {name}={raw[name]!r} not in {list(allowed)}")
    for u in [raw.get("unit"), *raw.get("also_units", [])]:
        if u not in UNITS:
            raise StandardsError(f"{where}: unit {u!r} is not a claim unit {list(UNITS)}")
    if "check" in raw and raw["check"] not in CHECKS:
        raise StandardsError(f"{where}: check={raw['check']!r} not in {list(CHECKS)}")
    if not isinstance(raw.get("value"), int | float) or isinstance(raw.get("value"), bool):
        raise StandardsError(f"{where}: value must be a number, got {raw.get('value')!r}")
    if raw.get("role") == "target" and not raw.get("target_year"):
        raise StandardsError(f"{where}: a target needs target_year")
    raw["value"] = float(raw["value"])
    if raw.get("floor") is not None:
        raw["floor"] = float(raw["floor"])
    return _build(Threshold, raw, where)


def parse_standards(data: dict[str, Any]) -> Standards:
    """Build and validate Standards from the parsed YAML mapping."""
    if data.get("schema") != 1:
        raise StandardsError(f"unsupported schema {data.get('schema')!r} (expected 1)")
    tags = dict(data["verification"])
    docs = {
        d["id"]: _build(StandardDoc, d, f"documents ({d.get('id')})") for d in data["documents"]
    }
    thresholds = tuple(_threshold(t, docs, set(tags), i) for i, t in enumerate(data["thresholds"]))
    cvm = {k: v for k, v in data["cv_method"].items() if k != "name_zh"}
    rules = data["rules"]
    six = {k: v for k, v in rules["six_of_seven"].items() if k not in ("name_zh", "every_school")}
    six.pop("verified", None)
    comp = {
        k: v
        for k, v in rules["composite_2012"].items()
        if k not in ("name_zh", "aggregation", "verified")
    }
    aliases = tuple(
        _build(
            Alias,
            {k: v for k, v in a.items() if k != "from"},
            f"aliases[{i}]",
            source_id=a.get("from", ""),
        )
        for i, a in enumerate(data.get("aliases") or [])
    )
    lang = {k: tuple(v) for k, v in (data.get("claim_language") or {}).items()}
    reqs = tuple(
        _build(Requirement, r, f"requirements ({r.get('id')})") for r in data["requirements"]
    )
    vetoes = tuple(_build(Requirement, r, f"vetoes ({r.get('id')})") for r in data["vetoes"])
    std = Standards(
        documents=docs,
        thresholds=thresholds,
        cv_method=_build(CVMethod, cvm, "cv_method"),
        six_of_seven=_build(SixOfSeven, six, "rules.six_of_seven"),
        composite_2012=_build(Composite, comp, "rules.composite_2012"),
        aliases=aliases,
        claim_language=lang,
        requirements=reqs,
        vetoes=vetoes,
        verification=tags,
    )
    _check_rules(std)
    return std


def _check_rules(std: Standards) -> None:
    """Cross-checks: each rule indicator has its thresholds; every CV limit exists."""
    six = std.six_of_seven
    for ind in six.indicators:
        for stage in STAGE_LEVELS:
            t = std.lookup(ind, stage, six.standard)
            if t is None:
                raise StandardsError(f"six_of_seven: no {stage} threshold for {ind}")
            if t.floor is None:
                raise StandardsError(f"six_of_seven: {t.key()} has no floor")
    for stage in STAGE_LEVELS:
        std.cv_limit(stage, six.standard)
        std.cv_limit(stage, std.composite_2012.standard)
    known = std.indicators()
    for alias in std.aliases:
        if not alias.source_id:
            raise StandardsError(f"aliases: a rule for {alias.indicator!r} lacks 'from'")
        if alias.stage is not None and alias.stage not in STAGE_LEVELS:
            raise StandardsError(f"aliases ({alias.source_id}): stage {alias.stage!r}")
        if alias.indicator not in known:
            raise StandardsError(
                f"aliases ({alias.source_id}): no threshold for {alias.indicator!r}"
            )


def load_standards(path: str | Path | None = None) -> Standards:
    """Load the bundled standards (cached) or a given YAML file."""
    if path is None:
        return _default()
    with open(path, encoding="utf-8") as fh:
        return parse_standards(yaml.safe_load(fh))


@lru_cache(maxsize=1)
def _default() -> Standards:
    with open(DATA, encoding="utf-8") as fh:
        return parse_standards(yaml.safe_load(fh))
