"""List the stop words the triage segmenter drops (src/lianxin/triage/data/stopwords.txt).

The training tokens (teddy2020 附件2, training half) were segmented by a contestant who removed stop words; the
list was not published. It is found again from the data: words that jieba finds at least 10 times in the
board's other messages (附件3, raw text) but never in the training tokens, and that jieba tags as a function
word (particle, preposition, conjunction, pronoun, adverb, numeral, measure word, interjection, punctuation;
not `eng`, Latin words such as P2P).
Place and organisation names that happen to be missing from the training half are kept (they are nouns).

    .venv/bin/python scripts/triage_stopwords.py /work/shared/data/teddy2020 > src/lianxin/triage/data/stopwords.txt
"""

import collections
import csv
import sys
from pathlib import Path

import jieba
import jieba.posseg

FUNCTION_TAGS = ("u", "p", "c", "r", "d", "m", "q", "y", "e", "o", "x", "w", "z", "f")


def main(folder: str) -> None:
    jieba.setLogLevel(60)
    root = Path(folder)
    train = collections.Counter()
    with (root / "attachment2_train4603_segmented_labeled.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            train.update(row["tokens"].split())
    seen = collections.Counter()
    tags = {}
    with (root / "attachment3_messages_with_votes.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for pair in jieba.posseg.cut((row["留言主题"] + "\n" + row["留言详情"]).strip()):
                word = pair.word.strip()
                if word:
                    seen[word] += 1
                    tags.setdefault(word, pair.flag)
    print("# Stop words of the triage segmenter: made by scripts/triage_stopwords.py (see there).")
    for word, count in seen.most_common():
        if count >= 10 and train[word] == 0 and tags[word] != "eng" and tags[word].startswith(FUNCTION_TAGS):
            print(word)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/teddy2020")
