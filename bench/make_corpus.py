"""A synthetic news corpus in crosswire's raw layout, for benchmarks and spot checks.

    .venv/bin/python bench/make_corpus.py OUT [-n 10000] [--seed 0] [--truth truth.json]

writes OUT/<outlet>/source.toml and OUT/<outlet>/<date>-<slug>.txt (+ .meta.json) for N
articles from 16 invented outlets (three wire agencies, nationals, regionals, a tabloid, a
broadcaster) covering shared events. Every word comes from bench/corpus_words.toml: invented
people, places and organisations, sentences written for this generator.

What a corpus holds:
- events: a topic (rail strike, factory closure, flood, ...) with its places, numbers,
  organisations and people filled in once, so that every outlet quoting a speaker carries
  the same words (and crosswire can find the agreements);
- per article: headline, optional standfirst, byline, dateline in the outlet's house style,
  then paragraphs until a length drawn from a log-normal (150-1500 words, median ~600);
- statements rendered in many ways (a registry of named renderers below): full quotes with
  the speaker before or after ("said X", "X said", colon, split over two sentences, a
  pronoun for the previous speaker), partial quotes inside reported speech, and indirect
  speech ("X said that ...", "..., X said.", "according to X", organisations' statements,
  unnamed sources); curly or straight quote marks by house style;
- wire copy: a wire agency's story republished by other outlets, identical or lightly edited
  (new headline, trimmed, a few words changed outside the quotations);
- furniture lines (advertisement markers, newsletter prompts, sign-offs) with the drop rules
  in the outlet's source.toml, and some articles without a sidecar or without a date.

Known limits: the narrative comes from finite phrase lists, so articles of different events
of one topic share more five-word runs than real coverage does (about a sixth, median, in a
200-article sample) and events of one topic reuse the topic's quotations with other speakers:
crosswire's copies table finds pairs between unrelated articles and its events merge some
same-topic events. Fit for throughput, memory and extraction checks; not a gold standard for
events or copies.

Deterministic: the same N and seed give byte-identical files. `--truth` writes what was
generated (event, wire original, statements with kind, speaker and text) for spot checks.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

WORDS = Path(__file__).with_name("corpus_words.toml")
START = datetime(2025, 1, 6, tzinfo=timezone.utc)
SPAN_DAYS = 540
# article length: log-normal with this median, clipped to the range the brief of issue 11 names
# (150-1500 words, median ~600: the last paragraph and a sign-off overshoot the target a little)
MEDIAN_WORDS, SIGMA, MIN_WORDS, MAX_WORDS = 610, 0.5, 150, 1440
WIRE_SHARE = 0.4            # events a wire agency covers
SIDECARLESS = 0.02          # articles saved without a sidecar
UNDATED = 0.02              # sidecars without a publication date
QUOTES = {"curly": ("\u201c", "\u201d"), "straight": ('"', '"')}
LIGHT_EDITS = (("also ", ""), ("still ", ""), ("more than ", "over "), ("about ", "around "),
               (" on the edge of ", " outside "), ("said", "added"))


def load_words(path: Path = WORDS) -> dict:
    with open(path, "rb") as f:
        words = tomllib.load(f)
    words["_paraphraser"] = Paraphraser(words["paraphrasing"])
    return words


class Slots(dict):
    def __missing__(self, key):
        raise KeyError(f"{WORDS.name}: template slot {{{key}}} is not defined")


def fill(template: str, slots: dict) -> str:
    """The template with its slots filled ("the {chamber}" with a chamber named "the ..." once)."""
    return re.sub(r"\b([Tt]he) the\b", r"\1", template.format_map(Slots(slots)))


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class Paraphraser:
    """A writer's own wording of a narrative sentence: each phrase of the swap table replaced,
    with probability `share`, by one of its alternatives (corpus_words.toml [paraphrasing]).
    A phrase's pattern runs only on sentences holding its longest literal part (fast)."""

    def __init__(self, table: dict):
        self.share = table["share"]
        self.swaps = [(max(re.findall(r"[a-z ]{3,}", key), key=len), re.compile(rf"\b(?:{key})\b"), alternatives)
                      for key, alternatives in table["swaps"].items()]

    def __call__(self, rng: random.Random, text: str) -> str:
        for anchor, pattern, alternatives in self.swaps:
            if anchor in text:
                def swap(m: re.Match, alternatives=alternatives) -> str:
                    if rng.random() >= self.share:
                        return m[0]
                    new = rng.choice(alternatives)
                    return cap(new) if m[0][:1].isupper() else new
                text = pattern.sub(swap, text)
        return text


