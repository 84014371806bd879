#!/usr/bin/env python3
"""Reads `zimage bench ops --json` lines on stdin, times torch (OpenBLAS sgemm, f32) on the same GEMM shapes with the
same thread count, and prints both rates and their ratio. Used by bench/compare-openblas.sh."""
import json
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


def main():
    min_time = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    ours = [json.loads(line) for line in sys.stdin if line.strip()]
    peak = next((r for r in ours if r["op"] == "fma_peak"), None)
    threads = peak["threads"] if peak else ours[0]["threads"]
    torch.set_num_threads(threads)
    torch.matmul(torch.rand(64, 64), torch.rand(64, 64))  # loads the BLAS library
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; BLAS in use: {blas_library()}")
    if peak:
        print(f"zimage FMA peak: {peak['gflops']:.1f} GFLOP/s ({peak['lanes']} f32 lanes)")
    print(f"{'op':8} {'M x K x N':22} {'zimage':>16} {'torch f32':>16} {'ratio':>7}")
    ratios = []
    for r in ours:
        if r["op"] not in ("matmul", "linear"):
            continue
        m, k, n = (int(v) for v in r["shape"].split("x"))
        a = torch.rand(m, k) * 2 - 1
        if r["op"] == "matmul":
            b = torch.rand(k, n) * 2 - 1
            theirs = seconds(lambda: torch.matmul(a, b), min_time)
        else:
            w = (torch.rand(n, k) * 2 - 1) * 0.02
            theirs = seconds(lambda: torch.nn.functional.linear(a, w), min_time)
        torch_gflops = 2.0 * m * k * n / theirs / 1e9
        ratio = r["gflops"] / torch_gflops
        ratios.append(ratio)
        print(f"{r['op']:8} {r['shape']:22} {r['gflops']:10.1f} GF/s {torch_gflops:10.1f} GF/s {ratio:6.2f}x  ({r['dtype']} vs f32)")
    if ratios:
        geo = 1.0
        for x in ratios:
            geo *= x
        print(f"geometric mean ratio: {geo ** (1 / len(ratios)):.2f}x over {len(ratios)} shapes")


if __name__ == "__main__":
    main()
