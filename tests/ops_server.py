"""A real HTTP server on 127.0.0.1 for the operations tests: feeds and article pages, no mocks."""
from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="{base}{path}">
<meta property="article:published_time" content="2026-03-0{day}T09:00:00+00:00">
</head><body><article><h1>{title}</h1>
<p>Leaders met in the capital on Tuesday for talks on the harbour project, which has divided the
coalition for months and drawn protests from fishing communities along the coast.</p>
<p>\u201cWe will not accept the harbour plan in its current form,\u201d Maria Okafor, the finance
minister, told reporters after the meeting. She said the costs had doubled since the spring.</p>
<p>Tomas Lindqvist, the prime minister, said the government would publish the full figures next
week. \u201cThere is still time to fix this before the winter,\u201d he added.</p>
<p>Analysts said the outcome would depend on how quickly the details could be agreed, and on
whether the opposition would back a revised plan when parliament returns in {what}.</p>
</article></body></html>
"""

STORIES = {
    "/news/harbour-talks-end-without-deal.html": ("Harbour talks end without a deal", 1, "April"),
    "/news/okafor-rejects-harbour-plan": ("Okafor rejects harbour plan", 2, "May"),
    "/stories/2026/03/lindqvist-promises-figures/": ("Lindqvist promises figures", 3, "June"),
}


def rss(base: str) -> str:
    items = "".join(f"<item><title>{t}</title><link>{base}{p}</link></item>"
                    for p, (t, _, _) in list(STORIES.items())[:2])
    items += "<item><title>Elsewhere</title><link>https://elsewhere.example.com/story</link></item>"
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Herald</title>{items}</channel></rss>'


def atom(base: str) -> str:
    p = "/news/okafor-rejects-harbour-plan"
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Herald</title>'
            f'<link rel="self" href="{base}/atom.xml"/><entry><title>Okafor</title><link href="{base}{p}"/></entry></feed>')


def sitemap_index(base: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/sitemap-news.xml</loc></sitemap></sitemapindex>")


def sitemap_news(base: str) -> str:
    locs = "".join(f"<url><loc>{base}{p}</loc></url>" for p in STORIES)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'


class Server:
    """`with Server() as s:` serves on s.base; s.hits counts requests per path."""

    def __init__(self):
        self.hits: Counter = Counter()
        self.flaky_left = 2
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # keep the test output clean
                pass

            def do_GET(self):
                path = self.path.split("?")[0]
                outer.hits[path] += 1
                if path == "/redirect":  # /redirect?to=URL: a 302 to URL, for the network-policy tests
                    from urllib.parse import parse_qs, urlsplit
                    self.send_response(302)
                    self.send_header("Location", parse_qs(urlsplit(self.path).query)["to"][0])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status, ctype, body = outer.route(path)
                data = body.encode("utf-8") if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def route(self, path: str):
        base = self.base
        if path in STORIES:
            title, day, what = STORIES[path]
            return 200, "text/html; charset=utf-8", PAGE.format(title=title, base=base, path=path, day=day, what=what)
        if path == "/feed.xml":
            return 200, "application/rss+xml", rss(base)
        if path == "/atom.xml":
            return 200, "application/atom+xml", atom(base)
        if path == "/sitemap.xml":
            return 200, "application/xml", sitemap_index(base)
        if path == "/sitemap-news.xml":
            return 200, "application/xml", sitemap_news(base)
        if path == "/home":
            return 200, "text/html", (f'<html><head><link rel="alternate" type="application/rss+xml" '
                                      f'href="{base}/feed.xml"></head><body><p>Home</p></body></html>')
        if path == "/plain.txt":
            return 200, "text/plain; charset=utf-8", ("Harbour plan: a plain text story\n\n" + "Words of the story. " * 40)
        if path == "/flaky":
            if self.flaky_left > 0:
                self.flaky_left -= 1
                return 502, "text/plain", "try again"
            return 200, "text/html", PAGE.format(title="Flaky", base=base, path=path, day=4, what="July")
        if path == "/big.html":
            return 200, "text/html", "<html><body>" + "x" * 200_000 + "</body></html>"
        if path == "/image.png":
            return 200, "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100)
        return 404, "text/plain", "not found"

    def __enter__(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
