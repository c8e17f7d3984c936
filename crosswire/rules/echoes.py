"""A headline quotes the body: a quotation of the title or the standfirst that its own
field gives no speaker ("'There is no deal': how the summit ended"), or only the several
people its label names ('"No deal until a deal": Trump, Putin end talks'), is said by whoever
says those words in the body.

Headlines cut a quotation short and recase it ("No Deal Until A Deal" for "there is no deal
until there is a deal"), so the test is on words, not on the string: every word of the
headline's quotation is a word of one body quotation. The least it takes is data
(crosswire/data/quoted_phrases.toml [echo]).
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..clean import WORD
from ..datafiles import read_toml
from . import article

_MIN_WORDS = read_toml("quoted_phrases.toml")["echo"]["min_words"]


def _words(text: str) -> set[str]:
    return {w.lower().replace("’", "'") for w in WORD.findall(text)}


@article
def echoed_in_body(found, f):
    """A headline's or standfirst's quotation whose every word one quotation of the body
    holds: that quotation's speaker, when all the body quotations that hold them have the
    same named one (and, for a label naming several people, one of them)."""
    if f.section not in ("title", "standfirst"):
        return None
    words = _words(f.words)
    if len(words) < _MIN_WORDS:
        return None
    holders = [g for g in found if g.section == "body" and g.kind != "indirect" and words <= _words(g.words)]
    names = {g.speaker.name for g in holders}
    if len(names) != 1 or None in names:
        return None
    body = holders[0].speaker
    mention = None  # a headline that names no one: no words of its own name the speaker
    if f.speaker.kind == "group":
        # the label's word for the body's speaker ("Trump, Putin" -> "Trump"), or none of them
        named = re.search(rf"\b{re.escape(body.name.split()[-1])}\b", f.speaker.mention or "", re.I)
        if named is None:
            return None
        mention = named.group()
    return replace(body, mention=mention, at=None, cue=None,
                   resolution=body.resolution if body.resolution != "pronoun" else "name")
