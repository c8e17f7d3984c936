"""add-source, add and fetch, against a real HTTP server on 127.0.0.1 (tests/ops_server.py)."""
import json
import socket
from pathlib import Path

import pytest

from crosswire import cli, fetch, scaffold, sources
from ops_server import STORIES, Server

HERE = Path(__file__).parent


@pytest.fixture
def server():
    with Server() as s:
        yield s


@pytest.fixture
def raw(tmp_path):
    root = tmp_path / "raw"
    root.mkdir()
    return root


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_source(raw, capsys, *feeds, sid="herald"):
    args = ["add-source", sid, "--name", "The Coastal Herald", "--homepage", "https://herald.example.org",
            "--country", "gb", "--language", "en-GB", "--kind", "regional", "--raw", str(raw)]
    for f in feeds:
        args += ["--feed", f]
    assert cli.main(args) == 0, capsys.readouterr().err
    capsys.readouterr()
    return raw / sid


# ---- add-source -------------------------------------------------------------------------

def test_add_source_writes_a_source_toml_the_pipeline_reads(raw, capsys):
    folder = make_source(raw, capsys, "https://herald.example.org/rss")
    src = sources.parse_source(folder / "source.toml", "herald")
    assert (src.name, src.country, src.language, src.kind) == ("The Coastal Herald", "GB", "en-GB", "regional")
    assert src.feeds == ("https://herald.example.org/rss",)
    assert cli.main(["add-source", "herald", "--name", "X", "--homepage", "https://x.org", "--country", "GB",
                     "--language", "en", "--raw", str(raw)]) == 1
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["Herald", "the herald", "../escape", "a/b", "-dash", "", "ü-news", "x" * 65, ".hidden"])
def test_add_source_refuses_ids_that_are_not_lowercase_slugs(raw, capsys, bad):
    code = cli.main(["add-source", "--name", "X", "--homepage", "https://x.org", "--country", "GB",
                     "--language", "en", "--raw", str(raw), "--", bad])
    err = capsys.readouterr().err
    assert code == 1 and "is not a lowercase slug" in err and len(err.strip().splitlines()) == 1
    assert list(raw.iterdir()) == []


def test_add_source_refuses_bad_fields_with_the_field_named(raw, capsys):
    code = cli.main(["add-source", "ok", "--name", "X", "--homepage", "ftp://x.org", "--country", "GB",
                     "--language", "en", "--raw", str(raw)])
    assert code == 1 and "--homepage" in capsys.readouterr().err
    code = cli.main(["add-source", "ok", "--name", "X", "--homepage", "https://x.org", "--country", "GBR",
                     "--language", "en", "--raw", str(raw)])
    assert code == 1 and "--country" in capsys.readouterr().err
    code = cli.main(["add-source", "ok", "--name", 'Quote " and \\ back', "--homepage", "https://x.org",
                     "--country", "GB", "--language", "en", "--raw", str(raw)])
    assert code == 0
    assert sources.parse_source(raw / "ok" / "source.toml", "ok").name == 'Quote " and \\ back'


# ---- add ----------------------------------------------------------------------------------

def test_add_copies_a_file_with_its_sidecar_and_never_twice(raw, tmp_path, capsys):
    make_source(raw, capsys)
    page = tmp_path / "Saved Page (1).txt"
    page.write_text("Harbour talks end\n\n" + "The talks ended without a deal. " * 20, encoding="utf-8")
    assert cli.main(["add", str(page), "--source", "herald", "--published", "2026-03-01T09:00:00Z",
                     "--url", "https://herald.example.org/harbour", "--author", "Ann Lee", "--raw", str(raw)]) == 0
    assert capsys.readouterr().out.strip() == "added: herald/saved-page-1.txt"
    meta = json.loads((raw / "herald" / "saved-page-1.meta.json").read_text())
    assert meta["url"] == "https://herald.example.org/harbour" and meta["authors"] == ["Ann Lee"]
    assert meta["published"] == "2026-03-01T09:00:00+00:00" and "retrieved_at" in meta
    assert (raw / "herald" / "saved-page-1.txt").read_bytes() == page.read_bytes()

    copy = tmp_path / "other-name.txt"
    copy.write_bytes(page.read_bytes())
    assert cli.main(["add", str(copy), "--source", "herald", "--raw", str(raw)]) == 0
    assert capsys.readouterr().out.strip() == "already stored: herald/saved-page-1.txt"
    assert sorted(p.name for p in (raw / "herald").iterdir()) == ["saved-page-1.meta.json", "saved-page-1.txt",
                                                                  "source.toml"]


