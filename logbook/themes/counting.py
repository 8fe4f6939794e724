"""Phrases counted into an entries × phrases matrix, and the recurring ones kept.

The phrases are counted once over every entry (binary: an entry counts once) with
``scipy.sparse``: the same vocabulary and matrix as scikit-learn's
``CountVectorizer(analyzer=phrases, binary=True, min_df)`` (a test checks), without importing
scikit-learn (0.8 s). numpy and scipy are imported only inside the functions that count.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from logbook.dates import week_start_ordinal
from logbook.store.corpus import Corpus
from logbook.themes import cache as theme_cache
from logbook.themes.phrase_counts import phrase_columns
from logbook.themes.phrases import GENERIC_WORDS, OF, written_forms
from logbook.themes.settings import ThemeSettings

if TYPE_CHECKING:
    from logbook.store import Store

# A phrase covered by a longer one in at least this share of its entries is left out.
COVER = 0.75


@dataclass
class PhraseStage:
    """A corpus, each entry's week (ordinal of the week's first day), and its recurring
    phrases: their names (lemmas), labels (as most often written) and a binary
    entries × phrases matrix (CSC)."""

    corpus: Corpus
    ordinals: Any  # numpy int64 per entry
    names: list[str]
    labels: list[str]
    matrix: Any


@dataclass
class PhraseCounts:
    """Every phrase in ``min_entries`` texts or more, alphabetically, with a binary
    texts × phrases matrix and the way each word (lemma) is most often written."""

    vocabulary: Any  # numpy object array of phrases
    matrix: Any  # scipy.sparse.csc_matrix
    written: dict[str, str]


def one_hot(index: Any, width: int) -> Any:
    """A sparse rows × ``width`` matrix with a 1 in column ``index[row]`` of each row."""
    import numpy as np
    from scipy import sparse

    rows = len(index)
    return sparse.csr_matrix(
        (np.ones(rows, dtype=np.int32), (np.arange(rows), index)), shape=(rows, width)
    )


def count_texts(texts: list[str], min_entries: int) -> PhraseCounts:
    """The phrases of ``texts`` in ``min_entries`` of them or more, found by
    ``phrase_columns`` over the whole corpus at once instead of text by text."""
    import numpy as np
    from scipy import sparse

    surfaces: Counter[str] = Counter()
    terms, starts, rows = phrase_columns(texts, min_entries, surfaces)
    if not terms:
        empty = sparse.csc_matrix((len(texts), 0), dtype=np.int32)
        return PhraseCounts(np.empty(0, dtype=object), empty, {})
    # built from its parts: the rows of each phrase come sorted, nothing to convert
    matrix = sparse.csc_matrix(
        (np.ones(len(rows), dtype=np.int32), rows, starts), shape=(len(texts), len(terms))
    )
    vocabulary = np.empty(len(terms), dtype=object)
    vocabulary[:] = terms
    return PhraseCounts(vocabulary, matrix, written_forms(surfaces))


def phrase_stage(store: Store, settings: ThemeSettings) -> PhraseStage:
    """The recurring phrases of the entries ``settings`` select: a phrase is kept when it is
    in ``min_entries`` entries in two weeks or more, and is not covered by a longer one.

    Kept in the themes cache (``logbook.themes.cache``) until the store changes: the key
    holds the store's change counter (every write bumps it), and a result is saved under
    the counter its entries were read at.
    """
    settings_key = settings.cache_key()
    cached = theme_cache.load(store.location.key, (store.changes(), *settings_key))
    if isinstance(cached, PhraseStage):
        return cached
    result = _count_stage(store, settings)
    theme_cache.save(store.location.key, (result.corpus.changes, *settings_key), result)
    return result


def _count_stage(store: Store, settings: ThemeSettings) -> PhraseStage:
    import numpy as np
    from scipy import sparse

    corpus = store.corpus(
        settings.kinds, settings.since, settings.until, generated_posts=settings.generated_posts
    )
    texts, corpus.texts = corpus.texts, []  # counted once; the cache keeps only the matrices
    n = len(corpus.kinds)
    tz, week_start = settings.tz, settings.week_start
    ordinals = np.fromiter(
        (week_start_ordinal(moment, tz, week_start) for moment in corpus.created),
        dtype=np.int64,
        count=n,
    )
    empty = sparse.csc_matrix((n, 0), dtype=np.int32)
    if n < settings.min_entries:
        return PhraseStage(corpus, ordinals, [], [], empty)
    counts = count_texts(texts, settings.min_entries)
    vocabulary, counted = counts.vocabulary, counts.matrix
    if not len(vocabulary):
        return PhraseStage(corpus, ordinals, [], [], empty)
    df = np.diff(counted.indptr)
    relative = (ordinals - ordinals.min()) // 7
    in_weeks = (counted.T @ one_hot(relative, int(relative.max()) + 1)).tocsr()
    in_weeks.eliminate_zeros()
    spread = np.diff(in_weeks.indptr)
    kept = np.flatnonzero((df >= settings.min_entries) & (spread >= 2))
    kept = _longest(kept, vocabulary, df)
    names = [str(vocabulary[i]) for i in kept]
    written = counts.written
    labels = [" ".join(map(written.get, words, words)) for words in map(str.split, names)]
    return PhraseStage(corpus, ordinals, names, labels, counted[:, kept])


def _longest(kept: Any, vocabulary: Any, df: Any) -> Any:
    """Leave out phrases made of generic words only, and phrases that a longer kept phrase
    covers in most of their entries."""
    import numpy as np

    terms = vocabulary.tolist()
    chosen = kept.tolist()
    frequency = dict(zip([terms[i] for i in chosen], df[kept].tolist(), strict=True))
    dropped: set[str] = set()
    generic = GENERIC_WORDS | {OF}
    for phrase, count in frequency.items():
        if " " not in phrase:
            continue
        words = phrase.split(" ")
        if generic.issuperset(words):
            dropped.add(phrase)  # "baseline model", "training data": nothing specific
            continue
        if words[1] == OF:
            parts = [words[0], words[2]]
        elif len(words) == 3:
            parts = [*words, f"{words[0]} {words[1]}", f"{words[1]} {words[2]}"]
        else:
            parts = words
        for part in parts:
            covered = frequency.get(part)
            if covered is not None and count >= COVER * covered:
                dropped.add(part)
    if not dropped:
        return kept
    return np.array([i for i in chosen if terms[i] not in dropped], dtype=np.int64)
