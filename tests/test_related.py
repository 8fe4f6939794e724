"""``logbook related REF`` on a corpus with planted clusters, through the CLI."""

from __future__ import annotations

import random

import pytest
from test_papers import meta

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

CLUSTERS = {
    "kernels": [
        "neural tangent kernel",
        "kernel regression",
        "infinite width limit",
        "gaussian process prior",
        "reproducing kernel hilbert space",
    ],
    "mesa": [
        "mesa optimization",
        "inner alignment",
        "learned optimizer",
        "deceptive alignment",
        "base objective",
    ],
    "scaling": [
        "scaling laws",
        "compute optimal training",
        "power law exponent",
        "token budget",
        "loss curve extrapolation",
    ],
    "dropout": [
        "dropout regularization",
        "bayesian approximation",
        "monte carlo dropout",
        "co adaptation",
        "uncertainty estimate",
    ],
}
# words every cluster uses, so that matches must come from the cluster's own words
FILLER = ["surprising", "careful", "quick", "deeper", "cleaner", "worth", "revisit", "baseline"]


@pytest.fixture
def planted(store):
    """Eight ideas and two papers per cluster, their text drawn from the cluster's phrases."""
    rng = random.Random(7)
    owner: dict[tuple[str, int], str] = {}
    papers = []
    for cluster, phrases in CLUSTERS.items():
        for _ in range(8):
            words = [*rng.sample(phrases, 3), *rng.sample(FILLER, 3)]
            rng.shuffle(words)
            idea = store.ideas.add(f"Idea: {', '.join(words)}.")
            owner[("idea", idea.id)] = cluster
        for n in range(2):
            arxiv_id = f"2401.{len(papers) + 1:05d}"
            papers.append(
                (
                    cluster,
                    meta(
                        arxiv_id,
                        1,
                        title=f"On {rng.choice(phrases)} and {rng.choice(phrases)}",
                        abstract=". ".join(rng.sample(phrases, 4)) + f". Study {n}.",
                    ),
                )
            )
    saved = store.papers.save([m for _, m in papers])
    for (cluster, _), result in zip(papers, saved, strict=True):
        owner[("paper", result.number)] = cluster
    return owner


def test_top_five_related_entries_are_mostly_from_the_same_cluster(cli, planted):
    for (kind, number), cluster in planted.items():
        found = cli("related", f"{kind}:{number}", "--limit", "5", "--json").json()
        top = [(m["kind"], m["id"]) for m in found["related"]]
        assert len(top) == 5
        same = sum(planted[entry] == cluster for entry in top)
        assert same >= 4, (kind, number, cluster, found)
        assert (kind, number) not in top  # never itself


def test_shared_terms_are_the_clusters_words(cli, planted):
    words = {
        cluster: {w for p in phrases for w in p.split()} for cluster, phrases in CLUSTERS.items()
    }
    for (kind, number), cluster in list(planted.items())[::5]:
        found = cli("related", f"{kind}:{number}", "-n", "3", "--json").json()
        for match in found["related"]:
            assert match["shared_terms"], match
            assert set(match["shared_terms"][0].split()) <= words[cluster], match
            assert {"kind", "id", "title", "score", "shared_terms"} <= set(match)
            assert 0 < match["score"] <= 1


def test_every_form_of_ref_names_the_same_entry(cli, planted, store):
    paper = store.papers.get("2401.00001")
    by_id = cli("related", f"paper:{paper.id}", "--json").json()
    assert cli("related", "2401.00001", "--json").json() == by_id
    assert cli("related", "arXiv:2401.00001", "--json").json() == by_id
    assert cli("related", "paper:2401.00001", "--json").json() == by_id
    assert cli("related", "3", "--json").json() == cli("related", "idea:3", "--json").json()
    assert cli("related", "#3", "--json").json()["entry"]["id"] == 3


