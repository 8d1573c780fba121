#!/usr/bin/env python3
"""Save-to-PDF latency of `tryksag watch`: how long after a designer saves one card's text the
rewritten faces PDF is in place. Copies the project (decks, layouts, fonts, images) to a
temporary folder, starts `tryksag watch <deck>` there, edits one card's title N times (a plain
write of the deck file, as most editors save), and for each save measures the time until the
faces PDF is replaced (tryksag renames the finished file into place, so the file's inode
changes). Prints every figure, then best and median; at the end the watched output is compared
byte for byte with a full build of the same inputs.

Usage: benches/watch_latency.py [saves, default 20] [--bin target/release/tryksag]
       [--deck dialogkort] [--cards N: a generated deck of N cards instead (bench_project)]
"""
import argparse
import filecmp
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def wait_for(pred, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.0005)
    sys.exit(f"timed out waiting for {what}")


def inode(path):
    try:
        st = os.stat(path)
        return (st.st_ino, st.st_mtime_ns)
    except FileNotFoundError:
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("saves", nargs="?", type=int, default=20)
    ap.add_argument("--bin", default=os.path.join(REPO, "target/release/tryksag"))
    ap.add_argument("--deck", default="dialogkort")
    ap.add_argument("--cards", type=int, default=0)
    args = ap.parse_args()
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764633600")
    work = tempfile.mkdtemp(prefix="tryksag-watch-")
    try:
        root = os.path.join(work, "p")
        deck = args.deck
        if args.cards:
            gen = os.path.join(REPO, "target/release/examples/bench_project")
            subprocess.run([gen, root, str(args.cards), "1"], check=True)
            deck = "bench"
        else:
            os.mkdir(root)
            for d in ["decks", "layouts", "fonts", "images"]:
                if os.path.isdir(os.path.join(REPO, d)):
                    shutil.copytree(os.path.join(REPO, d), os.path.join(root, d), symlinks=True)
        deck_file = os.path.join(root, "decks", deck + ".json")
        out = os.path.join(work, "out")
        faces = os.path.join(out, deck + "-faces.pdf")
        text = open(deck_file, encoding="utf-8").read()
        data = json.loads(text)
        title = data["cards"][0]["fields"]["title"]
        assert text.count(json.dumps(title, ensure_ascii=False)) >= 1, "the first card's title is in the file"
        proc = subprocess.Popen(
            [args.bin, "watch", deck, "--root", root, "--out", out],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        try:
            wait_for(lambda: inode(faces) is not None, 120, "the first build")
            time.sleep(1.0)
            times = []
            for i in range(args.saves):
                before = inode(faces)
                new_title = f"{title} {i + 1}"
                edited = text.replace(json.dumps(title, ensure_ascii=False), json.dumps(new_title, ensure_ascii=False), 1)
                t0 = time.monotonic()
                with open(deck_file, "w", encoding="utf-8") as f:
                    f.write(edited)
                wait_for(lambda: inode(faces) != before, 30, f"save {i + 1} to rebuild")
                times.append((time.monotonic() - t0) * 1000)
                # Let the rest of the product's files land before the next save.
                time.sleep(0.4)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        print("save → faces PDF (ms):", " ".join(f"{t:.0f}" for t in times))
        print(f"best {min(times):.0f} ms, median {statistics.median(times):.0f} ms over {len(times)} saves")
        full = os.path.join(work, "full")
        subprocess.run([args.bin, "build", deck, "--root", root, "--out", full], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        same = filecmp.cmp(faces, os.path.join(full, deck + "-faces.pdf"), shallow=False)
        print("watched faces PDF identical to a full build:", "yes" if same else "NO")
        if not same:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
