// Shared definitions of the op kernels: the tensor descriptor, dtype codes, element loads and stores, reductions.
// No toolkit header is included (NVRTC gets this file in memory); bf16 and f16 are raw 16-bit patterns.
#pragma once

typedef unsigned long long u64;
typedef long long i64;

// dtype codes: the values of ZImageSharp.Tensors.DType (a test checks they agree).
#define ZI_F32 0
#define ZI_F16 1
#define ZI_BF16 2
#define ZI_I32 3
#define ZI_I64 4
#define ZI_U8 5

#define ZI_MAX_RANK 8

// A strided view, mirrored field for field by Kernels/TensorDescriptor.cs (144 bytes, 8-byte aligned). ptr is the
// address of the first element; strides are in elements; the host collapses contiguous dimensions first, so rank
// is usually 1 or 2 and the index math below runs few iterations.
struct TensorDesc
{
    u64 ptr;
    int rank;
    int dtype;
    i64 sizes[ZI_MAX_RANK];
    i64 strides[ZI_MAX_RANK];
};

// The element offset of logical (row-major) element i of t.
__device__ __forceinline__ i64 zi_offset(const TensorDesc& t, i64 i)
{
    i64 offset = 0;
    for (int d = t.rank - 1; d > 0; d--)
    {
        i64 size = t.sizes[d];
        offset += (i % size) * t.strides[d];
        i /= size;
    }

    return t.rank > 0 ? offset + i * t.strides[0] : 0;
}

__device__ __forceinline__ int zi_element_size(int dtype)
{
    return dtype == ZI_F32 || dtype == ZI_I32 ? 4 : dtype == ZI_I64 ? 8 : dtype == ZI_U8 ? 1 : 2;
}

__device__ __forceinline__ float zi_bf16_to_f32(unsigned short h)
{
    return __uint_as_float(((unsigned int)h) << 16);
}

// Round to nearest even; a NaN keeps its sign and becomes quiet (as BFloat16.RoundToBits on the CPU).
__device__ __forceinline__ unsigned short zi_f32_to_bf16(float f)
{
    unsigned int u = __float_as_uint(f);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u)
    {
        return (unsigned short)((u >> 16) | 0x0040u);
    }

    return (unsigned short)((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

__device__ __forceinline__ float zi_f16_to_f32(unsigned short h)
{
    float f;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h));
    return f;
}

__device__ __forceinline__ unsigned short zi_f32_to_f16(float f)
{
    unsigned short h;
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f));
    return h;
}

// Element i (an element index, not bytes) of memory at base as f32.
__device__ __forceinline__ float zi_load(u64 base, int dtype, i64 i)
{
    switch (dtype)
    {
        case ZI_F32: return ((const float*)base)[i];
        case ZI_F16: return zi_f16_to_f32(((const unsigned short*)base)[i]);
        case ZI_BF16: return zi_bf16_to_f32(((const unsigned short*)base)[i]);
        case ZI_I32: return (float)((const int*)base)[i];
        case ZI_I64: return (float)((const i64*)base)[i];
        default: return (float)((const unsigned char*)base)[i];
    }
}

// f32 → integer: truncation toward zero, saturating at the type's range, NaN → 0 (PTX cvt.rzi semantics for I32
// and I64; U8 is clamped by hand because the narrow cvt is not saturating through a C cast).
__device__ __forceinline__ void zi_store(u64 base, int dtype, i64 i, float v)
{
    switch (dtype)
    {
        case ZI_F32: ((float*)base)[i] = v; break;
        case ZI_F16: ((unsigned short*)base)[i] = zi_f32_to_f16(v); break;
        case ZI_BF16: ((unsigned short*)base)[i] = zi_f32_to_bf16(v); break;
        case ZI_I32: ((int*)base)[i] = (int)v; break;
        case ZI_I64: ((i64*)base)[i] = (i64)v; break;
        default: ((unsigned char*)base)[i] = (unsigned char)(unsigned int)fminf(fmaxf(v, 0.0f), 255.0f); break;
    }
}