def test_add_names_files_by_safe_slugs_that_cannot_leave_raw(raw, tmp_path, capsys):
    make_source(raw, capsys)
    page = tmp_path / "p.html"
    page.write_text('<html><head><link rel="canonical" href="https://herald.example.org/a/b"></head>'
                    "<body><p>" + "Words here. " * 50 + "</p></body></html>", encoding="utf-8")
    assert cli.main(["add", str(page), "--source", "herald", "--title", "../../../etc/passwd", "--raw", str(raw)]) == 0
    assert capsys.readouterr().out.strip() == "added: herald/etc-passwd.html"
    assert json.loads((raw / "herald" / "etc-passwd.meta.json").read_text())["url"] == "https://herald.example.org/a/b"
    assert scaffold.slug_from_url("https://x.org/2026/03/%2E%2E%2F%2E%2E%2Fsecret.html") == "secret"
    assert scaffold.slug_from_url("https://x.org/") == "x-org"
    assert scaffold.slugify("Ünïcode — Héadline!") == "unicode-headline"
    # same slug, other content: a suffix, never an overwrite
    page2 = tmp_path / "q.html"
    page2.write_text(page.read_text().replace("Words", "Other words"), encoding="utf-8")
    assert cli.main(["add", str(page2), "--source", "herald", "--title", "etc passwd", "--raw", str(raw)]) == 0
    assert capsys.readouterr().out.strip().startswith("added: herald/etc-passwd-")


def test_add_refuses_unknown_sources_bad_types_and_bad_schemes(raw, tmp_path, capsys):
    page = tmp_path / "p.txt"
    page.write_text("Some text " * 30)
    assert cli.main(["add", str(page), "--source", "nowhere", "--raw", str(raw)]) == 1
    assert "unknown source 'nowhere'" in capsys.readouterr().err
    make_source(raw, capsys)
    assert cli.main(["add", str(page), "--source", "../herald", "--raw", str(raw)]) == 1
    assert "not a lowercase slug" in capsys.readouterr().err
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert cli.main(["add", str(pdf), "--source", "herald", "--raw", str(raw)]) == 1
    assert "unsupported file type .pdf" in capsys.readouterr().err
    assert cli.main(["add", "ftp://herald.example.org/x", "--source", "herald", "--raw", str(raw)]) == 1
    assert "only http and https" in capsys.readouterr().err
    assert cli.main(["add", "file:///etc/passwd", "--source", "herald", "--raw", str(raw)]) == 1
    assert "only http and https" in capsys.readouterr().err
    assert cli.main(["add", str(page), "--source", "herald", "--published", "yesterday", "--raw", str(raw)]) == 1
    assert "not an ISO 8601" in capsys.readouterr().err


def test_add_downloads_a_url_once_with_url_and_retrieval_time(raw, server, capsys):
    make_source(raw, capsys)
    url = server.base + "/news/harbour-talks-end-without-deal.html"
    assert cli.main(["add", url, "--source", "herald", "--raw", str(raw), "--allow-private-network"]) == 0
    assert capsys.readouterr().out.strip() == "added: herald/harbour-talks-end-without-deal.html"
    meta = json.loads((raw / "herald" / "harbour-talks-end-without-deal.meta.json").read_text())
    assert meta["url"] == url and meta["retrieved_at"].endswith("+00:00")
    assert cli.main(["add", url, "--source", "herald", "--raw", str(raw), "--allow-private-network"]) == 0
    assert capsys.readouterr().out.startswith("already stored: herald/harbour-talks-end-without-deal.html")
    assert server.hits["/news/harbour-talks-end-without-deal.html"] == 1

    assert cli.main(["add", server.base + "/plain.txt", "--source", "herald", "--raw", str(raw),
                     "--allow-private-network"]) == 0
    assert capsys.readouterr().out.strip() == "added: herald/plain.txt"


def test_downloads_are_bounded_and_private_addresses_refused_by_default(raw, server, capsys):
    make_source(raw, capsys)
    # the network policy (crosswire.fetch): loopback refused unless asked for
    assert cli.main(["add", server.base + "/flaky", "--source", "herald", "--raw", str(raw), "--retries", "0"]) == 1
    assert "private or loopback" in capsys.readouterr().err
    opts = fetch.Options(allow_private=True, max_bytes=50_000, retries=0)
    with pytest.raises(fetch.FetchError):
        fetch.download(server.base + "/big.html", opts)
    assert cli.main(["add", server.base + "/image.png", "--source", "herald", "--raw", str(raw),
                     "--allow-private-network"]) == 1
    assert "not an HTML or text page (content type image/png)" in capsys.readouterr().err


