"""Inter-school balance of a school table: per-school compliance and the official 差异系数.

For every (county, year, stage, indicator) the coefficient of variation is the enrolment-weighted
population form of the national method (CV = S / X̄ with X̄ = Σ P·X / Σ P and
S = sqrt(Σ P·(X − X̄)² / Σ P)); unweighted or n−1 variants give different answers and are wrong.
Everything is vectorised over all groups at once (numpy bincount on group codes), so 100k school
rows across many counties and years take a fraction of a second.

Thresholds, floors, the six-of-seven rule, rounding and the composite rule all come from
data/standards.yaml through junheng.indicators.standards.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from junheng.indicators.standards import REL_TOL, Standards, load_standards

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from junheng.indicators.schools import SchoolTable

STAGES = ("primary", "junior")
GROUP = ["county", "year", "stage"]


def weighted_cv(pupils: Sequence[float], values: Sequence[float]) -> float:
    """The official CV of one indicator across schools (population form, enrolment weights).

    Returns 0.0 for a single school and NaN when the weighted mean is 0 (CV undefined).
    """
    total = float(sum(pupils))
    if total <= 0:
        raise ValueError("total enrolment must be positive")
    mean = sum(p * x for p, x in zip(pupils, values, strict=True)) / total
    if mean == 0:
        return math.nan
    var = sum(p * (x - mean) ** 2 for p, x in zip(pupils, values, strict=True)) / total
    return math.sqrt(var) / mean


def round_half_up(x: Any, digits: int) -> Any:
    """Round as published tables do (0.4445 -> 0.445), tolerant of binary noise; NaN stays NaN."""
    import numpy as np

    scale = 10.0**digits
    return np.floor(np.asarray(x, dtype=float) * scale + 0.5 + 1e-9) / scale


def _compare(x: Any, op: str, value: Any) -> Any:
    """Vectorised threshold comparison with the same tolerance as standards.compare."""
    import numpy as np

    value = np.asarray(value, dtype=float)
    tol = REL_TOL * np.maximum(1.0, np.abs(value))
    if op == "ge":
        return x >= value - tol
    if op == "le":
        return x <= value + tol
    if op == "gt":
        return x > value + tol
    if op == "lt":
        return x < value - tol
    return np.abs(x - value) <= tol


@dataclass(slots=True)
class CVReport:
    """Everything computed from one school table.

    results     one row per (county, year, stage, indicator): mean, cv, cv_rounded, threshold, pass
    schools     one row per school section: indicators met, unmet, below floor, pass (2017 rule)
    composites  2012 composite CV per (county, year, stage), when the table has the 2012 columns
    counties    one verdict per (county, year, standard) with reasons
    """

    results: pd.DataFrame
    schools: pd.DataFrame
    composites: pd.DataFrame
    counties: list[dict[str, Any]]
    standards: tuple[str, ...]
    source: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self, include_values: bool = True) -> dict[str, Any]:
        """JSON-ready dict: results, schools, counties (+ composites, standards, notes)."""
        schools = _records(self.schools.drop(columns=["values"] if not include_values else []))
        return {
            "source": self.source,
            "standards": list(self.standards),
            "results": _records(self.results),
            "schools": schools,
            "composites": _records(self.composites),
            "counties": self.counties,
            "notes": list(self.notes),
        }


def compute(table: SchoolTable, standards: Standards | None = None) -> CVReport:
    """Per-school rule, per-indicator CVs, 2012 composites and county verdicts for a table."""
    import numpy as np

    std = standards or load_standards()
    df = table.frame
    codes, keys = _groups(df)
    stage_arr = df["stage"].astype(str).to_numpy()
    weights = df["students"].to_numpy(dtype=float)

    six = std.six_of_seven
    has_2017 = six.standard in table.standards
    has_2012 = std.composite_2012.standard in table.standards
    indicators = [i for i in table.indicators]

    # ---- CVs for every available indicator, all groups at once
    n_groups = len(keys)
    sw = np.bincount(codes, weights=weights, minlength=n_groups)
    n_schools = np.bincount(codes, minlength=n_groups)
    means, cvs = [], []
    for ind in indicators:
        x = df[ind].to_numpy(dtype=float)
        mean = np.bincount(codes, weights=weights * x, minlength=n_groups) / sw
        dev = x - mean[codes]
        var = np.bincount(codes, weights=weights * dev * dev, minlength=n_groups) / sw
        with np.errstate(divide="ignore", invalid="ignore"):
            cv = np.where(mean != 0, np.sqrt(var) / mean, np.nan)
        means.append(mean)
        cvs.append(cv)
    cv_by_ind = dict(zip(indicators, cvs, strict=True))
    k = len(indicators)
    results = keys.iloc[np.repeat(np.arange(n_groups), k)].reset_index(drop=True)
    results["indicator"] = np.tile(np.array(indicators, dtype=object), n_groups)
    results["schools"] = np.repeat(n_schools, k)
    results["students"] = np.repeat(sw, k)
    results["mean"] = np.column_stack(means).ravel() if k else []
    results["cv"] = np.column_stack(cvs).ravel() if k else []
    results = _judge_cvs(results, std, has_2017)

    # ---- per school, 2017 six-of-seven rule
    schools = _schools(df, stage_arr, std) if has_2017 else _schools_plain(df)

    # ---- 2012 composite
    composites = _composites(keys, cv_by_ind, std) if has_2012 else _empty_composites()

    counties = _county_verdicts(keys, results, schools, composites, std, has_2017, has_2012)
    return CVReport(
        results=results,
        schools=schools,
        composites=composites,
        counties=counties,
        standards=table.standards,
        source=table.source,
        notes=table.notes,
    )


def _groups(df: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Group codes of (county, year, stage) rows and the key frame, in sorted order."""
    grouped = df.groupby(GROUP, sort=True, observed=True)
    codes = grouped.ngroup().to_numpy()
    keys = grouped.size().reset_index()[GROUP]
    keys["stage"] = keys["stage"].astype(str)
    return codes, keys


