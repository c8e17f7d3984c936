"""The registry of known people, role phrases, the speakers table and both schemas."""
import re

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings, strategies as st
from pandera.errors import SchemaError, SchemaErrors

from crosswire.speakers import _whole_form_at, RoleKey, build_speakers, load_registry, name_and_title, role_key, speaker_id
from crosswire.statements import extract_statements
from schemas import speakers as speakers_schema
from schemas import statements as statements_schema


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def test_registry_is_general_and_aliases_resolve(registry):
    assert len(registry.people) >= 50
    assert registry.lookup("Zelenskyy").name == "Volodymyr Zelensky"
    assert registry.lookup("putin").name == "Vladimir Putin"
    assert registry.lookup("Nobody Known") is None


@pytest.mark.parametrize("phrase,when,who", [
    ("the Kremlin spokesman", "2025-08-15", ["Dmitry Peskov"]),
    ("the Russian leader", "2010-06-01", ["Dmitry Medvedev"]),
    ("the US president", "2016-05-01", ["Barack Obama"]),
    ("the US president", "2025-08-15", ["Donald Trump"]),
    ("the US president", None, []),                 # undated: nobody, whoever holds it today
    ("the UN secretary-general", "2020-01-01", ["António Guterres"]),
    ("the US chief of staff", "2025-08-15", []),    # an office the data does not hold
])
def test_roles_from_the_dated_registry(registry, phrase, when, who):
    from crosswire.roles import article_date
    assert registry.roles.holders(role_key(phrase), article_date(when)) == who
    assert registry.by_role(role_key(phrase)) == []  # the default people data holds no offices


def test_role_phrases_normalise_places_and_heads():
    assert role_key("President of the United States") == role_key("the US President")
    assert role_key("Russia's top diplomat").head == "foreign_minister"


@pytest.mark.parametrize("phrase, head, mods", [
    # the office comes before the preposition that says whose office it is
    ("a spokesman for the company", "spokesman", {"company"}),
    ("a senior adviser to the president", "adviser", {"senior", "president"}),
    ("a portfolio manager at Halden Capital", "manager", {"portfolio", "halden", "capital"}),
    # a relative clause or a second appositive describes the holder, not the office
    ("a portfolio manager at Halden Capital, which owns Norvex shares", "manager", {"portfolio", "halden", "capital"}),
    ("the treasurer, a former banker", "treasurer", set()),
    # a comma inside a place is no such boundary
    ("Lakeport, Ohio mayor", "mayor", {"lakeport", "ohio"}),
])
def test_the_office_of_a_phrase_is_its_head_before_any_preposition_or_clause(phrase, head, mods):
    assert role_key(phrase) == RoleKey(head, frozenset(mods))


def test_user_file_overrides_an_entry(tmp_path):
    user = tmp_path / "people.toml"
    user.write_text('[[person]]\nname = "Dmitry Peskov"\naliases = ["Dima"]\ngender = "m"\n', encoding="utf-8")
    reg = load_registry(user)
    assert reg.lookup("Dima").name == "Dmitry Peskov" and reg.lookup("Peskov") is None


def test_speaker_ids_are_stable():
    assert speaker_id("Vladimir Putin") == speaker_id("vladimir putin")
    assert speaker_id("Vladimir Putin").startswith("spk_") and len(speaker_id("x")) == 20


def _statement(**kw):
    row = dict(statement_id="st_0000000000000000", article_id="art_0000000000000000", kind="direct",
               text="We won,", char_start=1, char_end=8, section="body", speaker_id=None,
               speaker_name=None, speaker_mention=None, resolution="none", cue=None, confidence=0.5,
               source_id="test", rule="reporting_verb")
    row.update(kw)
    from crosswire.statements import statement_id
    row["statement_id"] = statement_id(row["article_id"], row["section"], row["char_start"],
                                       row["char_end"], row["kind"])
    return row


