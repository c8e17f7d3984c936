import hashlib

from ._pandera import pdx

from ._base import INT, NFC, STRING, STRINGS, TIMESTAMP, Col, Table, id_pattern


def text_sha256(text: str) -> str:
    """articles.text_sha256: the hash a reader recomputes from their own copy of the text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


TABLE = Table(
    name="articles",
    description="One row per article: clean body text, metadata and what cleaning removed.",
    primary_key="article_id",
    columns=(
        Col("article_id", STRING, "Stable key derived from the outlet and the raw file's content "
            "(source_id, raw_sha256): the same text republished by two outlets is two articles.",
            checks=(id_pattern("art"),)),
        Col("source_id", STRING, "The outlet (sources.source_id)."),
        Col("raw_path", STRING, "Path of the raw file relative to the raw root, with / separators.",
            checks=(pdx.Check.str_matches(r"^[a-z0-9][a-z0-9_-]*/[^/]+$"),)),
        Col("raw_sha256", STRING, "SHA-256 of the raw file's bytes; unique within an outlet (the same "
            "bytes at two outlets are wire copy, listed in `copies`).",
            checks=(pdx.Check.str_matches(r"^[0-9a-f]{64}$"),)),
        Col("url", STRING, "Canonical URL of the article, when known.", nullable=True,
            checks=(pdx.Check.str_matches(r"^https?://"),)),
        Col("title", STRING, "Headline as published (quote characters kept).", checks=(NFC,)),
        Col("standfirst", STRING, "The line under the headline (dek), when there is one.",
            nullable=True, checks=(NFC,)),
        Col("summary", STRING, "An outlet's summary box (e.g. AI-generated bullets), kept out of "
            "the body; one bullet per line. Statements with section 'summary' index this column.",
            nullable=True, checks=(NFC,)),
        Col("authors", STRINGS, "Bylines, in page order."),
        Col("published", TIMESTAMP, "Publication time (UTC), null when unknown.", nullable=True),
        Col("language", STRING, "BCP 47 language tag: from the sidecar, else detected.",
            checks=(pdx.Check.str_matches(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"),)),
        Col("text", STRING, "Clean body: paragraphs separated by a blank line, Unicode NFC. "
            "Statements with section 'body' index this column in code points. Null in a public release "
            "where the outlet's licence does not allow redistributing it (text_sha256 still identifies it).",
            nullable=True, checks=(NFC, pdx.Check.str_length(min_value=1))),
        Col("text_sha256", STRING, "SHA-256 of text (UTF-8), kept where text is withheld, so that statements' "
            "offsets can be checked against a reader's own copy of the article.",
            checks=(pdx.Check.str_matches(r"^[0-9a-f]{64}$"),)),
        Col("word_count", INT, "Words in text.", checks=(pdx.Check.ge(0),)),
        Col("removed", STRINGS, "Boilerplate lines removed from the page, for audit."),
        Col("captions", STRINGS, "Photo captions (with their credits) found on the page."),
        Col("event_id", STRING, "The event the article covers (events.event_id).", nullable=True),
        Col("cleaning_skipped", STRINGS, "Cleaning rules NOT applied to this page because each would have "
            "taken more than a quarter of its words out of the body (a summary box, a footer, a furniture "
            "pattern): 'rule: would have removed N of M words'. Empty when every rule applied."),
        Col("dateline_place", STRING, "The place of the dateline that opens the story ('ANCHORAGE, Alaska' "
            "in 'ANCHORAGE, Alaska (AP) —'), null when there is none. The dateline stays in text.",
            nullable=True, checks=(NFC,)),
        Col("dateline_agency", STRING, "The news agency credited in that dateline ('AP', 'Reuters'), "
            "null when none is named.", nullable=True, checks=(NFC,)),
    ),
    checks=(pdx.Check(lambda df: ~df.duplicated(["source_id", "raw_sha256"]),
                      name="one_article_per_file_per_outlet"),
            pdx.Check(lambda df: df["text"].isna() | (df["text"].map(text_sha256, na_action="ignore")
                                                      == df["text_sha256"]),
                      name="text_sha256_is_the_hash_of_text"),),
)
