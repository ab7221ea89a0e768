"""The claim-span tagger: a tiny random BERT with a character vocabulary built here, trained
for a few steps on silver spans of the rule extractor over sentences written for this test,
saved, loaded and run; offsets grounded; the CLI end to end. CPU only."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from junheng.corpus.load import document_from_text
from junheng.extract.pipeline import extract_document
from junheng.models.silver import SilverDoc

os.environ.setdefault("HF_HUB_OFFLINE", "1")
torch = pytest.importorskip(
    "torch", reason="torch is not installed (pip install 'junheng[models]')"
)
pytest.importorskip("transformers", reason="transformers is not installed")

pytestmark = pytest.mark.models

TEXTS = [
    "2023年，全县新建学校12所，投入资金3.5亿元，小学生均公用经费达到800元。",
    "目前共有义务教育学校56所，在校学生4.2万人，专任教师3100名。",
    "力争到2025年，城区学校校长交流比例不低于15%，农村学校占比达到60%。",
    "去年招聘新教师230名，其中85%分配到乡村学校；义务教育巩固率为99.2%。",
]


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Small models run faster on one thread on a busy 2-core machine; restored afterwards."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def _silver(texts):
    out = []
    for i, t in enumerate(texts):
        doc = document_from_text(t, f"s{i}.txt")
        out.append(SilverDoc(doc.doc_id, doc.text, extract_document(doc)))
    return out


@pytest.fixture(scope="module")
def silver():
    docs = _silver(TEXTS)
    assert all(d.spans for d in docs), "the rule extractor finds claims in every sentence"
    return docs


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory):
    """A random BERT with a char vocabulary from the training texts, built by hand."""
    from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-base")
    chars = sorted({c for t in TEXTS for c in t if not c.isspace()})
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = {tok: i for i, tok in enumerate(specials + chars)}
    tok = BertTokenizerFast(vocab=vocab)
    cfg = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    torch.manual_seed(0)
    BertForTokenClassification(cfg).save_pretrained(str(folder))
    tok.save_pretrained(str(folder))
    return folder


def test_train_save_load_tag(silver, tiny_base, tmp_path):
    from junheng.models.tagger import ClaimTagger
    from junheng.models.train import TrainConfig, train_tagger

    out = tmp_path / "tagger"
    cfg = TrainConfig(epochs=1, batch_size=4, max_steps=2, window=24, stride=12, lr=1e-3)
    tagger, rep = train_tagger(silver, str(tiny_base), out, cfg)
    assert rep.steps == 2 and rep.windows > len(silver)  # the texts are longer than a window
    assert {p.name for p in out.iterdir()} >= {"tagger.json", "config.json", "model.safetensors"}
    loaded = ClaimTagger.load(out, device="cpu")
    assert loaded.info.window == 24 and loaded.info.train_steps == 2
    assert loaded.model.config.id2label[1] == "B-CLAIM"
    long = "；".join(TEXTS) + "\n\n" + TEXTS[0]
    probs = loaded.probabilities([long, ""])
    assert probs[0].shape == (len(long), 3) and probs[1].shape == (0, 3)
    assert abs(float(probs[0].sum(axis=1).mean()) - 1.0) < 1e-4
    # the same weights give the same probabilities after a save and a load
    assert torch.allclose(
        torch.tensor(tagger.probabilities([long])[0]), torch.tensor(probs[0]), atol=1e-5
    )
    for spans, text in zip(
        loaded.tag([long, TEXTS[1]], ["long", "one"]), [long, TEXTS[1]], strict=True
    ):
        for s in spans:
            assert text[s.start : s.end] == s.surface and s.surface.strip() == s.surface


def test_overfit_recovers_silver_spans_across_windows(silver, tiny_base, tmp_path):
    """Trained long enough on four sentences, the tagger gives back their silver spans through
    windows narrower than the sentences: a wrong offset anywhere would lose them."""
    from junheng.models.infer import evaluate_tagger
    from junheng.models.train import TrainConfig, train_tagger

    cfg = TrainConfig(
        epochs=400,
        batch_size=8,
        max_steps=160,
        window=24,
        stride=12,
        lr=5e-3,
        warmup_ratio=0.05,
        seed=3,
    )
    tagger, rep = train_tagger(silver, str(tiny_base), tmp_path / "t", cfg)
    assert rep.loss_last < rep.loss_first / 4
    ev = evaluate_tagger(tagger, silver).to_dict()
    assert ev["vs_rules"]["exact"]["f1"] >= 0.9, ev


def test_scratch_base_and_unknown_chars(silver, tmp_path):
    from junheng.models.tagger import ClaimTagger
    from junheng.models.train import TrainConfig, train_tagger

    cfg = TrainConfig(epochs=1, batch_size=4, max_steps=1, window=30, stride=15)
    _, rep = train_tagger(silver, "scratch-tiny", tmp_path / "s", cfg)
    assert rep.lr == pytest.approx(1e-3)  # the scratch learning rate of tagger.yaml
    tagger = ClaimTagger.load(tmp_path / "s")
    ids = tagger.vocab.ids("學校１２Ｘ龘")  # traditional, full-width, unseen
    v = tagger.vocab.vocab
    assert ids[:4] == [v["学"], v["校"], v["1"], v["2"]] and ids[5] == tagger.vocab.unk


def test_cli_train_eval_tag(tmp_path):
    from junheng.models.cli import models_cmd

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, t in enumerate(TEXTS):
        (corpus / f"d{i}.txt").write_text(t * 2, encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    gold = tmp_path / "gold"
    gold.mkdir()
    claim = extract_document(document_from_text(TEXTS[0] * 2, "d0.txt"))[0]
    (gold / "d0.jsonl").write_text(
        json.dumps({"start": claim.start, "end": claim.end}) + "\n", encoding="utf-8"
    )
    out = tmp_path / "model"
    runner = CliRunner()
    res = runner.invoke(
        models_cmd,
        [
            "train-tagger",
            str(corpus),
            "--out",
            str(out),
            "--base",
            "scratch-tiny",
            "--max-steps",
            "2",
            "--holdout",
            "0.3",
            "--gold",
            str(gold),
            "--threads",
            "1",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "empty.txt" in res.output and "tagger vs gold" in res.output
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert "d0.txt" in metrics["heldout_docs"] and "d0.txt" not in metrics["train_docs"]
    assert metrics["heldout"]["gold_docs"] == 1

    res = runner.invoke(
        models_cmd, ["eval-tagger", str(out), str(corpus), "--gold", str(gold), "--json"]
    )
    assert res.exit_code == 0, res.output
    ev = json.loads(res.output[res.output.index("{") :])
    assert ev["docs"] == 4 and ev["vs_rules"]["ref"] > 0 and ev["rules_vs_gold"]["ref"] == 1

    spans_out = tmp_path / "tags.jsonl"
    res = runner.invoke(models_cmd, ["tag", str(out), str(corpus / "d1.txt"), "-o", str(spans_out)])
    assert res.exit_code == 0, res.output
    text = (corpus / "d1.txt").read_text(encoding="utf-8")
    for row in map(json.loads, spans_out.read_text(encoding="utf-8").splitlines()):
        assert text[row["start"] : row["end"]] == row["surface"]
        assert row["rules"] in ("exact", "boundary", "none")
    res = runner.invoke(models_cmd, ["tag", str(out), str(corpus / "d1.txt"), "--disagreements"])
    assert res.exit_code == 0
    for row in map(json.loads, [x for x in res.output.splitlines() if x.startswith("{")]):
        assert row["kind"] in ("tagger_only", "rules_only", "boundary")
        assert text[row["start"] : row["end"]] == row["surface"]


def test_cli_errors_are_one_line(tmp_path):
    from junheng.models.cli import models_cmd

    (tmp_path / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(models_cmd, ["tag", str(tmp_path), str(tmp_path / "a.txt")])
    assert res.exit_code == 1 and "not a tagger folder" in res.output
    res = runner.invoke(
        models_cmd,
        [
            "train-tagger",
            str(tmp_path / "a.txt"),
            "--out",
            str(tmp_path / "m"),
            "--base",
            str(tmp_path / "nope"),
            "--holdout",
            "0",
        ],
    )
    assert res.exit_code == 1 and "does not exist" in res.output
    res = runner.invoke(
        models_cmd,
        [
            "train-tagger",
            str(tmp_path / "a.txt"),
            "--out",
            str(tmp_path / "m"),
            "--base",
            "scratch-huge",
            "--holdout",
            "0",
        ],
    )
    assert res.exit_code == 1 and "unknown scratch size" in res.output
    for r in (res,):
        assert "Traceback" not in r.output
