"""Wall-clock timing shared by the benchmarks: each variant is one command with its stdin and
environment, run in turn with the others, so that a busy machine slows them all alike."""

from __future__ import annotations

import statistics
import subprocess
import time


def timed(args: list[str], data: bytes | None = None, env: dict | None = None) -> float:
    """Seconds one run of the command takes, its output discarded."""
    start = time.perf_counter()
    subprocess.run(args, input=data, capture_output=True, check=False, env=env)
    return time.perf_counter() - start


def interleaved(runs: int, variants: dict) -> dict:
    """Median wall time per call of each (args, stdin, env) variant, run in turn after three
    warm-up rounds (file cache, bytecode cache)."""
    times: dict = {name: [] for name in variants}
    for _ in range(3):
        for args, data, env in variants.values():
            timed(args, data, env)
    for _ in range(runs):
        for name, (args, data, env) in variants.items():
            times[name].append(timed(args, data, env))
    return {name: statistics.median(values) for name, values in times.items()}
