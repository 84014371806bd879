// Row ops over the last dimension: one block per row (grid-stride over rows), f32 statistics reduced with warp
// shuffles; the per-row scalar (1/√(var + eps)) is formed in f64 like the CPU's. x, y (and scale, residual) are row
// descriptors: row r starts at element zi_offset(desc, r) and its elements are consecutive. Optional parameters are
// absent when their address is 0. Products the CPU rounds one by one use __fmul_rn/__fadd_rn (no FMA contraction).
#include "common.cuh"

#define ZI_SUM 0
#define ZI_MEAN 1
#define ZI_MAX 2
#define ZI_MIN 3
#define ZI_L2NORM 4

// Σ x² of a row, block-reduced.
__device__ __forceinline__ float zi_row_squares(const TensorDesc& x, i64 xo, int d, float* scratch)
{
    float s = 0.0f;
    for (int j = threadIdx.x; j < d; j += blockDim.x)
    {
        float v = zi_load(x.ptr, x.dtype, xo + j);
        s = fmaf(v, v, s);
    }

    return zi_block_sum(s, scratch);
}

__device__ __forceinline__ float zi_inverse_std(double variance, float eps)
{
    return (float)(1.0 / sqrt(variance + (double)eps));
}

extern "C" __global__ void zimage_rmsnorm(TensorDesc x, u64 weight, int weightDtype, TensorDesc y, i64 rows, int d, float eps)
{
    __shared__ float scratch[32];
    for (i64 r = blockIdx.x; r < rows; r += gridDim.x)
    {
        i64 xo = zi_offset(x, r);
        i64 yo = zi_offset(y, r);
        float inv = zi_inverse_std((double)zi_row_squares(x, xo, d, scratch) / d, eps);
        for (int j = threadIdx.x; j < d; j += blockDim.x)
        {
            float o = __fmul_rn(zi_load(x.ptr, x.dtype, xo + j), inv);
            if (weight != 0) o = __fmul_rn(o, zi_load(weight, weightDtype, j));
            zi_store(y.ptr, y.dtype, yo + j, o);
        }
    }
}

// residual + (x·inv·weight)·scale, each product and the sum rounded in that order (the composite's roundings). y may
// be the residual's memory with its layout: each element is read and then written by the same thread.
extern "C" __global__ void zimage_rmsnorm_scaled(TensorDesc x, u64 weight, int weightDtype, TensorDesc scale, TensorDesc residual,
                                                 TensorDesc y, i64 rows, int d, float eps)
{
    __shared__ float scratch[32];
    for (i64 r = blockIdx.x; r < rows; r += gridDim.x)
    {
        i64 xo = zi_offset(x, r);
        i64 yo = zi_offset(y, r);
        i64 so = scale.ptr != 0 ? zi_offset(scale, r) : 0;
        i64 ro = residual.ptr != 0 ? zi_offset(residual, r) : 0;
        float inv = zi_inverse_std((double)zi_row_squares(x, xo, d, scratch) / d, eps);
        for (int j = threadIdx.x; j < d; j += blockDim.x)
        {
            float o = __fmul_rn(zi_load(x.ptr, x.dtype, xo + j), inv);
            if (weight != 0) o = __fmul_rn(o, zi_load(weight, weightDtype, j));
            if (scale.ptr != 0) o = __fmul_rn(o, zi_load(scale.ptr, scale.dtype, so + j));
            if (residual.ptr != 0) o = __fadd_rn(zi_load(residual.ptr, residual.dtype, ro + j), o);
            zi_store(y.ptr, y.dtype, yo + j, o);
        }
    }
}

