"""The tables' own row checks (schemas/*.py) catch the rows they are for."""
import hashlib

import pandas as pd

from schemas.speakers import _sorted_lists
from schemas.statements import _key_matches


def test_a_statement_id_must_be_derived_from_its_own_row():
    right = "st_" + hashlib.sha256(b"art_0000000000000001|body|3|9|direct").hexdigest()[:16]
    df = pd.DataFrame({"article_id": ["art_0000000000000001"] * 3, "section": ["body", "body", "title"],
                       "char_start": [3, 3, 3], "char_end": [9, 10, 9], "kind": ["direct"] * 3,
                       "statement_id": [right] * 3})
    assert _key_matches(df).tolist() == [True, False, False]


def test_speaker_aliases_and_roles_must_be_sorted():
    df = pd.DataFrame({"aliases": [["Ann Lee", "Lee"], ["Lee", "Ann Lee"], []],
                       "roles": [["mayor"], [], ["mayor", "governor"]]})
    assert _sorted_lists(df).tolist() == [True, False, False]
