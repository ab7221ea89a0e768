"""``junheng extract`` and ``junheng demo``."""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

import click


def run_extraction(paths, on_document, *, verdicts=True, progress=True):
    """Load and extract every supported file under ``paths``; ``on_document(doc, claims)`` per
    document. Returns (documents read, failures as (name, problem))."""
    from junheng.corpus.document import DocumentError
    from junheng.corpus.load import iter_paths, load_path
    from junheng.extract.pipeline import extract_document
    from junheng.indicators.verdicts import apply_verdicts

    paths = list(paths)
    files = iter_paths([Path(p) for p in paths])
    show = (
        progress
        and (len(paths) > 1 or any(Path(p).is_dir() for p in paths))
        and sys.stderr.isatty()
    )
    if show:
        from tqdm import tqdm

        files = tqdm(files, unit="doc", file=sys.stderr)
    ok, failed = 0, []
    for f in files:
        try:
            doc = load_path(f)
            claims = extract_document(doc)
            if verdicts:
                claims = apply_verdicts(claims, text=doc.text)
        except DocumentError as exc:
            failed.append((exc.doc, exc.problem))
            click.echo(f"junheng: {exc.doc}: {exc.problem}", err=True)
            continue
        except Exception as exc:  # a bug must not stop a batch of thousands
            failed.append((str(f), f"internal error: {type(exc).__name__}: {exc}"))
            click.echo(f"junheng: {f}: internal error: {type(exc).__name__}: {exc}", err=True)
            continue
        on_document(doc, claims)
        ok += 1
    return ok, failed


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write records here (JSON Lines unless --format says otherwise).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "table"]),
    default=None,
    help="Output format: jsonl (default with -o), csv, or table (default without -o).",
)
@click.option(
    "--verdicts/--no-verdicts",
    default=True,
    show_default=True,
    help="Add claim-level verdicts against the national standards.",
)
@click.option("--skip-duplicates", is_flag=True, help="Leave out claims of repeated bodies.")
def extract_cmd(paths, out, fmt, verdicts, skip_duplicates):
    """Extract claim records from documents (files or folders, recursively).

    A document that cannot be read is reported on stderr with its name and the reason; the run
    goes on. The exit code is non-zero only when no document could be read.
    """
    from junheng.extract import export

    fmt = fmt or ("jsonl" if out else "table")
    tmp = None
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".junheng-", dir=out.parent)
        fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
    else:
        fh = sys.stdout
    writer = export.CsvWriter(fh) if fmt == "csv" else None
    first = [True]
    total = [0]

    def emit(doc, claims):
        if skip_duplicates:
            claims = [c for c in claims if not c.duplicate_of]
        if fmt == "jsonl":
            total[0] += export.write_jsonl(claims, fh)
        elif fmt == "csv":
            total[0] += writer.write(claims)
        else:
            total[0] += export.write_table(claims, fh, header=first[0])
            first[0] = False

    try:
        ok, failed = run_extraction(paths, emit, verdicts=verdicts)
    finally:
        if out:
            fh.close()
    if out:
        if ok:
            os.replace(tmp, out)
        else:
            os.unlink(tmp)
    click.echo(
        f"junheng: {ok} document(s), {total[0]} claim(s)"
        + (f", {len(failed)} failed" if failed else "")
        + (f" -> {out}" if out and ok else ""),
        err=True,
    )
    if ok == 0:
        sys.exit(1)


def _samples_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "corpus" / "samples"


