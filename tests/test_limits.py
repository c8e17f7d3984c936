"""Long texts parsed in pieces with offsets intact; a CPU-time budget that stops runaway work."""
import threading
import time

import pytest

from crosswire import budget, pieces, statements

PARAGRAPHS = [
    "The port authority said on Monday that the new berth fees would stand until the spring.",
    "\u201cWe cannot run a harbour on goodwill,\u201d said Ruth Okafor, who chairs the board.",
    "Skippers told the meeting that the fees would cost them a week of earnings each season.",
    "Okafor added that the board would publish its accounts in full by the end of the month.",
    "A spokesman for the fishermen\u2019s union said members would vote on a boycott next week.",
]


def long_text(n: int) -> str:
    return "\n\n".join(PARAGRAPHS[i % len(PARAGRAPHS)].replace("Monday", f"day {i}") for i in range(n))


def test_cut_points_prefer_paragraph_breaks_and_bound_every_piece():
    text = long_text(60)
    parts = pieces.split(text, 1000)
    assert "".join(parts) == text and all(len(p) <= 1000 for p in parts) and len(parts) > 5
    assert all(p.endswith("\n\n") for p in parts[:-1])  # each cut right after a blank line
    # no paragraph break: a sentence end, then a space, then a hard cut
    one = " ".join(PARAGRAPHS * 20)
    assert all(p.endswith(". ") or p.endswith("\u201d ") for p in pieces.split(one, 700)[:-1])
    assert pieces.split("x" * 2500, 1000) == ["x" * 1000, "x" * 1000, "x" * 500]


def test_a_text_parsed_in_pieces_gives_the_statements_of_one_parse(monkeypatch):
    article = {"article_id": "art_0000000000000001", "source_id": "herald", "title": "Harbour fees stand",
               "standfirst": None, "summary": None, "text": long_text(40), "published": None}
    whole = statements.extract_statements([article])
    monkeypatch.setattr(pieces, "MAX_CHARS", 1500)
    cut = statements.extract_statements([article])
    assert len(cut) >= 8 and cut == whole
    assert all(article["text"][s["char_start"]:s["char_end"]] == s["text"] for s in cut)


def test_a_text_over_spacys_max_length_is_parsed(monkeypatch):
    from crosswire.nlp import load
    nlp = load()
    text = long_text(30)
    whole = nlp(text)
    monkeypatch.setattr(nlp, "max_length", 1200)
    with pytest.raises(ValueError):
        nlp(text)
    [doc] = list(pieces.pipe(nlp, [text]))
    assert doc.text == text
    assert [(t.idx, t.text, t.dep_, t.head.i) for t in doc] == [(t.idx, t.text, t.dep_, t.head.i) for t in whole]
    assert [s.start for s in doc.sents] == [s.start for s in whole.sents]


def test_the_budget_stops_a_runaway_loop_and_leaves_fast_work_alone():
    with budget.limit(5):
        sum(range(10_000))
    t = time.perf_counter()
    with pytest.raises(budget.OverBudget):
        with budget.limit(0.2):
            while True:
                sum(range(1000))
    assert time.perf_counter() - t < 3


def test_the_budget_counts_the_threads_cpu_time_not_waiting():
    with budget.limit(0.2):
        time.sleep(0.6)  # waiting uses no CPU: a busy machine does not reject good articles
    done = []

    def worker():
        try:
            with budget.limit(0.2):
                while True:
                    sum(range(1000))
        except budget.OverBudget:
            done.append("stopped")
    th = threading.Thread(target=worker)
    th.start()
    th.join(10)
    assert done == ["stopped"]


def test_budget_scales_with_words_and_can_be_switched_off(monkeypatch):
    assert budget.seconds_for(20_000) > budget.seconds_for(1_000) > 0
    monkeypatch.setenv("CROSSWIRE_TIME_BUDGET_SCALE", "0")
    assert budget.seconds_for(20_000) is None


def test_extract_statements_rejects_a_failing_article_and_keeps_the_rest(monkeypatch):
    good = {"article_id": "art_0000000000000002", "source_id": "herald", "title": "Fees", "standfirst": None,
            "summary": None, "text": long_text(5), "published": None}
    bad = dict(good, article_id="art_0000000000000003")
    real = statements._article_statements

    def breaks(article, *a, **k):
        if article["article_id"] == bad["article_id"]:
            raise KeyError("speaker")
        return real(article, *a, **k)
    monkeypatch.setattr(statements, "_article_statements", breaks)
    failed = {}
    rows = statements.extract_statements([good, bad], rejected=failed)
    assert rows and {r["article_id"] for r in rows} == {good["article_id"]}
    assert failed == {bad["article_id"]: "statements could not be extracted (KeyError: 'speaker')"}


class _RecordingNlp:
    """Stands in for spaCy: records the batches it is given, returns the texts."""
    def __init__(self):
        self.batches = []

    def pipe(self, texts, batch_size):
        texts = list(texts)
        assert len(texts) <= batch_size
        self.batches.append(texts)
        yield from texts


def test_a_batch_for_spacy_holds_a_bounded_number_of_characters():
    nlp = _RecordingNlp()
    texts = ["a" * 60, "b" * 60, "c" * 30, "d" * 150, "e" * 10, "f" * 10, "g" * 10]
    out = list(pieces._batched_pipe(nlp, iter(texts), batch_size=2, batch_chars=100))
    assert out == texts                                   # every text, in order
    assert [len(b) for b in nlp.batches] == [1, 2, 1, 2, 1]
    # over the budget only a text alone, which no batching can cut
    assert all(sum(map(len, b)) <= 100 or len(b) == 1 for b in nlp.batches)
