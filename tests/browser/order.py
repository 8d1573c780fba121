#!/usr/bin/env python3
"""End to end in a real browser: a staff member orders a print run with `tryksag serve`.

Debian's Chromium, driven over WebDriver (Selenium with Debian's chromedriver; Selenium's own
driver download is never used), places an order on a copy of the project:

1. the start page, then "Ny trykordre";
2. the form: a region with sample contact data, all three products (cards, leaflet, workbook), print shop — the proof page shows
   the sample-data error and offers no approval;
3. the form again with "use sample data anyway": the proof images load (every one decoded by
   the browser), the guides switch works, the sample-data warning is shown;
4. approve; the order page; the zip is downloaded by the browser;
5. every file in the zip is checked against the SHA-256 in the job ticket (jobseddel.json), and
   against a command-line build of the same run (`tryksag build --run <name>`) into another
   folder: byte-identical.

A screenshot is taken at each step (into --shots, default target/browser-shots/), and every page
on the way (and the region pages and the designer's preview) is checked with axe-core, the
accessibility rules engine (from the PyPI package selenium-axe-python): any violation of serious
or critical impact fails the test.

Usage: tests/browser/order.py [--binary target/release/tryksag] [--shots DIR]
Needs: chromium, chromium-driver (Debian), `pip install selenium selenium-axe-python`.
"""

import argparse
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
REGION = "hovedstaden"
PRODUCTS = ["dialogkort", "jobcenter-folder", "personlig-historie"]


def fail(msg):
    print(f"FAIL browser order: {msg}")
    sys.exit(1)


def copy_project(dest):
    for sub in ["decks", "layouts", "fonts", "schemas"]:
        if (ROOT / sub).exists():
            shutil.copytree(ROOT / sub, dest / sub)
    (dest / "output").mkdir()


def start_server(binary, project):
    proc = subprocess.Popen(
        [str(binary), "serve", "--listen", "127.0.0.1:0", "--root", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.time() + 30
    while time.time() < deadline:
        line = proc.stdout.readline()
        m = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
        if m:
            return proc, m.group(1)
        if proc.poll() is not None:
            break
    proc.kill()
    fail("tryksag serve did not print its address")


def browser(downloads):
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    profile = tempfile.mkdtemp(prefix="tryksag-chromium-")
    for flag in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1600",
        f"--user-data-dir={profile}",
    ]:
        opts.add_argument(flag)
    opts.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(options=opts, service=service)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(120)
    return driver


def shot(driver, shots, name):
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(800, min(height, 6000)))
    driver.save_screenshot(str(shots / f"{name}.png"))


AXE = None
CHECKED = []


def accessible(driver, label):
    """Runs axe-core on the page in view; fails on serious or critical violations."""
    global AXE
    if AXE is None:
        import selenium_axe_python

        AXE = (Path(selenium_axe_python.__file__).parent / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    driver.execute_script(AXE)
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations));"
    )
    bad = [v for v in result if v.get("impact") in ("serious", "critical")]
    for v in result:
        nodes = "; ".join(n["html"][:120] for n in v["nodes"][:3])
        print(f"   axe {label}: {v['impact']} {v['id']}: {v['help']} [{nodes}]")
    if bad:
        fail(f"{label}: {len(bad)} serious accessibility violation(s) (axe-core)")
    CHECKED.append(label)


def fill_order(driver, base, allow_sample):
    driver.get(base + "/bestil")
    Select(driver.find_element(By.ID, "region")).select_by_value(REGION)
    for p in PRODUCTS:
        box = driver.find_element(By.ID, f"produkt-{p}")
        if not box.is_selected():
            box.click()
    driver.find_element(By.ID, "levering-trykkeri").click()
    sample = driver.find_element(By.ID, "eksempeldata")
    if sample.is_selected() != allow_sample:
        sample.click()
    driver.find_element(By.ID, "vis-korrektur").click()


def images_loaded(driver):
    return driver.execute_script(
        "const imgs = [...document.querySelectorAll('img.korrektur')];"
        "return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0);"
    )


