"""The statements stage: every quotation and reported statement of a batch of articles,
attributed to a speaker, plus the `speakers` table built from them.

    rows = extract_statements(articles)            # articles: dicts with article_id, title,
    people = build_speakers(rows)                  # standfirst, summary, text

Offsets index the article field named by `section` (title -> title, standfirst ->
standfirst, summary -> summary, body -> text) in code points, and
`field[char_start:char_end] == text` exactly (see `span_ok`).
"""
from __future__ import annotations

import hashlib
import importlib
import itertools
import pkgutil
from pathlib import Path

from . import budget, headlines, pieces, selective
from . import speakers as _speakers
from . import rules as rules_pkg
from .attribution.field import UNATTRIBUTED, FieldAttributor, Found
from .attribution.cast import alias_pattern, build_cast
from .roles import article_date
from .speakers import Registry, load_registry, speaker_id
from .datafiles import read_toml

# Bump whenever the output for the same input can change: the flow caches by it. Selective
# parsing (crosswire.selective, off by default) can change it, so it has a version of its own.
STAGE_VERSION = "statements-2.1" + ("+selective" if selective.enabled() else "")


def code_parts() -> list:
    """What the statements of an article depend on besides crosswire.statements, quotes,
    attribution (the package's __init__) and speakers: the attribution package's modules and
    word lists, the attribution rules, speaker kinds, dated roles, the dateline reader, the
    modules they borrow a helper from (clean, spelling) and their data files (each an object with a `__file__`, as crosswire.cache.code_version reads them)."""
    from types import SimpleNamespace

    from . import (clean, datelines, headlines, indirect_filter, nlp, roles, speaker_kinds, spelling, tagattrs,
                   visibledates)
    from .attribution import antecedents, cast, extents, field, mentions, reporting_verbs, resolver, verb_speakers
    data = Path(__file__).resolve().parent / "data"
    # every module of the rules package, so that a rule module added later is in the key too
    # (backing, labels, speech_objects, conventions and deeds were once left out of a list)
    rule_modules = [importlib.import_module(f"{rules_pkg.__name__}.{m.name}")
                    for m in sorted(pkgutil.iter_modules(rules_pkg.__path__), key=lambda m: m.name)]
    return [cast, reporting_verbs, mentions, extents, resolver, antecedents, verb_speakers, field,
            rules_pkg, *rule_modules, roles, speaker_kinds, pieces, selective, tagattrs,
            indirect_filter, headlines, datelines,
            clean, visibledates, spelling,  # (clean's bullet pattern splits sentences; spelling folds names)
            nlp] + [  # (its tokenizer changes: split glued quote marks, "X." not an initial)
        SimpleNamespace(__file__=str(data / name)) for name in STATEMENT_DATA]


# every data file the code loaded with the statement code reads (tests/test_ops_cache.py
# checks the list against their sources): an edit to one of them recomputes the cached
# statements, an edit to another (copies', events' settings) does not. Until session 16 the
# key digested every file in crosswire/data, so that a new copies setting re-parsed every
# article of the corpus.
STATEMENT_DATA = ("cues.toml", "not_statements.toml", "confidence.toml", "limits.toml", "indirect_filter.toml",
                  "headlines.toml", "mentions.toml", "nested_reports.toml", "roles.toml", "people.toml",
                  "spans.toml", "quoted_phrases.toml", "speaker_kinds.toml", "sentences.toml", "deeds.toml",
                  # read by modules the statement code imports (datelines, clean, visibledates, urls)
                  "extraction.toml", "furniture.toml", "metadata.toml", "timezones.toml", "places.toml",
                  "url_secrets.toml")


SECTIONS = (("title", "title"), ("standfirst", "standfirst"), ("summary", "summary"),
            ("body", "text"))
FIELD = dict(SECTIONS)
COLUMNS = ("statement_id", "article_id", "kind", "text", "char_start", "char_end", "section",
           "speaker_id", "speaker_name", "speaker_mention", "resolution", "cue", "confidence",
           "source_id", "speaker_kind", "rule")


def _registry(registry) -> Registry:
    if isinstance(registry, Registry):
        return registry
    return load_registry(registry if isinstance(registry, (str, Path)) else None)


def statement_id(article_id: str, section: str, start: int, end: int, kind: str) -> str:
    key = f"{article_id}|{section}|{start}|{end}|{kind}"
    return "st_" + hashlib.sha256(key.encode()).hexdigest()[:16]


def span_ok(article: dict, statement: dict) -> bool:
    """True when the statement's offsets point at its text in the article field its
    section names: the check the validator runs across the two tables."""
    text = article.get(FIELD.get(statement.get("section"), ""), None)
    s, e = statement.get("char_start"), statement.get("char_end")
    if not isinstance(text, str) or s is None or e is None or not 0 <= s < e <= len(text):
        return False
    return text[s:e] == statement.get("text")


CONFIDENCE = Path(__file__).resolve().parent / "data" / "confidence.toml"


def _confidence_table(path: Path = CONFIDENCE) -> dict:
    return read_toml(path)


def _resolution(sp) -> str:
    return sp.resolution if sp.name or sp.resolution in ("role", "none") else "none"


def _confidence(f: Found) -> float:
    """Estimated chance that the row is right (a real statement with the right speaker):
    the rate fitted on PolNeAR train for its rule and how its speaker was found, else for
    its rule, else for its kind (crosswire/data/confidence.toml, bench/fit_confidence.py)."""
    if f.confidence is not None:  # reported speech: the fitted filter's probability
        return round(f.confidence, 4)
    table = _confidence_table()
    kind = "indirect" if f.kind == "indirect" else "quoted"
    for level, key in (("cell", f"{f.rule}|{_resolution(f.speaker)}"), ("rule", f.rule), ("kind", kind)):
        if key in table.get(level, {}):
            return float(table[level][key]["p"])
    return 0.5


