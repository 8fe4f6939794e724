"""The phrases of a whole corpus at once: the same phrases as ``phrases.phrases`` finds text
by text, counted with numpy (one array of lemma numbers, integer codes for the 1–3 word runs
and ``x of y``, one sort per kind of phrase), for themes and ``related``.

numpy is imported only inside the functions that count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from logbook.themes.phrases import _BREAK, _LEMMAS, _TOKEN, GENERIC_WORDS, OF, _lemma, clean_text


class _TokenNumbers(dict[str, int]):
    """Token → its number, in the order first seen (a new token gets the next one)."""

    def __missing__(self, token: str) -> int:
        number = self[token] = len(self)
        return number


class _LemmaNumbers(dict[str, int]):
    """Token → number of its lemma (``0`` ends a phrase, ``1`` is ``of``); a token seen for
    the first time is lemmatized once, with ``lemmas`` growing as new lemmas appear."""

    def __init__(self) -> None:
        super().__init__()
        self.lemmas: list[str] = [_BREAK, OF]
        self.numbers: dict[str, int] = {_BREAK: 0, OF: 1}

    def __missing__(self, token: str) -> int:
        lemma = _LEMMAS.get(token)
        if lemma is None:
            lemma = _LEMMAS[token] = _lemma(token)
        number = self.numbers.get(lemma)
        if number is None:
            number = self.numbers[lemma] = len(self.lemmas)
            self.lemmas.append(lemma)
        self[token] = number
        return number


def count_phrases(
    texts: Sequence[str], min_texts: int, surfaces: Counter[str] | None = None
) -> tuple[list[str], Any, Any]:
    """The phrases of ``texts`` (as ``phrases`` finds them) that are in ``min_texts`` texts or
    more, in alphabetical order, and where they are: ``(phrases, rows, columns)``, one pair
    (text, phrase) per text a phrase is in (``phrase_columns`` gives them by phrase)."""
    import numpy as np

    names, starts, rows = phrase_columns(texts, min_texts, surfaces)
    return names, rows, np.repeat(np.arange(len(names)), np.diff(starts))


def phrase_columns(
    texts: Sequence[str], min_texts: int, surfaces: Counter[str] | None = None
) -> tuple[list[str], Any, Any]:
    """The phrases of ``texts`` in ``min_texts`` texts or more, alphabetically, and their
    texts phrase by phrase: ``(phrases, starts, rows)``, the texts of phrase ``i`` being
    ``rows[starts[i]:starts[i + 1]]`` in order (a CSC matrix's ``indptr`` and ``indices``).

    The same phrases as ``phrases`` text by text, found over the whole corpus at once: each
    token becomes its lemma's number, the texts become one array (a break between texts),
    and the 1–3 word runs and ``x of y`` become integer codes; one sort per kind of phrase
    counts each (code, text) once, so only the phrases that are kept are ever built as
    strings, and a run of three is looked at only when its first two words were kept.
    """
    import numpy as np

    # each token as written gets a number in the order first seen ("" parts the texts), and
    # each of those numbers its lemma's: the texts' words are counted once, not per text
    seen = _TokenNumbers({"": 0})
    token_ids: list[int] = []
    for text in texts:
        token_ids.extend(map(seen.__getitem__, _TOKEN.findall(clean_text(text))))
        token_ids.append(0)  # texts never run into each other
    written = np.array(token_ids, dtype=np.int32)
    del token_ids
    tokens = list(seen)
    if surfaces is not None:
        counts = np.bincount(written, minlength=len(tokens)).tolist()
        surfaces.update(dict(zip(tokens[1:], counts[1:], strict=True)))
    numbers = _LemmaNumbers()
    # int32 each (codes are made in int64): the arrays of every token are most of the memory
    word = np.array([0, *map(numbers.__getitem__, tokens[1:])], dtype=np.int32)[written]
    text_of = (np.cumsum(written == 0, dtype=np.int32) - (written == 0)).astype(np.int32)
    del written
    lemmas = numbers.lemmas
    size = len(lemmas)
    n_texts = max(len(texts), 1)
    is_word = word >= 2
    generic = np.fromiter((lemma in GENERIC_WORDS for lemma in lemmas), dtype=bool, count=size)
    names: list[str] = []
    rows_all, lengths_all = [], []

    def keep(rows: Any, codes: Any) -> Any:
        """Count each (text, code) once and keep the codes in ``min_texts`` texts or more:
        one sort of ``code * texts + text`` gives, in one pass, each pair once, grouped by
        code (its texts in order) and each code's number of texts. The codes kept, sorted."""
        if not len(codes):
            return codes
        distinct = None
        if int(codes.max()) >= (1 << 62) // n_texts:  # the keys would overflow: number the codes
            distinct, codes = np.unique(codes, return_inverse=True)
            codes = codes.reshape(-1)
        keys = codes.astype(np.int64) * n_texts
        keys += rows
        keys.sort()
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
        code_of = keys // n_texts
        starts = np.flatnonzero(np.concatenate(([True], code_of[1:] != code_of[:-1])))
        texts_of_code = np.diff(np.append(starts, len(keys)))
        frequent = texts_of_code >= min_texts
        rows = (keys - code_of * n_texts)[np.repeat(frequent, texts_of_code)]
        rows_all.append(rows.astype(np.int32))
        lengths_all.append(texts_of_code[frequent])
        codes = code_of[starts[frequent]]
        return codes if distinct is None else distinct[codes]

    # one word, never a generic one
    starts = np.flatnonzero(is_word & ~generic[word])
    names.extend(lemmas[code] for code in keep(text_of[starts], word[starts]).tolist())
    # two words in a row
    pair = np.flatnonzero(is_word[:-1] & is_word[1:])
    pair_codes = keep(text_of[pair], word[pair].astype(np.int64) * size + word[pair + 1])
    names.extend(f"{lemmas[code // size]} {lemmas[code % size]}" for code in pair_codes.tolist())
    # three words in a row: a text with one has its first two words, so only the three
    # that begin with a kept pair can be kept (coded by that pair's rank)
    three = np.flatnonzero(is_word[:-2] & is_word[1:-1] & is_word[2:])
    if len(pair_codes):
        lead = word[three].astype(np.int64) * size + word[three + 1]
        if size * size <= 1 << 24:  # a table of every pair code: one gather
            table = np.full(size * size, -1, dtype=np.int64)
            table[pair_codes] = np.arange(len(pair_codes))
            rank = table[lead]
            known = rank >= 0
        else:
            rank = np.minimum(np.searchsorted(pair_codes, lead), len(pair_codes) - 1)
            known = pair_codes[rank] == lead
        three, rank = three[known], rank[known]
        del lead, known
        codes = keep(text_of[three], rank * size + word[three + 2]).tolist()
        pairs_of = pair_codes.tolist()
        names.extend(
            f"{lemmas[pairs_of[code // size] // size]} "
            f"{lemmas[pairs_of[code // size] % size]} {lemmas[code % size]}"
            for code in codes
        )
    # x of y, unless both are generic words
    middle = np.flatnonzero(word[1:-1] == 1) + 1
    before, after = word[middle - 1], word[middle + 1]
    middle = middle[(before >= 2) & (after >= 2) & ~(generic[before] & generic[after])]
    before_kept = word[middle - 1].astype(np.int64)
    codes = keep(text_of[middle], before_kept * size + word[middle + 1]).tolist()
    names.extend(f"{lemmas[code // size]} {OF} {lemmas[code % size]}" for code in codes)
    if not names:
        return [], np.zeros(1, dtype=np.int64), np.empty(0, dtype=np.int32)
    # the phrases in alphabetical order: their runs of rows moved with them
    order = np.array(sorted(range(len(names)), key=names.__getitem__), dtype=np.int64)
    lengths = np.concatenate(lengths_all)
    found = np.concatenate(([0], np.cumsum(lengths)))
    starts = np.concatenate(([0], np.cumsum(lengths[order])))
    rows = np.concatenate(rows_all)
    rows_all.clear()
    moved = np.repeat(found[order] - starts[:-1], lengths[order])
    moved += np.arange(len(moved))
    return [names[i] for i in order.tolist()], starts, rows[moved]
