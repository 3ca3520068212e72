"""'Did you mean' with an index: close names are found without comparing every pair.

Candidates are indexed by their character trigrams. A query looks only at the candidates that
share its rarest trigrams (a bounded number of postings each), ranks them by shared trigrams
and compares the best few with difflib. The cost per query is bounded whatever the number of
candidates, so thousands of unknown names against thousands of aliases stay fast.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable

_RAREST = 6  # trigrams of the query that are looked up
_POSTINGS = 256  # candidates read per trigram at most
_COMPARED = 12  # best-ranked candidates compared with difflib
_CUTOFF = 0.6


def _trigrams(text: str) -> set[str]:
    padded = f"  {text.casefold()} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


class Suggester:
    def __init__(self, candidates: Iterable[str]) -> None:
        self.candidates = list(dict.fromkeys(candidates))
        self._index: dict[str, list[int]] | None = None
        self._cache: dict[str, str | None] = {}

    def _postings(self) -> dict[str, list[int]]:
        if self._index is None:  # built on the first query: most runs never ask
            index: dict[str, list[int]] = {}
            for i, candidate in enumerate(self.candidates):
                for gram in _trigrams(candidate):
                    index.setdefault(gram, []).append(i)
            self._index = index
        return self._index

    def closest(self, name: str) -> str | None:
        if name in self._cache:
            return self._cache[name]
        index = self._postings()
        grams = sorted((g for g in _trigrams(name) if g in index), key=lambda g: len(index[g]))[:_RAREST]
        shared: Counter[int] = Counter()
        for gram in grams:
            shared.update(index[gram][:_POSTINGS])
        scored = []
        for i, _ in shared.most_common(_COMPARED):
            candidate = self.candidates[i]
            ratio = difflib.SequenceMatcher(None, candidate, name).ratio()
            if ratio >= _CUTOFF:
                scored.append((ratio, candidate))
        best = max(scored)[1] if scored else None  # as difflib.get_close_matches ranks them
        self._cache[name] = best
        return best

    def hint(self, name: str) -> str:
        found = self.closest(name)
        return f"did you mean {found!r}?" if found else ""


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A one-off suggestion (for small candidate lists such as field names)."""
    return Suggester(candidates).hint(name)
