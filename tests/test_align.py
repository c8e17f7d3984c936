"""Statement alignment on hand-written coverage of an invented event (a bridge reopening):
wire copy, translated paraphrase, partial fragments, common words said by two people."""
import hashlib

from crosswire import align

MARSH = "spk_" + hashlib.sha256(b"elena marsh").hexdigest()[:16]
OKAFOR = "spk_" + hashlib.sha256(b"tom okafor").hexdigest()[:16]


def st(sid, article, text, speaker=None, kind="direct", section="body", resolution=None,
       start=None):
    return {"statement_id": f"stm_{sid:016x}", "article_id": article, "kind": kind, "text": text,
            "section": section, "speaker_id": speaker, "resolution": resolution or
            ("name" if speaker else "none"), "char_start": start,
            "char_end": None if start is None else start + len(text)}


SOURCES = {"a1": "wire", "a2": "herald", "a3": "post", "a4": "gazette"}


def run(statements):
    links, overrides = align.align_event(statements, SOURCES)
    pairs = {frozenset((int(l.a.sid[4:], 16), int(l.b.sid[4:], 16))): l for l in links}
    return pairs, overrides


LONG = ("The inspectors found structural fatigue in two of the cables, and we were not "
        "going to gamble with people's lives. The bridge will reopen on Monday morning.")


def test_verbatim_across_quote_styles_and_case():
    pairs, _ = run([st(1, "a1", "The bridge will reopen on Monday morning.", MARSH),
                    st(2, "a2", "the bridge will reopen on monday morning", MARSH)])
    link = pairs[frozenset((1, 2))]
    assert link.relation == "verbatim" and link.similarity == 1.0


def test_near_verbatim_small_wording_change():
    pairs, _ = run([st(1, "a1", "We were never going to gamble with people's lives on that bridge.", MARSH),
                    st(2, "a2", "We were not going to gamble with people's lives on the bridge.", MARSH)])
    assert pairs[frozenset((1, 2))].relation == "near_verbatim"


def test_two_word_fragment_is_contained_in_long_quote():
    pairs, _ = run([st(1, "a1", LONG, MARSH),
                    st(2, "a2", "structural fatigue", MARSH, kind="partial")])
    link = pairs[frozenset((1, 2))]
    assert link.relation == "containment" and link.similarity >= 0.8


def test_brackets_and_ellipses_are_not_the_speakers_words():
    pairs, _ = run([st(1, "a1", "[The span] was ... never at risk of collapse, not for a single day", OKAFOR),
                    st(2, "a2", "The span was never at risk of collapse, not for a single day", OKAFOR)])
    assert pairs[frozenset((1, 2))].relation in ("verbatim", "near_verbatim")


def test_one_content_word_fragment_links_nothing():
    # "very soon" shares only one content word with anything: no evidence of the utterance
    pairs, _ = run([st(1, "a1", "We will have news about the tolls very soon.", MARSH),
                    st(2, "a2", "very soon", None, kind="partial")])
    assert not pairs


def test_same_common_words_from_two_people_are_not_linked():
    pairs, _ = run([st(1, "a1", "We had very productive discussions with the council today.", MARSH),
                    st(2, "a2", "Frankly, these were productive discussions, nothing more.", OKAFOR),
                    # an unattributed fragment that either of them could have said
                    st(3, "a3", "productive discussions", None, kind="partial")])
    assert not pairs


def test_translated_paraphrase_same_speaker():
    pairs, _ = run([
        st(1, "a1", "Most of the questions have been settled between us; only a couple remain "
                    "open and one of them matters a great deal.", MARSH),
        st(2, "a3", "We resolved the majority of issues. Just a few are left, one is the "
                    "most serious.", MARSH),
        st(3, "a3", "The cables will be replaced by the end of the year.", MARSH),
    ])
    assert set(pairs) == {frozenset((1, 2))}
    assert pairs[frozenset((1, 2))].relation == "paraphrase"


def test_paraphrase_needs_the_same_named_speaker():
    pairs, _ = run([
        st(1, "a1", "Most of the questions have been settled; only a couple remain open.", MARSH),
        st(2, "a3", "We resolved the majority of issues. Just a few are left.", None),
    ])
    assert not pairs


def test_paraphrase_is_mutual_best_only():
    pairs, _ = run([
        st(1, "a1", "The repair crews worked through every night of the storm to fix the cables.", MARSH),
        st(2, "a2", "Repair crews worked every night to fix cables during the storm.", MARSH),
        st(3, "a2", "Crews will fix the cables again next storm season, every night if needed.", MARSH),
    ])
    assert frozenset((1, 3)) not in pairs and frozenset((1, 2)) in pairs


def test_cross_source_attribution_overrides_a_role():
    # the herald credits the mayor's words to "the city's spokesman"
    pairs, overrides = run([
        st(1, "a1", "structural fatigue in two of the cables", MARSH, kind="partial"),
        st(2, "a2", LONG, None, resolution="role"),
    ])
    assert pairs[frozenset((1, 2))].relation == "containment"
    assert overrides == {f"stm_{2:016x}": MARSH}


def test_short_fragment_does_not_reattribute():
    _, overrides = run([st(1, "a1", "structural fatigue", MARSH, kind="partial"),
                        st(2, "a2", LONG, None, resolution="role")])
    assert not overrides


def test_conflicting_named_speakers_on_a_fragment_are_not_linked():
    pairs, _ = run([st(1, "a1", LONG, MARSH),
                    st(2, "a2", "structural fatigue", OKAFOR, kind="partial")])
    assert not pairs


def test_headline_copy_of_body_quote_is_not_linked_twice():
    pairs, _ = run([st(1, "a1", "Bridge Will Reopen On Monday", None, kind="partial", section="title"),
                    st(2, "a1", "The bridge will reopen on Monday morning.", MARSH),
                    st(3, "a2", "The bridge will reopen on Monday morning.", MARSH)])
    assert set(pairs) == {frozenset((2, 3))}


def test_same_source_is_never_linked():
    pairs, _ = run([st(1, "a1", "The bridge will reopen on Monday morning.", MARSH),
                    st(2, "a1", "The bridge will reopen on Monday morning.", MARSH)])
    assert not pairs


def test_word_diff_is_compact_and_readable():
    d = align.word_diff("We didn't get there, but we have a very good chance of getting there.",
                        "We didn't get there, but we have a very good chance of reaching it.")
    assert d.startswith("We didn't") and "…" in d
    assert "[-getting there-] {+reaching it+}" in d
