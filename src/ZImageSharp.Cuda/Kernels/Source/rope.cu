// Rotary embedding of x [B, S, H, D] (rows; other strides arbitrary) into a contiguous destination, one thread per
// rotated pair. cos, sin: contiguous f32 [Bt, S, D/2] with Bt = 1 (shared by the batch) or B. Each output is
// (x1·c) − (x2·s) or (x1·s) + (x2·c) with every product rounded (__fmul_rn), matching the CPU bit for bit.
#include "common.cuh"

extern "C" __global__ void zimage_rope(TensorDesc x, u64 cosTable, u64 sinTable, int perBatch, int interleaved, u64 y, int ydt)
{
    i64 heads = x.sizes[2];
    i64 seq = x.sizes[1];
    i64 d = x.sizes[3];
    i64 half = d / 2;
    i64 pairs = x.sizes[0] * seq * heads * half;
    ZI_GRID_STRIDE(p, pairs)
    {
        i64 i = p % half;
        i64 row = p / half;
        i64 h = row % heads;
        i64 position = row / heads;
        i64 s = position % seq;
        i64 b = position / seq;
        i64 table = ((perBatch ? b : 0) * seq + s) * half + i;
        float c = ((const float*)cosTable)[table];
        float sn = ((const float*)sinTable)[table];
        i64 i1 = interleaved ? 2 * i : i;
        i64 i2 = interleaved ? 2 * i + 1 : i + half;
        i64 xo = b * x.strides[0] + s * x.strides[1] + h * x.strides[2];
        float x1 = zi_load(x.ptr, x.dtype, xo + i1);
        float x2 = zi_load(x.ptr, x.dtype, xo + i2);
        i64 yo = row * d;
        zi_store(y, ydt, yo + i1, __fsub_rn(__fmul_rn(x1, c), __fmul_rn(x2, sn)));
        zi_store(y, ydt, yo + i2, __fadd_rn(__fmul_rn(x1, sn), __fmul_rn(x2, c)));
    }
}