# ---------------------------------------------------------------- people and events

@dataclass(eq=False)   # compared and hashed by identity: two people may share a name
class Speaker:
    kind: str                    # person | org | unnamed
    name: str = ""               # person: "Maria Okafor"; org: "the Health Ministry"; unnamed: the phrase
    last: str = ""
    female: bool = False
    role: str = ""

    def pronouns(self) -> dict:
        if self.kind == "person":
            he, his, him = ("she", "her", "her") if self.female else ("he", "his", "him")
        elif self.kind == "org":
            he, his, him = "it", "its", "it"
        else:
            he, his, him = "they", "their", "them"
        return {"he": he, "his": his, "him": him, "He": cap(he), "His": cap(his)}


@dataclass(eq=False)
class Utterance:
    speaker: Speaker
    direct: str
    indirect: str
    partial: str


@dataclass
class Event:
    index: int
    topic: dict
    slots: dict
    when: datetime
    speakers: dict
    utterances: list


def person(rng: random.Random, w: dict, female: bool | None = None) -> tuple[str, str, bool]:
    female = rng.random() < 0.5 if female is None else female
    first = rng.choice(w["first_female"] if female else w["first_male"])
    last = rng.choice(w["last"])
    return f"{first} {last}", last, female


def place(rng: random.Random, w: dict) -> str:
    return rng.choice(w["place_start"]) + rng.choice(w["place_end"])


def make_event(index: int, rng: random.Random, w: dict, recurring: dict) -> Event:
    topic = rng.choice(w["topics"])
    when = START + timedelta(days=rng.randrange(SPAN_DAYS), hours=rng.randrange(6, 20))
    p1 = place(rng, w)
    p2 = place(rng, w)
    while p2 == p1:
        p2 = place(rng, w)
    slots = {"place": p1, "place2": p2, "region": rng.choice(w["regions"]), "weekday": when.strftime("%A"),
             "month": rng.choice(w["months"]), "n": rng.randrange(3, 60), "n2": rng.randrange(2, 12),
             "big": f"{rng.randrange(2, 90) * 100 + rng.randrange(0, 10) * 10:,}",
             "money": f"{rng.randrange(2, 99) / 10:.1f} million pounds", "pct": rng.randrange(3, 15),
             "last": rng.choice(w["last"]), "year": when.year}
    for key, template in topic["orgs"].items():
        slots[key] = fill(template, slots)
    speakers = {}
    for actor in topic["actors"]:
        if "org" in actor:
            speakers[actor["key"]] = Speaker("org", fill(actor["org"], slots))
            continue
        if "unnamed" in actor:
            speakers[actor["key"]] = Speaker("unnamed", fill(actor["unnamed"], slots))
            continue
        ident = (topic["id"], actor["key"])
        if actor.get("recurring"):
            recurring.setdefault(ident, person(random.Random(f"{ident}"), w))
            name, last, female = recurring[ident]
        else:
            name, last, female = person(rng, w, actor.get("female"))
        sp = Speaker("person", name, last, female)
        sp.role = fill(actor["role"], {**slots, **sp.pronouns()})
        speakers[actor["key"]] = sp
    utterances = [utterance(speakers[u["by"]], u, slots) for u in topic["says"]]
    return Event(index, topic, slots, when, speakers, utterances)


def utterance(sp: Speaker, u: dict, slots: dict) -> Utterance:
    s = {**slots, **sp.pronouns()}
    out = Utterance(sp, fill(u["direct"], s), fill(u["indirect"], s), fill(u["partial"], s))
    if out.partial not in out.direct or out.partial not in out.indirect:
        raise ValueError(f"{WORDS.name}: partial {u['partial']!r} must occur in both the direct and indirect forms")
    return out


# ---------------------------------------------------------------- writing an article

