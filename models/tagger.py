"""The claim-span tagger: a token-classification transformer (BERT-style) over characters.

One character is one token: the text is normalised one character for one (traditional to
simplified, full-width to half-width, lower case) and each character is looked up in the
model's vocabulary, so token i of a window is character ``window_start + i`` of the original
text and every predicted span maps back exactly. Long texts are cut into overlapping windows
(models/data/tagger.yaml); each character's tag probabilities are averaged over the windows
that hold it. Runs on CUDA when torch sees a GPU, else on the CPU.

torch and transformers are imported inside functions, never at module import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from junheng.models.settings import load_settings, torch_device
from junheng.models.spans import B, I, O, Span, decode_runs, decode_tags, trim, windows

TAGGER_FILE = "tagger.json"


def normalise_chars(text: str) -> str:
    """The text as the vocabulary sees it; same length as ``text``."""
    from junheng.corpus.analysis import to_halfwidth, to_simplified

    out = to_halfwidth(to_simplified(text)).lower()
    return out if len(out) == len(text) else to_halfwidth(text)


class CharVocab:
    """Character -> token id through a tokenizer's vocabulary (unknown -> [UNK])."""

    def __init__(self, tokenizer):
        self.vocab: dict[str, int] = dict(tokenizer.get_vocab())
        self.unk = tokenizer.unk_token_id
        self.cls = (
            tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
        )
        self.sep = (
            tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
        )
        self.pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        if self.unk is None or self.cls is None or self.sep is None:
            raise ValueError("the tokenizer needs unk, cls (or bos) and sep (or eos) tokens")

    def ids(self, text: str) -> list[int]:
        v, unk = self.vocab, self.unk
        return [v.get(c, unk) for c in normalise_chars(text)]


def numeral_chars() -> frozenset[str]:
    return frozenset(load_settings("tagger")["numeral_chars"])


@dataclass(slots=True)
class TaggerInfo:
    """What ``tagger.json`` records next to the weights."""

    labels: list[str]
    window: int
    stride: int
    base: str = ""
    extractor_version: str = ""
    train_docs: int = 0
    train_steps: int = 0

    @classmethod
    def read(cls, folder: Path) -> TaggerInfo:
        d = json.loads((folder / TAGGER_FILE).read_text(encoding="utf-8"))
        return cls(**{k: d[k] for k in cls.__slots__ if k in d})

    def write(self, folder: Path) -> None:
        d = {k: getattr(self, k) for k in self.__slots__}
        (folder / TAGGER_FILE).write_text(
            json.dumps(d, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


class TaggerLoadError(Exception):
    """A tagger folder that cannot be loaded; the message names it and the problem."""


class ClaimTagger:
    """A trained tagger: ``tag(texts)`` gives claim spans per text."""

    def __init__(self, model, tokenizer, info: TaggerInfo, device: str | None = None):
        import torch

        self.device = torch_device(device)
        self.model = model.to(self.device).eval()
        self.tokenizer = tokenizer
        self.vocab = CharVocab(tokenizer)
        self.info = info
        self.batch_size = int(load_settings("tagger")["inference"]["batch_size"])
        self._numerals = numeral_chars()
        cfg = load_settings("tagger")
        self._decode = cfg.get("decode", "runs")
        self._number_re = re.compile(cfg["number_pattern"])
        self._amp = self.device.startswith("cuda") and torch.cuda.is_bf16_supported()

    @classmethod
    def load(cls, folder: str | Path, device: str | None = None) -> ClaimTagger:
        """Load a folder written by ``train_tagger`` (weights, tokenizer, tagger.json)."""
        folder = Path(folder)
        if not (folder / TAGGER_FILE).is_file():
            raise TaggerLoadError(
                f"{folder}: not a tagger folder (no {TAGGER_FILE}); "
                "train one with `junheng models train-tagger`"
            )
        quiet_transformers()
        from transformers import AutoModelForTokenClassification, AutoTokenizer

        try:
            info = TaggerInfo.read(folder)
            tok = AutoTokenizer.from_pretrained(str(folder))
            model = AutoModelForTokenClassification.from_pretrained(str(folder))
        except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError) as exc:
            raise TaggerLoadError(f"{folder}: cannot load the tagger: {exc}") from exc
        return cls(model, tok, info, device)

    def save(self, folder: str | Path) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(str(folder))
        self.tokenizer.save_pretrained(str(folder))
        self.info.write(folder)

    # ---- inference ------------------------------------------------------------------------
    def probabilities(self, texts: Sequence[str]) -> list[np.ndarray]:
        """(len(text), 3) O/B/I probabilities per text, averaged over overlapping windows."""
        import torch

        pieces = []  # (text index, window start, ids)
        for k, text in enumerate(texts):
            ids = self.vocab.ids(text)
            for s, e in windows(len(text), self.info.window, self.info.stride):
                pieces.append((k, s, ids[s:e]))
        sums = [np.zeros((len(t), 3), dtype=np.float32) for t in texts]
        counts = [np.zeros((len(t), 1), dtype=np.float32) for t in texts]
        pieces.sort(key=lambda p: -len(p[2]))  # similar lengths share a batch: less padding
        v = self.vocab
        with torch.inference_mode():
            for b in range(0, len(pieces), self.batch_size):
                batch = pieces[b : b + self.batch_size]
                width = max(len(p[2]) for p in batch) + 2
                ids = torch.full((len(batch), width), v.pad, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                for r, (_, _, chunk) in enumerate(batch):
                    ids[r, : len(chunk) + 2] = torch.tensor([v.cls, *chunk, v.sep])
                    mask[r, : len(chunk) + 2] = 1
                ids, mask = ids.to(self.device), mask.to(self.device)
                with torch.autocast("cuda", dtype=torch.bfloat16, enabled=self._amp):
                    logits = self.model(input_ids=ids, attention_mask=mask).logits
                probs = torch.softmax(logits.float(), dim=-1).cpu().numpy()
                for r, (k, s, chunk) in enumerate(batch):
                    n = len(chunk)
                    sums[k][s : s + n] += probs[r, 1 : n + 1]
                    counts[k][s : s + n] += 1.0
        return [sm / np.maximum(c, 1.0) for sm, c in zip(sums, counts, strict=True)]

    def tag(self, texts: Sequence[str], doc_ids: Sequence[str] | None = None) -> list[list[Span]]:
        """Claim spans per text: ``text[start:end] == surface``, each holding a numeral."""
        doc_ids = list(doc_ids) if doc_ids is not None else [f"text{i}" for i in range(len(texts))]
        out = []
        for text, doc_id, p in zip(texts, doc_ids, self.probabilities(texts), strict=True):
            if self._decode == "bio":
                found = decode_tags(p.argmax(axis=1).tolist())
            else:
                runs = [m.span() for m in self._number_re.finditer(normalise_chars(text))]
                found = decode_runs(p[:, B] + p[:, I], runs)
            spans = []
            for s, e in found:
                s, e = trim(text, s, e)
                if s >= e or not any(c in self._numerals for c in normalise_chars(text[s:e])):
                    continue
                score = float((p[s:e, B] + p[s:e, I]).mean())
                spans.append(Span(doc_id, s, e, text[s:e], round(min(score, 1.0), 4)))
            out.append(spans)
        return out


def quiet_transformers() -> None:
    """No weight-loading progress bars or advisory warnings on the command line."""
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
    except ImportError:
        pass


__all__ = [
    "B",
    "I",
    "O",
    "CharVocab",
    "ClaimTagger",
    "TaggerInfo",
    "TaggerLoadError",
    "normalise_chars",
    "quiet_transformers",
]
