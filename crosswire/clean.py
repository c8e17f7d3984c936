"""Turning the text of a news page into title, standfirst, summary box, body and captions.

Generic rules hold for news pages in general (ad markers, read-time lines, share and
newsletter prompts, topics footers, photo credits: crosswire/data/furniture.toml); a
source's own rules (source.toml) add to them, and wording only one outlet uses belongs
there. Every line taken out of the body is accounted for: in `removed`, `captions`,
`summary`, `standfirst` or `authors`. No rule may gut an article: one that would take more
than a small share of the page is left out and named in `skipped`. Quote characters are
never touched.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import userregex, visibledates
from .sources import CleaningRules

_DATA_DIR = Path(__file__).parent / "data"
_DATA_TEXT = {name: (_DATA_DIR / name).read_text(encoding="utf-8") for name in ("furniture.toml", "metadata.toml")}
_DATA = tomllib.loads(_DATA_TEXT["furniture.toml"])
METADATA_RULES = tomllib.loads(_DATA_TEXT["metadata.toml"])
# the rules' data files are part of the stage: editing a word list reprocesses the articles
STAGE_VERSION = "clean-3+" + hashlib.sha256("".join(_DATA_TEXT.values()).encode()).hexdigest()[:12]


def _whole_line(pattern: str) -> re.Pattern:
    return re.compile(r"^(?:" + pattern + r")$", re.IGNORECASE)


# Furniture is short: a line with more words than this is never dropped by a generic rule.
FURNITURE_MAX_WORDS: int = _DATA["max_words"]
FURNITURE = {name: _whole_line(p) for name, p in _DATA["furniture"].items()}
FOOTER = _whole_line(_DATA["header"]["footer"])
RELATED_HEAD = _whole_line(_DATA["header"]["related_head"])
RELATED_ITEM_WORDS: int = _DATA["header"]["related_item_words"]
DATELINE = _whole_line(_DATA["header"]["date_line"])
SUMMARY_START = _whole_line(_DATA["summary"]["start"])
AI_NOTICE = _whole_line(_DATA["summary"]["ai_notice"])
# No cleaning rule may take more than this share of an article's words: a rule that would
# is not applied, and `Cleaned.skipped` says so. Fitted by bench/fit_clean_guard.py.
MAX_RULE_SHARE: float = _DATA["guard"]["max_rule_share"]
NOT_TITLE = {name: _whole_line(p) for name, p in METADATA_RULES["not_title"].items()}
AGENCIES = tuple(sorted({a.casefold() for a in METADATA_RULES["agencies"]["names"]}, key=len, reverse=True))
BYLINE_ROLES = tuple(r.casefold() for r in METADATA_RULES["byline"]["roles"])
ROLE_WORDS = frozenset(r for r in BYLINE_ROLES if " " not in r)  # "reporter", "editor", "staff"
JOB_WORDS = frozenset(w.casefold() for w in METADATA_RULES["byline"]["job_words"])
STAFF_CREDITS = frozenset(c.casefold() for c in METADATA_RULES["byline"]["staff_credits"])
COLLECTIVE = frozenset(METADATA_RULES["byline"]["collective"])
BYLINE_FILED_FROM = re.compile(METADATA_RULES["byline"]["filed_from"])
# "By", or an "Author:" label (a colon: "Authors say ..." opens a sentence)
BYLINE = re.compile(r"^(?:(?i:by|written by|words by|reporting by)\s*:?|(?i:authors?)\s*:)\s+(?P<who>\S.{1,150})$")
# a time stamp a page glued to its byline ("By Staff Reporter Updated: Aug 16 ..."): not the writers'
GLUED_TIME = re.compile(r"\s+(?i:updated|published|posted|last updated)\b.*$")
PARTICLES = frozenset("de da di del der van von bin al la le".split())
# one writer's name: capitalised words, with the particles names carry
NAME = re.compile(r"^[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|" + "|".join(sorted(PARTICLES)) + r")){0,4}$")
# Photo credits inside a line mark it as a caption.
CREDIT = re.compile(
    r"(\((photo|image|picture|photograph|file photo|illustration)s?(\s+by|\s*:|\s*/|\s+credit)[^)]*\)"
    r"|\((ap|afp|reuters|getty images|epa|pti|ani)\s*(photo)?\s*(/[^)]*)?\)"
    r"|\b(photo|image|picture)( credit)?\s*:\s*[^.]{1,80}$"
    r"|[|/]\s*(getty images|reuters|afp|ap photo|epa)\b.*$)\s*$",
    re.IGNORECASE,
)
BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙*–-]|\d{1,2}[.)])\s+")
SENTENCE_END = re.compile(r"[.!?:;…\"”’)\]]$")
WORD = re.compile(r"\w+(?:['’]\w+)*")
QUOTE_CHARS = set("\"“”‘’«»")
# A page section rendered twice: this many lines of prose in a row, each of at least
# REPEAT_PROSE_WORDS words, repeating an earlier run in the same order.
REPEAT_RUN = 3
REPEAT_PROSE_WORDS = 10


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
    skipped: list[str] = field(default_factory=list)  # rules not applied: "rule: why"


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


def _first(patterns: tuple[str, ...], line: str) -> int | None:
    # a source's own patterns run on RE2: linear time, whatever the user wrote
    return next((k for k, p in enumerate(patterns) if userregex.search(p, line)), None)


def _any(patterns: tuple[str, ...], line: str) -> bool:
    return _first(patterns, line) is not None


def furniture_rule(line: str, rules: CleaningRules, skip: frozenset = frozenset()) -> str | None:
    """The name of the rule that makes `line` furniture: a source's own `drop` pattern
    ("source.drop[k]") or a generic one ("furniture.<name>", short lines only)."""
    k = _first(rules.drop, line)
    if k is not None and f"source.drop[{k}]" not in skip:
        return f"source.drop[{k}]"
    if words(line) > FURNITURE_MAX_WORDS:
        return None
    return next((f"furniture.{name}" for name, pattern in FURNITURE.items()
                 if f"furniture.{name}" not in skip and pattern.match(line)), None)


def is_furniture(line: str, rules: CleaningRules) -> bool:
    return furniture_rule(line, rules) is not None


def caption_rule(line: str, rules: CleaningRules) -> str | None:
    k = _first(rules.captions, line)
    if k is not None:
        return f"source.captions[{k}]"
    return "caption.credit" if CREDIT.search(line) else None


def is_caption(line: str, rules: CleaningRules) -> bool:
    return caption_rule(line, rules) is not None


def byline_authors(line: str) -> list[str] | None:
    """The writers a byline names ("By ANDY SMITH", "By Jo Lee and Sam Park, Associated
    Press", "By Jo Lee | Reuters", "Author: Jo Lee"), or None when the line is not a byline.
    Agencies, desks and job titles are not writers ("By the newsroom staff" is a byline
    naming no one: []); names in capitals are given their usual case."""
    m = BYLINE.match(line)
    if not m or words(line) > 16:
        return None
    return credited_names(re.split(r"\s+\|\s+|\s+[—–-]\s+", m["who"])[0])


def credited_names(who: str) -> list[str] | None:
    """The persons a credit names, its "By" taken off: "Jo Lee and Sam Park, Associated
    Press", "foreign affairs reporter Tom Whitaker", "Eleanor Vance Diplomatic editor",
    "Lena Hartmann (with Reuters, dpa, AFP)". [] for a credit naming no one ("Al Jazeera
    Staff", "TNN"); None when a part is no name ("Sunday, officials ...")."""
    who = GLUED_TIME.sub("", re.sub(r"\s*\((?i:with|and|additional reporting|inputs)\b[^()]*\)", "", who))
    authors = []
    for part in re.split(r"\s*(?:,|;|\band\b|&)\s*", who):
        part = BYLINE_FILED_FROM.sub("", re.sub(r"^(?i:the)\s+", "", part.strip(" .")))
        low = part.casefold()
        agency = next((a for a in AGENCIES if low == a or low.endswith(" " + a)), None)
        if agency:  # "ANDY SMITH Associated Press"
            part = part[: len(part) - len(agency)].strip(" ,")
            low = part.casefold()
        if low.rsplit(" ", 1)[-1] in COLLECTIVE:
            continue  # "Al Jazeera Staff"
        titled = _without_job_title(part)
        if titled != part and titled.split()[0].casefold() in AGENCIES:
            continue  # "AP Auto Writer": the agency's, no person
        part, low = titled, titled.casefold()
        if not part or low in STAFF_CREDITS \
                or any(low == r or low.startswith(r + " ") or low.endswith(" " + r) for r in BYLINE_ROLES):
            continue
        if not NAME.match(part):
            return None  # "By Sunday, officials ...": not a byline
        authors.append(part.title() if part.isupper() and len(part) > 3 else part)
    return authors


def _is_job_word(word: str) -> bool:
    # a job title's words are known ones or in lower case; a name's are capitalised
    low = word.casefold()
    return low in JOB_WORDS or low in ROLE_WORDS or (word.islower() and low not in PARTICLES)


def _without_job_title(part: str) -> str:
    """A credit without the job title before or after the name: "foreign affairs reporter
    Tom Whitaker" and "Eleanor Vance Diplomatic editor" are Tom Whitaker and Eleanor Vance.
    A job title ends in a role word (metadata.toml [byline] roles) after job words."""
    ws = part.split()
    lead = next((k for k, w in enumerate(ws) if not _is_job_word(w)), len(ws))
    if 0 < lead < len(ws) and any(w.casefold() in ROLE_WORDS for w in ws[:lead]):
        ws = ws[max(k for k, w in enumerate(ws[:lead]) if w.casefold() in ROLE_WORDS) + 1:]
    end = len(ws)
    if ws and ws[-1].casefold() in ROLE_WORDS:
        while end > 1 and _is_job_word(ws[end - 1]):
            end -= 1
        end = end if end >= 2 else len(ws)  # a name is two words at least: "Staff Writer" stays whole
    return " ".join(ws[:end])


def not_a_title(line: str, rules: CleaningRules = CleaningRules()) -> str | None:
    """Why a page's first line is not its headline (an HTTP status, site furniture, a
    byline, a date line), as a rule name; None when it may be the headline."""
    for name, pattern in NOT_TITLE.items():
        if pattern.match(line.strip()):
            return f"title.{name}"
    if byline_authors(line) is not None:
        return "byline"
    if date_line(line):
        return "date_line"
    return furniture_rule(line, rules)


def date_line(line: str, bare: bool = True) -> str | None:
    """The date as written on a line that is a page's date and nothing else, labelled
    ("Updated: Aug 16, 2025, 09:12 IST") or, when `bare`, not ("Sat 16 Aug 2025 11.02 BST":
    under the headline only, where a date alone is the page's), or None."""
    m = DATELINE.match(line)
    if m and words(line) <= 12:
        return m["when"].strip()
    return line if bare and visibledates.is_date_line(line) else None


def header_credit(line: str, nxt: str | None = None, after: str | None = None) -> tuple[list[str], str | None] | None:
    """(the persons, the date as written or None) of a credit line under the headline that
    has no "By": a name with a job title ("Eleanor Vance Diplomatic editor"), with the
    agencies it drew on ("Lena Hartmann (with Reuters, dpa, AFP)"), a desk's credit and the
    time ("TNN | Updated: Aug 16, 2025, 11:05 IST"), an agency alone ("ABC News"). A bare
    name is a credit only with the date beside it or on the next line: a short line of
    capitalised words may be a section's name."""
    who, *rest = [p.strip() for p in line.split(" | ")]
    dates = [date_line(p) for p in rest]
    names = credited_names(who) if words(who) <= 10 and all(dates) else None
    if names is None:
        return None
    low = who.casefold()
    marked = (low in STAFF_CREDITS or low in AGENCIES or "(" in who
              or any(w.casefold() in ROLE_WORDS | COLLECTIVE for w in who.split()))
    dated = bool(dates) or (nxt is not None and bool(date_line(nxt) or header_credit(nxt, after)))
    return (names, dates[0] if dates else None) if marked or (names and dated) else None


def _strip_bullet(line: str) -> str:
    return BULLET.sub("", line).strip()


def clean_text(content: str, rules: CleaningRules = CleaningRules(), title: str | None = None) -> Cleaned:
    """Split a page's text into its parts. Without `title`, the first line is the title.

    No rule may gut the article: a rule that would take more than MAX_RULE_SHARE of the
    page's words out of the body is not applied (the largest first, then the page is
    cleaned again), and `skipped` records it with the words it would have taken.
    """
    skip: dict[str, str] = {}
    while True:
        out, taken = _clean(content, rules, title, frozenset(skip))
        total = words(out.text) + sum(taken.values())
        # a repeat leaves its first copy in the body: it cannot gut an article
        # a rule already skipped that still took words took them above the headline, where
        # skipping does not apply: looking at it again would loop for ever
        over = {rule: n for rule, n in taken.items()
                if n > MAX_RULE_SHARE * total and not rule.startswith("repeat.") and rule not in skip}
        if not over:
            out.skipped = [f"{rule}: would have removed {n} of {total} words" for rule, n in skip.items()]
            return out
        rule = max(over, key=lambda r: (over[r], r))
        skip[rule] = over[rule]


def _clean(content: str, rules: CleaningRules, title: str | None, skip: frozenset) -> tuple[Cleaned, dict[str, int]]:
    """One pass with the rules in `skip` left out; also the words each rule took out."""
    blocks = paragraphs(content)
    lines: list[tuple[int, str]] = [(b, ln) for b, block in enumerate(blocks) for ln in block]
    out = Cleaned(title=normalize(title).strip() if title else "", standfirst=None, summary=None, text="")
    taken: dict[str, int] = {}

    def take(rule: str, line: str, into: list | None = None) -> None:
        taken[rule] = taken.get(rule, 0) + words(line)
        (out.removed if into is None else into).append(line)

    while not title and lines:  # the headline is the first line that can be one
        line = lines.pop(0)[1]
        why = not_a_title(line, rules)
        if why is None:
            out.title = line
            break
        if why == "byline":
            out.authors.extend(byline_authors(line))
        elif why == "date_line":
            out.published = out.published or date_line(line)
        take(why, line)

    block_repeats = _repeated_runs([ln for _, ln in lines]) if "repeat.section" not in skip else set()
    summary: list[str] = []
    body: list[str] = []
    seen = {out.title.casefold()}
    in_header = True        # before the first body paragraph
    header_furniture = False  # furniture seen in the header: short lines after it are captions
    i = 0
    while i < len(lines):
        block, line = lines[i]
        nxt = lines[i + 1][1] if i + 1 < len(lines) else None

        if "summary_box" not in skip and (_any(rules.summary_start, line) or SUMMARY_START.match(line)):
            end, box, box_removed = _summary_box(lines, i, rules)
            if box:  # a marker with no summary under it is a heading, not a box
                for ln in box:
                    take("summary_box", _strip_bullet(ln), summary)
                for ln in box_removed:
                    take("summary_box", ln)
                i = end
                continue
        if "related_links" not in skip and RELATED_HEAD.match(line) and i + 1 < len(lines) \
                and BULLET.match(lines[i + 1][1]):
            take("related_links", line)  # the box's heading and its list of linked headlines
            i += 1
            while i < len(lines) and BULLET.match(lines[i][1]) and words(lines[i][1]) <= RELATED_ITEM_WORDS:
                take("related_links", lines[i][1])
                i += 1
            continue
        if "footer" not in skip and FOOTER.match(line) and words(line) <= FURNITURE_MAX_WORDS:
            take("footer", line)
            i += 1
            while i < len(lines) and words(lines[i][1]) <= 6 and not _has_quote(lines[i][1]):
                take("footer", lines[i][1])
                i += 1
            continue
        furniture = furniture_rule(line, rules, skip)
        caption = caption_rule(line, rules)
        if "byline" not in skip and (who := byline_authors(line)) is not None:
            out.authors.extend(who)
            take("byline", line)
        elif "date_line" not in skip and (when := date_line(line, bare=in_header)):
            out.published = out.published or when
            take("date_line", line)
        elif "byline" not in skip and in_header and not body and \
                (credit := header_credit(line, nxt, lines[i + 2][1] if i + 2 < len(lines) else None)):
            who, when = credit
            out.authors.extend(who)
            out.published = out.published or when
            take("byline", line)
        elif furniture:
            take(furniture, line)
            header_furniture = header_furniture or in_header
        elif in_header and "site_furniture" not in skip and NOT_TITLE["site_furniture"].match(line):
            take("site_furniture", line)  # "Play Live Radio", "Skip to content" above the story
        elif caption and caption not in skip:
            take(caption, line, out.captions)
            header_furniture = header_furniture or in_header
        elif (in_header and out.standfirst is None and not body and line.casefold() not in seen
              and _is_standfirst(line, nxt, rules, lines[i + 2][1] if i + 2 < len(lines) else None)):
            out.standfirst = line  # kept whole in its own column: not a removal
            seen.add(line.casefold())
        elif "caption.header" not in skip and in_header and header_furniture and _looks_like_caption(line):
            take("caption.header", line, out.captions)
        elif "repeat.paragraph" not in skip and (line.casefold() in seen - set(ln.casefold() for ln in body)
                                                 or (body and line.casefold() == body[-1].casefold())):
            take("repeat.paragraph", line)  # the title or standfirst again, or the line just above
        elif i in block_repeats:
            take("repeat.section", line)
        else:
            seen.add(line.casefold())
            body.append(line)
            in_header = False
        i += 1
    out.summary = "\n".join(summary) or None
    out.text = "\n\n".join(body)
    return out, taken


def _repeated_runs(lines: list[str]) -> set[int]:
    """Indexes of lines in a page section rendered twice: REPEAT_RUN prose lines in a row
    (lines without words between them do not count, shorter lines break the run) repeating
    an earlier run in order. Short repeated lines (table cells, list labels, questions of an
    interview) and a single repeated paragraph stay."""
    worded = [i for i, ln in enumerate(lines) if words(ln)]
    seq = [lines[i].casefold() if words(lines[i]) >= REPEAT_PROSE_WORDS else None for i in worded]
    earlier: dict[str, list[int]] = {}
    marked: set[int] = set()
    for p, text in enumerate(seq):
        if text is None:
            continue
        for q in earlier.get(text, []):
            for shift in range(REPEAT_RUN):
                a, b = p - shift, q - shift
                window = seq[a:a + REPEAT_RUN]
                if b >= 0 and a + REPEAT_RUN <= len(seq) and b + REPEAT_RUN <= a and None not in window \
                        and window == seq[b:b + REPEAT_RUN]:
                    marked.add(worded[p])
        earlier.setdefault(text, []).append(p)
    return marked


def _has_quote(line: str) -> bool:
    return any(ch in QUOTE_CHARS for ch in line)


def _is_standfirst(line: str, nxt: str | None, rules: CleaningRules, after: str | None = None) -> bool:
    """The paragraph right under the title is a standfirst when the page's header block
    (ads, read time, captions, a summary box) separates it from the story."""
    if rules.standfirst is not None:
        return rules.standfirst
    if nxt is None or words(line) > 60:
        return False
    return (is_furniture(nxt, rules) or is_caption(nxt, rules) or bool(SUMMARY_START.match(nxt))
            or _any(rules.summary_start, nxt) or byline_authors(nxt) is not None or bool(DATELINE.match(nxt))
            or header_credit(nxt, after) is not None)


def _looks_like_caption(line: str) -> bool:
    # In the header block, after furniture: a short line with no quotation and no colon
    # leading into a quote is the photo caption that lost its image.
    return words(line) <= 25 and not _has_quote(line) and not line.endswith(":")


def _summary_box(lines, i, rules) -> tuple[int, list[str], list[str]]:
    """The summary box opening at lines[i]: (index after it, its bullet lines, the lines
    around them that go: the marker, an AI notice, closing prompts)."""
    start_block = lines[i][0]
    removed = [lines[i][1]]
    box: list[str] = []
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
        if (AI_NOTICE.match(line) and not BULLET.match(line)) or is_furniture(line, rules):
            removed.append(line)
        else:
            box.append(line)
        i += 1
    return i, box, removed
