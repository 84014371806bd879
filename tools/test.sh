#!/usr/bin/env bash
# The project's test command (README "Run the tests"; CI runs exactly this through .ci/run).
# Builds everything with warnings as errors, runs every test project, then re-runs the kernel suite with AVX-512
# and with AVX2 disabled so the narrower SIMD paths and the portable fallbacks are tested on this machine too.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build ZImageSharp.slnx -c Release -nologo -clp:ErrorsOnly
dotnet test ZImageSharp.slnx -c Release --no-build -nologo

echo "== kernel suite with AVX-512 disabled (AVX2 paths) =="
DOTNET_EnableAVX512=0 dotnet test tests/ZImageSharp.Tensors.Tests -c Release --no-build -nologo
echo "== kernel suite with AVX2 (and AVX-512) disabled =="
DOTNET_EnableAVX2=0 dotnet test tests/ZImageSharp.Tensors.Tests -c Release --no-build -nologo
