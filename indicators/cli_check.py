"""``junheng check``: load, extract and run the consistency checks on documents."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import click

_COLUMNS = (("doc", 22), ("type", 19), ("severity", 8), ("stated", 12), ("expected", 12))


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "table"]),
    default="table",
    show_default=True,
    help="json: {'findings': [...]} on stdout; table: one line a finding.",
)
def check_cmd(paths: tuple[Path, ...], fmt: str) -> None:
    """Consistency checks of documents (files or folders): totals vs their parts, shares vs
    counts, stated growth and changes vs the levels they join, multiples, averages of
    coefficients, CVs called compliant but over the limit, and the same figure stated
    differently by two documents.

    A document that cannot be read is reported on stderr with the reason; the others are still
    checked. The exit code is non-zero only when no document could be read.
    """
    from junheng.extract.cli import run_extraction
    from junheng.indicators.consistency import check_corpus, findings_json

    items = []
    ok, failed = run_extraction(
        list(paths), lambda doc, claims: items.append((doc, claims)), verdicts=False
    )
    findings = check_corpus(items)
    if fmt == "json":
        click.echo(json.dumps(findings_json(findings), ensure_ascii=False, indent=1))
    else:
        _table(findings)
    errors = sum(f.severity == "error" for f in findings)
    click.echo(
        f"junheng check: {ok} document(s), {len(findings)} finding(s), {errors} error(s)"
        + (f", {len(failed)} document(s) failed" if failed else ""),
        err=True,
    )
    if ok == 0:
        sys.exit(1)


def _table(findings) -> None:
    head = "  ".join(_fit(name, w) for name, w in _COLUMNS) + "  message"
    click.echo(head)
    for f in findings:
        cells = (f.doc, f.type, f.severity, _num(f.stated), _num(f.expected))
        row = "  ".join(_fit(str(v), w) for v, (_, w) in zip(cells, _COLUMNS, strict=True))
        click.echo(f"{row}  {f.message}")


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.6g}"


def _fit(s: str, width: int) -> str:
    """Pad or cut to a display width (CJK characters count twice)."""
    out, w = "", 0
    for ch in s:
        cw = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if w + cw > width:
            return out[:-1] + "…" + " " * (width - w)
        out += ch
        w += cw
    return out + " " * (width - w)
