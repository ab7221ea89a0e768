"""Training the claim-span tagger on silver labels (the rule extractor's claims).

The base is a pretrained model (a local folder, or a hub name such as ``bert-base-chinese``
where a network is) or ``scratch-tiny`` / ``scratch-small``: a randomly initialised BERT with a
character vocabulary built from the training texts, for use without any pretrained model.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from junheng.models.settings import load_settings, torch_device
from junheng.models.silver import SilverDoc
from junheng.models.spans import bio_tags, windows
from junheng.models.tagger import (
    CharVocab,
    ClaimTagger,
    TaggerInfo,
    normalise_chars,
    quiet_transformers,
)

SCRATCH = "scratch-"
IGNORE = -100


class BaseModelError(Exception):
    """A base model that cannot be loaded; the message names it and says what to do."""


@dataclass(slots=True)
class TrainConfig:
    epochs: int | None = None  # None: epochs_scratch or epochs_pretrained by the base
    batch_size: int = 16
    lr: float | None = None  # None: lr_scratch or lr_pretrained by the base
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    max_steps: int | None = None  # stop after this many optimiser steps
    seed: int = 13
    window: int = 254
    stride: int = 127
    device: str | None = None  # None: cuda when available, else cpu

    @classmethod
    def from_settings(cls, **overrides) -> TrainConfig:
        s = load_settings("tagger")
        t = s["training"]
        cfg = cls(
            batch_size=int(t["batch_size"]),
            warmup_ratio=float(t["warmup_ratio"]),
            weight_decay=float(t["weight_decay"]),
            seed=int(t["seed"]),
            window=int(s["window"]),
            stride=int(s["stride"]),
        )
        for k, v in overrides.items():
            if v is not None:
                setattr(cfg, k, v)
        return cfg


@dataclass(slots=True)
class TrainReport:
    base: str
    device: str
    train_docs: int
    train_chars: int
    windows: int
    epochs: int
    steps: int
    seconds: float
    lr: float
    loss_first: float
    loss_last: float

    def to_dict(self) -> dict:
        return asdict(self)


def scratch_vocab(texts: Sequence[str]) -> dict[str, int]:
    """BERT specials, then every non-space character of the (normalised) texts, sorted."""
    specials = list(load_settings("tagger")["specials"])
    chars = sorted({c for t in texts for c in normalise_chars(t) if not c.isspace()})
    tokens = specials + [c for c in chars if c not in specials]
    return {t: i for i, t in enumerate(tokens)}


def build_scratch_base(texts: Sequence[str], size: str, window: int, seed: int = 13):
    """(model, tokenizer): a random BERT of the named size (models/data/tagger.yaml) with a
    character vocabulary from ``texts``."""
    quiet_transformers()
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

    sizes = load_settings("tagger")["scratch"]
    if size not in sizes:
        raise BaseModelError(
            f"unknown scratch size {size!r} (expected one of "
            f"{', '.join(SCRATCH + s for s in sizes)})"
        )
    vocab = scratch_vocab(texts)
    tok = BertTokenizerFast(vocab=vocab)
    labels = load_settings("tagger")["labels"]
    config = BertConfig(
        vocab_size=len(vocab),
        max_position_embeddings=window + 2,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={lab: i for i, lab in enumerate(labels)},
        **sizes[size],
    )
    torch.manual_seed(seed)
    return BertForTokenClassification(config), tok


def load_base(base: str, texts: Sequence[str], window: int, seed: int = 13):
    """(model, tokenizer, is_scratch) for ``base``: ``scratch-<size>``, a folder, or a hub name."""
    if base.startswith(SCRATCH):
        model, tok = build_scratch_base(texts, base[len(SCRATCH) :], window, seed)
        return model, tok, True
    quiet_transformers()
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    labels = load_settings("tagger")["labels"]
    local = Path(base).expanduser()
    if base.startswith((".", "/", "~")) and not local.is_dir():
        raise BaseModelError(f"base model folder {base!r} does not exist")
    torch.manual_seed(seed)  # the new classification head
    try:
        tok = AutoTokenizer.from_pretrained(str(local) if local.is_dir() else base)
        model = AutoModelForTokenClassification.from_pretrained(
            str(local) if local.is_dir() else base,
            num_labels=len(labels),
            id2label=dict(enumerate(labels)),
            label2id={lab: i for i, lab in enumerate(labels)},
            ignore_mismatched_sizes=True,
        )
    except Exception as exc:  # hub errors, bad folders, unknown architectures: one clear line
        raise BaseModelError(
            f"cannot load base model {base!r}: {type(exc).__name__}: {exc}. Without a network, "
            f"pass a local folder, or --base {SCRATCH}tiny / {SCRATCH}small"
        ) from exc
    return model, tok, False


def encode_examples(
    docs: Sequence[SilverDoc], vocab: CharVocab, window: int, stride: int
) -> list[tuple[list[int], list[int]]]:
    """(token ids, tag ids) per window, [CLS] and [SEP] included (their tags ignored)."""
    out = []
    for d in docs:
        ids = vocab.ids(d.text)
        tags = bio_tags(len(d.text), d.spans)
        for s, e in windows(len(d.text), window, stride):
            out.append(([vocab.cls, *ids[s:e], vocab.sep], [IGNORE, *tags[s:e], IGNORE]))
    return out


def train_tagger(
    docs: Sequence[SilverDoc],
    base: str,
    out_dir: str | Path,
    config: TrainConfig | None = None,
    log: Callable[[str], None] | None = None,
) -> tuple[ClaimTagger, TrainReport]:
    """Fine-tune ``base`` on the silver spans of ``docs``; save the tagger to ``out_dir``."""
    import torch
    from transformers import get_linear_schedule_with_warmup

    config = config or TrainConfig.from_settings()
    if not docs:
        raise ValueError("no training documents")
    device = torch_device(config.device)
    texts = [d.text for d in docs]
    model, tok, scratch = load_base(base, texts, config.window, config.seed)
    max_pos = getattr(model.config, "max_position_embeddings", config.window + 2)
    window = min(config.window, max_pos - 2)
    stride = min(config.stride, window)
    vocab = CharVocab(tok)
    examples = encode_examples(docs, vocab, window, stride)
    kind = "scratch" if scratch else "pretrained"
    training = load_settings("tagger")["training"]
    lr = config.lr or float(training[f"lr_{kind}"])
    epochs = config.epochs or int(training[f"epochs_{kind}"])
    per_epoch = -(-len(examples) // config.batch_size)
    total = per_epoch * epochs
    if config.max_steps is not None:
        total = min(total, config.max_steps)
    model.to(device).train()
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2 and "LayerNorm" not in n]
    rest = [p for n, p in model.named_parameters() if not (p.ndim >= 2 and "LayerNorm" not in n)]
    opt = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": config.weight_decay},
            {"params": rest, "weight_decay": 0.0},
        ],
        lr=lr,
    )
    sched = get_linear_schedule_with_warmup(opt, int(total * config.warmup_ratio), max(total, 1))
    amp = device.startswith("cuda") and torch.cuda.is_bf16_supported()
    rng = random.Random(config.seed)
    losses: list[float] = []
    step = 0
    t0 = time.perf_counter()
    while step < total:
        order = list(range(len(examples)))
        rng.shuffle(order)
        for b in range(0, len(order), config.batch_size):
            if step >= total:
                break
            batch = [examples[i] for i in order[b : b + config.batch_size]]
            width = max(len(x[0]) for x in batch)
            ids = torch.full((len(batch), width), vocab.pad, dtype=torch.long)
            lab = torch.full((len(batch), width), IGNORE, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            for r, (x, y) in enumerate(batch):
                ids[r, : len(x)] = torch.tensor(x)
                lab[r, : len(y)] = torch.tensor(y)
                mask[r, : len(x)] = 1
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=amp):
                loss = model(
                    input_ids=ids.to(device), attention_mask=mask.to(device), labels=lab.to(device)
                ).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            losses.append(float(loss.detach()))
            step += 1
            if log and (step % 50 == 0 or step == total):
                log(f"step {step}/{total} loss {sum(losses[-50:]) / len(losses[-50:]):.4f}")
    seconds = time.perf_counter() - t0
    from junheng.extract.pipeline import EXTRACTOR_VERSION

    info = TaggerInfo(
        labels=list(load_settings("tagger")["labels"]),
        window=window,
        stride=stride,
        base=base,
        extractor_version=EXTRACTOR_VERSION,
        train_docs=len(docs),
        train_steps=step,
    )
    tagger = ClaimTagger(model, tok, info, device)
    tagger.save(out_dir)
    head = losses[: min(10, len(losses))] or [float("nan")]
    tail = losses[-min(10, len(losses)) :] or [float("nan")]
    report = TrainReport(
        base=base,
        device=device,
        train_docs=len(docs),
        train_chars=sum(len(t) for t in texts),
        windows=len(examples),
        epochs=epochs,
        steps=step,
        seconds=round(seconds, 2),
        lr=lr,
        loss_first=round(sum(head) / len(head), 4),
        loss_last=round(sum(tail) / len(tail), 4),
    )
    return tagger, report
