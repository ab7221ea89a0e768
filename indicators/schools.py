"""School tables: one row per school section, read from CSV, XLSX or Parquet and validated.

A county's balance is judged on per-school figures (enrolment and resource totals of each
school's primary or junior part). Tables arrive with Chinese headers, title rows above the header,
summary rows at the bottom and the odd typo in a cell; this module maps headers through the
synonyms of data/school_columns.yaml, finds the header row, skips summary rows and turns every
bad cell into one SchoolTableError naming the file, the row (1-based as in the file, header row
counted) and the column. Nothing downstream sees a half-valid table.

The result carries the per-pupil indicator values (computed from totals, or given directly by
the table) ready for junheng.indicators.coefficients.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from junheng.indicators.standards import load_standards

if TYPE_CHECKING:
    import pandas as pd

COLUMNS_FILE = Path(__file__).parent / "data" / "school_columns.yaml"
IDENTITY = ("county", "year", "school", "stage", "students")
HEADER_SCAN_ROWS = 20  # title rows above the header that we look past
MIN_HEADER_MATCHES = 3
_BRACKETS = re.compile(r"[(\[【（][^)\]】）]*[)\]】）]")
_DROP = re.compile(r"[\s、,，:：/_\-·.。;；]+")
_YEAR = re.compile(r"(?:19|20)\d\d")


class SchoolTableError(ValueError):
    """A school table that cannot be used; names the source, row and column."""

    def __init__(
        self,
        source: str,
        problem: str,
        row: int | None = None,
        column: str | None = None,
        more: int = 0,
    ) -> None:
        self.source, self.problem, self.row, self.column, self.more = (
            source,
            problem,
            row,
            column,
            more,
        )
        where = [source]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        super().__init__(f"{': '.join([', '.join(where), problem])}{tail}")


@dataclass(slots=True)
class SchoolTable:
    """A validated school table.

    frame columns: county, year, school, stage (primary|junior), students, row (file row) and one
    float column per available indicator id (per-pupil values).
    """

    frame: pd.DataFrame
    source: str
    indicators: tuple[str, ...]
    direct: tuple[str, ...]
    standards: tuple[str, ...]
    header_row: int
    columns: dict[str, str]
    ignored: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """Header synonyms and indicator formulas from data/school_columns.yaml (normalised)."""

    headers: dict[str, str]  # normalised header -> field (identity, count or "direct:<id>")
    display: dict[str, str]  # field -> a readable header to name in errors
    stages: dict[str, str]  # normalised stage cell -> primary|junior
    formulas: dict[str, tuple[str, float]]  # indicator -> (count field, scale)
    totals: frozenset[str]
    order: tuple[str, ...] = ("primary", "junior")


def normalise_header(text: Any) -> str:
    """Header key: NFKC, lower case, bracketed parts and separators dropped."""
    s = unicodedata.normalize("NFKC", str(text)).strip().lower()
    s = _BRACKETS.sub("", s)
    return _DROP.sub("", s)


@lru_cache(maxsize=1)
def column_spec() -> ColumnSpec:
    with open(COLUMNS_FILE, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    headers: dict[str, str] = {}
    display: dict[str, str] = {}

    def add(field_name: str, names: list[str]) -> None:
        shown = f"{names[0]} ({names[1]})" if len(names) > 1 and ":" not in field_name else names[0]
        display.setdefault(field_name, str(shown))
        for n in names:
            key = normalise_header(n)
            if headers.get(key, field_name) != field_name:
                raise ValueError(f"school_columns.yaml: header {n!r} maps to two fields")
            headers[key] = field_name

    for name, syn in data["identity"].items():
        add(name, syn)
    for name, syn in data["counts"].items():
        add(name, syn)
    formulas = {}
    for ind, spec in data["indicators"].items():
        formulas[ind] = (spec["count"], float(spec["scale"]))
        add(f"direct:{ind}", spec.get("direct", []) or [ind])
        headers.setdefault(normalise_header(ind), f"direct:{ind}")
    stages = {normalise_header(v): k for k, vals in data["stages"].items() for v in vals}
    totals = frozenset(normalise_header(t) for t in data["total_rows"])
    return ColumnSpec(headers, display, stages, formulas, totals)


# ----------------------------------------------------------------------------- reading


def read_school_table(
    source: Any, *, filename: str | None = None, sheet: str | int | None = None
) -> SchoolTable:
    """Read and validate a school table.

    source: a path, a pandas DataFrame, bytes or a binary file object (then `filename`, if given,
    names it in errors; the format is sniffed from the content: XLSX, Parquet or CSV/TSV).
    """
    import pandas as pd

    if isinstance(source, pd.DataFrame):
        name = filename or "<table>"
        raw = source
        return _from_raw(raw.reset_index(drop=True), name, header_in_columns=True)
    if isinstance(source, str | Path):
        path = Path(source)
        name = filename or str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SchoolTableError(name, f"cannot read file: {exc.strerror or exc}") from None
    elif isinstance(source, bytes | bytearray | memoryview):
        data, name = bytes(source), filename or "<upload>"
    elif hasattr(source, "read"):
        data = source.read()
        name = filename or getattr(source, "name", "<upload>")
        if isinstance(data, str):
            data = data.encode("utf-8")
    else:
        raise TypeError(f"cannot read a school table from {type(source).__name__}")
    name = str(name)
    if not data:
        raise SchoolTableError(name, "the file is empty")
    fmt = _sniff(data, name)
    if fmt == "csv":
        return _read_csv(data, name)
    try:
        if fmt == "xlsx":
            raw = pd.read_excel(io.BytesIO(data), header=None, dtype=object, sheet_name=sheet or 0)
        else:
            raw = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # a corrupt workbook, a bad parquet footer, a missing sheet ...
        raise SchoolTableError(name, f"cannot read as {fmt}: {exc}") from None
    return _from_raw(raw, name, header_in_columns=fmt == "parquet")


def _sniff(data: bytes, name: str) -> str:
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:4] == b"PAR1":
        return "parquet"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SchoolTableError(name, "old binary .xls workbooks are not supported; save as .xlsx")
    return "csv"


def _decode(data: bytes, name: str) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise SchoolTableError(name, "text is neither UTF-8 nor GB18030")


def _read_csv(data: bytes, name: str) -> SchoolTable:
    import pandas as pd

    text = _decode(data, name)
    head = text[:20000].splitlines()[:HEADER_SCAN_ROWS]
    delim = "\t" if sum(x.count("\t") for x in head) > sum(x.count(",") for x in head) else ","
    rows = list(csv.reader(head, delimiter=delim))
    spec = column_spec()
    idx = _header_index([[c for c in r] for r in rows], spec, name)
    header = rows[idx]
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delim,
            header=None,
            names=range(len(header)),
            skiprows=idx + 1,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (ValueError, pd.errors.ParserError) as exc:
        raise SchoolTableError(name, f"cannot read as CSV: {exc}") from None
    frame.index = frame.index + idx + 1  # 0-based file line of each data row
    return _from_raw(frame, name, header=header, header_idx=idx)


def _header_index(rows: list[list[Any]], spec: ColumnSpec, name: str) -> int:
    best, best_n = -1, 0
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        n = len({spec.headers[k] for c in row if (k := normalise_header(c)) in spec.headers})
        if n > best_n:
            best, best_n = i, n
    if best_n < MIN_HEADER_MATCHES:
        raise SchoolTableError(
            name,
            "no header row found in the first rows: expected columns such as "
            "县/区县, 年度, 学校, 学段, 在校生数 (or county, year, school, stage, students)",
        )
    return best


def _from_raw(
    raw: pd.DataFrame,
    name: str,
    *,
    header_in_columns: bool = False,
    header: list[Any] | None = None,
    header_idx: int | None = None,
) -> SchoolTable:
    """Map headers, validate cells, compute indicator values.

    The header is raw's columns (DataFrame, Parquet), the given list (CSV, already split off
    at header_idx) or found among raw's first rows (XLSX read without a header).
    """
    import numpy as np

    spec = column_spec()
    if header_in_columns:
        header = list(raw.columns)
        body = raw.copy()
        body.columns = range(len(header))
        header_row = 1
        body.index = body.index + 1  # 0-based file position; header occupies position 0
    elif header is not None:
        body = raw
        header_row = (header_idx or 0) + 1
    else:
        rows = raw.head(HEADER_SCAN_ROWS).astype(object).values.tolist()
        rows = [["" if _is_blank(c) else c for c in r] for r in rows]
        pos = _header_index(rows, spec, name)
        header = ["" if _is_blank(c) else c for c in raw.iloc[pos].tolist()]
        body = raw.iloc[pos + 1 :]
        body.columns = range(len(header))
        header_row = int(raw.index[pos]) + 1
    rownum = body.index.to_numpy() + 1  # 1-based file rows

    fields: dict[str, int] = {}
    shown: dict[str, str] = {}
    ignored: list[str] = []
    for j, h in enumerate(header):
        key = normalise_header(h) if not _is_blank(h) else ""
        f = spec.headers.get(key)
        if f is None:
            if key:
                ignored.append(str(h))
            continue
        if f in fields:
            raise SchoolTableError(
                name,
                f"columns {shown[f]!r} and {str(h)!r} both give {f}; keep one",
                row=header_row,
                column=str(h),
            )
        fields[f], shown[f] = j, str(h)

    for f in IDENTITY:
        if f not in fields:
            raise SchoolTableError(
                name,
                f"missing required column {f} (headers accepted: {spec.display[f]} …)",
                row=header_row,
                column=f,
            )
    plan, direct, standards, notes = _plan(fields, spec, name, header_row)

    # drop blank rows and summary rows, keep file row numbers
    cells = body
    blank = _blank_rows(cells)
    totals = list(spec.totals)
    total = (
        np.isin(_label_keys(cells[fields["school"]]), totals)
        | np.isin(_label_keys(cells[fields["county"]]), totals)
    ) & ~blank
    keep = ~blank & ~total
    if total.any():
        notes.append(f"skipped {int(total.sum())} summary row(s) (合计/总计 …)")
    cells, rownum = cells[keep], rownum[keep]
    if len(cells) == 0:
        raise SchoolTableError(name, "the table has a header but no school rows", row=header_row)

    frame = _convert(cells, rownum, fields, shown, plan, spec, name)
    if ignored:
        notes.append(f"ignored column(s): {', '.join(ignored)}")
    key = ["county", "year", "school", "stage"]
    dup = frame.duplicated(subset=key, keep="first").to_numpy()
    if dup.any():
        i = int(dup.argmax())
        first = frame.loc[(frame[key] == frame.iloc[i][key]).all(axis=1).to_numpy(), "row"].iloc[0]
        raise SchoolTableError(
            name,
            f"duplicate school section (same county, year, school and stage as row {first})",
            row=int(frame["row"].iat[i]),
            column=shown["school"],
            more=int(dup.sum()) - 1,
        )
    return SchoolTable(
        frame=frame.reset_index(drop=True),
        source=name,
        indicators=tuple(plan),
        direct=tuple(direct),
        standards=tuple(standards),
        header_row=header_row,
        columns=shown,
        ignored=tuple(ignored),
        notes=tuple(notes),
    )


def _plan(
    fields: dict[str, int], spec: ColumnSpec, name: str, header_row: int
) -> tuple[dict[str, tuple[str, float]], list[str], list[str], list[str]]:
    """Which indicators the table supports, and from which columns (count or direct value)."""
    std = load_standards()
    sets = {
        std.six_of_seven.standard: std.six_of_seven.indicators,
        std.composite_2012.standard: std.composite_2012.components,
    }
    source: dict[str, tuple[str, float]] = {}
    for ind, (count, scale) in spec.formulas.items():
        if count in fields:
            source[ind] = (count, scale)
        elif f"direct:{ind}" in fields:
            source[ind] = (f"direct:{ind}", 1.0)
    standards = [s for s, inds in sets.items() if all(i in source for i in inds)]
    notes: list[str] = []
    if not standards:
        first = std.six_of_seven.standard
        missing = [i for i in sets[first] if i not in source]
        needs = "; ".join(
            f"{i}: {spec.display[spec.formulas[i][0]]} or {spec.display['direct:' + i]}"
            for i in missing
        )
        raise SchoolTableError(
            name,
            f"missing column(s) for the {len(sets[first])} resource indicators — {needs}",
            row=header_row,
            column=spec.formulas[missing[0]][0],
        )
    base = set(sets[std.six_of_seven.standard])
    for s, inds in sets.items():
        absent = [i for i in inds if i not in source]
        own = [i for i in inds if i not in base] or list(inds)
        if s not in standards and any(i in source for i in own):
            notes.append(f"{s} not assessed: no column for {', '.join(absent)}")
    used = {i for s in standards for i in sets[s]}
    plan = {i: source[i] for i in spec.formulas if i in used}
    direct = [i for i, (col, _) in plan.items() if col.startswith("direct:")]
    return plan, direct, standards, notes


def _is_blank(c: Any) -> bool:
    if c is None:
        return True
    if isinstance(c, float) and c != c:
        return True
    return isinstance(c, str) and not c.strip()


def _per_unique(col: pd.Series, fn: Any, dtype: Any = object) -> Any:
    """fn applied to each distinct cell once, broadcast back (tables repeat counties, stages)."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    mapped = np.array([fn(u) for u in uniques.tolist()] + [fn(None)], dtype=dtype)
    return mapped[codes]  # code -1 (missing) picks the last entry, fn(None)


