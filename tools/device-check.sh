#!/usr/bin/env bash
# Prepares the GPU check (README "GPU check"): publishes `zimage` self-contained for linux-x64 into artifacts/device/zimage
# (the GPU machine has no .NET SDK), checks that the folder fits what the device tool carries, and prints the exact
# device call to run there: the full op self-test on CUDA as JSON, a one-step demo generation on the GPU, the op bench.
set -euo pipefail
cd "$(dirname "$0")/.."

out=artifacts/device/zimage
limit_mib=60
rm -rf "$out"
# Compression keeps the single file near 50 MiB (uncompressed it is about twice that); symbols and XML docs stay behind.
dotnet publish src/ZImageSharp.Cli -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true -o "$out" -nologo -clp:ErrorsOnly
rm -f "$out"/*.pdb "$out"/*.xml

size_kib=$(du -sk "$out" | cut -f1)
size_mib=$(( (size_kib + 1023) / 1024 ))
echo "artifacts/device/zimage: ${size_mib} MiB (limit ${limit_mib} MiB)"
if (( size_mib >= limit_mib )); then
  echo "device-check: the published folder is too large to carry (${size_mib} MiB >= ${limit_mib} MiB)" >&2
  exit 1
fi

# A smoke run here: the binary starts and the CPU path of the self-test passes.
"$out/zimage" selftest --device cpu --quick --filter softmax > /dev/null

cat <<'CALL'

Run this on the GPU machine (one call; each step's output lands in $OUT, the exit codes in $OUT/rc.txt):

run(
  carry=["artifacts/device/zimage"],
  timeout_s=480,
  command="set -u; z=artifacts/device/zimage/zimage; nvidia-smi > $OUT/nvidia-smi.txt 2>&1; $z selftest --device cuda --json > $OUT/selftest.json 2> $OUT/selftest.err; echo selftest=$? > $OUT/rc.txt; $z selftest --device cuda --quick > $OUT/selftest.txt 2>&1; $z generate --device cuda -p 'a red fox in snow' --seed 42 --steps 2 -q -o $OUT/fox.png > $OUT/generate.txt 2>&1; echo generate=$? >> $OUT/rc.txt; $z bench ops --device cuda --min-time 0.2 --json > $OUT/bench-ops.jsonl 2> $OUT/bench-ops.err; echo bench=$? >> $OUT/rc.txt; cat $OUT/rc.txt; tail -n 40 $OUT/selftest.txt"
)

selftest.json holds every case (op, case, dtype, nmse, max_abs, bounds, pass) and the probes (GEMM TFLOP/s, copy GB/s);
"failed": 0 is the pass mark. Run `zimage selftest --device cuda --quick` first when device time is short.
CALL