def test_speakers_rows_merge_mentions_and_registry(registry):
    rows = [_statement(speaker_id=speaker_id("Vladimir Putin"), speaker_name="Vladimir Putin",
                       speaker_mention="Mr Putin", resolution="name"),
            _statement(char_start=20, char_end=27, speaker_id=speaker_id("Vladimir Putin"),
                       speaker_name="Vladimir Putin", speaker_mention="the Russian President",
                       resolution="title"),
            _statement(char_start=30, char_end=37, speaker_id=speaker_id("Ann Lee"), speaker_name="Ann Lee",
                       speaker_mention="she", resolution="pronoun")]
    out = build_speakers(rows, registry)
    assert [r["name"] for r in out] == sorted([r["name"] for r in out], key=lambda n: speaker_id(n))
    putin = next(r for r in out if r["name"] == "Vladimir Putin")
    assert "Mr Putin" in putin["aliases"] and "Putin" in putin["aliases"]
    assert "Russian President" in putin["roles"] and putin["roles"] == sorted(putin["roles"])
    lee = next(r for r in out if r["name"] == "Ann Lee")
    assert lee["aliases"] == [] and lee["roles"] == []   # a pronoun is not an alias
    _validate(speakers_schema.TABLE, out)


@pytest.mark.parametrize("mention, alias, role", [
    ("President Putin", "President Putin", None),           # a title that addresses him
    ("Mr Putin", "Mr Putin", None),
    ("Sen. Ann Lee (D-Vt.)", "Sen. Ann Lee", None),           # abbreviated title; party left out
    ("Harbour Minister Ann Lee", "Ann Lee", "Harbour Minister"),
    ("Leeds port authority chief Ann Lee", "Ann Lee", "Leeds port authority chief"),
    ("Lee's lawyer Ann Lee", "Ann Lee", "Lee's lawyer"),
    ("veteran port campaigner Councillor Ann Lee", "Councillor Ann Lee", "veteran port campaigner"),
    ("Secretary of Transport Ann Lee", "Ann Lee", "Secretary of Transport"),
    ("Ann Lee, the harbour minister", "Ann Lee", "harbour minister"),
    ("Gov. Ann Lee of Vermont", "Gov. Ann Lee", None),
    ("a former harbour minister", None, "former harbour minister"),   # the appositive that named her
    ("The city's mayor", None, "city's mayor"),
    ("Harbour's chief engineer", None, "Harbour's chief engineer"),
    ("ANN LEE", "ANN LEE", None),
    ("Anne Lee", "Anne Lee", None),                          # a spelling the registry lacks
    ("Anna van der Lee", "Anna van der Lee", None),          # particles are a name's
])
def test_a_mention_gives_its_name_form_as_alias_and_its_title_as_role(mention, alias, role):
    assert name_and_title(mention, ["Ann Lee", "Lee"]) == (alias, role)


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet="ab .'’_9é", max_size=14), form=st.text(alphabet="ab .é", min_size=1, max_size=3))
def test_a_whole_form_is_found_where_the_boundary_regex_finds_it(text, form):
    m = re.search(rf"(?<![\w.]){re.escape(form)}(?![\w'’])", text)
    assert _whole_form_at(text, form) == (m.start() if m else -1)


def test_speakers_rows_split_titles_from_names(registry):
    rows = [_statement(char_start=10 * i, char_end=10 * i + 5, speaker_id=speaker_id("Ann Lee"),
                       speaker_name="Ann Lee", speaker_mention=m, resolution="name")
            for i, m in enumerate(["Harbour Minister Ann Lee", "Ms. Lee", "a former judge"])]
    [lee] = build_speakers(rows, registry)
    assert lee["aliases"] == ["Ms. Lee"] and lee["roles"] == ["Harbour Minister", "former judge"]
    _validate(speakers_schema.TABLE, [lee])


def _validate(table, rows):
    df = pa.Table.from_pylist(rows, schema=table.arrow_schema).to_pandas(types_mapper=pd.ArrowDtype)
    return table.model.validate(df)


def test_statements_schema_accepts_good_rows_and_rejects_bad_ones():
    good = _statement(text="We won,", char_start=1, char_end=8)
    _validate(statements_schema.TABLE, [good])
    for bad in (dict(good, char_end=9),                        # length does not match the text
                dict(good, statement_id="st_1111111111111111"),  # key not derived from content
                dict(good, speaker_name="Someone"),            # a name without an id
                dict(good, kind="quote"), dict(good, confidence=1.5),
                dict(good, rule="a_rule_nobody_wrote")):
        with pytest.raises((SchemaError, SchemaErrors)):
            _validate(statements_schema.TABLE, [bad])


