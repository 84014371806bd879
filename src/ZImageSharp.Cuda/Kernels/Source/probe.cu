// A minimal module: the runtime's own smoke test (selftest launches it first, before any op kernel).
#include "common_probe.cuh"

extern "C" __global__ void zimage_probe_iota(float* out, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
    {
        out[i] = probe_value(i);
    }
}
