"""``logbook related REF``: the ideas, papers and posts nearest to one entry, found locally.

Every entry (idea text; paper title and abstract; post title and body; removed entries left
out) is turned into the key phrases themes use (``phrases.count_phrases``: words reduced to
their singular, stop words and generic research words out, 1–3 word phrases and "x of y").
A phrase found in one entry only can never be shared, so the vocabulary is the phrases of
two entries or more. The weighting is tf-idf with binary term frequency:

    weight(entry, phrase) = 1 + ln((1 + N) / (1 + df(phrase)))   if the entry has the phrase

(N entries, df the entries holding the phrase: scikit-learn's smoothed idf), each entry's
vector scaled to length 1, and the score of a pair is the cosine of their vectors (0 to 1).
The shared terms shown are the phrases that add most to a score. No model, no network.

The weighted matrix is kept in the themes cache (``logbook.themes.cache``, as ``related``)
under the store's change counter, so only the first query after a write counts phrases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from logbook.errors import NotFoundError, UsageError
from logbook.numbers import is_number, number_in_range
from logbook.store.kinds import ENTRY_KINDS, one_of
from logbook.themes import cache as theme_cache
from logbook.themes.phrase_counts import count_phrases
from logbook.themes.phrases import written_forms

if TYPE_CHECKING:
    from logbook.store import Store

# Bumped when RelatedIndex changes shape or the weighting changes.
INDEX_VERSION = 5
SHARED_MIN = 2  # a phrase in one entry only is never shared: not kept in the index
SHARED_TERMS = 5  # shared terms shown per match


@dataclass
class RelatedIndex:
    """Every entry's tf-idf vector (unit length) and its identity.

    The vectors are plain numpy arrays by term (``term_start`` into ``term_rows``/
    ``term_weights``), so a query is a scan for its entry, a few gathers and one
    ``bincount``: no scipy import (0.3 s) on the path that must answer within a second.
    """

    kinds: list[str]
    ids: list[int]
    titles: list[str]
    terms: list[str]  # the phrases, as lemmas
    written: dict[str, str]  # lemmas whose most written form differs (for the shared terms)
    term_start: Any
    term_rows: Any
    term_weights: Any
    changes: int

    def row(self, kind: str, number: int) -> int | None:
        """The row of an entry, or None when it is not indexed (removed, or no such entry)."""
        for row, (k, n) in enumerate(zip(self.kinds, self.ids, strict=True)):
            if k == kind and n == number:
                return row
        return None

    def vector(self, row: int) -> tuple[Any, Any]:
        """The terms and weights of one entry."""
        import numpy as np

        positions = np.flatnonzero(self.term_rows == row)  # ~1 ms for a million pairs
        terms = np.searchsorted(self.term_start, positions, side="right") - 1
        return terms, self.term_weights[positions]

    def scores(self, row: int) -> Any:
        """The cosine of every entry with entry ``row`` (float64, one per entry)."""
        import numpy as np

        terms, weights = self.vector(row)
        starts, ends = self.term_start[terms], self.term_start[terms + 1]
        lengths = ends - starts
        # the positions of every (entry, weight) pair of the query's terms, in one array
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        positions = offsets + np.arange(int(lengths.sum()))
        products = self.term_weights[positions].astype(np.float64) * np.repeat(weights, lengths)
        return np.bincount(self.term_rows[positions], weights=products, minlength=len(self.ids))


@dataclass
class Match:
    """One related entry, its score and the phrases that explain it."""

    kind: str
    id: int
    title: str
    score: float
    shared: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "score": round(self.score, 4),
            "shared_terms": self.shared,
        }


@dataclass
class Related:
    """The entry asked about and its nearest entries, best first."""

    kind: str
    id: int
    title: str
    matches: list[Match]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON form."""
        return {
            "entry": {"kind": self.kind, "id": self.id, "title": self.title},
            "related": [m.to_dict() for m in self.matches],
        }


def parse_ref(ref: str) -> tuple[str, str]:
    """``(kind, key)`` for ``12``, ``#12``, ``idea:12``, ``paper:ID``, an arXiv id, ``post:3``."""
    text = ref.strip()
    kind, sep, rest = text.partition(":")
    if sep and kind.lower() in ENTRY_KINDS and rest.strip():
        return kind.lower(), rest.strip().lstrip("#")
    if is_number(text.lstrip("#")):
        return "idea", text.lstrip("#")
    from logbook.arxiv_ids import parse_arxiv_id

    if parse_arxiv_id(text) is not None:
        return "paper", text
    raise UsageError(
        f"{ref!r} is not an entry: use an idea number (12 or idea:12), paper:12, "
        "an arXiv id (1706.03762) or post:3"
    )


