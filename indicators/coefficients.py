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
SHOW_FAILING = 5  # failing schools named in a county's reasons
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
        """JSON-ready dict: results, schools, counties (+ composites, standards, notes).

        Each school carries its indicator values under "values" unless include_values is False.
        """
        rule_cols = ["county", "year", "school", "stage", "row", "students", "indicators_met",
                     "pass", "unmet", "below_floor"]  # fmt: skip
        schools = _records(self.schools[rule_cols])
        if include_values:
            inds = [c for c in self.schools.columns if c not in rule_cols]
            cols = [_floats(self.schools[c]) for c in inds]
            for rec, vals in zip(schools, zip(*cols, strict=True), strict=True):
                rec["values"] = dict(zip(inds, vals, strict=True))
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
    import pandas as pd

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
    results["indicator"] = pd.Series(
        np.tile(np.array(indicators, dtype=object), n_groups), dtype=object
    )
    results["schools"] = np.repeat(n_schools, k)
    results["students"] = np.repeat(sw, k)
    results["mean"] = np.column_stack(means).ravel() if k else []
    results["cv"] = np.column_stack(cvs).ravel() if k else []
    results = _judge_cvs(results, std, has_2017)

    # ---- per school, 2017 six-of-seven rule
    schools = _schools(df, stage_arr, std, apply_rule=has_2017)

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
    """Group codes of (county, year, stage) rows and the key frame.

    Order: counties as they first appear in the table, then year, then primary before junior.
    """
    import pandas as pd

    county_code, counties = pd.factorize(df["county"])
    frame = pd.DataFrame({"c": county_code, "year": df["year"], "stage": df["stage"]})
    grouped = frame.groupby(["c", "year", "stage"], sort=True, observed=True)
    codes = grouped.ngroup().to_numpy()
    keys = grouped.size().reset_index()
    out = pd.DataFrame(
        {
            "county": pd.Series(
                counties.to_numpy(dtype=object)[keys["c"].to_numpy()], dtype=object
            ),
            "year": keys["year"].to_numpy(),
            "stage": pd.Series(keys["stage"].astype(str).to_numpy(dtype=object), dtype=object),
        }
    )
    return codes, out


def _judge_cvs(results: pd.DataFrame, std: Standards, has_2017: bool) -> pd.DataFrame:
    """Attach the 2017 per-indicator limit (where it applies) and the pass/fail of each CV."""
    import numpy as np
    import pandas as pd

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
    results["pass"] = pd.Series(
        [bool(o) if a else None for a, o in zip(applies.tolist(), ok.tolist(), strict=True)],
        dtype=object,
    )
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


def _schools(
    df: pd.DataFrame, stage_arr: np.ndarray, std: Standards, apply_rule: bool
) -> pd.DataFrame:
    """The six-of-seven rule for every school section, vectorised over the indicator matrix.

    Columns: county, year, school, stage, row, students, indicators_met, pass, unmet,
    below_floor and one column per indicator value. Without the 2017 columns (a 2012-only
    table) the rule columns are empty.
    """
    import numpy as np
    import pandas as pd

    n = len(df)
    out = pd.DataFrame(
        {
            "county": pd.Series(df["county"].to_numpy(dtype=object), dtype=object),
            "year": df["year"].to_numpy(),
            "school": pd.Series(df["school"].to_numpy(dtype=object), dtype=object),
            "stage": pd.Series(stage_arr, dtype=object),
            "row": df["row"].to_numpy(),
            "students": df["students"].to_numpy(),
        }
    )
    if apply_rule:
        six = std.six_of_seven
        inds = list(six.indicators)
        values = df[inds].to_numpy(dtype=float)
        met = np.zeros((n, len(inds)), bool)
        above_floor = np.zeros((n, len(inds)), bool)
        for s in STAGES:
            sel = stage_arr == s
            if not sel.any():
                continue
            for j, ind in enumerate(inds):
                t = std.lookup(ind, s, six.standard)
                met[sel, j] = _compare(values[sel, j], t.op, t.value)
                above_floor[sel, j] = _compare(values[sel, j], t.op, t.floor)
        ok = met | above_floor
        n_met = met.sum(axis=1)
        out["indicators_met"] = n_met
        out["pass"] = (n_met >= six.min_met) & ok.all(axis=1)
        out["unmet"] = _name_lists(~met, inds)
        out["below_floor"] = _name_lists(~ok, inds)
    else:
        for col in ("indicators_met", "pass", "unmet", "below_floor"):
            out[col] = None
    for ind in _value_columns(df):
        out[ind] = df[ind].to_numpy(dtype=float)
    return out


def _value_columns(df: pd.DataFrame) -> list[str]:
    return list(df.columns[df.columns.get_loc("row") + 1 :])


def _name_lists(mask: np.ndarray, names: list[str]) -> list[list[str]]:
    """Per row, the names whose mask bit is set; via a bit code so each pattern is built once."""
    import numpy as np

    if mask.shape[0] == 0:
        return []
    code = mask.astype(np.int64) @ (1 << np.arange(mask.shape[1], dtype=np.int64))
    lists = {int(c): [nm for j, nm in enumerate(names) if c >> j & 1] for c in np.unique(code)}
    return [lists[c] for c in code.tolist()]


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