@dataclass
class Writer:
    """One article being written: the outlet's style, who has been named so far."""
    rng: random.Random
    w: dict
    style: dict
    slots: dict
    introduced: set = field(default_factory=set)
    last_speaker: Speaker | None = None
    statements: list = field(default_factory=list)   # the truth: what the article reports

    def q(self, text: str) -> str:
        o, c = QUOTES[self.style["quotes"]]
        return f"{o}{text}{c}"

    def cue(self, strong_ok: bool = True) -> str:
        c = self.w["cues"]
        if self.style["present"]:
            return self.rng.choice(c["present"])
        if strong_ok and (self.style.get("strong_cues") or self.rng.random() < 0.15):
            return self.rng.choice(c["strong"])
        return self.rng.choice(c["neutral"])

    def name(self, sp: Speaker, start: bool = False) -> str:
        """How the article names the speaker here: in full with the role the first time."""
        if sp.kind != "person":
            return cap(sp.name) if start else sp.name
        if sp not in self.introduced:   # the speakers themselves, not id()s that a freed one hands on
            self.introduced.add(sp)
            if sp.role.startswith(("who ", "whose ")):
                return f"{sp.name}, {sp.role},"
            if sp.role.startswith("the ") and self.rng.random() < 0.5:
                return f"{cap(sp.role) if start else sp.role}, {sp.name},"
            return f"{sp.name}, {sp.role},"
        if self.style["honorific"]:
            return f"{self.w['honorifics']['female' if sp.female else 'male']} {sp.last}"
        return sp.last

    def record(self, kind: str, text: str, sp: Speaker) -> None:
        self.statements.append({"kind": kind, "text": text, "speaker": sp.name, "speaker_kind": sp.kind})
        self.last_speaker = sp


def _tidy(sentence: str) -> str:
    """A name's closing comma before the sentence's own punctuation: "X, the mayor,." -> "X, the mayor."."""
    return re.sub(r",([.:])", r"\1", re.sub(r",,", ",", sentence))


# The renderers: one way each of reporting a thing said. Each takes the writer and the
# utterance, returns the sentence(s), and records what it reported.

def direct_said_name(wr: Writer, u: Utterance) -> str | None:
    wr.record("direct", u.direct, u.speaker)
    verb = "says" if wr.style["present"] else "said"
    return _tidy(f"{wr.q(u.direct + ',')} {verb} {wr.name(u.speaker)}.")


def direct_name_said(wr: Writer, u: Utterance) -> str | None:
    who = wr.name(u.speaker)
    wr.record("direct", u.direct, u.speaker)
    return _tidy(f"{wr.q(u.direct + ',')} {who} {wr.cue()}.")


def direct_colon(wr: Writer, u: Utterance) -> str | None:
    who = wr.name(u.speaker, start=True)
    wr.record("direct", u.direct, u.speaker)
    return _tidy(f"{cap(who)} {wr.cue(strong_ok=False)}: {wr.q(u.direct + '.')}")


def direct_split(wr: Writer, u: Utterance) -> str | None:
    m = re.search(r", (?:and|but|so) |, ", u.direct)
    if not m or m.start() < 15 or len(u.direct) - m.end() < 15:
        return None
    first, rest = u.direct[: m.start()], u.direct[m.end():]
    rest = cap(rest)
    who = wr.name(u.speaker)
    wr.record("direct", first, u.speaker)
    wr.record("direct", rest, u.speaker)
    return _tidy(f"{wr.q(first + ',')} {who} {wr.cue(strong_ok=False)}. {wr.q(rest + '.')}")


def direct_pronoun(wr: Writer, u: Utterance) -> str | None:
    if wr.last_speaker is not u.speaker or u.speaker.kind == "unnamed":
        return None
    wr.record("direct", u.direct, u.speaker)
    return f"{wr.q(u.direct + ',')} {u.speaker.pronouns()['he']} {wr.cue()}."


def partial_in_reported(wr: Writer, u: Utterance) -> str | None:
    who = wr.name(u.speaker, start=True)
    wr.record("partial", u.partial, u.speaker)
    body = u.indirect.replace(u.partial, wr.q(u.partial), 1)
    return _tidy(f"{cap(who)} {wr.cue()} {body}.")


