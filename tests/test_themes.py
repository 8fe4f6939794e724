"""Recurring themes: tags, arXiv categories and key phrases that come back across weeks."""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logbook.errors import LogbookError, StoreError
from logbook.ids import new_uid
from logbook.store import Store
from logbook.store.models import Idea, Paper
from logbook.store.tags import link_tags, tags_of
from logbook.themes import ThemeSettings, apply_themes, find_themes, theme_detail
from logbook.themes.counting import count_texts
from logbook.themes.phrase_counts import count_phrases
from logbook.themes.phrases import SKLEARN_STOP_WORDS, phrases, singular, theme_key

# Every test here runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.backends

START = datetime(2026, 8, 31, 9, 0, tzinfo=UTC)  # a Monday
WEEKS = 10
NOW = "2026-11-15T12:00:00+00:00"

# Six planted themes, each written in several forms.
PLANTED = {
    "scaling-law": ["Scaling laws", "scaling-law", "scaling law", "Scaling Laws", "scaling-laws"],
    "mixture-of-expert": ["mixture of experts", "Mixture-of-Experts", "mixture of expert"],
    "neural-tangent-kernel": [
        "neural tangent kernels",
        "Neural Tangent Kernel",
        "neural-tangent kernel",
    ],
    "lottery-ticket": ["lottery tickets", "Lottery Ticket", "lottery-ticket", "lottery ticket"],
    "diffusion-sampler": ["diffusion samplers", "Diffusion Sampler", "diffusion-sampler"],
    "grokking": ["grokking", "Grokking", "grokking"],
}

# Filler that only holds stop words, generic research words, numbers, LaTeX and URLs.
FILLER = [
    "We propose a new approach and show that the results of our method are better than the baseline model in this paper.",
    "In this study we show results for the model; see https://example.com/results?id=42 for the code.",
    "The approach is simple: $\\mathcal{O}(n^2)$ cost with \\alpha = 0.5 and 2024 data, as \\cite{smith2020} reports.",
    "Maybe try the method again next week; the results were interesting but the model is large.",
    "Our paper studies the training data and the evaluation of the model on 3 tasks with 12 layers.",
    "Note to self: the method works, results look good, check the approach with a bigger model.",
]
TEMPLATES = [
    "{a}: {filler}",
    "Thinking about {a} and {b}. {filler}",
    "# Notes on {a}\n\n{filler} Also {b} again.",
    "{filler} Connection between {a} and {b}?",
]


def build_corpus(store: Store, *, seed: int = 5) -> dict[str, list[int]]:
    """70 entries (50 ideas, 20 papers) over 10 weeks with six planted themes.

    Returns the idea numbers by planted theme. Every entry has one or two planted themes in
    a random written form. "hyperbolic origami" comes back five times, all in one week.
    """
    rng = random.Random(seed)
    names = list(PLANTED)
    planted: dict[str, list[int]] = {name: [] for name in names}
    with store._write() as session:
        for n in range(70):
            week, day = divmod(n, 7)
            moment = START + timedelta(weeks=week, days=day, hours=n % 5)
            first = names[n % len(names)]
            second = names[(n * 7 + 3) % len(names)]
            text = rng.choice(TEMPLATES).format(
                a=rng.choice(PLANTED[first]),
                b=rng.choice(PLANTED[second]),
                filler=rng.choice(FILLER),
            )
            if week == 4 and day < 5:
                text += " A detour into hyperbolic origami."
            if n % 7 < 5:
                idea = Idea(uid=new_uid(), text=text, created_at=moment, updated_at=moment)
                session.add(idea)
                session.flush()
                assert idea.id is not None
                if n % 3 == 0:
                    link_tags(session, "idea", idea.id, ["reading-group"])
                planted[first].append(idea.id)
                if "{b}" in text or second in text.lower():
                    planted[second].append(idea.id)
            else:
                title, _, abstract = text.partition(":")
                paper = Paper(
                    uid=new_uid(),
                    arxiv_id=f"2609.{10000 + n:05d}",
                    title=title.strip("# \n") or "Untitled",
                    abstract=abstract or text,
                    authors=["Ada Lovelace"],
                    categories=["cs.LG", "stat.ML"] if n % 2 else ["cs.LG"],
                    primary_category="cs.LG",
                    created_at=moment,
                    updated_at=moment,
                )
                session.add(paper)
    return planted


