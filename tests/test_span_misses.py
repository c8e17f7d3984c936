"""bench/span_misses.py --sentences: which gold reported speech runs over more than one
sentence, and how the candidates fare on it (sentences of the project's own)."""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from span_misses import multi_sentence  # noqa: E402


class Article:
    """The two things multi_sentence reads of a scorer's article: its text and the word
    positions of a gold's fragments."""

    def __init__(self, text):
        self.text = text
        self.words = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]

    def word_ids(self, fragments):
        return [k for k, (s, e) in enumerate(self.words) if any(a <= s and e <= b for a, b in fragments)]


TEXT = ("Mayor Ann Voss said the ferry would run again by May. Repairs to the pier come first. "
        "Tom Reyes said the toll was too high.")


def _gold(text, content, gid):
    s = text.index(content)
    return dict(id=gid, quoted="indirect", content=content, content_start=s, content_end=s + len(content),
                fragments=[[s, s + len(content)]], source=None, cue="said")


def _setup():
    art = Article(TEXT)
    two = _gold(TEXT, "the ferry would run again by May. Repairs to the pier come first", "T1")
    one = _gold(TEXT, "the toll was too high", "T2")
    first = set(art.word_ids([[TEXT.index("the ferry"), TEXT.index(" by May")]]))
    cands = {"f.txt": [({"kind": "indirect"}, first), ({"kind": "indirect"}, set(art.word_ids(one["fragments"])))]}
    return {"f.txt": [two, one]}, {"f.txt": art}, cands


def test_a_content_over_two_sentences_that_a_candidate_covers_in_part_is_too_short():
    gold, texts, cands = _setup()
    multi, total = multi_sentence(gold, texts, cands, hit_all=set(), hit_kept={("f.txt", "T2")})
    assert total == 2
    assert {how: [r["id"] for _, r in rs] for how, rs in multi.items()} == {"too short (covers < half)": ["T1"]}


def test_matched_and_uncovered_contents_over_two_sentences():
    gold, texts, cands = _setup()
    multi, _ = multi_sentence(gold, texts, cands, hit_all={("f.txt", "T1")}, hit_kept=set())
    assert [r["id"] for _, r in multi["matched with the filter off only"]] == ["T1"]
    multi, _ = multi_sentence(gold, texts, {"f.txt": []}, hit_all=set(), hit_kept=set())
    assert [r["id"] for _, r in multi["no candidate"]] == ["T1"]
    multi, _ = multi_sentence(gold, texts, cands, hit_all={("f.txt", "T1")}, hit_kept={("f.txt", "T1")})
    assert list(multi) == ["matched"]
