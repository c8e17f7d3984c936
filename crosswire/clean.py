"""Turning the text of a news page into title, standfirst, summary box, body and captions.

Generic rules hold for news pages in general (ad markers, read-time lines, share and
newsletter prompts, topics footers, photo credits); a source's own rules (source.toml)
add to them. Every line taken out of the body is accounted for: in `removed`, `captions`,
`summary`, `standfirst` or `authors`. Quote characters are never touched.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .sources import CleaningRules

STAGE_VERSION = "clean-1"

# Furniture is short: a line with more words than this is never dropped by a generic rule.
FURNITURE_MAX_WORDS = 20

_FURNITURE = [
    r"advertisements?|ad|ads|sponsored( content)?|promoted( content)?|paid (post|content)",
    r"(story|article) continues (below|after)( (this|the))?( (ad|advert|advertisement))?",
    r"continue reading( (below|the main story))?|scroll (down )?to continue( with content)?",
    r"(read|reading) time:? ?\d+ ?(min|mins|minutes?)( read)?|\d+ ?(min|mins|minutes?) read",
    r"(share|tweet|email|e-mail|print|save|copy link|comments?|whatsapp|facebook|twitter|x|linkedin|telegram|reddit)"
    r"( (this|the) (article|story|page))?( on \w+)?",
    r"share (this|the) (article|story|page)\b.*|share on \w+.*",
    r"follow (us|\S+( \S+){0,3}) on \w+.*",
    r"(sign up|subscribe|register)\b.*",
    r".*\bnewsletters?\b.*",
    r"(also read|read more|read also|see also|more on this|recommended|trending|most read|related( (stories|articles|coverage|news))?)\b:?.*",
    r"(watch|listen|video|podcast)\s*:.*",
    r"click here\b.*|download (the|our) .*\bapp\b.*|get the .* app\b.*",
    r"(©|\(c\)|copyright\b).*|all rights reserved\b.*",
    r"\(?except for the headline, this story has not been edited.*",
    r"did (our|this|the) .{0,40} help\??|was this (article|summary|story|page) (helpful|useful)\??|let us know\.?|give feedback\.?",
    r"(image|photo|picture|video) (source|credit)s?\s*:.*",
    r"(getty images|reuters|afp|ap|associated press|epa|anadolu|pti|ani|ians)(\s*/\s*[\w .'-]+)?",
]
FURNITURE = re.compile(r"^(?:" + "|".join(f"(?:{p})" for p in _FURNITURE) + r")$", re.IGNORECASE)

# A topics/tags footer: this line and the short tag lines after it go.
FOOTER = re.compile(r"^(topics|tags|filed under|more (about|on))( mentioned in this (article|story))?\s*:?.{0,200}$",
                    re.IGNORECASE)
DATELINE = re.compile(r"^(updated|published|last updated|posted|first published)(\s+(on|at))?\s*:?\s*(?P<when>.{4,60})$",
                      re.IGNORECASE)
BYLINE = re.compile(r"^(?i:by|written by|words by)\s+(?P<who>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
                    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})*)\s*$")
# Photo credits inside a line mark it as a caption.
CREDIT = re.compile(
    r"(\((photo|image|picture|photograph|file photo|illustration)s?(\s+by|\s*:|\s*/|\s+credit)[^)]*\)"
    r"|\((ap|afp|reuters|getty images|epa|pti|ani)\s*(photo)?\s*(/[^)]*)?\)"
    r"|\b(photo|image|picture)( credit)?\s*:\s*[^.]{1,80}$"
    r"|[|/]\s*(getty images|reuters|afp|ap photo|epa)\b.*$)\s*$",
    re.IGNORECASE,
)
SUMMARY_START = re.compile(r"^(quick read|key points|key takeaways|takeaways|highlights|story highlights|in short|"
                           r"at a glance|tl;dr|summary|in brief)\s*:?$", re.IGNORECASE)
AI_NOTICE = re.compile(r"\b(ai[- ]generated|generated (by|with) ai|newsroom[- ]reviewed|ai summary)\b", re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙*–-]|\d{1,2}[.)])\s+")
SENTENCE_END = re.compile(r"[.!?:;…\"”’)\]]$")
WORD = re.compile(r"\w+(?:['’]\w+)*")
QUOTE_CHARS = set("\"“”‘’«»")


@dataclass
class Cleaned:
    title: str
    standfirst: str | None
    summary: str | None
    text: str
    captions: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # as written on the page; metadata parses it


def words(text: str) -> int:
    return len(WORD.findall(text))


def normalize(text: str) -> str:
    """NFC, one kind of space, no zero-width characters; quote characters untouched."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", text)
    text = re.sub(r"[^\S\n]+", " ", text)  # every kind of space but newline to one space
    return text


def paragraphs(text: str) -> list[list[str]]:
    """Blocks (separated by blank lines) of lines; hard-wrapped lines are joined back."""
    blocks = []
    for block in re.split(r"\n\s*\n", normalize(text)):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        joined: list[str] = []
        for ln in lines:
            # a line that does not end a sentence, followed by one that starts lowercase,
            # is a hard wrap, not a new paragraph
            if joined and not SENTENCE_END.search(joined[-1]) and ln[:1].islower():
                joined[-1] += " " + ln
            else:
                joined.append(ln)
        if joined:
            blocks.append(joined)
    return blocks


