"""``junheng ingest`` and ``junheng serve``: fill a store, and serve it over HTTP."""

from __future__ import annotations

import sys
from pathlib import Path

import click

STORE_HELP = "Store directory."

# shared by ingest and serve: the store directory, or $JUNHENG_STORE
store_option = click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default="store",
    envvar="JUNHENG_STORE",
    show_default=True,
    show_envvar=True,
    help=STORE_HELP,
)


@click.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_option
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes [default: all cores].",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=64,
    show_default=True,
    help="Documents per committed batch (a kill -9 loses at most the open batch).",
)
@click.option(
    "--reextract/--no-reextract",
    default=True,
    show_default=True,
    help="Re-extract stored documents whose extractor version differs from this one.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar [default: when stderr is a terminal].",
)
def ingest_cmd(
    paths: tuple[Path, ...],
    store_dir: Path,
    workers: int | None,
    batch_size: int,
    reextract: bool,
    progress: bool | None,
) -> None:
    """Ingest documents (files or folders) into a store.

    Idempotent and resumable: a document is its content, so a re-run (or a run after a
    kill -9) adds only what is missing. Errors are recorded in the store and listed at the end.
    With no PATH, only re-extracts stored documents after an extractor upgrade.

    \b
    Examples:
      junheng ingest corpus/ --store store/
      junheng ingest a.txt b.pdf --store store/ --workers 2
    """
    from junheng.corpus.ingest import IngestAborted, ingest
    from junheng.corpus.store import StoreError

    if progress is None:
        progress = sys.stderr.isatty()
    try:
        report = ingest(
            paths,
            store_dir,
            workers=workers,
            batch_size=batch_size,
            reextract=reextract,
            progress=progress,
        )
    except (StoreError, IngestAborted) as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("junheng: interrupted; committed batches are kept, re-run to resume", err=True)
        sys.exit(130)
    c = report.counts()
    click.echo(
        f"{report.store}: {c['n_new']} new, {c['n_skipped']} already stored, "
        f"{c['n_duplicates']} duplicate content, {c['n_reextracted']} re-extracted, "
        f"{c['n_claims']} claims, {c['n_errors']} errors in {report.seconds:.1f}s "
        f"(run {report.run_id})"
    )
    if report.errors:
        click.echo(f"{len(report.errors)} document(s) with errors:", err=True)
        for e in report.errors:
            click.echo(f"  {e}", err=True)


@click.command("serve")
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--max-upload-mb",
    type=click.FloatRange(min=0.001),
    default=10.0,
    show_default=True,
    help="Size limit of POST /documents and /coefficients.",
)
@click.option(
    "--log-level",
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    default="info",
    show_default=True,
)
def serve_cmd(store_dir: Path, host: str, port: int, max_upload_mb: float, log_level: str) -> None:
    """Serve a store over HTTP: JSON API, OpenAPI docs at /docs, document view pages.

    A running `junheng ingest` into the same store shows up within a second.
    """
    import uvicorn

    from junheng.api.app import create_app
    from junheng.corpus.store import MANIFEST, StoreError

    if not (store_dir / MANIFEST).exists():
        click.echo(f"junheng: {store_dir}: no store yet; serving an empty one", err=True)
    try:
        app = create_app(store_dir, max_upload_bytes=int(max_upload_mb * 1024 * 1024))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    uvicorn.run(app, host=host, port=port, log_level=log_level)