def _clean(c: Any) -> str:
    return "" if _is_blank(c) else unicodedata.normalize("NFKC", str(c)).strip()


def _text(col: pd.Series) -> Any:
    """Cells as stripped NFKC strings, blanks as empty strings."""
    return _per_unique(col, _clean)


def _blank(col: pd.Series) -> Any:
    import pandas as pd

    if pd.api.types.is_numeric_dtype(col.dtype):
        return col.isna().to_numpy()
    if _arrow_text(col):
        return (col.isna() | col.str.strip().eq("")).fillna(True).to_numpy(dtype=bool)
    return _per_unique(col, _is_blank, bool)


def _arrow_text(col: pd.Series) -> bool:
    """A pandas string column (vectorised string ops available), not a mixed object column."""
    import pandas as pd

    return pd.api.types.is_string_dtype(col.dtype) and not pd.api.types.is_object_dtype(col.dtype)


def _blank_rows(cells: pd.DataFrame) -> Any:
    import numpy as np

    blank = np.ones(len(cells), bool)
    for c in cells.columns:
        blank &= _blank(cells[c])
    return blank


def _label_keys(col: pd.Series) -> Any:
    """Cells stripped of spaces and lower-cased, vectorised: enough to spot 合计 / 总 计 rows."""
    s = col.astype("str").str.strip().str.lower()
    for space in (" ", "\u3000", "\t"):
        s = s.str.replace(space, "", regex=False)
    return s.fillna("").to_numpy(dtype=object)


