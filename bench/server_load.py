"""Load test of a running `zimage serve` (bench/server-load.sh starts one): CLIENTS threads on loopback, each sending
REQUESTS OpenAI-style generations one after another, all starting at once. Every request must end with its own image
(200, a PNG whose parameters name its prompt and seed) or a 429 with Retry-After; nothing lost, mixed up or duplicated;
the server's counters must agree and it must still answer. Prints latency percentiles and throughput.
Standard library only."""

import argparse
import base64
import hashlib
import http.client
import json
import re
import struct
import sys
import threading
import time
import zlib
from urllib.parse import urlparse


def png_text(png: bytes) -> dict:
    """The tEXt/iTXt chunks of a PNG (enough to read the parameters the server wrote)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    out, pos = {}, 8
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + length]
        if kind == b"tEXt":
            key, _, value = data.partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = data.partition(b"\0")
            compressed, rest = rest[0], rest[2:]
            _, _, rest = rest.partition(b"\0")  # language tag
            _, _, text = rest.partition(b"\0")  # translated keyword
            out[key.decode("latin-1")] = (zlib.decompress(text) if compressed else text).decode("utf-8")
        pos += 12 + length
    return out


def request(url, method, path, body=None, timeout=900):
    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def metrics(url):
    status, _, body = request(url, "GET", "/metrics")
    assert status == 200, f"/metrics answered {status}"
    samples = {}
    for line in body.decode().splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.rpartition(" ")
            samples[key] = float(value)
    return samples


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=4, help="per client, one after another")
    parser.add_argument("--size", default="256x256")
    parser.add_argument("--steps", type=int, default=8)
    args = parser.parse_args()

    deadline = time.monotonic() + 300
    while True:
        try:
            if request(args.url, "GET", "/api/v1/health/ready", timeout=5)[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit("the server did not become ready within 300 s")
        time.sleep(0.5)

    before = metrics(args.url)
    results = []  # (client, index, status, seconds, retry_after, problem)
    lock = threading.Lock()
    start = threading.Barrier(args.clients)
    width, height = (int(x) for x in args.size.split("x"))

    def client(c):
        start.wait()
        for r in range(args.requests):
            seed = 1_000_000 + c * 1000 + r
            prompt = f"load test client {c} request {r}"
            body = {"prompt": prompt, "n": 1, "size": args.size, "steps": args.steps, "seed": seed, "response_format": "b64_json"}
            t0 = time.monotonic()
            problem = None
            try:
                status, headers, raw = request(args.url, "POST", "/v1/images/generations", body)
            except OSError as e:
                status, headers, raw, problem = -1, {}, b"", f"connection: {e}"
            seconds = time.monotonic() - t0
            digest = None
            if status == 200:
                try:
                    data = json.loads(raw)["data"]
                    assert len(data) == 1, f"{len(data)} images for n=1"
                    png = base64.b64decode(data[0]["b64_json"])
                    ihdr = struct.unpack(">II", png[16:24])
                    assert ihdr == (width, height), f"image is {ihdr}"
                    params = png_text(png)["parameters"]
                    assert params.startswith(prompt + "\n"), "the image's parameters name another prompt"
                    assert re.search(rf"\bSeed: {seed}\b", params), "the image's parameters name another seed"
                    digest = hashlib.sha256(png).hexdigest()
                except (AssertionError, KeyError, ValueError) as e:
                    problem = f"bad image: {e}"
            elif status == 429:
                if not headers.get("Retry-After", "").isdigit():
                    problem = "429 without Retry-After"
            elif status != -1:
                problem = f"HTTP {status}: {raw[:200]!r}"
            with lock:
                results.append((c, r, status, seconds, headers.get("Retry-After"), problem, digest))

    threads = [threading.Thread(target=client, args=(c,)) for c in range(args.clients)]
    wall = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - wall

    after = metrics(args.url)
    ok = [x for x in results if x[2] == 200 and x[5] is None]
    busy = [x for x in results if x[2] == 429 and x[5] is None]
    bad = [x for x in results if x[5] is not None]
    expected = args.clients * args.requests
    keys = {(x[0], x[1]) for x in results}
    digests = [x[6] for x in ok]
    live = request(args.url, "GET", "/api/v1/health/live")[0]

    def delta(name):
        return int(after.get(name, 0) - before.get(name, 0))

    batches = delta("zimage_batch_size_count")
    batched_jobs = after.get("zimage_batch_size_sum", 0) - before.get("zimage_batch_size_sum", 0)
    ok_latency = [x[3] for x in ok]
    busy_latency = [x[3] for x in busy]
    print(f"{args.clients} clients x {args.requests} requests = {expected} requests ({args.size}, {args.steps} steps, demo model) in {wall:.1f} s")
    print(f"  200 with the right image: {len(ok)}   429 with Retry-After: {len(busy)}   other: {len(bad)}   missing: {expected - len(keys)}")
    print(f"  latency of 200s: p50 {percentile(ok_latency, 50):.2f} s, p99 {percentile(ok_latency, 99):.2f} s, max {max(ok_latency, default=float('nan')):.2f} s")
    print(f"  latency of 429s: p50 {percentile(busy_latency, 50) * 1000:.1f} ms, p99 {percentile(busy_latency, 99) * 1000:.1f} ms; Retry-After {sorted({int(x[4]) for x in busy})} s")
    print(f"  throughput: {len(ok) / wall:.2f} images/s; {len(results) / wall:.1f} requests answered/s")
    print(f"  server counters: completed +{delta('zimage_jobs_completed_total')}, rejected +{delta('zimage_jobs_rejected_total')}, "
          f"failed +{delta('zimage_jobs_failed_total')}, cancelled +{delta('zimage_jobs_cancelled_total')}, "
          f"{batches} batches (mean {batched_jobs / batches if batches else float('nan'):.2f} jobs), queue depth now {int(after['zimage_queue_depth'])}")
    print(f"  /api/v1/health/live after the run: {live}")

    failures = []
    if len(results) != expected or len(keys) != expected:
        failures.append(f"{expected - len(keys)} requests lost or answered twice")
    if bad:
        failures.append(f"{len(bad)} requests ended otherwise, e.g. {bad[0]}")
    if len(set(digests)) != len(digests):
        failures.append("an image was returned twice")
    if delta("zimage_jobs_completed_total") != len(ok) or delta("zimage_jobs_rejected_total") != len(busy):
        failures.append("the server's counters disagree with what the clients saw")
    if delta("zimage_jobs_failed_total") or delta("zimage_jobs_cancelled_total") or after["zimage_queue_depth"] != 0:
        failures.append("jobs failed, were cancelled, or are still queued")
    if live != 200:
        failures.append(f"the server is not live after the run ({live})")
    if failures:
        sys.exit("FAILED: " + "; ".join(failures))
    print("OK: every request ended with its own image or a 429; none lost or duplicated; the server stayed up")


if __name__ == "__main__":
    main()
