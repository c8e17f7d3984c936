"""Wire copy: long runs of the same narrative, not shared quotations."""
from crosswire import wirecopy

WIRE = (
    "Engineers spent eleven weeks replacing two corroded suspension cables on the Kessel "
    "Harbour bridge, which carries about forty thousand vehicles a day.\n\n"
    "The crossing was closed in March after a routine inspection found rust beneath the "
    "protective sheathing near the northern tower.\n\n"
    "Traffic was diverted through the old tunnel, adding up to an hour to commutes and "
    "prompting complaints from hauliers and the regional chamber of commerce.\n\n"
    "The repair bill, shared between the city and the national roads agency, is expected to "
    "exceed the original estimate by a third."
)
QUOTE = '"We were not going to gamble with people\'s lives," Mayor Elena Marsh said.'


def art(aid, text):
    return {"article_id": aid, "source_id": aid, "title": "t", "text": text}


def test_republished_wire_story_is_detected():
    own = ("Local shop owners on Quay Street said the closure had cost them most of their "
           "spring trade, and several asked the council for rent relief.")
    arts = [art("art_a", WIRE + "\n\n" + QUOTE),
            art("art_b", own + "\n\n" + WIRE.replace("eleven weeks", "11 weeks")),
            art("art_c", "A different story about the harbour festival, with boats, music and "
                         "food stalls along the waterfront from Friday to Sunday night. "
                         "Organisers expect record crowds if the weather holds.\n\n" + QUOTE)]
    assert wirecopy.wire_pairs(arts, []) == {frozenset(("art_a", "art_b"))}


def test_shared_quotations_alone_are_not_wire_copy():
    speech = ('"' + " ".join(["The bridge is safe, the cables are new, the inspections were "
                              "thorough and every bolt has been checked twice over."] * 4) + '"')
    arts = [art("art_a", "The mayor spoke at noon. " + speech),
            art("art_b", "Speaking to reporters on the quay, she repeated it. " + speech)]
    assert wirecopy.wire_pairs(arts, []) == set()


def test_quotes_are_cut_by_statement_offsets():
    text = "Before. " + QUOTE + " After the quote the writer goes on."
    start = text.index("We were")
    st = {"article_id": "art_a", "section": "body", "char_start": start,
          "char_end": start + len("We were not going to gamble with people's lives,")}
    assert "gamble" not in wirecopy.narrative(art("art_a", text), [st])
