import hashlib

import pandas as pd
from ._pandera import pdx

from ._base import FLOAT, INT, NFC, STRING, Col, Table, id_pattern

KINDS = ["direct", "partial", "indirect"]
SECTIONS = ["title", "standfirst", "summary", "body"]
RESOLUTIONS = ["name", "title", "pronoun", "role", "cross_source", "none"]
# The named attribution rules (crosswire.rules, in registry order; tests/test_rules.py
# checks that this list and the registries agree).
RULES = ["reported_clause", "finding_clause", "parenthetical_cue", "as_reported", "according_to", "headline_credit", "commitment_to",
         "plan_to", "belief_clause", "question_asked", "reported_object", "accusation", "request_to", "colon_next",
         "said_after", "characterisation", "asked_about", "stance_object", "stance_gerund", "topic_of", "called_on_to", "gerund_content", "said_yes_no", "explained_how", "in_a_poll", "declined_to",
         "noun_cue", "of_the_view", "finding_object", "relative_said", "made_clear",
         "stance_adjective", "speech_verb_object", "passive_report", "question_put", "told_unnamed", "heard_at_a_hearing", "support_of", "label_claim", "any_verb_clause", "any_verb_infinitive",
         "any_verb_object", "any_verb_prep", "adjective_prep", "passive_by_agent",
         "possessed_noun",
         "interview_answer", "transcript_label", "post_signature", "as_they_put_it", "how_they_put_it", "speech_noun_holder", "reporting_verb",
         "speaker_beside_cue", "in_their_words",
         "colon_intro", "headline_label", "dash_credit", "quotation_run", "named_after",
         "attribution_after", "same_paragraph_before", "same_paragraph_after", "introduced_paragraph",
         "previous_paragraph", "sentence_subject_before", "previous_paragraph_subject", "governing_subject",
         "interview_headline", "echoed_in_body",
         "unattributed_quote"]
SPEAKER_KINDS = ["person", "organisation", "document", "unnamed", "group"]


def _span_length(df):
    """Offsets in code points: the span is exactly as long as `text` (the cross-table check
    that the article holds `text` there is crosswire.statements.span_ok)."""
    return (df["char_end"] - df["char_start"]).astype("int64") == df["text"].str.len().astype("int64")


def _key_matches(df):
    """statement_id is derived from the row's own content, so it survives re-runs. (Over
    zipped columns, not DataFrame.apply: a Series per row made this check most of the
    validation time of a large release.)"""
    keys = ["st_" + hashlib.sha256(f"{a}|{s}|{int(b)}|{int(e)}|{k}".encode()).hexdigest()[:16]
            for a, s, b, e, k in zip(df["article_id"], df["section"], df["char_start"], df["char_end"], df["kind"])]
    return pd.Series(keys, index=df.index, dtype=object) == df["statement_id"]


def _named_together(df):
    """A speaker_id exactly where a person is named; a body's name ("Acme Corp") has none."""
    person = df["speaker_kind"].fillna("person") == "person"
    return (df["speaker_id"].isna() == df["speaker_name"].isna()) | (~person & df["speaker_id"].isna())