def indirect_that(wr: Writer, u: Utterance) -> str | None:
    who = wr.name(u.speaker, start=True)
    wr.record("indirect", u.indirect, u.speaker)
    return _tidy(f"{cap(who)} {wr.cue()} that {u.indirect}.")


def indirect_bare(wr: Writer, u: Utterance) -> str | None:
    who = wr.name(u.speaker, start=True)
    wr.record("indirect", u.indirect, u.speaker)
    return _tidy(f"{cap(who)} {wr.cue()} {u.indirect}.")


def indirect_after(wr: Writer, u: Utterance) -> str | None:
    who = wr.name(u.speaker)
    wr.record("indirect", cap(u.indirect), u.speaker)
    return _tidy(f"{cap(u.indirect)}, {who} {wr.cue()}.")


def according_to(wr: Writer, u: Utterance) -> str | None:
    who = wr.name(u.speaker)
    wr.record("indirect", u.indirect, u.speaker)
    return _tidy(f"According to {who} {u.indirect}.") if who.endswith(",") else f"According to {who}, {u.indirect}."


def in_a_statement(wr: Writer, u: Utterance) -> str | None:
    if u.speaker.kind != "org":
        return None
    wr.record("indirect", u.indirect, u.speaker)
    return f"In a statement, {u.speaker.name} said {u.indirect}."


RENDERERS = {
    "direct": (direct_said_name, direct_name_said, direct_colon, direct_split, direct_pronoun),
    "partial": (partial_in_reported,),
    "indirect": (indirect_that, indirect_bare, indirect_after, according_to, in_a_statement),
}


def render(wr: Writer, u: Utterance) -> str:
    mix = wr.style["mix"]
    kinds = list(mix)
    kind = wr.rng.choices(kinds, weights=[mix[k] for k in kinds])[0]
    options = list(RENDERERS[kind])
    wr.rng.shuffle(options)
    for fn in options + list(RENDERERS["indirect"]):
        text = fn(wr, u)
        if text:
            return text
    raise AssertionError("indirect_that always renders")


def generic_sentences(rng: random.Random, w: dict, slots: dict):
    """Background sentences for an article, in the writer's own words, never the same one
    twice: the fixed background sentences mixed with sentences built from parts."""
    g = w["generic"]
    own = w["_paraphraser"]
    background = [fill(b, slots) for b in g["background"]]
    rng.shuffle(background)
    seen: set[tuple[str, str]] = set()
    while True:
        if background and rng.random() < 0.1:
            yield own(rng, background.pop())
            continue
        subject, verb, obj = rng.choice(g["subjects"]), rng.choice(g["verbs"]), rng.choice(g["objects"])
        if (verb, obj) not in seen or len(seen) >= len(g["verbs"]) * len(g["objects"]):
            seen.add((verb, obj))
            yield own(rng, fill(f"{rng.choice(g['openers'])} {subject} {verb} {obj}{rng.choice(g['adjuncts'])}.", slots))


def word_count(text: str) -> int:
    return len(text.split())


def target_words(rng: random.Random) -> int:
    return int(min(MAX_WORDS, max(MIN_WORDS, rng.lognormvariate(math.log(MEDIAN_WORDS), SIGMA))))


def lead(wr: Writer, ev: Event, outlet: dict, own: Paraphraser) -> str:
    text = own(wr.rng, fill(wr.rng.choice(ev.topic["leads"]), ev.slots))
    d = wr.style["dateline"]
    where = ev.slots["place"].upper()
    if d == "reuters":
        return f"{where}, {ev.when.strftime('%B')} {ev.when.day} ({outlet['short']}) - {text}"
    if d == "ap":
        return f"{where} ({outlet['short']}) \u2014 {text}"
    if d == "plain":
        return f"{where} \u2014 {text}"
    return text


