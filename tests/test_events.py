"""Events: sidecar keys win; otherwise content clustering, with and without dates."""
from datetime import datetime, timedelta, timezone

from crosswire import events

BRIDGE = [
    ("Kessel Harbour bridge reopens after cable repairs",
     "The Kessel Harbour bridge reopened on Monday after engineers replaced two corroded "
     "suspension cables. Mayor Elena Marsh said the crossing was safe. Engineer Tom Okafor "
     "said the cables were checked twice. Traffic through the harbour tunnel eased."),
    ("Harbour bridge back open, mayor says cables safe",
     "Mayor Elena Marsh reopened the Kessel Harbour bridge, closed since March over corroded "
     "suspension cables. Tom Okafor, the chief engineer, said every cable was inspected. "
     "Commuters welcomed the end of the tunnel diversion."),
]
FOOTBALL = [("Rovers win derby in stoppage time",
             "Kessel Rovers beat Dunmore City two-one with a header in stoppage time. Coach "
             "Ana Ruiz praised her defenders and the crowd at the Marsh Road stadium.")]


def art(aid, title, text, published=None, key=None):
    return {"article_id": aid, "source_id": aid[-1], "title": title, "standfirst": None,
            "text": text, "published": published, "event_key": key}


def corpus(**kw):
    arts = [art(f"art_{i}{i}", t, x, **kw) for i, (t, x) in enumerate(BRIDGE)]
    return arts + [art("art_99", *FOOTBALL[0])]


def test_content_clusters_without_dates():
    ev = events.group(corpus(), [])
    assert ev["art_00"] == ev["art_11"] != ev["art_99"]


def test_sidecar_key_wins_and_keys_never_merge():
    arts = corpus()
    arts[2]["event_key"] = "bridge-reopening"         # football article forced in
    arts[0]["event_key"] = "bridge-reopening"
    arts[1]["event_key"] = "bridge-closure"            # same content, different key
    ev = events.group(arts, [])
    assert ev["art_00"] == ev["art_99"] != ev["art_11"]
    assert ev["art_00"] == events._id("key", "bridge-reopening")


def test_time_window_separates_same_topic_far_apart():
    t = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    arts = corpus()
    arts[0]["published"], arts[1]["published"] = t, t + timedelta(days=40)
    ev = events.group(arts, [])
    assert ev["art_00"] != ev["art_11"]
    arts[1]["published"] = t + timedelta(hours=5)
    assert events.group(arts, [])["art_11"] == events.group(arts, [])["art_00"]


def test_event_id_stable_when_a_later_article_joins():
    t = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    arts = corpus(published=t)
    before = events.group(arts[:2], [])["art_00"]
    late = art("art_00aa", "Kessel Harbour bridge traffic back to normal after cable repairs",
               "A week after Mayor Elena Marsh reopened the Kessel Harbour bridge, traffic over "
               "the repaired suspension cables is back to normal, engineer Tom Okafor said.",
               published=t + timedelta(days=1))
    assert events.group(arts + [late], [])["art_00"] == before == events.group(arts + [late], [])["art_00aa"]


def test_event_rows_label_and_counts():
    t = datetime(2026, 3, 2, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    arts = corpus(published=t)
    ev = events.group(arts, [])
    stmts = [{"statement_id": "stm_1", "article_id": "art_00", "text": "safe",
              "speaker_name": "Elena Marsh"}]
    rows = events.event_rows(arts, stmts, ev)
    bridge = next(r for r in rows if r["event_id"] == ev["art_00"])
    assert bridge["article_count"] == 2 and bridge["source_count"] == 2
    assert bridge["date"].isoformat() == "2026-03-03"     # UTC date
    assert bridge["label"].startswith("Elena Marsh: ") and "2026-03-03" in bridge["label"]
    assert "bridge" in bridge["label"] or "harbour" in bridge["label"]


def test_an_event_keeps_its_id_when_an_earlier_dated_article_joins():
    first = events.group(corpus(), [])
    late = art("art_55", "Kessel Harbour bridge: cables replaced, mayor Elena Marsh says it is safe",
               "Engineers replaced corroded suspension cables on the Kessel Harbour bridge. Mayor "
               "Elena Marsh said it was safe and Tom Okafor said every cable was checked.",
               published=datetime(2025, 3, 1, tzinfo=timezone.utc))
    again = events.group(corpus() + [late], [])
    assert again["art_55"] == again["art_00"]
    assert again["art_00"] != first["art_00"]                # the dated article is the new anchor...
    kept = events.group(corpus() + [late], [], previous=first)
    assert kept["art_00"] == kept["art_55"] == first["art_00"]  # ...unless the last release's ids are given
    assert kept["art_99"] == first["art_99"]
