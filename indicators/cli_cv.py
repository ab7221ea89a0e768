"""`junheng cv TABLE`: balance coefficients and compliance verdicts from a school table.

Also `cv_report(...)`, the same computation as a dict for the API (POST /coefficients).
Output files are written to a temporary file in the target folder and renamed, so a failed run
never leaves a half-written or stale-looking result behind.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import click

RESULT_COLUMNS = [
    "county", "year", "stage", "indicator", "standard", "schools", "students", "mean", "cv",
    "cv_rounded", "threshold", "pass", "near_threshold", "note",
]  # fmt: skip


def cv_report(
    source: Any, *, filename: str | None = None, include_values: bool = True
) -> dict[str, Any]:
    """Coefficients, school checks and county verdicts of a school table, JSON-ready.

    source: a path, a pandas DataFrame, bytes or a binary file object (CSV, XLSX or Parquet,
    sniffed from the content). Raises junheng.indicators.schools.SchoolTableError (a ValueError
    naming the row and column) for a table that cannot be used.
    Keys: results, schools, counties (+ composites, standards, source, notes).
    """
    from junheng.indicators.coefficients import compute
    from junheng.indicators.schools import read_school_table

    table = read_school_table(source, filename=filename)
    return compute(table).to_dict(include_values=include_values)


def render(report: dict[str, Any], fmt: str) -> str:
    """The report as json, csv (one row per CV) or a plain-text table."""
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    if fmt == "csv":
        import csv

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(RESULT_COLUMNS)
        for r in report["results"]:
            w.writerow(["" if r.get(c) is None else r.get(c) for c in RESULT_COLUMNS])
        return buf.getvalue()
    return _text(report)


def _num(x: Any, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def _text(report: dict[str, Any]) -> str:
    lines: list[str] = []
    by_cy: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for r in report["results"]:
        by_cy.setdefault((r["county"], r["year"]), []).append(r)
    verdicts: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for v in report["counties"]:
        verdicts.setdefault((v["county"], v["year"]), []).append(v)
    width = max((len(r["indicator"]) for r in report["results"]), default=10)
    for (county, year), rows in by_cy.items():
        lines.append(f"{county} {year}")
        for v in verdicts.get((county, year), []):
            mark = "PASS" if v["pass"] else "FAIL"
            lines.append(f"  {v['standard']} ({v['doc_no']}): {mark}")
            lines.extend(f"    - {reason}" for reason in v["reasons"])
        lines.append(
            f"  {'stage':<8} {'indicator':<{width}} {'schools':>7} {'mean':>11} "
            f"{'CV':>6} {'limit':>5}  pass"
        )
        for r in rows:
            ok = {True: "yes", False: "NO", None: "-"}[r["pass"]]
            near = (
                " (near limit, raw " + format(r["cv"], ".4f") + ")" if r["near_threshold"] else ""
            )
            lines.append(
                f"  {r['stage']:<8} {r['indicator']:<{width}} {r['schools']:>7} "
                f"{_num(r['mean'], '11.3f')} {_num(r['cv_rounded'], '6.3f')} "
                f"{_num(r['threshold'], '5.2f')}  {ok}{near}"
            )
        for c in report.get("composites", []):
            if (c["county"], c["year"]) == (county, year):
                ok = "yes" if c["pass"] else "NO"
                lines.append(
                    f"  {c['stage']:<8} {'composite CV (2012)':<{width}} {'':>7} {'':>11} "
                    f"{_num(c['composite_rounded'], '6.3f')} {_num(c['threshold'], '5.2f')}  {ok}"
                )
        lines.append("")
    for note in report.get("notes", []):
        lines.append(f"note: {note}")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_atomic(path: str | Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename over the target."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.command("cv")
@click.argument("table", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "table", "csv"]),
    default="json",
    show_default=True,
    help="json: results, schools and county verdicts; csv: one row per CV; table: for reading.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (atomically) instead of stdout.",
)
@click.option("--sheet", default=None, help="XLSX sheet name (default: the first sheet).")
@click.pass_context
def cv_cmd(
    ctx: click.Context, table: Path, fmt: str, output: Path | None, sheet: str | None
) -> None:
    """Coefficients of variation (差异系数) and compliance from a school table.

    TABLE is a CSV, XLSX or Parquet file with one row per school section: county, year,
    school, stage (小学/初中), students and the resource totals (or per-pupil values) of the
    2017 standard; Chinese headers are accepted. Reports, per county, year and stage, the
    enrolment-weighted CV of each indicator against 0.50 (primary) / 0.45 (junior), the
    six-of-seven rule per school, the 2012 composite CV when its columns are present, and a
    verdict with reasons. A bad table exits with status 2 and a message naming row and column.
    """
    from junheng.indicators.coefficients import compute
    from junheng.indicators.schools import SchoolTableError, read_school_table

    try:
        report = compute(read_school_table(table, sheet=sheet)).to_dict()
    except SchoolTableError as exc:
        click.echo(f"junheng cv: {exc}", err=True)
        ctx.exit(2)
    text = render(report, fmt)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        click.echo(f"junheng cv: cannot write {output}: {exc.strerror or exc}", err=True)
        ctx.exit(2)
    n = len({(v["county"], v["year"]) for v in report["counties"]})
    click.echo(f"wrote {output} ({len(report['results'])} CVs, {n} county-years)", err=True)