def write_article(rng: random.Random, w: dict, ev: Event, outlet: dict) -> tuple[list[str], list[dict], int]:
    """-> (paragraphs, headline first; the statements reported; the index of the lead paragraph),
    in the outlet's house style."""
    style = w["styles"][outlet["style"]]
    wr = Writer(rng, w, style, ev.slots)
    own = w["_paraphraser"]
    target = target_words(rng)
    paras = [fill(rng.choice(ev.topic["headlines"]), ev.slots)]
    if style["standfirst"] and rng.random() < 0.7:
        paras.append(own(rng, fill(rng.choice(ev.topic["standfirsts"]), ev.slots)))
    byline_name = person(rng, w)[0]
    if style["byline"]:
        paras.append(style["byline"].format(name=byline_name, NAME=byline_name.upper()))
    furniture = [fill(f, ev.slots) for f in style.get("furniture", [])]
    body_start = len(paras)   # the lead's index
    paras.append(lead(wr, ev, outlet, own))
    facts = [own(rng, fill(f, ev.slots)) for f in ev.topic["facts"]]
    rng.shuffle(facts)
    says = ev.utterances[:]
    rng.shuffle(says)
    says = says[: rng.randrange(2, len(says) + 1)]
    vox = rng.sample(w["vox"], 3)
    background = generic_sentences(rng, w, ev.slots)
    words = sum(word_count(p) for p in paras)
    while words < target:
        if says:
            u = says.pop(0)
        elif vox and rng.random() < 0.4:
            v = vox.pop()
            name, last, female = person(rng, w, v.get("female"))
            sp = Speaker("person", name, last, female)
            sp.role = fill(v["role"], {**ev.slots, **sp.pronouns()})
            u = utterance(sp, v, ev.slots)
        else:
            u = None
        if u is not None:
            para = render(wr, u)
            if not style["one_sentence"] and rng.random() < 0.35:
                follow = next((x for x in ev.utterances if x.speaker is u.speaker and x is not u and x in says), None)
                if follow is not None:
                    says.remove(follow)
                    para += " " + (direct_pronoun(wr, follow) or render(wr, follow))
                elif facts:
                    para += " " + facts.pop()
        else:
            n = 1 if style["one_sentence"] else rng.randrange(1, 4)
            para = " ".join(facts.pop() if facts else next(background) for _ in range(n))
        paras.append(para)
        words += word_count(para)
        if furniture and rng.random() < 0.08:
            paras.append(rng.choice(furniture))
    if style.get("sign_off"):
        paras.append(style["sign_off"].format(name=byline_name, name2=person(rng, w)[0]))
    return paras, wr.statements, body_start


def light_edit(rng: random.Random, para: str) -> str:
    """A sub-editor's touch to a paragraph without quotations: a word dropped or swapped."""
    for old, new in rng.sample(LIGHT_EDITS, len(LIGHT_EDITS)):
        if old in para:
            return para.replace(old, new, 1)
    return para


def republish(rng: random.Random, w: dict, ev: Event, paras: list[str], body_start: int,
              statements: list[dict]) -> tuple[list[str], list[dict]]:
    """A wire story as another outlet runs it: a new headline, cut from the bottom, a few words
    changed outside the quotations. -> (paragraphs, the statements still in them)."""
    keep = max(body_start + 2, int(len(paras) * rng.uniform(0.6, 1.0)))
    while keep < len(paras) and sum(word_count(p) for p in paras[:keep]) < MIN_WORDS:
        keep += 1
    body = paras[body_start - 1 if paras[body_start - 1].startswith("By ") else body_start: keep]
    said = [s["text"] for s in statements]
    body = [p if rng.random() < 0.7 or any(t in p for t in said) else light_edit(rng, p) for p in body]
    headline = fill(rng.choice(ev.topic["headlines"]), ev.slots)
    text = "\n".join(body)
    return [headline, *body], [s for s in statements if s["text"] in text]


# ---------------------------------------------------------------- the corpus

def slug(headline: str) -> str:
    words = re.findall(r"[a-z0-9]+", headline.lower())
    return "-".join(words[:7]) or "story"


def source_toml(outlet: dict, style: dict) -> str:
    lines = [f'name = "{outlet["name"]}"', f'homepage = "https://{outlet["id"]}.example.org"',
             f'country = "{outlet["country"]}"', 'language = "en"', f'kind = "{outlet["kind"]}"']
    if style.get("drop"):
        lines += ["", "[cleaning]", "# the house furniture bench/make_corpus.py puts on its pages",
                  "drop = [" + ", ".join(f"'{d}'" for d in style["drop"]) + "]"]
    return "\n".join(lines) + "\n"


