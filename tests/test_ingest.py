import codecs
import json

import pytest

from crosswire.ingest import Rejected, decode, ingest, read_sidecar
from crosswire.sources import Source

TEXT = "Мэр заявил, что мост откроют в мае. «Мы успеем», — сказал он журналистам.\n" * 3
LATIN = "Le maire a déclaré que le pont ouvrira en mai. « Nous serons prêts », a-t-il dit.\n" * 3


def test_utf8_and_boms_decode():
    assert decode("café “quoted”".encode()) == "café “quoted”"
    assert decode(codecs.BOM_UTF8 + "naïve".encode()) == "naïve"
    assert decode("It’s “fine”".encode("utf-16")) == "It’s “fine”"  # UTF-16 with BOM


def test_legacy_encodings_are_detected():
    assert decode(TEXT.encode("cp1251")) == TEXT
    assert decode(LATIN.encode("latin-1")) == LATIN


def test_a_declared_encoding_wins():
    assert decode("Zürich".encode("latin-1"), declared="latin-1") == "Zürich"
    with pytest.raises(Rejected, match="encoding"):
        decode(b"abc", declared="no-such-codec")


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG image"),
    (b"abc\x00def\x00" * 10, "NUL"),
])
def test_unusable_bytes_are_rejected_with_a_reason(data, reason):
    with pytest.raises(Rejected, match=reason):
        decode(data)


def test_sidecar_types_are_checked(tmp_path):
    side = tmp_path / "a.meta.json"
    side.write_text(json.dumps({"published": "2025-08-15T10:00:00-04:00", "authors": "One Writer", "extra": 1}))
    meta = read_sidecar(side)
    assert meta["published"].isoformat() == "2025-08-15T14:00:00+00:00"
    assert meta["authors"] == ["One Writer"] and "extra" not in meta
    side.write_text(json.dumps({"published": 20250815}))
    with pytest.raises(Rejected, match="'published'"):
        read_sidecar(side)
    side.write_text("{not json")
    with pytest.raises(Rejected, match="not valid JSON"):
        read_sidecar(side)


def _source(tmp_path, sid="herald"):
    (tmp_path / sid).mkdir(exist_ok=True)
    return Source(sid, "Herald", "https://h.example.org", "GB", "en")