def sha(data):
    return hashlib.sha256(data).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=str(ROOT / "target/release/tryksag"))
    ap.add_argument("--shots", default=str(ROOT / "target/browser-shots"))
    args = ap.parse_args()
    shots = Path(args.shots)
    shots.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="tryksag-browser-"))
    project, downloads = work / "project", work / "downloads"
    downloads.mkdir()
    copy_project(project)
    server, base = start_server(args.binary, project)
    driver = None
    try:
        driver = browser(downloads)
        wait = WebDriverWait(driver, 120)

        driver.get(base + "/")
        if "Tryksager" not in driver.title:
            fail(f"start page title is {driver.title!r}")
        shot(driver, shots, "1-start")
        accessible(driver, "start page")
        driver.find_element(By.LINK_TEXT, "Ny trykordre").click()
        wait.until(lambda d: d.find_elements(By.ID, "bestilling"))
        shot(driver, shots, "2-form")
        accessible(driver, "order form")

        # Sample contact data for a print shop: an error, and nothing to approve.
        fill_order(driver, base, allow_sample=False)
        wait.until(lambda d: d.find_elements(By.ID, "advarsler"))
        findings = driver.find_element(By.ID, "advarsler").text
        if not driver.find_elements(By.CSS_SELECTOR, "#advarsler li.fejl"):
            fail(f"no error for sample data in a print-shop order: {findings!r}")
        if driver.find_elements(By.ID, "godkend"):
            fail("an order with an error can be approved")
        wait.until(images_loaded)
        shot(driver, shots, "3-proof-blocked")
        accessible(driver, "blocked proof")

        # The same order, allowing sample data for a proof print: a warning, and the proof.
        fill_order(driver, base, allow_sample=True)
        wait.until(lambda d: d.find_elements(By.ID, "godkend"))
        wait.until(images_loaded)
        pages = len(driver.find_elements(By.CSS_SELECTOR, "img.korrektur"))
        warnings = driver.find_elements(By.CSS_SELECTOR, "#advarsler li.advarsel")
        if not any("eksempeldata" in w.text.lower() or "kontaktdata" in w.text.lower() for w in warnings):
            fail(f"no sample-data warning on the proof: {driver.find_element(By.ID, 'advarsler').text!r}")
        shot(driver, shots, "4-proof")
        accessible(driver, "proof")
        proof_url = driver.current_url
        driver.find_element(By.ID, "hjaelpelinjer").click()
        driver.find_element(By.ID, "hjaelpelinjer").submit()
        wait.until(lambda d: "hjaelpelinjer=1" in d.current_url)
        wait.until(images_loaded)
        srcs = [i.get_attribute("src") for i in driver.find_elements(By.CSS_SELECTOR, "img.korrektur")]
        if not all("hjaelpelinjer=1" in s for s in srcs):
            fail("the guides switch did not reach the proof images")
        shot(driver, shots, "5-proof-guides")
        print(f"-- proof: {pages} page image(s) loaded, with and without guides")

        driver.get(proof_url)
        driver.find_element(By.ID, "godkend").click()
        wait.until(lambda d: d.find_elements(By.ID, "zip"))
        name = driver.current_url.rstrip("/").rsplit("/", 1)[-1]
        shot(driver, shots, "6-order")
        accessible(driver, "order's files")
        driver.find_element(By.ID, "zip").click()
        deadline = time.time() + 60
        zips = []
        while time.time() < deadline:
            zips = [p for p in downloads.iterdir() if p.suffix == ".zip"]
            if zips and not any(p.suffix == ".crdownload" for p in downloads.iterdir()):
                break
            time.sleep(0.2)
        if not zips:
            fail("the browser did not download the zip")
        files = {}
        with zipfile.ZipFile(zips[0]) as z:
            for info in z.infolist():
                files[info.filename] = z.read(info)
        print(f"-- zip {zips[0].name}: {sorted(files)}")

        # The other pages staff and designers use.
        for path, label in [
            ("/regioner", "regions"),
            (f"/regioner/{REGION}", "region form"),
            ("/preview/dialogkort", "designer's preview"),
        ]:
            driver.get(base + path)
            if path.startswith("/preview"):
                wait.until(lambda d: d.execute_script(
                    "const i = document.querySelector('#korrektur img'); return i && i.complete && i.naturalWidth > 0;"))
            shot(driver, shots, "7-" + label.replace("'", "").replace(" ", "-"))
            accessible(driver, label)
        print(f"-- axe-core: no serious or critical violation on {len(CHECKED)} pages ({', '.join(CHECKED)})")
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)

    run_file = project / "layouts" / "runs" / f"{name}.json"
    if not run_file.is_file():
        fail(f"no run file {run_file}")
    ticket_name = next((f for f in files if f.endswith("jobseddel.json")), None)
    if ticket_name is None:
        fail("the zip has no jobseddel.json")
    ticket = json.loads(files[ticket_name])
    listed = {Path(i["file"]).name: i["sha256"] for i in ticket["items"]}
    listed.update({Path(d["file"]).name: d["sha256"] for d in ticket.get("downloads", []) if "sha256" in d})
    by_name = {Path(f).name: data for f, data in files.items()}
    for file, digest in listed.items():
        if file not in by_name:
            fail(f"the ticket lists {file}, the zip does not hold it")
        if sha(by_name[file]) != digest:
            fail(f"{file}: SHA-256 in the zip differs from the job ticket")
    print(f"-- job ticket: {len(listed)} file(s), every SHA-256 matches")

    # The command line builds the same run from the run file the browser saved.
    cli_out = work / "cli-output"
    subprocess.run(
        [args.binary, "build", "--root", str(project), "--out", str(cli_out), "--run", name],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    cli_files = {p.name: p.read_bytes() for p in (cli_out / ticket["run"]).iterdir() if p.is_file()} if (
        cli_out / ticket["run"]
    ).is_dir() else {}
    if not cli_files:
        cli_files = {p.name: p.read_bytes() for p in cli_out.rglob("*") if p.is_file()}
    for file, data in by_name.items():
        if file not in cli_files:
            fail(f"the CLI build of run {name} has no {file}")
        if sha(cli_files[file]) != sha(data):
            fail(f"{file}: the browser's file and the CLI build differ")
    print(f"-- CLI build of run {name}: {len(by_name)} file(s), byte-identical")
    print(f"ok browser order ({shots})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