def test_columns_in_contract_order():
    assert [c.name for c in statements_schema.TABLE.columns] == [
        "statement_id", "article_id", "kind", "text", "char_start", "char_end", "section",
        "speaker_id", "speaker_name", "speaker_mention", "resolution", "cue", "confidence",
        "source_id", "speaker_kind", "rule", "utterance_id"]
    assert [c.name for c in speakers_schema.TABLE.columns] == ["speaker_id", "name", "aliases", "roles"]


# --- who the speaker is: rules that fix the parse's usual slips (sentences of our own) ----

@pytest.fixture(scope="module")
def nlp():
    from crosswire.nlp import load
    return load()


def _rows(nlp, text, published=None, title="Council vote"):
    art = {"article_id": "art_s", "title": title, "standfirst": None, "summary": None,
           "text": text, "published": published}
    return {r["text"]: r for r in extract_statements([art], nlp=nlp)}


def test_a_speaker_after_the_verb_is_the_speaker_not_its_object(nlp):
    rows = _rows(nlp, "“Look, the council needed to settle the budget first,” added a Leeds councillor.")
    row = rows["Look, the council needed to settle the budget first,"]
    assert row["speaker_mention"] == "a Leeds councillor" and row["speaker_kind"] == "unnamed"


def test_who_takes_the_speaker_it_refers_to(nlp):
    rows = _rows(nlp, "The mayor rebuked a party volunteer who said voters should “stop electing cowards” at a rally.")
    row = rows["stop electing cowards"]
    assert row["speaker_mention"] == "a party volunteer"


def test_a_phrase_headed_by_a_pronoun_keeps_its_words(nlp):
    rows = _rows(nlp, "Most of those surveyed said the economy should come first. "
                      "Those who back her rivals said the coverage had hurt her.")
    assert rows["the economy should come first"]["speaker_mention"] == "Most of those surveyed"
    assert rows["the economy should come first"]["speaker_kind"] == "group"
    assert rows["the coverage had hurt her"]["speaker_mention"] == "Those who back her rivals"


def test_an_unnamed_speaker_carries_to_the_next_quotation_of_the_paragraph(nlp):
    rows = _rows(nlp, "“This is not a rescue,” one senior treasury official said, speaking on condition "
                      "of anonymity. “It is a loan.”")
    assert rows["It is a loan."]["speaker_mention"] == "one senior treasury official"
    assert rows["It is a loan."]["speaker_kind"] == "unnamed"


def test_a_body_named_with_a_possessive_has_the_name_without_the_clitic(nlp):
    # one body, one name: "Mr Okafor's office" and "the Mr Okafor office" alike; the
    # mention keeps the page's words and spacing
    rows = _rows(nlp, "Mr Okafor’s office said he could not recall the dinner.")
    row = rows["he could not recall the dinner"]
    assert row["speaker_name"] == "Mr Okafor office" and row["speaker_kind"] == "organisation"
    assert row["speaker_mention"] == "Mr Okafor’s office"


def test_an_unresolved_he_still_carries_to_his_next_quotation(nlp):
    rows = _rows(nlp, '"I leave that to others," he says during a drive through town. "I just do my job."')
    row = rows["I just do my job."]
    assert row["speaker_mention"] == "he" and row["speaker_kind"] == "person"


def test_a_quotation_with_no_reporting_verb_takes_the_named_subject_above_it(nlp):
    rows = _rows(nlp, 'Mayor Ines Duarte backs "a fair rent for every family" and opposes new tolls.')
    row = rows["a fair rent for every family"]
    assert row["speaker_name"] == "Ines Duarte" and row["confidence"] < 0.9


