"""``junheng compare``: region comparison from documents or claim exports."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("compare")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--indicator", default=None, help="Only this indicator id (e.g. cv, school_count).")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out/compare"),
    show_default=True,
    help="Folder for panel.csv, panel.parquet, progress.csv, ranking.csv and the charts.",
)
@click.option("--charts/--no-charts", default=True, show_default=True, help="Draw the charts.")
def compare_cmd(paths: tuple[Path, ...], indicator: str | None, out_dir: Path, charts: bool):
    """Compare regions across documents: a panel region × indicator × year, progress between
    first and last years, rankings, a verdict heatmap and trend charts.

    PATHS are documents or folders of documents (loaded and extracted, with verdicts), or JSON
    Lines claim exports (junheng extract -o claims.jsonl); a folder's *.jsonl files are read as
    exports. A file that cannot be read is reported on stderr and the others still count.
    """
    from junheng.indicators.compare import DocMeta, compare, group_claims, read_claims_jsonl

    items: list = []
    problems: list[str] = []
    exports = [p for p in paths if p.is_file() and p.suffix.lower() == ".jsonl"]
    for folder in (p for p in paths if p.is_dir()):
        exports += sorted(folder.rglob("*.jsonl"))
    documents = [p for p in paths if not (p.is_file() and p.suffix.lower() == ".jsonl")]
    for path in exports:
        try:
            claims, bad = read_claims_jsonl(path)
        except (OSError, UnicodeDecodeError) as exc:
            bad, claims = [f"{path}: {exc}"], []
        problems += bad
        items += group_claims(claims)
    n_docs = len(items)
    if documents:
        from junheng.extract.cli import run_extraction

        ok, failed = run_extraction(
            documents, lambda doc, claims: items.append((DocMeta.of(doc), claims))
        )
        n_docs += ok
    for p in problems:
        click.echo(f"junheng: {p}", err=True)
    if n_docs == 0:
        raise click.ClickException("no document or claim export could be read")
    result = compare(items, out_dir=out_dir, indicator=indicator, charts=charts)
    skipped = ", ".join(f"{k} {v}" for k, v in sorted(result.skipped.items()))
    click.echo(
        f"junheng compare: {n_docs} document(s), {len(result.panel)} panel cell(s), "
        f"{len(result.progress)} series, {len(result.ranking)} ranking row(s)"
        + (f"; left out: {skipped}" if skipped else ""),
        err=True,
    )
    for f in result.files:
        click.echo(str(f))
    if charts:
        from junheng.indicators.charts import chart_labels, missing_glyphs

        missing = missing_glyphs(chart_labels(result.panel))
        if missing:
            click.echo(
                "junheng compare: characters outside the bundled font (drawn by a system CJK "
                f"font if one is installed): {''.join(sorted(missing))}",
                err=True,
            )
    if problems and not result.panel:
        sys.exit(1)
