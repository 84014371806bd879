// Element-wise math in f32 over strided views (broadcast = stride 0). Op codes are the values of the C# enums
// UnaryOp and BinaryOp (a test checks they agree). Products that the CPU rounds separately use __fmul_rn/__fadd_rn so
// NVRTC's default FMA contraction cannot change the last bit.
#include "common.cuh"

#define ZI_NEG 0
#define ZI_ABS 1
#define ZI_SQUARE 2
#define ZI_SQRT 3
#define ZI_RSQRT 4
#define ZI_EXP 5
#define ZI_LOG 6
#define ZI_TANH 7
#define ZI_SIGMOID 8
#define ZI_SILU 9
#define ZI_GELU 10
#define ZI_COS 11
#define ZI_SIN 12
#define ZI_RECIPROCAL 13

#define ZI_ADD 0
#define ZI_SUB 1
#define ZI_MUL 2
#define ZI_DIV 3
#define ZI_MAXIMUM 4
#define ZI_MINIMUM 5

__device__ __forceinline__ float zi_unary(int op, float x)
{
    switch (op)
    {
        case ZI_NEG: return -x;
        case ZI_ABS: return fabsf(x);
        case ZI_SQUARE: return __fmul_rn(x, x);
        case ZI_SQRT: return sqrtf(x);
        case ZI_RSQRT: return 1.0f / sqrtf(x);
        case ZI_EXP: return expf(x);
        case ZI_LOG: return logf(x);
        case ZI_TANH: return tanhf(x);
        case ZI_SIGMOID: return 1.0f / (1.0f + expf(-x));
        // x / (1 + e^-x): for x < -88 e^-x is ∞ and the result −0, as on the CPU.
        case ZI_SILU: return x / (1.0f + expf(-x));
        case ZI_GELU: return __fmul_rn(__fmul_rn(0.5f, x), 1.0f + erff(__fmul_rn(x, 0.70710678f)));
        case ZI_COS: return cosf(x);
        case ZI_SIN: return sinf(x);
        default: return 1.0f / x;
    }
}

__device__ __forceinline__ float zi_binary(int op, float a, float b)
{
    switch (op)
    {
        case ZI_ADD: return __fadd_rn(a, b);
        case ZI_SUB: return __fsub_rn(a, b);
        case ZI_MUL: return __fmul_rn(a, b);
        case ZI_DIV: return a / b;
        case ZI_MAXIMUM: return zi_max(a, b);
        default: return zi_min(a, b);
    }
}

extern "C" __global__ void zimage_unary(int op, TensorDesc x, TensorDesc y, i64 n)
{
    ZI_GRID_STRIDE(i, n)
    {
        zi_store(y.ptr, y.dtype, zi_offset(y, i), zi_unary(op, zi_load(x.ptr, x.dtype, zi_offset(x, i))));
    }
}

extern "C" __global__ void zimage_binary(int op, TensorDesc a, TensorDesc b, TensorDesc y, i64 n)
{
    ZI_GRID_STRIDE(i, n)
    {
        float va = zi_load(a.ptr, a.dtype, zi_offset(a, i));
        float vb = zi_load(b.ptr, b.dtype, zi_offset(b, i));
        zi_store(y.ptr, y.dtype, zi_offset(y, i), zi_binary(op, va, vb));
    }
}

// scale·x + shift with one rounding (fused), as the CPU's AffineOperator.
extern "C" __global__ void zimage_affine(TensorDesc x, TensorDesc y, float scale, float shift, i64 n)
{
    ZI_GRID_STRIDE(i, n)
    {
        zi_store(y.ptr, y.dtype, zi_offset(y, i), fmaf(zi_load(x.ptr, x.dtype, zi_offset(x, i)), scale, shift));
    }
}

// min(max(x, lo), hi); NaN stays NaN.
extern "C" __global__ void zimage_clamp(TensorDesc x, TensorDesc y, float lo, float hi, i64 n)
{
    ZI_GRID_STRIDE(i, n)
    {
        float v = zi_load(x.ptr, x.dtype, zi_offset(x, i));
        zi_store(y.ptr, y.dtype, zi_offset(y, i), zi_min(zi_max(v, lo), hi));
    }
}

// silu(gate)·up = gate·up / (1 + e^-gate), the CPU's order of operations.
extern "C" __global__ void zimage_swiglu(TensorDesc gate, TensorDesc up, TensorDesc y, i64 n)
{
    ZI_GRID_STRIDE(i, n)
    {
        float g = zi_load(gate.ptr, gate.dtype, zi_offset(gate, i));
        float u = zi_load(up.ptr, up.dtype, zi_offset(up, i));
        zi_store(y.ptr, y.dtype, zi_offset(y, i), __fmul_rn(g, u) / (1.0f + expf(-g)));
    }
}