def test_a_rank_split_off_its_name_is_not_the_speaker(nlp):
    rows = _rows(nlp, "“The candidates just don’t understand the navy,” said Navy Capt. Rosa Delgado, "
                      "who has served for 20 years.")
    assert rows["The candidates just don’t understand the navy,"]["speaker_name"] == "Rosa Delgado"


def test_a_run_in_head_in_capitals_is_no_part_of_the_speaker(nlp):
    rows = _rows(nlp, "The poll came out on Monday.\n\nPOLLS NOT WRONG, JUST TOO EARLY - Ann Lee: “The polls "
                      "did not fail. They just closed too early, before the late deciders made up their minds.”")
    row = next(iter(rows.values()))
    assert (row["speaker_name"], row["speaker_mention"]) == ("Ann Lee", "Ann Lee")


def test_a_full_name_found_while_resolving_names_its_surname_later(nlp):
    # spaCy's small model tags neither "Mayor Ana Ruiz" nor "Ruiz" as a person here
    rows = _rows(nlp, 'Mayor Ana Ruiz opened the meeting with a warning.\n\n'
                      '"We will win this fight," Ruiz said, "and then we will rebuild the harbour."')
    assert rows["We will win this fight,"]["speaker_name"] == "Ana Ruiz"


def test_the_former_and_the_latter_are_the_two_people_just_named_in_order(nlp):
    rows = _rows(nlp, "Harbour master Tom Reyes and council leader Ana Ruiz met on Tuesday. Reyes said the "
                      "port was ready.\n\nRuiz disagreed. She told reporters the cranes were old.\n\n"
                      'The former said he was "not in a hurry" to sell, while the latter said she saw "real risks" ahead.')
    assert rows["not in a hurry"]["speaker_name"] == "Tom Reyes"
    assert rows["real risks"]["speaker_name"] == "Ana Ruiz"


def test_a_name_before_a_preposition_after_the_cue_speaks_though_the_parse_heads_the_phrase_with_a_noun(nlp):
    # (the parse makes "summit" the subject, "Trump" its modifier)
    rows = _rows(nlp, "Donald Trump and Vladimir Putin met in Alaska on Friday.",
                 title="'No deal until there's a deal,' says Trump after Alaska summit")
    row = next(r for r in rows.values() if r["section"] == "title")
    assert (row["speaker_name"], row["speaker_mention"]) == ("Donald Trump", "Trump")


def test_a_roundups_items_are_said_by_the_people_their_lines_name(nlp):
    rows = _rows(nlp, "World leaders reacted quickly to the summit.\n\nWhat they said:\n\n"
                      '- UK Prime Minister Keir Starmer: "We stand with Ukraine, today and for as long as it takes."\n'
                      '- French President Emmanuel Macron: "Peace cannot be made without Ukrainians."')
    assert rows["We stand with Ukraine, today and for as long as it takes."]["speaker_name"] == "Keir Starmer"
    assert rows["Peace cannot be made without Ukrainians."]["speaker_name"] == "Emmanuel Macron"


def test_an_embedded_post_is_its_authors_direct_statement(nlp):
    rows = [r for r in _rows(nlp, "Harbour Robotics announced a deal with the port on Monday.\n\n"
                                  "The mayor welcomed it online.\n\n"
                                  "We are proud to welcome new jobs to Lakeport! pic.twitter.com/abc123\n"
                                  "— Ana Ruiz (@MayorRuiz) March 3, 2025\n\n"
                                  "Big news for the harbour today. — Harbour Robotics (@HarbourBots) March 3, 2025\n\n"
                                  "Stay off the harbour road tonight.\n— Lakeport Police (@LakeportPD) March 3, 2025"
                         ).values()]
    posts = [(r["text"], r["kind"], r["speaker_name"], r["speaker_kind"]) for r in rows if r["rule"] == "post_signature"]
    assert posts == [("We are proud to welcome new jobs to Lakeport!", "direct", "Ana Ruiz", "person"),
                     ("Big news for the harbour today.", "direct", "Harbour Robotics", "organisation"),
                     ("Stay off the harbour road tonight.", "direct", "Lakeport Police", "organisation")]
    assert not any(r["text"].startswith(("to welcome", "We are proud")) and r["kind"] == "indirect" for r in rows)