def test_kind_and_limit_filter_the_matches(cli, planted):
    found = cli("related", "idea:1", "--kind", "paper", "--limit", "2", "--json").json()
    assert [m["kind"] for m in found["related"]] == ["paper", "paper"]
    table = cli("related", "idea:1", "-n", "3").stdout.splitlines()
    assert table[0].split("\t") == ["kind", "#", "score", "title", "shared terms"]
    assert len(table) == 4
    everything = cli("related", "idea:9", "-n", "0", "--json").json()["related"]  # 0: no limit
    assert len(everything) > 10
    assert cli("related", "idea:9", "--json").json()["related"] == everything[:10]  # the default


def test_a_post_is_found_and_asked_about(cli, planted, store):
    from datetime import UTC, datetime

    post = store.posts.record(
        kind="week",
        source="2024-W03",
        title="Research log, week 3",
        slug="week-3",
        path="_posts/2024-01-15-week-3.md",
        content_hash="x",
        body="This week: mesa optimization, inner alignment and the base objective.",
        published_at=datetime(2024, 1, 15, tzinfo=UTC),
    )
    asked = cli("related", f"post:{post.id}", "-n", "5", "--json").json()
    assert asked["entry"] == {"kind": "post", "id": post.id, "title": "Research log, week 3"}
    assert sum(planted[(m["kind"], m["id"])] == "mesa" for m in asked["related"]) >= 4
    found = cli("related", "idea:9", "--kind", "post", "--json").json()["related"]
    assert [(m["kind"], m["id"]) for m in found] == [("post", post.id)]


def test_unknown_or_removed_entries_are_one_line_errors(cli, planted):
    missing = cli("related", "idea:999", ok=False)
    assert missing.exit_code == 1 and missing.stderr == "Error: no idea #999 (or it was removed)\n"
    cli("idea", "rm", "2")
    removed = cli("related", "2", ok=False)
    assert removed.exit_code == 1 and "no idea #2" in removed.stderr
    bad = cli("related", "kernels", ok=False)
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: 'kernels' is not an entry")
    assert cli("related", "post:1", ok=False).stderr == "Error: no post #1 (or it was removed)\n"
    assert cli("related", "paper:2609.99999", ok=False).exit_code == 1
    unknown_kind = cli("related", "1", "--kind", "tweet", ok=False)
    assert unknown_kind.exit_code == 2


def test_removed_entries_are_never_matches(cli, planted):
    first = cli("related", "idea:1", "-n", "3", "--json").json()["related"]
    gone = first[0]
    cli(gone["kind"], "rm", str(gone["id"]))
    again = cli("related", "idea:1", "-n", "20", "--json").json()["related"]
    assert (gone["kind"], gone["id"]) not in [(m["kind"], m["id"]) for m in again]


def test_idea_add_shows_the_top_three_related_only_when_configured(cli, planted, monkeypatch):
    quiet = cli("idea", "add", "Another look at the neural tangent kernel and kernel regression")
    assert "related:" not in quiet.stderr
    monkeypatch.setenv("LOGBOOK_RELATED_AFTER_ADD", "true")
    shown = cli("idea", "add", "Scaling laws: compute optimal training and the token budget")
    lines = [line for line in shown.stderr.splitlines() if line.strip().startswith("related:")]
    assert len(lines) == 3
    assert any("scaling" in line.lower() for line in lines)
    as_json = cli("idea", "add", "Monte carlo dropout again", "--json")
    assert "related:" not in as_json.stderr and as_json.json()["id"]


def test_the_index_is_cached_until_the_store_changes(cli, planted, monkeypatch, tmp_path):
    monkeypatch.setenv("LOGBOOK_CACHE_DIR", str(tmp_path / "cache"))
    first = cli("related", "idea:1", "--json").json()
    assert list((tmp_path / "cache").glob("related-*.pickle"))
    assert cli("related", "idea:1", "--json").json() == first
    cli("idea", "add", "Idea: neural tangent kernel, kernel regression, infinite width limit.")
    after = cli("related", "idea:1", "--json").json()
    assert after != first  # the new idea is seen: the cache was not used