@pytest.fixture(autouse=True)
def cache_dir(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The themes cache of each test, in its tmp_path."""
    path = isolated / "cache"
    monkeypatch.setenv("LOGBOOK_CACHE_DIR", str(path))
    return path


@pytest.fixture
def corpus(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("LOGBOOK_NOW", NOW)
    build_corpus(store)
    return store


GENERIC = {"paper", "model", "result", "results", "approach", "propose", "show", "method", "study", "we", "the", "and", "of", "data", "baseline", "training", "task", "layer", "cost", "code", "note", "self", "notes"}  # fmt: skip


# --- text → phrases ---------------------------------------------------------------------------


def test_singular_reduces_plain_plurals_and_keeps_singular_nouns() -> None:
    assert [singular(w) for w in ("laws", "experts", "studies", "losses", "patches")] == [
        "law", "expert", "study", "loss", "patch",
    ]  # fmt: skip
    assert [singular(w) for w in ("physics", "dynamics", "analysis", "bias", "matrices")] == [
        "physics", "dynamics", "analysis", "bias", "matrix",
    ]  # fmt: skip


def test_phrases_merge_case_plural_and_hyphen_variants() -> None:
    for text in ("Scaling laws", "scaling-law", "scaling law", "SCALING LAWS"):
        assert "scaling law" in phrases(text)
    assert theme_key("Scaling-Laws") == theme_key("scaling law") == "scaling law"


def test_phrases_strip_numbers_latex_urls_and_stop_words() -> None:
    found = phrases(
        "We propose $\\mathcal{O}(n^2)$ attention \\cite{vaswani} in 2024, see "
        "https://example.com/sparse-attention and the results of the paper."
    )
    assert "attention" in found
    assert not any(re.search(r"\d|mathcal|cite|vaswani|http|example|sparse", p) for p in found)
    assert found.isdisjoint({"propose", "result", "paper", "we", "the", "see"})


def test_phrases_keep_generic_words_inside_phrases_only() -> None:
    found = phrases("A large language model and the model of the world")
    assert "language model" in found
    assert "model" not in found


def test_phrases_join_words_around_of() -> None:
    assert "mixture of expert" in phrases("Sparse Mixture-of-Experts layers")


# --- find_themes ----------------------------------------------------------------------------


def test_top_ten_themes_contain_the_planted_ones(corpus: Store) -> None:
    top = [t.name for t in find_themes(corpus, top=10)]
    assert len(set(PLANTED) & set(top)) >= 5, top


def test_no_stop_word_or_generic_word_is_a_theme(corpus: Store) -> None:
    found = find_themes(corpus)
    assert found
    for theme in found:
        words = set(theme.name.split("-"))
        assert not words <= GENERIC, theme.name
        assert not re.search(r"\d|mathcal|alpha|http|example|cite|smith", theme.name), theme.name


def test_variants_are_one_theme(corpus: Store) -> None:
    names = [t.name for t in find_themes(corpus)]
    assert names.count("scaling-law") == 1
    for variant in ("scaling-laws", "scaling", "law", "lottery", "ticket", "mixture", "expert"):
        assert variant not in names
    assert {"neural-tangent", "tangent-kernel"}.isdisjoint(names)


def test_a_phrase_seen_in_one_week_only_is_not_a_theme(corpus: Store) -> None:
    names = {t.name for t in find_themes(corpus)}
    assert {"hyperbolic-origami", "origami", "hyperbolic", "detour"}.isdisjoint(names)


def test_a_phrase_needs_min_entries(corpus: Store) -> None:
    loose = {t.name for t in find_themes(corpus, ThemeSettings(min_entries=3))}
    strict = {t.name for t in find_themes(corpus, ThemeSettings(min_entries=30))}
    assert strict < loose
    assert all(t.entries >= 30 for t in find_themes(corpus, ThemeSettings(min_entries=30)))


def test_themes_merge_tags_categories_and_phrases(corpus: Store) -> None:
    by_name = {t.name: t for t in find_themes(corpus)}
    assert by_name["reading-group"].source == "tag"
    assert by_name["cs.lg"].source == "category"
    assert by_name["cs.lg"].label == "Machine Learning (cs.LG)"
    assert by_name["cs.lg"].entries == 20
    assert by_name["scaling-law"].source == "phrase"


def test_a_phrase_that_is_a_user_tag_counts_with_the_tag(corpus: Store) -> None:
    with corpus._write() as session:
        ideas = session.exec(Idea.__table__.select().limit(2)).all()  # type: ignore[attr-defined]
        for row in ideas:
            link_tags(session, "idea", row.id, ["grokking"])
    grokking = [t for t in find_themes(corpus) if theme_key(t.name) == "grokking"]
    assert len(grokking) == 1
    assert grokking[0].source == "tag"


def test_theme_facts_and_trend(corpus: Store) -> None:
    theme = next(t for t in find_themes(corpus) if t.name == "scaling-law")
    assert theme.weeks >= 5
    assert sum(theme.trend) == theme.entries == theme.total
    assert len(theme.trend) == WEEKS + 1  # up to the frozen "now", one week later
    assert theme.trend_start == START.replace(hour=0)
    assert START <= theme.first_seen <= theme.last_seen
    data = theme.to_dict()
    assert set(data) >= {"name", "label", "source", "entries", "weeks", "first_seen", "last_seen", "trend"}  # fmt: skip
    assert len(theme.refs) == theme.entries


def test_since_until_and_kind_narrow_the_entries(corpus: Store) -> None:
    midnight = START.replace(hour=0)
    since, until = midnight + timedelta(weeks=2), midnight + timedelta(weeks=6)
    window = find_themes(corpus, ThemeSettings(since=since, until=until))
    assert window
    for theme in window:
        assert all(since <= ref.created_at < until for ref in theme.refs)
        assert len(theme.trend) == 4
    papers = find_themes(corpus, ThemeSettings.make(kinds=["paper"]))
    assert papers
    for theme in papers:
        assert {ref.kind for ref in theme.refs} == {"paper"}


def test_archived_entries_are_skipped(corpus: Store) -> None:
    before = next(t for t in find_themes(corpus) if t.name == "grokking")
    idea = next(ref for ref in before.refs if ref.kind == "idea")
    corpus.ideas.remove(idea.id)
    after = next(t for t in find_themes(corpus) if t.name == "grokking")
    assert after.entries == before.entries - 1
    assert idea.uid not in {ref.uid for ref in after.refs}


def test_theme_detail_lists_entries_week_by_week(corpus: Store) -> None:
    detail = theme_detail(corpus, "Scaling Laws")
    assert detail.theme.name == "scaling-law"
    assert [w.label for w in detail.weeks] == sorted(w.label for w in detail.weeks)
    assert sum(len(w.entries) for w in detail.weeks) == detail.theme.entries
    assert theme_detail(corpus, "cs.LG").theme.name == "cs.lg"


# --- apply ----------------------------------------------------------------------------------


def _tags(store: Store) -> dict[int, set[tuple[str, str]]]:
    with store._read() as session:
        ids = [row.id for row in session.exec(Idea.__table__.select()).all()]  # type: ignore[attr-defined]
        return {i: {(t.name, t.kind) for t in refs} for i, refs in tags_of(session, "idea", ids).items()}  # fmt: skip


def test_apply_tags_entries_with_auto_themes_idempotently(corpus: Store) -> None:
    user_before = {i: {t for t in tags if t[1] == "user"} for i, tags in _tags(corpus).items()}
    first = apply_themes(corpus)
    assert first.added > 0 and first.removed == 0
    assert "scaling-law" in first.names
    second = apply_themes(corpus)
    assert (second.added, second.removed) == (0, 0)
    after = _tags(corpus)
    assert {i: {t for t in tags if t[1] == "user"} for i, tags in after.items()} == user_before
    assert any(("scaling-law", "auto") in tags for tags in after.values())
    assert all(name != "reading-group" for tags in after.values() for name, kind in tags if kind == "auto")  # fmt: skip


def test_apply_removes_auto_tags_that_no_longer_apply(corpus: Store) -> None:
    apply_themes(corpus)
    tagged = next(i for i, tags in _tags(corpus).items() if ("grokking", "auto") in tags)
    corpus.ideas.edit(tagged, "Nothing recurring here at all.")
    result = apply_themes(corpus)
    assert result.removed >= 1
    assert ("grokking", "auto") not in _tags(corpus)[tagged]


def test_apply_never_touches_user_tags_of_the_same_name(corpus: Store) -> None:
    with corpus._write() as session:
        link_tags(session, "idea", 1, ["scaling-law"])
    apply_themes(corpus)
    apply_themes(corpus)
    assert ("scaling-law", "user") in _tags(corpus)[1]


def test_apply_redoes_the_analysis_when_the_store_changed_meanwhile(
    corpus: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process purges a tagged entry between the analysis and the write."""
    import logbook.themes.analysis

    tagged = next(t for t in find_themes(corpus) if t.name == "scaling-law")
    victim = next(ref for ref in tagged.refs if ref.kind == "idea")
    real = logbook.themes.analysis.analyze
    calls = []

    def analyze_then_purge(*args, **kwargs):  # type: ignore[no-untyped-def]
        analysis = real(*args, **kwargs)
        if not calls:
            corpus.ideas.remove(victim.id, purge=True)
        calls.append(analysis)
        return analysis

    monkeypatch.setattr(logbook.themes.analysis, "analyze", analyze_then_purge)
    result = apply_themes(corpus)
    assert len(calls) == 2  # the first analysis was made before the purge: done again
    assert "scaling-law" in result.names
    tags = _tags(corpus)
    assert victim.id not in tags
    assert any(("scaling-law", "auto") in t for t in tags.values())


def test_apply_gives_up_when_the_store_keeps_changing(
    corpus: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import logbook.themes.analysis

    real = logbook.themes.analysis.analyze

    def analyze_then_write(*args, **kwargs):  # type: ignore[no-untyped-def]
        analysis = real(*args, **kwargs)
        corpus.ideas.add("Another note on scaling laws")
        return analysis

    monkeypatch.setattr(logbook.themes.analysis, "analyze", analyze_then_write)
    with pytest.raises(LogbookError, match="the store changed while themes were computed"):
        apply_themes(corpus)
    assert not any(kind == "auto" for tags in _tags(corpus).values() for _, kind in tags)


# --- CLI ------------------------------------------------------------------------------------


def test_cli_themes_json(corpus: Store, cli) -> None:  # type: ignore[no-untyped-def]
    data = cli("themes", "--json", "--top", "10").json()
    assert len(data) == 10
    assert len(set(PLANTED) & {t["name"] for t in data}) >= 5
    first = data[0]
    assert set(first) >= {"name", "label", "source", "entries", "weeks", "first_seen", "last_seen", "trend"}  # fmt: skip
    assert [t["entries"] for t in data] == sorted((t["entries"] for t in data), reverse=True)


def test_cli_themes_table_without_subcommand(corpus: Store, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("themes", "--top", "3")
    lines = result.stdout.strip().splitlines()
    assert lines[0].split("\t")[:4] == ["theme", "source", "entries", "weeks"]
    assert len(lines) == 4


def test_cli_themes_kind_since_until(corpus: Store, cli) -> None:  # type: ignore[no-untyped-def]
    papers = cli("themes", "--kind", "paper", "--json").json()
    assert max(t["entries"] for t in papers) <= 20
    window = cli("themes", "--since", "2026-09-14", "--until", "2026-10-12", "--json").json()
    assert all(t["first_seen"] >= "2026-09-14" and t["last_seen"] < "2026-10-12" for t in window)


def test_cli_themes_show_json(corpus: Store, cli) -> None:  # type: ignore[no-untyped-def]
    data = cli("themes", "show", "scaling laws", "--json").json()
    assert data["name"] == "scaling-law"
    assert sum(len(w["entries"]) for w in data["by_week"]) == data["entries"]
    assert all(re.fullmatch(r"\d{4}-W\d\d", w["week"]) for w in data["by_week"])


def test_cli_themes_show_unknown_theme_fails(corpus: Store, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("themes", "show", "no such theme", ok=False)
    assert result.exit_code == 1
    assert "no recurring theme" in result.stderr


def test_cli_themes_bad_kind_is_a_usage_error(corpus: Store, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("themes", "--kind", "tweet", ok=False)
    assert result.exit_code == 2


def test_cli_themes_apply_json_is_idempotent(corpus: Store, cli) -> None:  # type: ignore[no-untyped-def]
    first = cli("themes", "apply", "--json").json()
    second = cli("themes", "apply", "--json").json()
    assert first["added"] > 0
    assert (second["added"], second["removed"]) == (0, 0)


def test_cli_empty_store_has_no_themes(cli, store) -> None:  # type: ignore[no-untyped-def]
    assert cli("themes", "--json").json() == []


def test_idea_add_applies_themes_when_configured(
    corpus: Store, cli, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LOGBOOK_THEMES_AUTO_APPLY", "true")
    added = cli("idea", "add", "More on scaling laws for sparse models", "--json").json()
    shown = cli("idea", "show", str(added["id"]), "--json").json()
    assert "scaling-law" in shown["auto_tags"]


@pytest.mark.parametrize(
    "failure", [StoreError("the store is locked; try again"), RuntimeError("boom")]
)
def test_idea_add_succeeds_with_a_warning_when_auto_apply_fails(
    corpus: Store, cli, monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:  # type: ignore[no-untyped-def]
    import logbook.themes

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise failure

    monkeypatch.setenv("LOGBOOK_THEMES_AUTO_APPLY", "true")
    monkeypatch.setattr(logbook.themes, "apply_themes", fail)
    result = cli("idea", "add", "More on scaling laws for sparse models", "--json")
    assert result.exit_code == 0
    added = result.json()
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        f"Warning: themes were not applied: {str(failure) if isinstance(failure, StoreError) else 'RuntimeError: boom'}"
    ]
    assert cli("idea", "show", str(added["id"]), "--json").json()["text"].startswith("More on")


def test_importing_the_themes_command_stays_light() -> None:
    code = (
        "import sys, logbook.cli.themes; "
        "bad = [m for m in ('sklearn', 'numpy', 'scipy') if m in sys.modules]; "
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_stop_words_are_scikit_learns_english_list() -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    assert frozenset(ENGLISH_STOP_WORDS) == SKLEARN_STOP_WORDS


def test_phrase_counts_match_scikit_learns_count_vectorizer(corpus: Store) -> None:
    from sklearn.feature_extraction.text import CountVectorizer

    texts = corpus.corpus(["idea", "paper", "post"], None, None).texts
    counted = count_texts(texts, 3)
    terms, matrix = counted.vocabulary, counted.matrix
    reference = CountVectorizer(analyzer=phrases, min_df=3, binary=True)
    expected = reference.fit_transform(texts)
    assert terms.tolist() == reference.get_feature_names_out().tolist()
    assert (matrix != expected).nnz == 0


def test_counting_themes_does_not_import_scikit_learn(
    corpus: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOGBOOK_CACHE_DIR", "-")  # count, do not read a cache
    code = (
        "import sys; from logbook.store import open_store; "
        "from logbook.themes import find_themes; "
        f"assert find_themes(open_store({str(corpus.location.path or corpus.location.url)!r})); "
        "sys.exit(1 if 'sklearn' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


_PIECES = ["of", "Of", "model", "models", "data", "scaling", "laws", "law", "mixture", "experts", "the", "we", "sparse", "attention", "kernel", "x", "2024", ",", ".", "-", "$x$", "#tag", "of-experts", "Neural", "tangent"]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_PIECES), max_size=14).map(" ".join), max_size=12),
    st.integers(min_value=1, max_value=3),
)
def test_count_phrases_finds_what_phrases_finds_text_by_text(
    texts: list[str], min_texts: int
) -> None:
    per_text = [phrases(text) for text in texts]
    df = Counter(p for found in per_text for p in found)
    expected = sorted(p for p, count in df.items() if count >= min_texts)
    names, rows, columns = count_phrases(texts, min_texts)
    assert names == expected
    pairs = sorted(zip(rows.tolist(), columns.tolist(), strict=True))
    assert pairs == sorted(
        (row, names.index(p)) for row, found in enumerate(per_text) for p in found if p in names
    )


def test_labels_use_the_words_as_written(corpus: Store) -> None:
    labels = {t.name: t.label for t in find_themes(corpus)}
    assert labels["mixture-of-expert"] == "mixture of experts"
    assert labels["cs.lg"] == "Machine Learning (cs.LG)"


def test_cached_themes_follow_every_change(
    corpus: Store, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = [t.to_dict() for t in find_themes(corpus)]
    assert list(cache_dir.glob("themes-*.pickle"))
    assert [t.to_dict() for t in find_themes(corpus)] == first  # from the cache
    monkeypatch.setenv("LOGBOOK_CACHE_DIR", "-")
    assert [t.to_dict() for t in find_themes(corpus)] == first  # counted again, same result
    monkeypatch.setenv("LOGBOOK_CACHE_DIR", str(cache_dir))
    for week in (1, 3):
        corpus.ideas.add("Hyperbolic origami, again", created_at=START + timedelta(weeks=week))
    names = {t.name for t in find_themes(corpus)}
    assert "hyperbolic-origami" in names  # now in three weeks


def test_listing_themes_again_is_served_from_the_cache_until_a_change_or_a_new_week(
    corpus: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def listed() -> tuple[list[dict[str, object]], set[str]]:
        probe = (
            "import json, sys\n"
            "from logbook.cli import run\n"
            "run(['themes', '--json'])\n"
            "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        )
        return json.loads(done.stdout), set(json.loads(done.stderr.splitlines()[-1]))

    counted, loaded = listed()
    assert counted == [t.to_dict() for t in find_themes(corpus, top=20)]
    assert "numpy" in loaded
    again, loaded = listed()
    assert again == counted
    assert not {"numpy", "scipy", "sqlalchemy"} & loaded  # the list came from the cache
    corpus.ideas.add("Hyperbolic origami, again", created_at=START + timedelta(weeks=1))
    corpus.ideas.add("Hyperbolic origami, again", created_at=START + timedelta(weeks=3))
    changed, loaded = listed()
    assert "hyperbolic-origami" in {t["name"] for t in changed}
    assert "numpy" in loaded
    later = (datetime.fromisoformat(NOW) + timedelta(weeks=1)).isoformat()
    monkeypatch.setenv("LOGBOOK_NOW", later)
    next_week, _ = listed()
    assert [len(t["trend"]) for t in next_week] == [len(t["trend"]) + 1 for t in changed]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "other version"])
def test_a_damaged_or_stale_cache_file_is_counted_again(
    corpus: Store, cache_dir: Path, damage: str
) -> None:
    import pickle

    from logbook.themes import cache as theme_cache

    first = [t.to_dict() for t in find_themes(corpus)]
    (path,) = cache_dir.glob("themes-*.pickle")
    data = path.read_bytes()
    path.write_bytes(
        {
            "garbage": b"not a pickle at all",
            "truncated": data[: len(data) // 2],
            "empty": b"",
            "other version": pickle.dumps(((0, "x"), "old value")),
        }[damage]
    )
    assert [t.to_dict() for t in find_themes(corpus)] == first
    assert pickle.loads(path.read_bytes())[0][0] == theme_cache.VERSION  # saved again


@pytest.mark.store_free
@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31), timezones=st.just(UTC)
    ),
    st.sampled_from(
        [
            "UTC",
            "Europe/Paris",
            "America/New_York",
            "Asia/Kolkata",
            "Asia/Kathmandu",
            "Pacific/Chatham",
            "Australia/Lord_Howe",
        ]
    ),
    st.sampled_from(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]),
)
def test_themes_put_an_entry_in_the_week_the_weekly_views_use(moment, zone, week_start):
    from zoneinfo import ZoneInfo

    from logbook.dates import week_of, week_start_ordinal

    tz = ZoneInfo(zone)
    assert (
        week_start_ordinal(moment, tz, week_start)
        == week_of(moment, tz, week_start).start.toordinal()
    )
