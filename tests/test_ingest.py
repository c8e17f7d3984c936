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
