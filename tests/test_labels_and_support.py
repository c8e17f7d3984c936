"""Reported speech no listed cue reaches: a headline or paragraph label "Name: claim" (rule
label_claim) and support given as a noun with its supporters (rule support_of). Sentences
written for these tests; the rules' candidates are checked with the fitted filter off."""
import pytest

from crosswire.statements import extract_statements


@pytest.fixture(scope="module")
def nlp():
    from crosswire.nlp import load
    return load()


@pytest.fixture
def rules_only(monkeypatch):
    """The rules' candidates before the fitted filter judges them."""
    from crosswire import indirect_filter
    monkeypatch.setattr(indirect_filter, "keep", lambda feats, m=None: True)


def rows_of(nlp, text, title="Harbour talks"):
    art = {"article_id": "art_t", "source_id": "test", "title": title, "text": text}
    return [r for r in extract_statements([art], nlp=nlp) if r["kind"] == "indirect"]


def by_rule(nlp, rule, text, title="Harbour talks"):
    return [r for r in rows_of(nlp, text, title) if r["rule"] == rule]


@pytest.mark.parametrize("title, text, content, mention", [
    ("Vance: Tariffs Will Stay Until Spring", "Senator Ben Vance spoke in the harbour town.",
     "Tariffs Will Stay Until Spring", "Vance"),
    ("Poll: Ruiz Leads Lee By Ten Points", "The poll of 800 voters was taken in May.",
     "Ruiz Leads Lee By Ten Points", "Poll"),
    # session 29: US local TV headlines, a passive without "was" and unnamed officials
    ("Deputies: Man arrested after house fire in Millbrook", "The fire destroyed a house on Elm Street.",
     "Man arrested after house fire in Millbrook", "Deputies"),
    ("Officials: Bridge closed for repairs until May", "The harbour bridge carries ten thousand cars a day.",
     "Bridge closed for repairs until May", "Officials"),
])
def test_a_headline_label_credits_the_claim_after_it(nlp, rules_only, title, text, content, mention):
    rows = [r for r in by_rule(nlp, "label_claim", text, title) if r["section"] == "title"]
    assert [(r["text"], r["speaker_mention"], r["cue"]) for r in rows] == [(content, mention, ":")]


def test_a_paragraph_label_credits_the_claim_after_it(nlp, rules_only):
    rows = by_rule(nlp, "label_claim", "Ana Ruiz: the bridge will reopen in May and the tolls will fall.\n\n"
                                       "She spoke at noon.", title="Ruiz at the harbour")
    assert [(r["text"], r["speaker_name"]) for r in rows] == [
        ("the bridge will reopen in May and the tolls will fall", "Ana Ruiz")]


@pytest.mark.parametrize("title, text, content, mention", [
    # session 39: agency headlines credit the claim after a dash (Russian agencies' English)
    ("Port and unions agree to resume talks on Monday — Ministry of Transport",
     "The Ministry of Transport announced the talks in Lisbon.", "Port and unions agree to resume talks on Monday",
     "Ministry of Transport"),
    ("Talks with the dockers were constructive - Mayor Ruiz", "Mayor Ana Ruiz met the union on Friday.",
     "Talks with the dockers were constructive", "Mayor Ruiz"),
])
def test_a_headline_credit_after_a_dash_credits_the_claim_before_it(nlp, rules_only, title, text, content, mention):
    rows = [r for r in by_rule(nlp, "headline_credit", text, title) if r["section"] == "title"]
    assert [(r["text"], r["speaker_mention"]) for r in rows] == [(content, mention)]


@pytest.mark.parametrize("title", [
    "Harbour strike ends without a deal - live updates",   # furniture, no one named
    "Dockers return to work on Monday — reports",           # an unnamed credit: no one in particular
    "Ruiz and the dockers: a long week — in pictures",      # no claim
])
def test_what_is_no_headline_credit(nlp, rules_only, title):
    assert by_rule(nlp, "headline_credit", "Mayor Ana Ruiz met the union on Friday.", title) == []


@pytest.mark.parametrize("title", [
    "Of Ruiz: A Mayor Who Never Sleeps",       # a topic label
    "Update: The Bridge Is Closed Again",      # furniture, no speaker
    "Vance: \"Tariffs Will Stay\"",            # quoted: the quoted rules' headline_label
    "Why The Harbour Town Lost Its Ferry Line And Its Bridge: A Look Back",  # not a label
])
def test_what_is_no_label_claim(nlp, rules_only, title):
    assert by_rule(nlp, "label_claim", "Senator Ben Vance and Ana Ruiz spoke in the harbour town.", title) == []