def _judge_cvs(results: pd.DataFrame, std: Standards, has_2017: bool) -> pd.DataFrame:
    """Attach the 2017 per-indicator limit (where it applies) and the pass/fail of each CV."""
    import numpy as np

    m = std.cv_method
    limits = {s: std.cv_limit(s, std.six_of_seven.standard) for s in STAGES}
    covered = set(limits["primary"].applies_to)
    applies = results["indicator"].isin(covered).to_numpy() & has_2017
    thr = results["stage"].map({s: t.value for s, t in limits.items()}).to_numpy(dtype=float)
    thr = np.where(applies, thr, np.nan)
    cv = results["cv"].to_numpy(dtype=float)
    rounded = round_half_up(cv, m.rounding)
    ok = np.zeros(len(results), bool)
    for s, t in limits.items():
        sel = (results["stage"] == s).to_numpy()
        ok[sel] = _compare(rounded[sel], t.op, t.value)
    ok &= ~np.isnan(cv)
    results["cv_rounded"] = rounded
    results["threshold"] = thr
    results["pass"] = np.where(applies, ok, None)
    results["near_threshold"] = applies & (np.abs(cv - thr) < m.near_margin)
    results["standard"] = np.where(applies, std.six_of_seven.standard, std.composite_2012.standard)
    note = np.full(len(results), None, dtype=object)
    note[(results["schools"] == 1).to_numpy()] = "one school: CV is 0"
    note[np.isnan(cv)] = "mean is 0 (no school has this resource): CV undefined"
    results["note"] = note
    cols = [
        "county", "year", "stage", "indicator", "standard", "schools", "students", "mean", "cv",
        "cv_rounded", "threshold", "pass", "near_threshold", "note",
    ]  # fmt: skip
    return results[cols]


def _schools(df: pd.DataFrame, stage_arr: np.ndarray, std: Standards) -> pd.DataFrame:
    """The six-of-seven rule for every school section, vectorised over the indicator matrix."""
    import numpy as np
    import pandas as pd

    six = std.six_of_seven
    inds = list(six.indicators)
    values = df[inds].to_numpy(dtype=float)
    n = len(df)
    met = np.zeros((n, len(inds)), bool)
    above_floor = np.zeros((n, len(inds)), bool)
    thresholds = np.zeros((n, len(inds)))
    for s in STAGES:
        sel = stage_arr == s
        if not sel.any():
            continue
        for j, ind in enumerate(inds):
            t = std.lookup(ind, s, six.standard)
            met[sel, j] = _compare(values[sel, j], t.op, t.value)
            above_floor[sel, j] = _compare(values[sel, j], t.op, t.floor)
            thresholds[sel, j] = t.value
    n_met = met.sum(axis=1)
    passes = (n_met >= six.min_met) & (met | above_floor).all(axis=1)
    names = np.array(inds, dtype=object)
    unmet = [list(names[~row]) for row in met] if n else []
    below = [list(names[~row]) for row in (met | above_floor)] if n else []
    out = pd.DataFrame(
        {
            "county": df["county"].to_numpy(),
            "year": df["year"].to_numpy(),
            "school": df["school"].to_numpy(),
            "stage": stage_arr,
            "row": df["row"].to_numpy(),
            "students": df["students"].to_numpy(),
            "indicators_met": n_met,
            "pass": passes,
            "unmet": unmet,
            "below_floor": below,
        }
    )
    out["values"] = _value_dicts(df, list(df.columns[df.columns.get_loc("row") + 1 :]))
    return out


