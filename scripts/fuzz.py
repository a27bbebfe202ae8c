#!/usr/bin/env python3
"""Hostile deliveries (issue #13): mutate SampleData and check every run ends cleanly and loses no line.

Each seed copies SampleData, applies one to three mutations (a stray quote, CRLF or lone CR line ends,
a NUL byte, GB18030 re-encoding, truncation, a duplicated line or file, blank lines) to randomly chosen
files, runs `digitag run` on it and checks:

- the exit status is 0 (published), 3 (bad input) or 4 (a quality gate refused the run); never 1
  (internal error), never 128 or more (killed by a signal: a crash), and nothing on stderr says
  "internal error";
- after exit 0, for every input file of the manifest, rows_read = rows_accepted + rows_rejected, and
  rows_read is the file's physical lines that are not blank, minus the header (for sources whose fields
  may hold line breaks, `multiline: true`, at most that: a record may span lines).

Usage: scripts/fuzz.py --bin .build/debug/digitag [--seeds 40] [--time-limit 120] [--quick]
The last line printed is "N passed, N failed"; the exit status is 1 if any seed failed.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "SampleData")
# Sources whose quoted fields may hold line breaks (Pipelines/sources.yaml, `multiline: true`).
MULTILINE = ("market/enterprises",)


def csv_files(root):
    out = []
    for d in ("market", "tax", "credit"):
        for name in sorted(os.listdir(os.path.join(root, d))):
            if name.endswith(".csv"):
                out.append(os.path.join(d, name))
    return out


def lines_of(data):
    parts = data.split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()
    return parts


def set_lines(path, lines, trailing=True):
    with open(path, "wb") as f:
        f.write(b"\n".join(lines) + (b"\n" if trailing and lines else b""))


def mutate(rng, root, files):
    """Applies one mutation to a random file; returns its description."""
    kind = rng.choice(
        ["quote", "quote", "crlf", "lone_cr", "nul", "gb18030", "truncate", "truncate_zst", "dup_line", "dup_file", "blank"])
    rel = rng.choice(files)
    path = os.path.join(root, rel)
    data = open(path, "rb").read()
    lines = lines_of(data)
    if kind in ("quote", "lone_cr", "nul") and len(lines) > 1:
        i = rng.randrange(1, len(lines))
        fields = lines[i].split(b",")
        j = rng.randrange(len(fields))
        if kind == "quote":
            fields[j] = b'"' + fields[j]
        else:
            # Between two characters, not inside one (that would be an encoding error, tested by gb18030).
            text = fields[j].decode("utf-8", "replace")
            k = rng.randrange(len(text) + 1)
            fields[j] = (text[:k] + ("\r" if kind == "lone_cr" else "\0") + text[k:]).encode("utf-8")
        lines[i] = b",".join(fields)
        set_lines(path, lines)
        return f"{kind} {rel}:{i + 1}"
    if kind == "crlf":
        set_lines(path, [l if l.endswith(b"\r") else l + b"\r" for l in lines])
        return f"crlf {rel}"
    if kind == "gb18030":
        open(path, "wb").write(data.decode("utf-8", "replace").encode("gb18030"))
        return f"gb18030 {rel}"
    if kind == "truncate":
        cut = rng.randrange(len(data) + 1)
        open(path, "wb").write(data[:cut])
        return f"truncate {rel} at {cut}"
    if kind == "truncate_zst":
        zst = os.path.join(root, "tax/filings.csv.zst")
        z = open(zst, "rb").read()
        cut = rng.randrange(len(z))
        open(zst, "wb").write(z[:cut])
        return f"truncate tax/filings.csv.zst at {cut}"
    if kind == "dup_line" and len(lines) > 1:
        i = rng.randrange(1, len(lines))
        lines.insert(i, lines[i])
        set_lines(path, lines)
        return f"dup_line {rel}:{i + 1}"
    if kind == "dup_file":
        stem = rel[:-4]
        shutil.copyfile(path, os.path.join(root, stem + "-again.csv"))
        return f"dup_file {rel}"
    # blank lines
    i = rng.randrange(1, len(lines) + 1)
    lines.insert(i, b"")
    set_lines(path, lines)
    return f"blank {rel}:{i + 1}"


def check(binary, seed, workdir):
    rng = random.Random(seed)
    root = os.path.join(workdir, f"in-{seed}")
    out = os.path.join(workdir, f"out-{seed}")
    shutil.copytree(SAMPLE, root)
    files = csv_files(root)
    done = [mutate(rng, root, files) for _ in range(rng.randint(1, 3))]
    cmd = [binary, "run", "--input", root, "--as-of", "2024-12-31", "--out", out, "--log-level", "warning"]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, errors="replace")
    problems = []
    if r.returncode not in (0, 3, 4):
        problems.append(f"exit {r.returncode}")
    if "internal error" in r.stderr:
        problems.append("internal error on stderr")
    if r.returncode == 0:
        manifest = json.load(open(os.path.join(out, "2024-12-31", "manifest.json")))
        for source in manifest["sources"]:
            for f in source["files"]:
                read, acc, rej = f["rows_read"], f["rows_accepted"], f["rows_rejected"]
                if read != acc + rej:
                    problems.append(f"{f['path']}: read {read} != accepted {acc} + rejected {rej}")
                if f["path"].endswith(".zst"):
                    continue
                data = open(f["path"], "rb").read()
                expected = sum(1 for l in lines_of(data) if l not in (b"", b"\r")) - 1
                multiline = any(m in f["path"] for m in MULTILINE)
                if (read > expected) if multiline else (read != expected):
                    problems.append(f"{f['path']}: read {read}, physical lines (not blank, minus header) {expected}")
    shutil.rmtree(root, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    return done, r, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, ".build/debug/digitag"))
    ap.add_argument("--seeds", type=int, default=40)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=120, help="seconds; no new seed starts after it")
    ap.add_argument("--quick", action="store_true", help="3 fixed seeds, for make test")
    args = ap.parse_args()
    seeds = [2, 4, 7] if args.quick else range(args.first_seed, args.first_seed + args.seeds)
    binary = os.path.abspath(args.bin)
    passed = failed = 0
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="digitag-fuzz-") as workdir:
        for seed in seeds:
            if not args.quick and time.monotonic() - start > args.time_limit:
                print(f"time limit of {args.time_limit:.0f} s reached")
                break
            done, r, problems = check(binary, seed, workdir)
            line = f"seed {seed}: {'; '.join(done)} -> exit {r.returncode}"
            if problems:
                failed += 1
                print("FAIL " + line + "\n  " + "\n  ".join(problems) + "\n  stderr: " + r.stderr.strip()[-600:])
            else:
                passed += 1
                first = r.stderr.strip().splitlines()[:1]
                print("ok   " + line + (f"  ({first[0][:160]})" if r.returncode and first else ""))
            sys.stdout.flush()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
