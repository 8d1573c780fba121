#!/usr/bin/env python3
"""Latency of the designer's live preview in `tryksag serve` (a benchmark, not a test).

Starts the release binary on a temporary copy of the project (decks/, layouts/, fonts/), then:
the time of each shipped product's first preview (page and first image, cold cache); 20 saves of
one card's text in the deck file, each timed from the write to the server-sent event and to the
new first page PNG fetched; 20 concurrent page + image requests, counting errors (must be 0); and
a staff member's new order of the shipped products (both, print shop): from sending the form to
the proof page, and to every proof image fetched (5 orders).
Prints median and p90. Python 3, standard library only.
Usage: benches/serve_latency.py [saves, default 20]
"""

import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "tryksag")
DECK = "dialogkort"
PRODUCTS = ["dialogkort", "jobcenter-folder"]


def get(addr, path):
    """Status and body of one GET (a fresh connection, as a browser's parallel requests)."""
    host, port = addr.split(":")
    c = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def post(addr, path, form):
    """Status and `Location` of one form POST."""
    host, port = addr.split(":")
    c = http.client.HTTPConnection(host, int(port), timeout=120)
    try:
        c.request("POST", path, body=form.encode(), headers={"Content-Type": "application/x-www-form-urlencoded"})
        r = c.getresponse()
        r.read()
        return r.status, r.getheader("Location")
    finally:
        c.close()


def p90(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.9 * (len(xs) - 1))))]


def row(label, xs):
    ms = [x * 1000 for x in xs]
    print(f"{label:<44} {statistics.median(ms):9.0f} {p90(ms):9.0f} {min(ms):9.0f} {max(ms):9.0f}")


class Events:
    """Reads `/preview/<product>/events` on a thread; `wait(after)` gives the time of the first
    event whose version is above `after`, and that version."""

    def __init__(self, addr, product):
        host, port = addr.split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=120)
        self.conn.request("GET", f"/preview/{product}/events", headers={"Accept": "text/event-stream"})
        self.resp = self.conn.getresponse()
        assert self.resp.status == 200, self.resp.status
        self.cond = threading.Condition()
        self.seen = []  # (time, version)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        event = None
        for raw in self.resp:
            line = raw.decode("utf-8").rstrip("\r\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "korrektur":
                with self.cond:
                    self.seen.append((time.perf_counter(), int(line[6:]) if line[6:].isdigit() else 0))
                    self.cond.notify_all()
            elif not line:
                event = None

    def wait(self, after, timeout=30):
        with self.cond:
            ok = self.cond.wait_for(lambda: any(v > after for _, v in self.seen), timeout)
            if not ok:
                raise SystemExit(f"no event after version {after} within {timeout} s")
            return next((t, v) for t, v in self.seen if v > after)


def main():
    saves = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    if not os.access(BIN, os.X_OK):
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "tryksag"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp()
    proc = None
    try:
        for sub in ["decks", "layouts", "fonts"]:
            shutil.copytree(os.path.join(ROOT, sub), os.path.join(work, sub))
        proc = subprocess.Popen(
            [BIN, "serve", "--listen", "127.0.0.1:0", "--root", work], stdout=subprocess.PIPE, text=True
        )
        # "tryksag serve: open http://127.0.0.1:PORT/ (Ctrl-C stops)"
        line = proc.stdout.readline()
        addr = line.split("http://", 1)[1].split("/", 1)[0]

        print(f"{'':<44} {'median ms':>9} {'p90 ms':>9} {'min ms':>9} {'max ms':>9}")
        for product in PRODUCTS:
            t0 = time.perf_counter()
            status, _ = get(addr, f"/preview/{product}")
            t1 = time.perf_counter()
            status2, png = get(addr, f"/preview/{product}/side/1/1.png?v=1")
            t2 = time.perf_counter()
            assert status == 200 and status2 == 200 and png.startswith(b"\x89PNG"), (status, status2)
            print(f"first preview of {product}: page {1000 * (t1 - t0):.0f} ms, first image {1000 * (t2 - t1):.0f} ms")

        events = Events(addr, DECK)
        deck_file = os.path.join(work, "decks", f"{DECK}.json")
        with open(deck_file, encoding="utf-8") as f:
            deck = json.load(f)
        version = 1
        to_event, to_png = [], []
        for i in range(saves):
            deck["cards"][0]["fields"]["question"] = f"Hvordan går det i dag, gang {i + 1}?"
            text = json.dumps(deck, ensure_ascii=False, indent=2)
            written = time.perf_counter()
            with open(deck_file, "w", encoding="utf-8") as f:
                f.write(text)
            at, version = events.wait(version)
            status, png = get(addr, f"/preview/{DECK}/side/1/1.png?v={version}")
            done = time.perf_counter()
            assert status == 200 and png.startswith(b"\x89PNG"), status
            to_event.append(at - written)
            to_png.append(done - written)
        print()
        row(f"save → event ({saves} saves)", to_event)
        row(f"save → new first page PNG ({saves} saves)", to_png)

        def one(i):
            product = PRODUCTS[i % len(PRODUCTS)]
            t0 = time.perf_counter()
            s1, _ = get(addr, f"/preview/{product}")
            s2, png = get(addr, f"/preview/{product}/side/1/{1 + i % 2}.png")
            return time.perf_counter() - t0, s1 == 200 and s2 == 200 and png.startswith(b"\x89PNG")

        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(one, range(20)))
        errors = sum(1 for _, ok in results if not ok)
        row("20 concurrent page + image requests", [t for t, _ in results])
        print(f"errors in the concurrent requests: {errors}")
        if errors:
            sys.exit(1)

        to_page, to_images = [], []
        for i in range(5):
            form = "region=hovedstaden&levering=print-shop&eksempeldata=1&papir=&navn=maaling-" + str(i + 1)
            form += "".join(f"&produkt={p}&antal-{p}=100" for p in PRODUCTS)
            t0 = time.perf_counter()
            status, location = post(addr, "/bestil", form)
            assert status == 303, (status, location)
            status, page = get(addr, location)
            t1 = time.perf_counter()
            srcs = re.findall(r'class="korrektur" src="([^"]+)"', page.decode())
            with ThreadPoolExecutor(max_workers=6) as pool:
                pngs = list(pool.map(lambda src: get(addr, src.replace("&amp;", "&")), srcs))
            t2 = time.perf_counter()
            assert status == 200 and srcs and all(s == 200 and b.startswith(b"\x89PNG") for s, b in pngs)
            to_page.append(t1 - t0)
            to_images.append(t2 - t0)
        print()
        row("new order → proof page (5 orders)", to_page)
        row(f"new order → all {len(srcs)} proof images", to_images)
    finally:
        if proc is not None:
            proc.kill()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