def generate(out: Path, n: int = 10_000, seed: int = 0, words: dict | None = None) -> list[dict]:
    """Write a corpus of n articles under out (which must not exist or be empty).
    -> the truth: one dict per article."""
    w = words or load_words()
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out}: exists and is not empty")
    rng = random.Random(seed)
    outlets = w["outlets"]
    wires = [o for o in outlets if o["kind"] == "wire"]
    others = [o for o in outlets if o["kind"] != "wire"]
    for o in outlets:
        (out / o["id"]).mkdir(parents=True, exist_ok=True)
        (out / o["id"] / "source.toml").write_text(source_toml(o, w["styles"][o["style"]]), encoding="utf-8")
    truth: list[dict] = []
    used: set[str] = set()
    recurring: dict = {}
    index = 0

    def save(outlet: dict, ev: Event, paras: list[str], statements: list[dict], when: datetime,
             wire_of: str | None = None, authors: list | None = None) -> str:
        base = f"{outlet['id']}/{when:%Y-%m-%d}-{slug(paras[0])}"
        path, k = base, 1
        while path in used:
            k += 1
            path = f"{base}-{k}"
        used.add(path)
        (out / f"{path}.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")
        if rng.random() >= SIDECARLESS:
            meta = {"url": f"https://{outlet['id']}.example.org/{when:%Y/%m}/{path.split('/', 1)[1][11:]}"}
            if rng.random() >= UNDATED:
                meta["published"] = when.isoformat()
            if authors:
                meta["authors"] = authors
            (out / f"{path}.meta.json").write_text(json.dumps(meta) + "\n", encoding="utf-8")
        truth.append({"path": f"{path}.txt", "event": ev.index, "topic": ev.topic["id"], "source_id": outlet["id"],
                      "wire_of": wire_of, "words": sum(word_count(p) for p in paras), "statements": statements})
        return f"{path}.txt"

    while len(truth) < n:
        ev = make_event(index, random.Random(f"{seed}:{index}"), w, recurring)
        index += 1
        erng = random.Random(f"{seed}:{index}:articles")
        originals = min(len(others), 1 + int(erng.expovariate(1 / 1.6)))
        writers = erng.sample(others, originals)
        if erng.random() < WIRE_SHARE and len(truth) < n:
            agency = erng.choice(wires)
            paras, statements, body_start = write_article(erng, w, ev, agency)
            when = ev.when + timedelta(minutes=erng.randrange(20, 240))
            wire_path = save(agency, ev, paras, statements, when)
            for outlet in erng.sample(others, erng.randrange(1, 4)):
                if len(truth) >= n:
                    break
                later = when + timedelta(minutes=erng.randrange(10, 600))
                if erng.random() < 0.4:   # run as it came over the wire
                    save(outlet, ev, paras, statements, later, wire_of=wire_path)
                else:
                    edited, kept = republish(erng, w, ev, paras, body_start, statements)
                    save(outlet, ev, edited, kept, later, wire_of=wire_path)
                if outlet in writers:
                    writers.remove(outlet)
        for outlet in writers:
            if len(truth) >= n:
                break
            paras, statements, _ = write_article(erng, w, ev, outlet)
            when = ev.when + timedelta(hours=erng.randrange(1, 40), minutes=erng.randrange(60))
            save(outlet, ev, paras, statements, when)
    return truth


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="the raw root to write (must not exist, or be empty)")
    ap.add_argument("-n", "--articles", type=int, default=10_000, help="number of articles (default 10,000)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--truth", metavar="PATH", help="also write what was generated, as JSON")
    a = ap.parse_args(argv)
    if a.articles < 1:
        ap.error("--articles must be at least 1")
    truth = generate(Path(a.out), a.articles, a.seed)
    if a.truth:
        Path(a.truth).write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
    lengths = sorted(t["words"] for t in truth)
    print(f"{a.out}: {len(truth)} articles, {len({t['event'] for t in truth})} events, "
          f"{sum(1 for t in truth if t['wire_of'])} republished wire stories, "
          f"{sum(len(t['statements']) for t in truth)} statements; words per article "
          f"min {lengths[0]}, median {lengths[len(lengths) // 2]}, max {lengths[-1]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