def _names(col: pd.Series) -> Any:
    """School names: stripped, vectorised (names are nearly all distinct; no per-cell Python)."""

    if _arrow_text(col):
        return col.str.strip().fillna("").to_numpy(dtype=object)
    return _text(col)


_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")
_NUMBER_NOISE = re.compile(r"[,，\s]")


def _to_float(c: Any) -> float:
    if _is_blank(c):
        return math.nan
    try:
        return float(_NUMBER_NOISE.sub("", str(c).translate(_FULLWIDTH)))
    except ValueError:
        return math.nan


def _numbers(col: pd.Series) -> tuple[Any, Any, Any]:
    """(values, empty mask, non-numeric mask) of a column."""
    import numpy as np
    import pandas as pd

    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        vals = col.to_numpy(dtype=float)
        empty = np.isnan(vals)
        return vals, empty, np.zeros(len(vals), bool)
    empty = _blank(col)
    vals = np.array(pd.to_numeric(col, errors="coerce"), dtype=float)  # writable copy
    retry = np.isnan(vals) & ~empty  # "1,234", full-width digits, stray spaces
    if retry.any():
        vals[retry] = _per_unique(col[retry], _to_float, float)
    bad = np.isnan(vals) & ~empty
    return vals, empty, bad


class _Problems:
    """Collects cell problems; the error names the first in file order and counts the rest."""

    def __init__(self, rownum: Any, fields: dict[str, int], shown: dict[str, str]) -> None:
        self.rownum, self.fields, self.shown = rownum, fields, shown
        self.items: list[tuple[int, int, str, str]] = []
        self.count = 0

    def add(self, mask: Any, fname: str, message: Any) -> None:
        """message: a callable taking the index of the first failing cell."""
        import numpy as np

        idx = np.flatnonzero(mask)
        if len(idx) == 0:
            return
        i = int(idx[0])
        self.items.append((int(self.rownum[i]), self.fields[fname], self.shown[fname], message(i)))
        self.count += len(idx)

    def raise_first(self, name: str) -> None:
        if self.items:
            row, _, col, msg = min(self.items)
            raise SchoolTableError(name, msg, row=row, column=col, more=self.count - 1)


