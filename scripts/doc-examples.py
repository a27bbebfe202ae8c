#!/usr/bin/env python3
"""Runs every command example of the docs and compares its output with the documented one.

Usage:  scripts/doc-examples.py --bin .build/release/digitag [--jobs N] [--keep] [--verbose] [FILE.md ...]

Without FILE arguments it reads README.md and docs/*.md. Python 3 standard library only.

What is an example. A fenced block whose info string starts with `console`:

    ```console
    $ digitag sample verify samples/SD-2025-GEN-01
    identical
    ```

- A line starting with `$ ` is a command. Lines right after it that start with `> ` (or are just `>`)
  continue it, as bash's PS2 prompt shows them: a heredoc or a long pipeline.
- The lines after a command, up to the next `$ ` line or the end of the block, are its expected output:
  stdout and stderr together, as a terminal shows them. When the command exits with a code other than 0,
  its output ends with a line `[exit N]` (N as bash's `$?` says it: 128 + the signal for a killed process).
- Volatile output is elided: a line that is just `...` (or `…`) matches any number of lines, none
  included; `[…]` (or `[...]`) inside a line matches any text within that line.
- Lines are compared without trailing spaces, and trailing empty lines are ignored.

A fenced block with `file=PATH` in its info string (```` ```csv file=results.csv ````) is not run: its text
is written to PATH in the scratch folder before the next block, so a document can show a file and then use it.
Any other fenced block is left alone: use plain ``` for commands that cannot run in a test.

Where examples run. A scratch folder per document, under one temporary folder. Each starts as a copy of a
set-up folder holding copies of Pipelines/ and SampleData/ (so paths read as in the repository root, and no
example can change the repository's files) and what `make run` leaves there: its `$(BIN) ...` lines are
read from the Makefile's `run:` recipe and run once. Each `$` line runs with `bash -c` in the document's
scratch folder, `digitag` on PATH being the binary given with --bin; blocks run in document order, so a
later block sees the files an earlier one wrote. Documents share nothing, so --jobs of them run at once.

On a mismatch it prints the document's file:line, the command and a unified diff. The last line is always
`N passed, N failed` (one per command); the exit status is 0 only when nothing failed.
"""

import argparse
import concurrent.futures
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})(.*)$")
ELLIPSIS_LINES = ("...", "…")
INLINE_WILDCARD = re.compile(r"\[(?:…|\.\.\.)\]")
COMMAND_TIMEOUT = 300


class PageError(Exception):
    """A page that cannot be read as examples: an unclosed fence, a block that does not start with a command."""


class Block:
    def __init__(self, path, line, info, lines):
        self.path, self.line, self.info, self.lines = path, line, info, lines

    def file_target(self):
        for word in self.info.split():
            if word.startswith("file="):
                return word[len("file="):]
        return None

    def is_example(self):
        words = self.info.split()
        return bool(words) and words[0] == "console"


class Example:
    def __init__(self, block, line, command, expected):
        self.block, self.line, self.command, self.expected = block, line, command, expected


def read_blocks(path):
    """Every fenced block of a markdown file, with the line of its opening fence (1-based)."""
    blocks, lines = [], open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = len(m.group(1)), m.group(2), m.group(3).strip()
        start, body, i = i + 1, [], i + 1
        while i < len(lines):
            close = FENCE.match(lines[i])
            if close and close.group(2)[0] == fence[0] and len(close.group(2)) >= len(fence) \
                    and not close.group(3).strip():
                break
            line = lines[i]
            # Content of a fence inside a list item is indented like the fence.
            body.append(line[indent:] if line[:indent].strip() == "" else line)
            i += 1
        else:
            raise PageError(f"{path}:{start}: fenced block is never closed")
        blocks.append(Block(path, start, info, body))
        i += 1
    return blocks


def parse_examples(block):
    """The commands of a `console` block with their expected output."""
    examples, current, i = [], None, 0
    lines = block.lines
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            command, line_no = [line[2:]], block.line + 1 + i
            i += 1
            while i < len(lines) and (lines[i].startswith("> ") or lines[i] == ">"):
                command.append(lines[i][2:])
                i += 1
            current = Example(block, line_no, "\n".join(command), [])
            examples.append(current)
            continue
        if current is None:
            if line.strip():
                raise PageError(f"{block.path}:{block.line + 1 + i}: a console block must start with a '$ ' command")
        else:
            current.expected.append(line)
        i += 1
    return examples


