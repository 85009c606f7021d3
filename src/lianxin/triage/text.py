"""Chinese text → the space-separated words the classifier reads.

The training data (teddy2020 附件2) was segmented by a contestant with jieba, with stop words removed. Raw text
(a case's title and details, the report page while the citizen types) is segmented with the same jieba dictionary
here, and the same kinds of words are dropped: punctuation, numbers, single Latin letters and the function words
in `data/stopwords.txt` (words jieba finds often in the board's other messages, 附件3, that never occur in the
training tokens and that jieba tags as particles, prepositions, conjunctions, pronouns, adverbs or numerals;
`scripts/triage_stopwords.py` lists them again). The words left match the training tokens' form.
"""

from __future__ import annotations

import functools
import logging
import re
from pathlib import Path

import jieba

DATA = Path(__file__).resolve().parent / "data"
# Numbers, punctuation, whitespace and lone Latin letters never occur in the training tokens.
_DROP = re.compile(r"^(?:[\W_]+|[0-9０-９.．,，%％]+|[A-Za-z])$")
TEXT_MAX = 5100  # a case's title (100) and details (5000)

jieba.setLogLevel(logging.WARNING)


@functools.cache
def stopwords() -> frozenset[str]:
    lines = (DATA / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@functools.cache
def _tokenizer() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def segment(text: str) -> str:
    """The words of raw Chinese text, space-separated, as the training data has them."""
    text = (text or "")[:TEXT_MAX].strip()
    if not text:
        return ""
    stop = stopwords()
    words = (word.strip() for word in _tokenizer().cut(text))
    return " ".join(word for word in words if word and word not in stop and not _DROP.match(word))


def message_tokens(title: str, details: str) -> str:
    """A message as the classifier reads it: title then details (the training rows are 主题 + 详情)."""
    return segment(f"{title or ''}\n{details or ''}")
