"""Title Case headlines parsed as the sentences they are.

A headline with every word capitalised ("Mayor Says Bridge Will Reopen In May") reads to
the parser as a string of proper nouns: the verbs are tagged PROPN and the dependencies
break, so no cue is found. Such a line is parsed in a sentence-cased copy of the same
length ("Mayor says bridge will reopen in May"), and the parse is put back onto the
original words: offsets never change, since a change of case keeps every character in
its place.

A word keeps its capital when it is a name: written capitalised inside a sentence of the
article's other text (its body), all capitals ("FBI"), a capital inside the word
("McCain"), or the line's first word. Every other word is lower-cased. Which lines are
Title Case headlines, in crosswire/data/headlines.toml.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .datafiles import read_toml

SETTINGS: dict = read_toml("headlines.toml")["title_case"]
_SMALL = frozenset(SETTINGS["small_words"])
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_CAPITALISED = re.compile(r"(?<![\w'’\-])[^\W\d_a-z][\w'’\-]*")
_SENTENCE_ENDS = frozenset(".!?:;\"“”‘’")


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def capitalised_share(line: str) -> float | None:
    """The share of the words of `line` written capitalised, the small words (articles,
    short prepositions and conjunctions, which title case leaves low) not counted; None
    when fewer than min_words are left to judge."""
    big = [w for w in _words(line) if w.lower() not in _SMALL]
    if len(big) < SETTINGS["min_words"]:
        return None
    return sum(w[0].isupper() for w in big) / len(big)


def is_title_case(line: str, section: str = "title") -> bool:
    """`line` is a Title Case headline: capitalised_share at least the section's threshold
    (a headline's, or within prose, a subhead's: every word capitalised, since a sentence
    full of names still has a verb in lower case)."""
    share = capitalised_share(line)
    limit = SETTINGS["capitalised_share"] if section == "title" else SETTINGS["capitalised_share_in_prose"]
    return share is not None and share >= limit


def names_in(fields: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The words the (section, text) fields write capitalised inside a sentence (not after a
    sentence end, a line break or a quotation mark), lines in Title Case left out: the
    article's names."""
    out = set()
    for line, section in ((line, section) for section, text in fields for line in text.split("\n")):
        if is_title_case(line, section):
            continue
        for m in _CAPITALISED.finditer(line):
            w = m.group()
            j = m.start() - 1
            while j >= 0 and line[j] in " \t":
                j -= 1
            if w[0].isupper() and j >= 0 and line[j] not in _SENTENCE_ENDS:
                out.add(w)
    return frozenset(out)


def _keeps_capital(word: str, names: frozenset[str]) -> bool:
    return (not word[0].isupper() or word in names or len(word) > 1 and word.isupper()
            or any(c.isupper() for c in word[1:]))


def sentence_case(text: str, names: frozenset[str], section: str = "title") -> str:
    """`text` with its Title Case lines in sentence case (same length, same characters but
    for case): the first word of a line and the words that `names` holds (or that look like
    names: all capitals, a capital inside) keep their capitals."""
    if not any(is_title_case(line, section) for line in text.split("\n")):
        return text
    out = []
    for line in text.split("\n"):
        if is_title_case(line, section):
            first = True

            def lower(m, names=names):
                nonlocal first
                w = m.group()
                if first:
                    first = False
                    return w
                return w if _keeps_capital(w, names) else w[0].lower() + w[1:]
            line = _WORD.sub(lower, line)
        out.append(line)
    return "\n".join(out)


def for_parsing(fields: Iterable[tuple[str, str]]) -> list[str]:
    """The texts of one article's (section, text) fields as the parser should see them:
    Title Case lines sentence-cased, names taken from all the article's text."""
    fields = list(fields)
    if not any(is_title_case(line, section) for section, text in fields for line in text.split("\n")):
        return [text for _, text in fields]
    names = names_in(fields)
    return [sentence_case(text, names, section) for section, text in fields]


def restore(doc, text: str):
    """`doc`, parsed from a recased copy of `text`, as a Doc of `text`: the same tokens
    and annotations on the original characters."""
    parsed = doc.text
    if parsed == text:
        return doc
    if len(parsed) != len(text):
        raise ValueError("a recased text must keep the original's length")
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, MORPH, POS, SENT_START, TAG
    from spacy.tokens import Doc

    attrs = [TAG, POS, MORPH, HEAD, DEP, SENT_START, ENT_IOB, ENT_TYPE]
    out = Doc(doc.vocab, words=[text[t.idx:t.idx + len(t)] for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    out.from_array(attrs, doc.to_array(attrs))
    out.tensor = doc.tensor
    out.user_data.update(doc.user_data)
    return out