def normalise(lines):
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def line_matches(pattern, actual):
    if not INLINE_WILDCARD.search(pattern):
        return pattern == actual
    parts = INLINE_WILDCARD.split(pattern)
    return re.fullmatch(".*".join(re.escape(p) for p in parts), actual) is not None


def matches(expected, actual):
    """Whether actual lines match expected lines, where a `...` line matches any run of lines."""
    memo = {}

    def match(i, j):
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(expected):
            result = j == len(actual)
        elif expected[i] in ELLIPSIS_LINES:
            result = any(match(i + 1, k) for k in range(j, len(actual) + 1))
        else:
            result = j < len(actual) and line_matches(expected[i], actual[j]) and match(i + 1, j + 1)
        memo[key] = result
        return result

    return match(0, 0)


def resolve(expected, actual):
    """The expected lines with each elision replaced by the actual lines it matched in the closest alignment,
    so that a diff against the actual output shows only the real differences."""
    n, m = len(expected), len(actual)
    inf = n + m + 1
    # cost[i][j]: fewest unmatched lines aligning expected[i:] with actual[j:].
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    cost[n][m] = 0
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if i == n and j == m:
                continue
            best = inf
            if i < n and expected[i] in ELLIPSIS_LINES:
                best = min(best, cost[i + 1][j])
                if j < m:
                    best = min(best, cost[i][j + 1])
            if i < n and j < m and expected[i] not in ELLIPSIS_LINES and line_matches(expected[i], actual[j]):
                best = min(best, cost[i + 1][j + 1])
            if i < n:
                best = min(best, cost[i + 1][j] + 1)
            if j < m:
                best = min(best, cost[i][j + 1] + 1)
            cost[i][j] = best
    resolved, i, j = [], 0, 0
    while i < n or j < m:
        if i < n and expected[i] in ELLIPSIS_LINES:
            # Leave the elision as soon as the rest aligns as well: it absorbs no line it does not need.
            if cost[i][j] == cost[i + 1][j]:
                i += 1
                continue
            if j < m and cost[i][j] == cost[i][j + 1]:
                resolved.append(actual[j])
                j += 1
                continue
        if i < n and j < m and expected[i] not in ELLIPSIS_LINES and line_matches(expected[i], actual[j]) \
                and cost[i][j] == cost[i + 1][j + 1]:
            resolved.append(actual[j])
            i, j = i + 1, j + 1
        elif i < n and cost[i][j] == cost[i + 1][j] + 1:
            resolved.append(expected[i])
            i += 1
        else:
            j += 1
    return resolved


def environment(bin_dir, scratch):
    env = dict(os.environ)
    for name in ("COLUMNS", "LINES", "CLICOLOR_FORCE", "FORCE_COLOR"):
        env.pop(name, None)
    env.update({
        "PATH": bin_dir + os.pathsep + env.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "TERM": "dumb",
        "NO_COLOR": "1",
        "TMPDIR": scratch,
    })
    return env


def run(command, cwd, env):
    """The command's stdout and stderr as one text, and `[exit N]` when it failed."""
    try:
        done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=COMMAND_TIMEOUT)
    except subprocess.TimeoutExpired:
        return [f"[timed out after {COMMAND_TIMEOUT} s]"]
    lines = done.stdout.decode("utf-8", errors="replace").split("\n")
    lines = normalise(lines)
    if done.returncode != 0:
        # Killed by a signal: report it as a shell's $? does (128 + signal number).
        code = done.returncode if done.returncode > 0 else 128 - done.returncode
        lines.append(f"[exit {code}]")
    return lines


def make_run_commands():
    """The `$(BIN) ...` lines of the Makefile's `run:` recipe, with its variables filled in."""
    text = open(os.path.join(REPO, "Makefile"), encoding="utf-8").read()
    variables = dict(re.findall(r"^([A-Z_]+)\s*[?:]?=\s*(.*?)\s*$", text, re.M))
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", text, re.M)
    if not recipe:
        raise PageError("Makefile: no 'run:' target to set up the scratch folder like 'make run'")
    commands = []
    for line in recipe.group(1).split("\n"):
        # A command may stand inside a shell condition (`if …; else $(BIN) sample …; fi`): take it from there.
        found = re.search(r"\$\(BIN\) ([^;]*)", line)
        if not found:
            continue
        line = "digitag " + found.group(1).strip()
        line = re.sub(r"\$\(([A-Z_]+)\)", lambda m: variables.get(m.group(1), m.group(0)), line)
        commands.append(line)
    if not commands:
        raise PageError("Makefile: the 'run:' recipe has no $(BIN) command")
    return commands