TABLE = Table(
    name="statements",
    description="One row per statement an article reports: a full quotation (direct), a quoted "
                "fragment inside the writer's sentence (partial) or reported speech without quote "
                "marks (indirect), with where it is in the article and who said it.",
    primary_key="statement_id",
    columns=(
        Col("statement_id", STRING, "Stable key: 'st_' + the first 16 hex digits of "
            "sha256('article_id|section|char_start|char_end|kind').", checks=(id_pattern("st"),)),
        Col("article_id", STRING, "The article (articles.article_id).", checks=(id_pattern("art"),)),
        Col("kind", STRING, "direct (a full quotation) | partial (a quoted fragment inside the "
            "writer's sentence) | indirect (reported speech without quote marks: the reported "
            "clause of 'X said (that) ...').", checks=(pdx.Check.isin(KINDS),)),
        Col("text", STRING, "The statement's words as published: for direct and partial the "
            "characters between the quote marks (marks excluded, punctuation inside kept); for "
            "indirect the reported clause. A quotation run over several paragraphs (each opening "
            "with a mark, only the last closing) is one row from its first opening mark to its "
            "last closing one, so its text keeps the paragraph breaks and the inner opening marks.", checks=(NFC, pdx.Check.str_length(min_value=1))),
        Col("char_start", INT, "Start offset in Unicode code points into the article field "
            "named by `section` (title -> articles.title, standfirst -> articles.standfirst, "
            "summary -> articles.summary, body -> articles.text); "
            "field[char_start:char_end] == text exactly.", checks=(pdx.Check.ge(0),)),
        Col("char_end", INT, "End offset (exclusive), same field and units as char_start.",
            checks=(pdx.Check.ge(1),)),
        Col("section", STRING, "title | standfirst | summary | body: which article field the "
            "offsets index.", checks=(pdx.Check.isin(SECTIONS),)),
        Col("speaker_id", STRING, "The speaker (speakers.speaker_id): 'spk_' + 16 hex digits of "
            "sha256 of the lowercased canonical name; null when the article names no one.",
            nullable=True, checks=(id_pattern("spk"),)),
        Col("speaker_name", STRING, "Canonical display name of the speaker; null when the article "
            "names no one (never guessed).", nullable=True, checks=(NFC,)),
        Col("speaker_mention", STRING, "The words in the article that name the speaker, as "
            "worded ('Mr Putin', 'the US president', 'he'); null when there are none.",
            nullable=True, checks=(NFC,)),
        Col("resolution", STRING, "How the speaker was found: name (named) | title (a title or "
            "role the article or the dated roles data tie to one person, or a description such as "
            "'the company' tied to the body the article named) | pronoun (he/she to the "
            "preceding person, it/they to a body or group) | role (a role, body, document or "
            "unnamed source no known person or named body is tied to: speaker null) | "
            "cross_source (set by the agreements stage from other outlets) | none.",
            checks=(pdx.Check.isin(RESOLUTIONS),)),
        Col("cue", STRING, "The reporting verb as worded (said, told, added, warned, "
            "'according to', 'made clear' ...); null when the speaker came from context.",
            nullable=True),
        Col("confidence", FLOAT, "0-1, the estimated chance the row is right (a real statement "
            "with the right speaker), fitted on the PolNeAR train split: for a quotation per rule "
            "and speaker evidence (crosswire/data/confidence.toml, bench/fit_confidence.py); for "
            "reported speech (indirect) a logistic model over the candidate's features "
            "(crosswire/data/indirect_filter.toml, bench/fit_indirect_filter.py).", checks=(pdx.Check.in_range(0.0, 1.0),)),
        Col("source_id", STRING, "The outlet (sources.source_id) of the article, so that "
            "statements group by outlet without a join."),
        Col("speaker_kind", STRING, "What the speaker is: person | organisation ('the Pentagon', "
            "'the company'; speaker_name is then the body's name when the article gives it, "
            "with no speaker_id: the speakers table holds people) | document ('the report', "
            "'a statement') | unnamed ('a senior official', 'sources familiar with ...') | "
            "group ('Democrats', 'protesters'); null when no speaker is mentioned.",
            nullable=True, checks=(pdx.Check.isin(SPEAKER_KINDS),)),
        Col("rule", STRING, "The named attribution rule that found the statement (for a "
            "quotation: that found its speaker; unattributed_quote when none did), e.g. "
            "reported_clause ('X said (that) ...'), according_to, belief_clause (a belief or "
            "plan, not speech), reporting_verb, same_paragraph_before. See crosswire/rules.",
            checks=(pdx.Check.isin(RULES),)),
        Col("utterance_id", STRING, "The statement's primary utterance (utterances.utterance_id): "
            "a quotation repeated in one article, or carried by several outlets, has one; a long "
            "quotation of several utterances has the one its agreements support most (all of "
            "them: utterances.statement_ids). Null for a headline, standfirst or summary line that "
            "copies a body quotation of its own article (the body statement carries the "
            "utterance, as it carries the agreements).", nullable=True, checks=(id_pattern("utt"),)),
    ),
    checks=(
        pdx.Check(_span_length, name="span_length"),
        pdx.Check(_key_matches, name="statement_id_from_content"),
        pdx.Check(_named_together, name="speaker_id_with_name"),
        pdx.Check(lambda df: df["char_start"] < df["char_end"], name="span_order"),
    ),
    rows_alone=True,
)
