import pandas as pd
from ._pandera import pdx

from ._base import NFC, STRING, STRINGS, Col, Table, id_pattern


def _sorted_lists(df):
    """aliases and roles are sorted, so that releases are byte-identical."""
    ok = [list(a) == sorted(a) and list(r) == sorted(r) for a, r in zip(df["aliases"], df["roles"])]
    return pd.Series(ok, index=df.index, dtype=bool)


TABLE = Table(
    name="speakers",
    description="One row per person any statement names: the canonical name, the other names "
                "and the roles by which articles and the editable registry of known people "
                "(crosswire/data/people.toml and the dated offices of crosswire/data/roles.toml, "
                "extended by raw/people.toml) refer to them. Organisations are not here: a "
                "statement names them in speaker_name with speaker_kind 'organisation'.",
    primary_key="speaker_id",
    columns=(
        Col("speaker_id", STRING, "Stable key: 'spk_' + the first 16 hex digits of sha256 of the "
            "lowercased canonical name.", checks=(id_pattern("spk"),)),
        Col("name", STRING, "Canonical display name.", checks=(NFC, pdx.Check.str_length(min_value=1))),
        Col("aliases", STRINGS, "Other names: the registry's aliases and the name forms articles "
            "used, with a title that addresses the person ('Mr Putin', 'President Putin') but "
            "without a longer title or a description; sorted."),
        Col("roles", STRINGS, "Roles and titles: the offices the dated roles data list for the "
            "person ('US president') and the titles and descriptions articles used for them "
            "('Russian President', 'Kremlin spokesman', 'former US ambassador to Russia'); sorted."),
    ),
    checks=(pdx.Check(_sorted_lists, name="sorted_lists"),),
)
