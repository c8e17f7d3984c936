from ._pandera import pdx

from ._base import BOOL, FLOAT, NFC, STRING, Col, Table, id_pattern

# the statements stage owns its key prefix; any `<prefix>_<16 hex>` key is accepted here
STATEMENT_KEY = pdx.Check.str_matches(r"^[a-z]+_[0-9a-f]{16}$")

RELATIONS = ["verbatim", "near_verbatim", "containment", "paraphrase"]

TABLE = Table(
    name="agreements",
    description="One row per pair of statements from different outlets, in the same event, "
                "that report the same utterance: how their wordings relate, whether the "
                "outlets disagree on the speaker, and whether they are independent witnesses.",
    primary_key="agreement_id",
    columns=(
        Col("agreement_id", STRING, "Stable key derived from the two statement ids.",
            checks=(id_pattern("agr"),)),
        Col("event_id", STRING, "The event both articles belong to (events.event_id).",
            checks=(id_pattern("evt"),)),
        Col("statement_a", STRING, "The smaller of the two statement ids (statements.statement_id).",
            checks=(STATEMENT_KEY,)),
        Col("statement_b", STRING, "The larger of the two statement ids.",
            checks=(STATEMENT_KEY,)),
        Col("source_a", STRING, "statement_a's outlet (sources.source_id), as in statements.source_id."),
        Col("source_b", STRING, "statement_b's outlet (sources.source_id)."),
        Col("relation", STRING, "verbatim (same words after normalising case, punctuation, "
            "quote style, contractions and editorial brackets) | near_verbatim (small wording or translation "
            "differences) | containment (one wording is a fragment of the other) | paraphrase "
            "(same utterance, different words).", checks=(pdx.Check.isin(RELATIONS),)),
        Col("similarity", FLOAT, "0-1: IDF-weighted overlap of the aligned wordings (for "
            "containment, of the shorter wording against the longer); 1 = the same words.",
            checks=(pdx.Check.in_range(0.0, 1.0),)),
        Col("diff", STRING, "Compact word-level diff from statement_a's wording to statement_b's: "
            "[-removed-] {+added+}, long unchanged runs shortened to '…'.", checks=(NFC,)),
        Col("speaker_conflict", BOOL, "True where the two articles name different speakers for the "
            "utterance (one outlet's attribution was overridden by cross_source)."),
        Col("independent", BOOL, "False where the two articles are a pair in `copies` (they "
            "share wire copy: long runs of the same non-quote sentences), so they are not "
            "independent witnesses."),
        Col("utterance_id", STRING, "The utterance the pair supports (utterances.utterance_id): "
            "the one both statements carry, a side's primary one first.", checks=(id_pattern("utt"),)),
    ),
    checks=(pdx.Check(lambda df: df["statement_a"] < df["statement_b"], name="ordered_pair"),),
    rows_alone=True,
)
