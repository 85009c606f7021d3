"""Near-duplicate matters ("me too"): two texts are likely the same matter when their TF-IDF vectors (jieba words
of title and details, the title counted twice) have a cosine similarity of at least a threshold.

Used three ways: all pairs of a set of messages (the benchmark on Teddy Cup attachment 3), the open cases near the
same place that a citizen sees before submitting, and the likely duplicates staff see on a case.
"""

from __future__ import annotations

from dataclasses import dataclass

from lianxin.topics import text

DETAILS_CHARS = 400


@dataclass(frozen=True)
class Pair:
    left: int
    right: int
    score: float


def document(title: str, details: str) -> str:
    title = text.clean(title)
    return f"{title} {title} {text.clean(details)[:DETAILS_CHARS]}"


def _vectors(documents: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: PLC0415 — heavy; only when comparing

    vectorizer = TfidfVectorizer(analyzer=text.analyzer, sublinear_tf=True, min_df=1)
    return vectorizer.fit_transform(documents)


def similar_pairs(documents: list[str], *, threshold: float) -> list[Pair]:
    """Every pair (i < j) of documents at least `threshold` alike, most alike first. Sparse products in blocks of
    rows, so memory stays linear in the number of pairs found."""
    if len(documents) < 2:
        return []
    matrix = _vectors(documents)
    pairs: list[Pair] = []
    block = 500
    for start in range(0, matrix.shape[0], block):
        sims = (matrix[start : start + block] @ matrix.T).tocoo()
        keep = (sims.data >= threshold) & (sims.col > sims.row + start)
        for row, col, value in zip(sims.row[keep], sims.col[keep], sims.data[keep], strict=True):
            pairs.append(Pair(start + int(row), int(col), float(value)))
    pairs.sort(key=lambda p: (-p.score, p.left, p.right))
    return pairs


def most_similar(query: str, documents: list[str], *, threshold: float, limit: int) -> list[tuple[int, float]]:
    """Indexes of the documents most like `query` (at least `threshold`), best first."""
    if not documents or not text.analyzer(query):
        return []
    matrix = _vectors([query, *documents])
    sims = (matrix[1:] @ matrix[0].T).toarray().ravel()
    ranked = sorted(((i, float(s)) for i, s in enumerate(sims) if s >= threshold), key=lambda x: -x[1])
    return ranked[:limit]