def test_ingest_keeps_good_files_and_reports_the_rest(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not for publishing")
    tmp_path = tmp_path / "raw"
    tmp_path.mkdir()
    src = _source(tmp_path)
    body = "A council vote was delayed on Tuesday after traders protested outside the town hall.\n"
    (tmp_path / "herald" / "good.txt").write_text("Headline\n\n" + body, encoding="utf-8")
    (tmp_path / "herald" / "copy.txt").write_text("Headline\n\n" + body, encoding="utf-8")
    (tmp_path / "herald" / "photo.txt").write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    (tmp_path / "herald" / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "herald" / "big.txt").write_text("x" * 2000)
    (tmp_path / "herald" / "link.txt").symlink_to(outside)
    arts, rejected = ingest(tmp_path, [src], max_bytes=1000)
    assert [a.raw_path for a in arts] == ["herald/copy.txt"]
    reasons = {r["path"]: r["reason"] for r in rejected}
    assert reasons["herald/good.txt"] == "same content as herald/copy.txt"
    assert "JPEG" in reasons["herald/photo.txt"]
    assert "unsupported file type" in reasons["herald/notes.docx"]
    assert "over the 1,000-byte limit" in reasons["herald/big.txt"]
    assert "outside raw/" in reasons["herald/link.txt"]


# ---- files known from an earlier run (ingest's `known` and `record`) -----------------------

def _herald(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    src = _source(raw)
    for name, body in (("vote.txt", "Council vote delayed\n\nThe vote on the bypass was put off on Monday.\n"),
                       ("bridge.txt", "Bridge to reopen\n\nThe old river bridge will reopen in June, engineers said.\n")):
        (raw / "herald" / name).write_text(body, encoding="utf-8")
    (raw / "herald" / "vote.meta.json").write_text(json.dumps({"published": "2025-03-03T09:00:00Z",
                                                                 "authors": ["Ada Pell"]}))
    return raw, src


def _reads(monkeypatch):
    import crosswire.ingest as ing

    real, seen = ing.read_article, []

    def counting(raw_root, path, *a, **k):
        seen.append(path.name)
        return real(raw_root, path, *a, **k)
    monkeypatch.setattr(ing, "read_article", counting)
    return seen


def test_files_whose_stats_did_not_move_are_not_read_again(tmp_path, monkeypatch):
    import crosswire.unchanged as unchanged
    from crosswire.ingest import with_content

    monkeypatch.setattr(unchanged, "RACY_NS", 0)
    raw, src = _herald(tmp_path)
    record = {}
    first, _ = ingest(raw, [src], record=record)
    assert sorted(record) == ["herald/bridge.txt", "herald/vote.txt"]
    seen = _reads(monkeypatch)
    again, rejected = ingest(raw, [src], known=record, record=(second := {}))
    assert seen == [] and rejected == [] and second == record
    # the same articles, without their text; with_content reads it back
    assert [a.content for a in again] == [None, None]
    assert [with_content(raw, a) for a in again] == first

    # an edited file and a file whose sidecar changed are read again; the other is not
    (raw / "herald" / "bridge.txt").write_text("Bridge to reopen in July\n\nEngineers now say July.\n")
    (raw / "herald" / "vote.meta.json").write_text(json.dumps({"published": "2025-03-04T09:00:00Z"}))
    seen.clear()
    third, _ = ingest(raw, [src], known=record)
    assert sorted(seen) == ["bridge.txt", "vote.txt"]
    assert third == ingest(raw, [src])[0]
    # a sidecar removed is a change too
    (raw / "herald" / "vote.meta.json").unlink()
    seen.clear()
    ingest(raw, [src], known=record)
    assert "vote.txt" in seen


def test_a_file_changed_just_before_it_was_read_is_not_recorded(tmp_path):
    raw, src = _herald(tmp_path)  # written now: within RACY_NS of the ingest below
    record = {}
    ingest(raw, [src], record=record)
    assert record == {}


def test_duplicates_are_found_among_known_files_too(tmp_path, monkeypatch):
    import crosswire.unchanged as unchanged

    monkeypatch.setattr(unchanged, "RACY_NS", 0)
    raw, src = _herald(tmp_path)
    body = (raw / "herald" / "bridge.txt").read_text()
    (raw / "herald" / "bridge-copy.txt").write_text(body)
    (raw / "herald" / "bridge-latin.txt").write_bytes(("\ufeff" + body).encode("utf-8"))
    record = {}
    first = ingest(raw, [src], record=record)
    again = ingest(raw, [src], known=record)
    assert [r["reason"] for r in again[1]] == [r["reason"] for r in first[1]] and len(first[1]) == 2
    assert [a.raw_path for a in again[0]] == [a.raw_path for a in first[0]]


def test_the_control_character_count_is_unicode_s():
    import sys
    import unicodedata

    from crosswire.ingest import _control_ratio

    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    slow = sum(1 for ch in every if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    assert _control_ratio(every) == slow / len(every) and slow == 65 - 4


@pytest.mark.parametrize("name", ["a/b.txt", "a/b.c.html", "a/b", "a/b.", "a.b/c", "a.b/c.txt", "b.txt",
                                  "/r/out/2025-08-16-summit.html"])
def test_a_sidecar_file_is_named_as_path_names_it(name):
    from pathlib import Path

    from crosswire.ingest import sidecar_file, sidecar_path
    p = Path(name)
    assert sidecar_file(name) == str(p.with_name(p.name[: -len(p.suffix)] + ".meta.json" if p.suffix else ".meta.json"))
    assert sidecar_path(p) == Path(sidecar_file(name))
