#!/usr/bin/env bash
# Load test of `zimage serve` on loopback (a benchmark, not a test: nothing here is timed against a threshold).
# Starts the server with the demo model and --max-queue 16, runs 50 concurrent OpenAI-style clients against it
# (bench/server_load.py: every request must end with its own image or a 429, none lost or duplicated, the server's
# counters must agree), prints p50/p99 latency and throughput, then stops the server with SIGTERM and checks that it
# shut down gracefully.
#   bench/server-load.sh
#   CLIENTS=20 REQUESTS=2 STEPS=2 bench/server-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS=${CLIENTS:-50}
REQUESTS=${REQUESTS:-4}
MAX_QUEUE=${MAX_QUEUE:-16}
MAX_BATCH=${MAX_BATCH:-4}
STEPS=${STEPS:-8}
SIZE=${SIZE:-256x256}
PYTHON=${PYTHON:-python3}
PORT=${PORT:-$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

# No build servers: a compiler lingering in the background would steal cores from the measurement.
dotnet build -c Release -v quiet -nologo --disable-build-servers src/ZImageSharp.Cli >&2
log=$(mktemp)
dotnet src/ZImageSharp.Cli/bin/Release/net10.0/zimage.dll serve --host 127.0.0.1 --port "$PORT" \
  --max-queue "$MAX_QUEUE" --max-batch "$MAX_BATCH" --warmup 1 >"$log" 2>&1 &
server=$!
cleanup() {
  kill -TERM "$server" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT

echo "zimage serve on 127.0.0.1:$PORT (demo model, --max-queue $MAX_QUEUE, --max-batch $MAX_BATCH); $(nproc) cores"
status=0
"$PYTHON" bench/server_load.py --url "http://127.0.0.1:$PORT" --clients "$CLIENTS" --requests "$REQUESTS" --size "$SIZE" --steps "$STEPS" || status=$?

kill -TERM "$server"
if wait "$server"; then
  echo "SIGTERM: the server shut down gracefully (exit 0)"
else
  code=$?
  echo "SIGTERM: the server exited with $code; its log:" >&2
  tail -n 40 "$log" >&2
  status=1
fi
if [ "$status" != 0 ]; then
  echo "server log (last 40 lines):" >&2
  tail -n 40 "$log" >&2
fi
exit "$status"