def set_up(folder, env):
    os.makedirs(folder)
    for name in ("Pipelines", "SampleData"):
        shutil.copytree(os.path.join(REPO, name), os.path.join(folder, name), symlinks=True)
    try:
        commands = make_run_commands()
    except (OSError, PageError) as error:
        print(f"FAIL set-up: {error}")
        return False
    for command in commands:
        done = subprocess.run(["bash", "-c", command], cwd=folder, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if done.returncode != 0:
            print(f"FAIL set-up, as make run does (exit {done.returncode})\n  $ {command}")
            for line in done.stdout.decode("utf-8", errors="replace").split("\n")[-30:]:
                print("  " + line)
            return False
    return True


def run_page(name, template, scratch, env, verbose):
    """Runs one page's examples in a copy of the set-up folder: (passed, failed, report text)."""
    path = name if os.path.isabs(name) else os.path.join(REPO, name)
    shown = os.path.relpath(path, REPO)
    folder = os.path.join(scratch, re.sub(r"[^A-Za-z0-9_.-]", "_", shown))
    passed, failed, report = 0, 0, []
    try:
        blocks = [b for b in read_blocks(path) if b.is_example() or b.file_target()]
        if blocks:
            shutil.copytree(template, folder, symlinks=True)
        for block in blocks:
            target = block.file_target()
            if target:
                if os.path.isabs(target) or ".." in target.split("/"):
                    raise PageError(f"{shown}:{block.line}: file={target} must be a path inside the scratch folder")
                destination = os.path.join(folder, target)
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                with open(destination, "w", encoding="utf-8") as f:
                    f.write("\n".join(normalise(block.lines)) + "\n")
                continue
            if not block.is_example():
                continue
            for example in parse_examples(block):
                if verbose:
                    print(f"{shown}:{example.line}: $ {example.command}", flush=True)
                actual = run(example.command, folder, env)
                expected = normalise(example.expected)
                if matches(expected, actual):
                    passed += 1
                    continue
                failed += 1
                report.append(f"FAIL {shown}:{example.line} (block at line {block.line})")
                report.append("  $ " + example.command.replace("\n", "\n  > "))
                for line in difflib.unified_diff(resolve(expected, actual), actual, "documented", "actual", lineterm=""):
                    report.append("  " + line)
                report.append("")
    except (OSError, PageError) as error:
        failed += 1
        report.append(f"FAIL {shown}: {error}")
    return passed, failed, "\n".join(report)


def page_size(name):
    try:
        return os.path.getsize(os.path.join(REPO, name))
    except OSError:
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", required=True, help="the digitag binary to run the examples with")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                        help="pages run at once, each in its own folder (default: the number of CPUs)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and print its path")
    parser.add_argument("--verbose", "-v", action="store_true", help="print every command as it runs")
    parser.add_argument("files", nargs="*", help="markdown files (default: README.md and docs/*.md)")
    args = parser.parse_args()

    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        raise SystemExit(f"--bin {args.bin}: not an executable file (build it with 'make build')")
    files = args.files or ["README.md"] + sorted(
        os.path.join("docs", name) for name in os.listdir(os.path.join(REPO, "docs")) if name.endswith(".md"))

    started = time.monotonic()
    scratch = tempfile.mkdtemp(prefix="doc-examples-")
    bin_dir = os.path.join(scratch, "bin")
    os.makedirs(bin_dir)
    os.symlink(binary, os.path.join(bin_dir, "digitag"))
    tmp = os.path.join(scratch, "tmp")
    os.makedirs(tmp)
    env = environment(bin_dir, tmp)
    passed = failed = 0
    try:
        template = os.path.join(scratch, "set-up")
        if not set_up(template, env):
            failed, files = 1, []
        # Pages share nothing, so they run side by side, the longest first so that none is left running
        # alone at the end; reports are printed in the pages' order.
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            started_first = sorted(files, key=lambda name: -page_size(name))
            submitted = {name: pool.submit(run_page, name, template, scratch, env, args.verbose) for name in started_first}
            for future in (submitted[name] for name in files):
                page_passed, page_failed, report = future.result()
                passed, failed = passed + page_passed, failed + page_failed
                if report:
                    print(report, flush=True)
    finally:
        if args.keep:
            print(f"scratch folder kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print(f"({len(files)} files, {time.monotonic() - started:.1f} s)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