@click.command("demo")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out/demo"),
    show_default=True,
    help="Where to write the demo outputs.",
)
def demo_cmd(out_dir: Path):
    """Run the main job on the bundled sample corpus and print a readable summary."""
    from junheng.extract import export

    samples = _samples_dir()
    if not samples.is_dir():
        raise click.ClickException(f"no sample corpus at {samples}")
    out_dir.mkdir(parents=True, exist_ok=True)
    docs, all_claims = [], []

    def keep(doc, claims):
        docs.append(doc)
        all_claims.extend(claims)

    from junheng.corpus.load import iter_paths

    files = [p for p in iter_paths([samples]) if not p.name.upper().startswith("README")]
    ok, failed = run_extraction(files, keep, progress=False)
    with open(out_dir / "claims.jsonl", "w", encoding="utf-8") as fh:
        export.write_jsonl(all_claims, fh)
    from junheng.compiled import describe

    click.echo(f"junheng demo: {ok} sample documents from {samples} (extraction: {describe()})")
    click.echo("")
    for d in docs:
        n = sum(1 for c in all_claims if c.doc == d.doc_id)
        dups = sum(1 for c in all_claims if c.doc == d.doc_id and c.duplicate_of)
        click.echo(
            f"  {d.doc_id:<34} {d.format:<5} {d.encoding or '':<9} region={d.region or '-':<10}"
            f" year={d.year or '-'}  claims={n}" + (f" ({dups} in a repeated body)" if dups else "")
        )
    uniq = [c for c in all_claims if not c.duplicate_of]
    click.echo("")
    click.echo(f"claims: {len(all_claims)} ({len(uniq)} after skipping repeated bodies)")
    by_ind = Counter(c.indicator for c in uniq if c.indicator != "other")
    click.echo("top indicators: " + ", ".join(f"{k} {v}" for k, v in by_ind.most_common(8)))
    statuses = Counter((c.verdict or {}).get("status") for c in uniq if c.verdict)
    if statuses:
        click.echo("verdicts: " + ", ".join(f"{k} {v}" for k, v in statuses.most_common()))
        short = [c for c in uniq if c.verdict and c.verdict.get("status") == "falls_short"]
        for c in short[:8]:
            v = c.verdict
            click.echo(
                f"  falls short: {c.doc} {c.surface} ({c.indicator}, {c.level}) "
                f"{v.get('op')} {v.get('threshold')}: {v.get('reason', '')}"
            )
    _demo_checks(docs, all_claims, out_dir)
    _demo_cv(samples, out_dir)
    click.echo("")
    click.echo(f"sample claims ({min(12, len(uniq))} of {len(uniq)}):")
    export.write_table(uniq[:12])
    click.echo("")
    click.echo(
        f"outputs in {out_dir}/ (claims.jsonl"
        + (", findings.json" if (out_dir / "findings.json").exists() else "")
        + (", cv.json" if (out_dir / "cv.json").exists() else "")
        + ")"
    )
    if failed:
        click.echo(f"{len(failed)} sample(s) failed: " + "; ".join(f"{n}: {p}" for n, p in failed))


def _demo_checks(docs, claims, out_dir: Path) -> None:
    import json
    from dataclasses import asdict, is_dataclass

    from junheng.indicators.consistency import check_corpus

    by_doc = {}
    for c in claims:
        by_doc.setdefault(c.doc, []).append(c)
    findings = check_corpus([(d, by_doc.get(d.doc_id, [])) for d in docs])
    rows = [asdict(f) if is_dataclass(f) else dict(f) for f in findings]
    (out_dir / "findings.json").write_text(
        json.dumps({"findings": rows}, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    click.echo("")
    click.echo(f"consistency findings: {len(rows)}")
    for r in rows[:10]:
        click.echo(f"  [{r.get('severity')}] {r.get('doc')}: {r.get('type')}: {r.get('message')}")


def _demo_cv(samples: Path, out_dir: Path) -> None:
    tables = sorted(p for p in samples.glob("*.csv"))
    if not tables:
        return
    import json

    from junheng.indicators.cli_cv import cv_report

    rep = cv_report(tables[0])
    (out_dir / "cv.json").write_text(
        json.dumps(rep, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    click.echo("")
    click.echo(f"school table {tables[0].name}: {len(rep.get('schools', []))} school sections")
    for r in rep.get("results", [])[:14]:
        flag = "ok " if r.get("pass") else "OVER"
        click.echo(
            f"  {flag} {r['county']} {r['year']} {r['stage']:<7} {r['indicator']:<46} "
            f"cv={r['cv']:.3f} (<= {r['threshold']})"
        )