def test_a_failing_download_is_retried_with_back_off(server):
    naps = []
    opts = fetch.Options(allow_private=True, retries=3, backoff=0.01, timeout=1)
    got = fetch.download(server.base + "/flaky", opts, sleep=naps.append)
    assert b"Flaky" in got.data and server.hits["/flaky"] == 3
    naps.clear()
    with pytest.raises(fetch.FetchError) as e:
        fetch.download(f"http://127.0.0.1:{closed_port()}/feed.xml", opts, sleep=naps.append)
    assert "after 4 attempts" in str(e.value) and naps == [0.01, 0.02, 0.04]
    with pytest.raises(fetch.FetchError, match="HTTP 404"):  # permanent: not retried
        fetch.download(server.base + "/missing", opts, sleep=naps.append)
    assert server.hits["/missing"] == 1


# ---- feeds and fetch ---------------------------------------------------------------------

def test_feed_links_from_rss_atom_sitemaps_and_an_advertising_page(server):
    opts = fetch.Options(allow_private=True, retries=0)
    b = server.base
    rss = fetch.feed_links(b + "/feed.xml", opts)
    assert rss == [b + p for p in list(STORIES)[:2]]  # the off-site link is dropped
    assert fetch.feed_links(b + "/atom.xml", opts) == [b + "/news/okafor-rejects-harbour-plan"]
    assert fetch.feed_links(b + "/sitemap.xml", opts) == [b + p for p in STORIES]
    assert fetch.feed_links(b + "/home", opts) == rss


def test_fetch_stores_new_articles_reports_failures_and_skips_what_it_has(raw, server, capsys, tmp_path):
    b = server.base
    make_source(raw, capsys, b + "/feed.xml", b + "/sitemap.xml", b + "/gone.xml",
                f"http://127.0.0.1:{closed_port()}/rss")
    args = ["fetch", "--raw", str(raw), "--allow-private-network", "--delay", "0", "--retries", "1", "--timeout", "2"]
    assert cli.main(args) == 0
    out = capsys.readouterr()
    added = sorted(out.out.split())
    assert added == sorted(["added:"] * 3 + ["herald/harbour-talks-end-without-deal.html",
                                            "herald/okafor-rejects-harbour-plan.html",
                                            "herald/lindqvist-promises-figures.html"])
    assert f"failed: herald: {b}/gone.xml: HTTP 404" in out.err
    assert "failed: herald: http://127.0.0.1:" in out.err and "after 2 attempts" in out.err
    assert "fetched 3 new article(s) from 4 feed(s) of 1 source(s)" in out.err
    meta = json.loads((raw / "herald" / "okafor-rejects-harbour-plan.meta.json").read_text())
    assert meta["url"] == b + "/news/okafor-rejects-harbour-plan" and meta["source_url"] == b + "/feed.xml"

    before = dict(server.hits)
    assert cli.main(args) == 0
    out = capsys.readouterr()
    assert out.out == "" and "fetched 0 new article(s)" in out.err and "3 already stored" in out.err
    assert all(server.hits[p] == before[p] for p in STORIES)  # articles not downloaded again

    assert cli.main(["fetch", "--raw", str(raw), "--source", "nosuch"]) == 1
    assert "unknown source(s): nosuch" in capsys.readouterr().err


def test_fetched_articles_make_a_release(prefect_harness, raw, server, capsys, tmp_path):
    make_source(raw, capsys, server.base + "/sitemap.xml")
    assert cli.main(["fetch", "--raw", str(raw), "--allow-private-network", "--delay", "0"]) == 0
    capsys.readouterr()
    assert cli.main(["run", "--raw", str(raw), "--datasets", str(tmp_path / "ds")]) == 0
    manifest = json.loads((tmp_path / "ds" / "v1.0.0" / "manifest.json").read_text())
    assert manifest["tables"]["articles"]["rows"] == 3 and manifest["rejected"] == []
    assert manifest["tables"]["statements"]["rows"] >= 3


# ---- issue 10: every redirect hop checked; no credentials stored -------------------------