def _row(article: dict, text: str, f: Found) -> dict:
    article_id = article["article_id"]
    sp = f.speaker
    return {
        "statement_id": statement_id(article_id, f.section, f.start, f.end, f.kind),
        "article_id": article_id,
        "kind": f.kind,
        "text": text[f.start:f.end],
        "char_start": f.start,
        "char_end": f.end,
        "section": f.section,
        # the speakers table is people: a body's name ("Acme Corp") has no speaker_id
        "speaker_id": speaker_id(sp.name) if sp.name and sp.kind == "person" else None,
        "speaker_name": sp.name,
        "speaker_mention": sp.mention,
        "resolution": _resolution(sp),
        "cue": sp.cue,
        "confidence": _confidence(f),
        "source_id": article.get("source_id"),
        "speaker_kind": sp.kind if sp.mention or sp.name else None,
        "rule": f.rule,
    }


def _article_statements(article: dict, fields: list[tuple[str, str, object]],
                        registry: Registry, alias_rx) -> list[dict]:
    # the article's date decides who held an office it names by role ("the president")
    cast, names = build_cast([doc for _, _, doc in fields], registry, alias_rx,
                             article_date(article.get("published")))
    found = [(text, f) for section, text, doc in fields
             for f in FieldAttributor(section, text, doc, cast, names.get(id(doc), [])).run()]
    for text, f in found:
        f.words = text[f.start:f.end]
    _article_rules([f for _, f in found])
    rows = {}
    for text, f in found:
        row = _row(article, text, f)
        rows.setdefault(row["statement_id"], row)
    return list(rows.values())


def _article_rules(found: list) -> None:
    """Quotations no rule of their own field found a speaker for, or only the several people
    a headline's label names: the first of the ARTICLE rules (crosswire.rules) that answers
    over the article's statements in every field."""
    for f in found:
        if f.kind == "indirect" or f.speaker.name or not (
                f.rule == UNATTRIBUTED or not f.speaker.known or f.speaker.kind == "group"):
            continue
        for rule in rules_pkg.ARTICLE:
            sp = rule.fn(found, f)
            if sp is not None:
                f.speaker, f.rule = sp, rule.name
                break


def _within_budget(article: dict, fields: list, registry: Registry, alias_rx, rejected: dict | None) -> list[dict]:
    """_article_statements under the article's time budget; with `rejected` given, a failure
    is recorded there (article_id -> reason) instead of raised."""
    if rejected is None:
        return _article_statements(article, fields, registry, alias_rx)
    words = sum(len(text.split()) for _, text, _ in fields)
    seconds = budget.seconds_for(words)
    try:
        with budget.limit(seconds):
            return _article_statements(article, fields, registry, alias_rx)
    except budget.OverBudget:
        rejected[article["article_id"]] = (f"time budget: statement extraction used more than {seconds:.1f} s "
                                           f"of CPU for {words:,} words")
    except Exception as e:  # one article that breaks a rule never stops the batch
        rejected[article["article_id"]] = (f"statements could not be extracted ({type(e).__name__}: "
                                           f"{' '.join(str(e).split())[:200]})")
    return []


def parse_texts(jobs):
    """(section, text to parse) for each (article, section, text) job, in order: the text
    with its Title Case headlines sentence-cased (crosswire.headlines), names read from all
    of the article's fields."""
    for _, group in itertools.groupby(jobs, key=lambda job: id(job[0])):
        fields = [(section, text) for _, section, text in group]
        yield from zip((section for section, _ in fields), headlines.for_parsing(fields))


def extract_statements(articles: list[dict], registry=None, nlp=None,
                       batch_size: int = 64, rejected: dict | None = None) -> list[dict]:
    """Statements of `articles`, sorted by article_id, section, char_start.

    registry: a Registry, a path to a user people.toml (extends the default), or None.
    nlp: a loaded spaCy pipeline; default `crosswire.nlp.load()` (lemmatizer disabled:
    nothing here needs lemmas).
    rejected: when given, an article whose extraction fails or runs over its time budget
    (crosswire.budget) gets article_id -> one-line reason here and no statements, instead
    of the error stopping the batch. Texts of any length are parsed (crosswire.pieces), the
    body selectively when crosswire.selective is enabled."""
    registry = _registry(registry)
    if nlp is None:
        from .nlp import load
        nlp = load()
    alias_rx = alias_pattern(registry)
    jobs = [(a, section, a[field]) for a in articles for section, field in SECTIONS
            if isinstance(a.get(field), str) and a[field].strip()]
    out: list[dict] = []
    current, fields = None, []
    parsing = list(parse_texts(jobs))
    docs = selective.pipe(nlp, parsing, batch_size=batch_size)
    for (article, section, text), (_, parsed), doc in zip(jobs, parsing, docs):
        if parsed != text:  # a recased headline: the annotations go back on the original
            doc = headlines.restore(doc, text)
        if current is not None and article is not current:
            out.extend(_within_budget(current, fields, registry, alias_rx, rejected))
            fields = []
        current = article
        fields.append((section, text, doc))
    if current is not None:
        out.extend(_within_budget(current, fields, registry, alias_rx, rejected))
    out.sort(key=lambda r: (r["article_id"], r["section"], r["char_start"], r["char_end"],
                            r["kind"]))
    return out


def build_speakers(statements: list[dict], registry=None) -> list[dict]:
    """One row per person any statement names (see crosswire.speakers.build_speakers)."""
    return _speakers.build_speakers(statements, _registry(registry))