def _grouped(df: pd.DataFrame, cols: list[str]) -> dict[tuple[Any, Any], list[tuple]]:
    """Rows of df as tuples of `cols`, grouped by (county, year), in one pass."""
    out: dict[tuple[Any, Any], list[tuple]] = {}
    arrays = [df[c].to_numpy(dtype=object).tolist() for c in ["county", "year", *cols]]
    for county, year, *rest in zip(*arrays, strict=True):
        out.setdefault((county, year), []).append(tuple(rest))
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
    stages_of: dict[tuple[Any, Any], set[str]] = {}
    for county, year, stage in zip(
        keys["county"].tolist(), keys["year"].tolist(), keys["stage"].tolist(), strict=True
    ):
        stages_of.setdefault((county, year), set()).add(stage)
    if has_2017:
        failing = schools[~schools["pass"].astype(bool)]
        n_failing_of = failing.groupby(["county", "year"], sort=False).size().to_dict()
        failing_of = _grouped(
            failing.groupby(["county", "year"], sort=False).head(SHOW_FAILING), ["school", "stage"]
        )
        judged = results[results["pass"].notna()]
        bad_of = _grouped(
            judged[~judged["pass"].astype(bool)], ["stage", "indicator", "cv", "cv_rounded",
                                                   "threshold"]
        )  # fmt: skip
        n_checks_of = judged.groupby(["county", "year"], sort=False).size().to_dict()
        n_schools_of = schools.groupby(["county", "year"], sort=False).size().to_dict()
    if has_2012:
        comp_of = _grouped(
            composites, ["stage", "composite", "composite_rounded", "threshold", "pass"]
        )
    six, comp_std = std.six_of_seven.standard, std.composite_2012.standard
    verdicts: list[dict[str, Any]] = []
    for (county, year), stages in stages_of.items():
        missing = [s for s in STAGES if s not in stages]
        assessed = [s for s in STAGES if s in stages]
        not_assessed = [f"no {s} schools in the table: {s} not assessed" for s in missing]
        if has_2017:
            n_total = int(n_schools_of[(county, year)])
            n_failing = int(n_failing_of.get((county, year), 0))
            failing = [
                f"{school} ({stage})" for school, stage in failing_of.get((county, year), [])
            ]
            bad = bad_of.get((county, year), [])
            n_checks = int(n_checks_of.get((county, year), 0))
            if n_failing:
                shown = ", ".join(failing) + (" …" if n_failing > len(failing) else "")
                reasons = [
                    f"{n_failing} of {n_total} school sections fail the six-of-seven rule: {shown}"
                ]
            else:
                reasons = [f"all {n_total} school sections pass the six-of-seven rule"]
            for stage, indicator, cv, rounded, limit in bad:
                if cv is None or math.isnan(cv):
                    reasons.append(f"{stage} {indicator}: CV undefined (mean 0)")
                else:
                    reasons.append(f"{stage} {indicator}: CV {rounded:.3f} > {limit:g}")
            if not bad:
                reasons.append(f"all {n_checks} indicator CVs within limits")
            verdicts.append(
                {
                    "county": county,
                    "year": int(year),
                    "standard": six,
                    "doc_no": std.documents[six].doc_no,
                    "pass": not n_failing and not bad and not missing,
                    "schools": n_total,
                    "schools_failing": n_failing,
                    "cv_checks": n_checks,
                    "cv_failing": len(bad),
                    "stages_assessed": assessed,
                    "reasons": reasons + not_assessed,
                    "scope": "resource allocation only (six-of-seven rule and 14 CVs); "
                    "government guarantee, quality and social recognition not assessed",
                }
            )
        if has_2012:
            rows = comp_of[(county, year)]
            reasons = []
            for stage, value, rounded, limit, ok in rows:
                if value is None or math.isnan(value):
                    reasons.append(f"{stage} composite CV undefined (a component mean is 0)")
                else:
                    rel = "<=" if ok else ">"
                    reasons.append(f"{stage} composite CV {rounded:.3f} {rel} {limit:g}")
            verdicts.append(
                {
                    "county": county,
                    "year": int(year),
                    "standard": comp_std,
                    "doc_no": std.documents[comp_std].doc_no,
                    "pass": all(bool(r[4]) for r in rows) and not missing,
                    "stages_assessed": assessed,
                    "reasons": reasons + not_assessed,
                    "scope": "composite CV only; provincial school standard, government work "
                    "score and public satisfaction not assessed",
                }
            )
    return verdicts


def _floats(s: pd.Series) -> list[float | None]:
    return [None if v != v else v for v in s.to_numpy(dtype=float).tolist()]


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-safe dicts (NaN -> None, numpy scalars -> Python)."""
    if df.empty:
        return []
    cols = []
    for c in df.columns:
        s = df[c]
        if s.dtype.kind == "f":
            cols.append(_floats(s))
        elif s.dtype.kind in "iub":
            cols.append(s.to_numpy().tolist())
        else:
            vals = s.to_numpy(dtype=object).tolist()
            if not set(map(type, vals)) <= _PLAIN_TYPES:
                vals = [_plain(v) for v in vals]
            cols.append(vals)
    names = list(df.columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*cols, strict=True)]


_PLAIN_TYPES = {str, list, bool, int, type(None)}


def _plain(v: Any) -> Any:
    if v is None or isinstance(v, str | bool | int | list):
        return v
    if isinstance(v, float):
        return None if v != v else v
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return _plain(v.item()) if hasattr(v, "item") else v
