"""The text of an audit entry in the reader's language.

A step the system words itself (“已交办区住建局办理。”, “群众评价：满意。”) is not stored as a sentence to show:
the entry keeps its action code and the data the sentence needs, and the sentence is rendered when the entry is
shown, in the language of whoever reads it. Words a person wrote (a deputy's reply, a citizen's comment, a
staff member's instruction) are stored in `message` as typed and shown as typed, below the system's sentence.

Each app registers the sentences of its own actions (`register`, at import of its labels module); the timelines
and the audit log call `entry_text`. Old entries stay readable: an entry written before its action stored the
data keeps the Chinese sentence of its time in `message`, and that is what is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

# Data key set on entries whose `message` holds only words a person wrote (or nothing): the system's sentence is
# rendered from the data. Entries without it (written before) stored the whole sentence in `message`.
WORDS_ONLY = "words_only"


@dataclass(frozen=True)
class Sentence:
    # A lazy translation with %(name)s placeholders filled from the entry's data (and the caller's extras), or a
    # function of that dict returning the text, or None when the data does not allow it.
    text: object
    # True: the entry's `message` holds a person's words, shown below the sentence (entries marked WORDS_ONLY);
    # False: the message is the sentence of the entry's own time and is replaced by the rendered one.
    words: bool = False


_SENTENCES: dict[str, Sentence] = {}


def register(sentences: dict[str, object], *, words: bool = False) -> None:
    """Register the sentences of some actions: {action: lazy text or function(data) -> str | None}."""
    for action, text in sentences.items():
        _SENTENCES[action] = Sentence(text, words)


def registered(action: str) -> bool:
    return action in _SENTENCES


def entry_text(action: str, data: dict | None, message: str, **extra) -> str:
    """What an entry says, in the active language. The stored message when the action has no sentence, when the
    entry predates the data the sentence needs, or when the data lacks a key of it."""
    sentence = _SENTENCES.get(action)
    if sentence is None:
        return message
    data = data or {}
    if sentence.words and not data.get(WORDS_ONLY):
        return message
    values = {**data, **extra}
    try:
        if isinstance(sentence.text, (str, Promise)):
            text = sentence.text % values
        else:
            text = sentence.text(values)
    except (KeyError, TypeError, ValueError):
        return message
    if text is None:
        return message
    text = str(text)
    if sentence.words and message:
        return f"{text}\n{message}" if text else message
    return text


def words_only(**data) -> dict:
    """The data of an entry whose message holds only a person's words."""
    return {**data, WORDS_ONLY: True}