def _any(patterns: tuple[str, ...], line: str) -> bool:
    return any(re.search(p, line) for p in patterns)


def is_furniture(line: str, rules: CleaningRules) -> bool:
    if _any(rules.drop, line):
        return True
    return words(line) <= FURNITURE_MAX_WORDS and bool(FURNITURE.match(line))


def is_caption(line: str, rules: CleaningRules) -> bool:
    return _any(rules.captions, line) or bool(CREDIT.search(line))


def _strip_bullet(line: str) -> str:
    return BULLET.sub("", line).strip()


def clean_text(content: str, rules: CleaningRules = CleaningRules(), title: str | None = None) -> Cleaned:
    """Split a page's text into its parts. Without `title`, the first line is the title."""
    blocks = paragraphs(content)
    lines: list[tuple[int, str]] = [(b, ln) for b, block in enumerate(blocks) for ln in block]
    out = Cleaned(title=normalize(title).strip() if title else "", standfirst=None, summary=None, text="")
    if not title and lines:
        out.title = lines.pop(0)[1]
    summary: list[str] = []
    body: list[str] = []
    seen = {out.title.casefold()}
    in_header = True        # before the first body paragraph
    header_furniture = False  # furniture seen in the header: short lines after it are captions
    i = 0
    while i < len(lines):
        block, line = lines[i]
        nxt = lines[i + 1][1] if i + 1 < len(lines) else None

        if _any(rules.summary_start, line) or SUMMARY_START.match(line):
            i = _take_summary_box(lines, i, rules, summary, out.removed)
            continue
        if FOOTER.match(line) and words(line) <= FURNITURE_MAX_WORDS:
            out.removed.append(line)
            i += 1
            while i < len(lines) and words(lines[i][1]) <= 6 and not _has_quote(lines[i][1]):
                out.removed.append(lines[i][1])
                i += 1
            continue
        if m := BYLINE.match(line):
            out.authors.extend(a.strip() for a in re.split(r"\s*(?:,|\band\b|&)\s*", m["who"]) if a.strip())
            out.removed.append(line)
        elif (m := DATELINE.match(line)) and words(line) <= 12:
            out.published = out.published or m["when"].strip()
            out.removed.append(line)
        elif is_furniture(line, rules):
            out.removed.append(line)
            header_furniture = header_furniture or in_header
        elif is_caption(line, rules):
            out.captions.append(line)
            header_furniture = header_furniture or in_header
        elif in_header and out.standfirst is None and not body and _is_standfirst(line, nxt, rules):
            out.standfirst = line
            seen.add(line.casefold())
        elif in_header and header_furniture and _looks_like_caption(line):
            out.captions.append(line)
        elif line.casefold() in seen:
            out.removed.append(line)  # a repeated paragraph is kept once
        else:
            seen.add(line.casefold())
            body.append(line)
            in_header = False
        i += 1
    out.summary = "\n".join(summary) or None
    out.text = "\n\n".join(body)
    return out


def _has_quote(line: str) -> bool:
    return any(ch in QUOTE_CHARS for ch in line)


def _is_standfirst(line: str, nxt: str | None, rules: CleaningRules) -> bool:
    """The paragraph right under the title is a standfirst when the page's header block
    (ads, read time, captions, a summary box) separates it from the story."""
    if rules.standfirst is not None:
        return rules.standfirst
    if nxt is None or words(line) > 60:
        return False
    return (is_furniture(nxt, rules) or is_caption(nxt, rules) or bool(SUMMARY_START.match(nxt))
            or _any(rules.summary_start, nxt) or bool(BYLINE.match(nxt)) or bool(DATELINE.match(nxt)))


def _looks_like_caption(line: str) -> bool:
    # In the header block, after furniture: a short line with no quotation and no colon
    # leading into a quote is the photo caption that lost its image.
    return words(line) <= 25 and not _has_quote(line) and not line.endswith(":")


def _take_summary_box(lines, i, rules, summary, removed) -> int:
    """Consume a summary box starting at lines[i]; returns the index after it."""
    start_block = lines[i][0]
    removed.append(lines[i][1])
    i += 1
    while i < len(lines):
        block, line = lines[i]
        if _any(rules.summary_end, line):
            removed.append(line)
            i += 1
            # closing prompts come in pairs ("Did this help?" "Let us know."): take them too
            while i < len(lines) and lines[i][0] == block and is_furniture(lines[i][1], rules):
                removed.append(lines[i][1])
                i += 1
            break
        if block != start_block and not BULLET.match(line):
            break  # the box is the marker's block plus following blocks of bullets
        if AI_NOTICE.search(line) and not BULLET.match(line):
            removed.append(line)
        elif is_furniture(line, rules):
            removed.append(line)
        else:
            summary.append(_strip_bullet(line))
        i += 1
    return i