def _year(c: Any) -> int:
    m = _YEAR.search(_clean(c))
    return int(m.group()) if m else -1


def _convert(cells, rownum, fields, shown, plan, spec, name):
    """The typed frame, or a SchoolTableError for the first bad cell."""
    import numpy as np
    import pandas as pd

    problems = _Problems(rownum, fields, shown)
    out: dict[str, Any] = {}
    for fname in ("county", "school"):
        text = (_text if fname == "county" else _names)(cells[fields[fname]])
        problems.add(text == "", fname, lambda i: "empty cell")
        out[fname] = text

    ytext = _text(cells[fields["year"]])
    year = _per_unique(cells[fields["year"]], _year, "int64")
    problems.add(
        year < 0,
        "year",
        lambda i: f"not a year: {ytext[i]!r}" if ytext[i] else "empty cell",
    )
    out["year"] = year

    stext = _text(cells[fields["stage"]])
    stage = _per_unique(
        cells[fields["stage"]],
        lambda c: "" if _is_blank(c) else spec.stages.get(normalise_header(c), ""),
    )
    problems.add(
        stage == "",
        "stage",
        lambda i: (
            f"unknown stage {stext[i]!r}: use 小学/初中 (primary/junior); give 一贯制 and "
            "完全中学 schools one row per section"
            if stext[i]
            else "empty cell"
        ),
    )
    out["stage"] = stage

    def numeric(fname: str, positive: bool) -> Any:
        col = cells[fields[fname]]
        vals, empty, bad = _numbers(col)
        problems.add(empty, fname, lambda i: "empty cell")
        problems.add(bad, fname, lambda i: f"not a number: {str(col.iat[i]).strip()!r}")
        ok = ~empty & ~bad
        if positive:
            problems.add(
                ok & (vals <= 0), fname, lambda i: f"enrolment must be positive, got {vals[i]:g}"
            )
        else:
            problems.add(ok & (vals < 0), fname, lambda i: f"must not be negative, got {vals[i]:g}")
        return vals

    students = numeric("students", positive=True)
    out["students"] = students
    out["row"] = np.asarray(rownum, dtype="int64")
    done: dict[str, Any] = {}
    for ind, (col, scale) in plan.items():
        if col not in done:
            done[col] = numeric(col, positive=False)
        vals = done[col]
        with np.errstate(divide="ignore", invalid="ignore"):  # bad rows are reported below
            out[ind] = vals if col.startswith("direct:") else vals * scale / students
    problems.raise_first(name)
    frame = pd.DataFrame(out)
    frame["stage"] = pd.Categorical(frame["stage"], categories=list(spec.order))
    return frame