def load_index(store: Store) -> RelatedIndex:
    """The tf-idf index of every entry, from the cache when the store has not changed."""
    key = (INDEX_VERSION, store.changes())
    cached = theme_cache.load(store.location.key, key, name="related")
    if isinstance(cached, RelatedIndex):
        return cached
    index = build_index(store)
    theme_cache.save(store.location.key, (INDEX_VERSION, index.changes), index, name="related")
    return index


def build_index(store: Store) -> RelatedIndex:
    """Count the phrases of every entry and weight them (see the module docstring)."""
    import numpy as np

    corpus = store.corpus(ENTRY_KINDS, None, None)
    n = len(corpus.kinds)
    surfaces: Counter[str] = Counter()
    # every phrase, so that the vectors' lengths count the phrases no other entry has
    terms, rows, columns = count_phrases(corpus.texts, 1, surfaces)
    df = np.bincount(columns, minlength=len(terms)).astype(np.float64)
    idf = 1.0 + np.log((1.0 + n) / (1.0 + df))
    values = idf[columns] if len(columns) else np.zeros(0)
    lengths = np.sqrt(np.bincount(rows, weights=values**2, minlength=n))
    lengths[lengths == 0] = 1.0
    shared = df[columns] >= SHARED_MIN
    kept = np.flatnonzero(df >= SHARED_MIN)
    renumber = np.full(len(terms), -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    rows, columns = rows[shared], renumber[columns[shared]]
    weights = (values[shared] / lengths[rows]).astype(np.float32)
    by_term = np.lexsort((rows, columns))
    written = written_forms(surfaces)
    return RelatedIndex(
        kinds=list(corpus.kinds),
        ids=list(corpus.ids),
        titles=list(corpus.titles),
        terms=[terms[i] for i in kept.tolist()],
        written={lemma: form for lemma, form in written.items() if form != lemma},
        term_start=_starts(columns, len(kept)),
        term_rows=rows[by_term].astype(np.int32),
        term_weights=weights[by_term],
        changes=corpus.changes,
    )


def _starts(keys: Any, size: int) -> Any:
    """Where each key's run starts in ``keys`` sorted, plus the end (``size + 1`` values)."""
    import numpy as np

    return np.concatenate(([0], np.cumsum(np.bincount(keys, minlength=size)))).astype(np.int64)


def find_related(
    store: Store, ref: str, *, kinds: Sequence[str] | None = None, limit: int = 10
) -> Related:
    """The ``limit`` entries (of ``kinds``, default all) nearest to the one ``ref`` names.

    Raises ``UsageError`` for a ref that names no kind of entry, ``NotFoundError`` when the
    entry is not in the store (or was removed).
    """
    import numpy as np

    wanted = {one_of(k, ENTRY_KINDS, "a kind of entry") for k in kinds} if kinds else None
    kind, key = parse_ref(ref)
    number = _number(store, kind, key)
    index = load_index(store)
    row = index.row(kind, number)
    if row is None:
        raise NotFoundError(f"no {kind} #{number} (or it was removed)")
    scores = index.scores(row)
    scores[row] = 0.0
    if wanted is not None:
        keep = np.fromiter((k in wanted for k in index.kinds), dtype=bool, count=len(index.kinds))
        scores[~keep] = 0.0
    candidates = np.flatnonzero(scores > 0)
    if limit and len(candidates) > limit:
        candidates = candidates[np.argpartition(-scores[candidates], limit - 1)[:limit]]
    # best first; ties in entry order, so the answer is the same on every run
    order = sorted(candidates.tolist(), key=lambda r: (-scores[r], r))
    matches = [
        Match(
            index.kinds[r], index.ids[r], index.titles[r], float(scores[r]), _shared(index, row, r)
        )
        for r in order
    ]
    return Related(kind, number, index.titles[row], matches)


def _number(store: Store, kind: str, key: str) -> int:
    if kind == "paper" and not is_number(key):
        return store.papers.get(key, archived=False).id
    number = number_in_range(key) if is_number(key) else None
    if number is None:
        raise UsageError(f"{key!r} is not a {kind} number")
    return number


def _shared(index: RelatedIndex, query: int, row: int) -> list[str]:
    """The phrases that add most to the score of ``row`` against ``query``, largest first."""
    import numpy as np

    q_terms, q_weights = index.vector(query)
    terms, weights = index.vector(row)
    common, q_at, at = np.intersect1d(q_terms, terms, assume_unique=True, return_indices=True)
    contribution = q_weights[q_at].astype(np.float64) * weights[at]
    ranked = np.lexsort((common, -contribution))[:SHARED_TERMS]
    written = index.written
    return [
        " ".join(written.get(word, word) for word in index.terms[column].split())
        for column in common[ranked].tolist()
    ]
