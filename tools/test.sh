#!/usr/bin/env bash
# The project's test command (README "Run the tests"; CI runs exactly this through .ci/run).
# Builds everything with warnings as errors and runs every test project; then runs the suites that compute (kernels,
# models, pipelines, tokenizer, IO, CLI, the op self-test) again with AVX-512 and with AVX2 disabled, so the narrower SIMD paths and
# the portable fallbacks are tested on this machine too.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build ZImageSharp.slnx -c Release -nologo -clp:ErrorsOnly
dotnet test ZImageSharp.slnx -c Release --no-build -nologo

numeric=(Tensors Models Pipelines Tokenizers IO Cli Verification)
for isa in "DOTNET_EnableAVX512=0:AVX-512 disabled (AVX2 paths)" "DOTNET_EnableAVX2=0:AVX2 and AVX-512 disabled (Vector128 paths)"; do
  echo "== ${isa#*:} =="
  for project in "${numeric[@]}"; do
    env "${isa%%:*}" dotnet test "tests/ZImageSharp.$project.Tests" -c Release --no-build -nologo
  done
done
