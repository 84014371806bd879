#!/usr/bin/env bash
# Side by side in one run: ZImageSharp's GEMM vs torch.matmul / F.linear on OpenBLAS (f32 sgemm), same shapes, same
# thread count, printed as ratios. Installs Debian's python3-torch and libopenblas0-pthread when they are missing
# (without OpenBLAS, Debian's torch falls back to a reference BLAS that is ~100x slower).
#   bench/compare-openblas.sh                 # every GEMM case of `zimage bench ops`
#   FILTER=4224 MIN_TIME=2 THREADS=2 bench/compare-openblas.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's packages install into the system interpreter, which a pyenv/venv python3 on PATH would hide.
PYTHON=${PYTHON:-/usr/bin/python3}
missing=()
"$PYTHON" -c "import torch" 2>/dev/null || missing+=(python3-torch)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || missing+=(libopenblas0-pthread)
if ((${#missing[@]})); then
  echo "installing ${missing[*]} ..." >&2
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}" >&2
fi

THREADS=${THREADS:-$(nproc)}
MIN_TIME=${MIN_TIME:-1}
FILTER=${FILTER:-}  # a text the M x K x N shape must contain (e.g. 4224)
# No build servers: a compiler lingering in the background would steal cores from the measurement.
dotnet build -c Release -v quiet -nologo --disable-build-servers src/ZImageSharp.Cli >&2
zimage=(dotnet src/ZImageSharp.Cli/bin/Release/net10.0/zimage.dll)

echo "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) logical cores; $THREADS threads"
"$PYTHON" bench/compare_openblas.py "$MIN_TIME" "$THREADS" "$FILTER" -- "${zimage[@]}"
