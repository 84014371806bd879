using System.Numerics;
using System.Runtime.CompilerServices;

namespace ZImageSharp.Cpu;

/// <summary>
/// The portable micro-kernel for CPUs without AVX2/FMA (or with them disabled): a 4 × 2·<see cref="Vector{T}"/> C tile in
/// 8 accumulators, so it stays in registers on SSE (16 xmm) and NEON alike. Multiply-add uses FMA only where the
/// hardware has it (<see cref="Vector.MultiplyAddEstimate(Vector{float}, Vector{float}, Vector{float})"/>), never a
/// software-emulated fused op.
/// </summary>
/// <remarks>Unsafe: same pointer contract as <see cref="GemmKernel"/>.</remarks>
internal static unsafe class GemmMicroKernelPortable
{
    /// <summary>Rows of the C tile.</summary>
    public const int MR = 4;

    /// <summary>Columns of the C tile: two vectors.</summary>
    public static int NR => 2 * Vector<float>.Count;

    /// <summary>C[0..MR, 0..NR] (+)= Σ_k a[k·lda + r] · b[k·ldb + c], see <see cref="GemmKernel"/> for the contract.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, bool accumulate)
    {
        int w = Vector<float>.Count;
        Vector<float> c00, c01, c10, c11, c20, c21, c30, c31;
        if (accumulate)
        {
            c00 = Vector.Load(c);
            c01 = Vector.Load(c + w);
            c10 = Vector.Load(c + ldc);
            c11 = Vector.Load(c + ldc + w);
            c20 = Vector.Load(c + (2 * ldc));
            c21 = Vector.Load(c + (2 * ldc) + w);
            c30 = Vector.Load(c + (3 * ldc));
            c31 = Vector.Load(c + (3 * ldc) + w);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = Vector<float>.Zero;
        }

        for (int k = 0; k < kc; k++)
        {
            Vector<float> b0 = Vector.Load(b);
            Vector<float> b1 = Vector.Load(b + w);
            var a0 = new Vector<float>(a[0]);
            c00 = Vector.MultiplyAddEstimate(a0, b0, c00);
            c01 = Vector.MultiplyAddEstimate(a0, b1, c01);
            var a1 = new Vector<float>(a[1]);
            c10 = Vector.MultiplyAddEstimate(a1, b0, c10);
            c11 = Vector.MultiplyAddEstimate(a1, b1, c11);
            var a2 = new Vector<float>(a[2]);
            c20 = Vector.MultiplyAddEstimate(a2, b0, c20);
            c21 = Vector.MultiplyAddEstimate(a2, b1, c21);
            var a3 = new Vector<float>(a[3]);
            c30 = Vector.MultiplyAddEstimate(a3, b0, c30);
            c31 = Vector.MultiplyAddEstimate(a3, b1, c31);
            a += lda;
            b += ldb;
        }

        c00.Store(c);
        c01.Store(c + w);
        c10.Store(c + ldc);
        c11.Store(c + ldc + w);
        c20.Store(c + (2 * ldc));
        c21.Store(c + (2 * ldc) + w);
        c30.Store(c + (3 * ldc));
        c31.Store(c + (3 * ldc) + w);
    }
}
