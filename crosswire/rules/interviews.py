"""Who answers in an interview printed as questions and answers ("Q: What now?" / "A: We
wait.", crosswire.quotes finds the turns): the person the interview's introduction names.

A Q&A opens with a paragraph or two that say whom the outlet spoke to ("Anna Lee, the
city's mayor, spoke with the Courier on Sunday"); the answers are that person's words. The
labels are crosswire/data/quoted_phrases.toml [interview]; the questions are the outlet's own
words, no statement.
"""
from __future__ import annotations

from ..attribution.mentions import Speaker
from ..quotes import interview_labels, is_answer, turn_labels
from . import article, speaker_before


def interviewee(ctx) -> str | None:
    """The person the body's introduction (its text before the first question or answer, or
    the first turn of a transcript labelled "QUESTION:" / "ANSWER:") names most: the one a
    Q&A is with. Ties go to the one first named as the subject of a sentence ("Lee, who ...,
    spoke with the Courier"), then to the one named first; None when the introduction names
    no person."""
    starts = interview_labels(ctx.text) or [ctx.para_start(sp.open) for sp in ctx.spans
                                                              if sp.family == "turn"]
    intro_end = min(starts, default=0)
    named = [m for m in ctx.resolver.history
             if m.start < intro_end and m.person and m.kind == "person" and not ctx.in_quote[m.tok]]
    rank = {}  # person -> (mentions, place of the first as a subject, place of the first)
    for k, m in enumerate(named):
        n, subject, first = rank.get(m.person, (0, len(named), k))
        rank[m.person] = (n + 1, min(subject, k) if m.subject else subject, first)
    return min(rank, key=lambda p: (-rank[p][0], rank[p][1], rank[p][2]), default=None)


@speaker_before("transcript_label")  # which would take "A" for a person's label
def interview_answer(ctx, f, frame):
    """An interview's answer (`A: We wait.`, and the paragraphs that go on with it; a
    transcript's `ANSWER:`): said by the person its introduction names (`interviewee`); by
    someone unnamed when it names no one."""
    sp = f.span
    if sp.family != "turn":
        return None
    m = turn_labels(ctx.text).get(ctx.para_start(sp.open))
    if m is None or not is_answer(m.group("label")):
        return None
    person = interviewee(ctx)
    kind = "unnamed" if person is None else "person"
    return Speaker(person, m.group("label"), "role", kind=kind, at=m.span("label"))


@article
def interview_headline(found, f):
    """A quotation in an interview's headline or standfirst with no speaker of its own
    ("'We were not at the table': a Kyiv lawmaker on the summit"): the interviewee's, the
    one person every answer of the body is credited to."""
    if f.section not in ("title", "standfirst") or f.speaker.known:
        return None
    answerers = {g.speaker.name for g in found if g.rule == "interview_answer" and g.speaker.name}
    if len(answerers) != 1:
        return None
    return Speaker(answerers.pop(), None, "role", kind="person")
