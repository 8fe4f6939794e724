"""Search on both backends: the same query language gives the same top hits on SQLite's FTS5
and on PostgreSQL's ``tsvector`` (issue 16). Both stem English words, fold accents and keep
every word; their ranking formulas differ (bm25, ts_rank), so the corpus below gives each
query a clear best match, as real notes do, and the test compares the best three."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_data import add_paper

from logbook.store import Store, open_store

pytestmark = pytest.mark.postgres

IDEAS = [
    "Attention is a kernel: linear attention as a kernel method #attention",
    "Scaling laws for sparse mixture-of-experts models #scaling",
    "Neural tangent kernel predicts training of wide networks #kernels",
    "Diffusion models as score matching with many noise levels",
    "Normalizing flows versus diffusion for density estimation",
    "Self-attention without softmax: what breaks? #attention",
    "Réseaux de neurones profonds et généralisation",
    "Why don't large models overfit? Double descent again",
    "Mechanisms of in-context learning in transformers",
    "Model merging: averaging weights of two fine-tuned nets #merging",
    "A reading group on optimal transport and Wasserstein distances",
    "C++ templates for fast autodiff kernels",
]
PAPERS = [
    ("1706.03762", "Attention Is All You Need", ["Ashish Vaswani", "Noam Shazeer"],
     "The dominant sequence transduction models are based on recurrent networks. We propose "
     "the Transformer, based solely on attention mechanisms."),
    ("2001.08361", "Scaling Laws for Neural Language Models", ["Jared Kaplan", "Sam McCandlish"],
     "We study empirical scaling laws for language model performance on the cross-entropy loss."),
    ("1806.07572", "Neural Tangent Kernel: Convergence and Generalization", ["Arthur Jacot"],
     "We show that the evolution of a network during training is described by a kernel."),
    ("2006.11239", "Denoising Diffusion Probabilistic Models", ["Jonathan Ho", "Ajay Jain"],
     "We present high quality image synthesis results using diffusion probabilistic models."),
]  # fmt: skip
QUERIES = [
    "attention",
    "kernel",
    "kernels",  # stemmed: kernel, kernels
    "mechanism",  # stemmed: mechanisms
    "scal*",
    '"neural tangent"',
    "attention -kernel",
    "diffusion OR flows",
    "author:vaswani",
    "author:kap*",
    "tag:attention softmax",
    "self-attention",
    "1706.03762",
    "reseaux",
    "don't",
    "c++ templates",
    "kind:paper scaling",
    "transformer*",
    "-attention merging",
]


def _fill(store: Store) -> None:
    for n, (arxiv_id, title, authors, abstract) in enumerate(PAPERS):
        add_paper(store, arxiv_id, title, authors=authors, abstract=abstract, cite_key=f"k{n}")
    for text in IDEAS:
        store.ideas.add(text)


@pytest.fixture
def stores(pg_url: str, tmp_path: Path):
    pair = (open_store(tmp_path / "parity.db"), open_store(pg_url))
    for store in pair:
        _fill(store)
    yield pair
    for store in pair:
        store.close()


def test_both_backends_give_the_same_top_hits(stores: tuple[Store, Store]) -> None:
    sqlite, postgres = stores
    for query in QUERIES:
        on_sqlite = [(h.kind, h.id) for h in sqlite.search(query, limit=3)]
        on_postgres = [(h.kind, h.id) for h in postgres.search(query, limit=3)]
        assert on_sqlite, f"{query!r} finds nothing on SQLite: the corpus should answer it"
        assert on_postgres == on_sqlite, query


def test_both_backends_find_the_same_entries(stores: tuple[Store, Store]) -> None:
    sqlite, postgres = stores
    for query in QUERIES:
        on_sqlite = {(h.kind, h.id) for h in sqlite.search(query, limit=None)}
        on_postgres = {(h.kind, h.id) for h in postgres.search(query, limit=None)}
        assert on_postgres == on_sqlite, query
