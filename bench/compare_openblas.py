#!/usr/bin/env python3
"""Side by side, shape by shape: ZImageSharp's GEMM (`zimage bench ops --json --filter SHAPE`) and torch's (OpenBLAS
sgemm, f32) on the same shape and thread count, measured one right after the other so that a change in the machine's
load hits both; prints both rates and their ratio. Used by bench/compare-openblas.sh.

  compare_openblas.py MIN_TIME THREADS FILTER -- ZIMAGE_COMMAND...
"""
import json
import subprocess
import sys
import time

import torch


def seconds(fn, min_time):
    fn()
    times, start = [], time.perf_counter()
    while len(times) < 3 or time.perf_counter() - start < min_time:
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2]


def blas_library():
    """The BLAS shared object actually mapped into this process (Debian picks it through update-alternatives)."""
    with open("/proc/self/maps", encoding="utf-8") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line}
    return ", ".join(sorted(paths)) or "none found"


def zimage_lines(command, *args):
    out = subprocess.run([*command, "bench", "ops", "--json", *args], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def torch_gflops(op, m, k, n, min_time):
    a = torch.rand(m, k) * 2 - 1
    if op == "matmul":
        b = torch.rand(k, n) * 2 - 1
        theirs = seconds(lambda: torch.matmul(a, b), min_time)
    else:
        w = (torch.rand(n, k) * 2 - 1) * 0.02
        theirs = seconds(lambda: torch.nn.functional.linear(a, w), min_time)
    return 2.0 * m * k * n / theirs / 1e9


def main():
    split = sys.argv.index("--")
    min_time, threads, text_filter = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    command = sys.argv[split + 1:]
    torch.set_num_threads(threads)
    torch.matmul(torch.rand(64, 64), torch.rand(64, 64))  # loads the BLAS library
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; BLAS in use: {blas_library()}")
    cases = [c for c in zimage_lines(command, "--list") if c["op"] in ("matmul", "linear") and text_filter in c["shape"]]
    print(f"{'op':8} {'M x K x N':22} {'zimage':>16} {'torch f32':>16} {'ratio':>7}   zimage FMA peak")
    ratios = []
    for case in cases:
        ours = zimage_lines(command, "--filter", case["shape"], "--min-time", str(min_time), "--threads", str(threads))
        peak = next(r for r in ours if r["op"] == "fma_peak")["gflops"]
        r = next(r for r in ours if r["op"] == case["op"] and r["shape"] == case["shape"])
        m, k, n = (int(v) for v in case["shape"].split("x"))
        theirs = torch_gflops(case["op"], m, k, n, min_time)
        ratio = r["gflops"] / theirs
        ratios.append(ratio)
        print(f"{case['op']:8} {case['shape']:22} {r['gflops']:10.1f} GF/s {theirs:10.1f} GF/s {ratio:6.2f}x   {peak:.0f} GF/s  ({r['dtype']} vs f32)")
    if ratios:
        geo = 1.0
        for x in ratios:
            geo *= x
        print(f"geometric mean ratio: {geo ** (1 / len(ratios)):.2f}x over {len(ratios)} shapes; lowest {min(ratios):.2f}x")


if __name__ == "__main__":
    main()
