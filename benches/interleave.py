#!/usr/bin/env python3
"""Runs commands in turn, round after round, and prints each one's median wall time and its
ratio to the first command's: on a shared, noisy machine, commands measured interleaved feel
the same load, so their ratios hold where their absolute times drift.

    benches/interleave.py [--rounds N] [--warmup N] [--prepare SHELL] NAME=COMMAND [...]

--prepare runs a shell command, untimed, before each timed one (as hyperfine's does): to
remove the outputs of the round before, whose deletion the file system would otherwise
charge to the command that overwrites them (half a second for a 783 MB table).
"""
import argparse
import shlex
import statistics
import subprocess
import sys
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--prepare", help="a shell command run, untimed, before each timed command")
    parser.add_argument("commands", nargs="+", metavar="NAME=COMMAND")
    args = parser.parse_args()
    named = [c.split("=", 1) for c in args.commands]
    if any(len(c) != 2 for c in named):
        sys.exit("each command is NAME=COMMAND")
    times = {name: [] for name, _ in named}
    for round_ in range(args.warmup + args.rounds):
        for name, command in named:
            if args.prepare:
                subprocess.run(args.prepare, shell=True, check=True)
            start = time.perf_counter()
            done = subprocess.run(shlex.split(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                sys.exit(f"{name} failed with exit status {done.returncode}: {command}")
            if round_ >= args.warmup:
                times[name].append(elapsed)
    first = statistics.median(times[named[0][0]])
    print(f"{'command':<28} {'median s':>9} {'min s':>8} {'max s':>8} {'ratio':>7}   ({args.rounds} rounds, interleaved)")
    for name, _ in named:
        t = times[name]
        median = statistics.median(t)
        print(f"{name:<28} {median:>9.3f} {min(t):>8.3f} {max(t):>8.3f} {median / first:>7.3f}")


if __name__ == "__main__":
    main()
