"""Parsing texts of any length: a text over the piece size is parsed in paragraph-aligned
pieces and the pieces' Docs are joined into one, whose text is the original text, so that
every character offset stays correct.

    for doc in pieces.pipe(nlp, texts):   # like nlp.pipe, one Doc per text, in order
        ...

Sentences never cross a paragraph break (crosswire.nlp's paragraph_breaks component), so a
cut after a blank line changes nothing the parser would have seen. The piece size is in
crosswire/data/limits.toml.
"""
from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator

from .datafiles import read_toml

MAX_CHARS: int = read_toml("limits.toml")["pieces"]["max_chars"]
BATCH_CHARS: int = read_toml("limits.toml")["pieces"]["batch_chars"]
# where a piece may end, best first: after a blank line, a line break, a sentence, a space
_BREAKS = (re.compile(r"\n[^\S\n]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"'”’)\]]*\s+"),
           re.compile(r"\s+"))


def cut_points(text: str, max_chars: int = MAX_CHARS) -> list[int]:
    """Offsets at which to cut `text` so that no piece is longer than max_chars: after
    the last paragraph break in the second half of a window, else a line break, a sentence
    end, a space; a text without any is cut at max_chars."""
    cuts, start = [], 0
    while len(text) - start > max_chars:
        end = start + max_chars
        cut = None
        for pattern in _BREAKS:
            last = None
            for m in pattern.finditer(text, start + max_chars // 2, end):
                last = m
            if last is not None and last.end() <= end:
                cut = last.end()
                break
        cut = cut or end
        cuts.append(cut)
        start = cut
    return cuts


def split(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    bounds = [0, *cut_points(text, max_chars), len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


def pipe(nlp, texts: Iterable[str], batch_size: int = 64, max_chars: int | None = None) -> Iterator:
    """nlp.pipe over texts of any length: one Doc per text, in order; `doc.text` is the
    text given, however many pieces it was parsed in."""
    from spacy.tokens import Doc

    limit = min(max_chars or MAX_CHARS, nlp.max_length)
    owners: deque[bool] = deque()  # for each piece sent: whether it is its text's last

    def each_piece():
        for text in texts:
            parts = split(text, limit)
            for k, part in enumerate(parts):
                owners.append(k == len(parts) - 1)
                yield part

    done: list = []
    for doc in _batched_pipe(nlp, each_piece(), batch_size):
        done.append(doc)
        if owners.popleft():
            yield done[0] if len(done) == 1 else Doc.from_docs(done, ensure_whitespace=False)
            done = []


def _batched_pipe(nlp, texts: Iterable[str], batch_size: int, batch_chars: int | None = None) -> Iterator:
    """nlp.pipe over texts in batches of at most batch_size texts and batch_chars characters
    (one text longer than that is a batch alone): spaCy's working memory grows with the
    characters of a batch, so that a long article's pieces are not parsed all at once."""
    budget = batch_chars or BATCH_CHARS
    group: list[str] = []
    size = 0
    for text in texts:
        if group and (len(group) >= batch_size or size + len(text) > budget):
            yield from nlp.pipe(group, batch_size=len(group))
            group, size = [], 0
        group.append(text)
        size += len(text)
    if group:
        yield from nlp.pipe(group, batch_size=len(group))
