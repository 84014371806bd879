// Scaled dot-product attention, a correct tiled kernel (the tensor-core flash kernel is separate work).
//
// One block of 4 warps per (batch, query head, block of blockQ queries). Keys and values stream through shared memory
// 32 at a time; each warp owns blockQ/4 query rows and keeps their online-softmax state (running max m, running sum
// l) in registers and their f32 output accumulators in shared memory. Lane j scores key j0 + j of the tile, so the
// row max and sum are warp reductions. GQA: query head h reads kv head h / (Hq/Hkv). A key is hidden by the U8 key
// mask (0), by causality (j > i, top-left aligned) or by lying past Sk; a query that sees no key writes zeros.
// q, k, v, o: rank-4 descriptors [B, H, S, D] with stride 1 in the last dimension (o may be a permuted view).
#include "common.cuh"

#define ZI_ATT_KEYS 32
#define ZI_ATT_WARPS 4
#define ZI_ATT_MAX_ROWS 8

extern "C" __global__ void __launch_bounds__(ZI_ATT_WARPS * 32) zimage_attention(
    TensorDesc q, TensorDesc k, TensorDesc v, u64 keyMask, TensorDesc o, int causal, float scale, int blockQ)
{
    extern __shared__ float smem[];
    const int hq = (int)q.sizes[1];
    const int sq = (int)q.sizes[2];
    const int d = (int)q.sizes[3];
    const int hkv = (int)k.sizes[1];
    const int sk = (int)k.sizes[2];
    const int dv = (int)v.sizes[3];
    const i64 queryBlocks = (sq + blockQ - 1) / blockQ;
    const int qb = (int)(blockIdx.x % queryBlocks);
    const i64 bh = blockIdx.x / queryBlocks;
    const int h = (int)(bh % hq);
    const i64 b = bh / hq;
    const int kvh = h / (hq / hkv);
    const int q0 = qb * blockQ;

    float* qs = smem;                                   // [blockQ][d]
    float* ks = qs + blockQ * d;                        // [32][d + 1] (padded: lanes read different keys)
    float* vs = ks + ZI_ATT_KEYS * (d + 1);             // [32][dv]
    float* ps = vs + ZI_ATT_KEYS * dv;                  // [blockQ][32] probabilities of the tile
    float* os = ps + blockQ * ZI_ATT_KEYS;              // [blockQ][dv] output accumulators

    const int tid = threadIdx.x;
    const int lane = tid & 31;
    const int warp = tid >> 5;
    const int rowsPerWarp = blockQ / ZI_ATT_WARPS;

    const i64 qBase = b * q.strides[0] + (i64)h * q.strides[1];
    for (int e = tid; e < blockQ * d; e += blockDim.x)
    {
        int i = e / d;
        int qi = q0 + i;
        qs[e] = qi < sq ? zi_load(q.ptr, q.dtype, qBase + (i64)qi * q.strides[2] + e % d) : 0.0f;
    }

    for (int e = tid; e < blockQ * dv; e += blockDim.x) os[e] = 0.0f;

    float m[ZI_ATT_MAX_ROWS];
    float l[ZI_ATT_MAX_ROWS];
#pragma unroll
    for (int r = 0; r < ZI_ATT_MAX_ROWS; r++)
    {
        m[r] = -ZI_INF;
        l[r] = 0.0f;
    }

    // Under the causal mask keys past this block's last query are hidden from all of its queries.
    const int keyEnd = causal && q0 + blockQ < sk ? q0 + blockQ : sk;
    const i64 kBase = b * k.strides[0] + (i64)kvh * k.strides[1];
    const i64 vBase = b * v.strides[0] + (i64)kvh * v.strides[1];
    __syncthreads();

    for (int j0 = 0; j0 < keyEnd; j0 += ZI_ATT_KEYS)
    {
        for (int e = tid; e < ZI_ATT_KEYS * d; e += blockDim.x)
        {
            int jj = e / d;
            int c = e % d;
            int j = j0 + jj;
            ks[jj * (d + 1) + c] = j < sk ? zi_load(k.ptr, k.dtype, kBase + (i64)j * k.strides[2] + c) : 0.0f;
        }

        for (int e = tid; e < ZI_ATT_KEYS * dv; e += blockDim.x)
        {
            int jj = e / dv;
            int j = j0 + jj;
            vs[e] = j < sk ? zi_load(v.ptr, v.dtype, vBase + (i64)j * v.strides[2] + e % dv) : 0.0f;
        }

        __syncthreads();
        const int j = j0 + lane;
        const bool keyVisible = j < sk && (keyMask == 0 || ((const unsigned char*)keyMask)[b * sk + j] != 0);
#pragma unroll
        for (int r = 0; r < ZI_ATT_MAX_ROWS; r++)
        {
            if (r >= rowsPerWarp) break;
            const int i = warp + ZI_ATT_WARPS * r;
            const int qi = q0 + i;
            float s = -ZI_INF;
            if (keyVisible && qi < sq && !(causal && j > qi))
            {
                float dot = 0.0f;
                for (int c = 0; c < d; c++) dot = fmaf(qs[i * d + c], ks[lane * (d + 1) + c], dot);
                s = dot * scale;
            }

            float tileMax = s;
            for (int off = 16; off > 0; off >>= 1) tileMax = fmaxf(tileMax, __shfl_xor_sync(0xFFFFFFFFu, tileMax, off));
            const float mNew = fmaxf(m[r], tileMax);
            float p = 0.0f;
            float alpha = 1.0f;
            if (mNew != -ZI_INF)
            {
                p = expf(s - mNew);
                alpha = expf(m[r] - mNew);
            }

            l[r] = l[r] * alpha + zi_warp_sum(p);
            m[r] = mNew;
            ps[i * ZI_ATT_KEYS + lane] = p;
            __syncwarp();
            for (int c = lane; c < dv; c += 32)
            {
                float acc = os[i * dv + c] * alpha;
#pragma unroll 8
                for (int jj = 0; jj < ZI_ATT_KEYS; jj++) acc = fmaf(ps[i * ZI_ATT_KEYS + jj], vs[jj * dv + c], acc);
                os[i * dv + c] = acc;
            }

            __syncwarp();
        }

        __syncthreads();
    }

#pragma unroll
    for (int r = 0; r < ZI_ATT_MAX_ROWS; r++)
    {
        if (r >= rowsPerWarp) break;
        const int i = warp + ZI_ATT_WARPS * r;
        const int qi = q0 + i;
        if (qi >= sq) continue;
        const i64 oBase = b * o.strides[0] + (i64)h * o.strides[1] + (i64)qi * o.strides[2];
        for (int c = lane; c < dv; c += 32)
        {
            zi_store(o.ptr, o.dtype, oBase + c, m[r] == -ZI_INF ? 0.0f : os[i * dv + c] / l[r]);
        }
    }
}