def test_a_trades_name_the_parse_hangs_on_the_name_after_its_preposition(nlp):
    rows = _rows(nlp, "Senate Majority Leader John Thune said a vote could come next week. A spokesman for "
                      'Thune, Ryan Wrasse, said the leader was "confident" the bill would pass.')
    assert rows["confident"]["speaker_name"] == "Ryan Wrasse"


def test_the_congresswoman_is_the_representative_the_article_named(nlp):
    rows = _rows(nlp, "WASHINGTON — Sen. John Cornyn (R-Texas) and Rep. Alexandria Ocasio-Cortez (D-N.Y.) traded "
                      "barbs on Tuesday over a border bill.\n\nOcasio-Cortez called the measure \"cruel and "
                      "wasteful.\" The congresswoman said she would vote against it.")
    assert rows["she would vote against it"]["speaker_name"] == "Alexandria Ocasio-Cortez"


def test_a_name_the_parser_cut_off_from_its_title_is_the_speaker(nlp):
    rows = _rows(nlp, "“I was hoping for something else,” said Air Force 1st Lt. Tyler Moreno.")
    row = rows["I was hoping for something else,"]
    assert row["speaker_name"] == "Tyler Moreno" and row["speaker_mention"].endswith("Tyler Moreno")


def test_speaker_evidence_gives_the_speakers_every_statement_gives(registry):
    """The flow reads build_speakers' input from the statements table reduced to each speaker's
    first statement and the distinct rows that add an alias or a role: the same speakers as
    every row in statement_id order, the first name a speaker is given winning, a mention that
    only differs from its own row's name in case not an alias, rows without a name skipped."""
    from flows.release import speaker_evidence

    lee, quill = speaker_id("Ann Lee"), speaker_id("Mara Quill")

    def row(i, sid, name, mention, resolution):
        return {"statement_id": f"st_{i:016x}", "speaker_id": sid, "speaker_name": name,
                "speaker_mention": mention, "resolution": resolution}
    rows = [row(9, lee, "Ann Lee", "Ms. Lee", "name"),
            row(3, lee, "ANN LEE", "ANN LEE", "name"),          # the first: its name wins
            row(5, lee, "Ann Lee", "the harbour minister", "title"),
            row(7, lee, "Ann Lee", "Ms. Lee", "name"),           # a repeat
            row(10, lee, "Ann Lee", "Ann Lee", "name"),          # its own name: no alias
            row(8, lee, "Ann Lee", "she", "pronoun"),
            row(4, quill, "Mara Quill", "Quill", "name"),
            row(6, quill, None, "Mara", "name"),                # no name: skipped
            row(2, None, "Tom Reyes", "Reyes", "name"),         # no id: skipped
            row(1, quill, "", "Q", "name")]
    table = pa.Table.from_pylist(rows)
    every = build_speakers(sorted(rows, key=lambda r: r["statement_id"]), registry)
    reduced = speaker_evidence(table)
    assert build_speakers(reduced, registry) == every
    assert len(reduced) < len(rows)
    assert next(r for r in every if r["speaker_id"] == lee)["name"] == "ANN LEE"


def test_a_known_person_written_with_a_middle_initial_is_the_same_person():
    # American newspapers' style ("Vladimir V. Putin", "Donald J. Trump") is the registry's
    # person, so the same speaker across outlets; an initial alone changes no one unknown
    from crosswire.speakers import load_registry
    reg = load_registry()
    assert reg.lookup("Vladimir V. Putin").name == reg.lookup("Vladimir Putin").name == "Vladimir Putin"
    assert reg.lookup("Donald J. Trump").name == "Donald Trump"
    assert reg.lookup("Ann B. Lee") is None


def test_a_speaker_with_a_middle_initial_gets_the_registrys_name(nlp):
    art = {"article_id": "art_t", "source_id": "test", "title": "Summit", "published": "2025-08-16",
           "text": 'President Vladimir V. Putin of Russia said the talks were "useful."'}
    [row] = [r for r in extract_statements([art], nlp=nlp) if r["kind"] != "indirect"]
    assert row["speaker_name"] == "Vladimir Putin"