@pytest.mark.parametrize("target", ["http://169.254.169.254/latest/meta-data/iam/", "http://[fd00:ec2::254]/",
                                    "http://metadata.google.internal/computeMetadata/v1/",
                                    "http://[::ffff:169.254.169.254]/"])
def test_a_redirect_to_a_metadata_address_is_never_followed(server, target):
    from urllib.parse import quote
    opts = fetch.Options(allow_private=True, retries=2, timeout=2)
    with pytest.raises(fetch.FetchError) as e:
        fetch.download(f"{server.base}/redirect?to={quote(target, safe='')}", opts, sleep=lambda s: None)
    assert "refused:" in str(e.value) and "metadata" in str(e.value) and "after" not in str(e.value)
    assert server.hits["/redirect"] == 1  # refused at once, not retried


def test_each_redirect_hop_is_checked_against_the_private_network_policy(server):
    from urllib.parse import quote
    # allowed: a hop to another loopback page
    opts = fetch.Options(allow_private=True, retries=0)
    got = fetch.download(f"{server.base}/redirect?to={quote(server.base + '/plain.txt', safe='')}", opts)
    assert got.final_url == server.base + "/plain.txt" and b"plain text story" in got.data
    # refused without --allow-private-network, for the first hop as for any other
    with pytest.raises(fetch.FetchError, match="private or loopback"):
        fetch.download(server.base + "/plain.txt", fetch.Options(retries=0))
    with pytest.raises(fetch.FetchError, match="private or loopback"):
        fetch.download("http://10.255.255.1/x", fetch.Options(retries=0, timeout=1))
    with pytest.raises(fetch.Refused, match="link-local"):
        fetch.vet_address("169.254.10.20", allow_private=True)
    fetch.vet_address("10.1.2.3", allow_private=True)
    fetch.vet_address("93.184.215.14", allow_private=False)


def test_a_redirect_loop_ends(server):
    from urllib.parse import quote
    url = server.base + "/redirect?to=" + quote(server.base + "/redirect?to=" + quote(server.base + "/redirect?to=x", safe=""), safe="")
    loop = f"{server.base}/redirect?to={quote(url, safe='')}"
    with pytest.raises(fetch.FetchError):
        fetch.download(loop, fetch.Options(allow_private=True, retries=0))


@pytest.mark.parametrize("url, stored", [
    ("https://ann:hunter2@news.example.org/a?id=7", "https://news.example.org/a?id=7"),
    ("https://news.example.org/a?id=7&token=abc&API-KEY=k&utm_source=x", "https://news.example.org/a?id=7&utm_source=x"),
    ("https://news.example.org/a?X-Amz-Signature=f00&X-Amz-Credential=c&page=2", "https://news.example.org/a?page=2"),
    ("https://news.example.org/a#access_token=abc&state=1", "https://news.example.org/a#state=1"),
    ("https://news.example.org/2026/harbour-fees#comments", "https://news.example.org/2026/harbour-fees#comments"),
])
def test_stored_urls_lose_credentials_and_secret_parameters(url, stored):
    from crosswire import urls
    assert urls.redact(url) == stored


def test_no_credential_reaches_a_sidecar_or_the_articles_table(raw, server, tmp_path, capsys):
    make_source(raw, capsys)
    page = tmp_path / "saved.txt"
    page.write_text("Harbour fees stand\n\n" + "The board kept the berth fees for another season. " * 10)
    assert cli.main(["add", str(page), "--source", "herald", "--raw", str(raw),
                     "--url", "https://ann:pw@herald.example.org/fees?session=s3cr3t&id=4"]) == 0
    meta = json.loads((raw / "herald" / "saved.meta.json").read_text())
    assert meta["url"] == "https://herald.example.org/fees?id=4"
    url = server.base + "/plain.txt?token=s3cr3t"
    assert cli.main(["add", url, "--source", "herald", "--raw", str(raw), "--allow-private-network"]) == 0
    capsys.readouterr()
    stored = [json.loads(p.read_text()) for p in (raw / "herald").glob("*.meta.json")]
    assert "s3cr3t" not in json.dumps(stored) and "pw@" not in json.dumps(stored)
    # a sidecar written by hand is cleaned as it is read
    side = raw / "herald" / "saved.meta.json"
    side.write_text(json.dumps({"url": "https://herald.example.org/fees?api_key=k1&id=4"}))
    from crosswire import ingest
    assert ingest.read_sidecar(side)["url"] == "https://herald.example.org/fees?id=4"
