#!/usr/bin/env python3
"""Benchmark two commits side by side and print the ratio of every figure, round by round.

Each commit is built once (release) from a private worktree into .bench/bin/<sha>/crossdock; later runs reuse the
binary. The same bench command then runs for both, interleaved (A B A B ...), so the two builds share whatever else
the machine is doing. Every figure the bench prints (orders/s, p50/p99, baseline commits/s, deliveries/s, the
ratio to the delivery ceiling, CPU per request) is read off its output; the table shows each round's ratio B/A and
their median. A ratio above 1 means B is faster for rates and slower for latencies (the 'better' column says which).

Usage:
  scripts/bench-compare.py OLD NEW                       # intake: --orders 5000 --concurrency 1,16,64 --baseline
  scripts/bench-compare.py --rounds 3 OLD NEW -- --deliveries --subscriptions 1,10
  scripts/bench-compare.py --build-only OLD NEW          # only build (or find) both binaries
  scripts/bench-compare.py --command 'scripts/bench-wrk.sh 64 15 {bin}' OLD NEW   # any command; {bin} is the binary

OLD and NEW are anything git rev-parse understands (a sha, a tag, HEAD~3). The working tree itself is never built:
commit what you want to compare.
"""

import argparse
import os
import resource
import re
import shlex
import statistics
import subprocess
import sys
import time

ROOT = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True).stdout.strip()
BENCH = os.path.join(ROOT, ".bench")
SOURCE = os.path.join(BENCH, "src")
SCRATCH = os.path.join(BENCH, "build")

# (pattern, [(group, figure name, higher is better)])
FIGURES = [
    (re.compile(r"baseline: .* = (\d+) commits/s"), [(1, "baseline commits/s", True)]),
    (
        re.compile(r"intake c=(\d+)\s+\d+ orders\s+(\d+) orders/s\s+p50\s+([\d.]+) ms\s+p90\s+([\d.]+) ms\s+p99\s+([\d.]+) ms"),
        [(2, "c={0} orders/s", True), (3, "c={0} p50 ms", False), (5, "c={0} p99 ms", False)],
    ),
    (
        re.compile(r"intake nodes=(\d+)\s+c=\d+\s+\d+ orders\s+(\d+) orders/s\s+p50\s+([\d.]+) ms\s+p99\s+([\d.]+) ms"),
        [(2, "nodes={0} orders/s", True), (3, "nodes={0} p50 ms", False), (4, "nodes={0} p99 ms", False)],
    ),
    (
        re.compile(r"per order: [\d.]+ WAL records, (\d+) WAL bytes, ([\d.]+) transactions"),
        [(1, "WAL bytes per order #{n}", False), (2, "transactions per order #{n}", False)],
    ),
    (re.compile(r"writer: \d+ transactions for \d+ writes \(([\d.]+) per fsync\)"), [(1, "writes per fsync #{n}", True)]),
    (
        re.compile(r"delivery s=(\d+)\s+\d+ deliveries\s+(\d+) deliveries/s\s+p50\s+([\d.]+) ms\s+p99\s+([\d.]+) ms"),
        [(2, "s={0} deliveries/s", True), (4, "s={0} backlog p99 ms", False)],
    ),
    (re.compile(r"ratio s=(\d+)\s+\d+ deliveries/s = ([\d.]+)× the ceiling"), [(2, "s={0} × ceiling", True)]),
    (
        re.compile(r"ratio delivery nodes=(\d+)\s+(\d+) deliveries/s = ([\d.]+)× the bare claim loop"),
        [(2, "nodes={0} deliveries/s", True), (3, "nodes={0} × claim loop", True)],
    ),
    (re.compile(r"ceiling: .*: +(\d+) requests/s +cpu (\d+) µs"), [(1, "ceiling requests/s #{n}", True)]),
    (re.compile(r"cpu (\d+) µs per (order|delivery)"), [(1, "cpu µs per {1} #{n}", False)]),
    (re.compile(r"^process cpu ([\d.]+) s", re.M), [(1, "process cpu s", False)]),
    (re.compile(r"Requests/sec:\s+([\d.]+)"), [(1, "wrk requests/s", True)]),
    (re.compile(r"^\s+99%\s+([\d.]+)(ms|s|us)", re.M), [(1, "wrk p99 {1}", False)]),
]