// Two passes (mean, then Σ (x − mean)²); the f64 mean is split into two f32 parts so x − mean keeps its accuracy
// however large the mean is (the CPU's NormalizeOperator).
extern "C" __global__ void zimage_layernorm(TensorDesc x, u64 weight, int weightDtype, u64 bias, int biasDtype, TensorDesc y,
                                            i64 rows, int d, float eps)
{
    __shared__ float scratch[32];
    for (i64 r = blockIdx.x; r < rows; r += gridDim.x)
    {
        i64 xo = zi_offset(x, r);
        i64 yo = zi_offset(y, r);
        float s = 0.0f;
        for (int j = threadIdx.x; j < d; j += blockDim.x) s += zi_load(x.ptr, x.dtype, xo + j);
        double mean = (double)zi_block_sum(s, scratch) / d;
        float hi = (float)mean;
        float lo = (float)(mean - (double)hi);
        float q = 0.0f;
        for (int j = threadIdx.x; j < d; j += blockDim.x)
        {
            float c = __fsub_rn(__fsub_rn(zi_load(x.ptr, x.dtype, xo + j), hi), lo);
            q = fmaf(c, c, q);
        }

        float inv = zi_inverse_std((double)zi_block_sum(q, scratch) / d, eps);
        for (int j = threadIdx.x; j < d; j += blockDim.x)
        {
            float c = __fsub_rn(__fsub_rn(zi_load(x.ptr, x.dtype, xo + j), hi), lo);
            float o;
            if (weight != 0 && bias != 0)
            {
                o = fmaf(__fmul_rn(c, inv), zi_load(weight, weightDtype, j), zi_load(bias, biasDtype, j));
            }
            else
            {
                o = __fmul_rn(c, inv);
                if (weight != 0) o = __fmul_rn(o, zi_load(weight, weightDtype, j));
                if (bias != 0) o = __fadd_rn(o, zi_load(bias, biasDtype, j));
            }

            zi_store(y.ptr, y.dtype, yo + j, o);
        }
    }
}

// Max-subtracted: every exponent is ≤ 0 and −∞ entries become 0; a NaN anywhere, or a row of only −∞, gives NaN.
extern "C" __global__ void zimage_softmax(TensorDesc x, TensorDesc y, i64 rows, int d)
{
    __shared__ float scratch[32];
    for (i64 r = blockIdx.x; r < rows; r += gridDim.x)
    {
        i64 xo = zi_offset(x, r);
        i64 yo = zi_offset(y, r);
        float m = -ZI_INF;
        for (int j = threadIdx.x; j < d; j += blockDim.x) m = zi_max(m, zi_load(x.ptr, x.dtype, xo + j));
        m = zi_block_reduce(m, ZI_REDUCE_MAX, scratch);
        float s = 0.0f;
        for (int j = threadIdx.x; j < d; j += blockDim.x) s += expf(__fsub_rn(zi_load(x.ptr, x.dtype, xo + j), m));
        s = zi_block_sum(s, scratch);
        for (int j = threadIdx.x; j < d; j += blockDim.x)
        {
            zi_store(y.ptr, y.dtype, yo + j, expf(__fsub_rn(zi_load(x.ptr, x.dtype, xo + j), m)) / s);
        }
    }
}

// One value per row into y (a row descriptor of the [..., 1] destination). Sum and L2Norm of an empty row are 0.
extern "C" __global__ void zimage_reduce(int op, TensorDesc x, TensorDesc y, i64 rows, int d)
{
    __shared__ float scratch[32];
    int kind = op == ZI_MAX ? ZI_REDUCE_MAX : op == ZI_MIN ? ZI_REDUCE_MIN : ZI_REDUCE_SUM;
    for (i64 r = blockIdx.x; r < rows; r += gridDim.x)
    {
        i64 xo = zi_offset(x, r);
        float a = kind == ZI_REDUCE_MAX ? -ZI_INF : kind == ZI_REDUCE_MIN ? ZI_INF : 0.0f;
        for (int j = threadIdx.x; j < d; j += blockDim.x)
        {
            float v = zi_load(x.ptr, x.dtype, xo + j);
            a = op == ZI_MAX ? zi_max(a, v) : op == ZI_MIN ? zi_min(a, v) : op == ZI_L2NORM ? fmaf(v, v, a) : a + v;
        }

        a = zi_block_reduce(a, kind, scratch);
        if (threadIdx.x == 0)
        {
            float o = op == ZI_MEAN ? (float)((double)a / d) : op == ZI_L2NORM ? sqrtf(a) : a;
            zi_store(y.ptr, y.dtype, zi_offset(y, r), o);
        }
    }
}
