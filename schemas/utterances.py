from ._pandera import pdx

from .statements import SPEAKER_KINDS
from ._base import INT, NFC, STRING, STRINGS, TIMESTAMP, Col, Table, id_pattern

TABLE = Table(
    name="utterances",
    description="One row per distinct thing said in an event (a sentence-level unit of what a "
                "speaker said), however many outlets and statements carry it: who said it, a "
                "representative wording, where and when it appeared first, and how many outlets, "
                "independent outlets and wordings carry it. A long quotation belongs to every "
                "utterance among its sentences (statement_ids lists them all); its "
                "statements.utterance_id is its primary one.",
    primary_key="utterance_id",
    columns=(
        Col("utterance_id", STRING, "Stable key: 'utt_' + 16 hex digits of sha256('event_id|"
            "wording|statement_id|offset') of its unit that sorts first by normalised wording, "
            "then statement_id, then offset in the statement's text.", checks=(id_pattern("utt"),)),
        Col("event_id", STRING, "The event (events.event_id).", checks=(id_pattern("evt"),)),
        Col("speaker_id", STRING, "The person most of its statements name (speakers.speaker_id); "
            "null when none names a person.", nullable=True, checks=(id_pattern("spk"),)),
        Col("speaker_name", STRING, "The person's canonical display name; when no statement names a "
            "person, the name of the body, document or group most of them give (statements."
            "speaker_name: 'Police', 'the electoral commission'), with no speaker_id; null when none "
            "names a speaker.", nullable=True, checks=(NFC,)),
        Col("speaker_kind", STRING, "What the speaker is (statements.speaker_kind): person with a "
            "speaker_id, else organisation | document | unnamed | group; null with speaker_name.",
            nullable=True, checks=(pdx.Check.isin(SPEAKER_KINDS),)),
        Col("text", STRING, "A representative wording: the sentence-level unit most statements "
            "carry in the same words (fragments only when nothing longer carries it), as published "
            "by the first outlet that carries it so.", checks=(NFC,)),
        Col("first_statement_id", STRING, "The statement of the earliest published article that "
            "carries it (undated articles last; ties by source_id, then statement_id).",
            checks=(pdx.Check.str_matches(r"^[a-z]+_[0-9a-f]{16}$"),)),
        Col("first_source_id", STRING, "The outlet of first_statement_id (sources.source_id)."),
        Col("first_published", TIMESTAMP, "When first_statement_id's article was published; null "
            "when no article carrying it is dated.", nullable=True),
        Col("source_count", INT, "Outlets whose statements carry it.", checks=(pdx.Check.ge(1),)),
        Col("independent_source_count", INT, "Independent witnesses among them: outlets grouped "
            "when their articles share copy (wire), each group counted once.",
            checks=(pdx.Check.ge(1),)),
        Col("wording_count", INT, "Distinct wordings among its units (after normalising case, "
            "punctuation, quote style, contractions and editorial brackets).",
            checks=(pdx.Check.ge(1),)),
        Col("statement_count", INT, "Statements that carry it (a quotation repeated in one "
            "article counts each time).", checks=(pdx.Check.ge(1),)),
        Col("statement_ids", STRINGS, "Every statement that carries it, sorted: those whose "
            "primary utterance it is and the long quotations it is one sentence of."),
    ),
    checks=(
        pdx.Check(lambda df: df["independent_source_count"] <= df["source_count"],
                  name="independent_within_sources"),
        pdx.Check(lambda df: df["source_count"] <= df["statement_count"], name="sources_within_statements"),
        pdx.Check(lambda df: (df["speaker_kind"].isna() == df["speaker_name"].isna())
                  & (df["speaker_id"].notna() == (df["speaker_kind"] == "person").fillna(False)),
                  name="a_person_has_a_speaker_id"),
    ),
    rows_alone=True,
)