def git(*args, cwd=ROOT):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def build(rev):
    """The release binary of `rev`, built once into .bench/bin/<sha>."""
    sha = git("rev-parse", "--verify", rev + "^{commit}")
    binary = os.path.join(BENCH, "bin", sha[:12], "crossdock")
    if os.path.exists(binary):
        return sha, binary
    if not os.path.isdir(SOURCE):
        os.makedirs(BENCH, exist_ok=True)
        git("worktree", "add", "--detach", SOURCE, sha)
    else:
        git("checkout", "--quiet", "--detach", sha, cwd=SOURCE)
    print(f"building {sha[:12]} (release) in {SOURCE} ...", file=sys.stderr, flush=True)
    started = time.time()
    # One scratch folder for every commit: switching commits rebuilds only what changed.
    subprocess.run(
        ["swift", "build", "-c", "release", "--product", "crossdock", "--scratch-path", SCRATCH],
        cwd=SOURCE,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    os.makedirs(os.path.dirname(binary), exist_ok=True)
    subprocess.run(["cp", os.path.join(SCRATCH, "release", "crossdock"), binary], check=True)
    print(f"built {sha[:12]} in {time.time() - started:.0f} s", file=sys.stderr, flush=True)
    return sha, binary


def figures(output):
    found = {}
    counters = {}
    for pattern, fields in FIGURES:
        for match in pattern.finditer(output):
            for group, name, higher in fields:
                key = name.format(*match.groups(), n="")
                if "#" in key:
                    counters[key] = counters.get(key, 0) + 1
                    key = key.replace("#", str(counters[key]))
                found[key] = (float(match.group(group)), higher)
    return found


def run(command, binary):
    line = command.replace("{bin}", shlex.quote(binary))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(line, shell=True, cwd=ROOT, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-2000:] + result.stderr[-2000:])
        raise SystemExit(f"command failed ({result.returncode}): {line}")
    # The whole command's CPU (user + system): both builds do the same work, so its ratio is the CPU per order's.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result.stdout + result.stderr + f"\nprocess cpu {cpu:.2f} s\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="A/B pairs to run (default 3)")
    parser.add_argument("--command", help="a shell command with {bin} for the binary (default: {bin} bench ARGS)")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("bench", nargs=argparse.REMAINDER, help="-- then the bench arguments")
    options = parser.parse_args()
    bench = [a for a in options.bench if a != "--"] or ["--orders", "5000", "--concurrency", "1,16,64", "--baseline"]
    command = options.command or "{bin} bench " + " ".join(shlex.quote(a) for a in bench)

    old_sha, old_bin = build(options.old)
    new_sha, new_bin = build(options.new)
    if options.build_only:
        print(old_bin)
        print(new_bin)
        return
    print(f"A = {options.old} ({old_sha[:12]})  B = {options.new} ({new_sha[:12]})")
    print(f"command: {command}")
    rounds = []
    for index in range(options.rounds):
        pair = {}
        for label, binary in (("A", old_bin), ("B", new_bin)):
            output = run(command, binary)
            pair[label] = figures(output)
            print(f"  round {index + 1} {label}: " + ", ".join(f"{k} {v[0]:g}" for k, v in pair[label].items()), flush=True)
        rounds.append(pair)

    names = [k for k in rounds[0]["A"] if all(k in r["A"] and k in r["B"] for r in rounds)]
    print()
    print(f"{'figure':<28} {'A (median)':>12} {'B (median)':>12}   {'B/A per round':<30} {'median B/A':>10}  better")
    for name in names:
        higher = rounds[0]["A"][name][1]
        a = [r["A"][name][0] for r in rounds]
        b = [r["B"][name][0] for r in rounds]
        ratios = [y / x if x else float("nan") for x, y in zip(a, b)]
        median = statistics.median(ratios)
        better = "B" if (median > 1) == higher and abs(median - 1) > 0.02 else ("A" if abs(median - 1) > 0.02 else "=")
        per_round = " ".join(f"{r:.2f}" for r in ratios)
        print(f"{name:<28} {statistics.median(a):>12.1f} {statistics.median(b):>12.1f}   {per_round:<30} {median:>10.2f}  {better}")


if __name__ == "__main__":
    main()