// Integers widen exactly through i64 (copies between integer types must not round through f32).
__device__ __forceinline__ i64 zi_load_integer(u64 base, int dtype, i64 i)
{
    switch (dtype)
    {
        case ZI_I32: return ((const int*)base)[i];
        case ZI_I64: return ((const i64*)base)[i];
        default: return ((const unsigned char*)base)[i];
    }
}

__device__ __forceinline__ void zi_store_integer(u64 base, int dtype, i64 i, i64 v)
{
    switch (dtype)
    {
        case ZI_I32: ((int*)base)[i] = (int)(v < -2147483648LL ? -2147483648LL : v > 2147483647LL ? 2147483647LL : v); break;
        case ZI_I64: ((i64*)base)[i] = v; break;
        default: ((unsigned char*)base)[i] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v); break;
    }
}

// Moves one element's bytes (exact for every dtype).
__device__ __forceinline__ void zi_move(u64 src, i64 si, u64 dst, i64 di, int size)
{
    switch (size)
    {
        case 1: ((unsigned char*)dst)[di] = ((const unsigned char*)src)[si]; break;
        case 2: ((unsigned short*)dst)[di] = ((const unsigned short*)src)[si]; break;
        case 4: ((unsigned int*)dst)[di] = ((const unsigned int*)src)[si]; break;
        default: ((u64*)dst)[di] = ((const u64*)src)[si]; break;
    }
}

__device__ __forceinline__ bool zi_isnan(float v)
{
    return v != v;
}

// max/min that return NaN when either operand is NaN (IEEE 754-2019 maximum/minimum, -0 < +0), as the CPU does;
// fmaxf/fminf would drop the NaN.
__device__ __forceinline__ float zi_max(float a, float b)
{
    if (zi_isnan(a)) return a;
    if (zi_isnan(b)) return b;
    if (a == b) return __float_as_uint(a) & 0x80000000u ? b : a;
    return a > b ? a : b;
}

__device__ __forceinline__ float zi_min(float a, float b)
{
    if (zi_isnan(a)) return a;
    if (zi_isnan(b)) return b;
    if (a == b) return __float_as_uint(a) & 0x80000000u ? a : b;
    return a < b ? a : b;
}

__device__ __forceinline__ float zi_warp_sum(float v)
{
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xFFFFFFFFu, v, o);
    return v;
}

__device__ __forceinline__ float zi_warp_max(float v)
{
    for (int o = 16; o > 0; o >>= 1) v = zi_max(v, __shfl_xor_sync(0xFFFFFFFFu, v, o));
    return v;
}

__device__ __forceinline__ float zi_warp_min(float v)
{
    for (int o = 16; o > 0; o >>= 1) v = zi_min(v, __shfl_xor_sync(0xFFFFFFFFu, v, o));
    return v;
}

// Block-wide reductions for blocks of a multiple of 32 threads (≤ 1024). Every thread gets the result. scratch is
// 32 floats of shared memory; the trailing barrier lets the caller reuse it at once.
#define ZI_REDUCE_SUM 0
#define ZI_REDUCE_MAX 1
#define ZI_REDUCE_MIN 2

__device__ __forceinline__ float zi_warp_reduce(float v, int kind)
{
    return kind == ZI_REDUCE_SUM ? zi_warp_sum(v) : kind == ZI_REDUCE_MAX ? zi_warp_max(v) : zi_warp_min(v);
}

__device__ float zi_block_reduce(float v, int kind, float* scratch)
{
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    int warps = (blockDim.x + 31) >> 5;
    v = zi_warp_reduce(v, kind);
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    float identity = kind == ZI_REDUCE_SUM ? 0.0f : kind == ZI_REDUCE_MAX ? -__int_as_float(0x7F800000) : __int_as_float(0x7F800000);
    float r = lane < warps ? scratch[lane] : identity;
    r = zi_warp_reduce(r, kind);
    __syncthreads();
    return r;
}

__device__ __forceinline__ float zi_block_sum(float v, float* scratch) { return zi_block_reduce(v, ZI_REDUCE_SUM, scratch); }

// The grid-stride loop every element-wise kernel uses (64-bit: tensors may exceed 2^31 elements).
#define ZI_GRID_STRIDE(i, n) for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64)gridDim.x * blockDim.x)

#define ZI_INF __int_as_float(0x7F800000)