def _schools_plain(df: pd.DataFrame) -> pd.DataFrame:
    """School rows without the 2017 rule (a 2012-only table)."""
    import pandas as pd

    out = pd.DataFrame(
        {
            "county": df["county"].to_numpy(),
            "year": df["year"].to_numpy(),
            "school": df["school"].to_numpy(),
            "stage": df["stage"].astype(str).to_numpy(),
            "row": df["row"].to_numpy(),
            "students": df["students"].to_numpy(),
            "indicators_met": None,
            "pass": None,
            "unmet": None,
            "below_floor": None,
        }
    )
    out["values"] = _value_dicts(df, list(df.columns[df.columns.get_loc("row") + 1 :]))
    return out


def _value_dicts(df: pd.DataFrame, inds: list[str]) -> list[dict[str, float]]:
    cols = [df[i].to_numpy(dtype=float).tolist() for i in inds]
    return [dict(zip(inds, vals, strict=True)) for vals in zip(*cols, strict=True)]


def _empty_composites() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        columns=["county", "year", "stage", "standard", "composite", "composite_rounded",
                 "threshold", "pass", "components"]
    )  # fmt: skip


def _composites(keys: pd.DataFrame, cvs: dict[str, np.ndarray], std: Standards) -> pd.DataFrame:
    """2012: mean of the component CVs per (county, year, stage) against 0.65 / 0.55."""
    import numpy as np

    comp = std.composite_2012
    matrix = np.column_stack([cvs[c] for c in comp.components])
    composite = matrix.mean(axis=1)  # NaN if any component CV is undefined
    rounded = round_half_up(composite, std.cv_method.rounding)
    limits = {s: std.cv_limit(s, comp.standard) for s in STAGES}
    thr = keys["stage"].map({s: t.value for s, t in limits.items()}).to_numpy(dtype=float)
    ok = np.zeros(len(keys), bool)
    for s, t in limits.items():
        sel = (keys["stage"] == s).to_numpy()
        ok[sel] = _compare(rounded[sel], t.op, t.value)
    out = keys.copy()
    out["standard"] = comp.standard
    out["composite"] = composite
    out["composite_rounded"] = rounded
    out["threshold"] = thr
    out["pass"] = ok & ~np.isnan(composite)
    out["components"] = [dict(zip(comp.components, row.tolist(), strict=True)) for row in matrix]
    return out


