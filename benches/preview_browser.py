#!/usr/bin/env python3
"""Save → visible: the designer's live preview measured in a real browser (a benchmark, not a test).

Starts the release binary's `tryksag serve` on a temporary copy of the project, opens
`/preview/dialogkort` in headless Chromium (Debian's chromium + chromedriver, Selenium), then
N times changes the first card's question in `decks/dialogkort.json` and times from the write
until the page shows the new version's first page image, loaded and decoded by the browser.
Prints median and p90. The polling of the page costs a few milliseconds per look; the figures
include it.
Usage: benches/preview_browser.py [saves, default 20]
Needs: chromium, chromium-driver (Debian), `pip install selenium`.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "tryksag")
DECK = "dialogkort"

# The version of the first page image the page shows, once the browser has decoded it; else 0.
SHOWN = """
const img = document.querySelector('#korrektur img');
if (!img || !img.complete || img.naturalWidth === 0) return 0;
const m = /[?&]v=(\\d+)/.exec(img.getAttribute('src'));
return m ? Number(m[1]) : 0;
"""


def main():
    saves = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    if not os.access(BIN, os.X_OK):
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "tryksag"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp()
    proc = driver = None
    try:
        for sub in ["decks", "layouts", "fonts"]:
            shutil.copytree(os.path.join(ROOT, sub), os.path.join(work, sub))
        proc = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:0", "--root", work], stdout=subprocess.PIPE, text=True)
        addr = proc.stdout.readline().split("http://", 1)[1].split("/", 1)[0]
        opts = webdriver.ChromeOptions()
        opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     f"--user-data-dir={tempfile.mkdtemp(dir=work)}"]:
            opts.add_argument(flag)
        driver = webdriver.Chrome(options=opts, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
        driver.get(f"http://{addr}/preview/{DECK}")
        version = 0
        deadline = time.time() + 60
        while version == 0 and time.time() < deadline:
            version = driver.execute_script(SHOWN)
        assert version, "the preview never showed its first image"
        time.sleep(0.5)  # let the event stream settle in

        deck_file = os.path.join(work, "decks", f"{DECK}.json")
        with open(deck_file, encoding="utf-8") as f:
            deck = json.load(f)
        times = []
        for i in range(saves):
            deck["cards"][0]["fields"]["question"] = f"Hvordan går det i dag, gang {i + 1}?"
            text = json.dumps(deck, ensure_ascii=False, indent=2)
            written = time.perf_counter()
            with open(deck_file, "w", encoding="utf-8") as f:
                f.write(text)
            limit = written + 10
            while time.perf_counter() < limit:
                shown = driver.execute_script(SHOWN)
                if shown > version:
                    break
            else:
                sys.exit(f"save {i + 1}: the new proof did not show within 10 s")
            times.append(time.perf_counter() - written)
            version = shown
        ms = sorted(t * 1000 for t in times)
        p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
        print(f"save → new proof visible in Chromium ({saves} saves): median {statistics.median(ms):.0f} ms, "
              f"p90 {p90:.0f} ms, min {ms[0]:.0f} ms, max {ms[-1]:.0f} ms")
    finally:
        if driver is not None:
            driver.quit()
        if proc is not None:
            proc.kill()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
