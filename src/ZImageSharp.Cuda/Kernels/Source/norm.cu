// Group normalisation of contiguous [N, C, S]: each (sample, group) is one contiguous run of L = (C/G)·S elements.
// Groups can be huge (the VAE at 1024²: millions of elements, only N·G = 32 groups), so each run is split into
// `chunks` blocks: zimage_groupnorm_stats writes per-chunk partial sums, zimage_groupnorm_apply combines them (in f64)
// and normalises its chunk. Sums are shifted by k, the mean of the group's first ≤ 32 elements, so the one-pass
// variance E[(x−k)²] − (mean−k)² cancels little (the CPU shifts the same way). partials: f32 [N·G, chunks, 3] = (k, Σ(x−k), Σ(x−k)²).
#include "common.cuh"

__device__ __forceinline__ float zi_group_shift(u64 x, int xdt, i64 base, i64 length)
{
    int lane = threadIdx.x & 31;
    int count = length < 32 ? (int)length : 32;
    float v = lane < count ? zi_load(x, xdt, base + lane) : 0.0f;
    return zi_warp_sum(v) / (float)count;
}

__device__ __forceinline__ void zi_chunk_range(i64 length, int chunks, i64* start, i64* end)
{
    i64 per = (length + chunks - 1) / chunks;
    *start = (i64)blockIdx.y * per;
    *end = *start + per < length ? *start + per : length;
}

extern "C" __global__ void zimage_groupnorm_stats(u64 x, int xdt, u64 partials, i64 groupLength, int chunks)
{
    __shared__ float scratch[32];
    i64 base = (i64)blockIdx.x * groupLength;
    float k = zi_group_shift(x, xdt, base, groupLength);
    i64 start, end;
    zi_chunk_range(groupLength, chunks, &start, &end);
    float s1 = 0.0f;
    float s2 = 0.0f;
    for (i64 e = start + threadIdx.x; e < end; e += blockDim.x)
    {
        float c = __fsub_rn(zi_load(x, xdt, base + e), k);
        s1 += c;
        s2 = fmaf(c, c, s2);
    }

    s1 = zi_block_sum(s1, scratch);
    s2 = zi_block_sum(s2, scratch);
    if (threadIdx.x == 0)
    {
        float* p = (float*)partials + ((i64)blockIdx.x * chunks + blockIdx.y) * 3;
        p[0] = k;
        p[1] = s1;
        p[2] = s2;
    }
}

extern "C" __global__ void zimage_groupnorm_apply(u64 x, int xdt, u64 weight, int weightDtype, u64 bias, int biasDtype, u64 y, int ydt,
                                                  u64 partials, i64 groupLength, int chunks, int channelsPerGroup, i64 spatial,
                                                  int groups, float eps)
{
    __shared__ double stats[2];
    if (threadIdx.x == 0)
    {
        const float* p = (const float*)partials + (i64)blockIdx.x * chunks * 3;
        double s1 = 0.0;
        double s2 = 0.0;
        for (int c = 0; c < chunks; c++)
        {
            s1 += p[c * 3 + 1];
            s2 += p[c * 3 + 2];
        }

        double shifted = s1 / (double)groupLength;
        double variance = s2 / (double)groupLength - shifted * shifted;
        stats[0] = (double)p[0] + shifted;
        stats[1] = 1.0 / sqrt((variance > 0.0 ? variance : 0.0) + (double)eps);
    }

    __syncthreads();
    double mean = stats[0];
    double inv = stats[1];
    float hi = (float)mean;
    float lo = (float)(mean - (double)hi);
    i64 base = (i64)blockIdx.x * groupLength;
    int firstChannel = (int)(blockIdx.x % groups) * channelsPerGroup;
    i64 start, end;
    zi_chunk_range(groupLength, chunks, &start, &end);
    for (i64 e = start + threadIdx.x; e < end; e += blockDim.x)
    {
        int ch = firstChannel + (int)(e / spatial);
        // The channel's weight folds into the scale (rounded from f64 once) and its bias into the shift, as on the CPU.
        float scale = weight != 0 ? (float)(inv * (double)zi_load(weight, weightDtype, ch)) : (float)inv;
        float shift = bias != 0 ? zi_load(bias, biasDtype, ch) : 0.0f;
        float c = __fsub_rn(__fsub_rn(zi_load(x, xdt, base + e), hi), lo);
        zi_store(y, ydt, base + e, fmaf(c, scale, shift));
    }
}