def _county_verdicts(
    keys: pd.DataFrame,
    results: pd.DataFrame,
    schools: pd.DataFrame,
    composites: pd.DataFrame,
    std: Standards,
    has_2017: bool,
    has_2012: bool,
) -> list[dict[str, Any]]:
    """One verdict per (county, year, standard), with reasons a reader can check."""
    verdicts: list[dict[str, Any]] = []
    cy = keys[["county", "year"]].drop_duplicates().itertuples(index=False, name=None)
    present = keys.groupby(["county", "year"], sort=False)["stage"].agg(set).to_dict()
    if has_2017:
        fails = _school_failures(schools)
        cv_rows = results[results["pass"].notna()]
        bad_cv = cv_rows[cv_rows["pass"] == False]  # noqa: E712 (object column of bools)
        bad_by_cy = {k: g for k, g in bad_cv.groupby(["county", "year"], sort=False)}
        checks_by_cy = cv_rows.groupby(["county", "year"], sort=False).size().to_dict()
        counts = schools.groupby(["county", "year"], sort=False).size().to_dict()
    cy = list(cy)
    comp_by_cy = (
        {k: g for k, g in composites.groupby(["county", "year"], sort=False)} if has_2012 else {}
    )
    six = std.six_of_seven
    for county, year in cy:
        stages = present[(county, year)]
        missing = [s for s in STAGES if s not in stages]
        if has_2017:
            reasons: list[str] = []
            n_total = int(counts[(county, year)])
            failing = fails.get((county, year), [])
            bad = bad_by_cy.get((county, year))
            n_checks = int(checks_by_cy.get((county, year), 0))
            n_bad = 0 if bad is None else len(bad)
            if failing:
                shown = ", ".join(failing[:5]) + (" …" if len(failing) > 5 else "")
                reasons.append(
                    f"{len(failing)} of {n_total} school sections fail the six-of-seven rule: "
                    f"{shown}"
                )
            else:
                reasons.append(f"all {n_total} school sections pass the six-of-seven rule")
            if bad is not None:
                for r in bad.itertuples(index=False):
                    if math.isnan(r.cv):
                        reasons.append(f"{r.stage} {r.indicator}: CV undefined (mean 0)")
                    else:
                        reasons.append(
                            f"{r.stage} {r.indicator}: CV {r.cv_rounded:.3f} > {r.threshold:g}"
                        )
            else:
                reasons.append(f"all {n_checks} indicator CVs within limits")
            for s in missing:
                reasons.append(f"no {s} schools in the table: {s} not assessed")
            verdicts.append(
                {
                    "county": county,
                    "year": int(year),
                    "standard": six.standard,
                    "doc_no": std.documents[six.standard].doc_no,
                    "pass": not failing and n_bad == 0 and not missing,
                    "schools": n_total,
                    "schools_failing": len(failing),
                    "cv_checks": n_checks,
                    "cv_failing": n_bad,
                    "stages_assessed": [s for s in STAGES if s in stages],
                    "reasons": reasons,
                    "scope": "resource allocation only (six-of-seven rule and 14 CVs); "
                    "government guarantee, quality and social recognition not assessed",
                }
            )
        if has_2012:
            g = comp_by_cy[(county, year)]
            reasons = []
            for stage, value, rounded, limit, ok in zip(
                g["stage"],
                g["composite"],
                g["composite_rounded"],
                g["threshold"],
                g["pass"],
                strict=True,
            ):
                if math.isnan(value):
                    reasons.append(f"{stage} composite CV undefined (a component mean is 0)")
                else:
                    rel = "<=" if ok else ">"
                    reasons.append(f"{stage} composite CV {rounded:.3f} {rel} {limit:g}")
            for s in missing:
                reasons.append(f"no {s} schools in the table: {s} not assessed")
            comp = std.composite_2012.standard
            verdicts.append(
                {
                    "county": county,
                    "year": int(year),
                    "standard": comp,
                    "doc_no": std.documents[comp].doc_no,
                    "pass": bool(g["pass"].all()) and not missing,
                    "stages_assessed": [s for s in STAGES if s in stages],
                    "reasons": reasons,
                    "scope": "composite CV only; provincial school standard, government work "
                    "score and public satisfaction not assessed",
                }
            )
    return verdicts


def _school_failures(schools: pd.DataFrame) -> dict[tuple[Any, Any], list[str]]:
    bad = schools[~schools["pass"].astype(bool)]
    out: dict[tuple[Any, Any], list[str]] = {}
    for county, year, school, stage in zip(
        bad["county"], bad["year"], bad["school"], bad["stage"], strict=True
    ):
        out.setdefault((county, year), []).append(f"{school} ({stage})")
    return out


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-safe dicts (NaN -> None, numpy scalars -> Python)."""
    if df.empty:
        return []
    cols = {}
    for c in df.columns:
        s = df[c]
        if s.dtype.kind == "f":
            arr = s.to_numpy()
            cols[c] = [None if v != v else v for v in arr.tolist()]
        elif s.dtype.kind in "iub":
            cols[c] = s.to_numpy().tolist()
        else:
            cols[c] = [_plain(v) for v in s.tolist()]
    names = list(cols)
    return [dict(zip(names, row, strict=True)) for row in zip(*cols.values(), strict=True)]


def _plain(v: Any) -> Any:
    if isinstance(v, float) and v != v:
        return None
    if hasattr(v, "item") and not isinstance(v, list | dict | str):
        return _plain(v.item())
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v