@pytest.mark.parametrize("title", [
    "Analysis: At the harbour, the 'art of the deal' met the art of delay",
    "Explainer: What the 'harbour deal' means for ferry users",
    "WATCH: Ruiz opens the 'people's bridge' to traffic",
])
def test_a_furniture_label_names_no_speaker(nlp, title):
    """A section's kind or page furniture before a headline's colon is nobody's name: no
    statement is credited to it."""
    art = {"article_id": "art_t", "source_id": "test", "title": title, "text": "The bridge opened on Monday."}
    rows = extract_statements([art], nlp=nlp)
    assert [r["speaker_mention"] for r in rows if r["speaker_mention"]] == []


def test_a_live_blogs_time_stamps_are_no_speakers(nlp):
    # session 28: a markets blog's "08:12 BST:" credited its entries to "BST"
    text = ("08:05 BST: Good morning from the harbour desk.\n\n08:12 BST: Ferry shares fell. 'It is a sea of "
            "red,' one trader told us. 'Nobody wants ferries now.'\n\n10.42am: Oil rose sharply after the talks, traders said.")
    art = {"article_id": "art_t", "source_id": "test", "title": "Live: markets", "text": text}
    rows = extract_statements([art], nlp=nlp)
    assert sorted((r["text"], r["speaker_mention"]) for r in rows) == [
        ("It is a sea of red,", "one trader"), ("Nobody wants ferries now.", "one trader"), ("Oil rose sharply after the talks", "traders")]


@pytest.mark.parametrize("title", [
    "Vance: A Long Road Back To The Harbour",     # a caption, no claim
    "Poll: Ruiz And Lee In Dead Heat",            # no verb: a finding's caption, too unsure
])
def test_a_label_over_a_noun_phrase_gives_no_claim(nlp, rules_only, title):
    assert by_rule(nlp, "label_claim", "Senator Ben Vance and Ana Ruiz spoke in the harbour town.", title) == []


@pytest.mark.parametrize("title, content", [
    ("Vance: Rival's Toll Plan Threatens Harbour Jobs", "Rival's Toll Plan Threatens Harbour Jobs"),
    ("Vance: I'm Sure Voters Will Say No To The Tolls", "I'm Sure Voters Will Say No To The Tolls"),
])
def test_a_claim_with_a_speech_verb_inside_is_still_the_labels(nlp, rules_only, title, content):
    # a run-in label gives way only to a sentence with a reporting verb of its own heading it
    rows = [r for r in by_rule(nlp, "label_claim", "Senator Ben Vance spoke in the harbour town.", title)
            if r["section"] == "title"]
    assert [(r["text"], r["speaker_mention"]) for r in rows] == [(content, "Vance")]


def test_a_labelled_infinitive_is_a_claim(nlp, rules_only):
    rows = by_rule(nlp, "label_claim", "The mayor Ana Ruiz spoke at the port.", "Report: Ruiz To Run Again In May")
    assert [(r["text"], r["speaker_mention"]) for r in rows] == [("Ruiz To Run Again In May", "Report")]


@pytest.mark.parametrize("text, content, mention", [
    ("Ana Ruiz has the full support of the dockers' union.", "Ana Ruiz", "the dockers' union"),
    ("The mayor won the support of most shop owners.", "The mayor", "most shop owners"),
    ("Her broad support among harbour workers has held.", "Her", "harbour workers"),
    ("Lee's support from the unions is fading.", "Lee", "the unions"),
])
def test_support_with_its_supporters(nlp, rules_only, text, content, mention):
    rows = by_rule(nlp, "support_of", text)
    assert [(r["text"], r["speaker_mention"]) for r in rows] == [(content, mention)]


@pytest.mark.parametrize("text", [
    "Thousands marched in support of the strike.",          # a cause, not a supporter
    "The union's support for the toll surprised the mayor.",  # no supporters' phrase: noun_cue's
])
def test_what_is_no_support_of(nlp, rules_only, text):
    assert by_rule(nlp, "support_of", text) == []


def test_sought_is_a_plan(nlp, rules_only):
    rows = by_rule(nlp, "plan_to", "The union sought to block the night tolls.")
    assert [(r["text"], r["speaker_mention"]) for r in rows] == [("to block the night tolls", "The union")]
